"""The claim state machine's specification: every (method, status, action) triple.

The table below lists every transition that is allowed, with the status it leads to.
Every other triple is a forbidden transition and gets its own test case that expects
`TransitionRefused` with a sentence for staff.
"""

import itertools
from dataclasses import replace

import pytest

from claims.choices import (
    ClaimStatus,
    EvidenceKind,
    FulfillmentMethod,
    InspectionResult,
    IssueType,
    Outcome,
)
from claims.models import Claim
from claims.workflow import (
    FINAL_RULE,
    KINGSTON_EXPRESS_FORBIDDEN,
    SELLER_SIDE_ACTIONS,
    Action,
    ClaimState,
    EvidenceMissing,
    TransitionRefused,
    allowed_actions,
    checklist_for,
    initial_state,
    parameter_choices,
    recommended_action,
    statuses_for,
    transition,
)

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
S = ClaimStatus
A = Action
# The table is written for a damaged item, the path with every step (checklists and
# approvals per issue type are tests/claims/test_paths.py's table).
DAMAGED = IssueType.DAMAGED_ITEM
MISSING = IssueType.MISSING_ITEM
EVERY_KIND = frozenset(EvidenceKind)

# (method, status, action) -> resulting status. The state each row starts from is
# "ready": checklist complete, inspection result "confirmed" where inspected. The
# exception is COMPLETE_CHECK, which starts from an empty checklist (nothing to tick
# otherwise).
ALLOWED: dict[tuple[FulfillmentMethod, ClaimStatus, Action], ClaimStatus] = {
    # Dispatched by Kingston Express
    (KX, S.SUBMITTED, A.START_INSPECTION): S.UNDER_INSPECTION,
    (KX, S.SUBMITTED, A.REQUEST_EVIDENCE): S.AWAITING_EVIDENCE,
    (KX, S.SUBMITTED, A.WITHDRAW): S.CLOSED,
    (KX, S.SUBMITTED, A.ESCALATE): S.SUBMITTED,
    (KX, S.AWAITING_EVIDENCE, A.EVIDENCE_RECEIVED): S.UNDER_INSPECTION,
    (KX, S.AWAITING_EVIDENCE, A.START_INSPECTION): S.UNDER_INSPECTION,
    (KX, S.AWAITING_EVIDENCE, A.WITHDRAW): S.CLOSED,
    (KX, S.AWAITING_EVIDENCE, A.CLOSE_NO_RESPONSE): S.CLOSED,
    (KX, S.AWAITING_EVIDENCE, A.ESCALATE): S.AWAITING_EVIDENCE,
    (KX, S.UNDER_INSPECTION, A.COMPLETE_CHECK): S.UNDER_INSPECTION,
    (KX, S.UNDER_INSPECTION, A.RECORD_INSPECTION_RESULT): S.INSPECTED,
    (KX, S.UNDER_INSPECTION, A.ESCALATE): S.UNDER_INSPECTION,
    (KX, S.INSPECTED, A.RESOLVE): S.RESOLVED,
    (KX, S.INSPECTED, A.ESCALATE): S.INSPECTED,
    (KX, S.RESOLVED, A.CLOSE): S.CLOSED,
    (KX, S.RESOLVED, A.ESCALATE): S.RESOLVED,
    # Seller-managed
    (SM, S.SUBMITTED, A.REQUEST_EVIDENCE): S.AWAITING_EVIDENCE,
    (SM, S.SUBMITTED, A.START_REVIEW): S.UNDER_REVIEW,
    (SM, S.SUBMITTED, A.WITHDRAW): S.CLOSED,
    (SM, S.SUBMITTED, A.ESCALATE): S.SUBMITTED,
    (SM, S.AWAITING_EVIDENCE, A.EVIDENCE_RECEIVED): S.UNDER_REVIEW,
    (SM, S.AWAITING_EVIDENCE, A.WITHDRAW): S.CLOSED,
    (SM, S.AWAITING_EVIDENCE, A.CLOSE_NO_RESPONSE): S.CLOSED,
    (SM, S.AWAITING_EVIDENCE, A.ESCALATE): S.AWAITING_EVIDENCE,
    (SM, S.UNDER_REVIEW, A.COMPLETE_CHECK): S.UNDER_REVIEW,
    (SM, S.UNDER_REVIEW, A.APPROVE_RETURN): S.APPROVED,
    (SM, S.UNDER_REVIEW, A.APPROVE_REPLACEMENT): S.APPROVED,
    (SM, S.UNDER_REVIEW, A.APPROVE_REFUND): S.APPROVED,
    (SM, S.UNDER_REVIEW, A.DECLINE): S.DECLINED,
    (SM, S.UNDER_REVIEW, A.REQUEST_EVIDENCE): S.AWAITING_EVIDENCE,
    (SM, S.UNDER_REVIEW, A.ESCALATE): S.UNDER_REVIEW,
    (SM, S.APPROVED, A.CLOSE): S.CLOSED,
    (SM, S.APPROVED, A.ESCALATE): S.APPROVED,
    (SM, S.DECLINED, A.CLOSE): S.CLOSED,
    (SM, S.DECLINED, A.ESCALATE): S.DECLINED,
}

