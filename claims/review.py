"""Writes for the claim review: status moves, checklist ticks, escalations.

Kept apart from `claims/services.py` and `claims/customer_evidence.py` (the customer-
and seller-facing writes: submit, evidence, the customer link) because the review is
staff-only, has its own permission and its own audit records; both call
`claims.review_trail.record_transition` so every status move, whoever makes it, lands in one trail.

The rules live in the pure `claims.workflow`; this module loads the claim's state
from its row under a lock, asks the workflow, stores the answer and records it::

    claim_apply_action(claim=claim, action=Action.RESOLVE, user=request.user,
                       note="Support confirmed", outcome=Outcome.REFUND)
    # raises workflow.TransitionRefused with a sentence for staff

An escalation is also an action (`Action.ESCALATE`, with `reason=`); it keeps the
status, writes an `Escalation` row and emails Kingston Express Support on commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import deadlines, workflow
from claims.choices import ClaimStatus
from claims.evidence_requests import (
    CUSTOMER_WAIT_FIELDS,
    claim_request_evidence,
    end_customer_wait,
)
from claims.models import Claim, ClaimTransition, Escalation
from claims.paths import evidence_to_ask_for
from claims.review_trail import (
    WITHOUT_EVIDENCE,
    WITHOUT_EVIDENCE_REASON,
    checklist_in_order,
    claim_state,
    record_transition,
    require_reviewer,
)

__all__ = [
    "DECISION_STATUSES",
    "SignalNotFound",
    "claim_apply_action",
    "claim_check_signal",
    "claim_escalate",
    "response_due_for",
]

# Reaching one of these for the first time is the claim's decision (time to resolution).
DECISION_STATUSES = frozenset({ClaimStatus.RESOLVED, ClaimStatus.APPROVED, ClaimStatus.DECLINED})


def response_due_for(*, submitted_at, is_international: bool):
    """The response date for a claim submitted at `submitted_at`, from the settings."""
    return deadlines.response_due(
        timezone.localtime(submitted_at),
        is_international=is_international,
        days=settings.CLAIM_RESPONSE_DAYS,
        international_days=settings.CLAIM_RESPONSE_DAYS_INTERNATIONAL,
    )


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
    require_reviewer(user)
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
        _refuse_closing_by_hand(claim)
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
        _store_state(locked, after)
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


def _refuse_closing_by_hand(claim: Claim):
    """Refuse "close for no response" from a reviewer: the workflow's own refusal
    if it has one, else the reason it only happens at the request's deadline."""
    action = workflow.Action.CLOSE_NO_RESPONSE
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


def _store_state(locked: Claim, after: workflow.ClaimState) -> None:
    """Save the workflow's answer on the locked row, with the decision time the
    first time the claim is decided."""
    locked.status = after.status
    locked.inspection_result = after.inspection_result or ""
    locked.outcome = after.outcome or ""
    locked.checklist_done = checklist_in_order(after)
    if after.status in DECISION_STATUSES and locked.decided_at is None:
        locked.decided_at = timezone.now()
    locked.save(
        update_fields=[
            "status",
            "inspection_result",
            "outcome",
            "checklist_done",
            "decided_at",
            *CUSTOMER_WAIT_FIELDS,
            "updated_at",
        ]
    )


def claim_escalate(*, claim: Claim, user, reason: str, note: str = "") -> Claim:
    """Record an escalation to Kingston Express Support and email them on commit.

    Allowed in every open state (the workflow refuses it on a closed claim). The email
    carries the order ID and issue type, as the guide asks.
    """
    from claims import tasks

    require_reviewer(user)
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

    require_reviewer(user)
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
