"""Writes with side effects for claims: the seller's submit and the customer link.

The customer's evidence (photos and a note through their link) is written by
`claims/customer_evidence.py`.

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

from claims import review, review_trail, tasks, tokens, workflow
from claims.answers import ClaimAnswers
from claims.drafts import DraftPhoto, draft_delete, draft_storage
from claims.links import customer_url, result_url
from claims.models import Claim, ClaimTransition, EvidencePhoto, hash_token
from claims.photo_metadata import photo_row_facts
from claims.storage import ClaimNotSaved, delete_evidence_quietly, store_evidence_photo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmittedClaim:
    claim: Claim
    result_token: str
    customer_token: str
    created: bool


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
        delete_evidence_quietly(saved)
        # Another request with the same form won the race: that claim is ours.
        existing = Claim.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return _submitted(existing, result_token, created=False)
        logger.exception("Claim could not be saved")
        raise ClaimNotSaved(
            "Your claim could not be saved just now. Your answers are kept: try again."
        ) from None
    except Exception as exc:
        delete_evidence_quietly(saved)
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
    review_trail.record_transition(
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
        image_name, thumbnail_name = store_evidence_photo(
            claim_key=claim.reference, display=display, thumbnail=thumbnail, saved=saved
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
    "SubmittedClaim",
    "claim_renew_customer_link",
    "claim_revoke_customer_link",
    "claim_submit",
]
