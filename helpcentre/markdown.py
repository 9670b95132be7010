"""Article Markdown to safe HTML, a table of contents and a reading time.

Rendered once, when an article is saved; pages only ever show the stored
result. The parser is markdown-it-py: CommonMark, plus tables, definition
lists (mdit-py-plugins) and abbreviations (``*[SKU]: Stock keeping unit``,
for abbreviations that are one word). Its worst case grows linearly with the
body, so no body, however hostile, holds a worker for long: every
pathological input at the body's limit (BODY_MAX_CHARS) renders in well under
a second (``make bench-markdown``). Python-Markdown, used before, took a
minute for 20,000 "[" and overflowed the stack on a line of nested "1. ".

Two layers keep whatever an editor types from reaching a reader as markup:
the parser treats raw HTML as text, and its output is then sanitised by nh3
against an explicit allow-list (no scripts, frames, styles, event attributes,
or links other than http(s), mailto and tel).

Headings get stable ids (the claim form links to them), made from the heading
text: lower case, ASCII only (emoji and punctuation dropped), words joined by
dashes, "-2", "-3" for repeats. Each ends with a "#" link to itself; a body's
"# Heading" becomes an h2 (the page title is the only h1).

Figures: ``![anything](image:12)`` places the uploaded ArticleImage 12 with its
stored alt text. Any other image is dropped, its own alt text staying as plain
text: no hotlinked third-party images.

Lists whose items all start with ✔, ✅ or ❌ are checklists; a paragraph that
starts with one of CALLOUT_MARKS is a call-out.
"""

import importlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import unescape

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

# The longest article body editors can save (Article.clean refuses longer).
# Every worst case the benchmark knows renders at this size in well under a
# second (bench/markdown_worst.py); raise it only with that benchmark run.
BODY_MAX_CHARS = 20_000
# Blockquotes, lists and inline markup nested deeper than this are not parsed
# further (markdown-it's own guard; its cost per character grows with it).
MAX_NESTING = 20
# A table row with fewer cells than the header is padded with empty cells.
# markdown-it stops padding a table at 65,536 cells, so a short body (a
# 1,000-column header, then one-character rows) could still become megabytes
# of HTML. Help articles' tables are small: a table stops at the row that
# would need more than this many empty cells, and the rest is text.
MAX_PADDED_TABLE_CELLS = 100
# The table rule reads its module's constant on each call. (The package's own
# `table` is the rule function, not the module: hence import_module.)
_table_rule = importlib.import_module("markdown_it.rules_block.table")
_table_rule.MAX_AUTOCOMPLETED_CELLS = MAX_PADDED_TABLE_CELLS

WORDS_PER_MINUTE = 230
IMAGE_SCHEME = "image:"
CHECK_MARKS = {"✔": "checklist__yes", "✅": "checklist__yes", "❌": "checklist__no"}
# Paragraphs that open with one of these are the guide's call-outs.
CALLOUT_MARKS = ("📌", "📦", "📎", "📊", "⚠", "👉", "📧", "💡", "ℹ")


@dataclass(frozen=True)
class Figure:
    """What the renderer needs to know about an uploaded article image."""

    url: str
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[tuple[int, str, str]] = field(default_factory=list)
    text: str = ""
    reading_minutes: int = 1


