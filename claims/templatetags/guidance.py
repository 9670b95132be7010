"""Template helpers for the claim guidance partials (`{% load guidance %}`)."""

from django import template
from django.conf import settings
from django.utils.translation import gettext

from claims.guide_links import guide_url as _guide_url
from claims.guide_links import mailto_url

register = template.Library()


@register.filter
def guide_url(anchor: str = "") -> str:
    """`{{ item.anchor|guide_url }}`: the guide article at that section."""
    return _guide_url(anchor or "")


@register.simple_tag
def customer_mailto(customer_email: str, order_number: str, text: str, reference: str = "") -> str:
    """An email to the customer, prefilled with the reply (or the response template)."""
    subject = (
        gettext("Your order %(order_number)s") % {"order_number": order_number}
        if order_number
        else gettext("Your order")
    )
    if reference:
        subject = gettext("%(subject)s: claim %(reference)s") % {
            "subject": subject,
            "reference": reference,
        }
    return mailto_url(customer_email or "", subject=subject, body=text)


@register.simple_tag
def support_mailto(order_number: str, issue_label: str) -> str:
    """An email to Kingston Express Support with the order ID and issue type
    filled in, as the guide asks."""
    subject = gettext("Order %(order_number)s: %(issue)s") % {
        "order_number": order_number or gettext("(order ID)"),
        "issue": issue_label or gettext("(issue type)"),
    }
    body = "\n".join(
        [
            gettext("Order ID: %(order_number)s") % {"order_number": order_number or ""},
            gettext("Issue type: %(issue)s") % {"issue": issue_label or ""},
            "",
            gettext("Why I am contacting support:"),
            "",
        ]
    )
    return mailto_url(settings.KINGSTON_EXPRESS_SUPPORT_EMAIL, subject=subject, body=body)
