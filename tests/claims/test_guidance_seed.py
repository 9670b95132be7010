"""The seeded guidance is the guide: every checklist line, both response
examples, the review steps, the evidence list, the international cautions,
the support reasons and the final rule, word for word."""

import re
from pathlib import Path

import pytest

from claims.choices import GuideSection
from claims.models import (
    EvidenceRequirement,
    GuidanceWarning,
    OutcomeFactorRow,
    ResponseTemplate,
    ReviewStep,
)

# A copy of the product owner's guide text, kept with the tests.
GUIDE = (Path(__file__).parent / "guide_missing_or_damaged_item.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def seeded_texts() -> set[str]:
    return {
        *GuidanceWarning.objects.values_list("text", flat=True),
        *ReviewStep.objects.values_list("text", flat=True),
        *ResponseTemplate.objects.values_list("body", flat=True),
        *EvidenceRequirement.objects.values_list("label", flat=True),
        *OutcomeFactorRow.objects.values_list("text", flat=True),
    }


def section(heading: str) -> str:
    """The guide's text from a heading to the next blank-line-separated heading."""
    start = GUIDE.index(heading)
    following = re.search(r"\n\n[^\s•✔❌📌📦📎⚠📊👉“h][^\n]*#\n", GUIDE[start + len(heading) :])
    end = start + len(heading) + following.start() if following else len(GUIDE)
    return GUIDE[start:end]


def bullets(text: str) -> list[str]:
    return [line.strip()[1:].strip() for line in text.splitlines() if line.strip().startswith("•")]


def test_every_tick_and_cross_line_of_the_guide_is_a_seeded_row():
    lines = [
        line.strip()[1:].strip()
        for line in GUIDE.splitlines()
        if line.strip().startswith(("✔", "❌"))
    ]

    assert len(lines) == 28  # 3 + 4 + 4 + 3 + 3 + 5 + 3 + 3, as the guide lists them
    assert set(lines) - seeded_texts() == set()


def test_both_customer_response_examples_are_seeded_word_for_word():
    examples = re.findall(r"“([^”]+)”", GUIDE)
    bodies = set(ResponseTemplate.objects.values_list("body", flat=True))

    assert len(examples) == 2
    assert set(examples) <= bodies
    assert ResponseTemplate.objects.get(fulfillment_method="kingston_express").body == examples[0]
    general = ResponseTemplate.objects.filter(issue_type="", photos="")
    assert general.get(fulfillment_method="seller_managed").body == examples[1]
    # The cases the guide's seller-managed sentence does not fit (an item that
    # did not arrive, photos already in) have their own, more specific rows.
    variants = ResponseTemplate.objects.filter(fulfillment_method="seller_managed").exclude(
        pk=general.get(fulfillment_method="seller_managed").pk
    )
    assert sorted((v.issue_type, v.photos) for v in variants) == [
        ("", "received"),
        ("missing_item", ""),
        ("partial_order", ""),
    ]


@pytest.mark.parametrize(
    "heading",
    [
        "How Dispatchment Reviews These Issues",
        "International Orders (Extra Caution)",
        "When to Contact Support",
    ],
)
def test_the_guides_bulleted_lists_are_seeded(heading):
    items = bullets(section(heading))

    assert len(items) >= 3
    assert set(items) - seeded_texts() == set()


def test_the_evidence_list_is_seeded_except_the_order_number_which_the_form_asks_for():
    items = bullets(section("What Evidence Helps Resolve These Reports"))

    assert items == [
        "Photos of the package",
        "Photos of the item (if damaged)",
        "Photos of packing materials",
        "Order number",
    ]
    assert set(items[:3]) <= seeded_texts()


def test_the_final_rule_and_the_notes_are_seeded():
    final = re.search(r"👉 (.+)", GUIDE).group(1).strip()

    assert final == "No inspection, no refund. No review, no replacement."
    assert GuidanceWarning.objects.get(kind="final_rule").text == final
    assert "Never promise instant resolution for international cases." in seeded_texts()
    assert "Include order ID and issue type." in seeded_texts()


def test_every_seeded_row_links_to_a_real_guide_section_and_is_active():
    anchors = set(GuideSection.values)
    for model in (GuidanceWarning, ReviewStep, ResponseTemplate, EvidenceRequirement):
        rows = list(model.objects.all())
        assert rows
        assert all(row.guide_anchor in anchors for row in rows)
        assert all(row.is_active for row in rows)
