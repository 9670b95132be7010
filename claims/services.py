"""Writes with side effects for claims: submit, customer evidence, the customer link.

Every function here is keyword-only and does its database work inside one
transaction. Files are written inside that transaction's scope and deleted
again if it fails, so a claim and its photos exist together or not at all.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import review, tasks, tokens, workflow
from claims.answers import ClaimAnswers
from claims.choices import ClaimStatus
from claims.drafts import DraftPhoto, draft_delete, draft_storage
from claims.facts import ClaimFacts
from claims.links import customer_url, result_url
from claims.models import Claim, ClaimTransition, CustomerNote, EvidencePhoto, hash_token
from claims.photos import photo_row_facts, process_uploads, with_phone_report
from claims.selectors import evidence_rules_for
from claims.storage import evidence_name, evidence_storage, save_evidence

logger = logging.getLogger(__name__)


class ClaimNotSaved(Exception):
    """Storage or database failed; nothing was kept. `message` is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


@dataclass(frozen=True)
class SubmittedClaim:
    claim: Claim
    result_token: str
    customer_token: str
    created: bool


def missing_required_kinds(facts: ClaimFacts, present_kinds) -> list[str]:
    """Evidence kinds the rules require that no photo shows yet."""
    present = set(present_kinds)
    return [
        rule.kind
        for rule in evidence_rules_for(facts)
        if rule.required and rule.kind not in present
    ]


def _delete_quietly(names: Sequence[str]) -> None:
    storage = evidence_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a cleanup must not hide the first failure
            logger.exception("Could not delete evidence file %s", name)


def _store_photo(*, claim: Claim, display: bytes, thumbnail: bytes, saved):
    image_name = save_evidence(evidence_name(claim.reference, ".jpg"), display)
    saved.append(image_name)
    thumbnail_name = save_evidence(evidence_name(claim.reference, "-thumb.jpg"), thumbnail)
    saved.append(thumbnail_name)
    return image_name, thumbnail_name


def claim_submit(
    *,
    submission_key: uuid.UUID,
    answers: ClaimAnswers,
    photos: Sequence[DraftPhoto] = (),
    customer_sends_photos: bool = False,
) -> SubmittedClaim:
    """Create the claim with its photos, or nothing at all.

    The same `submission_key` always gives the same claim: a second submit of
    the same form (double click, resent POST, two tabs) returns the first one.
    Draft photos are copied into evidence storage; if anything fails the copies
    are deleted, the transaction rolls back, the drafts stay for another try
    and `ClaimNotSaved` explains.
    """
    result_token = tokens.result_token_for(submission_key)
    existing = Claim.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return _submitted(existing, result_token, created=False)

    nonce = tokens.new_customer_link_nonce()
    customer_token = tokens.customer_token_for(result_token, nonce)
    # The state machine decides where a new claim starts (claims/workflow.py).
    status = workflow.initial_state(
        answers.fulfillment_method, answers.issue_type, awaiting_evidence=customer_sends_photos
    ).status
    saved: list[str] = []
    try:
        with transaction.atomic():
            claim = _claim_create(
                submission_key=submission_key,
                answers=answers,
                result_token=result_token,
                customer_token=customer_token,
                nonce=nonce,
                customer_sends_photos=customer_sends_photos,
                status=status,
            )
            _draft_photos_copy(claim=claim, photos=photos, saved=saved)
            _on_commit_after_submit(claim, photos, result_token, customer_token)
    except IntegrityError:
        _delete_quietly(saved)
        # Another request with the same form won the race: that claim is ours.
        existing = Claim.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return _submitted(existing, result_token, created=False)
        logger.exception("Claim could not be saved")
        raise ClaimNotSaved(
            "Your claim could not be saved just now. Your answers are kept: try again."
        ) from None
    except Exception as exc:
        _delete_quietly(saved)
        logger.exception("Claim could not be saved")
        raise ClaimNotSaved(
            "Your claim could not be saved just now, so nothing was sent. Your answers and "
            "photos are kept: try again in a minute."
        ) from exc
    return SubmittedClaim(
        claim=claim, result_token=result_token, customer_token=customer_token, created=True
    )


def _claim_create(
    *,
    submission_key: uuid.UUID,
    answers: ClaimAnswers,
    result_token: str,
    customer_token: str,
    nonce: str,
    customer_sends_photos: bool,
    status: str,
) -> Claim:
    """The claim row, its response date and its first timeline entry."""
    claim = Claim.objects.create(
        reference=tokens.new_reference(),
        result_token_hash=hash_token(result_token),
        customer_token_hash=hash_token(customer_token),
        customer_link_nonce=nonce,
        customer_link_expires_at=timezone.now() + timedelta(days=settings.CLAIM_CUSTOMER_LINK_DAYS),
        submission_key=submission_key,
        **answers.as_model_fields(),
        customer_sends_photos=customer_sends_photos,
        status=status,
    )
    # The response date is fixed at submission, so a later settings change
    # does not move a promise already made.
    claim.response_due_at = review.response_due_for(
        submitted_at=claim.created_at, is_international=claim.is_international
    )
    claim.save(update_fields=["response_due_at"])
    review.record_transition(
        claim=claim, action=ClaimTransition.SUBMIT, from_status="", to_status=status
    )
    return claim


