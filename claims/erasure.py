"""Writes about a claim's personal data: erasure, the customer's request, legal holds.

`claims.retention.decide` says whether a claim is due; this module reads the facts
it needs, erases, and records every step in the claim's timeline;
`claims.erasure_run` applies it to every claim that is due.

Erasing one claim (`claim_erase_personal_data`) is two steps, so that a run
killed at any moment leaves nothing half-done:

1. One transaction, with the claim row locked and the decision taken again under
   the lock: the photo rows are deleted, the personal fields (names, email
   addresses, order number, item, description, customer notes, reviewers' free
   text) are replaced by `ERASED_MARK`, the erasure is recorded in the timeline,
   and one `PendingFileDeletion` row is written for each file to delete.
2. After the commit, the files are deleted from their storage, then their journal
   rows. A run killed here leaves files (or names of files already gone) that a
   journal row names; the next run finishes them first (`erase_pending_files`).

What stays: the reference, path (fulfillment method, destination), issue type,
quantity and severity, status, inspection result, outcome, checklist, every
status move with who and when, escalations' reasons, and every date, so the
dashboard's figures and the audit trail still add up.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import retention
from claims.cleanup import EVIDENCE_FOLDER, walk
from claims.models import (
    Claim,
    ClaimTransition,
    CustomerNote,
    Escalation,
    EvidencePhoto,
    EvidenceRequest,
    PendingFileDeletion,
    PersonalDataAccess,
)
from claims.retention import ERASED_MARK, RetentionDecision, RetentionFacts, Why
from claims.review_trail import WITHOUT_EVIDENCE_REASON, record_transition, require_reviewer

__all__ = [
    "ErasureRefused",
    "claim_confirm_erasure",
    "claim_erase_personal_data",
    "claim_request_erasure",
    "claim_set_legal_hold",
    "claims_with_retention_facts",
    "erase_pending_files",
    "record_access",
    "retention_decision",
    "retention_facts",
    "retention_months",
    "retention_policy",
]

logger = logging.getLogger(__name__)

EVIDENCE_STORAGE = "evidence"
# Fields of the claim replaced by the marker. The rest of the row is the claim's
# record: what kind of claim, on which path, decided how and when.
PERSONAL_FIELDS = ("customer_name", "customer_email", "seller_email", "order_number", "item")
# Free text: may hold anything anyone typed about a person.
FREE_TEXT_FIELDS = ("description",)
# Timeline details that are free text or identify an order.
PERSONAL_PARAMS = (WITHOUT_EVIDENCE_REASON, "order_id")


class ErasureRefused(Exception):
    """The step is not allowed now. `message` is a sentence for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def retention_policy() -> retention.RetentionPolicy:
    return retention.RetentionPolicy(claim_days=settings.CLAIM_RETENTION_DAYS)


def retention_months() -> int:
    """CLAIM_RETENTION_DAYS in whole months, as pages say it (548 days: 18 months)."""
    return max(round(settings.CLAIM_RETENTION_DAYS / 30.44), 1)


