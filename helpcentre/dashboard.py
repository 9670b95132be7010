"""The editors' dashboard: what sellers search, miss and ask, for a period.

Every figure is aggregated in the database from the per-day counts
(`tallies.py`), the votes and the comments, so the page costs the same
handful of queries however much was counted (tests/helpcentre/test_dashboard.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import charts
from helpcentre.models import Article, ArticleDay, Comment, FollowUp, SearchQueryDay, Vote

PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30
TOP = 10
ARTICLE_ROWS = 25
REASONS_PER_ARTICLE = 3


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=gettext_lazy("Period"),
        choices=[(n, gettext_lazy("Last %(n)s days") % {"n": n}) for n in PERIODS],
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the periods offered.")},
    )


def period_bounds(days: int, today: date) -> tuple[date, date]:
    """The first and last day of the last `days` days, today included."""
    if days < 1:
        raise ValueError("a period has at least one day")
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True)
class ArticleRow:
    article: Article
    views: int
    helpful: int
    not_helpful: int
    reasons: list[str]
    comments_waiting: int
    claims_started: int


@dataclass(frozen=True)
class EditorsFigures:
    start: date
    end: date
    searches: int
    no_results: int
    clicks: int
    top_searches: list[tuple[str, int]]
    no_result_searches: list[tuple[str, int]]
    unclicked_searches: list[tuple[str, int]]
    articles: list[ArticleRow]
    open_follow_ups: int

    def charts(self) -> dict:
        return {
            "top_chart": charts.bar_chart(
                self.top_searches,
                title=_("Top searches"),
                chart_id="top-searches",
                empty_text=_("No searches in this period"),
            ),
            "no_results_chart": charts.bar_chart(
                self.no_result_searches,
                title=_("Searches with no results"),
                chart_id="no-result-searches",
                empty_text=_("No searches in this period"),
            ),
            "unclicked_chart": charts.bar_chart(
                self.unclicked_searches,
                title=_("Searches followed by no click"),
                chart_id="unclicked-searches",
                empty_text=_("No searches in this period"),
            ),
            "follow_ups_tile": charts.big_number_tile(
                self.open_follow_ups,
                # The card's heading already says "Open follow-ups": the tile
                # says what the number is waiting for.
                label=_("Waiting for the article's owner"),
                note=_("'Not helpful' with a reason; closed by an edit or dismissed."),
                chart_id="open-follow-ups",
            ),
        }


def _top(rows, field: str) -> list[tuple[str, int]]:
    return [(row["query"], row[field]) for row in rows.order_by(f"-{field}", "query")[:TOP]]


def _per_query(start: date, end: date):
    """Each normalised query's searches, misses and searches without a click."""
    return (
        SearchQueryDay.objects.filter(day__range=(start, end))
        .values("query")
        .annotate(
            total=Sum("searches"),
            missed=Sum("no_results"),
            unclicked=Greatest(
                Sum("searches") - Sum("no_results") - Sum("clicks"),
                Value(0),
                output_field=IntegerField(),
            ),
        )
    )


def _per_article(rows, total):
    """`total` over `rows` of the outer article, 0 when there are none."""
    return Coalesce(
        Subquery(
            rows.order_by().values("article").annotate(n=total).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _busiest_articles(start: date, end: date, votes) -> list[Article]:
    """The articles read, voted on, commented or claimed from in the period,
    most read first, annotated with those counts."""
    counted = ArticleDay.objects.filter(article=OuterRef("pk"), day__range=(start, end))
    waiting = Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.PENDING)
    return list(
        Article.objects.annotate(
            period_views=_per_article(counted, Sum("views")),
            period_claims=_per_article(counted, Sum("claims_started")),
            yes=_per_article(votes.filter(article=OuterRef("pk"), helpful=True), Count("pk")),
            no=_per_article(votes.filter(article=OuterRef("pk"), helpful=False), Count("pk")),
            waiting=_per_article(waiting, Count("pk")),
        )
        .filter(
            Q(period_views__gt=0)
            | Q(period_claims__gt=0)
            | Q(yes__gt=0)
            | Q(no__gt=0)
            | Q(waiting__gt=0)
        )
        .only("title", "slug")
        .order_by(-F("period_views"), -F("no"), "title")[:ARTICLE_ROWS]
    )


def _latest_reasons(votes, articles: list[Article]) -> dict[int, list[str]]:
    """The latest reasons given with "not helpful", a few per article."""
    reasons: dict[int, list[str]] = {}
    for article_id, reason in (
        votes.filter(article__in=[a.pk for a in articles], helpful=False)
        .exclude(reason="")
        .order_by("-created_at")
        .values_list("article_id", "reason")
    ):
        found = reasons.setdefault(article_id, [])
        if len(found) < REASONS_PER_ARTICLE:
            found.append(reason)
    return reasons


def editors_figures(*, days: int, today: date | None = None) -> EditorsFigures:
    start, end = period_bounds(days, today or timezone.localdate())
    per_query = _per_query(start, end)
    totals = SearchQueryDay.objects.filter(day__range=(start, end)).aggregate(
        searches=Coalesce(Sum("searches"), 0),
        no_results=Coalesce(Sum("no_results"), 0),
        clicks=Coalesce(Sum("clicks"), 0),
    )
    votes = Vote.objects.filter(created_at__date__range=(start, end))
    articles = _busiest_articles(start, end, votes)
    reasons = _latest_reasons(votes, articles)
    return EditorsFigures(
        start=start,
        end=end,
        searches=totals["searches"],
        no_results=totals["no_results"],
        clicks=totals["clicks"],
        top_searches=_top(per_query, "total"),
        no_result_searches=_top(per_query.filter(missed__gt=0), "missed"),
        unclicked_searches=_top(per_query.filter(unclicked__gt=0), "unclicked"),
        articles=[
            ArticleRow(
                article=a,
                views=a.period_views,
                helpful=a.yes,
                not_helpful=a.no,
                reasons=reasons.get(a.pk, []),
                comments_waiting=a.waiting,
                claims_started=a.period_claims,
            )
            for a in articles
        ],
        open_follow_ups=FollowUp.objects.open().count(),
    )
