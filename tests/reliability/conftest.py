"""Fixtures for the load and fault suite: real servers, started per session or per test.

Everything here is marked `reliability` (run by `make test-reliability`, not
by `make test`). The shared PostgreSQL server gets a database of this suite's
own (RELIABILITY_DATABASE, default hc_ops_rel) that is dropped afterwards; the
server itself, and the shared Redis, are never stopped or reconfigured.
"""

import os
import secrets
import shutil
from pathlib import Path

import pytest

from tests.browsers import browser_type_launch_args  # noqa: F401  (Debian's chromium)
from tests.reliability import stack

ARTIFACTS = stack.ROOT / "test-artifacts" / "reliability"
DATABASE_NAME = os.environ.get("RELIABILITY_DATABASE", "hc_ops_rel")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="session", autouse=True)
def _preflight():
    if not Path(stack.NGINX).exists():
        pytest.fail(
            "The reliability tests need nginx (Debian nginx-light): run make test-reliability."
        )
    if not (stack.ROOT / "staticfiles" / "staticfiles.json").exists():
        pytest.fail("Run collectstatic first (make test-reliability does).")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def moto():
    server = stack.Moto()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_template():
    """A migrated database on the shared server that others are copied from."""
    server = stack.shared_server_url()
    name = f"{DATABASE_NAME}_template"
    url = stack.recreate_database(server, name)
    stack.manage(stack.base_env(DATABASE_URL=url), "migrate", "--noinput")
    yield name
    stack.drop_database(server, name)


@pytest.fixture(scope="session")
def shared_database(database_template):
    """The database of the session's shared stack (PostgreSQL, Redis, the session's S3)."""
    server = stack.shared_server_url()
    url = stack.recreate_database(server, DATABASE_NAME, template=database_template)
    yield url
    stack.drop_database(server, DATABASE_NAME)


@pytest.fixture
def own_database(database_template):
    """A database for one test whose files live in storage of its own.

    cleanup_evidence compares every photo row with one storage, so a test
    with its own S3 server or disk needs rows of its own too.
    """
    server = stack.shared_server_url()
    name = f"{DATABASE_NAME}_own"
    url = stack.recreate_database(server, name, template=database_template)
    yield url
    stack.drop_database(server, name)


@pytest.fixture(scope="session")
def stack_env(shared_database, moto):
    """Production-like settings shared by every app server: PostgreSQL, Redis, S3."""
    return stack.base_env(
        DATABASE_URL=shared_database,
        REDIS_URL=os.environ.get("RELIABILITY_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Our own keys in the shared Redis.
        CACHE_KEY_PREFIX=f"hc_ops_rel_{secrets.token_hex(4)}",
        **moto.env(),
    )


@pytest.fixture
def servers(request):
    """Start app servers and nginx; everything started is stopped after the test."""
    started = []
    logs = ARTIFACTS / request.node.name

    class Servers:
        def app(self, env, *, workers=2, name="app"):
            server = stack.AppServer(env=env, log=logs / f"{name}.log", workers=workers)
            started.append(server)
            return server.start()

        def nginx(self, upstreams):
            run_dir = logs / "nginx"
            shutil.rmtree(run_dir, ignore_errors=True)
            server = stack.Nginx(run_dir=run_dir, upstreams=upstreams)
            started.append(server)
            return server.start()

    yield Servers()
    for server in reversed(started):
        server.stop()


@pytest.fixture
def clean_after(stack_env):
    """After the test: cleanup_evidence finds no orphan and no missing file."""
    yield
    report = stack.cleanup_report(stack_env)
    assert report["orphans"] == 0 and report["missing"] == 0, report["output"]
