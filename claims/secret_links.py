"""Pages behind a secret link: how a link becomes a claim, and what it answers when it cannot.

A wrong, expired or revoked link gets the same "not found" page as a link that
never existed, so nobody learns which tokens are real. Every answer is private:
never cached anywhere, never indexed.

The customer's link is rate limited twice: per client address on every request
(someone trying tokens), and per token on writes (one leaked link used to flood
a claim with uploads). The token is looked at only after the per-address limit,
so a flood of made-up tokens costs no query.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from claims import tokens
from claims.guide_links import guide_url
from claims.models import Claim, hash_token
from helpcentre import ratelimit

__all__ = [
    "claim_for_result_token",
    "link_not_found",
    "private",
    "too_many_requests",
    "with_customer_claim",
]


def private(response):
    """Secret-link pages: never cached anywhere, never indexed."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def link_not_found(request):
    response = render(request, "claims/link_not_found.html", {"guide_url": guide_url()}, status=404)
    return private(response)


def too_many_requests(request):
    return private(
        ratelimit.too_many_requests(request, retry_after=settings.CLAIM_RATE_LIMIT_WINDOW_SECONDS)
    )


def claim_for_result_token(token: str) -> Claim | None:
    if not tokens.looks_like_token(token):
        return None
    return Claim.objects.for_result_token(token).first()


def with_customer_claim(view):
    """View decorator for the customer's pages: the rate limits, then the claim
    behind the link, passed to the view as `claim` (or the "not found" page)."""

    @wraps(view)
    def wrapped(request, token: str, *args, **kwargs):
        window = settings.CLAIM_RATE_LIMIT_WINDOW_SECONDS
        if ratelimit.over_limit(
            f"customer-ip:{ratelimit.client_ip(request)}",
            limit=settings.CLAIM_RATE_LIMIT_PER_IP,
            window_seconds=window,
        ):
            return too_many_requests(request)
        if not tokens.looks_like_token(token):
            return link_not_found(request)
        if request.method == "POST" and ratelimit.over_limit(
            f"customer-token:{hash_token(token)[:32]}",
            limit=settings.CLAIM_RATE_LIMIT_PER_TOKEN,
            window_seconds=window,
        ):
            return too_many_requests(request)
        claim = Claim.objects.for_customer_token(token).first()
        if claim is None:
            return link_not_found(request)
        return view(request, token, *args, claim=claim, **kwargs)

    return wrapped
