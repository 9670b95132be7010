"""What sellers search, miss and ask: counted without a write in the request,
shown to editors from a known set of events."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpcentre import dashboard, services
from helpcentre.models import ArticleDay, Comment, SearchQueryDay
from helpcentre.tallies import stats_query, tally

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, counted",
    [
        ("  Damaged   PARCEL ", "damaged parcel"),
        ("refund for jane.doe@example.com", "refund for [email]"),
        ("order KX-48213579 missing", "order # missing"),
        ("call me 07700 900123", "call me # #"),
        ("where's my parcel?!", "where s my parcel"),
        ("e-mail", "e-mail"),
        ("- refund -", "refund"),
        ("\x00\x01", ""),
        ("x" * 500, "x" * 100),
    ],
)
def test_a_query_is_counted_without_personal_data(query, counted):
    assert stats_query(query) == counted


@pytest.mark.parametrize(
    "days, today, bounds",
    [
        (1, date(2026, 12, 4), (date(2026, 12, 4), date(2026, 12, 4))),
        (7, date(2026, 12, 4), (date(2026, 11, 28), date(2026, 12, 4))),
        (30, date(2026, 3, 1), (date(2026, 1, 31), date(2026, 3, 1))),
    ],
)
def test_a_period_ends_today(days, today, bounds):
    assert dashboard.period_bounds(days, today) == bounds


def test_a_cached_page_writes_nothing_while_it_is_answered(client, make_article):
    article = make_article(title="Refund timing")
    client.get(article.get_absolute_url())  # rendered and cached
    client.get("/search/", {"q": "refund"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url(), {"q": "refund"}).status_code == 200
        assert client.get("/search/", {"q": "refund"}).status_code == 200
    assert queries.captured_queries == []
    assert not SearchQueryDay.objects.exists()  # in memory until the flush

    tally.flush()
    row = SearchQueryDay.objects.get()
    assert (row.query, row.searches, row.no_results, row.clicks) == ("refund", 2, 0, 1)
    assert ArticleDay.objects.get(article=article).views == 2


def test_counts_are_written_after_a_response_once_the_interval_has_passed(
    client, settings, make_article
):
    settings.HELPCENTRE_TALLY_FLUSH_SECONDS = 0
    client.get("/search/", {"q": "zebra"})
    assert SearchQueryDay.objects.get(query="zebra").no_results == 1


def test_claims_started_from_an_article_are_counted_and_lead_to_the_claim_form(
    client, make_article
):
    article = make_article()
    response = client.get(f"/articles/{article.slug}/claim/")
    assert response.status_code == 302 and response["Location"] == "/claim/"
    client.get("/articles/no-such-article/claim/")
    tally.flush()
    assert list(ArticleDay.objects.values_list("article__slug", "claims_started")) == [
        (article.slug, 1)
    ]


def test_the_dashboard_shows_the_figures_of_a_known_set_of_events(client, make_article, make_staff):
    today = timezone.localdate()
    guide = make_article(title="Refund timing")
    quiet = make_article(title="Pallet sizes")
    SearchQueryDay.objects.bulk_create(
        [
            SearchQueryDay(day=today, query="refund", searches=10, no_results=0, clicks=7),
            SearchQueryDay(day=today - timedelta(days=3), query="refund", searches=5, clicks=5),
            SearchQueryDay(day=today, query="zebra", searches=4, no_results=4),
            SearchQueryDay(day=today, query="pallet", searches=6, clicks=1),
            # outside the 7-day period
            SearchQueryDay(day=today - timedelta(days=8), query="old", searches=99),
        ]
    )
    ArticleDay.objects.create(day=today, article=guide, views=40, claims_started=3)
    ArticleDay.objects.create(day=today - timedelta(days=20), article=quiet, views=9)
    for n, (helpful, reason) in enumerate([(True, ""), (False, "No customs info"), (False, "")]):
        services.vote_cast(article=guide, visitor_id=f"v{n}", helpful=helpful, reason=reason)
    Comment.objects.create(article=guide, name="A", email="a@example.com", body="?")

    figures = dashboard.editors_figures(days=7)
    assert (figures.searches, figures.no_results, figures.clicks) == (25, 4, 13)
    assert figures.top_searches == [("refund", 15), ("pallet", 6), ("zebra", 4)]
    assert figures.no_result_searches == [("zebra", 4)]
    assert figures.unclicked_searches == [("pallet", 5), ("refund", 3)]
    [row] = figures.articles
    assert (row.article, row.views, row.helpful, row.not_helpful) == (guide, 40, 1, 2)
    assert (row.reasons, row.comments_waiting, row.claims_started) == (["No customs info"], 1, 3)
    assert figures.open_follow_ups == 1
    assert [r.article for r in dashboard.editors_figures(days=30).articles] == [guide, quiet]

    client.force_login(make_staff(group="Editors"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/helpcentre/article/dashboard/", {"days": "7"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Top searches" in html and "refund 15" in html and "zebra 4" in html
    assert "No customs info" in html
    page_queries = len(queries)
    ArticleDay.objects.create(day=today, article=quiet, views=2)
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/helpcentre/article/dashboard/", {"days": "7"})
    assert len(queries) == page_queries  # not one more per article


@pytest.mark.parametrize("days", ["8", "-1", "abc", "9" * 50, "7\x00"])
def test_a_tampered_period_is_a_400_with_a_message(client, make_staff, days):
    client.force_login(make_staff(group="Editors"))
    response = client.get("/admin/helpcentre/article/dashboard/", {"days": days})
    assert response.status_code == 400
    assert "Choose one of the periods offered." in response.content.decode()


def test_the_dashboard_is_for_editors_not_claim_reviewers(client, make_staff):
    client.force_login(make_staff(group="Claim reviewers"))
    assert client.get("/admin/helpcentre/article/dashboard/").status_code == 403


def test_old_counts_are_purged_by_a_command(make_article):
    from django.core.management import call_command

    today = timezone.localdate()
    SearchQueryDay.objects.create(day=today - timedelta(days=500), query="old", searches=1)
    SearchQueryDay.objects.create(day=today, query="new", searches=1)
    ArticleDay.objects.create(day=today - timedelta(days=500), article=make_article(), views=1)
    call_command("purge_guide_stats", "--days", "400")
    assert list(SearchQueryDay.objects.values_list("query", flat=True)) == ["new"]
    assert not ArticleDay.objects.exists()


def test_empty_search_charts_say_no_searches_not_no_claims():
    from datetime import date

    from helpcentre.dashboard import EditorsFigures

    figures = EditorsFigures(
        start=date(2026, 12, 1),
        end=date(2026, 12, 4),
        searches=0,
        no_results=0,
        clicks=0,
        top_searches=[],
        no_result_searches=[],
        unclicked_searches=[],
        articles=[],
        open_follow_ups=0,
    )
    charts = figures.charts()

    for name in ("top_chart", "no_results_chart", "unclicked_chart"):
        assert "No searches in this period" in charts[name]
        assert "No claims yet" not in charts[name]
