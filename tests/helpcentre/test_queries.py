"""Each public page issues the same small number of queries with 1 article as with 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpcentre.models import Article, Comment

pytestmark = pytest.mark.django_db
MAX_QUERIES = 3


def _fill(category, n):
    now = timezone.now() - timezone.timedelta(hours=1)
    for i in range(n):
        Article.objects.create(
            category=category,
            title=f"Packing guide {i}",
            slug=f"packing-guide-{i}",
            summary="How to pack parcels so they arrive whole.",
            body="Intro about packing.\n\n## Boxes\n\nUse strong boxes for packing.",
            status=Article.Status.PUBLISHED,
            published_at=now,
        )


def _count(client, url):
    client.get(url)  # warm: the category list is cached after the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _pages(article):
    return [
        "/",
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        "/search/?q=packing",
        "/search/?q=nothing-matches-this",
        "/claim/what-happened/",
    ]


def test_query_counts_do_not_grow_with_the_number_of_articles(client, make_category, make_article):
    category = make_category()
    article = make_article(category=category, body="Packing.\n\n## One\n\nText")
    other = make_article(category=category)
    article.related.add(other)
    Comment.objects.create(
        article=article, name="A", email="a@example.com", body="ok", status="approved"
    )
    _fill(category, 1)
    small = {url: _count(client, url) for url in _pages(article)}

    _fill_more = [
        Article(
            category=category,
            title=f"More {i}",
            slug=f"more-{i}",
            summary="s",
            body="packing",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timezone.timedelta(hours=1),
        )
        for i in range(198)
    ]
    Article.objects.bulk_create(_fill_more)
    for extra in _fill_more[:20]:
        extra.related.add(article)
    for i in range(30):
        Comment.objects.create(
            article=article, name=f"N{i}", email="n@example.com", body="x", status="approved"
        )
    article.related.add(*Article.objects.filter(slug__startswith="more-")[:20])
    big = {url: _count(client, url) for url in _pages(article)}

    print("query counts", big)
    assert small == big
    for url, count in big.items():
        assert count <= MAX_QUERIES, (url, count)


def test_a_cold_cache_adds_one_query_at_most(client, make_article):
    from django.core.cache import cache

    article = make_article()
    for url in _pages(article):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) <= MAX_QUERIES + 2, (url, [q["sql"] for q in queries])
