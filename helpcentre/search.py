"""Searching published articles: ranked results with highlighted snippets.

On PostgreSQL: full-text search (weighted title > summary > body, websearch
syntax, SearchRank, SearchHeadline). Elsewhere (SQLite in development): every
word must appear somewhere; results are ranked by where and how often the
words appear, and the snippet is cut around the first match. Each result
carries `snippet`, safe HTML with <mark> around the matched words.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Expression
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_RESULTS = 20
MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 220
# Control characters never appear in article text, so they mark the matches
# safely; the snippet is escaped first and they become <mark> afterwards.
START, STOP = "\x02", "\x03"


@dataclass
class SearchResult:
    article: object
    snippet: SafeString
    rank: float


def normalise_query(query: str) -> str:
    return re.sub(r"\s+", " ", (query or "")).strip()[:MAX_QUERY_LENGTH]


def terms_of(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1 or t.isdigit()][:10]


def _marked(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped before the marks are added
        escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def search_articles(queryset, query: str) -> list[SearchResult]:
    query = normalise_query(query)
    if not terms_of(query):
        return []
    queryset = queryset.select_related("category").only(
        "title", "slug", "summary", "search_text", "published_at", "updated_at",
        "category__name", "category__slug",
    )  # fmt: skip
    if connection.vendor == "postgresql":
        return _postgres(queryset, query)
    return _fallback(queryset, query)


# The generated, GIN-indexed column that migration 0003 adds on PostgreSQL:
# the same weights (title A, summary B, body C) in this configuration.
STORED_DOCUMENT_CONFIG = "english"


class StoredDocument(Expression):
    """The article table's generated `search_document` column, under whatever
    alias the query gives the table (the ranking subquery renames it)."""

    def __init__(self, alias=None):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(self.alias)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def _stored_document():
    return StoredDocument()


def _postgres(queryset, query: str) -> list[SearchResult]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )
    from django.db.models import Subquery

    config = getattr(settings, "HELPCENTRE_SEARCH_CONFIG", "english")
    if config == STORED_DOCUMENT_CONFIG:
        vector = _stored_document()
    else:
        # Another language than the stored column's: computed per row (slow
        # over thousands of articles; add a matching generated column then).
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("search_text", weight="C", config=config)
        )
    search_query = SearchQuery(query, search_type="websearch", config=config)
    # Rank every match but cut snippets for the page's results only:
    # ts_headline re-parses the article's text, and PostgreSQL computed it for
    # every matching row before the LIMIT (330 ms for a common word over
    # 10,000 articles, against 2 ms for the 20 shown). The inner query picks
    # the page's rows; the outer one ranks and highlights just those.
    best = (
        queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .order_by("-rank", "order", "title")
        .values("pk")[:MAX_RESULTS]
    )
    rows = (
        queryset.filter(pk__in=Subquery(best))
        .annotate(
            rank=SearchRank(vector, search_query),
            headline=SearchHeadline(
                "search_text",
                search_query,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=15,
                short_word=2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "order", "title")
    )
    results = []
    for article in rows:
        snippet = article.headline if START in (article.headline or "") else article.summary
        results.append(SearchResult(article=article, snippet=_marked(snippet), rank=article.rank))
    return results


def _fallback(queryset, query: str) -> list[SearchResult]:
    from django.db.models import Q

    terms = terms_of(query)
    condition = Q()
    for term in terms:
        condition &= (
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(search_text__icontains=term)
        )
    scored = []
    for article in queryset.filter(condition):
        title, summary, body = (
            article.title.lower(),
            article.summary.lower(),
            article.search_text.lower(),
        )
        rank = sum(
            10 * title.count(t) + 4 * summary.count(t) + min(body.count(t), 20) for t in terms
        )
        if query.lower() in title:
            rank += 25
        scored.append((rank, article))
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return [
        SearchResult(article=a, snippet=_fallback_snippet(a, terms), rank=float(r))
        for r, a in scored[:MAX_RESULTS]
    ]


def _fallback_snippet(article, terms: list[str]) -> SafeString:
    text = re.sub(r"\s+", " ", article.search_text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    matches = list(pattern.finditer(text))
    if not matches:
        text, start = article.summary, 0
    else:
        # The window that shows the most of the different words searched for.
        def words_shown(m):
            window = text[m.start() : m.start() + SNIPPET_CHARS].lower()
            return sum(t in window for t in terms)

        match = max(matches[:200], key=words_shown)  # ties: the earliest
        start = max(0, match.start() - SNIPPET_CHARS // 3)
        # Start at a word boundary.
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < match.start() else start
    piece = text[start : start + SNIPPET_CHARS]
    if start + SNIPPET_CHARS < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    if start:
        piece = "… " + piece
    return _marked(pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", piece))
