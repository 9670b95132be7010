"""What every review write shares: who may make it, the claim's state as the
workflow sees it, and the line each write adds to the claim's timeline."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from claims import workflow
from claims.models import Claim, ClaimTransition

REVIEW_PERMISSION = "claims.review_claim"

# The timeline's record of an approval without the evidence the path names.
WITHOUT_EVIDENCE = "without_evidence"
WITHOUT_EVIDENCE_REASON = "without_evidence_reason"

# The timeline's record of a reminder mail about a request for evidence (no status move).
EVIDENCE_REMINDER_SENT = ClaimTransition.EVIDENCE_REMINDER_SENT


def claim_state(claim: Claim) -> workflow.ClaimState:
    """The workflow's view of a claim row (one query, for the kinds of its photos)."""
    return workflow.ClaimState.from_claim(
        claim, evidence_kinds=claim.photos.values_list("kind", flat=True).distinct()
    )


def checklist_in_order(state: workflow.ClaimState) -> list[str]:
    """The ticked checklist keys in the checklist's own order, so the stored row
    reads like the guide."""
    return [item.key for item in state.path.checklist if item.key in state.checklist_done]


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


def require_reviewer(user) -> None:
    if not (user is not None and user.is_active and user.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied("Only claim reviewers can work on claims.")
