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

import functools
import re
from collections.abc import Sequence
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


MAX_ALTERNATIVES = 8  # per word or phrase: a synonym group longer than this is cut


@dataclass
class SearchResult:
    article: object
    snippet: SafeString
    rank: float
    # The id of the heading the snippet is under ("" when before the first).
    anchor: str = ""

    @property
    def url(self) -> str:
        url = self.article.get_absolute_url()
        return f"{url}#{self.anchor}" if self.anchor else url


class SearchResults(list):
    """The results, best first, and how they were found."""

    def __init__(self, results=(), *, matched_all: bool = True, suggestion: str = ""):
        super().__init__(results)
        # False: no article had every word, these have some of them.
        self.matched_all = matched_all
        # "Did you mean": the query with its unknown words replaced, or "".
        self.suggestion = suggestion


# Control characters: PostgreSQL refuses a NUL in text outright (the search
# answered 500), and none of them is anything a reader searches for.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalise_query(query: str) -> str:
    query = _CONTROL.sub(" ", query or "")
    return re.sub(r"\s+", " ", query).strip()[:MAX_QUERY_LENGTH]


def terms_of(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1 or t.isdigit()][:10]


Groups = Sequence[tuple[str, ...]]


def synonym_group(terms: str) -> tuple[str, ...]:
    """'Parcel, package ,, PACKAGE' -> ('parcel', 'package'): the words of each
    comma-separated phrase, lower case, once each."""
    phrases = (" ".join(terms_of_phrase(part)) for part in (terms or "").split(","))
    return tuple(dict.fromkeys(p for p in phrases if p))[:MAX_ALTERNATIVES]


def terms_of_phrase(phrase: str) -> list[str]:
    return re.findall(r"\w+", phrase.lower())


def uses_search_syntax(query: str) -> bool:
    """Quotes, an excluded -word or an `or`: PostgreSQL's web-search syntax."""
    return bool(re.search(r'"|(?:^|\s)-\w|\bor\b', query, re.IGNORECASE))


def expand_terms(query: str, synonyms: Groups) -> list[tuple[str, ...]]:
    """The query's words as groups of alternatives: an article matches a group
    when it has any of its alternatives, and the query when it matches every
    group. A word or phrase found in a synonym group brings the whole group,
    the longest phrase first: "money back" is one group, not two words."""
    words = terms_of(query)
    by_first: dict[str, list[tuple[list[str], tuple[str, ...]]]] = {}
    for group in synonyms:
        for phrase in group:
            parts = phrase.split()
            if parts:
                by_first.setdefault(parts[0], []).append((parts, group))
    groups: list[tuple[str, ...]] = []
    seen: set[frozenset[str]] = set()
    i = 0
    while i < len(words):
        match = max(
            (
                (parts, group)
                for parts, group in by_first.get(words[i], [])
                if words[i : i + len(parts)] == parts
            ),
            key=lambda found: len(found[0]),
            default=None,
        )
        if match is None:
            found, i = (words[i],), i + 1
        else:
            parts, group = match
            said = " ".join(parts)
            found = (said, *(p for p in group if p != said))[:MAX_ALTERNATIVES]
            i += len(parts)
        # "kingston express courier" is one thing asked for twice: one group.
        if frozenset(found) not in seen:
            seen.add(frozenset(found))
            groups.append(found)
    return groups


def _marked(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped before the marks are added
        escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    )


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
        results, matched_all = _postgres(queryset, query, groups, fallback=fallback)
        suggestion = "" if results and matched_all else suggest(query)
        return SearchResults(results, matched_all=matched_all, suggestion=suggestion)
    results = _portable(queryset, query, groups, any_word=False)
    if results or not fallback:
        return SearchResults(results)
    return SearchResults(_portable(queryset, query, groups, any_word=True), matched_all=False)


# pg_trgm's similarity (word % term: over 0.3) through the GIN trigram index
# of migration 0006; the nearest word first, ties alphabetical.
_SUGGEST_SQL = """
SELECT t.term, (
    SELECT w.word FROM helpcentre_searchword AS w
    WHERE w.word %% t.term ORDER BY w.word <-> t.term, w.word LIMIT 1
) FROM unnest(%s::text[]) WITH ORDINALITY AS t(term, position)
ORDER BY t.position
"""


