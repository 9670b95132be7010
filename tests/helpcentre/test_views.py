import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpcentre.models import Article, Comment
from tests.factories import GUIDE_URL

pytestmark = pytest.mark.django_db


def test_home_has_search_first_claim_link_categories_and_key_articles(client, make_article):
    article = make_article(is_key=True, title="Packing tips")
    html = client.get("/").content.decode()
    assert html.index('type="search"') < html.index("View Categories")
    assert 'href="/claim/"' in html and "Report a missing or damaged item" in html
    assert article.category.name in html
    assert article.category.description in html
    assert "1 article" in html
    assert "Packing tips" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/">' in html


def test_category_counts_only_published_articles(client, make_category, make_article):
    category = make_category(name="Shipping")
    make_article(category=category, title="Visible one")
    make_article(category=category, title="Hidden draft", published=False)
    html = client.get("/").content.decode()
    assert "Shipping" in html
    page = client.get(category.get_absolute_url()).content.decode()
    assert "Visible one" in page and "Hidden draft" not in page
    assert "1 article" in page


def test_category_page_is_paginated(client, make_category, make_article):
    category = make_category()
    for i in range(25):
        make_article(category=category, title=f"Article {i:02}", order=i)
    first = client.get(category.get_absolute_url()).content.decode()
    assert "Article 19" in first and "Article 20" not in first
    assert "Page 1 of 2" in first
    second = client.get(category.get_absolute_url() + "?page=2").content.decode()
    assert "Article 20" in second and "Article 24" in second
    assert 'rel="canonical" href="http://127.0.0.1:8000/categories/' in second
    assert "?page=2" in second


def test_odd_page_numbers_give_a_real_page_and_a_clean_cache_key(
    client, make_category, make_article
):
    import warnings

    from django.core.cache import CacheKeyWarning

    category = make_category()
    for i in range(25):
        make_article(category=category, title=f"Article {i:02}", order=i)
    url = category.get_absolute_url()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for page, shown in [("\x00", "Page 1 of 2"), ("a b", "Page 1 of 2"), ("-1", "Page 2 of 2"),
                            ("99999", "Page 2 of 2"), ("2", "Page 2 of 2")]:  # fmt: skip
            response = client.get(url, {"page": page})
            assert response.status_code == 200
            assert shown in response.content.decode(), page


def test_article_page_shows_everything_a_seller_needs(client, make_article):
    related = make_article(title="Returns explained")
    article = make_article(
        title="Handling damage",
        summary="What to do when an item arrives broken.",
        body="Intro.\n\n## First step\n\n- ✔ Stay calm\n\n## Second step\n\nText.",
        helpful_yes_count=12,
        helpful_no_count=2,
    )
    article.related.add(related)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert article.category.name in html  # breadcrumb
    assert "<h1" in html and "Handling damage" in html
    assert "1 min read" in html
    assert f'Updated <time datetime="{article.updated_at:%Y-%m-%d}' in html
    assert f"{article.updated_at:%-d %b %Y}" in html
    assert 'href="#first-step"' in html and 'id="second-step"' in html
    assert "<details" in html  # the TOC collapses on phones without JS
    assert "Was this article helpful?" in html
    assert "12 of 14 found this helpful" in html
    assert "Returns explained" in html
    assert "Leave a Reply" in html
    assert '<meta name="description" content="What to do when an item arrives broken.">' in html
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8000{article.get_absolute_url()}">' in html
    )


def test_claim_callout_only_in_categories_that_ask_for_it(client, make_category, make_article):
    claimish = make_article(category=make_category(claim_callout=True))
    other = make_article()
    assert (
        "Dealing with a report right now?"
        in client.get(claimish.get_absolute_url()).content.decode()
    )
    assert (
        "Dealing with a report right now?"
        not in client.get(other.get_absolute_url()).content.decode()
    )


def test_seeded_article_shows_the_claim_callout_after_the_intro(client):
    html = client.get(GUIDE_URL).content.decode()
    callout = html.index("Dealing with a report right now?")
    assert html.index("This guide explains:") < callout < html.index('id="step-1-identify')


def test_drafts_are_a_404_to_the_public(client, make_article):
    draft = make_article(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_articles_scheduled_for_later_are_a_404_until_then(client, make_article):
    later = make_article(published_at=timezone.now() + timezone.timedelta(days=1))
    assert client.get(later.get_absolute_url()).status_code == 404
    assert later not in Article.objects.published()


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We can’t find that page" in html
    assert 'type="search"' in html
    assert "Orders, Returns &amp; Exchanges" in html


def test_the_500_page_renders_without_a_database_or_request():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Sorry, something went wrong on our side" in html
    assert "<script" not in html


@override_settings(SITE_BASE_URL="https://help.example.com")
def test_sitemap_lists_home_claim_start_categories_and_published_articles_only(
    client, make_article
):
    draft = make_article(published=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://help.example.com/</loc>" in xml
    assert "<loc>https://help.example.com/claim/what-happened/</loc>" in xml
    assert "/claim/order-details/" not in xml
    assert f"<loc>https://help.example.com{GUIDE_URL}</loc>" in xml
    assert "<loc>https://help.example.com/categories/orders-returns-exchanges/</loc>" in xml
    assert draft.slug not in xml


def test_healthz_is_short_plain_text_and_queries_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert len(response.content) < 200


def test_robots_txt_points_at_the_sitemap(client):
    assert (
        "Sitemap: http://127.0.0.1:8000/sitemap.xml" in client.get("/robots.txt").content.decode()
    )


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/", True),
        ("/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/", True),
        ("/claim/what-happened/", True),
        ("/claim/order-details/", False),
        ("/claim/r/some-private-token/", False),
        ("/claim/c/some-private-token/", False),
        ("/admin/", False),
    ],
)
def test_robots_txt_opens_the_claim_form_s_first_question_only(client, path, allowed):
    from urllib.robotparser import RobotFileParser

    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    assert robots.can_fetch("AnyBot", path) is allowed


def test_article_page_answers_conditional_get_with_304(client, make_article):
    article = make_article()
    client.get(article.get_absolute_url())  # the first visit sets the CSRF cookie
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_a_new_vote_changes_the_etag(client, make_article):
    article = make_article()
    client.get(article.get_absolute_url())
    etag = client.get(article.get_absolute_url())["ETag"]
    client.post(f"{article.get_absolute_url()}vote/", {"helpful": "yes"})
    client.get(article.get_absolute_url())  # shows (and consumes) the thank-you message
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_pages_have_no_inline_scripts_or_styles(client):
    for url in ["/", "/categories/orders-returns-exchanges/", GUIDE_URL,
                "/search/?q=refund", "/search/?q=zzzz", "/nope/"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "<style" not in html and "style=" not in html, url
        assert "http://" not in html.replace("http://127.0.0.1:8000", ""), url


def test_article_page_is_small(client):
    import gzip

    from django.contrib.staticfiles import finders

    html = client.get(GUIDE_URL).content
    with open(finders.find("css/site.css"), "rb") as f:
        css = f.read()
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 60 * 1024


# --- Query counts ---------------------------------------------------------------------
# Each public page issues the same small number of queries with 1 article as with 200.


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
