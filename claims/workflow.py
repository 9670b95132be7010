"""The claim state machine, one per fulfillment method. Pure: no ORM, no request.

The guide's final rule is enforced here, so it holds whatever screen calls it:
"No inspection, no refund. No review, no replacement."

The transitions (status --action--> status). "Checklist" means every item of the
claim's review path (`checklist_for(method, issue_type)`, from `claims.paths`: a
missing item is checked against the packing records, a damaged one by inspection or
photos) ticked with COMPLETE_CHECK while under inspection or review.

Dispatched by Kingston Express (reviewed centrally)::

    submitted          --start inspection-->           under inspection
    submitted          --request evidence-->           awaiting evidence
    awaiting evidence  --evidence received-->          under inspection
    awaiting evidence  --start inspection-->           under inspection
    under inspection   --record inspection result-->   inspected   (checklist first)
    inspected          --resolve (per policy)-->       resolved
    inspected/unclear  --record inspection result-->   inspected   (Support's answer)
    resolved           --close-->                      closed

Seller-managed (the seller's review)::

    submitted          --request evidence-->           awaiting evidence
    submitted          --start review-->               under review  (photos attached)
    awaiting evidence  --evidence received-->          under review
    under review       --request evidence-->           awaiting evidence
    under review       --approve return/replacement/refund-->  approved (checklist first;
                          only the path's approvals; the path's evidence, or a reason)
    under review       --decline-->                    declined      (checklist first)
    approved, declined --close-->                      closed

Both paths: "withdraw" closes a submitted or awaiting-evidence claim; "close: no
response" closes an awaiting-evidence claim (the task worker, at the final deadline of
a request for evidence: `claims.tasks`); "escalate" keeps the status in every open
state; closed allows nothing.

Decisions taken here, with the reason:

- A claim starts in "awaiting evidence" when the seller left the photos to the customer
  (`initial_state(method, awaiting_evidence=True)`). On a Kingston Express order the
  photos help but the inspection does not wait for them (packing logs, weight and SKU
  records are Kingston Express's own), so from "awaiting evidence" both "evidence
  received" and "start inspection" lead to "under inspection". On a seller-managed
  order the review *is* looking at the photos, so only "evidence received" starts it.
- Kingston Express resolution per policy follows the inspection result: confirmed →
  replacement or refund; not confirmed → no action only (nothing was found to put
  right); unclear → no resolution at all yet: escalate to Kingston Express Support
  (recommended) and record the result they confirm with "record inspection result".
- On a Kingston Express order the seller-side actions the guide forbids (approve a
  refund, ship a replacement, ask for a return) are refused from every state, with the
  guide's own words as the reason.
- A seller-managed approval offers only its path's outcomes (a missing item has
  nothing to return) and needs the evidence its path names (`claims.paths`), or the
  reviewer's written reason for going without it (`without_evidence_reason=`): the
  guide's first common mistake is refunding before review, and an approval on no
  evidence is that mistake with the boxes ticked. Refused for that alone, an approval
  raises `EvidenceMissing` and is still listed by `allowed_actions`.
- Declining a seller-managed claim also needs the review complete: refusing without
  looking is the guide's "accusing customers".
- "Withdraw" closes a claim that was never worked (raised in error, or the customer
  withdrew it); it records no outcome, so it can never carry a refund.
- "Escalate to Kingston Express Support" is allowed in every open state on both paths
  (the guide: an unclear inspection, a claim that appears incorrect, a customer
  escalating aggressively). It changes no status; the caller records it in the
  timeline with the order ID and issue type.

Interface for the admin (the one place that changes a claim's status)::

    state = ClaimState.from_claim(claim, evidence_kinds=kinds of the claim's photos)
    allowed_actions(state)             # buttons to show, in a sensible order
    parameter_choices(state, action)   # e.g. the outcomes a "resolve" may take
    new = transition(state, Action.RESOLVE, outcome=Outcome.REFUND)
    # raises TransitionRefused; show `exc.message` to staff as it is.

`transition()` takes keyword parameters: `item=` (a checklist key) for
`Action.COMPLETE_CHECK`, `result=` (InspectionResult) for
`Action.RECORD_INSPECTION_RESULT`, `outcome=` (Outcome) for `Action.RESOLVE`, and
optionally `without_evidence_reason=` (text) for the seller-managed approvals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import ClaimStatus, FulfillmentMethod, InspectionResult, IssueType, Outcome
from .paths import ChecklistItem, EvidenceNeed, ReviewPath, missing_evidence, review_path

__all__ = [
    "FINAL_RULE",
    "KINGSTON_EXPRESS_FORBIDDEN",
    "SELLER_SIDE_ACTIONS",
    "Action",
    "ChecklistItem",
    "ClaimState",
    "EvidenceMissing",
    "TransitionRefused",
    "allowed_actions",
    "checklist_for",
    "initial_state",
    "parameter_choices",
    "recommended_action",
    "statuses_for",
    "transition",
]

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
S = ClaimStatus

FINAL_RULE = "No inspection, no refund. No review, no replacement."


class Action(models.TextChoices):
    """Every named step a reviewer can take. Which one is allowed when is `transition()`."""

    START_INSPECTION = "start_inspection", gettext_lazy("Start inspection")
    COMPLETE_CHECK = "complete_check", gettext_lazy("Tick a checklist item")
    RECORD_INSPECTION_RESULT = "record_inspection_result", gettext_lazy("Record inspection result")
    RESOLVE = "resolve", gettext_lazy("Resolve per policy")
    REQUEST_EVIDENCE = "request_evidence", gettext_lazy("Ask the customer for photos")
    EVIDENCE_RECEIVED = "evidence_received", gettext_lazy("Evidence received")
    START_REVIEW = "start_review", gettext_lazy("Start review")
    APPROVE_RETURN = "approve_return", gettext_lazy("Approve a return")
    APPROVE_REPLACEMENT = "approve_replacement", gettext_lazy("Approve a replacement")
    APPROVE_REFUND = "approve_refund", gettext_lazy("Approve a refund")
    DECLINE = "decline", gettext_lazy("Decline")
    CLOSE = "close", gettext_lazy("Close")
    WITHDRAW = "withdraw", gettext_lazy("Withdraw (close without a decision)")
    # Not a reviewer's button: the task worker takes it at a request's final deadline.
    CLOSE_NO_RESPONSE = "close_no_response", gettext_lazy("Closed: no response from the customer")
    ESCALATE = "escalate", gettext_lazy("Escalate to Kingston Express Support")


# The seller-side decisions. They exist only on seller-managed orders.
SELLER_SIDE_ACTIONS: frozenset[Action] = frozenset(
    {Action.APPROVE_RETURN, Action.APPROVE_REPLACEMENT, Action.APPROVE_REFUND}
)

_APPROVAL_OUTCOME = {
    Action.APPROVE_RETURN: Outcome.RETURN,
    Action.APPROVE_REPLACEMENT: Outcome.REPLACEMENT,
    Action.APPROVE_REFUND: Outcome.REFUND,
}

# The guide's "What Sellers Should NOT Do" for dispatchment orders, quoted.
KINGSTON_EXPRESS_FORBIDDEN: dict[Action, str] = {
    Action.APPROVE_REFUND: "Do not refund immediately",
    Action.APPROVE_REPLACEMENT: "Do not ship replacements yourself",
    Action.APPROVE_RETURN: "Do not ask customers to return items to you",
}


class TransitionRefused(Exception):
    """The action is not allowed now. `message` is a sentence to show staff as it is."""

    def __init__(self, message: str, *, state: ClaimState, action: Action) -> None:
        super().__init__(message)
        self.message = message
        self.state = state
        self.action = action


class EvidenceMissing(TransitionRefused):
    """An approval without the evidence its path names and without a written reason.

    The approval itself is allowed (`allowed_actions` lists it): it goes through once
    the reviewer writes why they approve without the evidence (`without_evidence_reason=`).
    """

    def __init__(self, message: str, *, state: ClaimState, action: Action, missing) -> None:
        super().__init__(message, state=state, action=action)
        self.missing = missing


# The statuses each path passes through, in order; the others never apply to it.
_STATUSES: dict[FulfillmentMethod, tuple[ClaimStatus, ...]] = {
    KX: (S.SUBMITTED, S.AWAITING_EVIDENCE, S.UNDER_INSPECTION, S.INSPECTED, S.RESOLVED, S.CLOSED),
    SM: (S.SUBMITTED, S.AWAITING_EVIDENCE, S.UNDER_REVIEW, S.APPROVED, S.DECLINED, S.CLOSED),
}

_OPEN_BEFORE_CHECKS = (S.SUBMITTED, S.AWAITING_EVIDENCE)


def checklist_for(method: FulfillmentMethod, issue_type: IssueType) -> tuple[ChecklistItem, ...]:
    """The inspection (Kingston Express) or review (seller-managed) checklist of the
    claim's review path: a missing item is not checked the way a damaged one is."""
    return review_path(method, issue_type).checklist


