"""helpcentre.settings_checks: which configurations refuse to start, and why."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from helpcentre.settings_checks import production_safety_errors

GOOD_KEY = "k3Y-" + "abcdefghij" * 6
FS = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
PRIVATE_FS = {"BACKEND": FS, "OPTIONS": {"location": "/srv/private", "base_url": None}}
PRIVATE_S3 = {"BACKEND": S3, "OPTIONS": {"default_acl": None, "querystring_auth": True}}
ROOTS = {"MEDIA_ROOT": Path("/srv/media"), "STATIC_ROOT": Path("/srv/static")}


def reasons(
    *,
    debug=False,
    key=GOOD_KEY,
    hosts=("help.example.com",),
    env="",
    storages=None,
    base_url=True,
    proxies=(),
    key_set=True,
):
    return production_safety_errors(
        debug=debug,
        secret_key=key,
        secret_key_set=key_set,
        allowed_hosts=hosts,
        environment=env,
        storages=storages or {"evidence": PRIVATE_FS, "claim_drafts": PRIVATE_FS},
        public_roots=ROOTS,
        site_base_url_set=base_url,
        trusted_proxies=proxies,
    )


def messages(errors):
    return [f"{error.id} {error.msg}" for error in errors]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, None),
        ({"debug": True, "hosts": ("127.0.0.1", "localhost"), "key": "short"}, None),
        ({"hosts": ("127.0.0.1",), "key": "x"}, None),
        ({"debug": True}, "E001 DJANGO_DEBUG is on with production markers"),
        ({"debug": True, "hosts": ("127.0.0.1",), "env": "production"}, "E001 DJANGO_DEBUG is on"),
        ({"debug": True, "hosts": ("127.0.0.1",), "env": " Production "}, "E001"),
        # No secret at all: refused with debug off, production or not.
        ({"key_set": False, "key": "django-insecure-dev"}, "E002 DJANGO_SECRET_KEY is not set"),
        ({"key_set": False, "hosts": ("127.0.0.1",)}, "E002 DJANGO_SECRET_KEY is not set"),
        ({"key_set": False, "debug": True, "hosts": ("127.0.0.1",)}, None),
        ({"key": "django-insecure-" + "a1b2c3d4e5" * 6}, "E003 DJANGO_SECRET_KEY is Django's"),
        ({"key": "short-secret"}, "E003 DJANGO_SECRET_KEY is 12 characters long; use at least 50"),
        ({"key": "abcde" * 10}, None),  # 50 characters, 5 different: enough
        ({"key": "abcde" * 10 + "x"}, None),
        ({"key": "abcde" * 9 + "abcd"}, "E003 DJANGO_SECRET_KEY is 49 characters long"),
        ({"key": "abcd" * 13}, "E003 DJANGO_SECRET_KEY repeats a few characters"),
        ({"key": "ab" * 40}, "E003 DJANGO_SECRET_KEY repeats a few characters"),
        ({"hosts": ("127.0.0.1",), "env": "production", "key": "x"}, "E003"),
        # Links in mails and on the claim pages need the site's own address.
        ({"base_url": False}, "E004 SITE_BASE_URL is not set"),
        ({"base_url": False, "hosts": ("127.0.0.1",), "env": "production"}, "E004"),
        ({"base_url": False, "hosts": ("127.0.0.1", "localhost")}, None),
        ({"proxies": ("127.0.0.1", "10.0.0.0/8")}, None),
        ({"proxies": ("nginx",)}, "E005 DJANGO_TRUSTED_PROXIES has 'nginx'"),
    ],
)
def test_debug_secret_key_site_address_and_proxy_rules(kwargs, expected):
    found = messages(reasons(**kwargs))
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1, found
        assert found[0].startswith(f"helpcentre.{expected}"), found


def test_a_missing_secret_is_reported_once_not_also_as_a_weak_one():
    found = reasons(key_set=False, key="django-insecure-development-only-key")
    assert [error.id for error in found] == ["helpcentre.E002"]


def test_every_error_has_a_hint():
    storages = {
        "evidence": {"BACKEND": S3, "OPTIONS": {"default_acl": "public-read"}},
        "claim_drafts": {"BACKEND": FS, "OPTIONS": {"location": "/srv/media/d", "base_url": "/"}},
    }
    found = reasons(debug=True, key="x", base_url=False, proxies=("nginx",), storages=storages)
    assert [error.id for error in found] == [
        "helpcentre.E001",
        "helpcentre.E003",
        "helpcentre.E004",
        "helpcentre.E005",
        "helpcentre.E006",
        "helpcentre.E009",
        "helpcentre.E010",
    ]
    assert all(error.hint and error.is_serious() for error in found)


@pytest.mark.parametrize(
    ("storage", "expected"),
    [
        (PRIVATE_FS, None),
        (PRIVATE_S3, None),
        ({"BACKEND": S3, "OPTIONS": {"default_acl": "public-read"}}, 'E006 S3 ACL "public-read"'),
        ({"BACKEND": S3, "OPTIONS": {"querystring_auth": False}}, "E007 querystring_auth off"),
        ({"BACKEND": S3, "OPTIONS": {"custom_domain": "cdn.example"}}, "E008 custom_domain"),
        ({"BACKEND": FS, "OPTIONS": {"location": "/srv/p", "base_url": "/p/"}}, "E009 a base_url"),
        ({"BACKEND": FS, "OPTIONS": {"location": "/srv/media/evidence"}}, "E010 MEDIA_ROOT"),
        ({"BACKEND": FS, "OPTIONS": {"location": "/srv/static"}}, "E010 STATIC_ROOT"),
    ],
)
@pytest.mark.parametrize("alias", ["evidence", "claim_drafts"])
def test_evidence_and_draft_storages_must_stay_private(alias, storage, expected):
    storages = {"evidence": PRIVATE_FS, "claim_drafts": PRIVATE_FS, alias: storage}
    found = reasons(storages=storages)
    if expected is None:
        assert found == []
    else:
        error_id, words = expected.split(" ", 1)
        assert len(found) == 1
        assert found[0].id == f"helpcentre.{error_id}"
        assert f'STORAGES["{alias}"]' in found[0].msg
        assert words in found[0].msg


def test_public_media_may_be_public():
    storages = {
        "default": {"BACKEND": S3, "OPTIONS": {"default_acl": "public-read"}},
        "evidence": PRIVATE_S3,
        "claim_drafts": PRIVATE_S3,
    }
    assert reasons(storages=storages) == []


# --- As Django system checks: `manage.py check --deploy` --------------------------

SAFE_SETTINGS = {
    "DEBUG": False,
    "SECRET_KEY": GOOD_KEY,
    "SECRET_KEY_SET": True,
    "ALLOWED_HOSTS": ["help.example.com"],
    "DEPLOYMENT_ENVIRONMENT": "production",
    "SITE_BASE_URL_SET": True,
    "TRUSTED_PROXIES": ["10.0.0.5"],
}


def deploy_check_errors() -> str:
    """What `check --deploy` stops on, as it prints it ("" when it does not stop).

    Django's own deployment checks stop it here too (the test settings send
    mail to memory); the tests look at the helpcentre ones.
    """
    try:
        call_command(
            "check", deploy=True, fail_level="ERROR", stdout=io.StringIO(), stderr=io.StringIO()
        )
    except SystemCheckError as error:
        return str(error)
    return ""


@pytest.mark.django_db
def test_check_deploy_passes_safe_production_settings(settings):
    for name, value in SAFE_SETTINGS.items():
        setattr(settings, name, value)
    assert "(helpcentre." not in deploy_check_errors()


@pytest.mark.django_db
def test_the_checks_run_only_for_deployment(settings):
    settings.DEBUG = True  # with a public host: an error for --deploy
    call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error_id", "words"),
    [
        ({"DEBUG": True}, "E001", "DJANGO_DEBUG is on with production markers"),
        ({"SECRET_KEY_SET": False}, "E002", "DJANGO_SECRET_KEY is not set"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 9}, "E003", "development default"),
        ({"SITE_BASE_URL_SET": False}, "E004", "SITE_BASE_URL is not set"),
        ({"TRUSTED_PROXIES": ["nginx"]}, "E005", "DJANGO_TRUSTED_PROXIES has 'nginx'"),
        ({"evidence": {"BACKEND": S3, "OPTIONS": {"default_acl": "public-read"}}}, "E006", "ACL"),
        ({"claim_drafts": {"BACKEND": S3, "OPTIONS": {"querystring_auth": False}}}, "E007", "off"),
        (
            {"evidence": {"BACKEND": S3, "OPTIONS": {"custom_domain": "c.example"}}},
            "E008",
            "domain",
        ),
        ({"evidence": {"BACKEND": FS, "OPTIONS": {"base_url": "/e/"}}}, "E009", "base_url (/e/)"),
        ({"claim_drafts": "inside MEDIA_ROOT"}, "E010", "which is served to anyone"),
    ],
)
def test_check_deploy_reports_each_unsafe_setting_with_its_id_and_hint(
    settings, tmp_path, changes, error_id, words
):
    for name, value in SAFE_SETTINGS.items():
        setattr(settings, name, value)
    storages = dict(settings.STORAGES)
    for name, value in changes.items():
        if name in ("evidence", "claim_drafts"):
            if value == "inside MEDIA_ROOT":
                settings.MEDIA_ROOT = tmp_path / "media"
                value = {"BACKEND": FS, "OPTIONS": {"location": tmp_path / "media" / "drafts"}}
            storages[name] = value
        else:
            setattr(settings, name, value)
    settings.STORAGES = storages

    printed = deploy_check_errors()

    assert f"(helpcentre.{error_id}) " in printed
    assert words in printed
    assert printed.count("(helpcentre.E") == 1, printed
    assert "HINT: " in printed.split(f"(helpcentre.{error_id}) ", 1)[1]
