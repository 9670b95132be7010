"""The article page rendered once and reused, for every reader, until something on it changes.

Measured reason (docs/benchmarks.md): rendering the article template costs
several milliseconds per request, about twenty times what Django's own
request/response cycle costs, so the page ran at a few percent of the trivial
view's requests per second. The page is the same for every reader except the
CSRF token and the comment form's "shown at" stamp, so it is rendered with
placeholders in their place, cached, and the two values are put in per request.

The cache key holds the article's `updated_at` (its edits) and
`activity_at` (votes, approved comments); the entry records the version of
the category list it was rendered with, which changes whenever any article or category
is saved or deleted (the app's signals drop it) and when a scheduled article
goes public (the list expires then). So an edit shows at once, with no
explicit purge, and stale entries simply age out.
"""

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token

PAGE_TTL = 60 * 60


def _slot(name: str) -> str:
    # Unguessable by an author, the same in every worker (shared cache).
    digest = hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()
    return f"slot{digest[:32]}"


def csrf_slot() -> str:
    return _slot("csrf-token")


def stamp_slot() -> str:
    return _slot("comment-stamp")


def article_page_key(article) -> str:
    return (
        f"helpcentre:article-page:v2:{article.pk}:{article.updated_at.timestamp()}:"
        f"{article.activity_at.timestamp()}:{settings.STATIC_URL}"
    )


def article_page(request, *, article, render: Callable[[dict], str], stamp) -> str:
    """The article's HTML for this request: cached with slots, the slots filled in.

    `render(overrides)` renders the full page with the given context values
    taking the place of the CSRF token and the comment stamp. The cached page
    and the category list come back in one cache round trip; the page is
    used only if it was rendered with the current category list.
    """
    from helpcentre import services

    key = article_page_key(article)
    found = cache.get_many([services.CATEGORY_NAV_KEY, key])
    nav = found.get(services.CATEGORY_NAV_KEY)
    nav_version = nav[0] if nav is not None else services.category_nav_version()
    cached = found.get(key)
    if cached is not None and cached[0] == nav_version:
        html = cached[1]
    else:
        html = render({"csrf_token": csrf_slot(), "comment_stamp": stamp_slot()})
        cache.set(key, (nav_version, html), PAGE_TTL)
    return html.replace(csrf_slot(), get_token(request)).replace(stamp_slot(), stamp())
