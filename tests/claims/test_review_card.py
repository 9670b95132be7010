"""The seller's review card follows the claim's review path (issue 13, loose end): the
guide's generic step rows show only where the issue type's path has that step, in its
words; an editor's own rows stay as written."""

import re

import pytest

from claims.choices import FulfillmentMethod, IssueType
from claims.paths import card_step, decision_step, review_path
from tests.conftest import make_claim

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
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