ALL_TRIPLES = list(itertools.product(FulfillmentMethod, ClaimStatus, Action))
FORBIDDEN = [t for t in ALL_TRIPLES if t not in ALLOWED]

PARAMS = {
    A.RECORD_INSPECTION_RESULT: {"result": InspectionResult.CONFIRMED},
    A.RESOLVE: {"outcome": Outcome.REPLACEMENT},
}


def _ids(triple):
    method, status, action = triple
    return f"{method.value}-{status.value}-{action.value}"


def ready_state(method, status, *, inspection_result=None):
    """A claim in `status` with its checklist done, as far as the status allows."""
    keys = frozenset(i.key for i in checklist_for(method, DAMAGED))
    if inspection_result is None and status in (S.INSPECTED, S.RESOLVED):
        inspection_result = InspectionResult.CONFIRMED
    outcome = {
        S.RESOLVED: Outcome.REPLACEMENT,
        S.APPROVED: Outcome.REPLACEMENT,
        S.DECLINED: Outcome.NO_ACTION,
    }.get(status)
    return ClaimState(
        method=method,
        issue_type=DAMAGED,
        status=status,
        inspection_result=inspection_result,
        outcome=outcome,
        checklist_done=keys,
        evidence_kinds=EVERY_KIND,
    )


def table_state(method, status, action):
    state = ready_state(method, status)
    if action == A.COMPLETE_CHECK:
        return ClaimState(method=method, issue_type=DAMAGED, status=status)
    return state


def table_params(method, action):
    if action == A.COMPLETE_CHECK:
        return {"item": checklist_for(method, DAMAGED)[0].key}
    return PARAMS.get(action, {})


def test_the_table_covers_every_triple_once():
    assert len(ALL_TRIPLES) == len(FulfillmentMethod) * len(ClaimStatus) * len(Action)
    assert len(ALLOWED) + len(FORBIDDEN) == len(ALL_TRIPLES)
    assert len(ALLOWED) == 35


@pytest.mark.parametrize("triple", list(ALLOWED), ids=_ids)
def test_allowed_transition_leads_to_the_expected_status(triple):
    method, status, action = triple
    state = table_state(method, status, action)

    new = transition(state, action, **table_params(method, action))

    assert new.status == ALLOWED[triple]
    assert new.method == method


@pytest.mark.parametrize("triple", FORBIDDEN, ids=_ids)
def test_forbidden_transition_is_refused_with_a_sentence(triple):
    method, status, action = triple
    state = table_state(method, status, action)

    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, **table_params(method, action))

    message = refused.value.message
    assert message[0].isupper()
    assert message.rstrip("”").endswith(".")
    assert refused.value.action == action
    assert refused.value.state == state


@pytest.mark.parametrize(
    ("method", "status"), list(itertools.product(FulfillmentMethod, ClaimStatus))
)
def test_allowed_actions_lists_exactly_the_table(method, status):
    expected_ready = {a for (m, s, a) in ALLOWED if (m, s) == (method, status)}

    ready = allowed_actions(ready_state(method, status))
    fresh = allowed_actions(method, status, frozenset(), issue_type=DAMAGED)

    # A complete checklist leaves nothing to tick.
    assert set(ready) == expected_ready - {A.COMPLETE_CHECK}
    if (method, status, A.COMPLETE_CHECK) in ALLOWED:
        assert A.COMPLETE_CHECK in fresh
    # Buttons keep the enum's order, so the admin shows them consistently.
    assert list(ready) == [a for a in Action if a in ready]


def test_allowed_actions_accepts_plain_strings_from_the_database():
    assert allowed_actions(
        "seller_managed", "submitted", frozenset(), issue_type="damaged_item"
    ) == allowed_actions(SM, S.SUBMITTED, frozenset(), issue_type=DAMAGED)


# --- The final rule: no inspection, no refund; no review, no replacement ------------

CHECKLIST_SUBSETS = {
    method: [
        frozenset(c)
        for n in range(len(checklist_for(method, DAMAGED)))
        for c in itertools.combinations([i.key for i in checklist_for(method, DAMAGED)], n)
    ]
    for method in FulfillmentMethod
}


