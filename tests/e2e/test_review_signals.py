"""Signals in a real browser (issue 13, part 4): a reviewer reads a claim's signals in
plain words, checks one with a note, and finds it in the timeline. Screenshots in
test-artifacts/ at 1280 px; axe has no serious finding on the page either way."""

import pytest
from playwright.sync_api import expect

from tests.browsers import serious_axe_violations
from tests.e2e.test_review import WAIT, log_in, messages
from tests.factories import make_claim, make_draft_photo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reviewer_sees_the_signals_and_checks_one(page, live_server, reviewer, artifacts_dir):
    first = make_claim(order_number="KX-90011223", photos=[make_draft_photo("item", seed=51)])
    second = make_claim(
        order_number="KX-90011223",
        issue_type="missing_item",
        severity="",
        photos=[make_draft_photo("item", seed=51, draft_key="again")],
    ).claim
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/claims/claim/{second.pk}/change/")

    signals = page.locator("#signals")
    expect(signals.get_by_role("heading", name="Signals 2 to check")).to_be_visible()
    expect(signals).to_contain_text(
        f"Another claim for order KX-90011223 was filed on {first.claim.created_at:%-d %B %Y}: "
        f"{first.claim.reference}"
    )
    expect(signals).to_contain_text("A near-identical picture to this claim's photo (the item)")
    expect(signals).to_contain_text("None of them decides anything")
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "review-signals.png"), full_page=True)

    order_signal = signals.locator("li.hc-signal").first
    order_signal.get_by_label("What you found").fill("A second parcel of the same order.")
    order_signal.get_by_role("button", name="Mark as checked").click()

    expect(messages(page)).to_contain_text("signal checked", timeout=WAIT)
    expect(signals.get_by_role("heading", name="Signals 1 to check")).to_be_visible()
    expect(signals.locator("li.hc-signal--checked")).to_contain_text("Checked by reviewer on")
    timeline = page.locator(".hc-timeline")
    expect(timeline).to_contain_text("Signal checked")
    expect(timeline).to_contain_text("A second parcel of the same order.")
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "review-signals-checked.png"), full_page=True)
