"""The pages a refused request gets, in a real browser: too many requests,
a form sent without its CSRF token, a bad Host header, and the admin login
while paused. Each explains itself, passes axe, breaks no CSP rule, and is
screenshotted at phone and desktop widths."""

import pytest

from tests.browsers import serious_axe_violations

ARTICLE = "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/"
WIDTHS = [360, 1280]


def _watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return problems


def _check(page, artifacts, name, width, heading):
    assert page.locator("h1").first.inner_text() == heading
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts / f"refusal-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_too_many_requests_page(guide, page, settings, artifacts, width):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (0, 600)}
    page.set_viewport_size({"width": width, "height": 800})
    csp = _watch_csp(page)

    response = page.goto(guide.url + "/search/?q=refund")

    assert response.status == 429
    assert "Wait 10 minutes and try again" in page.content()
    _check(page, artifacts, "429", width, "Too many attempts")
    assert csp == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_form_sent_without_its_csrf_token(guide, page, artifacts, width):
    page.set_viewport_size({"width": width, "height": 800})
    csp = _watch_csp(page)
    page.goto(guide.url + ARTICLE)
    page.context.clear_cookies()  # as when the browser blocks or lost the cookie

    with page.expect_navigation():
        page.locator("#helpful button[value='yes']").first.click()

    assert "Nothing was saved." in page.content()
    _check(page, artifacts, "403-csrf", width, "Your form was not sent")
    assert csp == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bad_host_header(guide, page, settings, artifacts, width):
    settings.ALLOWED_HOSTS = ["help.example.com"]
    page.set_viewport_size({"width": width, "height": 800})
    csp = _watch_csp(page)

    response = page.goto(guide.url + "/claim/")

    assert response.status == 400
    _check(page, artifacts, "400", width, "We could not read that request")
    assert csp == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_login_while_paused(guide, page, settings, artifacts, width):
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT = 0
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(guide.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "guess")

    with page.expect_navigation():
        page.click("input[type=submit]")

    assert "Sign-in to this account is paused from your address" in page.content()
    _check(page, artifacts, "admin-login-paused", width, "Too many failed sign-in attempts")
