"""The public pages served from the cache, and the cache protocol: the one place it is explained.

Views make one call: `article_response()` for the article page,
`listing_response()` for the home, category and search pages. Other modules (category_nav.py,
near_cache.py, cache.py, services.py) point here.

What is cached (docs/benchmarks.md, "Speed layers", has the figures for each):

- The article page, rendered once for every reader (`page_key(slug)`): the
  page is the same for everyone but the CSRF token and the comment form's
  stamp, so it is rendered with unguessable slots for them (`csrf_slot()`,
  `stamp_slot()`), filled in per request. The entry carries the HTML, the
  ETag's base and Last-Modified, so a warm GET or 304 is one cache read and
  no query. Readers with pending messages get a page of their own.
- The listings (`listing_key(...)`): home, each page of a category, each
  search query, rendered once. Nothing on them is personal.

Valid by version, never purged page by page. Each entry records the
versions it was built for, read *before* its data was read, and is used only
while they are current:

- the category list's version (`category_nav.CATEGORY_NAV_KEY`, read with
  the entry in one `get_many`): it changes on any article or category save or
  delete and related-article change (signals in apps.py call
  `category_nav_invalidate()`), and the list expires when a scheduled article
  goes public. Every entry depends on it.
- the article's activity version (`activity_key(slug)`, changed by
  `activity_changed()`): votes and approved comments, which change the page
  without a save. Only the article entry depends on it.

Writers change a version now and again once their transaction commits, so an
entry rebuilt from data read just before the commit carries a version that is
already gone.

Near copies (near_cache.py): each worker keeps a copy of an entry it read,
until the category list expires, MAX_AGE passes, or a message says a version
changed. Every version change above also publishes a message on a Redis
channel (`near_cache.pages.changed()`); each worker, subscribed on a
connection of its own (cache.py), reads the waiting messages without a round
trip before handing out a copy, and any message drops all its copies. A lost
subscription drops them too, and none are kept until Redis confirms a new
one. Without Redis (Django's memory cache) nothing is copied.

Each layer has a switch in settings (HELPCENTRE_PAGE_CACHE,
HELPCENTRE_LISTING_CACHE, HELPCENTRE_NEAR_CACHE), on by default, so that
`make bench` can measure what it earns.
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


# --- Listings: home, category and search pages --------------------------------
#
# Nothing on them changes without the category list's version changing too,
# and nothing is personal (their only form, search, is a GET).


def listing_response(
    request, key: str, *, render: Callable[[], Any], extra: Callable[[Any], Any] = lambda _: None
) -> tuple[HttpResponse, Any]:
    """(The listing, `extra(response)` as stored with it): from the cache if it was
    rendered for the current category list, else `render()` (a TemplateResponse),
    then stored. Rendered for this reader alone when they have pending messages."""
    if not settings.HELPCENTRE_LISTING_CACHE or _personal(request):
        response = render()
        return response, extra(response)
    entry = _read_shared(key, valid=lambda entry, nav_version, _found: entry[0] == nav_version)
    if entry is not None:
        return HttpResponse(entry[1]), entry[2]
    nav_version = category_nav_version()  # before the data, as for the article entry
    response = render()
    response.render()
    stored = extra(response)
    cache.set(key, (nav_version, response.content, stored), PAGE_TTL)
    return response, stored


def listing_key(*parts: str) -> str:
    return "helpcentre:listing:v1:" + ":".join(parts)