def statuses_for(method: FulfillmentMethod) -> tuple[ClaimStatus, ...]:
    """The statuses a claim on this path can be in, in the order it passes them."""
    return _STATUSES[FulfillmentMethod(method)]


@dataclass(frozen=True, slots=True)
class ClaimState:
    """Everything the rules look at. Build it from a claim; store what `transition` returns."""

    method: FulfillmentMethod
    # The issue type picks the review path: its checklist and its decisions.
    issue_type: IssueType
    status: ClaimStatus = ClaimStatus.SUBMITTED
    inspection_result: InspectionResult | None = None
    outcome: Outcome | None = None
    checklist_done: frozenset[str] = field(default_factory=frozenset)
    # What the claim's photos show (EvidenceKind values): an approval needs the
    # evidence its path names, or a written reason.
    evidence_kinds: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_claim(cls, claim, *, evidence_kinds: Iterable[str] = ()) -> ClaimState:
        """The state of a stored claim. Reads the claim's own fields only: the kinds
        of its photos are a query, so the caller passes them when an approval may
        need them (`claims.review_trail.claim_state` does)."""
        return cls(
            method=claim.fulfillment_method,
            issue_type=claim.issue_type,
            status=claim.status,
            inspection_result=claim.inspection_result or None,
            outcome=claim.outcome or None,
            checklist_done=frozenset(claim.checklist_done or ()),
            evidence_kinds=frozenset(evidence_kinds),
        )

    def __post_init__(self) -> None:
        # Normalise plain strings from the database into the enums, so comparisons hold.
        object.__setattr__(self, "method", FulfillmentMethod(self.method))
        object.__setattr__(self, "issue_type", IssueType(self.issue_type))
        object.__setattr__(self, "evidence_kinds", frozenset(self.evidence_kinds))
        object.__setattr__(self, "status", ClaimStatus(self.status))
        if self.inspection_result:
            object.__setattr__(self, "inspection_result", InspectionResult(self.inspection_result))
        else:
            object.__setattr__(self, "inspection_result", None)
        object.__setattr__(self, "outcome", Outcome(self.outcome) if self.outcome else None)
        object.__setattr__(self, "checklist_done", frozenset(self.checklist_done))

    @property
    def path(self) -> ReviewPath:
        return review_path(self.method, self.issue_type)

    @property
    def checklist_complete(self) -> bool:
        return all(item.key in self.checklist_done for item in self.path.checklist)

    @property
    def checklist_remaining(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.path.checklist if i.key not in self.checklist_done)

    @property
    def evidence_missing(self) -> tuple[EvidenceNeed, ...]:
        """What an approval on this path needs that no photo shows yet."""
        return missing_evidence(self.path, self.evidence_kinds)


