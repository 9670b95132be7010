"""Browser tests: Playwright driving Debian's chromium against Django's live server.

`make test` installs chromium when it is missing; these tests never skip: a
missing browser is a failure with instructions. Playwright never downloads a
browser of its own here.
"""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from tests import factories
from tests.browsers import (
    ARTIFACTS,
    browser_type_launch_args,  # noqa: F401  (Debian's chromium)
)


class _OneRequestAtATimeServer(WSGIServer):
    """The live server without threads, for SQLite's in-memory test database.

    There every request thread shares the test's one SQLite connection, and
    a page that loads several photos at once used it from two threads
    together: "bad parameter or other API misuse", a 500 and a browser test
    timing out now and then under load. Without threads Django answers
    "Connection: close" and the browser simply queues its requests.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = _OneRequestAtATimeServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """The live server serves static files from the finders, by their plain names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.HELPCENTRE_COMMENT_MIN_SECONDS = 0


@pytest.fixture
def guide(live_server, transactional_db):
    """The live server with the seeded guide (flushed between live-server tests)."""
    from django.apps import apps

    seed = importlib.import_module("helpcentre.migrations.0002_seed_guide")
    seed.seed(apps, None)
    return live_server


@pytest.fixture
def seeded_guidance(transactional_db):
    """The guide's guidance rows in the database, for tests on a live server.

    Transactional tests (live_server) empty every table when they end, so the
    rows the 0002 migration seeded are gone for the next one."""
    factories.seed_guidance()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def artifacts_dir(artifacts) -> Path:
    return artifacts
