"""Where a claim stands, as the customer's link and the seller's result page say it."""

import pytest
from django.utils.html import escape

from claims import workflow
from claims.choices import ClaimStatus, InspectionResult, Outcome
from claims.status_text import next_step_for_customer
from tests.conftest import make_claim, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action


def _resolved(submitted, reviewer, outcome):
    return review_steps(
        submitted.claim,
        reviewer,
        (A.START_INSPECTION, {}),
        *[
            (A.COMPLETE_CHECK, {"item": i.key})
            for i in workflow.checklist_for("kingston_express", "damaged_item")
        ],
        (A.RECORD_INSPECTION_RESULT, {"result": InspectionResult.CONFIRMED}),
        (A.RESOLVE, {"outcome": outcome}),
    )


@pytest.mark.parametrize("destination", ["domestic", "international"])
def test_both_pages_show_the_status_and_what_happens_next(client, reviewer, destination):
    submitted = make_claim(destination=destination)
    claim = _resolved(submitted, reviewer, Outcome.REPLACEMENT)
    expected = next_step_for_customer(
        claim.fulfillment_method, claim.status, claim.is_international, outcome=claim.outcome
    )

    customer = client.get(f"/claim/c/{submitted.customer_token}/").content.decode()
    seller = client.get(f"/claim/r/{submitted.result_token}/").content.decode()

    # The seller reads the staff's name for the status, the customer a plain one.
    assert "Resolved per policy" in seller
    assert "Resolved per policy" not in customer
    assert ">Resolved<" in customer
    for page in (customer, seller):
        assert escape(expected) in page
        assert "The outcome is a replacement." in page
        international = "claims may take longer" in page
        assert international == (destination == "international")


def test_the_customer_page_follows_each_move(client, reviewer):
    submitted = make_claim()
    url = f"/claim/c/{submitted.customer_token}/"
    assert "Kingston Express will review it centrally" in client.get(url).content.decode()

    review_steps(submitted.claim, reviewer, (A.START_INSPECTION, {}))

    page = client.get(url).content.decode()
    assert submitted.claim.status == ClaimStatus.UNDER_INSPECTION
    assert "Kingston Express is inspecting the order" in page
    assert "instant" not in page.lower()
