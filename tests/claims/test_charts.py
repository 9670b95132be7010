"""The dashboard's SVG charts: proportional, escaped, accessible, CSP-safe, readable at 360 px.

Most tests parse the markup with xml.etree. The last ones draw every chart in Debian's
chromium at a phone's width, save PNGs to test-artifacts/ for a person to look at, and
check that no text spills out of the drawing or runs into other text.
"""

import itertools
import math
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from bench.harness import CHROMIUM, CHROMIUM_ARGS
from claims.charts import (
    EMPTY_TEXT,
    WIDTH,
    bar_chart,
    big_number_tile,
    claims_by_path_chart,
    deadline_share_chart,
    refunds_before_review_tile,
    resolution_time_bins,
    time_to_resolution_chart,
)
from tests.browsers import ARTIFACTS

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

PATHS = [
    (
        "Dispatched by Kingston Express",
        [("Submitted", 3), ("Under inspection", 7), ("Inspected", 2), ("Resolved per policy", 12)],
    ),
    ("Seller-managed", [("Awaiting evidence", 4), ("Under review", 0), ("Approved", 9)]),
]
DURATIONS = [timedelta(hours=h) for h in (5, 20, 30, 40, 50, 60, 70, 80, 100, 130, 200, 300)]


def sample_charts():
    """One of each, as the dashboard would draw them."""
    return {
        "claims-by-path": claims_by_path_chart(PATHS),
        "deadline-share": deadline_share_chart(within=25, total=30),
        "time-to-resolution": time_to_resolution_chart(resolution_time_bins(DURATIONS)),
        "refunds-before-review": refunds_before_review_tile(0),
        "empty": claims_by_path_chart([], chart_id="empty"),
    }


def parse(svg):
    return ET.fromstring(str(svg))


def bars(root):
    return [el for el in root.iter(f"{SVG}rect") if "hc-chart__bar" in el.get("class", "")]


def texts(root):
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


# --- Accessible and CSP-safe, every chart ------------------------------------------


@pytest.mark.parametrize("name", list(sample_charts()))
def test_chart_is_an_accessible_image(name):
    root = parse(sample_charts()[name])

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text.strip()
    assert desc.text.strip().endswith(".")
    # The root's first children are title and desc, so assistive tech finds them first.
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]


@pytest.mark.parametrize("name", list(sample_charts()))
def test_chart_scales_from_a_360_wide_viewbox(name):
    root = parse(sample_charts()[name])
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert (x, y, w) == (0, 0, 360)
    assert 60 < h < 800
    assert root.get("width") == "100%"
    assert root.get("height") is None


@pytest.mark.parametrize("name", list(sample_charts()))
def test_chart_has_no_style_attribute_script_or_handler(name):
    svg = str(sample_charts()[name])
    root = parse(svg)

    assert "style=" not in svg
    for el in root.iter():
        assert el.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "style" not in el.attrib
        assert not any(attr.startswith("on") for attr in el.attrib)


def test_two_charts_on_one_page_have_distinct_ids():
    ids = [parse(svg).get("aria-labelledby") for svg in sample_charts().values()]
    assert len(set(ids)) == len(ids)


# --- Bars ------------------------------------------------------------------------------


def test_bars_are_proportional_to_their_values_on_one_scale():
    root = parse(claims_by_path_chart(PATHS))
    values = [v for _group, rows in PATHS for _label, v in rows]
    widths = [float(el.get("width")) for el in bars(root)]

    assert len(widths) == len(values)
    peak = max(values)
    for width, value in zip(widths, values, strict=True):
        assert math.isclose(width / widths[values.index(peak)], value / peak, abs_tol=0.001)
    assert widths[values.index(0)] == 0
    # The longest bar uses the width left after the padding and the printed value.
    assert math.isclose(max(widths), WIDTH - 2 * 12 - 44, abs_tol=0.01)


def test_bars_carry_their_group_tone_and_printed_values():
    root = parse(claims_by_path_chart(PATHS))
    tones = [el.get("class").split()[-1] for el in bars(root)]
    assert tones == ["hc-chart__bar--tone-0"] * 4 + ["hc-chart__bar--tone-1"] * 3
    shown = texts(root)
    for group, rows in PATHS:
        assert group in shown
        for label, value in rows:
            assert label in shown
            assert str(value) in shown