def _draft_photos_copy(*, claim: Claim, photos: Sequence[DraftPhoto], saved: list[str]) -> None:
    """Copy each distinct draft photo into evidence storage and give it a row.

    Every stored file name goes into `saved` as soon as it exists, so the
    caller can delete the copies if the transaction fails later.
    """
    drafts = draft_storage()
    seen: set[str] = set()
    for draft in photos:
        if draft.sha256 in seen:
            continue
        seen.add(draft.sha256)
        with drafts.open(draft.image_name, "rb") as fh:
            display = fh.read()
        with drafts.open(draft.thumbnail_name, "rb") as fh:
            thumbnail = fh.read()
        photo_key = uuid.uuid4()
        image_name, thumbnail_name = _store_photo(
            claim=claim, display=display, thumbnail=thumbnail, saved=saved
        )
        EvidencePhoto.objects.create(
            claim=claim,
            public_id=photo_key,
            kind=draft.kind,
            image_name=image_name,
            thumbnail_name=thumbnail_name,
            **photo_row_facts(draft),
            added_by=EvidencePhoto.AddedBy.SELLER,
        )


def _on_commit_after_submit(
    claim: Claim, photos: Sequence[DraftPhoto], result_token: str, customer_token: str
) -> None:
    # Drafts go and mail leaves only once the claim is committed: a rollback
    # keeps the drafts for another try and sends nothing.
    transaction.on_commit(lambda: [draft_delete(d) for d in photos])
    transaction.on_commit(lambda: _enqueue_confirmations(claim, result_token, customer_token))


def _submitted(claim: Claim, result_token: str, *, created: bool) -> SubmittedClaim:
    return SubmittedClaim(
        claim=claim,
        result_token=result_token,
        customer_token=tokens.customer_token_for(result_token, claim.customer_link_nonce),
        created=created,
    )


def _enqueue_confirmations(claim: Claim, result_token: str, customer_token: str) -> None:
    tasks.send_customer_confirmation.enqueue(
        claim_reference=claim.reference, customer_link=customer_url(customer_token)
    )
    if claim.seller_email:
        tasks.send_seller_confirmation.enqueue(
            claim_reference=claim.reference,
            result_link=result_url(result_token),
            customer_link=customer_url(customer_token),
        )


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
            for kind, processed in fresh:
                photo_key = uuid.uuid4()
                image_name, thumbnail_name = _store_photo(
                    claim=claim,
                    display=processed.display,
                    thumbnail=processed.thumbnail,
                    saved=saved,
                )
                EvidencePhoto.objects.create(
                    claim=claim,
                    public_id=photo_key,
                    kind=kind,
                    image_name=image_name,
                    thumbnail_name=thumbnail_name,
                    **photo_row_facts(processed),
                    added_by=EvidencePhoto.AddedBy.CUSTOMER,
                )
            if note.strip():
                CustomerNote.objects.create(claim=claim, text=note.strip())
            if claim.status == ClaimStatus.AWAITING_EVIDENCE and fresh:
                _resume_if_evidence_complete(claim)
    except PhotoLimitReached:
        _delete_quietly(saved)
        raise
    except Exception as exc:
        _delete_quietly(saved)
        logger.exception("Customer evidence could not be saved")
        raise ClaimNotSaved(
            "Your photos could not be saved just now. Nothing was sent: try again in a minute."
        ) from exc
    return CustomerEvidenceResult(added=len(fresh), duplicates=len(photos) - len(fresh))


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
    review.record_transition(
        claim=claim,
        action=workflow.Action.EVIDENCE_RECEIVED,
        from_status=claim.status,
        to_status=state.status,
        note="Photos added through the customer's link.",
    )
    claim.status = state.status
    # The clock runs again (if a request paused it).
    review.end_customer_wait(claim, answered=True)
    claim.save(
        update_fields=[
            "status",
            "awaiting_customer_since",
            "customer_wait",
            "response_due_at",
            "updated_at",
        ]
    )


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


def claim_renew_customer_link(*, claim: Claim, result_token: str) -> str:
    """A new customer link (the old one stops working); returns its token."""
    nonce = tokens.new_customer_link_nonce()
    token = tokens.customer_token_for(result_token, nonce)
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(
            customer_link_nonce=nonce,
            customer_token_hash=hash_token(token),
            customer_link_expires_at=timezone.now()
            + timedelta(days=settings.CLAIM_CUSTOMER_LINK_DAYS),
            customer_link_revoked_at=None,
            updated_at=timezone.now(),
        )
    claim.refresh_from_db()
    return token


def claim_revoke_customer_link(*, claim: Claim) -> None:
    """Switch the customer's link off at once."""
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk, customer_link_revoked_at__isnull=True).update(
            customer_link_revoked_at=timezone.now(), updated_at=timezone.now()
        )
    claim.refresh_from_db()


__all__ = [
    "ClaimNotSaved",
    "CustomerEvidenceResult",
    "EvidenceRefused",
    "NoMoreEvidence",
    "PhotoLimitReached",
    "SubmittedClaim",
    "claim_add_customer_evidence",
    "claim_add_customer_uploads",
    "claim_renew_customer_link",
    "claim_revoke_customer_link",
    "claim_submit",
    "missing_required_kinds",
]
