"""One rate limit for the whole product: fixed windows counted in the cache.

Used wherever a stranger can knock: the customer's link (guessing tokens,
flooding uploads), the comment and vote forms, search, the claim form's
submit, and the admin login (password guessing). With Redis configured
(`REDIS_URL`) the counts live in the cache every worker and every app server
shares, so a client cannot spread its attempts over several workers; with the
local-memory cache they are per process, which still stops one client
hammering one worker. Each client is told apart by `client_ip` (behind a
trusted proxy, the address the proxy saw).
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from helpcentre.client_ip import client_ip

_PREFIX = "ratelimit:"
_ENDS = ":ends"


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits in each window of `window_seconds`."""

    limit: int
    window_seconds: int


def configured(name: str) -> Limit:
    """The limit named in settings.RATE_LIMITS (e.g. "comment")."""
    limit, window = settings.RATE_LIMITS[name]
    return Limit(limit=int(limit), window_seconds=int(window))


def over_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True once more than `limit` hits fell in the window."""
    cache_key = _PREFIX + key
    if cache.add(cache_key, 1, timeout=window_seconds):
        # When this window ends, so a refusal can say exactly when to come back.
        cache.set(cache_key + _ENDS, time.time() + window_seconds, timeout=window_seconds)
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        cache.set(cache_key + _ENDS, time.time() + window_seconds, timeout=window_seconds)
        count = 1
    return count > limit


def hit(key: str, limit: Limit) -> bool:
    """`over_limit` with a configured Limit."""
    return over_limit(key, limit=limit.limit, window_seconds=limit.window_seconds)


def reached(key: str, limit: Limit) -> bool:
    """True when `key` already used up its window, without counting a hit.

    For checks that must not cost anything themselves, such as "is this
    username locked?" before a login attempt (only failures are counted).
    """
    return int(cache.get(_PREFIX + key) or 0) >= limit.limit


def seconds_left(key: str, limit: Limit) -> int:
    """Seconds until `key`'s window ends (the whole window when unknown)."""
    ends = cache.get(_PREFIX + key + _ENDS)
    if ends is None:
        return limit.window_seconds
    return max(1, min(limit.window_seconds, math.ceil(ends - time.time())))


def reset(key: str) -> None:
    cache.delete_many([_PREFIX + key, _PREFIX + key + _ENDS])


def too_many_requests(request, *, retry_after: int, template="429.html", context=None):
    """The friendly "too many attempts" page: 429, Retry-After, never cached."""
    minutes = max(1, -(-retry_after // 60))
    response = render(request, template, {"minutes": minutes, **(context or {})}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def limit_per_ip(name: str, *, methods=("POST",)):
    """View decorator: the configured limit `name`, per client address, on `methods`."""

    def decorator(view):
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                limit = configured(name)
                key = f"{name}:{client_ip(request)}"
                if hit(key, limit):
                    return too_many_requests(request, retry_after=seconds_left(key, limit))
            return view(request, *args, **kwargs)

        wrapped.__name__ = getattr(view, "__name__", "view")
        wrapped.__doc__ = view.__doc__
        wrapped.__wrapped__ = view
        return wrapped

    return decorator