def suggest(query: str) -> str:
    """PostgreSQL: the query with each word no published article uses replaced by
    the most similar word one does; "" when every word is used or none is near."""
    terms = terms_of(query)
    with connection.cursor() as cursor:
        cursor.execute(_SUGGEST_SQL, [terms])
        nearest = dict(cursor.fetchall())
    suggested = [
        term if term.isdigit() or len(term) < 3 else (nearest.get(term) or term) for term in terms
    ]
    return " ".join(suggested) if suggested != terms else ""


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
WITH query AS (SELECT {words} AS words, {any_word} AS any_word),
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
),
-- None of the above: the articles with any of the words (when allowed), in
-- two tiers too: any word in the title or summary, then anywhere ("parcel
-- zebra": 487 articles to rank instead of 4,783).
any_in_title AS (
    SELECT id, ts_rank({document}, any_word) AS rank, "order", title
    FROM helpcentre_article, query
    WHERE {fallback} AND {where} AND {head} @@ any_word
        AND (SELECT count(*) FROM all_in_title) = 0
        AND (SELECT count(*) FROM some_in_title) = 0
        AND (SELECT count(*) FROM anywhere) = 0
    ORDER BY rank DESC, "order", title LIMIT {page}
),
any_of_them AS (
    SELECT id, ts_rank({document}, any_word) AS rank, "order", title
    FROM helpcentre_article, query
    WHERE {fallback} AND {where} AND {document} @@ any_word
        AND (SELECT count(*) FROM all_in_title) = 0
        AND (SELECT count(*) FROM some_in_title) = 0
        AND (SELECT count(*) FROM anywhere) = 0
        AND (SELECT count(*) FROM any_in_title) < {page}
    ORDER BY rank DESC, "order", title LIMIT {page}
)
SELECT best.id, best.rank,
       CASE WHEN best.fallback THEN query.any_word ELSE query.words END::text, best.fallback
FROM (
    SELECT *, false AS fallback FROM all_in_title
    WHERE (SELECT count(*) FROM all_in_title) = {page}
    UNION ALL
    SELECT *, false FROM some_in_title WHERE (SELECT count(*) FROM some_in_title) = {page}
    UNION ALL
    SELECT *, false FROM anywhere
    UNION ALL
    SELECT *, true FROM any_in_title WHERE (SELECT count(*) FROM any_in_title) = {page}
    UNION ALL
    SELECT *, true FROM any_of_them
) AS best, query
ORDER BY best.rank DESC, best."order", best.title
"""


# A word as one quoted tsquery operand: letters and digits only (to_tsquery
# would read an underscore inside quotes as two words in a phrase).
_OPERAND = re.compile(r"[^\W_]+")


def _tsquery(groups: Groups, config_sql: str, *, any_word: bool) -> tuple[str, list[str]]:
    """One to_tsquery() of the groups: each group's alternatives or'ed, the
    groups and'ed; or every alternative or'ed for `any_word`. A phrase
    alternative ("money back") is its words and'ed, not a phrase: the body's
    words are stored without positions, so a phrase (<->) never matches there.
    One tsquery instead of one phraseto_tsquery() per alternative: "refund"
    with its synonym ran as 'refund' | 'money' <-> 'back', and a phrase in the
    document is a lossy GIN match rechecked on every candidate row."""

    def operand(phrase: str) -> str:
        words = [f"'{word}'" for word in _OPERAND.findall(phrase)]
        return words[0] if len(words) == 1 else "(" + " & ".join(words) + ")"

    alternatives = [[operand(p) for p in group if _OPERAND.search(p)] for group in groups]
    alternatives = [group for group in alternatives if group]
    if any_word:
        text = " | ".join(op for group in alternatives for op in group)
    else:
        text = " & ".join("(" + " | ".join(group) + ")" for group in alternatives)
    return f"to_tsquery({config_sql}, %s)", [text]


def _postgres(
    queryset, query: str, groups: Groups, *, fallback: bool
) -> tuple[list[SearchResult], bool]:
    """(results, True when they have all the words)."""
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
    any_sql, any_params = _tsquery(groups, config_sql, any_word=True)
    if uses_search_syntax(query):
        words_sql, words_params = f"websearch_to_tsquery({config_sql}, %s)", [query]
    else:
        words_sql, words_params = _tsquery(groups, config_sql, any_word=False)
    sql = _RANKED_SQL.format(
        words=words_sql,
        any_word=any_sql,
        config=config_sql,
        where=where,
        head=head,
        document=document,
        page=int(MAX_RESULTS),
        fallback="true" if fallback else "false",
    )
    params = [*words_params, *any_params, *where_params * 5]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    if not ranked:
        return [], True
    articles = queryset.in_bulk([row[0] for row in ranked])
    # Snippets are cut here rather than by ts_headline, which parses each
    # shown article's whole text again: 14 ms for a page of 20 on the
    # benchmark machine, half of a search. The words to mark are the ones
    # whose stem is in the query PostgreSQL parsed ("refunds" for 'refund').
    find = _stem_finder(query_lexemes(ranked[0][2]), config)
    results = [_result(articles[pk], rank, find) for pk, rank, _parsed, _fallback in ranked]
    return results, not ranked[0][3]


def _result(article, rank: float, find) -> SearchResult:
    snippet, offset = _snippet(article.search_text, article.summary, find)
    anchor = heading_at(article.toc, article.search_text, offset) if offset is not None else ""
    return SearchResult(article=article, snippet=snippet, rank=rank, anchor=anchor)


def heading_at(toc: list, text: str, offset: int) -> str:
    """The anchor of the last heading (of `toc`'s [level, anchor, text]) that
    starts before `offset` in the article's text; "" when none does."""
    anchor, position = "", 0
    for _level, heading_anchor, heading in toc:
        found = text.find(heading, position)
        if found < 0:
            continue
        if found > offset:
            break
        anchor, position = heading_anchor, found + len(heading)
    return anchor


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
    find = _word_finder(terms)
    return [_result(a, float(r), find) for r, a in scored[:MAX_RESULTS]]


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


def _snippet(text: str, summary: str, find) -> tuple[SafeString, int | None]:
    """About SNIPPET_CHARS of the text around the place that shows the most of
    the different words found, with <mark> around each, and where in the text
    that place is; the summary (and None) if the words are not in the text.
    Line breaks and runs of spaces become one space in the piece shown (not in
    the whole text first: a tenth of a search's time)."""
    matches = find(text)
    first = None
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
    return _marked(" ".join(("".join(marked) + piece[last:]).split())), first