def initial_state(
    method: FulfillmentMethod, issue_type: IssueType, *, awaiting_evidence: bool = False
) -> ClaimState:
    """Where a new claim starts: waiting for the customer's photos, or submitted."""
    status = ClaimStatus.AWAITING_EVIDENCE if awaiting_evidence else ClaimStatus.SUBMITTED
    return ClaimState(method=method, issue_type=issue_type, status=status)


class _Check(StrEnum):
    """Which of the two stages the method calls its check, for messages."""

    INSPECTION = "inspection"
    REVIEW = "review"


def _stage(method: FulfillmentMethod) -> _Check:
    return _Check.INSPECTION if method.is_kingston_express else _Check.REVIEW


def _refuse(state: ClaimState, action: Action, message: str) -> TransitionRefused:
    return TransitionRefused(message, state=state, action=action)


def _too_early_message(method: FulfillmentMethod, outcome: Outcome | None) -> str:
    """The final rule, said for the outcome that was attempted."""
    if method.is_kingston_express:
        if outcome == Outcome.REFUND:
            return _(
                "A refund cannot be recorded before the inspection is complete. "
                "No inspection, no refund."
            )
        if outcome == Outcome.REPLACEMENT:
            return _(
                "A replacement cannot be recorded before the inspection is complete. "
                "No inspection, no refund. No review, no replacement."
            )
        return _(
            "A claim can only be resolved once the inspection is complete and its result "
            "is recorded."
        )
    if outcome == Outcome.REFUND:
        return _(
            "A refund cannot be recorded before the review is complete. "
            "Refunding before review is a mistake the guide warns about."
        )
    if outcome == Outcome.REPLACEMENT:
        return _(
            "A replacement cannot be recorded before the review is complete. "
            "No review, no replacement."
        )
    if outcome == Outcome.RETURN:
        return _("A return cannot be approved before the review is complete.")
    return _("A claim cannot be declined before the review is complete.")


