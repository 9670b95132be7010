"""The review path per issue type (claims/paths.py) and what the workflow does with it:
the checklist, the approvals, the evidence an approval needs and "what happens next"."""

import itertools
import re

import pytest

from claims.choices import ClaimStatus, EvidenceKind, FulfillmentMethod, IssueType, Outcome
from claims.paths import (
    card_step,
    decision_step,
    issue_group,
    missing_evidence,
    review_path,
    what_happens_next,
)
from claims.workflow import (
    Action,
    ClaimState,
    EvidenceMissing,
    TransitionRefused,
    allowed_actions,
    transition,
)
from tests.factories import make_claim

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
I = IssueType  # noqa: E741
S = ClaimStatus
A = Action
K = EvidenceKind

# (method, issue type) -> (checklist keys, approvals, evidence an approval needs)
PATHS = {
    (KX, I.MISSING_ITEM): (("packing_logs_checked", "weight_and_sku_verified"), (), ()),
    (KX, I.PARTIAL_ORDER): (("packing_logs_checked", "weight_and_sku_verified"), (), ()),
    (KX, I.WRONG_ITEM): (("packing_logs_checked", "weight_and_sku_verified"), (), ()),
    (KX, I.DAMAGED_ITEM): (("damage_assessed",), (), ()),
    (SM, I.MISSING_ITEM): (
        ("missing_or_damaged_confirmed", "packing_process_verified"),
        (Outcome.REPLACEMENT, Outcome.REFUND),
        ("packaging_photo",),
    ),
    (SM, I.PARTIAL_ORDER): (
        ("missing_or_damaged_confirmed", "packing_process_verified"),
        (Outcome.REPLACEMENT, Outcome.REFUND),
        ("packaging_photo",),
    ),
    (SM, I.DAMAGED_ITEM): (
        ("photos_checked", "missing_or_damaged_confirmed", "packing_process_verified"),
        (Outcome.RETURN, Outcome.REPLACEMENT, Outcome.REFUND),
        ("item_photo", "packaging_photo"),
    ),
    (SM, I.WRONG_ITEM): (
        ("photos_checked", "missing_or_damaged_confirmed", "packing_process_verified"),
        (Outcome.RETURN, Outcome.REPLACEMENT, Outcome.REFUND),
        ("item_photo",),
    ),
}


def test_the_table_covers_every_method_and_issue_type():
    assert set(PATHS) == set(itertools.product(FulfillmentMethod, IssueType))


@pytest.mark.parametrize(("method", "issue"), list(PATHS), ids=lambda v: str(v.value))
def test_each_issue_follows_its_own_review_path(method, issue):
    keys, approvals, evidence = PATHS[(method, issue)]
    path = review_path(method, issue)

    assert tuple(item.key for item in path.checklist) == keys
    assert path.approvals == approvals
    assert tuple(need.key for need in path.evidence_for_approval) == evidence
    assert path.is_inspection == (method == KX)


def test_a_kingston_express_missing_item_is_never_asked_to_assess_damage():
    state = ClaimState(method=KX, issue_type=I.MISSING_ITEM, status=S.UNDER_INSPECTION)
    for key in ("packing_logs_checked", "weight_and_sku_verified"):
        state = transition(state, A.COMPLETE_CHECK, item=key)

    assert state.checklist_complete
    assert A.RECORD_INSPECTION_RESULT in allowed_actions(state)
    with pytest.raises(TransitionRefused, match="not on the inspection checklist"):
        transition(
            ClaimState(method=KX, issue_type=I.MISSING_ITEM, status=S.UNDER_INSPECTION),
            A.COMPLETE_CHECK,
            item="damage_assessed",
        )