def test_bar_description_is_the_whole_data_set_in_words():
    desc = parse(claims_by_path_chart(PATHS)).find("svg:desc", NS).text
    assert desc == (
        "Dispatched by Kingston Express: Submitted 3, Under inspection 7, Inspected 2, "
        "Resolved per policy 12. Seller-managed: Awaiting evidence 4, Under review 0, Approved 9."
    )


def test_each_bar_has_a_hover_title():
    root = parse(bar_chart([("Refund", 2), ("Replacement", 5)], title="Outcomes"))
    assert [el.find("svg:title", NS).text for el in bars(root)] == ["Refund: 2", "Replacement: 5"]


HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


@pytest.mark.parametrize(
    "render",
    [
        lambda label: claims_by_path_chart([(label, [(label, 1)])]),
        lambda label: bar_chart([(label, 3)], title=label),
        lambda label: time_to_resolution_chart([(label, 2)], title=label),
        lambda label: big_number_tile(1, label=label, note=label),
        lambda label: deadline_share_chart(within=1, total=2, title=label),
        lambda label: claims_by_path_chart([], title=label),
    ],
    ids=["group-and-status", "bar", "histogram", "tile", "gauge", "empty"],
)
def test_labels_are_escaped_and_stay_text(render):
    svg = str(render(HOSTILE))
    root = parse(svg)

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    everything = "".join(root.itertext())
    assert '<script>alert("x")</script>' in everything


def test_long_labels_wrap_onto_lines_inside_the_width():
    label = "Dispatched by Kingston Express, international orders needing customs checks"
    root = parse(bar_chart([(label, 4)], title="Long"))
    spans = [el.text for el in root.iter(f"{SVG}tspan")]
    assert len(spans) >= 2
    assert " ".join(spans) == label


def test_negative_values_are_refused():
    with pytest.raises(ValueError, match="zero or more"):
        bar_chart([("Refund", -1)], title="Outcomes")


# --- Empty data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "svg",
    [
        claims_by_path_chart([]),
        claims_by_path_chart([("Seller-managed", [("Approved", 0), ("Declined", 0)])]),
        bar_chart([], title="Outcomes"),
        deadline_share_chart(within=0, total=0),
        time_to_resolution_chart(resolution_time_bins([])),
    ],
    ids=["no-groups", "all-zero", "no-rows", "gauge", "histogram"],
)
def test_empty_data_says_no_claims_yet(svg):
    root = parse(svg)
    assert texts(root) == [EMPTY_TEXT]
    assert root.find("svg:desc", NS).text == f"{EMPTY_TEXT}."
    assert root.get("role") == "img"
    assert bars(root) == []


# --- Share within the deadline --------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "total", "percent"),
    [(25, 30, "83%"), (30, 30, "100%"), (299, 300, "99%"), (0, 4, "0%"), (1, 3, "33%")],
)
def test_gauge_fill_matches_the_share(within, total, percent):
    root = parse(deadline_share_chart(within=within, total=total))
    track = next(el for el in root.iter(f"{SVG}rect") if "hc-chart__track" in el.get("class"))
    (fill,) = bars(root)

    assert math.isclose(
        float(fill.get("width")) / float(track.get("width")), within / total, abs_tol=0.001
    )
    assert percent in texts(root)
    desc = root.find("svg:desc", NS).text
    assert desc.startswith(f"{percent} resolved within the deadline")
    assert f"{within} of {total} decided claim" in desc


def test_gauge_refuses_impossible_counts():
    with pytest.raises(ValueError):
        deadline_share_chart(within=5, total=4)


# --- Time to resolution ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "label"),
    [
        (0, "< 1 day"),
        (23.9, "< 1 day"),
        (24, "1–2 days"),
        (47, "1–2 days"),
        (48, "2–3 days"),
        (72, "3–5 days"),
        (119, "3–5 days"),
        (120, "5–10 days"),
        (240, "10+ days"),
        (24 * 90, "10+ days"),
    ],
)
def test_resolution_time_bins_edges(hours, label):
    bins = dict(resolution_time_bins([timedelta(hours=hours)]))
    assert list(bins) == ["< 1 day", "1–2 days", "2–3 days", "3–5 days", "5–10 days", "10+ days"]
    assert bins[label] == 1
    assert sum(bins.values()) == 1


