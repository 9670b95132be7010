from html.parser import HTMLParser

import pytest

from helpcentre.markdown import (
    MAX_NESTING,
    MAX_PADDED_TABLE_CELLS,
    Figure,
    heading_id,
    reading_minutes,
    render,
)


def test_headings_get_stable_ids_without_emoji_or_punctuation():
    result = render(
        "## Step 1: Identify the Issue Type (Don’t Mix These Up)\n\n### 📦 Missing Item\n"
    )
    assert result.toc == [
        (
            2,
            "step-1-identify-the-issue-type-dont-mix-these-up",
            "Step 1: Identify the Issue Type (Don’t Mix These Up)",
        ),
        (3, "missing-item", "📦 Missing Item"),
    ]
    assert 'id="missing-item"' in result.html


def test_repeated_headings_get_numbered_ids():
    result = render(
        "## Seller-Managed Order\n\n## Other\n\n"
        "## Seller-Managed Order\n\n## Seller-Managed Order\n"
    )
    ids = [anchor for _level, anchor, _text in result.toc]
    assert ids == [
        "seller-managed-order",
        "other",
        "seller-managed-order-2",
        "seller-managed-order-3",
    ]


def test_heading_of_only_emoji_still_gets_an_id():
    seen = {}
    assert heading_id("📦📦", seen) == "section"
    assert heading_id("🛠️", seen) == "section-2"


def test_each_heading_has_a_hash_link_to_itself():
    html = render("## When to Contact Support\n").html
    assert 'href="#when-to-contact-support"' in html
    assert 'class="heading-anchor"' in html
    assert "Link to this section: When to Contact Support" in html


def test_body_h1_becomes_h2_so_the_page_has_one_h1():
    result = render("# Big heading\n")
    assert "<h1" not in result.html
    assert result.toc == [(2, "big-heading", "Big heading")]


def test_tick_and_cross_lists_become_checklists_keeping_the_marks():
    html = render("- ✔ Acknowledge the customer calmly\n- ❌ Do not admit fault\n").html
    assert '<ul class="checklist">' in html
    assert '<li class="checklist__yes">✔ Acknowledge the customer calmly</li>' in html
    assert '<li class="checklist__no">❌ Do not admit fault</li>' in html


def test_plain_lists_stay_plain():
    assert "checklist" not in render("- Packing logs are checked\n- ✔ Mixed\n").html


def test_pin_paragraphs_become_callouts():
    assert (
        '<p class="callout">📌 Documentation protects you.</p>'
        in render("📌 Documentation protects you.").html
    )


def test_uploaded_figure_is_placed_with_its_stored_alt_text():
    figures = {
        7: Figure(url="/media/articles/box.png", alt="Crushed box corner", width=40, height=30)
    }
    html = render("![whatever the editor typed](image:7)", resolve_image=figures.get).html
    assert 'src="/media/articles/box.png"' in html
    assert 'alt="Crushed box corner"' in html
    assert 'width="40"' in html and 'height="30"' in html
    assert "whatever the editor typed" not in html


def test_unknown_figures_and_third_party_images_are_dropped():
    html = render(
        "![a](image:99)\n\n![b](https://static.example-cdn.com/x.png)\n\n![c](/media/x.png)",
        resolve_image={}.get,
    ).html
    assert "<img" not in html


def test_reading_time_counts_words_and_is_at_least_a_minute():
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 230) == 1
    assert reading_minutes("word " * 231) == 2
    assert render("word " * 700).reading_minutes == 4


def test_plain_text_excludes_the_hash_links():
    text = render("## Final Rule (Memorize This)\n\n👉 No inspection, no refund.").text
    assert text.splitlines() == ["Final Rule (Memorize This)", "👉 No inspection, no refund."]


def test_a_dropped_image_leaves_its_alt_text_and_the_rest_of_the_sentence():
    html = render("Before ![a photo](https://cdn.example/x.png) after.", resolve_image={}.get).html
    assert html == "<p>Before a photo after.</p>"


def test_abbreviations_definition_lists_and_tables_render():
    html = render(
        "*[SKU]: Stock keeping unit\n\nCheck the SKU.\n\n"
        "Inspection\n: Done by Kingston Express.\n\n"
        "| Method | Reviewed by |\n|---|---|\n| Dispatched | Kingston Express |\n"
    ).html
    assert '<abbr title="Stock keeping unit">SKU</abbr>' in html
    assert "*[SKU]" not in html
    assert "<dl>\n<dt>Inspection</dt>\n<dd>Done by Kingston Express.</dd>\n</dl>" in html
    assert "<th>Reviewed by</th>" in html and "<td>Kingston Express</td>" in html


def test_a_table_pads_short_rows_with_a_bounded_number_of_empty_cells():
    body = "|a" * 1000 + "|\n" + "|-" * 1000 + "|\n" + "x\n" * 500
    html = render(body).html
    assert html.count("<th>") == 1000
    assert html.count("<td></td>") <= MAX_PADDED_TABLE_CELLS


def test_nesting_past_the_bound_is_not_parsed_further():
    html = render("1. " * 5000 + "deep").html
    assert html.count("<ol>") <= MAX_NESTING


# --- Hostile input --------------------------------------------------------------------
# Whatever an editor types, no script runs: the renderer's output, parsed.


PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=evil.swf></object>",
    "<embed src=evil.swf>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onclick="alert(1)">click</div>',
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example"onmouseover="alert(1))',
    '<a href="https://ok.example" onmouseover=alert(1)>x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "## Heading <img src=x onerror=alert(1)>",
    "- ✔ <script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "[x](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<a href='&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058alert(1)'>x</a>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
]

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "object", "embed", "style", "form", "input", "button", "meta",
    "base", "link", "svg", "math", "frame", "frameset", "body", "details",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset"}


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event attribute {name}")
            if name == "style":
                self.problems.append("style attribute")
            if name in URL_ATTRIBUTES and value is not None:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r}")
                if name == "src" and not squashed.startswith("/media/"):
                    self.problems.append(f"image from elsewhere: {value!r}")

    handle_startendtag = handle_starttag


def problems_in(html: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    html = render(payload).html
    assert problems_in(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised_inside_a_real_article(payload):
    html = render(f"Intro.\n\n## Section\n\n{payload}\n\n- item\n").html
    assert problems_in(html) == [], html


def test_inspector_catches_what_it_should():
    assert problems_in('<script></script><a href=" javascript:x" onclick="y">') == [
        "element <script>",
        "href=' javascript:x'",
        "event attribute onclick",
    ]


def test_raw_html_is_shown_as_text_not_markup():
    html = render("Press <b>this</b> button").html
    assert "&lt;b&gt;this&lt;/b&gt;" in html


def test_ordinary_links_survive():
    html = render("[Kingston Express](https://example.com/help) and [claim](/claim/)").html
    assert 'href="https://example.com/help"' in html
    assert 'href="/claim/"' in html
