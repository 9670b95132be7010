"""Evidence photos: check what a file really is, then keep only its pixels.

A customer's phone photo arrives as an upload of any name and any content. The
pipeline trusts neither: Pillow decides what the bytes are (only JPEG, PNG,
WebP and HEIC/HEIF are opened), refuses decompression bombs, broken and absurd
images, and then re-encodes the pixels as a fresh JPEG. Nothing of the original
file survives except the picture: no EXIF, no GPS position, no XMP, no
comments, no ICC profile, nothing appended after the image data.

Two facts are read before the metadata goes, for the reviewer's signals
(`claims.review_signals`): when the camera says the photo was taken (EXIF
DateTimeOriginal) and whether it names a camera at all (a screenshot or a
downloaded picture names none). The GPS position is never read. A perceptual
hash of the display copy is kept too, to find the same picture in another
claim after a crop, resize or recompression.

It is built to be fast on a 12-megapixel phone JPEG (see `bench/photos.py`):
the JPEG is decoded at reduced scale (`Image.draft`), resized while still in
the camera's orientation and only the small copy is turned upright, the
thumbnail is made from the display copy rather than from the original, and
the photos of one request reuse each other's image buffers (`photo_batch`).
gunicorn also sets glibc, for every worker, to give big image buffers back
to the system when they are freed (deploy/malloc.py), or a worker's peak
memory creeps up photo after photo.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any, NamedTuple

import pillow_heif
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, UnidentifiedImageError

from claims.phash import phash

pillow_heif.register_heif_opener()


# Pillow names of the formats a phone produces and a browser shows (HEIF is
# converted). GIF, BMP, TIFF, SVG, PDF and the rest are refused by content,
# whatever the file is called.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

# Pillow reports a JPEG carrying a Multi-Picture Format index (many Android
# phones write one for depth maps or previews) as "MPO"; the first picture is
# the photo itself, so it is treated as the JPEG it is.
_FORMAT_ALIASES = {"MPO": "JPEG"}

DISPLAY_QUALITY = 82
THUMBNAIL_QUALITY = 75
# The thumbnail is shrunk by whole pixel blocks (Image.reduce) to within 1.25x
# of its size, then finished with LANCZOS: 7-9 ms from the display copy,
# against 15-17 ms at 2.0, and 48 dB PSNR against a thumbnail made with
# LANCZOS from the full 12 megapixels (2.0: 54 dB): no visible difference on a
# 400 px picture.
THUMBNAIL_REDUCING_GAP = 1.25

# Image buffers Pillow keeps for reuse within a photo_batch: a 2016 px display
# copy is 12 MB (one block); four cover the decoded photo, its upright copy and
# the thumbnail's steps.
_BATCH_BLOCKS = 4

# JPEG can be decoded at 1/2, 1/4 or 1/8 scale for a fraction of the cost of a
# full decode. Halving a 4032 px phone photo gives 2016 px, just under the
# 2048 px display size, so a draft that insisted on at least 2048 px would
# decode the full 12 megapixels and throw three quarters away. The display
# copy may therefore come out up to a quarter smaller than the display size
# (2016 px for today's 12 MP phones, 2000 px for 48 MP ones): the difference
# cannot be seen on a reviewer's screen, and it makes the decode 3-4x cheaper.
DRAFT_TOLERANCE = 0.75

_CHUNK_SIZE = 1024 * 1024
_BAND_ROWS = 256

# EXIF orientation -> the transpose that turns the picture upright (the same
# table as PIL.ImageOps.exif_transpose, applied to the small copy instead).
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION = 0x0112

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoRejected(ValueError):
    """An upload that is not a photo we accept; `.message` is for the customer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes  # JPEG, upright, longest side <= CLAIM_PHOTO_DISPLAY_SIZE, no metadata
    thumbnail: bytes  # JPEG, longest side <= CLAIM_PHOTO_THUMBNAIL_SIZE, no metadata
    sha256: str  # of the original upload's bytes: the same photo uploaded twice
    width: int  # of the display copy
    height: int
    original_format: str  # "JPEG" | "PNG" | "WEBP" | "HEIF"
    original_size: int  # bytes
    phash: str = ""  # perceptual hash of the display copy, 16 hex digits
    captured_at: str = ""  # ISO 8601, from EXIF DateTimeOriginal; "" when the photo has none
    camera: bool = False  # the metadata names a camera (EXIF Make or Model)