@pytest.mark.parametrize("status", [S.SUBMITTED, S.AWAITING_EVIDENCE, S.UNDER_INSPECTION])
@pytest.mark.parametrize("outcome", [Outcome.REFUND, Outcome.REPLACEMENT])
def test_kingston_express_refund_or_replacement_before_inspection_is_refused(status, outcome):
    for done in CHECKLIST_SUBSETS[KX] + [frozenset(i.key for i in checklist_for(KX, DAMAGED))]:
        state = ClaimState(method=KX, issue_type=DAMAGED, status=status, checklist_done=done)
        with pytest.raises(TransitionRefused) as refused:
            transition(state, A.RESOLVE, outcome=outcome)
        assert "before the inspection is complete" in refused.value.message
        assert "No inspection, no refund." in refused.value.message


def test_kingston_express_refund_message_is_the_guide_rule():
    state = initial_state(KX, DAMAGED)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RESOLVE, outcome=Outcome.REFUND)
    assert refused.value.message == (
        "A refund cannot be recorded before the inspection is complete. No inspection, no refund."
    )


@pytest.mark.parametrize("done", CHECKLIST_SUBSETS[KX], ids=lambda d: "+".join(sorted(d)) or "none")
def test_inspection_result_needs_every_checklist_item(done):
    state = ClaimState(
        method=KX, issue_type=DAMAGED, status=S.UNDER_INSPECTION, checklist_done=done
    )

    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RECORD_INSPECTION_RESULT, result=InspectionResult.CONFIRMED)

    assert "The inspection is not complete yet" in refused.value.message
    for item in checklist_for(KX, DAMAGED):
        assert (str(item.label) in refused.value.message) == (item.key not in done)
    assert A.RECORD_INSPECTION_RESULT not in allowed_actions(state)


@pytest.mark.parametrize(
    "action", [A.APPROVE_REFUND, A.APPROVE_REPLACEMENT, A.APPROVE_RETURN, A.DECLINE]
)
@pytest.mark.parametrize("done", CHECKLIST_SUBSETS[SM], ids=lambda d: "+".join(sorted(d)) or "none")
def test_seller_managed_decision_before_review_is_complete_is_refused(action, done):
    state = ClaimState(method=SM, issue_type=DAMAGED, status=S.UNDER_REVIEW, checklist_done=done)

    with pytest.raises(TransitionRefused) as refused:
        transition(state, action)

    assert "before the review is complete" in refused.value.message
    assert "Still to do" in refused.value.message
    assert action not in allowed_actions(state)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.AWAITING_EVIDENCE])
def test_seller_managed_replacement_before_review_quotes_the_final_rule(status):
    state = ready_state(SM, status)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.APPROVE_REPLACEMENT)
    assert refused.value.message == (
        "A replacement cannot be recorded before the review is complete. No review, no replacement."
    )
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.APPROVE_REFUND)
    assert "A refund cannot be recorded before the review is complete." in refused.value.message


KX_TOO_EARLY_OTHER = (
    "A claim can only be resolved once the inspection is complete and its result is recorded."
)
KX_TOO_EARLY_REFUND = (
    "A refund cannot be recorded before the inspection is complete. No inspection, no refund."
)
KX_TOO_EARLY_REPLACEMENT = (
    "A replacement cannot be recorded before the inspection is complete. "
    "No inspection, no refund. No review, no replacement."
)
SM_TOO_EARLY_REFUND = (
    "A refund cannot be recorded before the review is complete. "
    "Refunding before review is a mistake the guide warns about."
)
SM_TOO_EARLY_REPLACEMENT = (
    "A replacement cannot be recorded before the review is complete. No review, no replacement."
)
SM_TOO_EARLY_RETURN = "A return cannot be approved before the review is complete."
SM_TOO_EARLY_DECLINE = "A claim cannot be declined before the review is complete."


