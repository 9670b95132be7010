"""The customer's page on a phone (390 px): what is kept and for how long, the privacy
page, their ZIP, asking for early erasure, and the page once the data is erased.
axe-clean at each step; screenshots in test-artifacts/."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from claims.erasure import claim_confirm_erasure
from claims.models import Claim
from tests.browsers import serious_axe_violations
from tests.claims.test_erasure import settle
from tests.factories import make_claim, make_draft_photo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_the_customer_reads_what_is_kept_downloads_a_copy_and_asks_for_erasure(
    live_server, make_staff, browser, artifacts
):
    submitted = make_claim(
        photos=[make_draft_photo("item", seed=1), make_draft_photo("package", seed=2)]
    )
    claim = settle(submitted.claim, days_ago=3)
    url = f"{live_server.url}/claim/c/{submitted.customer_token}/"
    page = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()

    page.goto(url + "#your-data")
    section = page.locator("#your-data")
    expect(section).to_contain_text("for 18 months after your report is decided")
    assert serious_axe_violations(page) == []
    section.screenshot(path=str(artifacts / "customer-your-data-390.png"))
    page.screenshot(path=str(artifacts / "customer-privacy-page-390.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download a copy of what you sent (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert len([n for n in archive.namelist() if "/photos/" in n]) == 2

    page.get_by_role("link", name="how we use your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How claims use personal data")
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts / "privacy-page-390.png"), full_page=True)
    page.go_back()

    page.get_by_role("button", name="Ask for erasure").click()
    # Without the box ticked the browser holds the form (required).
    expect(page.locator("#erase-confirm:invalid")).to_have_count(1)
    page.get_by_label("Yes, erase my photos, name, email address and notes").check()
    page.get_by_role("button", name="Ask for erasure").click()
    expect(page.locator("#your-data")).to_contain_text("You asked on")
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts / "customer-erasure-asked-390.png"), full_page=True)

    claim_confirm_erasure(claim=claim, user=make_staff(group="Claim reviewers"))
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your report {claim.reference}")
    expect(page.locator("#your-data")).to_contain_text("were erased on")
    expect(page.get_by_role("button", name="Send photos")).to_have_count(0)
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts / "customer-erased-390.png"), full_page=True)
    assert Claim.objects.get(pk=claim.pk).photos.count() == 0
