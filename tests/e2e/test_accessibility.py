"""The claim form as a screen reader and a magnified phone meet it (issue 16).

axe checks markup rules; it cannot tell that a hint is never read out. These
tests read what assistive technology gets:

- Chromium's own accessibility tree (the DevTools protocol's computed name,
  description and invalid state per node, what a screen reader is handed),
  on every claim step in its normal and error states, parametrised over the
  wizard's own step list: a new step or field is checked without a new test;
- every aria-describedby / -labelledby / -errormessage id and label[for]
  resolving to an element with text;
- focus and one status line per file around a photo upload, with and without
  JavaScript, on the wizard's photos step and the customer's page;
- 320 px wide with text at 200% (see `text_at_200_percent`): no sideways
  scroll and the claim reference whole. Screenshots in test-artifacts/.
"""

import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from claims.wizard import STEPS
from tests.factories import (
    GUIDE_URL,
    as_upload,
    make_claim,
    make_claim_details,
    make_draft_photo,
    make_jpeg,
)
from tests.wizard import wizard_post

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("seeded_guidance"),
]

WAIT = 20_000
PHONE = {"width": 390, "height": 844}

# The answers that reach each step, on the path that asks every question
# (a damaged item on a seller-managed order). A new step without answers here
# fails loudly instead of going unchecked.
ANSWERS = {
    "what-happened": {"issue_type": "damaged_item"},
    "fulfillment": {"fulfillment_method": "seller_managed"},
    "destination": {"destination": "international"},
    "order-details": make_claim_details(
        severity="major", stock_available="yes", return_feasible="yes"
    ),
    "photos": {"photo_source": "customer"},
}
STEP_NAMES = [name for name, _form in STEPS]
# Steps with a field the seller fills in can be answered wrongly.
ERROR_STEPS = [
    name
    for name, form in STEPS
    if any(not field.widget.is_hidden for field in form.base_fields.values())
]


@pytest.fixture(autouse=True)
def _patient_expectations():
    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


def open_step(context, live_server, step, *, photo=True):
    """A browser context whose session has answered every step before `step`.

    The answers go through Django's test client (the wizard's own views), and
    its cookies are handed to the browser: minutes of clicking saved per case.
    """
    client = Client()
    client.get("/claim/")
    for name in STEP_NAMES[: STEP_NAMES.index(step)]:
        if name == "photos" and photo:
            upload = as_upload(make_jpeg(800, 600, seed=11), "box.jpg")
            wizard_post(client, "photos", {"action": "upload"}, {"photos-package": upload})
        response = wizard_post(client, name, ANSWERS[name])
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    if step == "photos" and photo:
        upload = as_upload(make_jpeg(800, 600, seed=11), "box.jpg")
        wizard_post(client, "photos", {"action": "upload"}, {"photos-package": upload})
        client.get("/claim/photos/")  # the "1 photo added" notice is said once
    context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
        ]
    )
    return f"{live_server.url}/claim/{step}/"


# --- what a screen reader gets ------------------------------------------------


def words(text):
    return " ".join((text or "").split())


def broken_references(page):
    """Every id reference on the page that leads nowhere or to an empty element."""
    return page.evaluate(
        """() => {
          const broken = [];
          for (const attr of ["aria-describedby", "aria-labelledby", "aria-errormessage"]) {
            for (const el of document.querySelectorAll(`[${attr}]`)) {
              for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                const target = document.getElementById(id);
                if (!target || !target.textContent.trim()) broken.push(`${attr}=${id}`);
              }
            }
          }
          for (const label of document.querySelectorAll("label[for]")) {
            if (!document.getElementById(label.htmlFor)) broken.push(`for=${label.htmlFor}`);
          }
          return broken;
        }"""
    )


