"""What readers do, counted per day without slowing a page or keeping who did it.

Searches (normalised, with no personal data: `stats_query`), searches that
found nothing, clicks on a result, article views and claims started from an
article are added up in each worker's memory. Nothing is written while a page
is being answered: the buffer goes to the database in one statement per table
after a response has been sent (Django's `request_finished`, which runs once
the server has written the body), at most every FLUSH_SECONDS per worker,
and when the worker exits. Cached pages stay one cache read.

A worker killed outright loses at most its last FLUSH_SECONDS of counts: these
are statistics, not records.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
import time
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, connection, transaction
from django.dispatch import receiver
from django.utils import timezone

from helpcentre.search import normalise_query

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 10.0
STATS_QUERY_LENGTH = 100

# Search counters: searches, no results, clicks. Article counters: views, claims started.
_SEARCH, _NO_RESULT, _CLICK = 0, 1, 2
_VIEW, _CLAIM = 0, 1

_EMAIL = re.compile(r"\S+@\S+")
# A word with four digits or more: an order number, a phone number, a postcode.
_NUMBERISH = re.compile(r"[\w-]*\d[\w-]*\d[\w-]*\d[\w-]*\d[\w-]*")


def stats_query(query: str) -> str:
    """The query as it is counted: lower case, words only, and nothing that
    could name a person or an order (email addresses, order or phone numbers
    become '[email]' and '#')."""
    text = normalise_query(query).lower()
    text = _EMAIL.sub(" [email] ", text)
    text = re.sub(r"[^\w\s\[\]#-]", " ", text)
    text = _NUMBERISH.sub("#", text)
    text = re.sub(r"(?<!\w)-|-(?!\w)", " ", text)  # a hyphen only inside a word
    return " ".join(text.split())[:STATS_QUERY_LENGTH].strip()


class Tally:
    """One worker's counts since its last flush."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._searches: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        self._articles: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
        self._last_flush = time.monotonic()

    def _add(self, table: dict, key: tuple, index: int) -> None:
        with self._lock:
            table[key][index] += 1

    def search(self, query: str, *, found: bool) -> None:
        counted = stats_query(query)
        if not counted:
            return
        day = timezone.localdate()
        with self._lock:
            row = self._searches[(day, counted)]
            row[_SEARCH] += 1
            if not found:
                row[_NO_RESULT] += 1

    def click(self, query: str) -> None:
        counted = stats_query(query)
        if counted:
            self._add(self._searches, (timezone.localdate(), counted), _CLICK)

    def view(self, slug: str) -> None:
        self._add(self._articles, (timezone.localdate(), slug), _VIEW)

    def claim_started(self, slug: str) -> None:
        self._add(self._articles, (timezone.localdate(), slug), _CLAIM)

    def pending(self) -> bool:
        return bool(self._searches or self._articles)

    def due(self) -> bool:
        interval = getattr(settings, "HELPCENTRE_TALLY_FLUSH_SECONDS", FLUSH_SECONDS)
        return self.pending() and time.monotonic() - self._last_flush >= interval

    def flush(self) -> None:
        """Add the counts to the day rows, in one statement per table."""
        with self._lock:
            searches, articles = dict(self._searches), dict(self._articles)
            self._reset()
        if not searches and not articles:
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if searches:
                    cursor.executemany(
                        _SEARCH_UPSERT, [(d, q, *counts) for (d, q), counts in searches.items()]
                    )
                if articles:
                    cursor.executemany(
                        _ARTICLE_UPSERT,
                        [(d, *counts, slug) for (d, slug), counts in articles.items()],
                    )
        except DatabaseError:
            logger.warning("Reader counts not written; kept for the next try", exc_info=True)
            with self._lock:
                for key, counts in searches.items():
                    row = self._searches[key]
                    row[:] = [a + b for a, b in zip(row, counts, strict=True)]
                for key, counts in articles.items():
                    row = self._articles[key]
                    row[:] = [a + b for a, b in zip(row, counts, strict=True)]

    def forget(self) -> None:
        """In a forked child: the parent's counts are the parent's to write."""
        self._lock = threading.Lock()
        self._reset()


# Both databases (PostgreSQL, SQLite 3.24+) add to an existing day row with ON CONFLICT.
_SEARCH_UPSERT = """
INSERT INTO helpcentre_searchqueryday (day, query, searches, no_results, clicks)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (day, query) DO UPDATE SET
    searches = helpcentre_searchqueryday.searches + excluded.searches,
    no_results = helpcentre_searchqueryday.no_results + excluded.no_results,
    clicks = helpcentre_searchqueryday.clicks + excluded.clicks
"""
# By slug: a cached page knows its slug, not its id. A slug no article has
# (deleted since, or typed by hand) inserts nothing.
_ARTICLE_UPSERT = """
INSERT INTO helpcentre_articleday (day, views, claims_started, article_id)
SELECT %s, %s, %s, id FROM helpcentre_article WHERE slug = %s
ON CONFLICT (day, article_id) DO UPDATE SET
    views = helpcentre_articleday.views + excluded.views,
    claims_started = helpcentre_articleday.claims_started + excluded.claims_started
"""

tally = Tally()
os.register_at_fork(after_in_child=tally.forget)


@receiver(request_finished, dispatch_uid="helpcentre-tally-flush")
def _flush_when_due(**kwargs):
    if tally.due():
        tally.flush()


@atexit.register
def _flush_at_exit():
    if tally.pending():
        try:
            tally.flush()
        except Exception:  # noqa: BLE001 - the process is ending; never fail its exit
            logger.warning("Reader counts lost at exit", exc_info=True)
