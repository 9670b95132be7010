"""The claim's private photos: to the seller's link, the customer's link, staff with
the permission, and the seller's own drafts in this session; nobody else.

Every wrong or unknown photo gets the same "not found" page as a wrong link. A
photo is a JPEG we re-encoded ourselves, served inline, never cached, never
sniffed as anything else; on S3 the response is a short-lived signed redirect.
"""

import uuid

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.decorators.http import require_GET

from claims import tokens
from claims.drafts import draft_storage, session_drafts
from claims.erasure import record_access
from claims.models import Claim, EvidencePhoto, PersonalDataAccess
from claims.secret_links import claim_for_result_token, link_not_found
from claims.storage import evidence_storage, evidence_url


def _serve(storage, name: str, *, filename: str):
    """A private JPEG: inline, never cached, never sniffed as anything else."""
    url = evidence_url(name) if storage is evidence_storage() else None
    if url:
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


def _photo_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _photo_file(photo: EvidencePhoto, size: str):
    name = photo.thumbnail_name if size == "thumb" else photo.image_name
    return _serve(evidence_storage(), name, filename=f"{photo.public_id}-{size}.jpg")


@require_GET
def result_photo(request, token: str, photo_id, size: str):
    claim = claim_for_result_token(token)
    photo_key = _photo_uuid(photo_id)
    photo = claim and photo_key and claim.photos.filter(public_id=photo_key).first()
    if not photo:
        return link_not_found(request)
    return _photo_file(photo, size)


@require_GET
def customer_photo(request, token: str, photo_id, size: str):
    photo_key = _photo_uuid(photo_id)
    if not tokens.looks_like_token(token) or photo_key is None:
        return link_not_found(request)
    photo = EvidencePhoto.objects.filter(
        public_id=photo_key, claim__in=Claim.objects.for_customer_token(token)
    ).first()
    if not photo:
        return link_not_found(request)
    return _photo_file(photo, size)


@require_GET
def staff_photo(request, photo_id, size: str):
    if not (request.user.is_active and request.user.has_perm("claims.view_evidencephoto")):
        return link_not_found(request)
    photo_key = _photo_uuid(photo_id)
    photo = (
        photo_key
        and EvidencePhoto.objects.select_related("claim").filter(public_id=photo_key).first()
    )
    if not photo:
        return link_not_found(request)
    # Who looked at a customer's photo, and when: thumbnails on the claim page too.
    record_access(
        claim=photo.claim,
        user=request.user,
        action=PersonalDataAccess.Action.VIEW_PHOTO,
        detail=f"{photo.public_id} {size}",
    )
    return _photo_file(photo, size)


@require_GET
def draft_photo(request, photo_id: str, size: str):
    """A photo attached in this session's unfinished claim, to nobody else."""
    for draft in session_drafts(request.session):
        if draft.id == photo_id:
            name = draft.thumbnail_name if size == "thumb" else draft.image_name
            return _serve(draft_storage(), name, filename=f"{draft.id}-{size}.jpg")
    return link_not_found(request)
