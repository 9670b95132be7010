import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-like-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "DJANGO_HTTPS": "1",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SITE_BASE_URL": "https://help.example.com",
}


def _manage(*args, env):
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "SITE_BASE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_without_deploy_leaves_production_safety_to_deployment():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# --- Production safety (helpcentre/settings_checks.py): `check --deploy` ------------
# gunicorn runs the same checks before it starts (tests/deploy/test_gunicorn_conf.py).


def test_missing_secret_key_is_reported_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "(helpcentre.E002) DJANGO_SECRET_KEY is not set" in result.stderr
    assert "HINT: Set it to a long random value" in result.stderr


def test_production_without_site_base_url_is_reported_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_BASE_URL"}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "(helpcentre.E004) SITE_BASE_URL is not set" in result.stderr


def test_debug_with_a_public_host_is_reported():
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, "DJANGO_DEBUG": "1"})
    assert result.returncode != 0
    assert "(helpcentre.E001) DJANGO_DEBUG is on with production markers" in result.stderr


def test_a_short_secret_in_production_is_reported():
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "changeme"})
    assert result.returncode != 0
    assert "(helpcentre.E003) DJANGO_SECRET_KEY is 8 characters long; use at least 50." in (
        result.stderr
    )


def test_a_public_acl_for_evidence_on_s3_is_reported():
    env = {
        **PRODUCTION_ENV,
        "AWS_STORAGE_BUCKET_NAME": "evidence",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_DEFAULT_ACL": "public-read",
    }
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert '(helpcentre.E006) STORAGES["evidence"] uploads with the S3 ACL "public-read"' in (
        result.stderr
    )
    assert '(helpcentre.E006) STORAGES["claim_drafts"]' in result.stderr


def test_unsigned_evidence_urls_on_s3_are_reported():
    env = {
        **PRODUCTION_ENV,
        "AWS_STORAGE_BUCKET_NAME": "evidence",
        "AWS_QUERYSTRING_AUTH": "0",
    }
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "(helpcentre.E007)" in result.stderr
    assert "querystring_auth off" in result.stderr


def test_evidence_inside_public_media_is_reported(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EVIDENCE_ROOT": str(tmp_path / "media" / "evidence"),
    }
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert '(helpcentre.E010) STORAGES["evidence"] keeps files in' in result.stderr
    assert "inside MEDIA_ROOT" in result.stderr


def test_make_run_hands_out_links_to_the_port_it_serves_on():
    """`make run PORT=8101` sets SITE_BASE_URL to that address (each recipe line prints it)."""
    show = f"{sys.executable} -c 'import os; print(os.environ[\"SITE_BASE_URL\"])'"
    base = {k: v for k, v in os.environ.items() if k != "SITE_BASE_URL"}
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "run", "PORT=8101", f"PY={show}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8101"] * 2
