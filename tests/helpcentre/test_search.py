"""Search runs on whichever database the suite runs on (CI runs it on both)."""

import pytest
from django.db import connection

from helpcentre.models import Article
from tests.conftest import GUIDE_SLUG

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


def test_a_page_of_title_matches_comes_before_body_only_matches(make_article):
    from helpcentre.search import MAX_RESULTS

    body_only = make_article(title="General notes", body="Pallet, pallet and pallet.")
    titled = [
        make_article(title=f"Pallet sizes {n}", body="Sizes for couriers.")
        for n in range(MAX_RESULTS)
    ]

    results = Article.objects.search("pallet")

    assert {r.article.pk for r in results} == {a.pk for a in titled}
    titled[0].delete()
    results = Article.objects.search("pallet")
    assert len(results) == MAX_RESULTS
    assert results[-1].article.pk == body_only.pk  # too few title matches: the body fills in


def test_excluded_words_and_phrases_still_hold(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("websearch syntax is the PostgreSQL search's")
    make_article(title="Pallet wrap", body="Stretch film for pallets.")
    make_article(title="Pallet sizes", body="Euro pallets and wrap.")
    assert [r.article.title for r in Article.objects.search("pallet -wrap")] == []
    assert [r.article.title for r in Article.objects.search('"pallet wrap"')] == ["Pallet wrap"]


def test_drafts_never_appear_in_results(make_article):
    make_article(title="Secret draft about zanzibar", published=False)
    assert Article.objects.search("zanzibar") == []


def test_every_word_must_match_before_any_word_does(make_article):
    make_article(title="Packing tips", body="Bubble wrap for glass.")
    found = Article.objects.search("bubble glass")
    assert [r.article.title for r in found] == ["Packing tips"]
    assert found.matched_all

    fallback = Article.objects.search("bubble zebra")
    assert [r.article.title for r in fallback] == ["Packing tips"]
    assert not fallback.matched_all
    assert Article.objects.search("zebra") == []


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


def test_control_characters_in_a_query_are_spaces(client, make_article):
    make_article(title="Refund rules")
    # A NUL made PostgreSQL refuse the statement: the search answered 500.
    for q in ["refund\x00", "\x00", "ref\x01und", "refund\x02\x03", "\x7f"]:
        assert client.get("/search/", {"q": q}).status_code == 200
    assert "Refund rules" in _search(client, "\x00refund\x00")


def test_the_database_search_matches_the_database():
    from helpcentre.search import search_articles  # noqa: F401

    # On PostgreSQL this exercises SearchVector/SearchRank/SearchHeadline.
    assert connection.vendor in {"sqlite", "postgresql"}
    results = Article.objects.search("inspection")
    assert results and results[0].article.slug == GUIDE_SLUG


def test_stemming_on_postgresql(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is the PostgreSQL search's; SQLite matches words as typed")
    results = Article.objects.search("refunds")
    assert results and results[0].article.slug == GUIDE_SLUG


def test_the_snippet_marks_every_form_of_a_searched_word(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is the PostgreSQL search's; SQLite matches words as typed")
    make_article(
        title="Cartons",
        body="Damaged cartons happen. A carton that was damaging others is replaced.",
    )
    [result] = Article.objects.search("damage carton -pallet")
    assert "<mark>Damaged</mark> <mark>cartons</mark>" in result.snippet
    assert "A <mark>carton</mark> that was <mark>damaging</mark>" in result.snippet


@pytest.mark.parametrize(
    "parsed, lexemes",
    [
        ("'refund'", {"refund"}),
        ("'intern' & 'order' & 'custom'", {"intern", "order", "custom"}),
        ("'pallet' & !'wrap'", {"pallet"}),
        ("'kx-48213579' <-> 'kx' <-> '48213579'", {"kx-48213579", "kx", "48213579"}),
        ("'o''brien'", {"o'brien"}),
        ("", set()),
    ],
)
def test_query_lexemes_are_the_words_to_mark(parsed, lexemes):
    from helpcentre.search import query_lexemes

    assert query_lexemes(parsed) == lexemes


def test_snippet_shows_where_the_searched_words_appear_together(make_article):
    filler = " ".join(["filler"] * 80)
    make_article(
        title="Cartons", body=f"Cartons matter. {filler} Use double cartons with tape. {filler}"
    )
    snippet = str(Article.objects.search("cartons tape")[0].snippet).lower()
    assert "<mark>tape</mark>" in snippet
    assert "<mark>cartons</mark>" in snippet


@pytest.mark.parametrize(
    "matches, start",
    [
        ([(0, 5, "pallet")], 0),
        ([(0, 5, "a"), (500, 505, "a"), (510, 515, "b")], 500),
        ([(0, 5, "a"), (10, 15, "b"), (500, 505, "a"), (510, 515, "b")], 0),  # ties: earliest
        ([(0, 5, "a"), (100, 105, "a"), (300, 305, "b"), (310, 315, "c")], 100),
    ],
)
def test_the_snippet_starts_where_the_most_different_words_are(matches, start):
    from helpcentre.search.snippets import densest

    assert densest(matches) == start


@pytest.mark.parametrize(
    "text, marked",
    [
        ("Refunds and a refund.", ["Refunds", "refund"]),
        # Inside a longer word is not the word: "prefund" does not start with it.
        ("A prefund is not a REFUNDED order.", ["REFUNDED"]),
        # "İ" lower-cases to two characters: the text's own positions still hold.
        ("İstanbul refunds: İİ refund_x refunding.", ["refunds", "refunding"]),
        ("", []),
    ],
)
def test_the_word_finder_marks_the_words_whose_stem_was_searched(text, marked):
    from helpcentre.search.postgres import stem_finder

    find = stem_finder({"refund"}, "english")
    assert [text[begin:end] for begin, end, _stem in find(text)] == marked


def test_a_snippet_shows_line_breaks_and_runs_of_spaces_as_one_space():
    from helpcentre.search.snippets import snippet_of, word_finder

    text = "Pack the item.\n\nUse   strong tape\non every   seam.\n"
    snippet = str(snippet_of(text, "summary", word_finder(["tape"]))[0])

    assert snippet == "Pack the item. Use strong <mark>tape</mark> on every seam."