def claims_with_retention_facts():
    """Claims annotated with what `retention.decide` needs beyond their own fields.

    `settled_at` is the claim's last review step: the personal-data steps
    (holds, requests, the erasure) are not review steps and never restart the clock.
    """
    # Subqueries rather than a GROUP BY, so the same query can lock the row.
    last_review_step = (
        ClaimTransition.objects.filter(claim=OuterRef("pk"))
        .exclude(action__in=ClaimTransition.PERSONAL_DATA_ACTIONS)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Claim.objects.annotate(
        settled_at=Subquery(last_review_step),
        escalated=Exists(Escalation.objects.filter(claim=OuterRef("pk"))),
    )


def retention_facts(claim: Claim) -> RetentionFacts:
    """What `retention.decide` needs, from a claim of `claims_with_retention_facts()`."""
    return RetentionFacts(
        status=claim.status,
        settled_at=claim.settled_at,
        escalated=claim.escalated,
        legal_hold=claim.legal_hold,
        erasure_confirmed=claim.erasure_confirmed_at is not None,
        erased=claim.personal_data_erased_at is not None,
    )


def retention_decision(claim: Claim, *, now: datetime | None = None) -> RetentionDecision:
    """The decision for one claim (read again with its facts annotated)."""
    annotated = claims_with_retention_facts().get(pk=claim.pk)
    return retention.decide(retention_facts(annotated), retention_policy(), now or timezone.now())


# --- Erasing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasedClaim:
    reference: str
    why: Why
    photos: int
    files: int


def _files_of(claim: Claim, photos: Iterable[EvidencePhoto]) -> set[str]:
    """Every file of the claim: its photos' display copies and thumbnails, and
    anything else under the claim's folder (an original, a copy a crash left)."""
    names = {name for photo in photos for name in (photo.image_name, photo.thumbnail_name)}
    names.update(walk(storages[EVIDENCE_STORAGE], f"{EVIDENCE_FOLDER}/{claim.reference}"))
    return {name for name in names if name}


def _scrub_timeline(claim: Claim) -> None:
    # Queryset updates: these records refuse `save()`, and this is the one change
    # they may take (see ImmutableRecord).
    for transition in claim.transitions.all():
        params = {
            key: (ERASED_MARK if key in PERSONAL_PARAMS and value else value)
            for key, value in transition.params.items()
        }
        note = ERASED_MARK if transition.note else ""
        if params != transition.params or note != transition.note:
            ClaimTransition.objects.filter(pk=transition.pk).update(params=params, note=note)
    if claim.escalated:
        claim.escalations.exclude(note="").update(note=ERASED_MARK)
        claim.escalations.update(order_number=ERASED_MARK)
    CustomerNote.objects.filter(claim=claim).update(text=ERASED_MARK)
    # A reviewer's words to the customer asking for photos: free text about them.
    EvidenceRequest.objects.filter(claim=claim).exclude(note="").update(note=ERASED_MARK)
    # The admin's History names a claim as "reference (order number)".
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim), object_id=str(claim.pk)
    ).update(object_repr=claim.reference)


def claim_erase_personal_data(
    *, claim_id: int, actor=None, now: datetime | None = None, delete_files: bool = True
) -> ErasedClaim | None:
    """Erase one claim's personal data if the retention rules say it is due.

    Returns what was erased, or None when the claim is not due (any more): the
    decision is taken again with the row locked, so a legal hold switched on a
    moment ago, or a claim reopened, wins. With `delete_files=False` the files stay
    in the journal for `erase_pending_files` (the bulk run deletes them in one pass).
    """
    now = now or timezone.now()
    with transaction.atomic():
        claim = (
            claims_with_retention_facts()
            .select_for_update(of=("self",))
            .filter(pk=claim_id)
            .first()
        )
        if claim is None:
            return None
        decision = retention.decide(retention_facts(claim), retention_policy(), now)
        if not decision.erase:
            return None
        photos = list(claim.photos.all())
        names = _files_of(claim, photos)
        PendingFileDeletion.objects.bulk_create(
            [
                PendingFileDeletion(
                    storage=EVIDENCE_STORAGE, name=name, claim_reference=claim.reference
                )
                for name in sorted(names)
            ],
            ignore_conflicts=True,
        )
        EvidencePhoto.objects.filter(claim=claim).delete()
        _scrub_timeline(claim)
        Claim.objects.filter(pk=claim.pk).update(
            **dict.fromkeys(PERSONAL_FIELDS + FREE_TEXT_FIELDS, ERASED_MARK),
            personal_data_erased_at=now,
        )
        kinds = sorted({photo.get_kind_display() for photo in photos}, key=str)
        record_transition(
            claim=claim,
            action=ClaimTransition.ERASED,
            from_status=claim.status,
            to_status=claim.status,
            actor=actor,
            params={
                "why": decision.why,
                "photos": len(photos),
                **({"kinds": ", ".join(str(k) for k in kinds)} if kinds else {}),
            },
        )
        if actor is not None:
            record_access(claim=claim, user=actor, action=PersonalDataAccess.Action.ERASE)
    if delete_files:
        erase_pending_files(claim_reference=claim.reference)
    return ErasedClaim(claim.reference, decision.why, len(photos), len(names))