@pytest.mark.parametrize(
    ("issue", "kinds", "missing"),
    [
        (I.DAMAGED_ITEM, set(), ("item_photo", "packaging_photo")),
        (I.DAMAGED_ITEM, {K.ITEM}, ("packaging_photo",)),
        (I.DAMAGED_ITEM, {K.PACKAGE}, ("item_photo",)),
        (I.DAMAGED_ITEM, {K.ITEM, K.PACKING_MATERIALS}, ()),
        (I.DAMAGED_ITEM, {K.OTHER}, ("item_photo", "packaging_photo")),
        (I.MISSING_ITEM, set(), ("packaging_photo",)),
        (I.MISSING_ITEM, {K.PACKAGE}, ()),
        (I.PARTIAL_ORDER, {K.PACKING_MATERIALS}, ()),
        (I.WRONG_ITEM, {K.PACKAGE}, ("item_photo",)),
        (I.WRONG_ITEM, {K.ITEM}, ()),
    ],
)
def test_the_evidence_an_approval_needs(issue, kinds, missing):
    needs = missing_evidence(review_path(SM, issue), kinds)
    assert tuple(need.key for need in needs) == missing


def _reviewed(issue, kinds=()):
    path = review_path(SM, issue)
    return ClaimState(
        method=SM,
        issue_type=issue,
        status=S.UNDER_REVIEW,
        checklist_done=frozenset(i.key for i in path.checklist),
        evidence_kinds=frozenset(kinds),
    )


APPROVALS = {
    A.APPROVE_RETURN: Outcome.RETURN,
    A.APPROVE_REPLACEMENT: Outcome.REPLACEMENT,
    A.APPROVE_REFUND: Outcome.REFUND,
}


@pytest.mark.parametrize("issue", list(IssueType))
@pytest.mark.parametrize("action", list(APPROVALS))
def test_a_seller_managed_approval_is_offered_only_on_its_path(issue, action):
    state = _reviewed(issue, kinds=set(EvidenceKind))
    on_path = APPROVALS[action] in review_path(SM, issue).approvals

    assert (action in allowed_actions(state)) == on_path
    if on_path:
        assert transition(state, action).outcome == APPROVALS[action]
    else:
        with pytest.raises(TransitionRefused, match="Nothing arrived to send back"):
            transition(state, action)


@pytest.mark.parametrize("issue", list(IssueType))
@pytest.mark.parametrize("action", [A.APPROVE_REPLACEMENT, A.APPROVE_REFUND])
def test_no_approval_without_the_evidence_or_a_written_reason(issue, action):
    state = _reviewed(issue)  # no photos at all

    with pytest.raises(EvidenceMissing) as refused:
        transition(state, action)
    assert "Ask the customer for it, or write why you approve without it." in (
        refused.value.message
    )
    with pytest.raises(EvidenceMissing):
        transition(state, action, without_evidence_reason="   ")
    # Still offered: the admin shows the button with a box for the reason.
    assert action in allowed_actions(state)
    approved = transition(state, action, without_evidence_reason="Courier photo of the box")
    assert approved.status == S.APPROVED


def test_declining_needs_no_photos():
    # Not approving is not the guide's "refunding before review".
    assert transition(_reviewed(I.DAMAGED_ITEM), A.DECLINE).status == S.DECLINED


@pytest.mark.parametrize(
    ("issue_type", "group"),
    [
        (I.MISSING_ITEM, "missing"),
        (I.PARTIAL_ORDER, "missing"),
        (I.DAMAGED_ITEM, "damage"),
        (I.WRONG_ITEM, "wrong_item"),
    ],
)
def test_issue_types_share_a_path_by_group(issue_type, group):
    assert issue_group(issue_type) == group
    assert issue_group(issue_type.value) == group


# --- What happens next, on the seller's result page -----------------------------------


@pytest.mark.parametrize(
    ("method", "issue", "status", "says", "never"),
    [
        (KX, I.MISSING_ITEM, S.SUBMITTED, "packing logs are checked", "return inspection"),
        (KX, I.DAMAGED_ITEM, S.SUBMITTED, "assessed during return inspection", "packing logs"),
        (KX, I.DAMAGED_ITEM, S.AWAITING_EVIDENCE, "waits for the customer's photos", "approve"),
        (SM, I.DAMAGED_ITEM, S.UNDER_REVIEW, "approve a return, a replacement", "inspection"),
        (SM, I.MISSING_ITEM, S.SUBMITTED, "there is no return", "approve a return"),
        (SM, I.WRONG_ITEM, S.SUBMITTED, "the item that arrived", "inspection"),
        (SM, I.DAMAGED_ITEM, S.APPROVED, "Your decision is recorded", "approve"),
        (KX, I.MISSING_ITEM, S.RESOLVED, "applied per policy", "approve"),
        (SM, I.MISSING_ITEM, S.CLOSED, "closed", "approve"),
    ],
)
def test_what_happens_next_follows_the_path(method, issue, status, says, never):
    text = " ".join(what_happens_next(method, issue, status))
    assert says in text
    assert never not in text


