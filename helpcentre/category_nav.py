"""The category list (home page, footer, empty search), cached, and its version.

The version is what every shared page is valid for (see page_cache.py for the
cache protocol); it lives here, apart from the writes in services.py, so that
page_cache.py and services.py both import it and not each other.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from helpcentre import near_cache
from helpcentre.models import Article, Category

# v4: CategorySummary moved here from services.py, and v3 entries name the old module.
CATEGORY_NAV_KEY = "helpcentre:category-nav:v4"
CATEGORY_NAV_TTL = 60 * 60


@dataclass(frozen=True)
class CategorySummary:
    name: str
    slug: str
    description: str
    article_count: int
    url: str


def category_nav() -> list[CategorySummary]:
    """Every category with its number of published articles; cached, dropped on any change."""
    return _category_nav_entry()[1]


def category_nav_version() -> str:
    """Changes whenever the category list is rebuilt: after any article or category
    change, and when a scheduled article goes public. Cached pages key on it."""
    return _category_nav_entry()[0]


def _category_nav_entry() -> tuple[str, list[CategorySummary], float]:
    """(version, the list, when it expires as a POSIX timestamp).

    The expiry goes with it so that copies of pages built on this version
    (near_cache.py) expire when it does.
    """
    cached = cache.get(CATEGORY_NAV_KEY)
    if cached is not None:
        return cached
    now = timezone.now()
    published = Q(articles__status=Article.Status.PUBLISHED, articles__published_at__lte=now)
    categories = Category.objects.annotate(article_count=Count("articles", filter=published))
    summary = [
        CategorySummary(c.name, c.slug, c.description, c.article_count, c.get_absolute_url())
        for c in categories
    ]
    # A scheduled article becomes public without a save: expire then.
    next_publication = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    ttl = CATEGORY_NAV_TTL
    if next_publication is not None:
        ttl = max(1, min(ttl, int((next_publication - now).total_seconds()) + 1))
    entry = (uuid.uuid4().hex, summary, now.timestamp() + ttl)
    cache.set(CATEGORY_NAV_KEY, entry, ttl)
    return entry


def category_nav_invalidate() -> None:
    """Drop the list (and with it every cached article page) now and after the commit.

    Signals call this inside the writer's transaction: a reader in between
    would rebuild the list, and cache pages, from the data about to change.
    """
    _drop_category_nav()
    transaction.on_commit(_drop_category_nav)


def _drop_category_nav() -> None:
    cache.delete(CATEGORY_NAV_KEY)
    near_cache.pages.changed()