def _checklist_missing_message(state: ClaimState) -> str:
    remaining = "; ".join(str(item.label) for item in state.checklist_remaining)
    return _("The {stage} is not complete yet. Still to do: {remaining}.").format(
        stage=_stage(state.method).value, remaining=remaining
    )


def _wrong_path_message(state: ClaimState) -> str:
    return _("A {method} claim is never “{status}”; this status does not apply to it.").format(
        method=state.method.label, status=state.status.label
    )


def transition(state: ClaimState, action: Action, **params: object) -> ClaimState:
    """Apply `action` to `state` and return the new state, or raise `TransitionRefused`.

    Parameters: `item` for COMPLETE_CHECK, `result` for RECORD_INSPECTION_RESULT,
    `outcome` for RESOLVE. Unknown parameters are refused rather than ignored, so a typo
    in the admin cannot silently drop a decision.
    """
    action = Action(action)
    expected = {
        Action.COMPLETE_CHECK: {"item"},
        Action.RECORD_INSPECTION_RESULT: {"result"},
        Action.RESOLVE: {"outcome"},
        **{approval: {"without_evidence_reason"} for approval in SELLER_SIDE_ACTIONS},
    }.get(action, set())
    unexpected = set(params) - expected
    if unexpected:
        raise TypeError(f"{action.value} takes no parameter(s) {sorted(unexpected)}")

    method, status = state.method, state.status

    if method.is_kingston_express and action in KINGSTON_EXPRESS_FORBIDDEN:
        raise _refuse(
            state,
            action,
            _(
                "This order was dispatched by Kingston Express, so the seller does not "
                "decide this: the guide says “{rule}”. Kingston Express inspects the "
                "order and applies the resolution per policy."
            ).format(rule=KINGSTON_EXPRESS_FORBIDDEN[action]),
        )

    # Checked after the forbidden actions so those always get the guide's reason.
    if status == S.CLOSED:
        raise _refuse(state, action, _("This claim is closed; nothing more can be recorded."))
    if status not in statuses_for(method):
        raise _refuse(state, action, _wrong_path_message(state))

    if action == Action.ESCALATE:
        # Recorded in the timeline by the caller; the claim stays where it is.
        return state

    if method.is_kingston_express:
        return _kingston_express(state, action, params)
    return _seller_managed(state, action, params)


def _complete_check(state: ClaimState, action: Action, params: dict[str, object]) -> ClaimState:
    item = params.get("item")
    keys = {i.key for i in state.path.checklist}
    if item not in keys:
        raise _refuse(
            state,
            action,
            _("“{item}” is not on the {stage} checklist.").format(
                item=item, stage=_stage(state.method).value
            ),
        )
    if item in state.checklist_done:
        raise _refuse(state, action, _("This checklist item is already ticked."))
    return replace(state, checklist_done=state.checklist_done | {item})


