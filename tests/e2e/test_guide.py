"""A seller's path through the guide in a real browser, plus axe and screenshots."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import GUIDE_URL

ARTICLE = GUIDE_URL
CATEGORY = "/categories/orders-returns-exchanges/"


def test_home_search_and_follow_a_toc_anchor(guide, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(guide.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seller Help Centre")
    expect(page.get_by_role("link", name="Report a missing or damaged item").first).to_be_visible()
    page.get_by_label("How can we help?").fill("refund")
    page.get_by_label("How can we help?").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=refund"))
    result = page.locator(".search-result").first
    expect(result.locator("mark").first).to_have_text(re.compile("refund", re.I))
    expect(result).to_contain_text("Orders, Returns & Exchanges – Seller Guide")
    result.get_by_role("link").click()
    expect(page).to_have_url(re.compile(ARTICLE))

    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="When to Contact Support").click()
    expect(page).to_have_url(re.compile(r"#when-to-contact-support$"))
    expect(page.locator("#when-to-contact-support")).to_be_in_viewport()


def test_toc_collapses_on_a_phone_and_still_works(guide, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(guide.url + ARTICLE)
    expect(page.get_by_role("navigation", name="On this page")).to_be_hidden()
    summary = page.locator("details.toc summary")
    expect(summary).to_be_visible()
    summary.click()
    page.locator("details.toc").get_by_role("link", name="Final Rule (Memorize This)").click()
    expect(page).to_have_url(re.compile(r"#final-rule-memorize-this$"))
    expect(page.locator("#final-rule-memorize-this")).to_be_in_viewport()


def test_vote_is_counted_once(guide, page):
    page.goto(guide.url + ARTICLE)
    feedback = page.locator("#helpful")
    feedback.get_by_role("button", name="Yes", exact=True).click()
    expect(page.get_by_text("Thanks for your feedback!")).to_be_visible()
    expect(page.locator("#helpful")).to_contain_text("1 of 1 found this helpful")
    page.locator("#helpful").get_by_role("button", name="No", exact=True).click()
    expect(page.get_by_text("we already have your answer")).to_be_visible()
    expect(page.locator("#helpful")).to_contain_text("1 of 1 found this helpful")


def test_leave_a_comment_held_for_moderation(guide, page):
    page.goto(guide.url + ARTICLE)
    form = page.locator(".comment-form")
    form.get_by_label("Comment").fill("The response examples saved me today.")
    form.get_by_label("Name").fill("Priya")
    form.get_by_label("Email").fill("priya@example.com")
    form.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_text("held for moderation")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#comments$"))
    expect(page.locator(".comment-list")).to_have_count(0)


def test_comment_with_missing_fields_keeps_the_text(guide, page):
    page.goto(guide.url + ARTICLE)
    form = page.locator(".comment-form")
    form.get_by_label("Comment").fill("Half-written thought")
    form.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment-form").get_by_label("Comment")).to_have_value(
        "Half-written thought"
    )
    expect(page.locator(".field__error").first).to_have_text("This field is required.")


PUBLIC_PAGES = {
    "home": "/",
    "category": CATEGORY,
    "article": ARTICLE,
    "search": "/search/?q=damaged+item",
    "empty-search": "/search/?q=zebracrossing",
    "not-found": "/no-such-page/",
}


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_accessibility_violations(guide, page, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(guide.url + PUBLIC_PAGES[name])
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], serious


@pytest.mark.parametrize("name", ["home", "category", "article"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(guide, page, artifacts, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(guide.url + PUBLIC_PAGES[name])
    page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
    # Nothing sticks out sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"


def test_no_request_leaves_the_site(guide, page):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(guide.url) else None)
    for url in PUBLIC_PAGES.values():
        page.goto(guide.url + url)
    assert outside == []


def test_csp_blocks_nothing_on_the_article_page(guide, page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(guide.url + ARTICLE)
    assert [p for p in problems if "Content Security Policy" in p] == []
