"""claims.tasks, one task at a time: who each email goes to, what it holds, when it is
skipped, and what the scheduling functions queue on each kind of task backend."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.tasks import task_backends
from django.test import TestCase
from django.utils import timezone

from claims import tasks, workflow
from claims.choices import ClaimStatus, IssueType
from claims.evidence_requests import claim_request_evidence
from claims.models import Escalation, EvidenceRequest
from tests.factories import make_claim, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action
SITE = "http://127.0.0.1:8000"
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def submitted():
    """A filed claim, its own emails already sent and cleared."""
    claim = make_claim(seller_email="seller@example.com")
    mail.outbox.clear()
    return claim


def waiting_on_the_customer(reviewer):
    """A seller-managed claim under review whose reviewer asked for the packing materials."""
    claim = make_claim(
        fulfillment_method="seller_managed", stock_available=True, return_feasible=True
    ).claim
    review_steps(claim, reviewer, (A.START_REVIEW, {}))
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = claim_request_evidence(
            claim=claim, user=reviewer, kinds=["packing_materials"], note="Inside the box."
        )
    mail.outbox.clear()
    return request


# --- The confirmations when a claim is filed ---------------------------------------------


def test_the_customer_confirmation_goes_to_the_customer_with_their_link(submitted):
    link = f"{SITE}/claim/c/token/"

    tasks.send_customer_confirmation.call(
        claim_reference=submitted.claim.reference, customer_link=link
    )

    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Your report about order KX-48213579 has been received"
    assert link in message.body
    assert submitted.claim.reference in message.body


def test_the_seller_confirmation_holds_both_links(submitted):
    result, customer = f"{SITE}/claim/r/one/", f"{SITE}/claim/c/two/"

    tasks.send_seller_confirmation.call(
        claim_reference=submitted.claim.reference, result_link=result, customer_link=customer
    )

    (message,) = mail.outbox
    assert message.to == ["seller@example.com"]
    assert result in message.body and customer in message.body


def test_no_seller_email_means_no_seller_confirmation_and_a_warning_naming_the_claim(caplog):
    claim = make_claim(seller_email="").claim
    mail.outbox.clear()

    with caplog.at_level(logging.WARNING, logger="claims.tasks"):
        tasks.send_seller_confirmation.call(
            claim_reference=claim.reference,
            result_link=f"{SITE}/claim/r/one/",
            customer_link=f"{SITE}/claim/c/two/",
        )

    assert mail.outbox == []
    assert f"Claim {claim.reference}: no seller email, the address is not valid" in caplog.text


def test_one_foreign_link_stops_the_seller_confirmation(submitted):
    tasks.send_seller_confirmation.call(
        claim_reference=submitted.claim.reference,
        result_link=f"{SITE}/claim/r/one/",
        customer_link="https://evil.example/claim/c/two/",
    )

    assert mail.outbox == []


# --- The escalation to Kingston Express Support ------------------------------------------


def test_the_escalation_email_leads_with_the_order_id_and_issue_type(settings, reviewer):
    settings.SITE_BASE_URL = "https://help.example.com"
    claim = make_claim().claim
    escalation = Escalation.objects.create(
        claim=claim,
        order_number=claim.order_number,
        issue_type=claim.issue_type,
        reason=Escalation.Reason.INSPECTION_UNCLEAR,
        sent_to="support@kx.example",
        raised_by=reviewer,
        note="The photos disagree with the packing log.",
    )
    mail.outbox.clear()

    tasks.send_support_escalation.call(escalation_id=escalation.pk)

    (message,) = mail.outbox
    assert message.to == ["support@kx.example"]
    assert message.subject == f"Escalation: order KX-48213579 (claim {claim.reference})"
    lines = message.body.splitlines()
    assert lines[2:4] == ["Order ID: KX-48213579", f"Issue type: {IssueType.DAMAGED_ITEM.label}"]
    assert "Raised by: reviewer" in lines
    assert f"https://help.example.com/admin/claims/claim/{claim.pk}/change/" in lines


# --- The daily erasure ---------------------------------------------------------------------


def test_the_daily_erasure_reports_what_it_erased_by_kind():
    result = tasks.erase_personal_data_daily.call()

    assert result == {"claims": 0, "files": 0, "unsent_forms": 0, "comments": 0, "votes": 0}


def test_a_queue_that_cannot_defer_keeps_no_schedule():
    assert not task_backends["default"].supports_defer
    assert tasks.schedule_personal_data_erasure() is False


def test_the_next_daily_run_waits_a_day_by_default(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    before = timezone.now()
    assert tasks.schedule_personal_data_erasure(delay_seconds=60) is True

    waiting = DBTaskResult.objects.get()
    assert (
        before + timedelta(seconds=60)
        <= waiting.run_after
        <= timezone.now() + timedelta(seconds=60)
    )


# --- A reviewer's request for more evidence ---------------------------------------------


def test_a_deferred_task_is_queued_for_its_time_where_the_backend_can_defer(settings):
    settings.TASKS = DUMMY
    backend = task_backends["default"]
    backend.clear()
    when = timezone.now() + timedelta(days=3)

    assert tasks._enqueue_at(tasks.remind_evidence_request, when, request_id=7) is True

    (result,) = backend.results
    assert result.task.name == "remind_evidence_request"
    assert result.task.run_after == when
    assert result.kwargs == {"request_id": 7}


def test_without_deferral_nothing_is_queued_and_the_catch_up_command_does_it():
    sent = len(mail.outbox)
    when = timezone.now() + timedelta(days=3)

    assert tasks._enqueue_at(tasks.remind_evidence_request, when, request_id=7) is False
    assert len(mail.outbox) == sent


def test_the_request_email_names_what_is_asked_the_date_and_the_customers_link(reviewer):
    request = waiting_on_the_customer(reviewer)

    tasks.send_evidence_request.call(request_id=request.pk)

    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Photos are needed for your report about order KX-48213579"
    body = message.body
    assert "To review your report, we need:" in body
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        "- a photo of the packing materials"
    ]
    assert f"{SITE}/claim/c/" in body
    close_on = timezone.localtime(request.close_at)
    assert f"Please send them by {close_on.day} {close_on:%B %Y}." in body
    assert "Inside the box." not in body  # the note is on the customer's page only


def test_the_reminder_says_it_is_one(reviewer):
    request = waiting_on_the_customer(reviewer)

    tasks.send_evidence_request.call(request_id=request.pk, reminder=True)

    (message,) = mail.outbox
    assert message.subject == "Reminder: photos are still needed for order KX-48213579"
    assert "A reminder: to review your report, we still need:" in message.body


def test_no_email_for_a_request_that_is_no_longer_open(reviewer):
    request = waiting_on_the_customer(reviewer)
    EvidenceRequest.objects.filter(pk=request.pk).update(answered_at=timezone.now())

    tasks.send_evidence_request.call(request_id=request.pk)

    assert mail.outbox == []


def test_the_reminder_task_reminds_once_when_it_is_due(reviewer):
    request = waiting_on_the_customer(reviewer)
    EvidenceRequest.objects.filter(pk=request.pk).update(
        remind_at=timezone.now() - timedelta(minutes=1)
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.remind_evidence_request.call(request_id=request.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.remind_evidence_request.call(request_id=request.pk)

    (message,) = mail.outbox
    assert message.subject.startswith("Reminder:")
    request.refresh_from_db()
    assert request.reminded_at is not None


def test_the_reminder_task_early_does_nothing(reviewer):
    request = waiting_on_the_customer(reviewer)

    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.remind_evidence_request.call(request_id=request.pk)

    assert mail.outbox == []


def test_the_deadline_task_closes_an_unanswered_claim_only_once_it_is_due(reviewer):
    request = waiting_on_the_customer(reviewer)

    tasks.close_unanswered_request.call(request_id=request.pk)
    request.claim.refresh_from_db()
    assert request.claim.status == ClaimStatus.AWAITING_EVIDENCE

    EvidenceRequest.objects.filter(pk=request.pk).update(
        close_at=timezone.now() - timedelta(minutes=1),
        remind_at=timezone.now() - timedelta(days=1),
    )
    tasks.close_unanswered_request.call(request_id=request.pk)

    request.claim.refresh_from_db()
    assert request.claim.status == ClaimStatus.CLOSED