def _kingston_express(state: ClaimState, action: Action, params: dict[str, object]) -> ClaimState:
    status = state.status
    match action:
        case Action.REQUEST_EVIDENCE:
            if status == S.SUBMITTED:
                return replace(state, status=S.AWAITING_EVIDENCE)
            if status == S.AWAITING_EVIDENCE:
                raise _refuse(state, action, _("The customer has already been asked for photos."))
            raise _refuse(
                state,
                action,
                _("Photos can only be requested before the inspection starts."),
            )
        case Action.EVIDENCE_RECEIVED:
            if status == S.AWAITING_EVIDENCE:
                return replace(state, status=S.UNDER_INSPECTION)
            raise _refuse(state, action, _("This claim is not waiting for evidence."))
        case Action.START_INSPECTION:
            if status in _OPEN_BEFORE_CHECKS:
                return replace(state, status=S.UNDER_INSPECTION)
            raise _refuse(state, action, _("The inspection has already started."))
        case Action.COMPLETE_CHECK:
            if status == S.UNDER_INSPECTION:
                return _complete_check(state, action, params)
            raise _refuse(
                state, action, _("Checklist items are ticked while the claim is under inspection.")
            )
        case Action.RECORD_INSPECTION_RESULT:
            return _record_inspection_result(state, action, params)
        case Action.RESOLVE:
            return _resolve(state, action, params)
        case Action.CLOSE:
            if status == S.RESOLVED:
                return replace(state, status=S.CLOSED)
            raise _refuse(
                state, action, _("A claim can only be closed once it is resolved per policy.")
            )
        case Action.CLOSE_NO_RESPONSE:
            if status == S.AWAITING_EVIDENCE:
                return replace(state, status=S.CLOSED)
            raise _refuse(
                state,
                action,
                _("Only a claim waiting for the customer's evidence closes for no response."),
            )
        case Action.WITHDRAW:
            if status in _OPEN_BEFORE_CHECKS:
                return replace(state, status=S.CLOSED)
            raise _refuse(
                state,
                action,
                _(
                    "Once the inspection has started, the claim is resolved per policy "
                    "rather than withdrawn."
                ),
            )
        case Action.START_REVIEW | Action.DECLINE:
            raise _refuse(
                state,
                action,
                _(
                    "Orders dispatched by Kingston Express are reviewed centrally by "
                    "inspection, not by the seller: use the inspection steps."
                ),
            )
    raise AssertionError(f"unhandled action {action!r}")  # pragma: no cover


def _record_inspection_result(
    state: ClaimState, action: Action, params: dict[str, object]
) -> ClaimState:
    status = state.status
    unclear_follow_up = (
        status == S.INSPECTED and state.inspection_result == InspectionResult.UNCLEAR
    )
    if status != S.UNDER_INSPECTION and not unclear_follow_up:
        if status in _OPEN_BEFORE_CHECKS:
            raise _refuse(state, action, _("Start the inspection before recording its result."))
        raise _refuse(state, action, _("The inspection result is already recorded."))
    if not state.checklist_complete:
        raise _refuse(state, action, _checklist_missing_message(state))
    raw = params.get("result")
    try:
        result = InspectionResult(raw)
    except ValueError:
        raise _refuse(
            state, action, _("Choose the inspection result: confirmed, not confirmed or unclear.")
        ) from None
    return replace(state, status=S.INSPECTED, inspection_result=result)


def _resolve(state: ClaimState, action: Action, params: dict[str, object]) -> ClaimState:
    raw = params.get("outcome")
    try:
        outcome = Outcome(raw) if raw else None
    except ValueError:
        outcome = None
    if state.status in (*_OPEN_BEFORE_CHECKS, S.UNDER_INSPECTION):
        raise _refuse(state, action, _too_early_message(state.method, outcome))
    if state.status == S.RESOLVED:
        raise _refuse(state, action, _("This claim is already resolved."))
    # status is INSPECTED from here on.
    result = state.inspection_result
    if result == InspectionResult.UNCLEAR:
        raise _refuse(
            state,
            action,
            _(
                "The inspection result is unclear, so it cannot be resolved yet. Contact "
                "Kingston Express Support (include the order ID and issue type), then "
                "record the result they confirm."
            ),
        )
    allowed = _kx_outcomes(result)
    if outcome is None:
        raise _refuse(state, action, _("Choose how the claim is resolved."))
    if outcome not in allowed:
        if result == InspectionResult.NOT_CONFIRMED:
            message = _(
                "The inspection did not confirm the issue, so the only resolution per "
                "policy is no action."
            )
        elif outcome == Outcome.RETURN:
            message = _(
                "Returns on Kingston Express orders go through Kingston Express's return "
                "inspection; the guide says “Do not ask customers to return items to you”."
            )
        else:
            message = _(
                "The inspection confirmed the issue: resolve it with a replacement or a refund."
            )
        raise _refuse(state, action, message)
    return replace(state, status=S.RESOLVED, outcome=outcome)