def spoken_fields(page, groups=".form-group, .photo-slot"):
    """Per field: its hint and error text on screen, and what Chromium's
    accessibility tree hands a screen reader for its control (name,
    description, invalid). Radios are read through their fieldset."""
    expected = page.evaluate(
        """(selector) => {
          const out = [];
          const groups = document.querySelectorAll(selector);
          groups.forEach((group, i) => {
            const control = group.querySelector(
              "fieldset, textarea, select, input:not([type=hidden]):not([type=radio])");
            if (!control) return;
            control.setAttribute("data-ax-probe", String(i));
            const own = (selector) => [...group.querySelectorAll(selector)]
              .filter((el) => !el.closest(".radios"))
              .map((el) => el.textContent.trim().replace(/\\s+/g, " "));
            out.push({probe: String(i), hints: own(".hint"), errors: own(".error-message")});
          });
          return out;
        }""",
        groups,
    )
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    fields = []
    for field in expected:
        node = cdp.send(
            "DOM.querySelector", {"nodeId": root, "selector": f"[data-ax-probe='{field['probe']}']"}
        )["nodeId"]
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
        ax = ax["nodes"][0]
        props = {p["name"]: p["value"].get("value") for p in ax.get("properties", [])}
        fields.append(
            {
                **field,
                "role": ax.get("role", {}).get("value"),
                "name": words(ax.get("name", {}).get("value")),
                "description": words(ax.get("description", {}).get("value")),
                "invalid": props.get("invalid"),
            }
        )
    cdp.detach()
    return fields


def radios_spoken(page):
    """(name, description) of every radio button, from the accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return [
        (words(node.get("name", {}).get("value")), words(node.get("description", {}).get("value")))
        for node in tree
        if node.get("role", {}).get("value") == "radio"
    ]


def repeats(label, hint):
    """A hint whose words are mostly the label's is heard twice."""
    hint_words = set(re.findall(r"\w+", hint.lower()))
    label_words = set(re.findall(r"\w+", label.lower()))
    return bool(hint_words) and len(hint_words & label_words) / len(hint_words) >= 0.6


def assert_read_out(page, where, groups=".form-group, .photo-slot"):
    """Every hint and error reaches the screen reader with its field."""
    assert broken_references(page) == [], where
    fields = spoken_fields(page, groups)
    for field in fields:
        for text in field["hints"] + field["errors"]:
            assert text in field["description"], (where, field)
        if field["errors"] and field["role"] != "group":
            assert field["invalid"] == "true", (where, field)
    for label, hint in radios_spoken(page):
        assert not repeats(label, hint), (where, label, hint)
    return fields


@pytest.mark.parametrize("step", STEP_NAMES)
def test_every_hint_is_read_out_with_its_field_on_every_step(page, live_server, step):
    page.goto(open_step(page.context, live_server, step))
    expect(page.locator("h1")).to_be_visible()
    fields = assert_read_out(page, step)
    assert bool(fields) == (step in ERROR_STEPS), step
    if step == "order-details":
        # The bug the issue found: five inputs pointing at ids no element had.
        described = {f["name"]: f["description"] for f in fields}
        assert "Letters, digits and dashes" in described["Order number"]
        assert "As it appears on the order." in described["Item or SKU"]


@pytest.mark.parametrize("step", ERROR_STEPS)
def test_every_error_is_read_out_with_its_field_on_every_step(page, live_server, step):
    page.goto(open_step(page.context, live_server, step))
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    fields = assert_read_out(page, f"{step}-error")
    with_errors = [f for f in fields if f["errors"]]
    assert with_errors, step
    for field in with_errors:
        assert "Error:" in field["description"], field
    if step == "order-details":
        text = {f["name"]: f for f in fields}["Order number"]
        assert text["invalid"] == "true"
        assert "Error: Enter an order number like" in text["description"]


def customer_asked_for_evidence(make_staff):
    """A seller-managed claim under review whose reviewer asked the customer for
    named evidence with a note (issue 13's request), as the customer's link."""
    from django.test import TestCase

    from claims.evidence_requests import claim_request_evidence
    from claims.workflow import Action
    from tests.factories import review_steps

    reviewer = make_staff("asker", group="Claim reviewers")
    submitted = make_claim(
        fulfillment_method="seller_managed", stock_available=True, return_feasible=True
    )
    review_steps(submitted.claim, reviewer, (Action.START_REVIEW, {}))
    with TestCase.captureOnCommitCallbacks(execute=True):
        claim_request_evidence(
            claim=submitted.claim,
            user=reviewer,
            kinds=["packing_materials", "package"],
            note="Please show the inside of the box, with the padding as it arrived.",
        )
    return submitted


