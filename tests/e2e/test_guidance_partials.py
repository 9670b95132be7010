"""The guidance partials in a real browser: readable on a phone and a desktop,
no serious accessibility findings, the copy button copies, and everything
works without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import serious_axe_violations

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.urls("tests.e2e.guidance_urls"),
    # The seeded guidance rows must be there whatever ran before.
    pytest.mark.usefixtures("seeded_guidance"),
]

KX_DAMAGED_ABROAD = "/guidance/kingston_express/damaged_item/international/?severity=severe"
SELLER_MISSING = "/guidance/seller_managed/missing_item/domestic/"


@pytest.mark.parametrize(
    ("name", "path", "seeded_line"),
    [
        ("kx-damaged-intl", KX_DAMAGED_ABROAD, "Do not admit fault"),
        ("seller-missing", SELLER_MISSING, "Documentation protects you."),
    ],
)
@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 900)])
def test_guidance_reads_well_and_passes_axe(
    page, live_server, artifacts_dir, name, path, seeded_line, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    errors = []
    # The favicon belongs to the site's base template, not to these partials.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico")
            and errors.append(f"{m.text} {m.location}")
        ),
    )
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))

    page.goto(live_server.url + path + ("&" if "?" in path else "?") + "email=ana@example.com")

    expect(page.get_by_role("heading", name="What to say to the customer")).to_be_visible()
    expect(page.get_by_text(seeded_line)).to_be_visible()
    expect(page.get_by_text("The decision depends on policy and inspection.")).to_be_visible()
    expect(page.get_by_text("No inspection, no refund. No review, no replacement.")).to_be_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts_dir / f"guidance-{name}-{width}.png", full_page=True)
    assert serious_axe_violations(page) == []
    assert errors == [], errors  # no CSP violations, no script errors, no missing files


def test_kingston_express_international_damage_shows_its_warnings(page, live_server):
    page.goto(live_server.url + KX_DAMAGED_ABROAD)

    expect(
        page.get_by_role("heading", name="Reviewed centrally by Kingston Express")
    ).to_be_visible()
    expect(page.get_by_text("Do not ship replacements yourself")).to_be_visible()
    expect(page.get_by_text("Customs handling may affect outcomes")).to_be_visible()
    expect(page.locator(".guidance-outcome__verdict")).to_have_text(
        "In cases like this one, the decision after inspection is more often: Refund, "
        "applied by Kingston Express."
    )


def test_the_copy_button_copies_the_response(page, live_server, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + SELLER_MISSING)

    page.get_by_role("button", name="Copy message").click()

    expect(page.get_by_role("status")).to_have_text("Message copied.")
    # A missing item: the guide's seller-managed sentence asks for the package and
    # the packing materials instead of the item that never arrived.
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Thanks for the update. Please share photos of the package and the packing materials "
        "so we can review and resolve this for you."
    )


def test_without_javascript_the_text_and_email_link_are_there(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + SELLER_MISSING + "?email=ana@example.com")

        expect(page.get_by_role("button", name="Copy message")).to_be_hidden()
        link = page.get_by_role("link", name="Email ana@example.com")
        expect(link).to_have_attribute("href", re.compile(r"^mailto:ana@example\.com\?subject="))
    finally:
        context.close()