# What is recorded about a photo wherever it is kept (a draft, an evidence
# row): the same names on ProcessedPhoto, DraftPhoto and EvidencePhoto.
PHOTO_FACTS = (
    "sha256",
    "width",
    "height",
    "original_format",
    "original_size",
    "phash",
    "captured_at",
    "camera",
)


def photo_facts(photo) -> dict:
    """The PHOTO_FACTS of a processed or draft photo, as keyword arguments."""
    return {name: getattr(photo, name) for name in PHOTO_FACTS}


def photo_row_facts(photo) -> dict:
    """The PHOTO_FACTS as an EvidencePhoto row takes them (the capture time as a datetime)."""
    facts = photo_facts(photo)
    facts["captured_at"] = parse_datetime(facts["captured_at"]) if facts["captured_at"] else None
    return facts


# --- Facts read before the metadata is dropped --------------------------------------

_EXIF_MAKE = 0x010F
_EXIF_MODEL = 0x0110
_EXIF_IFD = 0x8769
_EXIF_DATETIME_ORIGINAL = 0x9003
_EXIF_OFFSET_TIME_ORIGINAL = 0x9011
_EXIF_DATETIME = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def capture_time(taken: str, offset: str = "") -> str:
    """An EXIF date and time ("2026:12:01 09:30:00", offset "+01:00") as ISO 8601, or "".

    Without an offset the time is read in the site's timezone (the camera's
    clock is local). A blank, zeroed or impossible date gives "".
    """
    match = _EXIF_DATETIME.match((taken or "").strip().strip("\x00"))
    if not match:
        return ""
    try:
        moment = datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return ""
    offset_match = _EXIF_OFFSET.match((offset or "").strip().strip("\x00"))
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta <= timedelta(hours=14):
            moment = moment.replace(tzinfo=dt_timezone(delta if sign == "+" else -delta))
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.isoformat()


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip().strip("\x00").strip()


def read_capture_facts(image: Image.Image) -> tuple[str, bool]:
    """(capture time as ISO 8601 or "", whether a camera is named) from the EXIF.

    Only three tags are read: Make, Model and the original capture time with
    its offset. The GPS block and everything else are left alone and dropped
    with the rest of the metadata. Broken EXIF counts as none.
    """
    try:
        exif = image.getexif()
        camera = bool(_exif_text(exif.get(_EXIF_MAKE)) or _exif_text(exif.get(_EXIF_MODEL)))
        details = exif.get_ifd(_EXIF_IFD)
        taken = capture_time(
            _exif_text(details.get(_EXIF_DATETIME_ORIGINAL)),
            _exif_text(details.get(_EXIF_OFFSET_TIME_ORIGINAL)),
        )
    except Exception:  # noqa: BLE001 - a photo's broken metadata is no reason to refuse it
        return "", False
    return taken, camera


def with_phone_report(
    photo: ProcessedPhoto, *, taken: str, offset: str = "", camera: str = ""
) -> ProcessedPhoto:
    """The photo with the capture facts the customer's phone read before shrinking it.

    The page's script shrinks a photo on the phone, which drops its metadata; it
    reads the capture time (EXIF's own text, "2026:12:01 09:30:00", and its
    offset) and whether a camera is named first, and sends them beside the file.
    They count only when the file itself carries neither (the original upload's
    own EXIF wins), and they are as much the sender's word as EXIF itself is.
    Anything not in EXIF's shape is ignored.
    """
    if photo.captured_at or photo.camera:
        return photo
    return replace(photo, captured_at=capture_time(taken[:40], offset[:10]), camera=camera == "1")


# The windows of a picture hashed besides the whole: its centre and its four
# corners at 90% and at 80% of each side. A crop of 5-15% is then close to one
# of them (a whole-picture hash alone misses most crops off the centre, and one
# size of window misses the crops between sizes: see `bench/phash_threshold.py`).
PHASH_WINDOWS = (0.9, 0.8)


