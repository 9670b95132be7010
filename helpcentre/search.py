"""Searching published articles: ranked results with highlighted snippets.

On PostgreSQL: full-text search (weighted title > summary > body, websearch
syntax, SearchRank) over stored, GIN-indexed documents; the snippet marks the
words whose Snowball stem is in the query, as PostgreSQL's own stemmer does.
Elsewhere (SQLite in development): every word must appear somewhere; results
are ranked by where and how often the words appear, and the snippet is cut
around the first match. Each result carries `snippet`, safe HTML with <mark>
around the matched words.
"""

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
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


# Control characters: PostgreSQL refuses a NUL in text outright (the search
# answered 500), and none of them is anything a reader searches for.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalise_query(query: str) -> str:
    query = _CONTROL.sub(" ", query or "")
    return re.sub(r"\s+", " ", query).strip()[:MAX_QUERY_LENGTH]


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


# The generated, GIN-indexed columns of migrations 0003 and 0005 on
# PostgreSQL, in this configuration: `search_document` (title A, summary B,
# the body's words) and `search_head` (title A, summary B).
STORED_DOCUMENT_CONFIG = "english"
_HEAD = (
    "setweight(to_tsvector({config}, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector({config}, COALESCE(summary, '')), 'B')"
)
_DOCUMENT = _HEAD + " || strip(to_tsvector({config}, COALESCE(search_text, '')))"

# Title and summary first. An article with the words in its title or summary
# outranks one that has them in the body only (weights A and B against a body
# word's D), so the matches are ranked in widening tiers, and a tier runs only
# when the one before it came up short of a page (PostgreSQL skips a CTE whose
# one-time condition is false): all the words in the title or summary, then
# any of them, then anywhere. A common query ("international orders customs"
# matched 9,442 of 10,000 articles) is then ranked over the 178 with all three
# words in the title or summary instead of over every match.
# One statement, written out: the ORM's expressions for it cost more to build
# than PostgreSQL takes to run it.
_RANKED_SQL = """
WITH query AS (
    SELECT websearch_to_tsquery({config}, %s) AS words,
           websearch_to_tsquery({config}, %s) AS any_word
),
all_in_title AS (
    SELECT id, ts_rank({document}, words) AS rank, "order", title
    FROM helpcentre_article, query
    WHERE {where} AND {head} @@ words AND {document} @@ words
    ORDER BY rank DESC, "order", title LIMIT {page}
),
some_in_title AS (
    SELECT id, ts_rank({document}, words) AS rank, "order", title
    FROM helpcentre_article, query
    WHERE {where} AND {head} @@ any_word AND {document} @@ words
        AND (SELECT count(*) FROM all_in_title) < {page}
    ORDER BY rank DESC, "order", title LIMIT {page}
),
anywhere AS (
    SELECT id, ts_rank({document}, words) AS rank, "order", title
    FROM helpcentre_article, query
    WHERE {where} AND {document} @@ words
        AND (SELECT count(*) FROM all_in_title) < {page}
        AND (SELECT count(*) FROM some_in_title) < {page}
    ORDER BY rank DESC, "order", title LIMIT {page}
)
SELECT best.id, best.rank, query.words::text FROM (
    SELECT * FROM all_in_title WHERE (SELECT count(*) FROM all_in_title) = {page}
    UNION ALL
    SELECT * FROM some_in_title WHERE (SELECT count(*) FROM some_in_title) = {page}
    UNION ALL
    SELECT * FROM anywhere
) AS best, query
ORDER BY best.rank DESC, best."order", best.title
"""


def _postgres(queryset, query: str) -> list[SearchResult]:
    config = getattr(settings, "HELPCENTRE_SEARCH_CONFIG", STORED_DOCUMENT_CONFIG)
    if not re.fullmatch(r"[a-z_]+", config):
        raise ValueError(f"HELPCENTRE_SEARCH_CONFIG is not a configuration name: {config!r}")
    config_sql = f"'{config}'::regconfig"
    if config == STORED_DOCUMENT_CONFIG:
        head, document = "search_head", "search_document"
    else:
        # Another language than the stored columns': computed per row (slow
        # over thousands of articles; add matching generated columns then).
        head, document = _HEAD.format(config=config_sql), _DOCUMENT.format(config=config_sql)
    compiler = queryset.query.get_compiler(using=queryset.db)
    where, where_params = compiler.compile(queryset.query.where)
    # Only the configuration's name (checked above), the column expressions and
    # Django's compiled WHERE are formatted in; the query goes as parameters.
    sql = _RANKED_SQL.format(
        config=config_sql, where=where, head=head, document=document, page=int(MAX_RESULTS)
    )
    params = [query, " or ".join(terms_of(query)), *where_params * 3]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    if not ranked:
        return []
    articles = queryset.in_bulk([pk for pk, _rank, _parsed in ranked])
    # Snippets are cut here rather than by ts_headline, which parses each
    # shown article's whole text again: 14 ms for a page of 20 on the
    # benchmark machine, half of a search. The words to mark are the ones
    # whose stem is in the query PostgreSQL parsed ("refunds" for 'refund').
    find = _stem_finder(query_lexemes(ranked[0][2]), config)
    return [
        SearchResult(
            article=articles[pk],
            snippet=_snippet(articles[pk].search_text, articles[pk].summary, find),
            rank=rank,
        )
        for pk, rank, _parsed in ranked
    ]