def test_resolution_time_bins_with_custom_edges():
    assert resolution_time_bins([timedelta(days=d) for d in (0, 2, 3, 9)], edges_days=[2, 7]) == [
        ("< 2 days", 1),
        ("2–7 days", 2),
        ("7+ days", 1),
    ]
    with pytest.raises(ValueError):
        resolution_time_bins([], edges_days=[3, 2])
    with pytest.raises(ValueError):
        resolution_time_bins([timedelta(hours=-1)])


def test_histogram_columns_are_proportional_and_share_a_baseline():
    bins = resolution_time_bins(DURATIONS)
    root = parse(time_to_resolution_chart(bins))
    columns = bars(root)
    values = [v for _label, v in bins]

    heights = [float(el.get("height")) for el in columns]
    bottoms = {round(float(el.get("y")) + float(el.get("height")), 1) for el in columns}
    assert len(bottoms) == 1
    peak = max(values)
    for height, value in zip(heights, values, strict=True):
        assert math.isclose(height / max(heights), value / peak, abs_tol=0.001)
    xs = [float(el.get("x")) for el in columns]
    assert xs == sorted(xs)


# --- The big number --------------------------------------------------------------------


def test_refunds_before_review_tile_shows_zero_as_good():
    root = parse(refunds_before_review_tile(0))
    assert "0" in texts(root)
    assert "Refunds recorded before review" in texts(root)
    frame = next(root.iter(f"{SVG}rect"))
    assert "hc-chart__tile--good" in frame.get("class")
    assert root.find("svg:desc", NS).text.startswith("Refunds recorded before review: 0.")


def test_a_nonzero_count_is_shown_as_an_alert():
    frame = next(parse(refunds_before_review_tile(2)).iter(f"{SVG}rect"))
    assert "hc-chart__tile--alert" in frame.get("class")
    good = next(parse(big_number_tile(7, label="Resolved", zero_is_good=False)).iter(f"{SVG}rect"))
    assert "hc-chart__tile--good" in good.get("class")


# --- Drawn in a real browser at a phone's width ---------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Debian's chromium: Playwright cannot download its own browser on this machine.
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


TEXT_BOXES_JS = """
svg => Array.from(svg.querySelectorAll('text')).map(t => {
  const b = t.getBBox();
  return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
})
"""


def _overlap(a, b):
    return (
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


@pytest.mark.e2e
@pytest.mark.parametrize("name", list(sample_charts()))
def test_chart_text_fits_and_never_collides_at_360px(page, name):
    svg = sample_charts()[name]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"chart-{name}.svg").write_text(str(svg), encoding="utf-8")
    page.set_viewport_size({"width": 360, "height": 640})
    page.set_content(f"<!doctype html><html lang='en'><body>{svg}</body></html>")
    chart = page.locator("svg")
    chart.screenshot(path=ARTIFACTS / f"chart-{name}-360.png")

    view_w, view_h = (float(v) for v in chart.get_attribute("viewBox").split()[2:])
    rendered = chart.bounding_box()
    assert rendered["width"] <= 360
    boxes = chart.evaluate(TEXT_BOXES_JS)
    assert boxes
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["w"] <= view_w, box
        assert box["y"] >= 0 and box["y"] + box["h"] <= view_h, box
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), (a, b)


@pytest.mark.e2e
def test_dashboard_charts_pass_axe(page):
    charts = "".join(f"<section>{svg}</section>" for svg in sample_charts().values())
    page.set_viewport_size({"width": 1024, "height": 900})
    page.set_content(
        "<!doctype html><html lang='en'><head><title>Seller performance</title></head>"
        f"<body><main><h1>How this affects seller performance</h1>{charts}</main></body></html>"
    )
    page.screenshot(path=ARTIFACTS / "charts-dashboard-1024.png", full_page=True)

    violations = Axe().run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
    names = page.get_by_role("img").all()
    assert len(names) == len(sample_charts())