def phash_windows(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The boxes hashed besides the whole picture: for each of PHASH_WINDOWS, the
    centre, then the top-left, top-right, bottom-left and bottom-right corners."""
    windows = []
    for share in PHASH_WINDOWS:
        w, h = round(width * share), round(height * share)
        dx, dy = width - w, height - h
        windows += [
            (dx // 2, dy // 2, dx // 2 + w, dy // 2 + h),
            (0, 0, w, h),
            (dx, 0, width, h),
            (0, dy, w, height),
            (dx, dy, width, height),
        ]
    return windows


def perceptual_hash(image: Image.Image) -> str:
    """imagehash's pHash (64 bits, 16 hex digits) of the whole picture, then of its
    ten windows (centre and corners, PHASH_WINDOWS of each side), space-separated.

    Survives resizing, recompression and brightness changes; the windows let a
    crop match too (`claims.review_signals.phash_distance`). The distance below
    which two photos count as near-identical is CLAIM_PHOTO_NEAR_MATCH_DISTANCE,
    measured by `bench/phash_threshold.py`. Computed by `claims.phash`, which
    gives imagehash's bits without loading numpy and scipy into the worker.
    """
    grey = image.convert("L")
    boxes = phash_windows(*image.size)
    return " ".join([phash(grey)] + [phash(grey.crop(box)) for box in boxes])


@contextmanager
def photo_batch() -> Iterator[None]:
    """Process one request's photos with Pillow reusing the image buffers it frees.

    Every image Pillow makes gets fresh memory from the system, and the first
    touch of each page costs a page fault: on the benchmark machine, turning a
    2016 x 1512 copy upright took 19 ms in fresh memory and 9 ms in reused
    memory, the JPEG decode 57 against 51 ms. Inside the batch Pillow keeps up
    to _BATCH_BLOCKS freed blocks (its documented blocks-max setting, off by
    default) for the next photo; afterwards they are handed back, so an idle
    worker holds nothing extra.
    """
    with _pillow_keeps_blocks(max(Image.core.get_blocks_max(), _BATCH_BLOCKS)):
        yield


@contextmanager
def _pillow_keeps_blocks(count: int) -> Iterator[None]:
    """Pillow keeps up to `count` freed image blocks for reuse, then as before."""
    previous = Image.core.get_blocks_max()
    Image.core.set_blocks_max(count)
    try:
        yield
    finally:
        # Lowering the limit frees the blocks kept beyond it.
        Image.core.set_blocks_max(previous)


class UploadResult(NamedTuple):
    key: Any  # what the caller passed with the upload (its kind of evidence)
    name: str  # the upload's name, shortened, for messages
    photo: ProcessedPhoto | None  # None: refused
    refusal: str  # "name: why", for the person who sent it; "" when processed


def process_uploads(uploads: Iterable[tuple[Any, Any]]) -> Iterator[UploadResult]:
    """Process one request's `(key, upload)` pairs in order, in one photo_batch."""
    with photo_batch():
        for key, upload in uploads:
            name = upload.name[-80:]
            try:
                photo = process_photo(upload)
            except PhotoRejected as rejected:
                yield UploadResult(key, name, None, f"{name}: {rejected.message}")
            else:
                yield UploadResult(key, name, photo, "")


def _not_a_photo() -> PhotoRejected:
    return PhotoRejected(
        _("This file is not a photo we can open. Upload a JPEG, PNG, WebP or HEIC photo.")
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


def _sha256(upload) -> str:
    # In chunks: a temporary upload on disk is never read whole into memory.
    digest = hashlib.sha256()
    for chunk in upload.chunks(chunk_size=_CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def _check_dimensions(width: int, height: int) -> None:
    if width * height > settings.CLAIM_MAX_PHOTO_PIXELS:
        raise _too_many_pixels()
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


def _too_many_pixels() -> PhotoRejected:
    megapixels = settings.CLAIM_MAX_PHOTO_PIXELS // 1_000_000
    return PhotoRejected(
        _(
            "This picture has more pixels than a phone photo (the limit is %(mp)s megapixels). "
            "Upload the photo as the camera took it."
        )
        % {"mp": megapixels}
    )


def _fit(width: int, height: int, box: int) -> tuple[int, int]:
    """The size that fits `width` x `height` into a `box` square, keeping the shape."""
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb(image: Image.Image) -> Image.Image:
    """Pixels as 8-bit RGB (or L for greyscale), in sRGB, transparency on white."""
    icc = image.info.get("icc_profile")
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: scale to 8 bits (a plain convert would clip
        # everything above 255 to white).
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        mode = "L"
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif mode == "CMYK" and icc:
        # A CMYK JPEG (from a scanner or a print workflow) is only right
        # through its own profile.
        image = _profile_to_srgb(image, icc) or image.convert("RGB")
        icc = None
    elif mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if icc and image.mode == "RGB":
        # Phones write wide-gamut photos (Display P3). The profile is dropped
        # from the output like all metadata, so the colours are converted to
        # sRGB first; a broken profile is ignored rather than rejected.
        image = _profile_to_srgb(image, icc) or image
    return image


def _profile_to_srgb(image: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower():
            return image.convert("RGB") if image.mode != "RGB" else image
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


def _encode(image: Image.Image, quality: int) -> bytes:
    # With an empty info dict nothing from the original file (EXIF, XMP, ICC,
    # comments) can be written out with the pixels. The image is always one
    # this module made or opened itself, so emptying it in place is safe and
    # saves a copy of the pixels.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()


def _decode_heif_to_fit(upload, box: int) -> Image.Image | None:
    """Decode a HEIC photo straight to its display size, or None to decode normally.

    HEVC has no reduced-scale decoding like JPEG, so the whole 12 megapixels
    are decoded. Through Pillow they would then be held twice (pillow-heif's
    RGB buffer and Pillow's own 4-bytes-a-pixel copy) before resizing: about
    85 MB more at the peak. Instead, pillow-heif's buffer is viewed in place as
    one wide greyscale image and shrunk vertically only (a vertical pass never
    mixes neighbouring bytes of a row, so the colour channels stay apart);
    the decoded buffer is freed, and only the shorter result becomes an RGB
    image for the horizontal pass.

    Where it can, both passes shrink by averaging whole pixel blocks
    (Image.reduce) by the factor JPEG's draft would use for the same picture,
    so a HEIC's display copy is the size of its JPEG twin's (4032 px: 2016 px):
    averaging 2x2 blocks took 37 ms here where LANCZOS over 12 megapixels
    took 150 ms, a third of the whole photo's time.

    A HEIC photo sets the worker's peak memory, and libheif decodes into
    buffers of its own: spare blocks Pillow keeps within a photo_batch would
    only add to that peak, so none are kept while it is decoded.
    """
    with _pillow_keeps_blocks(0):
        return _decode_heif_rows(upload, box)


def _draft_request(width: int, height: int, box: int) -> tuple[int, int]:
    """The smallest size a reduced-scale decode may give (see DRAFT_TOLERANCE)."""
    return _fit(width, height, max(1, int(box * DRAFT_TOLERANCE)))


def _block_factor(width: int, height: int, box: int) -> int:
    """The reduction Pillow's JPEG draft picks for the same request: 8, 4, 2 or 1."""
    wanted = _draft_request(width, height, box)
    scale = min(width // wanted[0], height // wanted[1])
    return next((factor for factor in (8, 4, 2) if scale >= factor), 1)


def _decode_heif_rows(upload, box: int) -> Image.Image | None:
    upload.seek(0)
    heif = pillow_heif.open_heif(upload, convert_hdr_to_8bit=True)
    frame = heif[heif.primary_index]
    width, height = frame.size
    if frame.mode not in ("RGB", "L") or max(width, height) <= box:
        return None  # alpha or an already small picture: the ordinary way is fine
    mode = frame.mode
    factor = _block_factor(width, height, box)
    # Whole blocks only: up to factor - 1 last rows and columns are left out,
    # so that every pixel of the result stands for a whole block.
    kept_width, kept_height = width - width % factor, height - height % factor
    target = _fit(kept_width, kept_height, box)
    stride = frame.stride
    rows = Image.frombuffer("L", (stride, height), frame.data, "raw", "L", stride, 1)
    if factor > 1:
        shorter = rows.reduce((1, factor), box=(0, 0, stride, kept_height))
    else:
        shorter = rows.resize((stride, target[1]), Image.Resampling.LANCZOS)
    del rows, frame, heif  # the 12-megapixel buffer goes here
    # Rebuilt as an RGB (or L) image a band at a time, so the shrunk bytes are
    # not held a third time as one big bytes object.
    image = Image.new(mode, (width, shorter.height))
    for top in range(0, shorter.height, _BAND_ROWS):
        band = shorter.crop((0, top, stride, min(top + _BAND_ROWS, shorter.height)))
        image.paste(
            Image.frombytes(mode, (width, band.height), band.tobytes(), "raw", mode, stride),
            (0, top),
        )
    del shorter, band
    if factor > 1:
        image = image.reduce((factor, 1), box=(0, 0, kept_width, image.height))
        if max(image.size) <= box:
            return image
    # Too small to reduce by blocks, or still over the box once reduced (as a
    # JPEG is: a 4608 px photo halves to 2304 px).
    return image.resize(target, Image.Resampling.LANCZOS)


def _open(upload) -> Image.Image:
    """Identify the upload by its content; only the header is read here."""
    upload.seek(0)
    # Pillow's bomb check reads a module-wide limit: set it from the settings
    # for this call and put it back, so other code's images are not affected.
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = settings.CLAIM_MAX_PHOTO_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between one and two times its pixel limit;
            # here a warning is as much a refusal as the error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload, formats=[*ALLOWED_FORMATS])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _not_a_photo() from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit


def process_photo(upload) -> ProcessedPhoto:
    """Check one uploaded photo and make its clean display copy and thumbnail.

    `upload` is a Django File (an UploadedFile in memory or on disk). Raises
    PhotoRejected, with a sentence for the customer, when it is not a photo we
    accept. The upload's name is never looked at.
    """
    check_upload_size(upload)
    original_size = upload.size
    sha256 = _sha256(upload)
    display_box = settings.CLAIM_PHOTO_DISPLAY_SIZE
    thumbnail_box = settings.CLAIM_PHOTO_THUMBNAIL_SIZE

    image = _open(upload)
    try:
        original_format = _FORMAT_ALIASES.get(image.format, image.format)
        if original_format not in ALLOWED_FORMATS:
            raise _not_a_photo()
        _check_dimensions(*image.size)
        # Before anything is decoded or dropped: the metadata goes with the original.
        captured_at, camera = read_capture_facts(image)
        if getattr(image, "is_animated", False) and original_format in ("PNG", "WEBP"):
            # An animation's frames can show different things, and a reviewer
            # would see only one of them: evidence must be one still photo.
            # (A HEIC holding several pictures, or a JPEG with an MPO index,
            # is a still photo with extras; its first, primary picture is used.)
            raise PhotoRejected(
                _("This is an animation, not a photo. Upload a still photo instead.")
            )
        if original_format == "JPEG":
            image.draft("RGB", _draft_request(*image.size, display_box))
        try:
            # The full decode happens here: a truncated or corrupt file fails
            # now, not later in a reviewer's browser.
            decoded = None
            if original_format == "HEIF":
                decoded = _decode_heif_to_fit(upload, display_box)
            if decoded is None:
                image.load()
            else:
                # Keep what _to_rgb needs (the colour profile), drop the
                # 12-megapixel original.
                decoded.info = {
                    key: image.info[key] for key in ("icc_profile",) if key in image.info
                }
                image.close()
                image = decoded
            orientation = 1
            if original_format != "HEIF":
                # A HEIC photo is turned upright by its container's transform
                # when pillow-heif decodes it; the EXIF tag inside is a stale copy.
                orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        except (OSError, ValueError, SyntaxError, EOFError, RuntimeError):
            # RuntimeError: pillow-heif's report of a broken HEVC stream.
            raise PhotoRejected(
                _(
                    "This photo is damaged or incomplete and cannot be opened. "
                    "Take or export it again and upload it."
                )
            ) from None

        pixels = _to_rgb(image)
        # Resize while the picture is still lying on its side, then turn only
        # the small copy upright: rotating 12 megapixels costs more than the
        # resize saves.
        if max(pixels.size) > display_box:
            pixels = pixels.resize(
                _fit(*pixels.size, display_box), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
        transpose = _ORIENTATION_TRANSPOSE.get(orientation)
        if transpose is not None:
            pixels = pixels.transpose(transpose)
        if pixels.mode != "RGB":
            pixels = pixels.convert("RGB")
        if pixels is not image:
            # Done with the decoded picture: inside a photo_batch its buffer
            # now serves the thumbnail instead of fresh memory.
            image.close()

        thumbnail = pixels.resize(
            _fit(*pixels.size, thumbnail_box),
            Image.Resampling.LANCZOS,
            reducing_gap=THUMBNAIL_REDUCING_GAP,
        )
        return ProcessedPhoto(
            display=_encode(pixels, DISPLAY_QUALITY),
            thumbnail=_encode(thumbnail, THUMBNAIL_QUALITY),
            sha256=sha256,
            width=pixels.width,
            height=pixels.height,
            original_format=original_format,
            original_size=original_size,
            # The thumbnail: the same hash as the display copy's, for a tenth of the pixels.
            phash=perceptual_hash(thumbnail),
            captured_at=captured_at,
            camera=camera,
        )
    finally:
        image.close()