# The final rule, said for the outcome attempted before the check is complete.
@pytest.mark.parametrize(
    ("method", "action", "params", "message"),
    [
        (KX, A.RESOLVE, {"outcome": Outcome.REFUND}, KX_TOO_EARLY_REFUND),
        (KX, A.RESOLVE, {"outcome": Outcome.REPLACEMENT}, KX_TOO_EARLY_REPLACEMENT),
        (KX, A.RESOLVE, {"outcome": Outcome.RETURN}, KX_TOO_EARLY_OTHER),
        (KX, A.RESOLVE, {"outcome": Outcome.NO_ACTION}, KX_TOO_EARLY_OTHER),
        (KX, A.RESOLVE, {"outcome": "teleport"}, KX_TOO_EARLY_OTHER),
        (KX, A.RESOLVE, {}, KX_TOO_EARLY_OTHER),
        (SM, A.APPROVE_REFUND, {}, SM_TOO_EARLY_REFUND),
        (SM, A.APPROVE_REPLACEMENT, {}, SM_TOO_EARLY_REPLACEMENT),
        (SM, A.APPROVE_RETURN, {}, SM_TOO_EARLY_RETURN),
        (SM, A.DECLINE, {}, SM_TOO_EARLY_DECLINE),
    ],
    ids=lambda v: getattr(v, "value", None) or str(v)[:20],
)
def test_the_too_early_message_names_the_attempted_outcome(method, action, params, message):
    for status in (S.SUBMITTED, S.AWAITING_EVIDENCE):
        with pytest.raises(TransitionRefused) as refused:
            transition(ready_state(method, status), action, **params)
        assert refused.value.message == message


@pytest.mark.parametrize(
    ("method", "statuses"),
    [
        (
            KX,
            (
                S.SUBMITTED,
                S.AWAITING_EVIDENCE,
                S.UNDER_INSPECTION,
                S.INSPECTED,
                S.RESOLVED,
                S.CLOSED,
            ),
        ),
        (SM, (S.SUBMITTED, S.AWAITING_EVIDENCE, S.UNDER_REVIEW, S.APPROVED, S.DECLINED, S.CLOSED)),
    ],
)
def test_each_path_passes_its_statuses_in_order(method, statuses):
    assert statuses_for(method) == statuses
    assert statuses_for(method.value) == statuses


def test_the_final_rule_is_the_guide_text():
    assert FINAL_RULE == "No inspection, no refund. No review, no replacement."


# --- Kingston Express: the seller-side actions do not exist -------------------------

GUIDE_QUOTES = {
    A.APPROVE_REFUND: "Do not refund immediately",
    A.APPROVE_REPLACEMENT: "Do not ship replacements yourself",
    A.APPROVE_RETURN: "Do not ask customers to return items to you",
}


@pytest.mark.parametrize("status", list(ClaimStatus))
@pytest.mark.parametrize("action", sorted(SELLER_SIDE_ACTIONS))
def test_kingston_express_seller_side_action_refused_from_every_state(status, action):
    for state in (
        ready_state(KX, status),
        ClaimState(method=KX, issue_type=DAMAGED, status=status),
    ):
        with pytest.raises(TransitionRefused) as refused:
            transition(state, action)
        assert f"“{GUIDE_QUOTES[action]}”" in refused.value.message
        assert "dispatched by Kingston Express" in refused.value.message
        assert action not in allowed_actions(state)


def test_seller_side_actions_are_the_guide_forbidden_list():
    assert set(KINGSTON_EXPRESS_FORBIDDEN) == SELLER_SIDE_ACTIONS
    assert KINGSTON_EXPRESS_FORBIDDEN == GUIDE_QUOTES


def test_kingston_express_never_resolves_with_a_return():
    state = ready_state(KX, S.INSPECTED)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RESOLVE, outcome=Outcome.RETURN)
    assert "Do not ask customers to return items to you" in refused.value.message
    assert Outcome.RETURN not in parameter_choices(state, A.RESOLVE)


# --- Resolution per policy follows the inspection result -----------------------------


@pytest.mark.parametrize(
    ("result", "outcomes"),
    [
        (InspectionResult.CONFIRMED, (Outcome.REPLACEMENT, Outcome.REFUND)),
        (InspectionResult.NOT_CONFIRMED, (Outcome.NO_ACTION,)),
        (InspectionResult.UNCLEAR, ()),
    ],
)
def test_resolution_outcomes_follow_the_inspection_result(result, outcomes):
    state = ready_state(KX, S.INSPECTED, inspection_result=result)

    assert parameter_choices(state, A.RESOLVE) == outcomes
    for outcome in Outcome:
        if outcome in outcomes:
            assert transition(state, A.RESOLVE, outcome=outcome).outcome == outcome
        else:
            with pytest.raises(TransitionRefused):
                transition(state, A.RESOLVE, outcome=outcome)
    assert (A.RESOLVE in allowed_actions(state)) == bool(outcomes)


def test_not_confirmed_inspection_explains_no_action():
    state = ready_state(KX, S.INSPECTED, inspection_result=InspectionResult.NOT_CONFIRMED)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RESOLVE, outcome=Outcome.REFUND)
    assert "the only resolution per policy is no action" in refused.value.message


