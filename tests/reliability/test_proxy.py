"""The production stack as browsers and separate visitors meet it, through the real nginx.

Chromium sends an Origin header with every form, so a proxy that loses the
port breaks every form (403) while plain HTTP clients, which send none, pass.
Every visitor reaches the app server from nginx's address, so limits that
count REMOTE_ADDR are one limit for the whole site. Here nginx listens on a
port other than 80 and 8080, Chromium files a claim and signs in to the admin,
and two HTTP clients bound to 127.0.0.2 and 127.0.0.3 use up their own limits
and forge X-Forwarded-For, through nginx and straight to gunicorn.
"""

from __future__ import annotations

import http.client
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.reliability import stack

ADMIN = "proxy-admin"
PASSWORD = "a-long-proxy-password-8841"
SEARCH_LIMIT = 4
LOGIN_LIMIT = 3


@pytest.fixture(scope="module")
def site(stack_env, tmp_path_factory):
    """gunicorn behind nginx on an uncommon port, with a staff user and small limits."""
    port = stack.free_port()
    env = {
        **stack_env,
        "SITE_BASE_URL": f"http://127.0.0.1:{port}",
        # Counts of this module's own, in the shared Redis.
        "CACHE_KEY_PREFIX": f"hc_proxy_{secrets.token_hex(4)}",
        "RATE_LIMIT_SEARCH": f"{SEARCH_LIMIT}/600",
        "ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT": str(LOGIN_LIMIT),
    }
    article = stack.django_json(
        env,
        f"""
        from django.contrib.auth.models import User
        User.objects.filter(username={ADMIN!r}).delete()
        User.objects.create_superuser({ADMIN!r}, "admin@example.com", {PASSWORD!r})
        from helpcentre.models import Article
        result = Article.objects.published().first().get_absolute_url()
        """,
    )
    logs = tmp_path_factory.mktemp("proxy")
    app = stack.AppServer(env=env, log=logs / "app.log").start()
    nginx = stack.Nginx(run_dir=logs / "nginx", upstreams=[f"127.0.0.1:{app.port}"], port=port)
    nginx.start()
    yield {"nginx": nginx.url, "app": app.url, "article": article}
    nginx.stop()
    app.stop()


class Visitor:
    """A browser reduced to HTTP, from its own source address, keeping its cookies."""

    def __init__(self, base: str, source: str):
        self.base = base
        self.source = source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form=None, headers=None):
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=30, source_address=(self.source, 0)
        )
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser does: the origin the page was loaded from, port included.
            headers["Origin"] = f"{parts.scheme}://{parts.netloc}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, text, response.headers

    def search(self, *, forged: str = "") -> int:
        headers = {"X-Forwarded-For": forged} if forged else {}
        return self.request("GET", "/search/?q=package", headers=headers)[0]

    def sign_in(self, password: str, *, forged: str = "") -> int:
        _, page, _ = self.request("GET", "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        headers = {"X-Forwarded-For": forged} if forged else {}
        form = {"csrfmiddlewaretoken": token, "username": ADMIN, "password": password}
        return self.request("POST", "/admin/login/?next=/admin/", form=form, headers=headers)[0]


# --- Forms in a real browser, through nginx --------------------------------------------


def _continue(page):
    page.get_by_role("button", name=re.compile(r"^(Continue|Send claim)$")).click()


def test_a_claim_is_filed_end_to_end_in_chromium_through_nginx(site, page):
    base = site["nginx"]
    page.goto(base + "/claim/")
    page.get_by_label("Missing item: the item was not in the package").check()
    _continue(page)
    page.get_by_label("Seller-managed order").check()
    _continue(page)
    page.get_by_label("Domestic").check()
    _continue(page)
    page.get_by_label("Order number").fill("SM-7700881")
    page.get_by_label("Item or SKU").fill("Linen napkins, set of 4")
    page.get_by_label("What is missing or damaged?").fill("Two napkins were not in the parcel.")
    page.get_by_label("How many items are affected?").fill("2")
    page.locator("#id_order-details-stock_available_0").check()
    page.get_by_label("Customer's name").fill("Ben Customer")
    page.get_by_label("Customer's email address").fill("ben@example.com")
    _continue(page)
    page.get_by_label("The customer will send photos").check()
    _continue(page)
    _continue(page)  # send

    expect(page.locator(".panel")).to_contain_text("waiting for the customer's photos")
    expect(page.locator(".panel__reference")).to_have_text(re.compile(r"^KXC-[A-Z0-9]{8}$"))
    # The customer's link points where the site runs: nginx's port.
    customer_link = page.locator("#customer-link-url").text_content().strip()
    assert customer_link.startswith(f"{base}/claim/c/"), customer_link
    customer = page.context.browser.new_page()
    response = customer.goto(customer_link)
    assert response.status == 200
    expect(customer.get_by_role("heading", level=1)).to_have_text("Add photos for order SM-7700881")
    customer.close()


def test_an_admin_signs_in_with_chromium_through_nginx(site, page):
    page.goto(site["nginx"] + "/admin/login/")
    page.fill("#id_username", ADMIN)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")

    assert page.url == site["nginx"] + "/admin/"
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text(ADMIN)


def test_a_reader_votes_in_chromium_through_nginx(site, page):
    page.goto(site["nginx"] + site["article"])
    page.locator("#helpful").get_by_role("button", name="Yes", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Thanks for your feedback!")


# --- Each client counted on its own ------------------------------------------------------


def test_one_clients_search_limit_never_touches_another(site):
    first = Visitor(site["nginx"], "127.0.0.2")
    second = Visitor(site["nginx"], "127.0.0.3")

    used_up = [first.search() for _ in range(SEARCH_LIMIT)]
    refused = first.search()
    # Forged through nginx, then straight to gunicorn: still the same client.
    forged_via_nginx = first.search(forged="203.0.113.77")
    forged_direct = Visitor(site["app"], "127.0.0.2").search(forged="203.0.113.78")
    other = second.search()

    assert used_up == [200] * SEARCH_LIMIT
    assert (refused, forged_via_nginx, forged_direct) == (429, 429, 429)
    assert other == 200


def test_a_guessing_client_is_locked_out_but_the_admin_elsewhere_signs_in(site):
    guesser = Visitor(site["nginx"], "127.0.0.2")
    owner = Visitor(site["nginx"], "127.0.0.3")

    guesses = [guesser.sign_in(f"guess-{n}") for n in range(LOGIN_LIMIT)]
    locked = guesser.sign_in(PASSWORD)
    # The guesser claims to be the owner's address: nginx appends the real one.
    forged = guesser.sign_in(PASSWORD, forged="127.0.0.3")
    signed_in = owner.sign_in(PASSWORD)

    assert guesses == [200] * LOGIN_LIMIT
    assert (locked, forged) == (429, 429)
    assert signed_in == 302
    status, _, _ = owner.request("GET", "/admin/")
    assert status == 200
