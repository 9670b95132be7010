"""What was asked: the query cleaned, split into words, and widened by the
synonyms editors keep."""

import re
from collections.abc import Sequence

MAX_RESULTS = 20
MAX_QUERY_LENGTH = 200
MAX_ALTERNATIVES = 8  # per word or phrase: a synonym group longer than this is cut

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
