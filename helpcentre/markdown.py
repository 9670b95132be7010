"""Article Markdown to safe HTML, a table of contents and a reading time.

Rendered once, when an article is saved; pages only ever show the stored
result. Two layers keep whatever an editor types from reaching a reader as
markup: Python-Markdown is told to treat raw HTML as text, and its output is
then sanitised by nh3 against an explicit allow-list (no scripts, frames,
styles, event attributes, or links other than http(s), mailto and tel).

Headings get stable ids (the claim form links to them), made from the heading
text: lower case, ASCII only (emoji and punctuation dropped), words joined by
dashes, "-2", "-3" for repeats.

Figures: ``![anything](image:12)`` places the uploaded ArticleImage 12 with its
stored alt text. Any other image source is dropped: no hotlinked third-party
images.
"""

import math
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds trees, never parses input
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


def _text(element: ET.Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


class _GuideTreeprocessor(Treeprocessor):
    def __init__(self, md, resolve_image: ImageResolver | None):
        super().__init__(md)
        self.resolve_image = resolve_image
        self.toc: list[tuple[int, str, str]] = []

    def run(self, root: ET.Element) -> None:
        self._images(root)
        self._headings(root)
        self._lists_and_callouts(root)

    def _images(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag != "img":
                    continue
                figure = self._figure(child.get("src", ""))
                if figure is None:
                    # Keep the sentence readable: the image's own alt text stays.
                    parent.remove(child)
                    continue
                child.attrib.clear()
                child.set("src", figure.url)
                child.set("alt", figure.alt)
                if figure.width and figure.height:
                    child.set("width", str(figure.width))
                    child.set("height", str(figure.height))
                child.set("loading", "lazy")
                child.set("decoding", "async")
                child.set("class", "figure")

    def _figure(self, src: str) -> Figure | None:
        src = src.strip()
        if not src.lower().startswith(IMAGE_SCHEME) or self.resolve_image is None:
            return None
        try:
            pk = int(src[len(IMAGE_SCHEME) :])
        except ValueError:
            return None
        return self.resolve_image(pk)

    def _headings(self, root: ET.Element) -> None:
        seen: dict[str, int] = {}
        for element in root.iter():
            if element.tag not in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                continue
            # The page title is the only h1: body headings start at h2.
            level = max(int(element.tag[1]), 2)
            element.tag = f"h{level}"
            text = _text(element)
            anchor_id = heading_id(text, seen)
            element.set("id", anchor_id)
            self.toc.append((level, anchor_id, text))
            link = ET.SubElement(element, "a")
            link.set("class", "heading-anchor")
            link.set("href", f"#{anchor_id}")
            link.set("aria-label", f"Link to this section: {text}")
            link.text = "#"
            # A space between the heading text and its # link.
            if len(element) > 1:
                previous = element[-2]
                previous.tail = (previous.tail or "").rstrip() + " "
            else:
                element.text = (element.text or "").rstrip() + " "

    def _lists_and_callouts(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "ul":
                items = [li for li in element if li.tag == "li"]
                marks = [CHECK_MARKS.get(_text(li)[:1]) for li in items]
                if items and all(marks):
                    element.set("class", "checklist")
                    for li, css_class in zip(items, marks, strict=True):
                        li.set("class", css_class)
            elif element.tag == "p" and _text(element).startswith(CALLOUT_MARKS):
                element.set("class", "callout")


class _GuideExtension(Extension):
    def __init__(self, resolve_image: ImageResolver | None):
        super().__init__()
        self.resolve_image = resolve_image
        self.processor: _GuideTreeprocessor | None = None

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # Raw HTML is shown as text, never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        self.processor = _GuideTreeprocessor(md, self.resolve_image)
        md.treeprocessors.register(self.processor, "helpcentre_guide", 5)


class _TextExtractor(HTMLParser):
    """The readable text of rendered HTML, without the heading # links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a" and ("class", "heading-anchor") in attrs:
            self._skip += 1
        elif tag in {"p", "li", "h2", "h3", "h4", "h5", "h6", "br", "td", "th", "blockquote"}:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(extractor.parts).split("\n")
    )
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
    extension = _GuideExtension(resolve_image)
    md = markdown.Markdown(
        extensions=["sane_lists", "tables", "fenced_code", "def_list", "abbr", extension],
        output_format="html",
    )
    html = sanitise(md.convert(source or ""))
    text = html_to_text(html)
    toc = list(extension.processor.toc) if extension.processor else []
    return Rendered(html=html, toc=toc, text=text, reading_minutes=reading_minutes(text))
