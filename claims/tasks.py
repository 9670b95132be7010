"""Emails about claims, sent in the background through django.tasks.

Arguments are plain strings (the task queue stores them as JSON). Links come
from settings.SITE_BASE_URL, never from a request's Host header.

The customer's and the seller's emails go to addresses typed into a public
form, so they are built from fields whose shape we control and nothing else
(claims/mail.py decides what may go in and how many one mailbox may get).
Their templates get those fields, never the claim itself.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.tasks import task
from django.template.loader import render_to_string

from claims import mail
from claims.choices import IssueType
from claims.models import Claim

logger = logging.getLogger(__name__)


def _send_to_claimant(
    *, claim: Claim, role: str, address: str, template: str, context: dict, links: list[str]
) -> bool:
    """Send one claim email to a typed-in address, unless something about it is off.

    Skipped (with a warning that names the claim, never the address): an
    address that is not one, a link that is not ours, or a mailbox that had
    its share of claim emails. The claim itself stays filed either way.
    """
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("Claim %s: no %s email, the address is not valid", claim.reference, role)
        return False
    if not all(mail.is_our_link(link) for link in links):
        logger.error("Claim %s: no %s email, a link is not on SITE_BASE_URL", claim.reference, role)
        return False
    if not mail.recipient_allowed(address):
        logger.warning(
            "Claim %s: no %s email, that address already had its claim emails for now",
            claim.reference,
            role,
        )
        return False
    context = {
        "reference": claim.reference,
        "order_number": mail.mail_order_number(claim.order_number),
        "site": mail.site_host(),
        **context,
    }
    send_mail(
        subject=mail.one_line(render_to_string(f"claims/email/{template}_subject.txt", context)),
        message=render_to_string(f"claims/email/{template}_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )
    return True


def _invitation(claim: Claim) -> str:
    """What the customer is asked to do through their link: the reply's words,
    naming the photos this issue type needs (never an item that did not arrive)."""
    from claims.facts import ClaimFacts
    from claims.reply import invitation
    from claims.selectors import evidence_rules_for

    facts = ClaimFacts.from_claim(claim, photos_received=claim.photos.exists())
    return invitation(facts, evidence_rules_for(facts))


@task
def send_customer_confirmation(*, claim_reference: str, customer_link: str) -> None:
    claim = Claim.objects.get(reference=claim_reference)
    _send_to_claimant(
        claim=claim,
        role="customer",
        address=claim.customer_email,
        template="customer",
        context={
            "greeting": mail.greeting(claim.customer_name),
            "invitation": _invitation(claim),
            "customer_link": customer_link,
            "link_days": settings.CLAIM_CUSTOMER_LINK_DAYS,
        },
        links=[customer_link],
    )


@task
def send_seller_confirmation(*, claim_reference: str, result_link: str, customer_link: str) -> None:
    claim = Claim.objects.get(reference=claim_reference)
    _send_to_claimant(
        claim=claim,
        role="seller",
        address=claim.seller_email,
        template="seller",
        context={"result_link": result_link, "customer_link": customer_link},
        links=[result_link, customer_link],
    )


@task
def send_support_escalation(*, escalation_id: int) -> None:
    """Tell Kingston Express Support about an escalated claim: order ID and issue type first."""
    from django.urls import reverse

    from claims.models import Escalation

    escalation = Escalation.objects.select_related("claim", "raised_by").get(pk=escalation_id)
    claim = escalation.claim
    context = {
        "escalation": escalation,
        "claim": claim,
        "order_number": mail.mail_order_number(escalation.order_number),
        "issue_label": IssueType(escalation.issue_type).label,
        "admin_link": settings.SITE_BASE_URL
        + reverse("admin:claims_claim_change", args=[claim.pk]),
    }
    send_mail(
        subject=mail.one_line(render_to_string("claims/email/escalation_subject.txt", context)),
        message=render_to_string("claims/email/escalation_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[escalation.sent_to],
    )


# --- Personal data: erased daily ----------------------------------------------------

ERASURE_EVERY = 24 * 60 * 60  # seconds


@task
def erase_personal_data_daily() -> dict:
    """Erase what the retention settings say is due, then queue tomorrow's run.

    `manage.py erase_personal_data --schedule` queues the first (deploy/serve.py
    does at start); each run queues the next, once, on a database queue.
    """
    from claims.erasure_run import erase_everything_due

    run = erase_everything_due()
    schedule_personal_data_erasure()
    return {
        "claims": len(run.claims.erased),
        "files": run.claims.files_deleted + run.claims.resumed_files,
        "unsent_forms": run.unsent_forms,
        "comments": run.comments,
        "votes": run.votes,
    }


def schedule_personal_data_erasure(*, delay_seconds: int = ERASURE_EVERY) -> bool:
    """Queue the next daily run unless one is already waiting. Only a queue that
    can defer work (TASKS_BACKEND=database) can keep a schedule; returns whether
    a run was queued."""
    from datetime import timedelta

    from django.tasks import task_backends
    from django.utils import timezone

    backend = task_backends["default"]
    if not backend.supports_defer:
        return False
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    # A waiting run, due or not: a second one would double the schedule every day.
    if DBTaskResult.objects.filter(
        task_path=erase_personal_data_daily.module_path, status=TaskResultStatus.READY
    ).exists():
        return False
    erase_personal_data_daily.using(
        run_after=timezone.now() + timedelta(seconds=delay_seconds)
    ).enqueue()
    return True


# --- A reviewer's request for more evidence (claims.evidence_requests) ---


def _enqueue_at(task_, when, **kwargs) -> bool:
    """Enqueue `task_` to run at `when`, where the backend can defer (the database
    queue can; the immediate backend of `make run` cannot, and there
    `manage.py claims_evidence_requests` does the same work when it runs)."""
    if not task_.get_backend().supports_defer:
        return False
    task_.using(run_after=when).enqueue(**kwargs)
    return True


def schedule_evidence_request(*, request_id: int) -> None:
    """The customer's email now; the reminder and the final deadline at their times."""
    from claims.models import EvidenceRequest

    request = EvidenceRequest.objects.get(pk=request_id)
    send_evidence_request.enqueue(request_id=request_id, reminder=False)
    _enqueue_at(remind_evidence_request, request.remind_at, request_id=request_id)
    _enqueue_at(close_unanswered_request, request.close_at, request_id=request_id)


