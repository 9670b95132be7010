"""The customer's page: their note, and which photo shows what.

Apart from the claim's step forms (`claims/forms.py`): the customer is not the
seller, has no session with the wizard, and posts photos one input per kind.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.choices import EvidenceKind
from claims.forms import StepForm
from helpcentre.validators import guard_text_fields


class CustomerEvidenceForm(forms.Form):
    """The customer's page: a note. The photos come in one file input per kind
    (`customer_uploads`), so each says what it shows."""

    note = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    error_links = StepForm.error_links


CUSTOMER_UPLOAD_PREFIX = "photos-"


def customer_uploads(files, data) -> tuple[list[tuple[str, object]], list[str]]:
    """The customer's chosen photos as (kind, upload), one file input per kind.

    Each photo says what it shows by the input it was chosen in, so an item photo
    sent with a package photo is stored as the item. A file under any other name
    (a tampered form) is refused by name, never dropped silently.

    A page opened before this form changed posts its photos as "photos" with one
    "kind" for all of them: still accepted as that kind, so nobody's upload fails
    across a deploy; a kind that is not one of ours is refused as before.
    """
    kinds = {kind.value for kind in EvidenceKind}
    legacy_kind = data.get("kind")
    uploads: list[tuple[str, object]] = []
    errors: list[str] = []
    if legacy_kind is not None and legacy_kind not in kinds:
        errors.append(gettext("Select what the photos show"))
    for field in files:
        if field == "photos" and legacy_kind in kinds:
            kind = legacy_kind
        elif field.startswith(CUSTOMER_UPLOAD_PREFIX):
            kind = field.removeprefix(CUSTOMER_UPLOAD_PREFIX)
        else:
            kind = None
        for upload in files.getlist(field):
            if kind in kinds:
                uploads.append((kind, upload))
            else:
                errors.append(
                    gettext("%(name)s: we could not tell what this photo shows, so it was not sent")
                    % {"name": upload.name[-80:]}
                )
    # One more than the limit is enough to say "too many"; the rest are never decoded.
    return uploads[: settings.CLAIM_MAX_PHOTOS + 1], errors


def phone_reports(files, data) -> dict[int, dict[str, str]]:
    """What the customer's phone read from each photo before shrinking it (the page's
    script sends "<input>-taken", "-offset" and "-camera" beside each file of that
    input, in the same order), by id() of the upload; `with_phone_report` decides
    what counts. Nothing for a file without them (no script, an old page)."""
    reports: dict[int, dict[str, str]] = {}
    for field in files:
        taken = data.getlist(f"{field}-taken")
        offsets = data.getlist(f"{field}-offset")
        cameras = data.getlist(f"{field}-camera")
        for index, upload in enumerate(files.getlist(field)):
            if index < len(taken):
                reports[id(upload)] = {
                    "taken": taken[index],
                    "offset": offsets[index] if index < len(offsets) else "",
                    "camera": cameras[index] if index < len(cameras) else "",
                }
    return reports


def customer_photos(files, data) -> tuple[list[tuple[str, object, dict | None]], list[str]]:
    """`customer_uploads` with each photo's phone report (or None) beside it."""
    uploads, errors = customer_uploads(files, data)
    reports = phone_reports(files, data)
    return [(kind, upload, reports.get(id(upload))) for kind, upload in uploads], errors