def test_the_customers_page_with_evidence_requested_is_read_out(page, live_server, make_staff):
    submitted = customer_asked_for_evidence(make_staff)
    page.goto(f"{live_server.url}/claim/c/{submitted.customer_token}/")

    expect(page.locator("main")).to_contain_text("Please show the inside of the box")
    assert_read_out(page, "customer-evidence-requested")
    page.get_by_role("button", name="Send photos").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert broken_references(page) == []


def test_the_customers_page_and_the_reply_box_are_read_out(page, live_server):
    submitted = make_claim(customer_sends_photos=True)
    page.goto(f"{live_server.url}/claim/c/{submitted.customer_token}/")
    assert_read_out(page, "customer")
    page.get_by_role("button", name="Send photos").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert broken_references(page) == []

    page.goto(f"{live_server.url}/claim/r/{submitted.result_token}/")
    page.locator("form[data-reply-form]").wait_for(state="attached")
    page.get_by_label("Message").fill("So sorry, that was our mistake. We'll refund you today.")
    expect(page.locator(".finding")).to_have_count(2)
    (reply,) = assert_read_out(page, "reply", ".reply")
    assert reply["name"] == "Message"
    assert "Written for this claim" in reply["description"]


# --- photos: focus and one status line per file ------------------------------


@pytest.fixture
def two_photos(tmp_path):
    paths = []
    for seed, name in [(21, "box.jpg"), (22, "label.jpg")]:
        path = tmp_path / name
        path.write_bytes(make_jpeg(900, 700, seed=seed))
        paths.append(path)
    return paths


