"""Public pages rendered once, then served from one cache read.

The article page (below) and the listings (home, category pages: see
`cached_listing` at the end).

Measured reasons (docs/benchmarks.md):

- Rendering the article template cost several milliseconds per request, about
  twenty times Django's own request/response cycle. The page is the same for
  every reader except the CSRF token and the comment form's "shown at" stamp,
  so it is rendered with unguessable slots in their place, cached, and the two
  values are put in per request.
- With the rendering cached, the page still ran at 11% of the trivial view,
  no faster than its own 304: in-process, the article's ORM query (building
  the SQL, the round trip, making the model) was about half of the request's
  time. So a reader without a session or pending messages is now answered
  from one cache read (`cached_entry`): the entry carries the page, its ETag
  and Last-Modified, and the versions it is valid for. No database query.

Each worker also keeps its own copy of an entry it has read (near_cache.py),
dropped by a Redis message whenever one of the versions below changes: a
warm page costs no round trip at all.

Validity, without purging page by page: an entry records two versions, read
*before* the article was read from the database, and is used only while both
are still current:

- the category list's version (`category_nav.category_nav_version()`), which
  changes on any article or category save or delete, related-article change,
  and when a scheduled article goes public (the list expires then): edits,
  publishing, unpublishing (drafts are never served from here), renames;
- the article's activity version (`activity_changed()`), changed by votes and
  comment approval, which update the article without a save.

Writers change a version immediately and again once their transaction has
committed, so a reader that rebuilt an entry from the data just before the
commit tags it with a version that is already gone.
"""

import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from helpcentre import near_cache
from helpcentre.category_nav import CATEGORY_NAV_KEY, category_nav_version
from helpcentre.forms import form_timestamp

PAGE_TTL = 60 * 60
# Longer than a page lives: an entry whose activity version has gone is unusable.
ACTIVITY_TTL = 2 * PAGE_TTL
MESSAGES_COOKIE = CookieStorage.cookie_name


@dataclass(frozen=True, slots=True)
class Entry:
    nav_version: str
    activity_version: str
    # UTF-8, with the slots (see csrf_slot() and stamp_slot()): kept as bytes,
    # a 24 KB page costs 33 µs to unpickle as text and 17 µs to encode again
    # for the response, against next to nothing as bytes.
    html: bytes
    etag_base: str
    last_modified: float  # a POSIX timestamp


@memoize
def _slot(secret: str, name: str) -> str:
    # Unguessable by an author, the same in every worker (shared cache).
    digest = hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()
    return f"slot{digest[:32]}"


def csrf_slot() -> str:
    return _slot(settings.SECRET_KEY, "csrf-token")


def stamp_slot() -> str:
    return _slot(settings.SECRET_KEY, "comment-stamp")


def page_key(slug: str) -> str:
    return f"helpcentre:article-page:v4:{slug}"


def activity_key(slug: str) -> str:
    return f"helpcentre:article-activity:v1:{slug}"


def _read_shared(key: str, *, also: tuple[str, ...] = (), valid: Callable) -> Any | None:
    """What `key` holds if `valid(value, nav_version, found)`: this worker's
    copy, or one cache round trip (then copied until the category list expires).

    The one way every shared page is read; `also` are further keys read in the
    same round trip for `valid` to look at in `found`.
    """
    value = near_cache.pages.get(key)
    if value is not None:
        return value
    found = cache.get_many([key, CATEGORY_NAV_KEY, *also])
    value, nav = found.get(key), found.get(CATEGORY_NAV_KEY)
    if value is None or nav is None or not valid(value, nav[0], found):
        return None
    near_cache.pages.put(key, value, expires_at=nav[2])
    return value


def cached_entry(slug: str) -> Entry | None:
    """The article's entry if it is still valid. No query either way."""
    activity = activity_key(slug)
    return _read_shared(
        page_key(slug),
        also=(activity,),
        valid=lambda entry, nav_version, found: (
            entry.nav_version == nav_version and entry.activity_version == found.get(activity)
        ),
    )


def current_versions(slug: str) -> tuple[str, str]:
    """(category list version, activity version), made if missing.

    Read before the article is read from the database, so that an entry built
    from data a writer is about to replace carries a version the writer drops.
    """
    key = activity_key(slug)
    activity = cache.get(key)
    if activity is None:
        cache.add(key, uuid.uuid4().hex, ACTIVITY_TTL)
        activity = cache.get(key)
    return category_nav_version(), activity


