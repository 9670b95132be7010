"""Search runs on whichever database the suite runs on (CI runs it on both)."""

import pytest
from django.db import connection

from helpcentre.models import Article

pytestmark = pytest.mark.django_db


def _search(client, q):
    return client.get("/search/", {"q": q}).content.decode()


def test_finds_the_seeded_guide_with_highlighted_words_and_its_category(client):
    html = _search(client, "refund")
    assert "What to Do If a Customer Reports a Missing or Damaged Item" in html
    assert "<mark>refund</mark>" in html.lower()
    assert "Orders, Returns &amp; Exchanges – Seller Guide" in html


def test_title_matches_rank_above_body_matches(make_article):
    make_article(title="General selling notes", body="Mentions pallets once in passing.")
    make_article(title="Pallets for bulk orders", body="All about pallets and pallet wrap.")
    results = Article.objects.search("pallets")
    assert [r.article.title for r in results] == [
        "Pallets for bulk orders",
        "General selling notes",
    ]
    assert results[0].rank >= results[1].rank


def test_drafts_never_appear_in_results(make_article):
    make_article(title="Secret draft about zanzibar", published=False)
    assert Article.objects.search("zanzibar") == []


def test_every_word_must_match(make_article):
    make_article(title="Packing tips", body="Bubble wrap for glass.")
    assert [r.article.title for r in Article.objects.search("bubble glass")] == ["Packing tips"]
    assert Article.objects.search("bubble zebra") == []


def test_snippet_is_escaped_even_when_article_text_has_markup(make_article):
    make_article(title="Odd", body="Type `<script>alert(1)</script>` then Tom & Jerry's warehouse.")
    snippet = str(Article.objects.search("warehouse")[0].snippet)
    assert "<script>" not in snippet
    assert "Tom &amp; Jerry" in snippet
    assert "<mark>warehouse</mark>" in snippet.lower()


def test_empty_results_suggest_categories_and_the_claim_form(client):
    html = _search(client, "zebracrossing")
    assert "No articles match “zebracrossing”" in html
    assert 'href="/claim/"' in html
    assert "Orders, Returns &amp; Exchanges – Seller Guide" in html


def test_an_empty_query_shows_the_search_page(client):
    html = _search(client, "")
    assert "Search the help centre" in html
    assert "No articles match" not in html


def test_queries_with_punctuation_do_not_break_search(client):
    for q in ["'", '"', "&|!", "((", "a:b", "-", "🙂", "x" * 500]:
        assert client.get("/search/", {"q": q}).status_code == 200


def test_the_database_search_matches_the_database():
    from helpcentre.search import search_articles  # noqa: F401

    # On PostgreSQL this exercises SearchVector/SearchRank/SearchHeadline.
    assert connection.vendor in {"sqlite", "postgresql"}
    results = Article.objects.search("inspection")
    assert results and results[0].article.slug == "missing-or-damaged-item"


def test_stemming_on_postgresql(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is the PostgreSQL search's; SQLite matches words as typed")
    results = Article.objects.search("refunds")
    assert results and results[0].article.slug == "missing-or-damaged-item"