def test_unclear_inspection_recommends_escalation_then_takes_supports_result():
    state = ready_state(KX, S.INSPECTED, inspection_result=InspectionResult.UNCLEAR)

    assert recommended_action(state) == A.ESCALATE
    assert allowed_actions(state) == (A.RECORD_INSPECTION_RESULT, A.ESCALATE)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RESOLVE, outcome=Outcome.REFUND)
    assert "Kingston Express Support" in refused.value.message
    assert "order ID and issue type" in refused.value.message

    escalated = transition(state, A.ESCALATE)
    assert escalated == state
    confirmed = transition(escalated, A.RECORD_INSPECTION_RESULT, result="confirmed")
    assert confirmed.inspection_result == InspectionResult.CONFIRMED
    assert transition(confirmed, A.RESOLVE, outcome=Outcome.REFUND).status == S.RESOLVED


def test_a_recorded_result_other_than_unclear_is_final():
    state = ready_state(KX, S.INSPECTED, inspection_result=InspectionResult.CONFIRMED)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RECORD_INSPECTION_RESULT, result=InspectionResult.NOT_CONFIRMED)
    assert refused.value.message == "The inspection result is already recorded."


def test_inspection_result_must_be_one_of_the_three():
    state = ready_state(KX, S.UNDER_INSPECTION)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.RECORD_INSPECTION_RESULT, result="probably")
    assert "confirmed, not confirmed or unclear" in refused.value.message


# --- Whole walks through each path ----------------------------------------------------


def test_kingston_express_walk_from_submitted_to_closed():
    state = initial_state(KX, DAMAGED)
    state = transition(state, A.START_INSPECTION)
    for item in checklist_for(KX, DAMAGED):
        assert recommended_action(state) == A.COMPLETE_CHECK
        state = transition(state, A.COMPLETE_CHECK, item=item.key)
    assert recommended_action(state) == A.RECORD_INSPECTION_RESULT
    state = transition(state, A.RECORD_INSPECTION_RESULT, result=InspectionResult.CONFIRMED)
    state = transition(state, A.RESOLVE, outcome=Outcome.REFUND)
    assert (state.status, state.outcome) == (S.RESOLVED, Outcome.REFUND)
    state = transition(state, A.CLOSE)
    assert state.status == S.CLOSED
    assert state.outcome == Outcome.REFUND


def test_kingston_express_claim_waiting_for_customer_photos_goes_to_inspection():
    state = initial_state(KX, DAMAGED, awaiting_evidence=True)
    assert state.status == S.AWAITING_EVIDENCE
    assert recommended_action(state) == A.EVIDENCE_RECEIVED
    assert transition(state, A.EVIDENCE_RECEIVED).status == S.UNDER_INSPECTION
    # The inspection relies on Kingston Express's own records; it need not wait.
    assert transition(state, A.START_INSPECTION).status == S.UNDER_INSPECTION


def test_seller_managed_walk_from_awaiting_evidence_to_approved():
    state = initial_state(SM, DAMAGED, awaiting_evidence=True)
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.START_REVIEW)
    assert "photos arrive" in refused.value.message
    state = transition(state, A.EVIDENCE_RECEIVED)
    assert state.status == S.UNDER_REVIEW
    for item in checklist_for(SM, DAMAGED):
        state = transition(state, A.COMPLETE_CHECK, item=item.key)
    assert state.checklist_complete
    with pytest.raises(EvidenceMissing):
        transition(state, A.APPROVE_REPLACEMENT)  # the photos never came
    state = replace(state, evidence_kinds=frozenset({"item", "packing_materials"}))
    state = transition(state, A.APPROVE_REPLACEMENT)
    assert (state.status, state.outcome) == (S.APPROVED, Outcome.REPLACEMENT)
    assert transition(state, A.CLOSE).status == S.CLOSED


@pytest.mark.parametrize(
    ("action", "outcome"),
    [
        (A.APPROVE_RETURN, Outcome.RETURN),
        (A.APPROVE_REPLACEMENT, Outcome.REPLACEMENT),
        (A.APPROVE_REFUND, Outcome.REFUND),
        (A.DECLINE, Outcome.NO_ACTION),
    ],
)
def test_seller_managed_decision_records_its_outcome(action, outcome):
    assert transition(ready_state(SM, S.UNDER_REVIEW), action).outcome == outcome


def test_asking_for_new_photos_during_review_unticks_the_photo_check():
    state = ready_state(SM, S.UNDER_REVIEW)
    state = transition(state, A.REQUEST_EVIDENCE)
    assert state.status == S.AWAITING_EVIDENCE
    assert "photos_checked" not in state.checklist_done
    assert "packing_process_verified" in state.checklist_done


