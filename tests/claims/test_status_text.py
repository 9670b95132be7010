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


# Each (method, status) the customer can be in, and the sentence only its text has.
CUSTOMER_TEXT_MARKS = {
    (KX, S.SUBMITTED): "Kingston Express will review it centrally",
    (KX, S.AWAITING_EVIDENCE): "They help Kingston Express inspect the order.",
    (KX, S.UNDER_INSPECTION): "Kingston Express is inspecting the order",
    (KX, S.INSPECTED): "The inspection is complete.",
    (KX, S.RESOLVED): "resolved per policy following the inspection",
    (SM, S.SUBMITTED): "The seller will review it",
    (SM, S.AWAITING_EVIDENCE): "so the seller can review and resolve this for you",
    (SM, S.UNDER_REVIEW): "The seller is reviewing your claim",
    (SM, S.APPROVED): "the seller has approved your claim",
    (SM, S.DECLINED): "the seller could not approve this claim",
    "closed": "This claim is closed.",
    # A status the path never reaches (data from another path) gets neutral words.
    "fallback": "Your claim is being handled.",
}

OUTCOME_MARKS = {
    Outcome.REPLACEMENT: "The outcome is a replacement.",
    Outcome.REFUND: "The outcome is a refund.",
    Outcome.RETURN: "The outcome is a return: the seller will tell you how.",
    Outcome.NO_ACTION: "No further action will be taken.",
}


def _text_row(method, status):
    if status == S.CLOSED:
        return "closed"
    return (method, status) if (method, status) in CUSTOMER_TEXT_MARKS else "fallback"


@pytest.mark.parametrize(
    ("method", "status"),
    list(itertools.product(FulfillmentMethod, ClaimStatus)),
    ids=lambda v: v.value,
)
def test_the_customer_reads_the_text_of_their_method_and_status_only(method, status):
    text = next_step_for_customer(method, status, False)

    row = _text_row(method, status)
    for other, mark in CUSTOMER_TEXT_MARKS.items():
        assert (mark in text) == (other == row), (other, mark)


@pytest.mark.parametrize(
    ("method", "status"),
    list(itertools.product(FulfillmentMethod, ClaimStatus)),
    ids=lambda v: v.value,
)
@pytest.mark.parametrize("outcome", [*Outcome, None], ids=lambda v: str(v))
def test_the_outcome_is_told_once_resolved_or_approved(method, status, outcome):
    text = next_step_for_customer(method, status, False, outcome=outcome)
    told = outcome is not None and status in (S.RESOLVED, S.APPROVED)

    for each, mark in OUTCOME_MARKS.items():
        assert (mark in text) == (told and each == outcome), mark
    as_stored = outcome.value if outcome is not None else ""
    assert next_step_for_customer(method.value, status.value, False, outcome=as_stored) == text


def test_the_customer_text_reads_status_then_outcome_then_the_international_note():
    text = next_step_for_customer(KX, S.RESOLVED, True, outcome=Outcome.REPLACEMENT)

    assert text == " ".join(
        [
            "Your claim has been resolved per policy following the inspection.",
            "The outcome is a replacement.",
            "This is an international order: claims may take longer, customs handling "
            "may affect the outcome, and some items may not be returned.",
        ]
    )
    closed = next_step_for_customer(SM, S.CLOSED, True, outcome=Outcome.REFUND)
    assert closed == (
        "This claim is closed. If something is still wrong, contact the seller through your order."
    )