# A tsquery as text: 'intern' & 'order' & !'wrap' <-> ... ; the quoted lexemes
# that are not negated are the ones to mark.
_LEXEME = re.compile(r"(!?)'((?:[^']|'')+)'")


def query_lexemes(parsed: str) -> set[str]:
    return {m.group(2).replace("''", "'") for m in _LEXEME.finditer(parsed) if not m.group(1)}


@functools.cache
def _stemmer(config: str):
    """Snowball's stemmer for a text search configuration's language, or None."""
    import snowballstemmer

    return snowballstemmer.stemmer(config) if config in snowballstemmer.algorithms() else None


@functools.lru_cache(maxsize=20_000)
def _stem(config: str, word: str) -> str:
    # Kept between searches: the articles share their vocabulary, and Snowball
    # in pure Python costs tens of microseconds a word.
    stemmer = _stemmer(config)
    return stemmer.stemWord(word) if stemmer else word


_WORD_REST = re.compile(r"\w*")


def _stem_finder(lexemes: set[str], config: str):
    """Finds the words in a text whose stem is one of the query's lexemes."""
    # A word's stem is the word's start, give or take its last letter
    # ("happy" gives "happi"): only words that start so are stemmed.
    starts = sorted({lexeme[:-1] if len(lexeme) > 3 else lexeme for lexeme in lexemes}, key=len)
    ignoring_case = re.compile(
        r"\b(?:" + "|".join(re.escape(s) for s in reversed(starts)) + r")\w*", re.IGNORECASE
    )

    def find(text: str) -> list[tuple[int, int, str]]:
        if not lexemes:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):
            # A few letters become two when lower-cased ("İ"): positions in
            # the lowered text would not be the text's own.
            return [
                (m.start(), m.end(), stem)
                for m in ignoring_case.finditer(text)
                if (stem := _stem(config, m.group(0).lower())) in lexemes
            ]
        # str.find for each start, then the rest of the word: twice as fast
        # as one regular expression of alternatives over the whole text.
        found: dict[int, tuple[int, int, str] | None] = {}
        for start in starts:
            position = lowered.find(start)
            while position != -1:
                before = lowered[position - 1] if position else " "
                if position not in found and not (before.isalnum() or before == "_"):
                    end = _WORD_REST.match(lowered, position + len(start)).end()
                    stem = _stem(config, lowered[position:end])
                    found[position] = (position, end, stem) if stem in lexemes else None
                position = lowered.find(start, position + 1)
        return sorted(match for match in found.values() if match)

    return find


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
    find = _word_finder(terms)
    return [
        SearchResult(article=a, snippet=_snippet(a.search_text, a.summary, find), rank=float(r))
        for r, a in scored[:MAX_RESULTS]
    ]


def _word_finder(terms: list[str]):
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)

    def find(text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group(0).lower()) for m in pattern.finditer(text)]

    return find


def _densest(matches: list[tuple[int, int, str]]) -> int:
    """Where the window of SNIPPET_CHARS shows the most different words found
    (the earliest such place): one pass, a window sliding over the matches."""
    best_count, best_start = 0, matches[0][0]
    shown: dict[str, int] = {}
    end = 0
    for begin, _stop, key in matches:
        while end < len(matches) and matches[end][0] < begin + SNIPPET_CHARS:
            shown[matches[end][2]] = shown.get(matches[end][2], 0) + 1
            end += 1
        if len(shown) > best_count:
            best_count, best_start = len(shown), begin
        shown[key] -= 1
        if not shown[key]:
            del shown[key]
    return best_start


_SPACE = re.compile(r"\s")


def _snippet(text: str, summary: str, find) -> SafeString:
    """About SNIPPET_CHARS of the text around the place that shows the most of
    the different words found, with <mark> around each; the summary if the
    words are not in the text. Line breaks and runs of spaces become one space
    in the piece shown (not in the whole text first: a tenth of a search's time)."""
    matches = find(text)
    if not matches:
        text, start = summary, 0
    else:
        first = _densest(matches)
        start = max(0, first - SNIPPET_CHARS // 3)
        # Start at a word boundary.
        if start:
            space = _SPACE.search(text, start, first)
            start = space.end() if space else start
    piece = text[start : start + SNIPPET_CHARS]
    if start + SNIPPET_CHARS < len(text):
        piece = piece.rsplit(None, 1)[0] + " …"
    if start:
        piece = "… " + piece
    marked, last = [], 0
    for begin, end, _key in find(piece):
        marked += [piece[last:begin], START, piece[begin:end], STOP]
        last = end
    return _marked(" ".join(("".join(marked) + piece[last:]).split()))