def _kx_outcomes(result: InspectionResult | None) -> tuple[Outcome, ...]:
    if result == InspectionResult.CONFIRMED:
        return (Outcome.REPLACEMENT, Outcome.REFUND)
    if result == InspectionResult.NOT_CONFIRMED:
        return (Outcome.NO_ACTION,)
    return ()


def _seller_managed(state: ClaimState, action: Action, params: dict[str, object]) -> ClaimState:
    status = state.status
    match action:
        case Action.REQUEST_EVIDENCE:
            if status == S.SUBMITTED:
                return replace(state, status=S.AWAITING_EVIDENCE)
            if status == S.UNDER_REVIEW:
                # New photos have to be looked at again.
                return replace(
                    state,
                    status=S.AWAITING_EVIDENCE,
                    checklist_done=state.checklist_done - {"photos_checked"},
                )
            if status == S.AWAITING_EVIDENCE:
                raise _refuse(state, action, _("The customer has already been asked for photos."))
            raise _refuse(
                state, action, _("A decision is recorded, so photos can no longer be requested.")
            )
        case Action.EVIDENCE_RECEIVED:
            if status == S.AWAITING_EVIDENCE:
                return replace(state, status=S.UNDER_REVIEW)
            raise _refuse(state, action, _("This claim is not waiting for evidence."))
        case Action.START_REVIEW:
            if status == S.SUBMITTED:
                return replace(state, status=S.UNDER_REVIEW)
            if status == S.AWAITING_EVIDENCE:
                raise _refuse(
                    state,
                    action,
                    _(
                        "The review starts when the customer's photos arrive: record "
                        "“Evidence received” then."
                    ),
                )
            raise _refuse(state, action, _("The review has already started."))
        case Action.COMPLETE_CHECK:
            if status == S.UNDER_REVIEW:
                return _complete_check(state, action, params)
            raise _refuse(
                state, action, _("Checklist items are ticked while the claim is under review.")
            )
        case Action.APPROVE_RETURN | Action.APPROVE_REPLACEMENT | Action.APPROVE_REFUND:
            return _decide(
                state,
                action,
                _APPROVAL_OUTCOME[action],
                without_evidence_reason=str(params.get("without_evidence_reason") or ""),
            )
        case Action.DECLINE:
            return _decide(state, action, None)
        case Action.CLOSE:
            if status in (S.APPROVED, S.DECLINED):
                return replace(state, status=S.CLOSED)
            raise _refuse(
                state, action, _("A claim can only be closed once it is approved or declined.")
            )
        case Action.CLOSE_NO_RESPONSE:
            if status == S.AWAITING_EVIDENCE:
                return replace(state, status=S.CLOSED)
            raise _refuse(
                state,
                action,
                _("Only a claim waiting for the customer's evidence closes for no response."),
            )
        case Action.WITHDRAW:
            if status in _OPEN_BEFORE_CHECKS:
                return replace(state, status=S.CLOSED)
            raise _refuse(
                state,
                action,
                _("Once the review has started the claim is approved or declined, not withdrawn."),
            )
        case Action.START_INSPECTION | Action.RECORD_INSPECTION_RESULT | Action.RESOLVE:
            raise _refuse(
                state,
                action,
                _(
                    "Seller-managed orders are decided by the seller's review, not by a "
                    "Kingston Express inspection: use the review steps."
                ),
            )
    raise AssertionError(f"unhandled action {action!r}")  # pragma: no cover


def _decide(
    state: ClaimState,
    action: Action,
    outcome: Outcome | None,
    *,
    without_evidence_reason: str = "",
) -> ClaimState:
    status = state.status
    if outcome is not None and outcome not in state.path.approvals:
        # Refused first, whatever the status: this path never offers it.
        raise _refuse(
            state,
            action,
            _(
                "Nothing arrived to send back on a missing item or partial order, so a "
                "return cannot be approved: approve a replacement or a refund after review."
            ),
        )
    if status in _OPEN_BEFORE_CHECKS or (status == S.UNDER_REVIEW and not state.checklist_complete):
        message = _too_early_message(state.method, outcome)
        if status == S.UNDER_REVIEW:
            message = f"{message} {_checklist_missing_message(state)}"
        raise _refuse(state, action, message)
    if status != S.UNDER_REVIEW:
        raise _refuse(state, action, _("A decision is already recorded for this claim."))
    missing = state.evidence_missing
    if outcome is not None and missing and not without_evidence_reason.strip():
        # The guide's first common mistake is refunding before review; an approval
        # on no evidence is that mistake with ticks beside it.
        raise EvidenceMissing(
            _(
                "Before an approval, the review path asks for evidence the claim does "
                "not have yet: {needs}. Ask the customer for it, or write why you "
                "approve without it."
            ).format(needs=_join(need.label for need in missing)),
            state=state,
            action=action,
            missing=missing,
        )
    if outcome is None:
        return replace(state, status=S.DECLINED, outcome=Outcome.NO_ACTION)
    return replace(state, status=S.APPROVED, outcome=outcome)


