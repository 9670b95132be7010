"""Server-rendered SVG charts for the staff dashboard, the guide's "How This Affects
Seller Performance". Pure: plain data in, SVG markup out; no ORM, no JavaScript.

The strict CSP forbids `style` attributes, so the look comes from presentation
attributes (`fill`, `font-size`, ...) that a stylesheet may override through the
`hc-chart*` classes. Every chart is accessible: `role="img"`, a `<title>` and a
`<desc>` that carries the whole data set as a sentence (the text fallback screen
readers read), and each bar has its own `<title>` for a pointer hover. Charts scale
with their container through `viewBox` and are laid out for a 360 px phone.

Labels are escaped here; the functions return `SafeString`, ready for a template::

    {{ by_path_chart }}   # claims_by_path_chart([...]) from the view

The four dashboard charts:

    claims_by_path_chart([("Dispatched by Kingston Express", [("Under inspection", 4), ...]),
                          ("Seller-managed", [("Under review", 2), ...])])
    deadline_share_chart(within=25, total=30)
    time_to_resolution_chart(resolution_time_bins([timedelta(days=2), ...]))
    refunds_before_review_tile(0)

plus the general `bar_chart(rows)` and `big_number_tile(value, label=...)`.

Each chart is `width="100%"` of its container, so the page decides its size: put each
in a card with a visible heading (the `<title>` is not drawn) and cap the width in the
stylesheet, e.g. `.hc-chart { display: block; max-width: 36rem; height: auto; }`;
at 1024 px an uncapped chart is drawn nearly three times its 360 px size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.svg import (
    ALERT,
    EMPTY_TEXT,
    GOOD,
    MUTED,
    PAD,
    TONES,
    TRACK,
    WIDTH,
    Rows,
    check_values,
    empty,
    number,
    svg_element,
    text,
    wrap,
)

__all__ = [
    "EMPTY_TEXT",
    "bar_chart",
    "big_number_tile",
    "claims_by_path_chart",
    "deadline_share_chart",
    "refunds_before_review_tile",
    "resolution_time_bins",
    "time_to_resolution_chart",
]


# --- Horizontal bars ---------------------------------------------------------------

_BAR_MAX = WIDTH - 2 * PAD - 44  # room for the count printed after the longest bar


def claims_by_path_chart(
    groups: Sequence[tuple[str, Rows]],
    *,
    title: str | None = None,
    chart_id: str = "claims-by-path",
    empty_text: str = EMPTY_TEXT,
) -> SafeString:
    """Horizontal bars of claims per status, grouped by path (fulfillment method).

    `groups` is [(path label, [(status label, count), ...]), ...]. Bars share one scale,
    so the two paths compare directly. All counts zero, or no rows: "No claims yet".
    """
    title = title or _("Claims by path and status")
    for _label, rows in groups:
        check_values(rows)
    if not any(value for _label, rows in groups for _s, value in rows):
        return empty(kind="bars", chart_id=chart_id, title=title, message=empty_text)

    peak = max(value for _label, rows in groups for _s, value in rows)
    body: list[str] = []
    sentences: list[str] = []
    y = PAD
    for index, (group, rows) in enumerate(groups):
        if group:
            lines = wrap(group, WIDTH - 2 * PAD, 15)
            y += 15
            body.append(text(PAD, y, lines, size=15, cls="hc-chart__group", font_weight="700"))
            y += 15 * 1.25 * (len(lines) - 1) + 8
        parts = []
        for label, value in rows:
            y = _bar_row(body, y, index, group, label, _BAR_MAX * value / peak, value)
            parts.append(f"{label} {number(value)}")
        sentences.append(f"{group}: {', '.join(parts)}." if group else f"{', '.join(parts)}.")
        y += 6
    return svg_element(
        kind="bars",
        chart_id=chart_id,
        title=title,
        desc=" ".join(sentences),
        height=math.ceil(y + PAD - 16),
        body="".join(body),
    )


def _bar_row(
    body: list[str], y: float, index: int, group: str, label: str, width: float, value: float
) -> float:
    """One labelled bar on its track with its value after it, drawn into `body`
    from `y` down; returns the y below it."""
    tone = TONES[index % len(TONES)]
    lines = wrap(label, WIDTH - 2 * PAD, 13)
    y += 13
    body.append(text(PAD, y, lines, size=13, cls="hc-chart__label"))
    y += 13 * 1.25 * (len(lines) - 1) + 5
    tip = f"{group}: {label}: {number(value)}" if group else f"{label}: {number(value)}"
    body.append(
        f'<rect class="hc-chart__track" x="{PAD}" y="{y:g}" width="{_BAR_MAX:g}" '
        f'height="16" rx="3" fill="{TRACK}"/>'
        f'<rect class="hc-chart__bar hc-chart__bar--tone-{index % len(TONES)}" '
        f'x="{PAD}" y="{y:g}" width="{width:.2f}" height="16" rx="3" fill="{tone}" '
        f'data-value="{number(value)}"><title>{escape(tip)}</title></rect>'
    )
    body.append(
        text(
            PAD + _BAR_MAX + 8,
            y + 13,
            [number(value)],
            size=13,
            cls="hc-chart__value",
            font_weight="700",
        )
    )
    return y + 16 + 10


def bar_chart(
    rows: Rows, *, title: str, chart_id: str | None = None, empty_text: str = EMPTY_TEXT
) -> SafeString:
    """Horizontal bars for [(label, value), ...], one scale, values printed at the end."""
    return claims_by_path_chart(
        [("", rows)], title=title, chart_id=chart_id or slugify(title), empty_text=empty_text
    )


# --- Share resolved within the deadline ---------------------------------------------


def deadline_share_chart(
    *,
    within: int,
    total: int,
    title: str | None = None,
    chart_id: str = "deadline-share",
) -> SafeString:
    """A gauge bar: the share of decided claims that were decided by their response date.

    The percentage is rounded down, so 100 % means every single one was on time.
    """
    title = title or _("Resolved within the deadline")
    if within < 0 or total < 0 or within > total:
        raise ValueError(f"need 0 <= within <= total, got within={within}, total={total}")
    if total == 0:
        return empty(kind="gauge", chart_id=chart_id, title=title)

    share = within / total
    percent = math.floor(share * 100)
    summary = ngettext(
        "{within} of {total} decided claim on time",
        "{within} of {total} decided claims on time",
        total,
    ).format(within=within, total=total)
    track_w = WIDTH - 2 * PAD
    fill_w = track_w * share
    # The summary starts after the big percentage: up to 0.7 em per bold digit and 1 em
    # for "%" at 44 px (DejaVu Sans, the widest common fallback), plus a gap, so "100%"
    # never runs into it.
    label_x = len(str(percent)) * 31 + 44 + 14
    tone = GOOD if share >= 0.9 else TONES[2] if share < 0.7 else TONES[0]
    body = (
        text(PAD, 52, [f"{percent}%"], size=44, cls="hc-chart__big", font_weight="700", fill=tone)
        + text(
            PAD + label_x,
            34,
            wrap(summary, track_w - label_x, 14),
            size=14,
            cls="hc-chart__label",
        )
        + f'<rect class="hc-chart__track" x="{PAD}" y="70" width="{track_w}" height="22" '
        f'rx="11" fill="{TRACK}"/>'
        f'<rect class="hc-chart__bar hc-chart__gauge" x="{PAD}" y="70" width="{fill_w:.2f}" '
        f'height="22" rx="11" fill="{tone}" data-value="{share:.4f}">'
        f"<title>{escape(summary)}</title></rect>"
        + text(PAD, 112, ["0%"], size=12, cls="hc-chart__axis", fill=MUTED)
        + text(
            WIDTH - PAD, 112, ["100%"], size=12, cls="hc-chart__axis", fill=MUTED, text_anchor="end"
        )
    )
    desc = _("{percent}% resolved within the deadline: {summary}.").format(
        percent=percent, summary=summary
    )
    return svg_element(
        kind="gauge", chart_id=chart_id, title=title, desc=desc, height=122, body=body
    )


# --- Time to resolution ---------------------------------------------------------------

DEFAULT_EDGES_DAYS = (1, 2, 3, 5, 10)


def resolution_time_bins(
    durations: Iterable[timedelta], *, edges_days: Sequence[int] = DEFAULT_EDGES_DAYS
) -> list[tuple[str, int]]:
    """Count durations (report to decision) into day ranges for the histogram.

    Ranges are [0, 1), [1, 2) ... [last, ∞) days: labelled "< 1 day", "1–2 days", "10+ days".
    """
    edges = list(edges_days)
    if edges != sorted(set(edges)) or not edges or edges[0] <= 0:
        raise ValueError("edges_days must be increasing whole days above zero")
    counts = [0] * (len(edges) + 1)
    for duration in durations:
        days = duration.total_seconds() / 86400
        if days < 0:
            raise ValueError("a claim cannot be decided before it was reported")
        counts[sum(1 for edge in edges if days >= edge)] += 1
    labels = [ngettext("< {n} day", "< {n} days", edges[0]).format(n=edges[0])]
    labels += [_("{a}–{b} days").format(a=a, b=b) for a, b in zip(edges, edges[1:], strict=False)]
    labels.append(_("{n}+ days").format(n=edges[-1]))
    return list(zip(labels, counts, strict=True))


def time_to_resolution_chart(
    bins: Rows,
    *,
    title: str | None = None,
    chart_id: str = "time-to-resolution",
) -> SafeString:
    """Columns of claims per time-to-resolution range (see `resolution_time_bins`)."""
    title = title or _("Time to resolution")
    check_values(bins)
    if not any(value for _label, value in bins):
        return empty(kind="histogram", chart_id=chart_id, title=title)

    peak = max(value for _label, value in bins)
    top, plot_h = 44, 120
    base = top + plot_h
    col_w = (WIDTH - 2 * PAD) / len(bins)
    gap = min(8.0, col_w * 0.15)
    body = [
        text(
            PAD,
            18,
            [_("Claims by days from report to decision")],
            size=13,
            cls="hc-chart__caption",
            fill=MUTED,
        )
    ]
    label_lines = 1
    for i, (label, value) in enumerate(bins):
        x = PAD + i * col_w + gap / 2
        lines = _column(body, x, col_w, gap, base, plot_h * value / peak, label, value)
        label_lines = max(label_lines, lines)
    body.append(
        f'<line class="hc-chart__baseline" x1="{PAD}" x2="{WIDTH - PAD}" y1="{base}" '
        f'y2="{base}" stroke="{MUTED}" stroke-width="1"/>'
    )
    height = base + 18 + 12 * 1.25 * (label_lines - 1) + PAD
    desc = "; ".join(
        ngettext("{label}: {n} claim", "{label}: {n} claims", int(value)).format(
            label=label, n=number(value)
        )
        for label, value in bins
    )
    return svg_element(
        kind="histogram",
        chart_id=chart_id,
        title=title,
        desc=f"{desc}.",
        height=math.ceil(height),
        body="".join(body),
    )


def _column(
    body: list[str],
    x: float,
    pitch: float,
    gap: float,
    base: float,
    h: float,
    label: str,
    value: float,
) -> int:
    """One histogram column standing on `base`, its value above and its label
    below (wrapped to the whole `pitch`, gap included), drawn into `body`;
    returns how many lines the label took."""
    width = pitch - gap
    tip = f"{label}: {number(value)}"
    body.append(
        f'<rect class="hc-chart__bar hc-chart__bar--tone-0" x="{x:.2f}" y="{base - h:.2f}" '
        f'width="{width:.2f}" height="{h:.2f}" fill="{TONES[0]}" '
        f'data-value="{number(value)}"><title>{escape(tip)}</title></rect>'
    )
    centre = x + width / 2
    body.append(
        text(
            centre,
            base - h - 6,
            [number(value)],
            size=13,
            cls="hc-chart__value",
            font_weight="700",
            text_anchor="middle",
        )
    )
    lines = wrap(label, pitch - 2, 12)
    body.append(
        text(centre, base + 18, lines, size=12, cls="hc-chart__label", text_anchor="middle")
    )
    return len(lines)


# --- Big-number tile ---------------------------------------------------------------------


def big_number_tile(
    value: int,
    *,
    label: str,
    note: str = "",
    zero_is_good: bool = True,
    chart_id: str | None = None,
) -> SafeString:
    """One number, large, with what it counts. Coloured good or alert by `zero_is_good`."""
    if value < 0:
        raise ValueError("a count cannot be negative")
    good = (value == 0) == zero_is_good
    tone, state = (GOOD, "good") if good else (ALERT, "alert")
    label_lines = wrap(label, WIDTH - 2 * PAD - 24, 16)
    note_lines = wrap(note, WIDTH - 2 * PAD - 24, 13) if note else []
    y_label = 96
    y_note = y_label + 16 * 1.25 * (len(label_lines) - 1) + 24
    height = (y_note + 13 * 1.25 * (len(note_lines) - 1) if note_lines else y_label) + 22
    body = (
        f'<rect class="hc-chart__tile hc-chart__tile--{state}" x="1" y="1" '
        f'width="{WIDTH - 2}" height="{height - 2:g}" rx="10" fill="#ffffff" '
        f'stroke="{tone}" stroke-width="2"/>'
        + text(
            PAD + 12, 62, [str(value)], size=52, cls="hc-chart__big", font_weight="700", fill=tone
        )
        + text(PAD + 12, y_label, label_lines, size=16, cls="hc-chart__label", font_weight="600")
        + (
            text(PAD + 12, y_note, note_lines, size=13, cls="hc-chart__note", fill=MUTED)
            if note_lines
            else ""
        )
    )
    desc = f"{label}: {value}." + (f" {note}" if note else "")
    return svg_element(
        kind="tile",
        chart_id=chart_id or slugify(label),
        title=label,
        desc=desc,
        height=math.ceil(height),
        body=body,
    )


def refunds_before_review_tile(
    count: int, *, chart_id: str = "refunds-before-review"
) -> SafeString:
    """The dashboard's proof of the final rule: zero by construction (`claims.workflow`)."""
    return big_number_tile(
        count,
        label=_("Refunds recorded before review"),
        note=_("No inspection, no refund. No review, no replacement."),
        chart_id=chart_id,
    )