def test_a_checklist_item_is_ticked_once_and_must_be_on_the_list():
    state = ClaimState(method=KX, issue_type=MISSING, status=S.UNDER_INSPECTION)
    ticked = transition(state, A.COMPLETE_CHECK, item="packing_logs_checked")
    with pytest.raises(TransitionRefused, match="already ticked"):
        transition(ticked, A.COMPLETE_CHECK, item="packing_logs_checked")
    with pytest.raises(TransitionRefused, match="not on the inspection checklist"):
        transition(state, A.COMPLETE_CHECK, item="photos_checked")
    # A missing item has no damage to assess: that is the damaged item's path.
    with pytest.raises(TransitionRefused, match="not on the inspection checklist"):
        transition(state, A.COMPLETE_CHECK, item="damage_assessed")
    assert parameter_choices(ticked, A.COMPLETE_CHECK) == ("weight_and_sku_verified",)


def test_unknown_parameters_are_an_error_not_ignored():
    with pytest.raises(TypeError):
        transition(initial_state(KX, DAMAGED), A.START_INSPECTION, outcome=Outcome.REFUND)


def test_transition_never_changes_the_state_it_was_given():
    state = ClaimState(method=SM, issue_type=DAMAGED, status=S.UNDER_REVIEW)
    transition(state, A.COMPLETE_CHECK, item="photos_checked")
    assert state.checklist_done == frozenset()


# --- Closed is the end ----------------------------------------------------------------


@pytest.mark.parametrize("method", list(FulfillmentMethod))
def test_closed_claim_allows_nothing(method):
    state = ready_state(method, S.CLOSED)
    assert allowed_actions(state) == ()
    assert recommended_action(state) is None
    for action in Action:
        with pytest.raises(TransitionRefused):
            transition(state, action, **table_params(method, action))


# --- Checklists and statuses ---------------------------------------------------------


def test_checklists_use_the_guides_words():
    assert [(i.key, str(i.label)) for i in checklist_for(KX, MISSING)] == [
        ("packing_logs_checked", "Packing logs are checked"),
        ("weight_and_sku_verified", "Weight and SKU records are verified"),
    ]
    assert [(i.key, str(i.label)) for i in checklist_for(KX, DAMAGED)] == [
        ("damage_assessed", "Damage is assessed during return inspection"),
    ]
    assert [(i.key, str(i.label)) for i in checklist_for(SM, DAMAGED)] == [
        ("photos_checked", "Clear photos (item + packaging) checked"),
        ("missing_or_damaged_confirmed", "Confirmed what was damaged"),
        ("packing_process_verified", "Verified against the packing process"),
    ]


@pytest.mark.parametrize("method", list(FulfillmentMethod))
def test_every_status_of_a_path_is_reachable_from_submitted(method):
    visited = {initial_state(method, DAMAGED)}
    frontier = [initial_state(method, DAMAGED)]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            values = parameter_choices(state, action)
            name = {A.COMPLETE_CHECK: "item", A.RECORD_INSPECTION_RESULT: "result"}.get(
                action, "outcome"
            )
            for params in [{name: v} for v in values] or [{}]:
                if action in SELLER_SIDE_ACTIONS:
                    params = {"without_evidence_reason": "The courier confirmed it."}
                new = transition(state, action, **params)
                if new not in visited:
                    visited.add(new)
                    frontier.append(new)
    assert {state.status for state in visited} == set(statuses_for(method))


def test_claim_state_normalises_plain_strings():
    state = ClaimState(
        method="kingston_express",
        issue_type="damaged_item",
        status="inspected",
        inspection_result="unclear",
        outcome="",
        checklist_done=["damage_assessed"],
    )
    assert state.method is KX
    assert state.status is S.INSPECTED
    assert state.inspection_result is InspectionResult.UNCLEAR
    assert state.outcome is None
    assert state.checklist_done == frozenset({"damage_assessed"})


# --- What the admin recommends --------------------------------------------------------

INSPECTED_AS = {
    result: ready_state(KX, S.INSPECTED, inspection_result=result) for result in InspectionResult
}


def _unticked(method, status):
    return ClaimState(method=method, issue_type=DAMAGED, status=status)


