"""A small fixed-window rate limit on the shared cache.

Used where a stranger can knock: the customer's link (guessing tokens,
flooding uploads). With Redis configured the counts are shared by every
worker; with the local-memory cache they are per process, which still stops
one client hammering one worker.
"""

from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a
    # trusted proxy rewrites it, and the proxy is the place to fix REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True once more than `limit` hits fell in the window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
