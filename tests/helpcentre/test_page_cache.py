"""The cached article page: shared by readers, never stale after an edit, a vote or a comment."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpcentre import page_cache, services
from helpcentre.models import Article, Comment

pytestmark = pytest.mark.django_db


def _page(article) -> str:
    # A new reader each time: no cookies, so the shared cached page is served.
    return Client().get(article.get_absolute_url()).content.decode()


def test_an_edit_shows_at_once(make_article):
    article = make_article(body="Old words.\n\n## Section\n\nText.\n")
    assert "Old words." in _page(article)
    article.body = "New words.\n\n## Section\n\nText.\n"
    article.save()
    html = _page(article)
    assert "New words." in html and "Old words." not in html


def test_a_vote_shows_at_once(make_article):
    article = make_article()
    before = _page(article)
    services.vote_cast(article=article, visitor_id="v1", helpful=True)
    assert _page(article) != before
    article.refresh_from_db()
    assert article.helpful_yes_count == 1


def test_an_approved_comment_shows_at_once(make_article):
    article = make_article()
    comment = Comment.objects.create(
        article=article, name="Priya", email="p@example.com", body="Worked for me, thanks."
    )
    assert "Worked for me" not in _page(article)
    services.comments_approve(comments=Comment.objects.filter(pk=comment.pk))
    assert "Worked for me" in _page(article)


def test_a_renamed_category_shows_at_once(make_article):
    article = make_article()
    assert "Returns desk" not in _page(article)
    article.category.name = "Returns desk"
    article.category.save()
    assert "Returns desk" in _page(article)


def test_each_reader_gets_a_working_csrf_token_and_a_fresh_stamp(make_article):
    article = make_article()
    _page(article)  # fills the cache
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(article.get_absolute_url()).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert not token.startswith("slot")
    stamp = html.split('name="shown_at" value="')[1].split('"')[0]
    assert not stamp.startswith("slot")
    response = reader.post(
        f"{article.get_absolute_url()}vote/", {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.helpful_yes_count == 1


def test_a_reader_with_messages_gets_their_own_page(make_article):
    article = make_article()
    reader = Client()
    reader.post(f"{article.get_absolute_url()}vote/", {"helpful": "yes"})
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Thanks for your feedback!" in html
    assert "Thanks for your feedback!" not in _page(article)


# --- Served from one cache read: no query, validators from the entry ---------


def test_a_warm_article_page_runs_no_query(make_article, django_assert_num_queries):
    article = make_article()
    _page(article)  # fills the cache
    with django_assert_num_queries(0):
        response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]


def test_a_warm_page_needs_no_query_with_a_session_either(
    make_article, make_admin, django_assert_num_queries
):
    article = make_article()
    reader = Client()
    reader.force_login(make_admin())
    reader.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert reader.get(article.get_absolute_url()).status_code == 200


def test_304_comes_from_the_cached_validators_without_a_query(
    make_article, django_assert_num_queries
):
    article = make_article()
    reader = Client()
    first = reader.get(article.get_absolute_url())  # sets the CSRF cookie the ETag covers
    second = reader.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        again = reader.get(article.get_absolute_url(), headers={"if-none-match": second["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == second["ETag"]
    assert first.status_code == second.status_code == 200


def test_the_etag_changes_with_a_vote(make_article):
    article = make_article()
    reader = Client()
    reader.get(article.get_absolute_url())
    etag = reader.get(article.get_absolute_url())["ETag"]
    services.vote_cast(article=article, visitor_id="v1", helpful=False)
    response = reader.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_an_edit_makes_the_warm_entry_unusable(make_article):
    article = make_article(title="Before the edit")
    _page(article)
    article.title = "After the edit"
    article.save()
    assert page_cache.cached_entry(article.slug) is None
    assert "After the edit" in _page(article)
    assert page_cache.cached_entry(article.slug) is not None


def test_unpublished_and_deleted_articles_are_not_served_from_the_cache(make_article):
    article = make_article()
    gone = make_article()
    _page(article), _page(gone)
    services.article_unpublish(articles=[article])
    gone.delete()
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert Client().get(gone.get_absolute_url()).status_code == 404


def test_drafts_and_scheduled_articles_are_never_cached_for_the_public(make_article):
    draft = make_article(published=False)
    scheduled = make_article(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(days=1)
    )
    for article in (draft, scheduled):
        assert Client().get(article.get_absolute_url()).status_code == 404
        assert cache.get(page_cache.page_key(article.slug)) is None
        assert page_cache.cached_entry(article.slug) is None


def test_a_changed_slug_leaves_nothing_at_the_old_address(make_article):
    article = make_article(slug="old-address")
    _page(article)
    article.slug = "new-address"
    article.save()
    assert Client().get("/articles/old-address/").status_code == 404
    assert Client().get("/articles/new-address/").status_code == 200


def test_an_entry_built_from_data_read_before_a_vote_is_never_used(make_article):
    # A reader reads the versions, then the article; a vote lands in between:
    # the entry it caches carries a version the vote has already replaced.
    article = make_article()
    versions = page_cache.current_versions(article.slug)
    services.vote_cast(article=article, visitor_id="v1", helpful=True)
    page_cache.store_entry(
        article.slug, versions=versions, article=article, render=lambda overrides: "stale"
    )
    assert page_cache.cached_entry(article.slug) is None
    assert "stale" not in _page(article)


def test_an_entry_built_before_an_edit_commits_is_dropped_at_the_commit(
    make_article, django_capture_on_commit_callbacks
):
    # Signals drop the category list inside the writer's transaction; a reader
    # who rebuilds it before the commit must not keep its page past the commit.
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Edited"
        article.save()
        versions = page_cache.current_versions(article.slug)  # a reader, mid-transaction
        page_cache.store_entry(
            article.slug, versions=versions, article=article, render=lambda overrides: "early"
        )
        assert page_cache.cached_entry(article.slug) is not None
    assert page_cache.cached_entry(article.slug) is None


def test_an_approved_comment_is_seen_after_its_commit(
    make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    comment = Comment.objects.create(
        article=article, name="Ana", email="a@example.com", body="Photos helped a lot."
    )
    _page(article)
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_approve(comments=Comment.objects.filter(pk=comment.pk))
    assert "Photos helped a lot." in _page(article)


def test_the_slots_never_reach_a_reader(make_article):
    article = make_article()
    for _ in range(2):
        html = _page(article)
        assert page_cache.csrf_slot() not in html
        assert page_cache.stamp_slot() not in html


# --- The listings: home and category pages, once per category-list version ---


def test_the_home_page_shows_edits_new_and_unpublished_articles_at_once(make_article):
    article = make_article(title="Pallet sizes", is_key=True)
    assert "Pallet sizes" in Client().get("/").content.decode()

    article.title = "Pallet sizes and weights"
    article.save()
    assert "Pallet sizes and weights" in Client().get("/").content.decode()

    make_article(title="Courier cut-off times", is_key=True)
    assert "Courier cut-off times" in Client().get("/").content.decode()

    article.status = Article.Status.DRAFT
    article.save()
    assert "Pallet sizes" not in Client().get("/").content.decode()


def test_a_warm_home_page_runs_no_query(make_article, django_assert_num_queries):
    make_article(is_key=True)
    Client().get("/")
    with django_assert_num_queries(0):
        assert Client().get("/").status_code == 200


def test_a_category_page_shows_edits_and_new_articles_at_once(make_category, make_article):
    category = make_category()
    article = make_article(category=category, title="Pallet sizes")
    url = category.get_absolute_url()
    assert "Pallet sizes" in Client().get(url).content.decode()

    article.title = "Pallet sizes and weights"
    article.save()
    make_article(category=category, title="Courier cut-off times")
    html = Client().get(url).content.decode()
    assert "Pallet sizes and weights" in html and "Courier cut-off times" in html
    assert "2 articles" in html


def test_each_page_of_a_category_is_kept_apart(make_category, make_articles):
    from helpcentre.views import CATEGORY_PAGE_SIZE

    category = make_category()
    make_articles(CATEGORY_PAGE_SIZE + 1, category=category)
    url = category.get_absolute_url()
    first, second = (Client().get(url, {"page": n}).content.decode() for n in (1, 2))
    again = Client().get(url, {"page": 2}).content.decode()
    assert first != second and second == again
    assert f'href="http://127.0.0.1:8000{url}?page=2"' in second  # its own canonical link


def test_a_warm_category_page_runs_no_query(make_article, django_assert_num_queries):
    url = make_article().category.get_absolute_url()
    Client().get(url)
    with django_assert_num_queries(0):
        assert Client().get(url).status_code == 200


def test_an_unknown_category_is_a_404_every_time(client):
    assert client.get("/categories/no-such-category/").status_code == 404
    assert client.get("/categories/no-such-category/").status_code == 404


def test_a_listing_with_pending_messages_is_rendered_for_its_reader(make_article):
    from helpcentre.page_cache import MESSAGES_COOKIE

    article = make_article()
    Client().get("/")
    reader = Client()
    reader.cookies[MESSAGES_COOKIE] = "x"
    with CaptureQueriesContext(connection) as queries:
        assert reader.get("/").status_code == 200
    assert len(queries) >= 1  # rendered, not served from the shared copy
    assert article.title in reader.get(article.category.get_absolute_url()).content.decode()


# --- The switches (settings HELPCENTRE_PAGE_CACHE, HELPCENTRE_LISTING_CACHE) --------


def test_with_the_page_cache_off_every_article_request_reads_the_database(make_article, settings):
    settings.HELPCENTRE_PAGE_CACHE = False
    article = make_article()
    _page(article)
    with CaptureQueriesContext(connection) as queries:
        html = _page(article)
    assert article.title in html
    assert len(queries) >= 1
    assert cache.get(page_cache.page_key(article.slug)) is None
    assert page_cache.csrf_slot() not in html


@pytest.mark.parametrize("path", ["/", "category", "/search/?q=refund"])
def test_with_the_listing_cache_off_every_listing_is_rendered(make_article, settings, path):
    settings.HELPCENTRE_LISTING_CACHE = False
    article = make_article(title="Refund rules", is_key=True)
    url = article.category.get_absolute_url() if path == "category" else path
    Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        assert "Refund rules" in Client().get(url).content.decode()
    assert len(queries) >= 1
    assert not [key for key in cache._cache if "helpcentre:listing:" in key]  # memory cache


def _imports(module: str) -> set[str]:
    """The helpcentre modules `module` imports, anywhere in its source."""
    import ast
    import importlib.util

    found = set()
    origin = importlib.util.find_spec(module).origin
    for node in ast.walk(ast.parse(Path(origin).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {n for n in names if n.startswith("helpcentre") and _is_module(n)}
    return found


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a name inside a module, not a module
        return False


def test_page_cache_does_not_reach_services():
    # services.py imports page_cache (writers change the versions): the other
    # way round would be an import circle.
    seen, todo = set(), ["helpcentre.page_cache"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_imports(module))
    assert "helpcentre.page_cache" in seen and "helpcentre.category_nav" in seen
    assert "helpcentre.services" not in seen