# The state -> the step the admin highlights. Statuses of the other path recommend
# nothing: no action is allowed there.
RECOMMENDED = [
    ("kx-submitted", ready_state(KX, S.SUBMITTED), A.START_INSPECTION),
    ("kx-awaiting", ready_state(KX, S.AWAITING_EVIDENCE), A.EVIDENCE_RECEIVED),
    ("kx-inspecting-unticked", _unticked(KX, S.UNDER_INSPECTION), A.COMPLETE_CHECK),
    ("kx-inspecting-ticked", ready_state(KX, S.UNDER_INSPECTION), A.RECORD_INSPECTION_RESULT),
    ("kx-inspected-confirmed", INSPECTED_AS[InspectionResult.CONFIRMED], A.RESOLVE),
    ("kx-inspected-not-confirmed", INSPECTED_AS[InspectionResult.NOT_CONFIRMED], A.RESOLVE),
    ("kx-inspected-unclear", INSPECTED_AS[InspectionResult.UNCLEAR], A.ESCALATE),
    ("kx-resolved", ready_state(KX, S.RESOLVED), A.CLOSE),
    ("kx-closed", ready_state(KX, S.CLOSED), None),
    ("kx-under-review", ready_state(KX, S.UNDER_REVIEW), None),
    ("kx-approved", ready_state(KX, S.APPROVED), None),
    ("kx-declined", ready_state(KX, S.DECLINED), None),
    ("sm-submitted", ready_state(SM, S.SUBMITTED), A.START_REVIEW),
    ("sm-awaiting", ready_state(SM, S.AWAITING_EVIDENCE), A.EVIDENCE_RECEIVED),
    ("sm-reviewing-unticked", _unticked(SM, S.UNDER_REVIEW), A.COMPLETE_CHECK),
    # The reviewer decides; the guide recommends no approval over another.
    ("sm-reviewing-ticked", ready_state(SM, S.UNDER_REVIEW), None),
    ("sm-approved", ready_state(SM, S.APPROVED), A.CLOSE),
    ("sm-declined", ready_state(SM, S.DECLINED), A.CLOSE),
    ("sm-closed", ready_state(SM, S.CLOSED), None),
    ("sm-under-inspection", ready_state(SM, S.UNDER_INSPECTION), None),
    ("sm-inspected", ready_state(SM, S.INSPECTED), None),
    ("sm-resolved", ready_state(SM, S.RESOLVED), None),
]


@pytest.mark.parametrize(
    ("state", "expected"),
    [(state, expected) for _, state, expected in RECOMMENDED],
    ids=[name for name, _, _ in RECOMMENDED],
)
def test_recommended_action_per_state(state, expected):
    assert recommended_action(state) == expected
    if expected is not None:
        assert expected in allowed_actions(state)


def test_the_recommendation_table_covers_every_status_of_both_paths():
    covered = {(state.method, state.status) for _, state, _ in RECOMMENDED}
    assert covered >= {(m, s) for m in FulfillmentMethod for s in statuses_for(m)}


# (the claim's stored review fields, the kinds of its photos) -> its state
FROM_CLAIM = [
    (
        {
            "fulfillment_method": "kingston_express",
            "issue_type": "damaged_item",
            "status": "inspected",
            "inspection_result": "unclear",
            "outcome": "",
            "checklist_done": ["damage_assessed"],
        },
        (),
        ClaimState(
            method=KX,
            issue_type=DAMAGED,
            status=S.INSPECTED,
            inspection_result=InspectionResult.UNCLEAR,
            checklist_done=frozenset({"damage_assessed"}),
        ),
    ),
    (
        {
            "fulfillment_method": "seller_managed",
            "issue_type": "missing_item",
            "status": "approved",
            "inspection_result": "",
            "outcome": "refund",
            "checklist_done": [],
        },
        ["package", "item", "package"],
        ClaimState(
            method=SM,
            issue_type=MISSING,
            status=S.APPROVED,
            outcome=Outcome.REFUND,
            evidence_kinds=frozenset({"package", "item"}),
        ),
    ),
    (
        {
            "fulfillment_method": "seller_managed",
            "issue_type": "damaged_item",
            "status": "submitted",
            "inspection_result": "",
            "outcome": "",
            "checklist_done": None,
        },
        (),
        ClaimState(method=SM, issue_type=DAMAGED),
    ),
]


@pytest.mark.parametrize(("stored", "kinds", "expected"), FROM_CLAIM)
def test_claim_state_from_a_stored_claim_is_its_review_fields(stored, kinds, expected):
    assert ClaimState.from_claim(Claim(**stored), evidence_kinds=kinds) == expected


@pytest.mark.parametrize(("method", "stage_word"), [(KX, "inspection"), (SM, "review")])
def test_the_checklist_message_names_the_paths_own_stage(method, stage_word):
    state = ClaimState(method=method, issue_type=DAMAGED, status=statuses_for(method)[2])
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.COMPLETE_CHECK, item="no_such_item")
    assert stage_word in refused.value.message


# --- The remaining decisions, pinned one by one -----------------------------------------


def test_the_stored_action_names_are_the_enum_names():
    # Recorded in claim timelines: renaming a value orphans every recorded step.
    assert [action.value for action in Action] == [action.name.lower() for action in Action]
    assert len(Action) == 15


