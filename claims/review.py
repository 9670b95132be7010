"""Writes for the claim review: status moves, checklist ticks, escalations.

Kept apart from `claims/services.py` (which holds the customer- and seller-facing
writes: submit, evidence, the customer link) because the review is staff-only, has
its own permission and its own audit records; `services.py` calls `record_transition`
from here so every status move, whoever makes it, lands in one trail.

The rules live in the pure `claims.workflow`; this module loads the claim's state
from its row under a lock, asks the workflow, stores the answer and records it::

    claim_apply_action(claim=claim, action=Action.RESOLVE, user=request.user,
                       note="Support confirmed", outcome=Outcome.REFUND)
    # raises workflow.TransitionRefused with a sentence for staff

An escalation is also an action (`Action.ESCALATE`, with `reason=`); it keeps the
status, writes an `Escalation` row and emails Kingston Express Support on commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from claims import deadlines, workflow
from claims.choices import ClaimStatus, EvidenceKind
from claims.models import Claim, ClaimTransition, Escalation, EvidenceRequest
from claims.paths import evidence_to_ask_for

__all__ = [
    "DECISION_STATUSES",
    "REVIEW_PERMISSION",
    "WITHOUT_EVIDENCE",
    "WITHOUT_EVIDENCE_REASON",
    "EVIDENCE_REMINDER_SENT",
    "SignalNotFound",
    "claim_apply_action",
    "claim_check_signal",
    "claim_escalate",
    "claim_request_evidence",
    "end_customer_wait",
    "evidence_request_close",
    "evidence_request_remind",
    "claim_state",
    "record_transition",
    "response_due_for",
]

REVIEW_PERMISSION = "claims.review_claim"

# The timeline's record of an approval without the evidence the path names.
WITHOUT_EVIDENCE = "without_evidence"
WITHOUT_EVIDENCE_REASON = "without_evidence_reason"

# The timeline's record of a reminder mail about a request for evidence (no status move).
EVIDENCE_REMINDER_SENT = ClaimTransition.EVIDENCE_REMINDER_SENT

# Reaching one of these for the first time is the claim's decision (time to resolution).
DECISION_STATUSES = frozenset({ClaimStatus.RESOLVED, ClaimStatus.APPROVED, ClaimStatus.DECLINED})


def claim_state(claim: Claim) -> workflow.ClaimState:
    """The workflow's view of a claim row (one query, for the kinds of its photos)."""
    return workflow.ClaimState.from_claim(
        claim, evidence_kinds=claim.photos.values_list("kind", flat=True).distinct()
    )


def response_due_for(*, submitted_at, is_international: bool):
    """The response date for a claim submitted at `submitted_at`, from the settings."""
    return deadlines.response_due(
        timezone.localtime(submitted_at),
        is_international=is_international,
        days=settings.CLAIM_RESPONSE_DAYS,
        international_days=settings.CLAIM_RESPONSE_DAYS_INTERNATIONAL,
    )


def record_transition(
    *,
    claim: Claim,
    action: str,
    from_status: str,
    to_status: str,
    actor=None,
    note: str = "",
    params: dict | None = None,
) -> ClaimTransition:
    """Write one line of the claim's audit trail. Call it inside the write's transaction."""
    return ClaimTransition.objects.create(
        claim=claim,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=str(action),
        from_status=str(from_status),
        to_status=str(to_status),
        note=note.strip(),
        params={key: str(value) for key, value in (params or {}).items()},
    )


def _require_reviewer(user) -> None:
    if not (user is not None and user.is_active and user.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied("Only claim reviewers can work on claims.")


def claim_apply_action(
    *, claim: Claim, action: workflow.Action | str, user, note: str = "", **params
) -> Claim:
    """Apply a reviewer's action to the claim, or raise `workflow.TransitionRefused`.

    The claim row is locked while the state is read and written, so two reviewers
    clicking at once cannot both move it from the same status. Returns the claim as
    stored afterwards (the caller's object is refreshed too).

    An approval made without the evidence its review path names (only with the
    reviewer's `without_evidence_reason=`) records what was missing and the reason in
    the timeline, where the packet and the dashboard ("approved without photos") read it.
    """
    _require_reviewer(user)
    action = workflow.Action(action)
    if action == workflow.Action.ESCALATE:
        return claim_escalate(claim=claim, user=user, note=note, **params)
    if action == workflow.Action.REQUEST_EVIDENCE:
        if "kinds" not in params:
            # Called without naming anything (not the admin's form, which always names):
            # ask for what the review path still misses.
            state = claim_state(claim)
            params["kinds"] = evidence_to_ask_for(state.path, state.evidence_kinds)
        return claim_request_evidence(claim=claim, user=user, note=note, **params)
    if action == workflow.Action.CLOSE_NO_RESPONSE:
        state = claim_state(claim)
        workflow.transition(state, action)  # refused as the workflow says, if it does
        raise workflow.TransitionRefused(
            _(
                "A claim closes for no response by itself, at the final deadline of its "
                "request for evidence; nothing was recorded."
            ),
            state=state,
            action=action,
        )
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        before = claim_state(locked)
        after = workflow.transition(before, action, **params)
        if before.status == ClaimStatus.AWAITING_EVIDENCE and after.status != before.status:
            end_customer_wait(locked, answered=action == workflow.Action.EVIDENCE_RECEIVED)
        reason = str(params.pop("without_evidence_reason", "") or "").strip()
        if action in workflow.SELLER_SIDE_ACTIONS and before.evidence_missing:
            params[WITHOUT_EVIDENCE] = "; ".join(str(n.label) for n in before.evidence_missing)
            params[WITHOUT_EVIDENCE_REASON] = reason
        locked.status = after.status
        locked.inspection_result = after.inspection_result or ""
        locked.outcome = after.outcome or ""
        # Stored in the checklist's own order, so the row reads like the guide.
        locked.checklist_done = [
            item.key for item in after.path.checklist if item.key in after.checklist_done
        ]
        if after.status in DECISION_STATUSES and locked.decided_at is None:
            locked.decided_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "inspection_result",
                "outcome",
                "checklist_done",
                "decided_at",
                "awaiting_customer_since",
                "customer_wait",
                "response_due_at",
                "updated_at",
            ]
        )
        record_transition(
            claim=locked,
            action=action,
            from_status=before.status,
            to_status=after.status,
            actor=user,
            note=note,
            params=params,
        )
    claim.refresh_from_db()
    return claim


