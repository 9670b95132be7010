"""Emails about claims, sent in the background through django.tasks.

Arguments are plain strings (the task queue stores them as JSON). Links come
from settings.SITE_BASE_URL, never from a request's Host header.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from claims.models import Claim


@task
def send_customer_confirmation(*, claim_reference: str, customer_link: str) -> None:
    claim = Claim.objects.get(reference=claim_reference)
    context = {
        "claim": claim,
        "customer_link": customer_link,
        "link_days": settings.CLAIM_CUSTOMER_LINK_DAYS,
    }
    send_mail(
        subject=render_to_string("claims/email/customer_subject.txt", context).strip(),
        message=render_to_string("claims/email/customer_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[claim.customer_email],
    )


@task
def send_seller_confirmation(*, claim_reference: str, result_link: str, customer_link: str) -> None:
    claim = Claim.objects.get(reference=claim_reference)
    context = {"claim": claim, "result_link": result_link, "customer_link": customer_link}
    send_mail(
        subject=render_to_string("claims/email/seller_subject.txt", context).strip(),
        message=render_to_string("claims/email/seller_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[claim.seller_email],
    )