def hold_posts(page, pattern):
    """Hold every POST to `pattern` until the test lets it go (GETs pass)."""
    held = []

    def handler(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(pattern, handler)
    return held


def focused(page):
    return page.evaluate(
        "() => ({id: document.activeElement.id, cls: document.activeElement.className,"
        " text: document.activeElement.textContent.trim()})"
    )


def test_wizard_photo_upload_names_its_progress_says_each_file_and_lands_focus(
    page, live_server, two_photos, artifacts_dir
):
    page.goto(open_step(page.context, live_server, "photos", photo=False))
    page.locator("form[data-enhanced]").wait_for(state="attached")
    held = hold_posts(page, "**/claim/photos/")

    page.get_by_label("Choose photos of the package (outer box and label)").set_input_files(
        two_photos
    )
    # Each bar has a name of its own in the accessibility tree.
    expect(page.get_by_role("progressbar", name="Uploading box.jpg")).to_have_count(1)
    expect(page.get_by_role("progressbar", name="Uploading label.jpg")).to_have_count(1)
    # The previews are not a live region any more (names read run together).
    assert page.locator("[data-photo-previews][aria-live]").count() == 0
    status = page.locator("[data-upload-status]")
    expect(status).to_have_attribute("role", "status")
    while not held:
        page.wait_for_timeout(50)
    held.pop().continue_()
    # One line per file, each its own announcement.
    expect(status.locator("p")).to_have_text(["box.jpg uploaded (1 of 2)."])
    while not held:
        page.wait_for_timeout(50)
    page.screenshot(path=str(artifacts_dir / "a11y-photos-uploading-390.png"))
    held.pop().continue_()

    # The page reloads with the photos listed; focus is on what happened, beside them.
    notice = page.locator("#slot-package-notice")
    expect(notice).to_have_text("2 photos added.")
    expect(notice).to_be_focused()
    expect(page.locator(".photo-list__thumb")).to_have_count(2)
    page.unroute("**/claim/photos/")

    # Removing one: the same, "Photo removed." beside the rest.
    page.get_by_role("button", name=re.compile("Remove photo 1 of the package")).click()
    expect(page.locator("#slot-package-notice")).to_have_text("Photo removed.")
    expect(page.locator("#slot-package-notice")).to_be_focused()
    page.wait_for_load_state("networkidle")


def test_wizard_photo_upload_without_javascript_lands_focus_on_the_message(
    browser, live_server, two_photos
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(open_step(context, live_server, "photos", photo=False))
    page.get_by_label("Choose photos of the item").set_input_files(two_photos)
    page.get_by_role("button", name="Upload chosen photos").click()
    notice = page.locator("#slot-item-notice")
    expect(notice).to_have_text("2 photos added.")
    expect(notice).to_be_focused()
    assert focused(page)["id"] == "slot-item-notice"
    context.close()


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_the_customers_upload_names_its_progress_and_lands_focus_on_the_thanks(
    browser, live_server, two_photos, script
):
    submitted = make_claim(customer_sends_photos=True, order_number="KX-55001199")
    context = browser.new_context(java_script_enabled=script, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/claim/c/{submitted.customer_token}/")
    if script:
        page.locator("form[data-enhanced]").wait_for(state="attached")
        held = hold_posts(page, "**/claim/c/**")
    page.get_by_label("Photos of the item").set_input_files(two_photos)
    page.get_by_role("button", name="Send photos").click()
    if script:
        expect(page.get_by_role("progressbar", name="Sending box.jpg")).to_be_visible()
        expect(page.get_by_role("progressbar", name="Sending label.jpg")).to_be_visible()
        expect(page.locator("[data-upload-status]")).to_have_text("Sending your photos…")
        while not held:
            page.wait_for_timeout(50)
        held.pop().continue_()
    thanks = page.locator(".messages")
    expect(thanks).to_contain_text("2 photos added")
    expect(thanks).to_be_focused()
    context.close()


# --- small links -----------------------------------------------------------------

SMALL_LINKS = ".site-header a, .site-footer a, .breadcrumb a, .summary-list__actions a"


@pytest.mark.parametrize("where", ["home", "article", "check"])
def test_header_footer_breadcrumb_and_change_links_are_24_px_high(page, live_server, guide, where):
    """WCAG 2.5.8 lets small inline links pass on spacing; 24 px is kinder on a phone."""
    page.set_viewport_size(PHONE)
    url = {"home": live_server.url + "/", "article": live_server.url + GUIDE_URL}.get(where)
    page.goto(url or open_step(page.context, live_server, "check"))
    heights = page.eval_on_selector_all(
        SMALL_LINKS,
        "links => links.map(a => [a.textContent.trim(), a.getBoundingClientRect().height])",
    )
    assert heights, where
    assert [(text, h) for text, h in heights if h < 24] == [], where


# --- 320 px wide, text at 200% -------------------------------------------------


def text_at_200_percent(page):
    """320 CSS px wide, with the browser's default text size doubled.

    The method: Chromium's own font-size setting (Settings > Appearance > Font
    size), set through the DevTools protocol's Page.setFontSizes from 16 to 32
    px. That is WCAG 1.4.4's "text resize" as a user does it: text in rem and
    em doubles, and the layout has to make room for it, while the viewport
    stays 320 CSS px wide (1.4.10 Reflow, the width of a 1280 px screen at
    400% zoom). Page zoom would double the whole layout, so at 320 px it
    would test nothing beyond reflow; doubling the root font size alone does
    what this does minus text set in px, of which these pages have none.
    """
    page.set_viewport_size({"width": 320, "height": 720})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    return cdp


def measure(page):
    """scrollWidth against the viewport, and what sticks out past it."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          const wide = [];
          for (const el of document.querySelectorAll("body *")) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 0.5) {
              let inScroller = false;
              for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === "auto" || o === "scroll" || o === "hidden") { inScroller = true; break; }
              }
              if (!inScroller) wide.push(
                `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
                + Math.round(box.right) + ` "${el.textContent.trim().slice(0, 30)}"`);
            }
          }
          return {
            scrollWidth: document.documentElement.scrollWidth,
            scrollHeight: document.documentElement.scrollHeight,
            innerWidth: width,
            rootFontSize: getComputedStyle(document.documentElement).fontSize,
            wide: wide.slice(0, 12),
          };
        }"""
    )


def open_every_section(page):
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => d.open = true)")


def reflow_pages():
    return (
        [f"step-{name}" for name in STEP_NAMES]
        + [f"step-{name}-error" for name in ERROR_STEPS]
        + ["result-with-findings", "customer", "customer-error", "customer-evidence-requested"]
        + ["home", "article", "dashboard"]
    )


@pytest.fixture(scope="module")
def reflow_log():
    log = {}
    yield log
    path = (
        __import__("pathlib").Path(__file__).resolve().parents[2]
        / "test-artifacts"
        / "reflow-320-200.json"
    )
    path.parent.mkdir(exist_ok=True)
    previous = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**previous, **log}, indent=2, sort_keys=True))


