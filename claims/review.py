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

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import deadlines, workflow
from claims.choices import ClaimStatus
from claims.models import Claim, ClaimTransition, Escalation

__all__ = [
    "DECISION_STATUSES",
    "REVIEW_PERMISSION",
    "WITHOUT_EVIDENCE",
    "WITHOUT_EVIDENCE_REASON",
    "SignalNotFound",
    "claim_apply_action",
    "claim_check_signal",
    "claim_escalate",
    "claim_state",
    "record_transition",
    "response_due_for",
]

REVIEW_PERMISSION = "claims.review_claim"

# The timeline's record of an approval without the evidence the path names.
WITHOUT_EVIDENCE = "without_evidence"
WITHOUT_EVIDENCE_REASON = "without_evidence_reason"

# Reaching one of these for the first time is the claim's decision (time to resolution).
DECISION_STATUSES = frozenset({ClaimStatus.RESOLVED, ClaimStatus.APPROVED, ClaimStatus.DECLINED})


def claim_state(claim: Claim) -> workflow.ClaimState:
    """The workflow's view of a claim row (one query, for the kinds of its photos)."""
    return workflow.ClaimState(
        method=claim.fulfillment_method,
        issue_type=claim.issue_type,
        evidence_kinds=frozenset(claim.photos.values_list("kind", flat=True).distinct()),
        status=claim.status,
        inspection_result=claim.inspection_result or None,
        outcome=claim.outcome or None,
        checklist_done=frozenset(claim.checklist_done or ()),
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
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        before = claim_state(locked)
        after = workflow.transition(before, action, **params)
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
