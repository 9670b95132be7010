"""Writes with side effects for the customer's evidence: the photos and note
they send through their link, and the claim going on once the evidence is complete.

Not to be confused with `claims/evidence_requests.py`, the reviewer's request
that asks the customer for named evidence. Like `claims/services.py`, every
function here is keyword-only and does its database work in one transaction;
files written for a post that fails are deleted again.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from claims import review_trail, workflow
from claims.choices import ClaimStatus
from claims.evidence_requests import CUSTOMER_WAIT_FIELDS, end_customer_wait
from claims.facts import ClaimFacts
from claims.models import Claim, CustomerNote, EvidencePhoto
from claims.photo_metadata import photo_row_facts, with_phone_report
from claims.photos import process_uploads
from claims.selectors import evidence_rules_for
from claims.storage import ClaimNotSaved, delete_evidence_quietly, store_evidence_photo

logger = logging.getLogger(__name__)


class PhotoLimitReached(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoMoreEvidence(PhotoLimitReached):
    """The claim takes no more photos at all (its personal data is erased)."""


class EvidenceRefused(Exception):
    """The customer's post was refused, all of it: nothing was kept. `messages`
    are for people, one per refused photo (or why an empty post is not a report)."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


def missing_required_kinds(facts: ClaimFacts, present_kinds) -> list[str]:
    """Evidence kinds the rules require that no photo shows yet."""
    present = set(present_kinds)
    return [
        rule.kind
        for rule in evidence_rules_for(facts)
        if rule.required and rule.kind not in present
    ]


@dataclass(frozen=True)
class CustomerEvidenceResult:
    added: int
    duplicates: int


def claim_add_customer_evidence(
    *,
    claim_id: int,
    photos: Sequence[tuple[str, object]],
    note: str = "",
) -> CustomerEvidenceResult:
    """Add the customer's photos (already processed) and note to a claim.

    The claim row is locked for the count, so parallel uploads cannot pass
    the per-claim photo limit together. A photo already on the claim (same
    content hash) is skipped and counted as a duplicate.
    """
    saved: list[str] = []
    try:
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=claim_id)
            if claim.personal_data_erased_at is not None:
                # An upload that raced the erasure must not bring a photo back.
                raise NoMoreEvidence(
                    "This report's photos and details have been erased, so it takes no more."
                )
            fresh = _new_photos_within_limit(claim, photos)
            _store_customer_photos(claim, fresh, saved=saved)
            if note.strip():
                CustomerNote.objects.create(claim=claim, text=note.strip())
            if claim.status == ClaimStatus.AWAITING_EVIDENCE and fresh:
                _resume_if_evidence_complete(claim)
    except PhotoLimitReached:
        delete_evidence_quietly(saved)
        raise
    except Exception as exc:
        delete_evidence_quietly(saved)
        logger.exception("Customer evidence could not be saved")
        raise ClaimNotSaved(
            "Your photos could not be saved just now. Nothing was sent: try again in a minute."
        ) from exc
    return CustomerEvidenceResult(added=len(fresh), duplicates=len(photos) - len(fresh))


def _new_photos_within_limit(
    claim: Claim, photos: Sequence[tuple[str, object]]
) -> list[tuple[str, object]]:
    """The photos not already on the claim (by content hash, also within this
    upload), refused as a whole if they would pass the claim's photo limit.
    Called under the claim's row lock, so the count holds."""
    existing = set(claim.photos.values_list("sha256", flat=True))
    fresh = []
    for kind, processed in photos:
        if processed.sha256 in existing:
            continue
        existing.add(processed.sha256)
        fresh.append((kind, processed))
    count = claim.photos.count()
    room = settings.CLAIM_MAX_PHOTOS - count
    if len(fresh) > room:
        raise PhotoLimitReached(
            f"A claim can have up to {settings.CLAIM_MAX_PHOTOS} photos and this one "
            f"has {count}. Choose at most {max(room, 0)} more."
        )
    return fresh


def _store_customer_photos(
    claim: Claim, photos: Sequence[tuple[str, object]], *, saved: list[str]
) -> None:
    """Store each photo's files and its row; `saved` collects the file names
    as they are written, so the caller can delete them if anything fails."""
    for kind, processed in photos:
        image_name, thumbnail_name = store_evidence_photo(
            claim_key=claim.reference,
            display=processed.display,
            thumbnail=processed.thumbnail,
            saved=saved,
        )
        EvidencePhoto.objects.create(
            claim=claim,
            public_id=uuid.uuid4(),
            kind=kind,
            image_name=image_name,
            thumbnail_name=thumbnail_name,
            **photo_row_facts(processed),
            added_by=EvidencePhoto.AddedBy.CUSTOMER,
        )


def _resume_if_evidence_complete(claim: Claim) -> None:
    """A claim waiting on the customer goes on to review (or inspection) once the
    evidence is complete; called under the claim's row lock."""
    request = claim.evidence_requests.open().last()
    if request is not None:
        # A reviewer asked for named evidence: the review goes on once
        # every kind asked for has arrived since they asked.
        sent = set(
            claim.photos.filter(created_at__gte=request.created_at).values_list("kind", flat=True)
        )
        ready = set(request.kinds) <= sent
    else:
        kinds = set(claim.photos.values_list("kind", flat=True))
        ready = not missing_required_kinds(ClaimFacts.from_claim(claim), kinds)
    if not ready:
        return
    # The review (or inspection) can start: the workflow says which.
    state = workflow.transition(
        workflow.ClaimState.from_claim(claim), workflow.Action.EVIDENCE_RECEIVED
    )
    review_trail.record_transition(
        claim=claim,
        action=workflow.Action.EVIDENCE_RECEIVED,
        from_status=claim.status,
        to_status=state.status,
        note="Photos added through the customer's link.",
    )
    claim.status = state.status
    # The clock runs again (if a request paused it).
    end_customer_wait(claim, answered=True)
    claim.save(update_fields=["status", *CUSTOMER_WAIT_FIELDS, "updated_at"])


def claim_add_customer_uploads(
    *,
    claim_id: int,
    uploads: Sequence[tuple[str, object, dict | None]],
    note: str = "",
    refused: Sequence[str] = (),
) -> CustomerEvidenceResult:
    """Process the customer's uploads and add them with their note, all or nothing.

    `uploads` are (kind, uploaded file, what the phone reported of it or None);
    `refused` are messages for files the page already refused. If any photo is
    refused, or the post has neither a photo nor a note, `EvidenceRefused` lists
    every reason at once and nothing is kept, so the customer fixes them in one go.
    The photos are decoded before `claim_add_customer_evidence` opens its
    transaction: decoding takes seconds, and the claim row stays locked meanwhile.
    """
    errors = list(refused)
    processed = []
    keyed = [((kind, report), upload) for kind, upload, report in uploads]
    for result in process_uploads(keyed):
        kind, report = result.key
        if result.photo is None:
            errors.append(result.refusal)
        else:
            photo = with_phone_report(result.photo, **report) if report else result.photo
            processed.append((kind, photo))
    if not uploads and not errors and not note.strip():
        errors.append(_("Choose at least one photo, or write a note"))
    if errors:
        raise EvidenceRefused(errors)
    return claim_add_customer_evidence(claim_id=claim_id, photos=processed, note=note)


__all__ = [
    "CustomerEvidenceResult",
    "EvidenceRefused",
    "NoMoreEvidence",
    "PhotoLimitReached",
    "claim_add_customer_evidence",
    "claim_add_customer_uploads",
    "missing_required_kinds",
]
