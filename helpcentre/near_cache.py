"""Each worker's own copy of the shared pages, kept true by messages from Redis.

The protocol (when a copy is kept, what drops it) is explained with the rest
of the cache protocol in page_cache.py's docstring; the figures that keep this
layer are in docs/benchmarks.md, "Speed layers". A copy costs a dictionary
lookup and one poll of the subscription's socket; the shared cache, a round
trip to Redis.

Redis writes a message to the subscribers before it answers the publisher, so
a page asked for after an edit has been saved shows the edit.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.signals import setting_changed
from django.dispatch import receiver

CHANNEL = "helpcentre:shared-pages-changed"
MAX_AGE = 60.0
MAX_ITEMS = 256  # pages of ~25 KB: a few MB per worker at most
# After a failed subscription, how long to serve from the shared cache alone
# before trying again (not a connection attempt on every request).
RETRY_AFTER = 5.0


class NearCache:
    def __init__(
        self, shared=None, *, max_age: float = MAX_AGE, max_items: int = MAX_ITEMS
    ) -> None:
        self._shared = shared  # None: Django's default cache
        self._max_age = max_age
        self._max_items = max_items
        self._copies: dict[str, tuple[float, Any]] = {}
        self._subscription = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def shared(self):
        return default_cache if self._shared is None else self._shared

    def get(self, key: str) -> Any | None:
        if not settings.HELPCENTRE_NEAR_CACHE:
            return None  # put() keeps nothing either
        with self._lock:
            if not self._up_to_date():
                return None
            found = self._copies.get(key)
            if found is None:
                return None
            expires_at, value = found
            if time.time() >= expires_at:
                del self._copies[key]
                return None
            return value

    def put(self, key: str, value: Any, *, expires_at: float) -> None:
        """Keep `value`, read from the shared cache since the last get(), until `expires_at`."""
        if not settings.HELPCENTRE_NEAR_CACHE:
            return
        with self._lock:
            if self._subscription is None:
                return  # no messages: a copy could not be kept true
            if len(self._copies) >= self._max_items:
                del self._copies[next(iter(self._copies))]  # the oldest
            self._copies[key] = (min(expires_at, time.time() + self._max_age), value)

    def changed(self) -> None:
        """A shared page is out of date: every worker drops its copies."""
        with self._lock:
            self._copies.clear()
        publish = getattr(self.shared, "publish", None)
        if publish is not None:
            publish(CHANNEL)

    def close(self) -> None:
        """Drop the copies and the subscription (the cache settings changed)."""
        with self._lock:
            self._copies.clear()
            self._retry_at = 0.0
            if self._subscription is not None:
                self._drop_subscription()

    def forget(self) -> None:
        """In a forked child: start empty, with a subscription of its own.

        No locking: the parent's lock may have been held by another thread at
        the fork, and the child has only this one. The parent's connection is
        left alone (redis-py never shuts down a socket from another process).
        """
        self._lock = threading.Lock()
        self._copies = {}
        self._subscription = None
        self._retry_at = 0.0

    def _up_to_date(self) -> bool:
        """Apply the messages waiting; False when no copy can be trusted."""
        shared = self.shared
        if self._subscription is None:
            subscribe = getattr(shared, "subscribe", None)
            if subscribe is None or time.monotonic() < self._retry_at:
                return False
            self._copies.clear()
            try:
                self._subscription = subscribe(CHANNEL)
            except shared.message_errors:
                self._retry_at = time.monotonic() + RETRY_AFTER
                return False
            return True
        try:
            if self._subscription.pending():
                self._copies.clear()
        except shared.message_errors:
            self._copies.clear()
            self._drop_subscription()
            return False
        return True

    def _drop_subscription(self) -> None:
        subscription, self._subscription = self._subscription, None
        with contextlib.suppress(*self.shared.message_errors):
            subscription.close()


# The shared pages' copies in this worker (page_cache.py).
pages = NearCache()
os.register_at_fork(after_in_child=pages.forget)


@receiver(setting_changed)
def _cache_settings_changed(*, setting, **kwargs):
    # As Django drops its cache connections: copies and the channel belonged
    # to the cache configured before (tests change CACHES).
    if setting == "CACHES":
        pages.close()
