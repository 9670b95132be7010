"""The guidance admin in a real browser: editors find rows by their conditions."""

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("seeded_guidance")]


def test_editors_see_each_rows_conditions_in_the_admin(
    page, context, live_server, admin_user, artifacts_dir
):
    client = Client()
    client.force_login(admin_user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/claims/guidancewarning/")

    page.get_by_role("link", name="Dispatched by Kingston Express").first.click()

    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Dispatched by Kingston Express")
    expect(page.locator("#result_list")).not_to_contain_text("Seller-managed order")
    page.screenshot(path=artifacts_dir / "guidance-admin-warnings.png", full_page=False)
