"""`claims.facts`: a claim's answers as the rules read them, from the form's
strings or from a stored claim."""

import dataclasses

import pytest

from claims.choices import DamageSeverity, FulfillmentMethod, IssueType
from claims.facts import ClaimFacts
from claims.models import Claim
from tests.factories import make_claim_facts

KX = FulfillmentMethod.KINGSTON_EXPRESS
SELLER = FulfillmentMethod.SELLER_MANAGED
MISSING = IssueType.MISSING_ITEM
DAMAGED = IssueType.DAMAGED_ITEM
WRONG = IssueType.WRONG_ITEM


def test_claim_facts_accept_stored_strings_and_reject_unknown_values():
    facts = make_claim_facts(
        issue_type="wrong_item", fulfillment_method="seller_managed", severity="minor"
    )

    assert facts.issue_type is WRONG
    assert facts.fulfillment_method is SELLER
    assert facts.severity is DamageSeverity.MINOR
    with pytest.raises(ValueError):
        make_claim_facts(issue_type="lost_in_space")


# --- From a stored claim -----------------------------------------------------------

# (the claim's stored answers) -> the facts the rules see
FROM_CLAIM = [
    (
        {
            "issue_type": "damaged_item",
            "fulfillment_method": "kingston_express",
            "destination": "international",
            "severity": "severe",
            "stock_available": None,
            "return_feasible": None,
        },
        {
            "issue_type": DAMAGED,
            "fulfillment_method": KX,
            "is_international": True,
            "severity": DamageSeverity.SEVERE,
        },
    ),
    (
        {
            "issue_type": "missing_item",
            "fulfillment_method": "seller_managed",
            "destination": "domestic",
            "severity": "",
            "stock_available": True,
            "return_feasible": None,
        },
        {
            "issue_type": MISSING,
            "fulfillment_method": SELLER,
            "is_international": False,
            "severity": None,
            "stock_available": True,
        },
    ),
    (
        {
            "issue_type": "wrong_item",
            "fulfillment_method": "seller_managed",
            "destination": "international",
            "severity": "",
            "stock_available": False,
            "return_feasible": True,
        },
        {
            "issue_type": WRONG,
            "fulfillment_method": SELLER,
            "is_international": True,
            "stock_available": False,
            "return_feasible": True,
        },
    ),
]


@pytest.mark.parametrize(("stored", "expected"), FROM_CLAIM)
@pytest.mark.parametrize("photos_received", [None, True, False])
def test_claim_facts_from_a_stored_claim_are_its_answers(stored, expected, photos_received):
    facts = ClaimFacts.from_claim(Claim(**stored), photos_received=photos_received)

    assert facts == ClaimFacts(**expected, photos_received=photos_received)


def test_facts_are_a_frozen_value_and_answers_left_out_are_unknown():
    facts = make_claim_facts()
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.is_international = True
    assert hash(facts) == hash(make_claim_facts())
    assert (facts.severity, facts.stock_available, facts.return_feasible) == (None, None, None)
    assert facts.photos_received is None