@pytest.mark.parametrize("name", reflow_pages())
def test_320_px_with_text_at_200_percent_scrolls_only_down(
    page, live_server, guide, admin_user, make_staff, artifacts_dir, reflow_log, name
):
    text_at_200_percent(page)
    if name.startswith("step-"):
        step = name.removeprefix("step-").removesuffix("-error")
        page.goto(open_step(page.context, live_server, step))
        if name.endswith("-error"):
            page.get_by_role("button", name="Continue", exact=True).click()
            expect(page).to_have_title(re.compile(r"^Error: "))
    elif name == "result-with-findings":
        submitted = make_claim(
            fulfillment_method="seller_managed",
            destination="international",
            stock_available=True,
            return_feasible=True,
            photos=[make_draft_photo("item", seed=5), make_draft_photo("package", seed=6)],
        )
        page.goto(f"{live_server.url}/claim/r/{submitted.result_token}/")
        page.locator("form[data-reply-form]").wait_for(state="attached")
        page.get_by_label("Message").fill(
            "I've already sent you a replacement, it will arrive today. "
            "Send it back to me at https://example.com/returns/a-very-long-address-indeed."
        )
        expect(page.locator(".finding").first).to_be_visible()
        open_every_section(page)
    elif name == "customer-evidence-requested":
        submitted = customer_asked_for_evidence(make_staff)
        page.goto(f"{live_server.url}/claim/c/{submitted.customer_token}/")
    elif name.startswith("customer"):
        submitted = make_claim(customer_sends_photos=True, order_number="KX-48213579-LONG-ORDER")
        page.goto(f"{live_server.url}/claim/c/{submitted.customer_token}/")
        if name == "customer-error":
            page.get_by_role("button", name="Send photos").click()
            expect(page).to_have_title(re.compile(r"^Error: "))
    elif name == "home":
        page.goto(live_server.url + "/")
    elif name == "article":
        page.goto(live_server.url + GUIDE_URL)
        open_every_section(page)
    elif name == "dashboard":
        from helpcentre.models import SearchQueryDay

        for query, searches, missed, clicks in [
            ("refund for a damaged parcel sent abroad", 42, 0, 30),
            ("customs norway", 8, 8, 0),
        ]:
            SearchQueryDay.objects.create(
                day=timezone.localdate(), query=query, searches=searches, no_results=missed,
                clicks=clicks,
            )  # fmt: skip
        client = Client()
        client.force_login(admin_user)
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]  # fmt: skip
        )
        page.goto(live_server.url + "/admin/helpcentre/article/dashboard/?days=30")
    page.wait_for_load_state("networkidle")
    found = measure(page)
    reflow_log[name] = found
    # Chromium draws no more than 16,384 px in one capture and leaves the rest
    # blank (the article is about 30,000 px tall here): a tall viewport, scrolled
    # part by part. The width, the only thing measured, stays 320.
    if found["scrollHeight"] <= 12_000:
        page.screenshot(path=str(artifacts_dir / f"reflow-320-200-{name}.png"), full_page=True)
    else:
        page.set_viewport_size({"width": 320, "height": 12_000})
        for part, top in enumerate(range(0, found["scrollHeight"], 12_000)):
            page.evaluate("top => window.scrollTo(0, top)", top)
            page.screenshot(path=str(artifacts_dir / f"reflow-320-200-{name}-{part + 1}.png"))
        page.set_viewport_size({"width": 320, "height": 720})

    assert found["rootFontSize"] == "32px"
    assert found["scrollWidth"] == found["innerWidth"], found
    if name == "result-with-findings":
        reference = page.locator(".panel__reference")
        fits = reference.evaluate(
            "el => { const r = el.getBoundingClientRect(), p = el.parentElement"
            ".getBoundingClientRect(); return el.scrollWidth <= el.clientWidth + 1"
            " && r.left >= p.left && r.right <= p.right && r.right <= window.innerWidth; }"
        )
        assert fits
        expect(reference).to_be_visible()
