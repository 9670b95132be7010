"""Ask for more, and stop the clock (issue 13, part 3): a reviewer asks the customer for
named evidence with a note; the customer's page shows exactly that; a reminder and the
final deadline through the task worker, each in the timeline; the response date pauses
while the claim waits on the customer, and the dashboard leaves that time out."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from claims import workflow
from claims.choices import ClaimStatus
from claims.customer_evidence import claim_add_customer_evidence
from claims.dashboard import dashboard_figures
from claims.evidence_requests import (
    claim_request_evidence,
    evidence_request_close,
    evidence_request_remind,
)
from claims.models import Claim, ClaimTransition, EvidenceRequest
from claims.review import claim_apply_action
from claims.services import claim_revoke_customer_link
from tests.factories import as_upload, make_claim, make_jpeg, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action
S = ClaimStatus


def act(client, claim, **data):
    return client.post(f"/admin/claims/claim/{claim.pk}/act/", data, follow=True)


def under_review(reviewer):
    submitted = make_claim(
        fulfillment_method="seller_managed", stock_available=True, return_feasible=True
    )
    review_steps(submitted.claim, reviewer, (A.START_REVIEW, {}))
    return submitted


def ask(claim, reviewer, kinds=("packing_materials",), note="Please show the inside of the box."):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return claim_request_evidence(claim=claim, user=reviewer, kinds=kinds, note=note)


def processed(kind, seed):
    from claims.photos import process_photo

    return kind, process_photo(as_upload(make_jpeg(seed=seed), f"{kind}.jpg"))


def test_the_reviewer_asks_for_named_evidence_and_the_customer_sees_exactly_that(
    reviewer_client, reviewer, client
):
    submitted = under_review(reviewer)
    claim = submitted.claim
    mail.outbox.clear()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = act(
            reviewer_client,
            claim,
            action="request_evidence",
            kinds=["packing_materials", "package"],
            note="Please show the inside of the box.",
        )

    text = response.content.decode()
    assert "Asked the customer for a photo of the packing materials" in text
    claim.refresh_from_db()
    assert claim.status == S.AWAITING_EVIDENCE and claim.awaiting_customer_since is not None
    request = EvidenceRequest.objects.get(claim=claim)
    assert request.kinds == ["packing_materials", "package"]
    assert abs(request.close_at - request.created_at - timedelta(days=7)) < timedelta(seconds=5)
    assert abs(request.remind_at - request.created_at - timedelta(days=3)) < timedelta(seconds=5)
    record = claim.transitions.get(action=A.REQUEST_EVIDENCE)
    assert record.params["asked_for"].startswith("a photo of the packing materials; a photo of")
    assert record.note == "Please show the inside of the box." and record.actor == reviewer
    # The email: our words and the link only; the note waits on the customer's page.
    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert "a photo of the packing materials" in message.body
    assert f"/claim/c/{submitted.customer_token}/" in message.body
    assert "inside of the box" not in message.body
    page = client.get(f"/claim/c/{submitted.customer_token}/").content.decode()
    assert "What we need from you" in page
    assert "A photo of the packing materials" in page and "A photo of the package" in page
    assert "Please show the inside of the box." in page
    assert (
        "Waiting on the customer"
        in reviewer_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    )


@pytest.mark.parametrize(
    ("kinds", "note", "message"),
    [
        ([], "", "Choose what the customer should send"),
        (["a box"], "", "Choose what the customer should send"),
        (["item"], "x" * 1001, "under 1,000 characters"),
    ],
)
def test_a_request_without_named_evidence_or_with_a_long_note_is_refused(
    reviewer, kinds, note, message
):
    claim = under_review(reviewer).claim
    with pytest.raises(workflow.TransitionRefused, match=message):
        claim_request_evidence(claim=claim, user=reviewer, kinds=kinds, note=note)
    claim.refresh_from_db()
    assert claim.status == S.UNDER_REVIEW and not EvidenceRequest.objects.exists()


def test_the_admin_refuses_a_request_with_nothing_chosen_in_words(reviewer_client, reviewer):
    claim = under_review(reviewer).claim
    response = act(reviewer_client, claim, action="request_evidence", note="Hi")
    assert "Choose what the customer should send; nothing was asked." in response.content.decode()
    assert not EvidenceRequest.objects.exists()


def test_no_request_through_a_switched_off_link(reviewer):
    claim = under_review(reviewer).claim
    claim_revoke_customer_link(claim=claim)
    with pytest.raises(workflow.TransitionRefused, match="link is switched off"):
        claim_request_evidence(claim=claim, user=reviewer, kinds=["item"])


def test_the_customer_sending_what_was_asked_restarts_the_clock_by_the_time_waited(reviewer):
    claim = under_review(reviewer).claim
    due = claim.response_due_at
    ask(claim, reviewer, kinds=["packing_materials"])
    # Two days waiting on the customer.
    Claim.objects.filter(pk=claim.pk).update(
        awaiting_customer_since=timezone.now() - timedelta(days=2)
    )
    claim_add_customer_evidence(claim_id=claim.pk, photos=[processed("item", 1)])
    claim.refresh_from_db()
    assert claim.status == S.AWAITING_EVIDENCE  # not what was asked for: still waiting

    claim_add_customer_evidence(claim_id=claim.pk, photos=[processed("packing_materials", 2)])

    claim.refresh_from_db()
    assert claim.status == S.UNDER_REVIEW and claim.awaiting_customer_since is None
    assert timedelta(days=2) <= claim.customer_wait < timedelta(days=2, minutes=1)
    assert timedelta(days=2) <= claim.response_due_at - due < timedelta(days=2, minutes=1)
    assert EvidenceRequest.objects.get(claim=claim).answered_at is not None


def test_a_claim_waiting_on_the_customer_is_never_overdue(reviewer):
    claim = under_review(reviewer).claim
    ask(claim, reviewer)
    Claim.objects.filter(pk=claim.pk).update(response_due_at=timezone.now() - timedelta(days=1))
    claim.refresh_from_db()
    assert not claim.is_overdue
    assert not Claim.objects.overdue().filter(pk=claim.pk).exists()
    # The reviewer records the evidence themselves (sent another way): the clock runs.
    claim_apply_action(claim=claim, action=A.EVIDENCE_RECEIVED, user=reviewer)
    claim.refresh_from_db()
    assert claim.awaiting_customer_since is None
    assert EvidenceRequest.objects.get(claim=claim).answered_at is not None


def test_the_reminder_goes_once_at_its_time_and_is_in_the_timeline(reviewer):
    claim = under_review(reviewer).claim
    request = ask(claim, reviewer)
    mail.outbox.clear()

    assert not evidence_request_remind(request_id=request.pk)  # too early: nothing
    later = request.remind_at + timedelta(seconds=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert evidence_request_remind(request_id=request.pk, now=later)
    assert not evidence_request_remind(request_id=request.pk, now=later)  # once

    (message,) = mail.outbox
    assert message.subject.startswith("Reminder: photos are still needed")
    record = claim.transitions.get(action=ClaimTransition.EVIDENCE_REMINDER_SENT)
    assert record.action_label == "Reminder sent to the customer"
    assert (record.from_status, record.to_status) == (S.AWAITING_EVIDENCE, S.AWAITING_EVIDENCE)


def test_no_answer_by_the_final_deadline_closes_the_claim_as_no_response(reviewer_client, reviewer):
    claim = under_review(reviewer).claim
    request = ask(claim, reviewer)

    assert not evidence_request_close(request_id=request.pk, now=request.remind_at)
    assert evidence_request_close(request_id=request.pk, now=request.close_at)
    assert not evidence_request_close(request_id=request.pk, now=request.close_at)

    claim.refresh_from_db()
    assert claim.status == S.CLOSED and claim.decided_at is None and claim.outcome == ""
    record = claim.transitions.get(action=A.CLOSE_NO_RESPONSE)
    assert record.actor is None and "No answer from the customer by" in record.note
    page = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "Closed: no response from the customer" in page and "task worker" in page


def test_a_claim_that_moved_on_is_not_closed_at_the_old_deadline(reviewer):
    claim = under_review(reviewer).claim
    request = ask(claim, reviewer)
    claim_apply_action(claim=claim, action=A.EVIDENCE_RECEIVED, user=reviewer)
    assert not evidence_request_close(request_id=request.pk, now=request.close_at)
    claim.refresh_from_db()
    assert claim.status == S.UNDER_REVIEW


def test_the_reviewer_cannot_close_a_claim_for_no_response_by_hand(reviewer_client, reviewer):
    claim = under_review(reviewer).claim
    ask(claim, reviewer)
    page = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'value="close_no_response"' not in page
    response = act(reviewer_client, claim, do="close_no_response")
    assert "closes for no response by itself" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.AWAITING_EVIDENCE


def test_the_task_worker_gets_the_reminder_and_the_deadline_at_their_times(settings, reviewer):
    from django.tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    claim = under_review(reviewer).claim
    task_backends["default"].clear()
    request = ask(claim, reviewer)
    queued = {
        (result.task.name, result.task.run_after) for result in task_backends["default"].results
    }
    assert queued == {
        ("send_evidence_request", None),
        ("remind_evidence_request", request.remind_at),
        ("close_unanswered_request", request.close_at),
    }


def test_the_sweep_catches_up_what_the_worker_missed(reviewer):
    claim = under_review(reviewer).claim
    request = ask(claim, reviewer)
    EvidenceRequest.objects.filter(pk=request.pk).update(
        remind_at=timezone.now() - timedelta(days=4), close_at=timezone.now() - timedelta(hours=1)
    )
    from io import StringIO

    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("claims_evidence_requests", stdout=out)
    assert out.getvalue().strip() == "Reminders sent: 1. Closed for no response: 1."
    claim.refresh_from_db()
    assert claim.status == S.CLOSED


def test_the_dashboard_leaves_the_customers_time_out_of_time_to_resolution(reviewer):
    claim = under_review(reviewer).claim
    # Decided 5 days after submission, of which 4 were spent waiting on the customer.
    Claim.objects.filter(pk=claim.pk).update(
        decided_at=claim.created_at + timedelta(days=5),
        customer_wait=timedelta(days=4),
        status=S.APPROVED,
        outcome="replacement",
    )
    # One day of the reviewer's: the "1-2 days" range, not "5-10 days".
    assert [n for _label, n in dashboard_figures().resolution_bins] == [0, 1, 0, 0, 0, 0]
    Claim.objects.filter(pk=claim.pk).update(customer_wait=timedelta(0))
    assert [n for _label, n in dashboard_figures().resolution_bins] == [0, 0, 0, 0, 1, 0]
