"""Asking the customer for more evidence, and the clock: the claim waits on the
customer with its response date paused, is reminded, and closes as "no
response" at the final deadline (through the task worker, `claims.tasks`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from claims import workflow
from claims.choices import ClaimStatus, EvidenceKind
from claims.models import Claim, EvidenceRequest
from claims.review_trail import (
    EVIDENCE_REMINDER_SENT,
    checklist_in_order,
    claim_state,
    record_transition,
    require_reviewer,
)

__all__ = [
    "claim_request_evidence",
    "end_customer_wait",
    "evidence_request_close",
    "evidence_request_remind",
]


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


# What end_customer_wait changes on the claim: its callers save these with the claim.
CUSTOMER_WAIT_FIELDS = ("awaiting_customer_since", "customer_wait", "response_due_at")


def end_customer_wait(claim: Claim, *, answered: bool, now=None) -> None:
    """Start the claim's clock again (the caller saves the claim, under its lock).

    The time waited on the customer moves the response date on by as much and is
    added to `customer_wait`, so neither the overdue mark nor the dashboard counts
    it against the reviewer. Open requests are marked answered, or ended when the
    claim moved on without the answer.
    """
    now = now or timezone.now()
    if claim.awaiting_customer_since is not None:
        waited = max(now - claim.awaiting_customer_since, timedelta(0))
        claim.customer_wait = (claim.customer_wait or timedelta(0)) + waited
        if claim.response_due_at is not None:
            claim.response_due_at += waited
        claim.awaiting_customer_since = None
    field = "answered_at" if answered else "ended_at"
    claim.evidence_requests.open().update(**{field: now})


def claim_request_evidence(
    *, claim: Claim, user, kinds, note: str = "", now=None
) -> EvidenceRequest:
    """Ask the customer for named evidence; the claim waits on them, its clock paused.

    `kinds` are the EvidenceKind values asked for (at least one); `note` is shown to
    the customer under them. The workflow decides whether evidence can be asked for
    now (`TransitionRefused` otherwise). The customer is emailed at once (their link,
    kept working until the final deadline), reminded after CLAIM_EVIDENCE_REMINDER_DAYS
    and, without an answer, the claim closes as "no response" after
    CLAIM_EVIDENCE_FINAL_DAYS: both through the task worker (`claims.tasks`), each
    step recorded in the timeline.
    """
    from claims import tasks

    require_reviewer(user)
    asked = _kinds_asked(kinds)
    note = (note or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        before = claim_state(locked)
        refusal = _refusal(locked, asked, note)
        if refusal:
            raise workflow.TransitionRefused(
                refusal, state=before, action=workflow.Action.REQUEST_EVIDENCE
            )
        after = workflow.transition(before, workflow.Action.REQUEST_EVIDENCE)
        request = _open_request(locked, after, user=user, asked=asked, note=note, now=now)
        record_transition(
            claim=locked,
            action=workflow.Action.REQUEST_EVIDENCE,
            from_status=before.status,
            to_status=after.status,
            actor=user,
            note=note,
            params={
                "asked_for": "; ".join(request.asked_labels),
                "reminder_on": _day(request.remind_at),
                "closes_without_an_answer_on": _day(request.close_at),
            },
        )
        request_id = request.pk
        transaction.on_commit(lambda: tasks.schedule_evidence_request(request_id=request_id))
    claim.refresh_from_db()
    return request


def _kinds_asked(kinds) -> list[EvidenceKind] | None:
    """The kinds asked for, each once, in the order given; None if one is unknown."""
    asked = []
    for kind in kinds or ():
        try:
            kind = EvidenceKind(kind)
        except ValueError:
            return None
        if kind not in asked:
            asked.append(kind)
    return asked


def _refusal(locked: Claim, asked, note: str) -> str | None:
    """Why this request cannot be sent, before the workflow is asked; None if it can."""
    if not asked:
        return _("Choose what the customer should send; nothing was asked.")
    if len(note) > 1000:
        return _("Keep the note to the customer under 1,000 characters.")
    if locked.customer_link_revoked_at is not None:
        return _(
            "The customer's link is switched off, so they could not send anything. "
            "Ask the seller to give them a new link, then ask again."
        )
    return None


def _open_request(
    locked: Claim, after: workflow.ClaimState, *, user, asked, note: str, now
) -> EvidenceRequest:
    """Create the request and set the locked claim waiting on the customer, its
    link kept working as long as they may answer."""
    request = EvidenceRequest.objects.create(
        claim=locked,
        requested_by=user,
        kinds=[kind.value for kind in asked],
        note=note,
        remind_at=now + timedelta(days=settings.CLAIM_EVIDENCE_REMINDER_DAYS),
        close_at=now + timedelta(days=settings.CLAIM_EVIDENCE_FINAL_DAYS),
    )
    locked.status = after.status
    locked.checklist_done = checklist_in_order(after)
    locked.awaiting_customer_since = now
    locked.customer_link_expires_at = max(
        locked.customer_link_expires_at, request.close_at + timedelta(days=1)
    )
    locked.save(
        update_fields=[
            "status",
            "checklist_done",
            "awaiting_customer_since",
            "customer_link_expires_at",
            "updated_at",
        ]
    )
    return request


def evidence_request_remind(*, request_id: int, now=None) -> bool:
    """Send the reminder of an open request whose reminder is due; True if it was sent.

    Run by the task worker at `remind_at` (and by `manage.py claims_evidence_requests`
    for any it missed); once per request, whoever runs it first.
    """
    from claims import tasks

    now = now or timezone.now()
    with transaction.atomic():
        request = (
            EvidenceRequest.objects.reminder_due(now)
            .select_for_update()
            .select_related("claim")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.claim.status != ClaimStatus.AWAITING_EVIDENCE:
            return False
        request.reminded_at = now
        request.save(update_fields=["reminded_at"])
        status = request.claim.status
        record_transition(
            claim=request.claim,
            action=EVIDENCE_REMINDER_SENT,
            from_status=status,
            to_status=status,
            params={
                "asked_for": "; ".join(request.asked_labels),
                "closes_without_an_answer_on": _day(request.close_at),
            },
        )
        transaction.on_commit(
            lambda: tasks.send_evidence_request.enqueue(request_id=request_id, reminder=True)
        )
    return True


def evidence_request_close(*, request_id: int, now=None) -> bool:
    """Close the claim as "no response" when its open request's final deadline has
    passed without an answer; True if it closed. Run by the task worker at `close_at`
    (and by `manage.py claims_evidence_requests`)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = EvidenceRequest.objects.close_due(now).filter(pk=request_id).first()
        if request is None:
            return False
        locked = Claim.objects.select_for_update().get(pk=request.claim_id)
        request = locked.evidence_requests.close_due(now).filter(pk=request_id).first()
        if request is None:
            return False
        before = claim_state(locked)
        try:
            after = workflow.transition(before, workflow.Action.CLOSE_NO_RESPONSE)
        except workflow.TransitionRefused:
            # The claim moved on some other way: the request has nothing left to close.
            EvidenceRequest.objects.filter(pk=request.pk).update(ended_at=now)
            return False
        EvidenceRequest.objects.filter(pk=request.pk).update(closed_at=now)
        end_customer_wait(locked, answered=False, now=now)
        locked.status = after.status
        locked.save(update_fields=["status", *CUSTOMER_WAIT_FIELDS, "updated_at"])
        record_transition(
            claim=locked,
            action=workflow.Action.CLOSE_NO_RESPONSE,
            from_status=before.status,
            to_status=after.status,
            note=_("No answer from the customer by %(date)s.") % {"date": _day(request.close_at)},
            params={"asked_for": "; ".join(request.asked_labels)},
        )
    return True
