"""The absolute links to a claim's secret pages, as the emails and the seller's
page hand them out: from settings.SITE_BASE_URL, never from a request's Host.

Apart from `claims.services` so that the mail tasks, which the services enqueue,
can build them without importing the services back.
"""

from django.urls import reverse

from helpcentre.canonical import canonical_url

__all__ = ["customer_url", "result_url"]


def result_url(result_token: str) -> str:
    return canonical_url(reverse("claims:result", args=[result_token]))


def customer_url(customer_token: str) -> str:
    return canonical_url(reverse("claims:customer", args=[customer_token]))