def _join(labels) -> str:
    return _(" and ").join(str(label) for label in labels)


def parameter_choices(state: ClaimState, action: Action) -> tuple[str, ...]:
    """The parameter values that `transition(state, action, ...)` accepts now.

    Checklist keys for COMPLETE_CHECK, inspection results for RECORD_INSPECTION_RESULT,
    outcomes for RESOLVE; empty for actions without a parameter or not allowed now.
    """
    name, candidates = _PARAMETER.get(Action(action), (None, ()))
    if name is None:
        return ()
    if action == Action.COMPLETE_CHECK:
        candidates = tuple(i.key for i in state.path.checklist)
    accepted = []
    for value in candidates:
        try:
            transition(state, action, **{name: value})
        except TransitionRefused:
            continue
        accepted.append(value)
    return tuple(accepted)


_PARAMETER: dict[Action, tuple[str, tuple[str, ...]]] = {
    Action.COMPLETE_CHECK: ("item", ()),
    Action.RECORD_INSPECTION_RESULT: ("result", tuple(InspectionResult)),
    Action.RESOLVE: ("outcome", tuple(Outcome)),
}


def allowed_actions(
    method: FulfillmentMethod | ClaimState,
    status: ClaimStatus | None = None,
    checklist_done: frozenset[str] = frozenset(),
    *,
    issue_type: IssueType | None = None,
    inspection_result: InspectionResult | None = None,
) -> tuple[Action, ...]:
    """The actions `transition()` would accept now, in the order buttons should appear.

    Call it with a `ClaimState`, or with (method, status, checklist_done, issue_type=)
    and, for an inspected claim, `inspection_result=`. An action with a parameter is
    listed when at least one value of it is accepted (see `parameter_choices`); an
    approval refused only for missing evidence is listed (it takes a written reason).
    """
    if isinstance(method, ClaimState):
        state = method
    else:
        if status is None or issue_type is None:
            raise TypeError("allowed_actions() needs a status and an issue type with a method")
        state = ClaimState(
            method=method,
            issue_type=issue_type,
            status=status,
            inspection_result=inspection_result,
            checklist_done=checklist_done,
        )
    allowed = []
    for action in Action:
        if action in _PARAMETER:
            if parameter_choices(state, action):
                allowed.append(action)
            continue
        try:
            transition(state, action)
        except EvidenceMissing:
            pass
        except TransitionRefused:
            continue
        allowed.append(action)
    return tuple(allowed)


def recommended_action(state: ClaimState) -> Action | None:
    """The step the guide points to next, for the admin to highlight (or None)."""
    if state.status == S.INSPECTED and state.inspection_result == InspectionResult.UNCLEAR:
        # "Contact Kingston Express Support if a dispatchment inspection result is unclear"
        return Action.ESCALATE
    preferred = {
        S.SUBMITTED: (
            Action.START_INSPECTION if state.method.is_kingston_express else Action.START_REVIEW
        ),
        S.AWAITING_EVIDENCE: Action.EVIDENCE_RECEIVED,
        S.UNDER_INSPECTION: (
            Action.COMPLETE_CHECK
            if not state.checklist_complete
            else Action.RECORD_INSPECTION_RESULT
        ),
        S.UNDER_REVIEW: Action.COMPLETE_CHECK if not state.checklist_complete else None,
        S.INSPECTED: Action.RESOLVE,
        S.RESOLVED: Action.CLOSE,
        S.APPROVED: Action.CLOSE,
        S.DECLINED: Action.CLOSE,
    }.get(state.status)
    if preferred is not None and preferred in allowed_actions(state):
        return preferred
    return None