@task
def send_evidence_request(*, request_id: int, reminder: bool = False) -> None:
    """Email the customer what the reviewer asks for, with their link (or a reminder).

    Only our own words: the labels of what is asked, the final date, the claim's
    reference and order number, and the link. The reviewer's note is on the
    customer's page, not in the email.
    """
    from django.utils import formats, timezone

    from claims import tokens
    from claims.links import customer_url
    from claims.models import EvidenceRequest

    request = EvidenceRequest.objects.select_related("claim").get(pk=request_id)
    claim = request.claim
    if not request.is_open:
        return
    customer_token = tokens.customer_token_for(
        tokens.result_token_for(claim.submission_key), claim.customer_link_nonce
    )
    link = customer_url(customer_token)
    _send_to_claimant(
        claim=claim,
        role="customer",
        address=claim.customer_email,
        template="evidence_request",
        context={
            "greeting": mail.greeting(claim.customer_name),
            "asked": request.asked_labels,
            "customer_link": link,
            "close_on": formats.date_format(timezone.localtime(request.close_at), "j F Y"),
            "reminder": reminder,
        },
        links=[link],
    )


@task
def remind_evidence_request(*, request_id: int) -> None:
    """At the reminder time: remind the customer, if the request is still open."""
    from claims.evidence_requests import evidence_request_remind

    evidence_request_remind(request_id=request_id)


@task
def close_unanswered_request(*, request_id: int) -> None:
    """At the final deadline: close the claim as "no response", if still unanswered."""
    from claims.evidence_requests import evidence_request_close

    evidence_request_close(request_id=request_id)
