"""Where the guidance rules are cached, and how an edit drops them.

Apart from `claims.selectors`, which fills the cache, so that the models'
save signals can drop it without importing the reads built on those models.
"""

from django.core.cache import cache
from django.db import transaction

# Bump the suffix when the cached dataclasses change shape, so a deploy never
# reads rules pickled by the previous code.
GUIDANCE_CACHE_KEY = "claims:guidance-rules:v2"
REPLY_CHECK_CACHE_KEY = "claims:reply-check-rules:v1"
# Edits invalidate the cache at once; the timeout only bounds how long a
# change made outside Django (raw SQL) can go unseen.
GUIDANCE_CACHE_TIMEOUT = 60 * 60


def invalidate_guidance_cache() -> None:
    """Forget the cached rows, now and again when the current transaction
    commits: a request reading between the two would otherwise cache the
    rows as they were before the edit."""
    keys = [GUIDANCE_CACHE_KEY, REPLY_CHECK_CACHE_KEY]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