def claim_escalate(*, claim: Claim, user, reason: str, note: str = "") -> Claim:
    """Record an escalation to Kingston Express Support and email them on commit.

    Allowed in every open state (the workflow refuses it on a closed claim). The email
    carries the order ID and issue type, as the guide asks.
    """
    from claims import tasks

    _require_reviewer(user)
    reason = Escalation.Reason(reason)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        state = claim_state(locked)
        workflow.transition(state, workflow.Action.ESCALATE)
        escalation = Escalation.objects.create(
            claim=locked,
            raised_by=user,
            reason=reason,
            note=note.strip(),
            order_number=locked.order_number,
            issue_type=locked.issue_type,
            sent_to=settings.KINGSTON_EXPRESS_SUPPORT_EMAIL,
        )
        record_transition(
            claim=locked,
            action=workflow.Action.ESCALATE,
            from_status=state.status,
            to_status=state.status,
            actor=user,
            note=note,
            params={
                "reason": reason,
                "order_id": locked.order_number,
                "issue_type": locked.issue_type,
            },
        )
        Claim.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        escalation_id = escalation.pk
        transaction.on_commit(
            lambda: tasks.send_support_escalation.enqueue(escalation_id=escalation_id)
        )
    claim.refresh_from_db()
    return claim


class SignalNotFound(Exception):
    """The signal is not (or no longer) shown on the claim; `message` is for staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def claim_check_signal(*, claim: Claim, signal_key: str, user, note: str = "") -> Claim:
    """Record in the timeline that a reviewer checked one of the claim's signals.

    A signal decides nothing, so checking it changes no status: it records who
    looked, when, at what, and their note (what they found). The key must be one
    of the signals the claim shows now, not yet checked; otherwise `SignalNotFound`
    says why and nothing is recorded.
    """
    from claims.selectors import signals_for

    _require_reviewer(user)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        signal = next((s for s in signals_for(locked) if s.key == signal_key), None)
        if signal is None:
            raise SignalNotFound(
                _("That signal is no longer shown on this claim, so nothing was recorded.")
            )
        if signal.checked is not None:
            raise SignalNotFound(
                _("%(who)s already checked that signal; nothing more was recorded.")
                % {"who": signal.checked.by or _("A reviewer")}
            )
        record_transition(
            claim=locked,
            action=ClaimTransition.SIGNAL_CHECKED,
            from_status=locked.status,
            to_status=locked.status,
            actor=user,
            note=note,
            params={"signal": signal.title, "signal_key": signal.key},
        )
        Claim.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    claim.refresh_from_db()
    return claim


# --- Asking the customer for more, and the clock -------------------------------------


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


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

    _require_reviewer(user)
    asked = []
    for kind in kinds or ():
        try:
            kind = EvidenceKind(kind)
        except ValueError:
            asked = None
            break
        if kind not in asked:
            asked.append(kind)
    note = (note or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        before = claim_state(locked)

        def refuse(message):
            return workflow.TransitionRefused(
                message, state=before, action=workflow.Action.REQUEST_EVIDENCE
            )

        if not asked:
            raise refuse(_("Choose what the customer should send; nothing was asked."))
        if len(note) > 1000:
            raise refuse(_("Keep the note to the customer under 1,000 characters."))
        if locked.customer_link_revoked_at is not None:
            raise refuse(
                _(
                    "The customer's link is switched off, so they could not send anything. "
                    "Ask the seller to give them a new link, then ask again."
                )
            )
        after = workflow.transition(before, workflow.Action.REQUEST_EVIDENCE)
        request = EvidenceRequest.objects.create(
            claim=locked,
            requested_by=user,
            kinds=[kind.value for kind in asked],
            note=note,
            remind_at=now + timedelta(days=settings.CLAIM_EVIDENCE_REMINDER_DAYS),
            close_at=now + timedelta(days=settings.CLAIM_EVIDENCE_FINAL_DAYS),
        )
        locked.status = after.status
        locked.checklist_done = [
            item.key for item in after.path.checklist if item.key in after.checklist_done
        ]
        locked.awaiting_customer_since = now
        # The link must work as long as the customer may answer.
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
        locked.save(
            update_fields=[
                "status",
                "awaiting_customer_since",
                "customer_wait",
                "response_due_at",
                "updated_at",
            ]
        )
        record_transition(
            claim=locked,
            action=workflow.Action.CLOSE_NO_RESPONSE,
            from_status=before.status,
            to_status=after.status,
            note=_("No answer from the customer by %(date)s.") % {"date": _day(request.close_at)},
            params={"asked_for": "; ".join(request.asked_labels)},
        )
    return True
