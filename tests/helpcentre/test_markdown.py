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
