"""Part of the review you can trust: no approval without the evidence or a written reason
(recorded in the timeline, the packet and the dashboard), the evidence packet for an
escalated claim, and the claim page's query count."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import workflow
from claims.choices import ClaimStatus
from claims.dashboard import dashboard_figures
from claims.models import ClaimTransition, Escalation
from claims.review import claim_apply_action, claim_escalate
from tests.factories import make_claim, make_draft_photo, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action
S = ClaimStatus


def change_url(claim):
    return f"/admin/claims/claim/{claim.pk}/change/"


def act(client, claim, **data):
    return client.post(f"/admin/claims/claim/{claim.pk}/act/", data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def reviewed(reviewer, *, photos=(), issue_type="damaged_item"):
    """A seller-managed claim under review with its whole checklist ticked."""
    claim = make_claim(
        fulfillment_method="seller_managed",
        issue_type=issue_type,
        severity="major" if issue_type == "damaged_item" else "",
        stock_available=True,
        photos=photos,
    ).claim
    state = workflow.initial_state(claim.fulfillment_method, claim.issue_type)
    return review_steps(
        claim,
        reviewer,
        (A.START_REVIEW, {}),
        *[(A.COMPLETE_CHECK, {"item": i.key}) for i in state.path.checklist],
    )


def test_the_issue_case_no_photos_three_ticks_and_approve_a_refund_is_refused(
    reviewer_client, reviewer
):
    claim = reviewed(reviewer)

    page = reviewer_client.get(change_url(claim)).content.decode()
    assert 'value="approve_refund"' in page  # offered, with the box for a reason
    assert "Evidence missing for an approval" in page
    assert "A photo of the item" in page
    response = act(reviewer_client, claim, do="approve_refund", note="Looks fine")

    assert any("Ask the customer for it, or write why" in m for m in messages_of(response))
    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == (S.UNDER_REVIEW, "")
    assert not claim.transitions.filter(action=A.APPROVE_REFUND).exists()


def test_an_approval_with_a_written_reason_is_recorded_everywhere(reviewer_client, reviewer):
    claim = reviewed(reviewer)
    reason = "The courier's own photo shows the crushed box; the customer has no camera."

    act(
        reviewer_client,
        claim,
        do="approve_replacement",
        note="Replacement sent from stock",
        without_evidence_reason=reason,
    )

    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == (S.APPROVED, "replacement")
    record = claim.transitions.get(action=A.APPROVE_REPLACEMENT)
    assert record.note == "Replacement sent from stock"
    assert record.params == {
        "without_evidence": "a photo of the item; a photo of the package or its packing materials",
        "without_evidence_reason": reason,
    }
    page = reviewer_client.get(change_url(claim)).content.decode()
    assert "approved without: a photo of the item" in page
    figures = dashboard_figures()
    assert figures.approved_without_evidence_count == 1
    assert figures.approved_without_evidence[0].claim == claim
    dashboard = reviewer_client.get("/admin/claims/claim/dashboard/").content.decode()
    assert "Approved without photos" in dashboard and claim.reference in dashboard
    assert reason.replace("'", "&#x27;") in dashboard
    packet = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/packet/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(packet.streaming_content)))
    timeline = json.loads(archive.read(f"evidence-{claim.reference}/timeline.json"))
    approval = next(e for e in timeline if e["title"] == "Approve a replacement")
    assert approval["details"]["reviewer's reason for approving without it"] == reason
    summary = archive.read(f"evidence-{claim.reference}/summary.txt").decode()
    assert "approved without: a photo of the item" in summary


def test_an_approval_with_the_evidence_needs_no_reason_and_records_none(reviewer):
    claim = reviewed(
        reviewer, photos=[make_draft_photo("item", seed=3), make_draft_photo("package", seed=4)]
    )

    claim_apply_action(claim=claim, action=A.APPROVE_REFUND, user=reviewer, note="ok")

    record = claim.transitions.get(action=A.APPROVE_REFUND)
    assert record.params == {}
    assert dashboard_figures().approved_without_evidence_count == 0


def test_a_missing_item_needs_a_package_photo_not_an_item_photo(reviewer_client, reviewer):
    claim = reviewed(
        reviewer, issue_type="missing_item", photos=[make_draft_photo("package", seed=5)]
    )

    page = reviewer_client.get(change_url(claim)).content.decode()
    assert "Evidence missing for an approval" not in page
    assert 'value="approve_return"' not in page  # nothing arrived to send back
    act(reviewer_client, claim, do="approve_refund")
    claim.refresh_from_db()
    assert claim.status == S.APPROVED


def test_a_tampered_return_on_a_missing_item_is_refused(reviewer_client, reviewer):
    claim = reviewed(
        reviewer, issue_type="partial_order", photos=[make_draft_photo("package", seed=7)]
    )

    response = act(reviewer_client, claim, action="approve_return", without_evidence_reason="x")

    assert any("Nothing arrived to send back" in m for m in messages_of(response))
    claim.refresh_from_db()
    assert claim.status == S.UNDER_REVIEW


# --- The packet of an escalated claim (it was a server error) ------------------------


@pytest.mark.parametrize("reason", list(Escalation.Reason))
def test_the_packet_of_an_escalated_claim_downloads(reviewer_client, reviewer, reason):
    claim = make_claim().claim
    claim_escalate(claim=claim, user=reviewer, reason=reason, note="Customer is shouting")

    response = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/packet/")

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    timeline = json.loads(archive.read(f"evidence-{claim.reference}/timeline.json"))
    escalation = next(e for e in timeline if e["kind"] == "escalation")
    assert escalation["details"]["issue_type"].startswith("Damaged item")
    assert escalation["details"]["order_id"] == claim.order_number


# --- The claim page's cost -----------------------------------------------------------


def test_the_claim_page_costs_the_same_queries_for_few_or_many_photos_and_steps(
    reviewer_client, reviewer
):
    def queries(claim):
        with CaptureQueriesContext(connection) as captured:
            assert reviewer_client.get(change_url(claim)).status_code == 200
        return len(captured)

    few = reviewed(reviewer, photos=[make_draft_photo("item", seed=40)])
    many = reviewed(reviewer, photos=[make_draft_photo("item", seed=41 + n) for n in range(6)])
    for n in range(3):
        claim_escalate(claim=many, user=reviewer, reason="customer_escalating", note=str(n))

    queries(few)  # the first page fills the guidance cache: a one-off, not per claim
    # 13 (12 and the personal data section's), and the signals' three (claims for the
    # order, other claims' photo hashes, the reviewer's checks): the two claims share
    # an order number and their photos look alike, so both have signals to show.
    assert queries(few) == queries(many) == 16
    assert ClaimTransition.objects.filter(claim=many).count() > 5
