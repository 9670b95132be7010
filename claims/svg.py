"""SVG drawing primitives for the dashboard charts: the palette and page
width, wrapped and escaped text, the accessible <svg> root and the empty
state. Everything that reaches the markup goes through escape() here."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

EMPTY_TEXT = "No claims yet"

WIDTH = 360
PAD = 12
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
TRACK = "#e4e7eb"
# One colour per group, all at least 4.5:1 against white so values stay legible.
TONES = ("#1d4ed8", "#047857", "#9a3412", "#6d28d9")
GOOD = "#047857"
ALERT = "#b91c1c"

# An average glyph is about 0.6 em wide in common sans fonts (DejaVu is wider than
# most): used to wrap labels before they could run into each other.
EM = 0.62

Rows = Sequence[tuple[str, float]]


def number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def check_values(rows: Rows) -> None:
    for label, value in rows:
        if value < 0 or math.isnan(value):
            raise ValueError(f"{label!r}: a chart value must be zero or more, got {value!r}")


def wrap(text: str, width_px: float, font_size: float) -> list[str]:
    chars = max(4, int(width_px / (font_size * EM)))
    return textwrap.wrap(str(text), chars, break_long_words=True) or [""]


def text(x: float, y: float, lines: Sequence[str], *, size: float, cls: str, **attrs) -> str:
    """A <text> with one <tspan> per line; escapes every line."""
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    if len(lines) == 1:
        return (
            f'<text class="{cls}" x="{x:g}" y="{y:g}" font-size="{size:g}"{extra}>'
            f"{escape(lines[0])}</text>"
        )
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else round(size * 1.25, 2):g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{cls}" x="{x:g}" y="{y:g}" font-size="{size:g}"{extra}>{spans}</text>'


def svg_element(
    *, kind: str, chart_id: str, title: str, desc: str, height: float, body: str
) -> SafeString:
    ident = slugify(chart_id) or kind
    return mark_safe(  # noqa: S308 - every piece of text in `body` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hc-chart hc-chart--{kind}" '
        f'viewBox="0 0 {WIDTH} {height:g}" width="100%" role="img" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
        f'font-family="{escape(FONT)}" fill="{INK}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def empty(*, kind: str, chart_id: str, title: str, message: str = EMPTY_TEXT) -> SafeString:
    height = 96
    body = (
        f'<rect class="hc-chart__empty-frame" x="1" y="1" width="{WIDTH - 2}" '
        f'height="{height - 2}" rx="8" fill="#f5f7fa" stroke="{TRACK}" stroke-width="2"/>'
        + text(
            WIDTH / 2,
            height / 2 + 6,
            [message],
            size=16,
            cls="hc-chart__empty",
            text_anchor="middle",
            fill=MUTED,
        )
    )
    return svg_element(
        kind=kind, chart_id=chart_id, title=title, desc=f"{message}.", height=height, body=body
    )
