"""The article page rendered once and reused, for every reader, until something on it changes.

Measured reason (docs/benchmarks.md): rendering the article template costs
several milliseconds per request, about twenty times what Django's own
request/response cycle costs, so the page ran at a few percent of the trivial
view's requests per second. The page is the same for every reader except the
CSRF token and the comment form's "shown at" stamp, so it is rendered with
placeholders in their place, cached, and the two values are put in per request.

The cache key holds everything that changes the page: the article's
`updated_at` (its edits) and `activity_at` (votes, approved comments), and the
version of the category list, which changes whenever any article or category
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


def article_page_key(article, nav_version: str) -> str:
    return (
        f"helpcentre:article-page:v1:{article.pk}:{article.updated_at.timestamp()}:"
        f"{article.activity_at.timestamp()}:{nav_version}:{settings.STATIC_URL}"
    )


def article_page(request, *, article, nav_version: str, render: Callable[[dict], str], stamp):
    """The article's HTML for this request: cached with slots, the slots filled in.

    `render(overrides)` renders the full page with the given context values
    taking the place of the CSRF token and the comment stamp.
    """
    key = article_page_key(article, nav_version)
    html = cache.get(key)
    if html is None:
        html = render({"csrf_token": csrf_slot(), "comment_stamp": stamp_slot()})
        cache.set(key, html, PAGE_TTL)
    return html.replace(csrf_slot(), get_token(request)).replace(stamp_slot(), stamp())
