"""The reply on the seller's result page, in a real browser at phone width:
composed for each path, checked as the seller types (and by the button
without JavaScript), the findings quoting the seller's words; axe-core finds
nothing serious with findings shown; screenshots in test-artifacts/."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browsers import serious_axe_violations
from tests.factories import make_claim, make_draft_photo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("seeded_guidance"),
]

PHONE = {"width": 390, "height": 844}
KX_SENTENCE = "Please submit the issue through your order so it can be reviewed."
SM_SENTENCE = "Please share photos of the item and packaging so we can review and resolve this"
SM_WITHOUT_ITEM = "Please share photos of the package and the packing materials"
SM_PHOTOS_IN = "Thanks for the update, and for the photos."

# (name, claim, lines the reply must hold, a forbidden reply, the findings it gets)
CASES = [
    (
        "kx-damaged-domestic",
        {"issue_type": "damaged_item", "fulfillment_method": "kingston_express"},
        [KX_SENTENCE, "Please include photos of the damaged item", "use its private link"],
        "So sorry, that was our mistake. We'll refund you today.",
        ["Admits fault", "Offers or promises a refund"],
    ),
    (
        "kx-missing-international",
        {"issue_type": "missing_item", "fulfillment_method": "kingston_express",
         "destination": "international", "severity": ""},
        [KX_SENTENCE, "there is no need to photograph it", "As this is an international order"],
        "Please send photos of the item. It will be sorted by Friday.",
        ["Asks for photos of an item that did not arrive", "Promises a quick or dated resolution"],
    ),
    (
        "kx-partial-photos-in",
        {"issue_type": "partial_order", "fulfillment_method": "kingston_express", "severity": "",
         "photos": "package"},
        [KX_SENTENCE, "We have the photos you already sent"],
        "Please post it back to us.",
        ["Asks the customer to send the item back to you"],
    ),
    (
        "kx-wrong-international",
        {"issue_type": "wrong_item", "fulfillment_method": "kingston_express",
         "destination": "international", "severity": ""},
        [KX_SENTENCE, "Please include photos of the item you received"],
        "Good news: your claim is approved, and I'll send you a replacement.",
        ["Decides before the inspection", "Offers to send a replacement yourself"],
    ),
    (
        "sm-damaged-international-photos-in",
        {"issue_type": "damaged_item", "fulfillment_method": "seller_managed",
         "destination": "international", "photos": "item"},
        [SM_PHOTOS_IN, "We have the photos you already sent", "As this is an international order"],
        "I've already sent you a replacement, it will arrive today.",
        ["Promises a replacement before the review", "Promises a quick or dated resolution"],
    ),
    (
        "sm-missing-domestic",
        {"issue_type": "missing_item", "fulfillment_method": "seller_managed", "severity": ""},
        [SM_WITHOUT_ITEM, "Please add your photos through this private link"],
        "Are you sure? You must have lost it.",
        ["Accuses the customer"],
    ),
    (
        "sm-partial-international",
        {"issue_type": "partial_order", "fulfillment_method": "seller_managed",
         "destination": "international", "severity": ""},
        [SM_WITHOUT_ITEM, "the items that did arrive"],
        "I'll refund you right away, just send pictures of the missing item.",
        ["Promises a refund before the review", "Asks for photos of an item that did not arrive",
         "Promises a quick or dated resolution"],
    ),
    (
        "sm-wrong-domestic-photos-in",
        {"issue_type": "wrong_item", "fulfillment_method": "seller_managed", "severity": "",
         "photos": "item"},
        [SM_PHOTOS_IN, "We have the photos you already sent"],
        "We will send you a replacement today, no need to wait.",
        ["Promises a replacement before the review"],
    ),
]  # fmt: skip


def _claim(spec):
    spec = dict(spec)
    kind = spec.pop("photos", None)
    if kind:
        spec["photos"] = [make_draft_photo(kind, seed=7)]
    return make_claim(**spec)


@pytest.mark.parametrize(("name", "spec", "lines", "unsafe", "findings"), CASES)
def test_the_reply_is_composed_for_the_path_and_the_check_flags_forbidden_lines(
    page, live_server, artifacts_dir, name, spec, lines, unsafe, findings
):
    submitted = _claim(spec)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/claim/r/{submitted.result_token}/")

    reply = page.get_by_label("Message")
    composed = reply.input_value()
    for line in lines:
        assert line in composed, (line, composed)
    assert f"Your claim reference: {submitted.claim.reference}" in composed
    # The next step and the reply come first on a phone (the issue measured the
    # reply 2,500 px down a 6,700 px page); the figures go to test-artifacts/.
    reply_top = page.locator("#reply-text").bounding_box()["y"]
    page_height = page.evaluate("document.documentElement.scrollHeight")
    (artifacts_dir / f"reply-{name}-layout.json").write_text(
        json.dumps({"reply_top_px": reply_top, "page_height_px": page_height})
    )
    assert reply_top < 1400
    page.screenshot(path=str(artifacts_dir / f"reply-{name}-390.png"), full_page=False)

    # As the seller types: the findings appear without pressing anything.
    page.locator("form[data-reply-form]").wait_for(state="attached")
    reply.fill(unsafe)
    found = page.locator(".finding__name")
    expect(found).to_have_count(len(findings))
    for finding in findings:
        expect(page.locator(".reply-findings")).to_contain_text(finding)
    expect(page.locator(".finding__quote").first).not_to_be_empty()
    # The email link carries the edited text.
    href = page.locator("[data-reply-mailto]").get_attribute("href")
    assert re.search(r"body=.*" + re.escape(unsafe.split()[0]), href)
    assert serious_axe_violations(page) == []
    page.locator("#reply").screenshot(path=str(artifacts_dir / f"reply-{name}-findings-390.png"))

    # Back to the composed reply: nothing to change.
    reply.fill(composed)
    expect(page.locator("[data-reply-ok]")).to_be_visible()
    page.wait_for_load_state("networkidle")


def test_the_check_works_without_javascript(browser, live_server, artifacts_dir):
    submitted = make_claim()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/claim/r/{submitted.result_token}/")
    unsafe = "Sorry, we packed it badly. Send it back to me and I'll refund you."

    page.get_by_label("Message").fill(unsafe)
    page.get_by_role("button", name="Check my reply").click()

    expect(page.locator(".finding__name")).to_have_count(3)
    expect(page.get_by_label("Message")).to_have_value(unsafe)
    expect(page.locator(".finding__quote", has_text="Sorry, we packed it badly.")).to_have_count(1)
    # The rest of the page is one tap away, and opens without JavaScript too.
    page.locator("#guidance > summary").click()
    expect(page.get_by_text("Do not admit fault").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "reply-no-js-390.png"), full_page=True)
    context.close()


def test_a_reviewers_note_is_checked_before_it_is_sent(page, live_server, reviewer, artifacts_dir):
    from tests.factories import REVIEWER_PASSWORD

    claim = make_claim().claim
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(reviewer.username)
    page.get_by_label("Password").fill(REVIEWER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")

    note = page.locator("#hc-escalate-note")
    note.fill("The customer is lying. We will refund them anyway, sorry, our fault.")

    findings = page.locator("#hc-escalate-note-findings .finding__name")
    expect(findings).to_have_count(3)
    for name in ["Offers or promises a refund", "Admits fault", "Accuses the customer"]:
        expect(page.locator("#hc-escalate-note-findings")).to_contain_text(name)
    assert serious_axe_violations(page) == []
    page.locator("#hc-escalate-note-findings").screenshot(
        path=str(artifacts_dir / "reply-staff-note-findings.png")
    )
    note.fill("The inspection result is unclear; please review the packing log.")
    expect(page.locator("#hc-escalate-note-findings [data-reply-ok]")).to_be_visible()
    page.wait_for_load_state("networkidle")
