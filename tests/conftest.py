"""What every test needs: its own database file, file folders, caches and counts,
and the fixtures more than one test folder uses.

Fixtures of one folder live in its conftest.py (tests/claims, tests/e2e,
tests/hostile); the make_* helpers in tests/factories.py; walking the claim
wizard in tests/wizard.py; the Redis and S3 servers in tests/servers.py.
"""

import pytest
from django.core.cache import cache

from tests import factories
from tests.servers import redis_key_prefix


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file (in this session's temporary
    folder), as in production, not Django's default in-memory one.

    Threads (tests/claims/test_services_concurrency.py) then each open their own
    connection to it, with WAL, the busy timeout and IMMEDIATE transactions
    from settings. An in-memory database's connections share one cache with
    table locks that fail at once ("database table is locked") instead of
    waiting, so parallel writes could not be tested on it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def django_db_serialized_rollback():
    """Every transactional test (live servers included) puts the migrated data
    back when it starts, and its flush at the end skips post_migrate.

    Without this, a transactional test that does not ask for it (pytest-django's
    `live_server` does not) flushes with post_migrate, which recreates the
    content types; the next test that does ask for it then loads them again and
    fails on their unique constraint. Serially the files ran in an order that
    hid this; parallel workers take them in other orders."""


@pytest.fixture(autouse=True)
def _private_file_roots(settings, tmp_path):
    """Each test writes uploads, evidence and claim drafts under its own temporary folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence", "base_url": None},
        },
        "claim_drafts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "drafts", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages, category lists and rate-limit counts must not leak from one
    test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def clear_guidance_cache():
    """Every test starts and ends with no cached guidance rows: the cache
    outlives the test database's rollback, so an edit made in one test would
    otherwise show in the next."""
    from django.core.cache import cache

    from claims.selectors import GUIDANCE_CACHE_KEY, REPLY_CHECK_CACHE_KEY

    keys = [GUIDANCE_CACHE_KEY, REPLY_CHECK_CACHE_KEY]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture(autouse=True)
def _fresh_tally():
    """Readers' counts kept in memory (helpcentre.tallies) belong to one test:
    never flushed into the next test's database, or at exit into no test's."""
    from helpcentre.tallies import tally

    tally.forget()
    yield
    tally.forget()


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the shared Redis; its keys removed after."""
    with redis_key_prefix() as prefix:
        yield prefix


# --- Users and articles, used by several folders (tests/factories.py makes them) ------


@pytest.fixture
def make_category(db):
    return factories.make_category


@pytest.fixture
def make_article(db):
    return factories.make_article


@pytest.fixture
def make_articles(db):
    """`make_articles(n, category=...)`: n published articles through make_article."""
    return factories.make_articles


@pytest.fixture
def make_admin(db):
    return factories.make_admin


@pytest.fixture
def editor_client(client, make_admin):
    """A test client logged in as a superuser (an editor)."""
    client.force_login(make_admin())
    return client


@pytest.fixture
def make_staff(db):
    """A staff user, optionally in one of the staff groups ("Editors", "Claim reviewers")."""
    return factories.make_staff


@pytest.fixture
def reviewer(make_staff):
    return make_staff("reviewer", group="Claim reviewers")
