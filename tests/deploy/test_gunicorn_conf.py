"""deploy/gunicorn.conf.py: gunicorn sets the workers' allocator and refuses unsafe settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpcentre.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent.parent
CONF = ROOT / "deploy" / "gunicorn.conf.py"


def _gunicorn(env, *args, timeout=60):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GUNICORN_")) and k != "SITE_BASE_URL"
    }
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(CONF), *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"DJANGO_DEBUG": "1"}, "(helpcentre.E001) DJANGO_DEBUG is on with production markers"),
        ({"DJANGO_SECRET_KEY": ""}, "(helpcentre.E002) DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_SECRET_KEY": "changeme"}, "(helpcentre.E003)"),
        ({"SITE_BASE_URL": ""}, "(helpcentre.E004) SITE_BASE_URL is not set"),
    ],
)
def test_gunicorn_refuses_to_start_with_unsafe_settings(changes, expected):
    env = {**PRODUCTION_ENV, "GUNICORN_BIND": "127.0.0.1:0", **changes}
    result = _gunicorn(env, "helpcentre.wsgi")
    assert result.returncode != 0
    assert "Refusing to start with unsafe settings" in result.stderr
    assert expected in result.stderr
    # Refused before it listened or started a worker.
    assert "Listening at" not in result.stderr
    assert "Booting worker" not in result.stderr


def test_the_start_up_passes_production_settings_and_sets_malloc_before_django_loads():
    """What the master runs before it forks the workers, with settings fit to serve.

    The allocator setting must come before Django's imports (deploy/malloc.py);
    the workers inherit it.
    """
    script = f"""
import runpy, sys
import deploy.malloc
calls = []
deploy.malloc.return_image_memory_to_the_system = lambda: calls.append("django" in sys.modules)
runpy.run_path({str(CONF)!r})["on_starting"](None)
print("started, malloc set with Django loaded:", calls)
"""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**base, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started, malloc set with Django loaded: [False]"