def test_a_claim_state_is_a_frozen_value_without_extra_attributes():
    state = ready_state(KX, S.SUBMITTED)
    with pytest.raises(AttributeError):
        state.status = S.CLOSED
    assert not hasattr(state, "__dict__")
    assert hash(state) == hash(ready_state(KX, S.SUBMITTED))


@pytest.mark.parametrize("method", list(FulfillmentMethod))
def test_a_new_claim_starts_submitted_unless_it_waits_for_photos(method):
    assert initial_state(method, DAMAGED).status == S.SUBMITTED
    assert initial_state(method, DAMAGED, awaiting_evidence=True).status == S.AWAITING_EVIDENCE
    assert initial_state(method, DAMAGED) == ClaimState(method=method, issue_type=DAMAGED)


@pytest.mark.parametrize(
    ("method", "issue_type", "status", "action", "stage"),
    [
        (KX, MISSING, S.UNDER_INSPECTION, A.RECORD_INSPECTION_RESULT, "inspection"),
        (SM, DAMAGED, S.UNDER_REVIEW, A.DECLINE, "review"),
    ],
)
def test_the_unfinished_checklist_is_named_item_by_item(method, issue_type, status, action, stage):
    items = checklist_for(method, issue_type)
    assert len(items) >= 2  # one ticked, the rest named in order
    state = ClaimState(
        method=method,
        issue_type=issue_type,
        status=status,
        checklist_done=frozenset({items[0].key}),
        evidence_kinds=EVERY_KIND,
    )
    params = {"result": InspectionResult.CONFIRMED} if action == A.RECORD_INSPECTION_RESULT else {}
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, **params)

    remaining = "; ".join(str(item.label) for item in items[1:])
    assert f"The {stage} is not complete yet. Still to do: {remaining}." in refused.value.message
    with pytest.raises(TransitionRefused) as refused:
        transition(state, A.COMPLETE_CHECK, item="not-an-item")
    assert refused.value.message == f"“not-an-item” is not on the {stage} checklist."


def test_allowed_actions_needs_a_status_and_an_issue_type_with_a_method():
    with pytest.raises(TypeError):
        allowed_actions(KX, S.SUBMITTED)
    with pytest.raises(TypeError):
        allowed_actions(KX, issue_type=DAMAGED)
    assert allowed_actions(KX, S.SUBMITTED, issue_type=DAMAGED) == allowed_actions(
        ready_state(KX, S.SUBMITTED)
    )


def test_a_seller_managed_approval_needs_the_evidence_or_a_written_reason():
    items = frozenset(i.key for i in checklist_for(SM, DAMAGED))
    bare = ClaimState(method=SM, issue_type=DAMAGED, status=S.UNDER_REVIEW, checklist_done=items)

    for reason in (None, "", "   "):
        params = {} if reason is None else {"without_evidence_reason": reason}
        with pytest.raises(EvidenceMissing) as refused:
            transition(bare, A.APPROVE_REFUND, **params)
        assert refused.value.missing == bare.evidence_missing
        assert refused.value.missing
    approved = transition(bare, A.APPROVE_REFUND, without_evidence_reason="Courier confirmed.")
    assert (approved.status, approved.outcome) == (S.APPROVED, Outcome.REFUND)
    declined = transition(bare, A.DECLINE)
    assert (declined.status, declined.outcome) == (S.DECLINED, Outcome.NO_ACTION)
    assert {A.APPROVE_REFUND, A.APPROVE_REPLACEMENT, A.DECLINE} <= set(allowed_actions(bare))
    with_photos = replace(bare, evidence_kinds=EVERY_KIND)
    assert transition(with_photos, A.APPROVE_REFUND).status == S.APPROVED


@pytest.mark.parametrize(
    ("method", "status", "message"),
    [
        (KX, S.AWAITING_EVIDENCE, "The customer has already been asked for photos."),
        (KX, S.UNDER_INSPECTION, "Photos can only be requested before the inspection starts."),
        (KX, S.INSPECTED, "Photos can only be requested before the inspection starts."),
        (SM, S.AWAITING_EVIDENCE, "The customer has already been asked for photos."),
        (SM, S.APPROVED, "A decision is recorded, so photos can no longer be requested."),
        (SM, S.DECLINED, "A decision is recorded, so photos can no longer be requested."),
    ],
    ids=lambda v: getattr(v, "value", "msg"),
)
def test_asking_for_photos_again_says_why_not(method, status, message):
    with pytest.raises(TransitionRefused) as refused:
        transition(ready_state(method, status), A.REQUEST_EVIDENCE)
    assert refused.value.message == message
