"""The result page's guidance partials render the decided guidance: copy
button, prefilled emails with every part encoded, links to the guide's
sections, and nothing inline that the strict CSP would block."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.template.loader import render_to_string

from claims.choices import DamageSeverity, FulfillmentMethod, GuideSection, IssueType
from claims.guidance_rules import GuidanceRules, ResponseTemplateRule
from claims.guide_links import GUIDE_ARTICLE_PATH, mailto_url
from claims.rules import decide
from tests.factories import make_claim_facts, seeded_guidance_rules

RULES = seeded_guidance_rules()


class Links(HTMLParser):
    """Every element's attributes, in document order."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def parse(html):
    parser = Links()
    parser.feed(html)
    return parser.elements


def render(guidance, order_number="KX-48213579", customer_email="", issue_label="Damaged item"):
    return render_to_string(
        "claims/_guidance.html",
        {
            "guidance": guidance,
            "order_number": order_number,
            "customer_email": customer_email,
            "issue_label": issue_label,
        },
    )


def mailto_parts(href):
    assert href.startswith("mailto:")
    parts = urlsplit(href)
    query = parse_qs(parts.query, keep_blank_values=True)
    return unquote(parts.path), {name: values[0] for name, values in query.items()}


def test_the_response_template_has_a_copy_button_for_its_own_text():
    html = render(decide(make_claim_facts(), RULES))
    elements = parse(html)

    button = next(attrs for tag, attrs in elements if tag == "button" and "data-copy" in attrs)
    target_id = button["data-copy"]
    assert "hidden" in button  # shown by copy.js; without JavaScript the text is selectable
    assert any(attrs.get("id") == target_id for _, attrs in elements)
    assert re.search(
        rf'id="{target_id}"[^>]*>\s*<p>Thanks for letting us know\. Please submit the issue', html
    )
    assert any(
        tag == "script" and re.search(r"/js/copy\.(\w+\.)?js$", attrs.get("src", ""))
        for tag, attrs in elements
    )


def test_the_customer_email_link_is_prefilled_and_encoded():
    rules = GuidanceRules(
        response_templates=(
            ResponseTemplateRule(
                "Tricky", "Hi & welcome? 100% sure #1\nSecond line: a+b=c <ok>", order=1
            ),
        )
    )
    html = render(
        decide(make_claim_facts(), rules),
        order_number="KX-48213579",
        customer_email="ana+orders@example.com",
    )

    href = next(
        attrs["href"]
        for tag, attrs in parse(html)
        if tag == "a" and attrs.get("href", "").startswith("mailto:ana")
    )
    to, headers = mailto_parts(href)
    assert to == "ana+orders@example.com"
    assert headers["subject"] == "Your order KX-48213579"
    assert headers["body"] == "Hi & welcome? 100% sure #1\r\nSecond line: a+b=c <ok>"
    # Spaces as %20, never "+", so mail clients keep a literal plus.
    assert "+" not in href.split("?", 1)[1]
    assert "Email ana+orders@example.com" in html


def test_without_a_customer_email_the_link_opens_an_empty_recipient():
    html = render(
        decide(make_claim_facts(fulfillment_method=FulfillmentMethod.SELLER_MANAGED), RULES)
    )

    href = next(
        attrs["href"]
        for tag, attrs in parse(html)
        if tag == "a" and attrs.get("href", "").startswith("mailto:?")
    )
    to, headers = mailto_parts(href)
    assert to == ""
    assert headers["body"].startswith("Thanks for the update. Please share photos")
    assert "Open in your email app" in html


def test_contact_support_mails_the_configured_address_with_order_id_and_issue_type(settings):
    settings.KINGSTON_EXPRESS_SUPPORT_EMAIL = "support@kx.example"
    html = render(
        decide(make_claim_facts(), RULES), order_number="KX-1234567", issue_label="Wrong item"
    )

    href = next(
        attrs["href"]
        for tag, attrs in parse(html)
        if tag == "a" and attrs.get("href", "").startswith("mailto:support@kx.example")
    )
    _, headers = mailto_parts(href)
    assert headers["subject"] == "Order KX-1234567: Wrong item"
    assert "Order ID: KX-1234567\r\nIssue type: Wrong item" in headers["body"]
    assert "A dispatchment inspection result is unclear" in html
    assert "Include order ID and issue type." in html