def store_entry(
    slug: str, *, versions: tuple[str, str], article, render: Callable[[dict], str]
) -> Entry:
    """Render the page with slots for the per-request values and cache it with its validators."""
    html = render({"csrf_token": csrf_slot(), "comment_stamp": stamp_slot()}).encode()
    entry = Entry(
        nav_version=versions[0],
        activity_version=versions[1],
        html=html,
        etag_base="|".join(
            [str(article.pk), article.updated_at.isoformat(), article.activity_at.isoformat()]
        ),
        last_modified=max(article.updated_at, article.activity_at).timestamp(),
    )
    cache.set(page_key(slug), entry, PAGE_TTL)
    return entry


def etag(entry: Entry, request) -> str:
    # The page holds a CSRF token, so the validator covers the reader's CSRF
    # cookie as well as the article and its votes/comments. Not the user: the
    # page is the same for everyone, and logging in or out rotates the CSRF
    # cookie anyway.
    parts = [
        entry.etag_base,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        str(settings.STATIC_URL),
    ]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def fill(entry: Entry, *, csrf_token: str, stamp: str) -> bytes:
    return entry.html.replace(csrf_slot().encode(), csrf_token.encode()).replace(
        stamp_slot().encode(), stamp.encode()
    )


def article_response(
    request, slug: str, *, get_object: Callable[[], Any], render: Callable[..., str]
) -> HttpResponse:
    """The article page: from the cache when it can be shared, else rendered.

    `get_object()` reads the published article (or raises Http404);
    `render(article, **overrides)` renders the template, `overrides` replacing
    context values (the slots).
    """
    if not settings.HELPCENTRE_PAGE_CACHE or _personal(request):
        response = HttpResponse(render(get_object()))
        patch_cache_control(response, private=True, no_cache=True)
        return response
    # Nothing on the shared page depends on the session, so signed-in readers get it too.
    entry = cached_entry(slug)
    if entry is None:
        versions = current_versions(slug)
        article = get_object()
        entry = store_entry(
            slug,
            versions=versions,
            article=article,
            render=lambda overrides: render(article, **overrides),
        )
    etag_value = etag(entry, request)
    response = get_conditional_response(
        request, etag=etag_value, last_modified=entry.last_modified
    ) or HttpResponse(fill(entry, csrf_token=get_token(request), stamp=form_timestamp()))
    response.headers["ETag"] = etag_value
    response.headers["Last-Modified"] = http_date(entry.last_modified)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _personal(request) -> bool:
    # Pending messages are shown on the page: rendered for this reader alone.
    return bool(request.COOKIES.get(MESSAGES_COOKIE))


def _bump_activity(slugs: list[str]) -> None:
    cache.set_many({activity_key(slug): uuid.uuid4().hex for slug in slugs}, ACTIVITY_TTL)
    near_cache.pages.changed()


def activity_changed(*, slugs: Iterable[str]) -> None:
    """Votes or approved comments changed these articles' pages: their entries are stale.

    Now, and again after the surrounding transaction commits (see the module's docstring).
    """
    slugs = list(slugs)
    if not slugs:
        return
    _bump_activity(slugs)
    transaction.on_commit(lambda: _bump_activity(slugs))


# --- Listings: the home page and the category pages ---------------------------
#
# They show the category list, article titles, summaries, counts and dates:
# nothing that changes without the category list's version changing too, and
# nothing personal (their only form, search, is a GET). So each is rendered
# once per version and served from one cache read until the version moves.


def listing_shared(request) -> bool:
    """Whether this request's listing may come from, and go to, the cache."""
    return settings.HELPCENTRE_LISTING_CACHE and not _personal(request)


def listing_key(*parts: str) -> str:
    return "helpcentre:listing:v1:" + ":".join(parts)


def cached_listing(key: str) -> bytes | None:
    """The listing's HTML if it was rendered for the current category list."""
    entry = cached_listing_entry(key)
    return None if entry is None else entry[0]


def cached_listing_entry(key: str) -> tuple[bytes, Any] | None:
    """(HTML, what was stored with it) if rendered for the current category list."""
    entry = _read_shared(key, valid=lambda entry, nav_version, _found: entry[0] == nav_version)
    return None if entry is None else (entry[1], entry[2] if len(entry) > 2 else None)


def store_listing(key: str, nav_version: str, html: bytes, extra: Any = None) -> None:
    """`nav_version` read before the page's data, as for the article entry; `extra`
    is kept with the page (the search page's number of results)."""
    cache.set(key, (nav_version, html, extra), PAGE_TTL)
