"""Playwright's browser: Debian's chromium, for tests/e2e and the reliability suite.

Imported by their conftest.py files. Playwright never downloads a browser of its own here.
"""

from pathlib import Path

import pytest

# Screenshots and reports for a person to look at (kept out of git).
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from bench.harness import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need {CHROMIUM} (Debian package 'chromium'); `make test` installs it."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def serious_axe_violations(page):
    """axe-core's serious and critical findings on the page, as short strings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