def test_every_guide_link_points_at_a_section_of_the_guide_article():
    html = render(decide(make_claim_facts(is_international=True), RULES))
    hrefs = [
        attrs["href"]
        for tag, attrs in parse(html)
        if tag == "a" and attrs["href"].startswith("/articles/")
    ]

    anchors = {href.split("#", 1)[1] for href in hrefs}
    assert all(href.startswith(GUIDE_ARTICLE_PATH + "#") for href in hrefs)
    assert anchors <= set(GuideSection.values)
    assert {
        "what-sellers-should-not-do",
        "how-dispatchment-reviews-these-issues",
        "international-orders-extra-caution",
        "how-replacements-vs-refunds-are-decided",
        "when-to-contact-support",
        "final-rule-memorize-this",
        "dispatchment-order",
    } <= anchors


@pytest.mark.parametrize("international", [False, True])
def test_warnings_show_ticks_crosses_and_cautions_only_when_international(international):
    html = render(decide(make_claim_facts(is_international=international), RULES))

    assert "✔</span>Acknowledge the customer calmly" in html
    assert "❌</span>Do not admit fault" in html
    assert "❌</span>Accusing customers" in html
    assert ("Customs handling may affect outcomes" in html) is international
    assert ("Never promise instant resolution for international cases." in html) is international


def test_likely_outcome_and_final_rule_are_shown_with_the_policy_note():
    facts = make_claim_facts(
        issue_type=IssueType.DAMAGED_ITEM,
        severity=DamageSeverity.SEVERE,
        fulfillment_method=FulfillmentMethod.SELLER_MANAGED,
    )
    html = render(decide(facts, RULES))

    assert re.search(r"More likely, after your review: <strong>Refund</strong>", html)
    assert "Damage is severe" in html
    assert "The decision depends on policy and inspection." in html
    assert "No inspection, no refund. No review, no replacement." in html


def test_on_kingston_express_the_outcome_is_kingston_expresss_decision_never_the_sellers():
    facts = make_claim_facts(issue_type=IssueType.DAMAGED_ITEM, severity=DamageSeverity.SEVERE)
    html = render(decide(facts, RULES))

    assert "What Kingston Express usually decides" in html
    assert "Kingston Express decides after the inspection" in html
    assert "don't refund, replace or promise either" in html
    assert re.search(r"more often: <strong>Refund</strong>, applied by Kingston Express", html)
    assert "More likely" not in html


def test_an_undecided_outcome_still_says_it_depends_on_policy_and_inspection():
    html = render(decide(make_claim_facts(issue_type=IssueType.MISSING_ITEM), RULES))

    assert "do not point to a replacement or a refund yet" in html
    assert "The decision depends on policy and inspection." in html


def test_seller_managed_shows_the_sellers_own_review():
    facts = make_claim_facts(fulfillment_method=FulfillmentMethod.SELLER_MANAGED)
    html = render(decide(facts, RULES))

    assert "Your review" in html
    assert "Approve a return, a replacement or a refund after review" in html
    assert "Documentation protects you." in html
    assert "Packing logs are checked" not in html


def test_the_partials_render_with_no_rows_at_all():
    html = render(decide(make_claim_facts(is_international=True), GuidanceRules()))

    assert "We are reviewing your report" in html
    assert "No inspection, no refund. No review, no replacement." in html
    assert "Never promise instant resolution for international cases." in html


def test_row_text_is_escaped_and_nothing_is_inline():
    rules = GuidanceRules(
        response_templates=(ResponseTemplateRule("<b>x</b>", "<script>alert(1)</script>"),)
    )
    html = render(decide(make_claim_facts(), rules), order_number='"><img src=x>')

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x>" not in html
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not [name for _, attrs in parse(html) for name in attrs if name.startswith("on")]


def test_evidence_partial_says_which_photos_and_why():
    facts = make_claim_facts(issue_type=IssueType.DAMAGED_ITEM)
    html = render_to_string(
        "claims/_evidence_rules.html", {"evidence_rules": decide(facts, RULES).evidence_rules}
    )

    assert re.search(r"The item</strong>\s*<span class=\"guidance-tag\">Required", html)
    assert "help Kingston Express check the packing" in html
    assert html.index("The package") < html.index("The item") < html.index("packing materials")


def test_mailto_url_keeps_the_address_apart_from_the_headers():
    assert mailto_url("a@b.example") == "mailto:a@b.example"
    assert (
        mailto_url("x?cc=evil@e.example", subject="s") == "mailto:x%3Fcc%3Devil@e.example?subject=s"
    )
    assert mailto_url(subject="a b", body="c\nd") == "mailto:?subject=a%20b&body=c%0D%0Ad"
