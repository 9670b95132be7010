"""Searching published articles: ranked results with highlighted snippets.

On PostgreSQL: full-text search (weighted title > summary > body, websearch
syntax, SearchRank) over stored, GIN-indexed documents; the snippet marks the
words whose Snowball stem is in the query, as PostgreSQL's own stemmer does.
Elsewhere (SQLite in development): every word must appear somewhere; results
are ranked by where and how often the words appear, and the snippet is cut
around the first match. Each result carries `snippet`, safe HTML with <mark>
around the matched words, and `anchor`, the id of the heading the snippet is
under (the result links there).

On both databases:

- Synonyms editors keep in the admin (`SearchSynonym`: "parcel, package")
  widen each word or phrase of the query to any of its synonyms.
- When no article has all the words, the articles with any of them are shown,
  ranked, and `SearchResults.matched_all` is False so the page says so.
- On PostgreSQL only, "Did you mean": each word no published article uses is
  replaced by the nearest one that is used (pg_trgm similarity over
  `SearchWord`, the words of published articles). SQLite has no suggestion.

A query written with web-search syntax ("exact phrase", -word, or) is taken
as written on PostgreSQL: no synonyms, so the syntax keeps its meaning.
"""

from django.db import connection

from .postgres import query_lexemes, ranked_search, suggest
from .query import (
    MAX_ALTERNATIVES,
    MAX_QUERY_LENGTH,
    MAX_RESULTS,
    Groups,
    expand_terms,
    normalise_query,
    synonym_group,
    terms_of,
    terms_of_phrase,
    uses_search_syntax,
)
from .snippets import SearchResult, heading_at, result_for, word_finder

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "SearchResult",
    "SearchResults",
    "expand_terms",
    "heading_at",
    "normalise_query",
    "query_lexemes",
    "search_articles",
    "suggest",
    "synonym_group",
    "terms_of",
    "terms_of_phrase",
    "uses_search_syntax",
]


class SearchResults(list):
    """The results, best first, and how they were found."""

    def __init__(self, results=(), *, matched_all: bool = True, suggestion: str = ""):
        super().__init__(results)
        # False: no article had every word, these have some of them.
        self.matched_all = matched_all
        # "Did you mean": the query with its unknown words replaced, or "".
        self.suggestion = suggestion


def search_articles(queryset, query: str, *, synonyms: Groups = ()) -> SearchResults:
    """Every word (or a synonym of it) first; failing that, any of them."""
    query = normalise_query(query)
    if not terms_of(query):
        return SearchResults()
    queryset = queryset.select_related("category").only(
        "title", "slug", "summary", "search_text", "toc", "published_at", "updated_at",
        "category__name", "category__slug",
    )  # fmt: skip
    groups = expand_terms(query, synonyms)
    # Web-search syntax asked for something precise: no "any of them" then.
    fallback = len(groups) > 1 and not uses_search_syntax(query)
    if connection.vendor == "postgresql":
        # The fallback is the ranked statement's last tier: no second round trip.
        results, matched_all = ranked_search(queryset, query, groups, fallback=fallback)
        suggestion = "" if results and matched_all else suggest(query)
        return SearchResults(results, matched_all=matched_all, suggestion=suggestion)
    results = _portable(queryset, query, groups, any_word=False)
    if results or not fallback:
        return SearchResults(results)
    return SearchResults(_portable(queryset, query, groups, any_word=True), matched_all=False)


def _portable(queryset, query: str, groups: Groups, *, any_word: bool) -> list[SearchResult]:
    from django.db.models import Q

    def has(term: str) -> Q:
        return (
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(search_text__icontains=term)
        )

    terms = [alternative for group in groups for alternative in group]
    condition = Q()
    for group in groups:
        either = Q()
        for alternative in group:
            either |= has(alternative)
        condition = (condition | either) if any_word else (condition & either)
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
    find = word_finder(terms)
    return [result_for(a, float(r), find) for r, a in scored[:MAX_RESULTS]]
