"""After `migrate` on an empty database the seller guide is there, complete."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpcentre.models import Article, Category
from tests.factories import GUIDE_SLUG, GUIDE_URL

ROOT = Path(__file__).resolve().parents[2]
# The product owner's text as copied from the web (../shared/guide/), kept in
# the repository so this check runs on any clone.
GUIDE = ROOT / "helpcentre" / "seed" / "missing-or-damaged-item.original.txt"
SHARED_GUIDE = ROOT.parent / "shared" / "guide" / "missing-or-damaged-item.txt"
SEED = ROOT / "helpcentre" / "seed" / "missing-or-damaged-item.md"
# The copy artefacts listed in ../shared/guide/README.md: the page chrome of the
# site it was copied from.
ARTEFACTS = {
    "View Categories",
    "3 min read",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Main Menu",
}


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def guide_content_lines() -> list[str]:
    lines = []
    for raw in GUIDE.read_text(encoding="utf-8").splitlines():
        line = raw.strip().lstrip("•").strip()
        if not line or line in ARTEFACTS or re.match(r"^https?://", line):
            continue
        line = re.sub(r"\s+#$", "", line)  # the headings' anchor links
        line = line.replace("**", "")  # the unclosed bold marker
        if line.startswith("(") and line.endswith(")"):
            line = line[1:-1]  # the category, shown as the breadcrumb
        lines.append(_normalise(line))
    return lines


def page_text(html: str) -> str:
    parser = _MainText()
    parser.feed(html)
    return _normalise("".join(parser.parts))


@pytest.mark.django_db
def test_migrate_publishes_the_guide_article_in_its_category():
    article = Article.objects.published().get(slug=GUIDE_SLUG)
    assert article.title == "What to Do If a Customer Reports a Missing or Damaged Item"
    assert article.category.name == "Orders, Returns & Exchanges – Seller Guide"
    assert article.category.claim_callout is True
    assert article.reading_minutes == 3
    assert article.body == SEED.read_text(encoding="utf-8")
    assert Category.objects.count() == 1, "only categories with real content are seeded"


@pytest.mark.django_db
def test_every_line_of_the_guide_appears_on_the_article_page(client):
    lines = guide_content_lines()
    assert len(lines) > 100
    text = page_text(client.get(GUIDE_URL).content.decode())
    missing = [line for line in lines if line not in text]
    assert missing == []


@pytest.mark.django_db
def test_the_seeded_article_hotlinks_no_images(client):
    html = client.get(GUIDE_URL).content.decode()
    assert "<img" not in html
    assert "amazon" not in html and "etsystatic" not in html


@pytest.mark.django_db
def test_the_seeded_article_has_the_anchors_the_claim_form_links_to():
    ids = [anchor for _level, anchor, _text in Article.objects.get(slug=GUIDE_SLUG).toc]
    for expected in [
        "step-1-identify-the-issue-type-dont-mix-these-up",
        "missing-item",
        "damaged-item",
        "step-2-confirm-the-fulfillment-method-critical",
        "if-the-order-was-dispatched-by-kingston-express",
        "what-sellers-should-do-immediately",
        "what-sellers-should-not-do",
        "how-dispatchment-reviews-these-issues",
        "if-the-order-was-seller-managed",
        "seller-responsibilities",
        "what-evidence-helps-resolve-these-reports",
        "how-replacements-vs-refunds-are-decided",
        "international-orders-extra-caution",
        "how-to-respond-to-the-customer-safe-example",
        "dispatchment-order",
        "seller-managed-order-2",
        "common-seller-mistakes-to-avoid",
        "how-this-affects-seller-performance",
        "when-to-contact-support",
        "final-rule-memorize-this",
    ]:
        assert expected in ids


@pytest.mark.django_db
def test_the_guide_checklists_render_as_checklists(client):
    html = client.get(GUIDE_URL).content.decode()
    assert html.count('<ul class="checklist">') == 8
    assert '<li class="checklist__no">❌ Do not refund immediately</li>' in html


def test_the_kept_copy_matches_the_product_owners_text_when_it_is_at_hand():
    if SHARED_GUIDE.exists():
        assert GUIDE.read_bytes() == SHARED_GUIDE.read_bytes()
    assert GUIDE.read_text(encoding="utf-8").startswith("View Categories")