@pytest.mark.parametrize(
    ("method", "issue", "status"),
    list(itertools.product(FulfillmentMethod, IssueType, ClaimStatus)),
)
def test_what_happens_next_says_something_for_every_state(method, issue, status):
    steps = what_happens_next(method, issue, status)
    assert steps and all(step.endswith(".") for step in steps)
    if method == KX:
        assert not any("approve a" in step.lower() for step in steps)


# --- The seller's review card ---------------------------------------------------------
# The seller's review card follows the claim's review path (issue 13, loose end): the
# guide's generic step rows show only where the issue type's path has that step, in its
# words; an editor's own rows stay as written.


MISSING, PARTIAL, DAMAGED, WRONG = (
    IssueType.MISSING_ITEM,
    IssueType.PARTIAL_ORDER,
    IssueType.DAMAGED_ITEM,
    IssueType.WRONG_ITEM,
)
SAME = object()  # the row's own text


@pytest.mark.parametrize(
    ("method", "issue", "row", "line"),
    [
        (KX, MISSING, "Damage is assessed during return inspection", None),
        (KX, PARTIAL, "Damage is assessed during return inspection", None),
        (KX, WRONG, "Damage is assessed during return inspection", None),
        (KX, DAMAGED, "Damage is assessed during return inspection", SAME),
        (KX, DAMAGED, "Packing logs are checked", None),
        (KX, MISSING, "packing logs are checked.", "Packing logs are checked"),
        (KX, MISSING, "Resolution is applied per policy", SAME),
        (SM, MISSING, "Ask for clear photos (item + packaging)", None),
        (SM, MISSING, "Confirm what was missing or damaged", "Confirm what was missing"),
        (SM, DAMAGED, "Confirm what was missing or damaged", "Confirm what was damaged"),
        (SM, WRONG, "Ask for clear photos (item + packaging)",
         "Ask for clear photos of the item that arrived"),
        (SM, MISSING, "Approve return, replacement, or refund after review",
         "Approve a replacement or a refund after review (nothing arrived to send back)"),
        (SM, DAMAGED, "Approve return, replacement, or refund after review",
         "Approve a return, a replacement or a refund after review"),
        # An editor's own words (or a reworded seeded row) are theirs.
        (KX, MISSING, "The courier's scan history is checked", SAME),
        (KX, MISSING, "Damage is assessed at the hub", SAME),
    ],
)  # fmt: skip
def test_card_step(method, issue, row, line):
    assert card_step(review_path(method, issue), row) == (row if line is SAME else line)


def test_the_decision_step_names_only_the_paths_outcomes():
    assert decision_step(review_path(KX, DAMAGED)) == "Resolution is applied per policy"
    assert "return" not in decision_step(review_path(SM, PARTIAL)).split("(")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("method", list(FulfillmentMethod))
@pytest.mark.parametrize("issue", list(IssueType))
def test_the_result_pages_review_card_follows_the_path(client, method, issue):
    submitted = make_claim(
        fulfillment_method=method,
        issue_type=issue,
        severity="major" if issue == DAMAGED else "",
        stock_available=True if method == SM else None,
        return_feasible=True if method == SM and not issue.is_missing else None,
    )
    page = client.get(f"/claim/r/{submitted.result_token}/").content.decode()
    card = re.search(r'<section class="guidance-card guidance-review".*?</section>', page, re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.group(0)))
    assert ("Damage is assessed during return inspection" in text) == (
        method == KX and issue == DAMAGED
    )
    assert ("Packing logs are checked" in text) == (method == KX and issue != DAMAGED)
    if method == SM:
        assert ("a return" in text) == (not issue.is_missing)
        assert ("item + packaging" in text) == (issue == DAMAGED)
