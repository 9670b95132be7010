"""The two "try again" pages as a customer sees them, in chromium, with axe.

The app's 503 (the database is unreachable) and nginx's 50x.html (no app
server answers). Screenshots go to test-artifacts/reliability/.
"""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from bench.harness import CHROMIUM, CHROMIUM_ARGS
from tests.reliability import stack
from tests.reliability.conftest import ARTIFACTS


def look(url, name):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            response = page.goto(url)
            page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
            heading = page.locator("h1").inner_text()
            stylesheet_applied = page.evaluate(
                "[...document.styleSheets].some(s => s.href && s.cssRules.length > 0)"
            )
            violations = [
                v
                for v in Axe().run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            # Only the expected failed request itself may be logged.
            csp = [e for e in errors if "Content Security Policy" in e]
            return response.status, heading, stylesheet_applied, violations, csp
        finally:
            browser.close()


def test_the_database_down_page_is_clear_and_accessible(servers, tmp_path):
    env = stack.base_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{stack.free_port()}/nothing",
        EVIDENCE_ROOT=str(tmp_path / "evidence"),
    )
    app = servers.app(env, workers=1)

    status, heading, styled, violations, csp = look(app.url + "/", "503-database-down")

    assert status == 503
    assert heading == "Please try again in a minute"
    assert styled
    assert violations == []
    assert csp == []


def test_nginx_page_for_a_dead_app_server_is_clear_and_accessible(servers):
    proxy = servers.nginx([f"127.0.0.1:{stack.free_port()}"])

    status, heading, styled, violations, csp = look(proxy.url + "/claim/", "502-no-app-server")

    assert status == 502
    assert heading == "Please try again in a minute"
    assert styled
    assert violations == []
    assert csp == []
