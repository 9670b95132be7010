"""Evidence photos: the refusals, and the checks made before any pixel is decoded.

Every refusal is a PhotoRejected carrying one sentence for the customer; the
pipeline (`claims.photos`) and the decoder (`claims.photo_decode`) raise them.
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class PhotoRejected(ValueError):
    """An upload that is not a photo we accept; `.message` is for the customer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_a_photo() -> PhotoRejected:
    return PhotoRejected(
        _("This file is not a photo we can open. Upload a JPEG, PNG, WebP or HEIC photo.")
    )


def too_many_pixels() -> PhotoRejected:
    megapixels = settings.CLAIM_MAX_PHOTO_PIXELS // 1_000_000
    return PhotoRejected(
        _(
            "This picture has more pixels than a phone photo (the limit is %(mp)s megapixels). "
            "Upload the photo as the camera took it."
        )
        % {"mp": megapixels}
    )


def damaged() -> PhotoRejected:
    return PhotoRejected(
        _(
            "This photo is damaged or incomplete and cannot be opened. "
            "Take or export it again and upload it."
        )
    )


def check_upload_size(upload) -> None:
    """Refuse an empty or oversize upload before anything is decoded."""
    size = upload.size
    if not size:
        raise PhotoRejected(_("This file is empty. Choose the photo again and upload it."))
    limit = settings.CLAIM_MAX_PHOTO_BYTES
    if size > limit:
        raise PhotoRejected(
            _("This photo is %(size)s; photos can be up to %(limit)s. Upload a smaller photo.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def check_dimensions(width: int, height: int) -> None:
    """Refuse a picture too big, too small or too long to be a photo, from its header."""
    if width * height > settings.CLAIM_MAX_PHOTO_PIXELS:
        raise too_many_pixels()
    shortest, longest = sorted((width, height))
    if shortest < settings.CLAIM_PHOTO_MIN_SIDE:
        raise PhotoRejected(
            _(
                "This photo is too small to show any detail (%(width)s × %(height)s pixels). "
                "Upload the original photo from the camera."
            )
            % {"width": width, "height": height}
        )
    if longest > shortest * settings.CLAIM_PHOTO_MAX_ASPECT_RATIO:
        raise PhotoRejected(
            _(
                "This picture is a very long strip (%(width)s × %(height)s pixels), not a photo "
                "of the parcel or item. Upload an ordinary photo."
            )
            % {"width": width, "height": height}
        )


def check_still(image, original_format: str) -> None:
    """Refuse an animation."""
    if getattr(image, "is_animated", False) and original_format in ("PNG", "WEBP"):
        # An animation's frames can show different things, and a reviewer
        # would see only one of them: evidence must be one still photo.
        # (A HEIC holding several pictures, or a JPEG with an MPO index,
        # is a still photo with extras; its first, primary picture is used.)
        raise PhotoRejected(_("This is an animation, not a photo. Upload a still photo instead."))
