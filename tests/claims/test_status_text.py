"""What the customer reads about their claim (claims/status_text.py): the status
tag and the next step for every fulfillment method and status."""

import itertools

import pytest

from claims.choices import ClaimStatus, FulfillmentMethod, Outcome
from claims.status_text import next_step_for_customer, status_for_customer

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
S = ClaimStatus

PROMISES = ("instant", "immediately", "right away", "straight away", "today", "within")


@pytest.mark.parametrize(
    ("method", "status", "is_international"),
    list(itertools.product(FulfillmentMethod, ClaimStatus, [False, True])),
)
def test_customer_status_text_never_promises_a_quick_result(method, status, is_international):
    text = next_step_for_customer(method, status, is_international)

    assert text
    assert text.endswith(".")
    assert not any(word in text.lower() for word in PROMISES)
    open_claim = status != S.CLOSED
    assert ("may take longer" in text) == (is_international and open_claim)
    assert "customs" not in text or is_international


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (S.SUBMITTED, "Received"),
        (S.AWAITING_EVIDENCE, "Waiting for your photos"),
        (S.UNDER_INSPECTION, "Being inspected"),
        (S.INSPECTED, "Inspected"),
        (S.RESOLVED, "Resolved"),
        (S.UNDER_REVIEW, "Being reviewed"),
        (S.APPROVED, "Approved"),
        (S.DECLINED, "Not approved"),
        (S.CLOSED, "Closed"),
    ],
)
def test_the_customer_sees_plain_status_names(status, label):
    assert status_for_customer(status) == label


def test_every_status_has_a_name_for_the_customer():
    assert {status_for_customer(status) for status in ClaimStatus}


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_INSPECTION])
def test_kingston_express_customer_text_follows_the_guides_response(status):
    text = next_step_for_customer(KX, status, False)
    assert "Once the inspection is complete, the next steps will be confirmed." in text


def test_seller_managed_customer_is_asked_for_photos_in_the_guides_words():
    text = next_step_for_customer(SM, S.AWAITING_EVIDENCE, False)
    assert "photos of the item and packaging" in text
    assert "review and resolve this for you" in text


def test_customer_text_names_the_outcome_once_decided():
    text = next_step_for_customer(SM, S.APPROVED, True, outcome=Outcome.REFUND)
    assert "The outcome is a refund." in text
    assert "may take longer" in text
    assert "refund" not in next_step_for_customer(SM, S.UNDER_REVIEW, False, outcome="refund")
