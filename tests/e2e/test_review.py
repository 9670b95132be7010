"""Claim review in a real browser: a reviewer works claims in the admin, the workflow
refuses a refund before the inspection, and a customer's upload moves a seller-managed
claim on. Screenshots in test-artifacts/ (admin at 1280 px, customer page at 390 px)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.choices import ClaimStatus
from claims.models import Claim
from tests.browsers import serious_axe_violations
from tests.factories import REVIEWER_PASSWORD, make_claim, make_draft_photo, make_jpeg

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each button reloads the admin page; the machine is shared with other test runs.
WAIT = 20_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def log_in(page, live_server, user):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(REVIEWER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_text("Log out"))).to_be_visible(
        timeout=WAIT
    )


def shoot(page, artifacts_dir, name):
    page.screenshot(path=str(artifacts_dir / f"review-{name}.png"), full_page=True)


def tick_everything(page):
    """Tick the remaining checklist items one by one, waiting for each page to reload."""
    ticks = page.get_by_role("button", name=re.compile(r"^Tick"))
    for remaining in range(ticks.count(), 0, -1):
        ticks.first.click()
        expect(ticks).to_have_count(remaining - 1, timeout=WAIT)


def messages(page):
    return page.locator("ul.messagelist")


def test_reviewer_inspects_a_kingston_express_claim_and_resolves_it(
    page, live_server, reviewer, artifacts_dir
):
    claim = make_claim(
        order_number="KX-77001234",
        issue_type="missing_item",
        severity="",
        photos=[make_draft_photo("item", seed=31), make_draft_photo("package", seed=32)],
    ).claim
    late = make_claim(order_number="KX-66009876", destination="international").claim
    Claim.objects.filter(pk=late.pk).update(response_due_at=timezone.now() - timedelta(days=1))
    log_in(page, live_server, reviewer)

    page.goto(live_server.url + "/admin/claims/claim/")
    expect(page.locator("#result_list")).to_contain_text("KX-77001234", timeout=WAIT)
    late_row = page.locator("#result_list tr", has_text="KX-66009876")
    expect(late_row.locator(".hc-badge--overdue")).to_have_text("Overdue", timeout=WAIT)
    assert serious_axe_violations(page) == []
    shoot(page, artifacts_dir, "0-claims-list-1280")
    page.get_by_role("link", name=claim.reference).click()
    expect(page.locator(".hc-review")).to_contain_text("Submitted", timeout=WAIT)
    expect(page.locator(".hc-gallery img")).to_have_count(2, timeout=WAIT)
    # The seller-side refund is not offered on a Kingston Express order...
    expect(page.get_by_role("button", name=re.compile("Approve a refund"))).to_have_count(
        0, timeout=WAIT
    )
    expect(page.get_by_role("button", name=re.compile("Refund"))).to_have_count(0, timeout=WAIT)

    # ...and posting it anyway, as a crafted form would, is refused with the reason.
    token = page.locator("#hc-action-form input[name=csrfmiddlewaretoken]").input_value()
    for attempt in ({"action": "resolve", "outcome": "refund"}, {"action": "approve_refund"}):
        response = page.request.post(
            f"{live_server.url}/admin/claims/claim/{claim.pk}/act/",
            form={"csrfmiddlewaretoken": token, **attempt},
            headers={"Referer": page.url},
            max_redirects=0,  # leave the messages for the page to show
        )
        assert response.status == 302
    page.reload()
    expect(messages(page)).to_contain_text(
        "A refund cannot be recorded before the inspection", timeout=WAIT
    )
    expect(messages(page)).to_contain_text("Do not refund immediately", timeout=WAIT)
    shoot(page, artifacts_dir, "1-refund-refused-1280")

    page.get_by_role("button", name="Start inspection").click()
    expect(messages(page)).to_contain_text("The claim is now Under inspection", timeout=WAIT)
    # A missing item's path: the packing logs and the weight and SKU records, no damage.
    ticks = page.get_by_role("button", name=re.compile(r"^Tick"))
    expect(ticks).to_have_count(2, timeout=WAIT)
    expect(page.locator(".hc-checklist")).not_to_contain_text("return inspection")
    ticks.first.click()
    expect(page.get_by_role("button", name=re.compile(r"^Tick"))).to_have_count(1, timeout=WAIT)
    assert serious_axe_violations(page) == []
    shoot(page, artifacts_dir, "2-under-inspection-1280")
    tick_everything(page)
    page.get_by_label("Note for the timeline (optional)").fill("Weight 120 g short of the SKU.")
    page.get_by_role("button", name="Record inspection result: Confirmed").click()
    expect(page.locator(".hc-review__tags")).to_contain_text("Inspection: Confirmed", timeout=WAIT)
    shoot(page, artifacts_dir, "3-inspected-1280")

    page.get_by_role("button", name="Resolve per policy: Refund").click()
    expect(messages(page)).to_contain_text("The claim is now Resolved per policy", timeout=WAIT)
    expect(page.locator(".hc-timeline")).to_contain_text(
        "Weight 120 g short of the SKU.", timeout=WAIT
    )
    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == (ClaimStatus.RESOLVED, "refund")
    assert serious_axe_violations(page) == []
    shoot(page, artifacts_dir, "4-resolved-1280")

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name=re.compile("Dashboard")).click()
    expect(page.get_by_role("heading", name="Refunds recorded before review")).to_be_visible(
        timeout=WAIT
    )
    expect(page.locator("svg.hc-chart")).to_have_count(4, timeout=WAIT)
    assert serious_axe_violations(page) == []
    shoot(page, artifacts_dir, "5-dashboard-1280")


def test_a_seller_managed_claim_moves_on_when_the_customer_uploads_photos(
    page, browser, live_server, reviewer, artifacts_dir, tmp_path
):
    submitted = make_claim(
        fulfillment_method="seller_managed",
        order_number="SM-88002345",
        stock_available=True,
        return_feasible=True,
        customer_sends_photos=True,
    )
    claim = submitted.claim
    assert claim.status == ClaimStatus.AWAITING_EVIDENCE
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    expect(page.locator(".hc-review__tags")).to_contain_text("Awaiting evidence", timeout=WAIT)
    expect(page.locator(".hc-gallery")).to_have_count(0, timeout=WAIT)

    customer = browser.new_context(viewport=PHONE).new_page()
    customer.goto(f"{live_server.url}/claim/c/{submitted.customer_token}/")
    expect(customer.locator("main")).to_contain_text("Waiting for your photos", timeout=WAIT)
    photo = tmp_path / "mug.jpg"
    photo.write_bytes(make_jpeg(1000, 750, seed=41))
    # Each photo says what it shows by the input it is chosen in.
    customer.get_by_label("Photos of the item").set_input_files(photo)
    customer.get_by_role("button", name="Send photos").click()
    expect(customer.locator(".messages")).to_contain_text("1 photo added", timeout=WAIT)
    expect(customer.locator("main")).to_contain_text("Being reviewed", timeout=WAIT)
    expect(customer.locator("main")).to_contain_text(
        "The seller is reviewing your claim", timeout=WAIT
    )
    assert serious_axe_violations(customer) == []
    customer.screenshot(path=str(artifacts_dir / "review-6-customer-under-review-390.png"))

    page.reload()
    expect(page.locator(".hc-review__tags")).to_contain_text("Under review", timeout=WAIT)
    expect(page.locator(".hc-gallery img")).to_have_count(1, timeout=WAIT)
    expect(page.locator(".hc-timeline")).to_contain_text("Evidence received", timeout=WAIT)
    # Approving before the review checklist is done is not even offered.
    expect(page.get_by_role("button", name="Approve a replacement")).to_have_count(0, timeout=WAIT)
    tick_everything(page)
    # No photo of the packaging yet: the approval asks for it, or for a written reason.
    expect(page.locator("#evidence-missing")).to_contain_text(
        "A photo of the package or its packing materials", timeout=WAIT
    )
    shoot(page, artifacts_dir, "7-seller-managed-evidence-missing-1280")
    page.get_by_role("button", name="Approve a replacement").click()
    expect(messages(page)).to_contain_text("Ask the customer for it", timeout=WAIT)
    # The reviewer asks the customer for named evidence, with a note; the clock pauses.
    asking = page.locator("#request-evidence")
    asking.get_by_label("A photo of the package (the outer box and its label)").check()
    asking.get_by_label("Note to the customer").fill("Please add the box, with its label.")
    assert serious_axe_violations(page) == []
    shoot(page, artifacts_dir, "7a-asking-the-customer-1280")
    asking.get_by_role("button", name="Ask the customer").click()
    expect(messages(page)).to_contain_text(
        "Asked the customer for a photo of the package", timeout=WAIT
    )
    expect(page.locator("#request-evidence")).to_contain_text("Waiting on the customer")
    expect(page.locator(".hc-facts")).to_contain_text("Paused: waiting on the customer since")
    customer.reload()
    expect(customer.locator("main")).to_contain_text("Waiting for your photos", timeout=WAIT)
    asked = customer.locator("#asked")
    expect(asked).to_contain_text("A photo of the package (the outer box and its label)")
    expect(asked).to_contain_text("Please add the box, with its label.")
    assert serious_axe_violations(customer) == []
    customer.screenshot(
        path=str(artifacts_dir / "review-7a-customer-asked-390.png"), full_page=True
    )
    box = tmp_path / "box.jpg"
    box.write_bytes(make_jpeg(1000, 750, seed=42))
    customer.get_by_label("Photos of the package (outer box and label)").set_input_files(box)
    customer.get_by_role("button", name="Send photos").click()
    expect(customer.locator(".messages")).to_contain_text("1 photo added", timeout=WAIT)
    customer.screenshot(
        path=str(artifacts_dir / "review-7b-customer-sent-more-390.png"), full_page=True
    )
    page.reload()
    expect(page.locator(".hc-review__tags")).to_contain_text("Under review", timeout=WAIT)
    tick_everything(page)  # the photo check again, for the new photo
    expect(page.locator("#evidence-missing")).to_have_count(0, timeout=WAIT)
    assert serious_axe_violations(page) == []
    shoot(page, artifacts_dir, "7c-seller-managed-reviewed-1280")
    page.get_by_role("button", name="Approve a replacement").click()
    expect(messages(page)).to_contain_text("The claim is now Approved", timeout=WAIT)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED

    customer.reload()
    expect(customer.locator("main")).to_contain_text(
        "the seller has approved your claim", timeout=WAIT
    )
    expect(customer.locator("main")).to_contain_text("The outcome is a replacement.", timeout=WAIT)
    customer.screenshot(
        path=str(artifacts_dir / "review-8-customer-approved-390.png"), full_page=True
    )
