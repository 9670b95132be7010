"""What a result shows: about SNIPPET_CHARS of the article around the
matched words, marked, and the heading that piece is under."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 220
# Control characters never appear in article text, so they mark the matches
# safely; the snippet is escaped first and they become <mark> afterwards.
START, STOP = "\x02", "\x03"


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


def _marked(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped before the marks are added
        escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def result_for(article, rank: float, find) -> SearchResult:
    snippet, offset = snippet_of(article.search_text, article.summary, find)
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


def word_finder(terms: list[str]):
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)

    def find(text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group(0).lower()) for m in pattern.finditer(text)]

    return find


def densest(matches: list[tuple[int, int, str]]) -> int:
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


def snippet_of(text: str, summary: str, find) -> tuple[SafeString, int | None]:
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
        first = densest(matches)
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