def erase_pending_files(
    *, claim_reference: str | None = None, after_file: Callable[[str], None] | None = None
) -> int:
    """Delete the files the journal names, then their journal rows.

    Deleting a file that is already gone is not an error (a run killed between
    the two). Returns how many files were deleted. `after_file` is called with
    each name once it is gone (the command's progress and its test hook).
    """
    pending = PendingFileDeletion.objects.order_by("id")
    if claim_reference is not None:
        pending = pending.filter(claim_reference=claim_reference)
    deleted = 0
    # Read first, then delete: no cursor stays open across the deletes. The journal
    # rows go a batch at a time after their files (one commit, not one a file: the
    # commits were most of the run's time); a run killed in a batch leaves rows
    # naming files already gone, which the next run deletes again without error.
    for batch in itertools.batched(pending.values_list("pk", "storage", "name"), 200):
        for _pk, storage, name in batch:
            storages[storage].delete(name)
            deleted += 1
            if after_file is not None:
                after_file(name)
        PendingFileDeletion.objects.filter(pk__in=[pk for pk, _s, _n in batch]).delete()
    return deleted


# --- The customer's request, the reviewer's confirmation, the legal hold -------------


def claim_request_erasure(*, claim: Claim) -> Claim:
    """The customer asks, from their page, for their photos and details to be erased.

    Only once the claim is settled (before that the review needs them); a second
    request changes nothing. A reviewer confirms it in the admin.
    """
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.personal_data_erased_at is not None:
            raise ErasureRefused(_("Your photos and details have already been erased."))
        if locked.status not in retention.SETTLED_STATUSES:
            raise ErasureRefused(
                _(
                    "Your report is still being reviewed, and the review needs your photos "
                    "and details. You can ask once it is decided."
                )
            )
        if locked.erasure_requested_at is None:
            locked.erasure_requested_at = timezone.now()
            locked.save(update_fields=["erasure_requested_at", "updated_at"])
            record_transition(
                claim=locked,
                action=ClaimTransition.ERASURE_REQUESTED,
                from_status=locked.status,
                to_status=locked.status,
            )
    claim.refresh_from_db()
    return claim


def claim_confirm_erasure(*, claim: Claim, user) -> ErasedClaim:
    """A reviewer confirms the customer's request: the data goes now.

    Refused while the claim is on legal hold or escalated and not closed, and
    when the customer did not ask.
    """
    require_reviewer(user)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.personal_data_erased_at is not None:
            raise ErasureRefused(_("This claim's personal data is already erased."))
        if locked.erasure_requested_at is None:
            raise ErasureRefused(_("The customer has not asked for erasure."))
        Claim.objects.filter(pk=locked.pk).update(erasure_confirmed_at=timezone.now())
        decision = retention_decision(locked)
        if not decision.erase:
            raise ErasureRefused(_refusal(decision.why))
        erased = claim_erase_personal_data(claim_id=locked.pk, actor=user, delete_files=False)
    # After the commit: the files go, each with its journal row.
    erase_pending_files(claim_reference=erased.reference)
    claim.refresh_from_db()
    return erased


def _refusal(why: Why) -> str:
    return {
        Why.LEGAL_HOLD: _("This claim is on legal hold: nothing about it can be erased."),
        Why.OPEN: _("This claim is still open: the review needs its data."),
        Why.ESCALATED: _(
            "This claim was escalated to Kingston Express Support and is not closed: "
            "Support may still need its data. Close it first."
        ),
    }.get(why, _("This claim's personal data cannot be erased now."))


def claim_set_legal_hold(*, claim: Claim, user, on: bool, note: str) -> Claim:
    """Switch the legal hold on or off, with the reviewer's reason in the timeline."""
    require_reviewer(user)
    note = note.strip()
    if not note:
        raise ErasureRefused(_("Write why the legal hold is switched on or off."))
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.personal_data_erased_at is not None:
            raise ErasureRefused(_("This claim's personal data is already erased."))
        if locked.legal_hold == on:
            raise ErasureRefused(
                _("The legal hold is already on.") if on else _("There is no legal hold.")
            )
        locked.legal_hold = on
        locked.save(update_fields=["legal_hold", "updated_at"])
        record_transition(
            claim=locked,
            action=ClaimTransition.LEGAL_HOLD_ON if on else ClaimTransition.LEGAL_HOLD_OFF,
            from_status=locked.status,
            to_status=locked.status,
            actor=user,
            note=note,
        )
    claim.refresh_from_db()
    return claim


def record_access(*, claim: Claim, user, action: str, detail: str = "") -> None:
    """Note that a member of staff looked at or took this claim's personal data."""
    PersonalDataAccess.objects.create(claim=claim, user=user, action=action, detail=detail[:100])
