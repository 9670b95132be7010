"""Every public page: at most three queries, the same with 10 articles as with 210."""

import pytest

from bench.harness import count_queries

MAX_QUERIES = 3


def _public_pages(article):
    return {
        "home": "/",
        "category": article.category.get_absolute_url(),
        "category page 2": article.category.get_absolute_url() + "?page=2",
        "article": article.get_absolute_url(),
        "search": "/search/?q=packing",
        "search, no match": "/search/?q=zebra",
        "claim, first step": "/claim/what-happened/",
    }


def _counts(client, article):
    counts = {}
    for name, url in _public_pages(article).items():
        measured = count_queries(client, url)
        assert measured.status == 200, (name, measured.status)
        counts[name] = measured
    return counts


@pytest.mark.django_db
def test_public_pages_stay_within_three_queries_from_10_to_210_articles(
    client, make_category, make_articles
):
    category = make_category()
    body = "Packing intro.\n\n## Boxes\n\nStrong boxes for packing.\n"
    article, *others = make_articles(10, category=category, body=body)
    article.related.add(*others[:3])
    small = _counts(client, article)

    more = make_articles(200, category=category, body=body)
    article.related.add(*more[:20])
    big = _counts(client, article)

    print("queries per page", {name: m.queries for name, m in big.items()})
    assert {n: m.queries for n, m in small.items()} == {n: m.queries for n, m in big.items()}
    for name, measured in big.items():
        assert measured.queries <= MAX_QUERIES, (name, measured.sql)
