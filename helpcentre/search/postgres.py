"""PostgreSQL's search: one ranked statement over the stored, GIN-indexed
documents, snippets marking the words whose Snowball stem is in the query,
and "Did you mean" through pg_trgm."""

import functools
import re

from django.conf import settings
from django.db import connection

from .query import MAX_RESULTS, Groups, terms_of, uses_search_syntax
from .snippets import SearchResult, result_for

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


def ranked_search(
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
    find = stem_finder(query_lexemes(ranked[0][2]), config)
    results = [result_for(articles[pk], rank, find) for pk, rank, _parsed, _fallback in ranked]
    return results, not ranked[0][3]


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


def stem_finder(lexemes: set[str], config: str):
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