ImageResolver = Callable[[int], Figure | None]

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del",
    "sup", "sub", "blockquote", "code", "pre", "ul", "ol", "li", "a", "img", "figure",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "kbd", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "aria-label"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_CLASSES = {
    "ul": {"checklist"},
    "li": {"checklist__yes", "checklist__no"},
    "p": {"callout"},
    "a": {"heading-anchor"},
    "img": {"figure"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def heading_id(text: str, seen: dict[str, int]) -> str:
    """A stable anchor id for a heading; repeats get -2, -3..."""
    base = slugify(text) or "section"
    count = seen.get(base, 0) + 1
    seen[base] = count
    return base if count == 1 else f"{base}-{count}"


# --- Abbreviations: *[SKU]: Stock keeping unit ---------------------------------

_ABBREVIATION = re.compile(r"\*\[([^\]\\\n]+)\] ?:[ \t]*(.*)")
_WORD = re.compile(r"\w+")


def _abbreviation_definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line `*[ABBR]: Title` defines ABBR for the whole body and is not shown."""
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("*[", begin):
        return False
    match = _ABBREVIATION.match(state.src, begin, state.eMarks[start])
    if match is None:
        return False
    if not silent:
        name, title = match.group(1).strip(), match.group(2).strip()
        # One word only: the text is then matched word by word, in linear time.
        if title and _WORD.fullmatch(name):
            state.env.setdefault("abbreviations", {})[name] = title
        state.line = start + 1
    return True


def _abbreviate(state: StateCore) -> None:
    """Wrap each defined abbreviation in the text in <abbr title="...">."""
    abbreviations = state.env.get("abbreviations")
    if not abbreviations:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for token in block.children:
            if token.type != "text" or not any(
                match.group() in abbreviations for match in _WORD.finditer(token.content)
            ):
                children.append(token)
                continue
            text, position = token.content, 0
            for match in _WORD.finditer(text):
                title = abbreviations.get(match.group())
                if title is None:
                    continue
                if match.start() > position:
                    children.append(Token("text", "", 0, content=text[position : match.start()]))
                children += [
                    Token("abbr_open", "abbr", 1, attrs={"title": title}),
                    Token("text", "", 0, content=match.group()),
                    Token("abbr_close", "abbr", -1),
                ]
                position = match.end()
            if position < len(text):
                children.append(Token("text", "", 0, content=text[position:]))
        block.children = children


def _abbreviations_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "reference", "abbreviation", _abbreviation_definition, {"alt": ["paragraph"]}
    )
    md.core.ruler.push("abbreviate", _abbreviate)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    # Raw HTML is shown as text, never passed through.
    md.disable(["html_block", "html_inline"])
    md.enable("table")
    md.use(deflist_plugin)
    md.use(_abbreviations_plugin)
    return md


_MARKDOWN = _parser()


# --- The guide's touches: figures, heading ids and links, checklists, call-outs --


def _figure(src: str, resolve_image: ImageResolver | None) -> Figure | None:
    src = src.strip()
    if not src.lower().startswith(IMAGE_SCHEME) or resolve_image is None:
        return None
    try:
        pk = int(src[len(IMAGE_SCHEME) :])
    except ValueError:
        return None
    return resolve_image(pk)


def _place_figures(inline: Token, resolve_image: ImageResolver | None) -> None:
    """Uploaded figures get their stored alt text and size; other images become
    their alt text, so the sentence still reads."""
    children = inline.children or []
    for index, token in enumerate(children):
        if token.type != "image":
            continue
        figure = _figure(str(token.attrGet("src") or ""), resolve_image)
        if figure is None:
            alt = _MARKDOWN.renderer.renderInlineAsText(token.children, _MARKDOWN.options, {})
            children[index] = Token("text", "", 0, content=alt)
            continue
        attrs = {
            "src": figure.url,
            "alt": figure.alt,
            "loading": "lazy",
            "decoding": "async",
            "class": "figure",
        }
        if figure.width and figure.height:
            attrs |= {"width": str(figure.width), "height": str(figure.height)}
        # Sorted, as in the HTML stored for the articles saved before.
        token.attrs = dict(sorted(attrs.items()))
        # The renderer writes alt from the children: the stored text, not the typed one.
        token.children = [Token("text", "", 0, content=figure.alt)]


def _plain(children: Sequence[Token] | None) -> str:
    """The text an inline token shows, whitespace collapsed."""
    parts = []
    for token in children or ():
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _anchor_heading(
    opening: Token, inline: Token, closing: Token, text: str, seen: dict[str, int]
) -> tuple[int, str, str]:
    # The page title is the only h1: body headings start at h2.
    level = max(int(opening.tag[1]), 2)
    opening.tag = closing.tag = f"h{level}"
    anchor_id = heading_id(text, seen)
    opening.attrSet("id", anchor_id)
    link = Token("link_open", "a", 1)
    link.attrs = {
        "aria-label": f"Link to this section: {text}",
        "class": "heading-anchor",
        "href": f"#{anchor_id}",
    }
    # A space between the heading text and its # link.
    inline.children = [
        *(inline.children or ()),
        Token("text", "", 0, content=" "),
        link,
        Token("text", "", 0, content="#"),
        Token("link_close", "a", -1),
    ]
    return (level, anchor_id, text)


def _decorate(tokens: list[Token], resolve_image: ImageResolver | None) -> list:
    """One pass over the parsed tokens; returns the table of contents."""
    toc: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    lists: list[tuple[Token, list]] = []  # open lists and their items
    items: list[list] = []  # open list items: [token, first character of its text]
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            _place_figures(token, resolve_image)
            opening = tokens[index - 1]
            waiting = items and items[-1][1] is None
            if not (waiting or opening.type in ("heading_open", "paragraph_open")):
                continue  # table cells, terms: no text needed
            text = _plain(token.children)
            # A list item's mark is the first character of all its text.
            for item in reversed(items):
                if item[1] is not None or not text:
                    break
                item[1] = text[0]
            if opening.type == "heading_open":
                toc.append(_anchor_heading(opening, token, tokens[index + 1], text, seen))
            elif (
                opening.type == "paragraph_open"
                and not opening.hidden
                and text.startswith(CALLOUT_MARKS)
            ):
                opening.attrSet("class", "callout")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append((token, []))
        elif kind == "list_item_open":
            items.append([token, None])
            lists[-1][1].append(items[-1])
        elif kind == "list_item_close":
            items.pop()
        elif kind in ("bullet_list_close", "ordered_list_close"):
            opening, entries = lists.pop()
            marks = [CHECK_MARKS.get(first or "") for _item, first in entries]
            if opening.type == "bullet_list_open" and entries and all(marks):
                opening.attrSet("class", "checklist")
                for (item, _first), css_class in zip(entries, marks, strict=True):
                    item.attrSet("class", css_class)
    return toc


# Sanitised HTML as nh3 writes it: attribute values always in double quotes
# (a " inside is &quot;), "<" and ">" in text as &lt; and &gt;, no comments.
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
_LINE_START = re.compile(r'<(?:p|li|h[2-6]|br|td|th|blockquote)\b(?:[^>"]|"[^"]*")*>')
_HEADING_LINK = re.compile(r'<a [^>"]*(?:"[^"]*"[^>"]*)*class="heading-anchor"[^>]*>#</a>')


def html_to_text(html: str) -> str:
    """The readable text of sanitised HTML, without the heading # links: a
    line for each paragraph, list item, heading, cell and line break.

    Regular expressions, not html.parser: several times faster on the largest
    pages (100 ms to 15 ms for 5,000 headings)."""
    text = _TAG.sub("", _LINE_START.sub("\n", _HEADING_LINK.sub("", html)))
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)


_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)


def _safe_url(value: str) -> str | None:
    """Browsers drop tabs, newlines and controls inside URLs ("java\tscript:"):
    look at the URL as they will, and refuse any scheme not on the list."""
    squashed = _URL_NOISE.sub("", value)
    match = _SCHEME.match(squashed)
    if match and match.group(1).lower() not in URL_SCHEMES:
        return None
    if squashed.startswith("//"):
        return None  # protocol-relative: another host
    return value.strip()


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"}:
        return _safe_url(value)
    return value


def sanitise(html: str) -> str:
    """The allow-list every piece of article HTML passes through."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        strip_comments=True,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
    )


def reading_minutes(text: str) -> int:
    words = len(re.findall(r"\w+", text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def render(source: str, *, resolve_image: ImageResolver | None = None) -> Rendered:
    """Render article Markdown: safe HTML, its TOC, its plain text, its reading time."""
    env: dict = {}
    tokens = _MARKDOWN.parse(source or "", env)
    toc = _decorate(tokens, resolve_image)
    html = sanitise(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env).rstrip("\n"))
    text = html_to_text(html)
    return Rendered(html=html, toc=toc, text=text, reading_minutes=reading_minutes(text))
