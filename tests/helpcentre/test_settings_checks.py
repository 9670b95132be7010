"""helpcentre.settings_checks: which configurations refuse to start, and why."""

from pathlib import Path

import pytest

from helpcentre.settings_checks import unsafe_settings_reasons

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
):
    return unsafe_settings_reasons(
        debug=debug,
        secret_key=key,
        allowed_hosts=hosts,
        environment=env,
        storages=storages or {"evidence": PRIVATE_FS, "claim_drafts": PRIVATE_FS},
        public_roots=ROOTS,
        site_base_url_set=base_url,
        trusted_proxies=proxies,
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, None),
        ({"debug": True, "hosts": ("127.0.0.1", "localhost"), "key": "short"}, None),
        ({"hosts": ("127.0.0.1",), "key": "x"}, None),
        ({"debug": True}, "DJANGO_DEBUG is on with production markers"),
        ({"debug": True, "hosts": ("127.0.0.1",), "env": "production"}, "DJANGO_DEBUG is on"),
        ({"key": "django-insecure-" + "a1b2c3d4e5" * 6}, "development default"),
        ({"key": "short-secret"}, "is 12 characters long; use at least 50"),
        ({"key": "ab" * 40}, "repeats a few characters"),
        ({"hosts": ("127.0.0.1",), "env": "production", "key": "x"}, "1 characters long"),
        # Links in mails and on the claim pages need the site's own address.
        ({"base_url": False}, "SITE_BASE_URL is not set"),
        ({"base_url": False, "hosts": ("127.0.0.1",), "env": "production"}, "SITE_BASE_URL"),
        ({"base_url": False, "hosts": ("127.0.0.1", "localhost")}, None),
        ({"proxies": ("127.0.0.1", "10.0.0.0/8")}, None),
        ({"proxies": ("nginx",)}, "DJANGO_TRUSTED_PROXIES has 'nginx'"),
    ],
)
def test_debug_and_secret_key_rules(kwargs, expected):
    found = reasons(**kwargs)
    if expected is None:
        assert found == []
    else:
        assert any(expected in reason for reason in found), found


@pytest.mark.parametrize(
    ("storage", "expected"),
    [
        (PRIVATE_FS, None),
        (PRIVATE_S3, None),
        ({"BACKEND": S3, "OPTIONS": {"default_acl": "public-read"}}, 'S3 ACL "public-read"'),
        ({"BACKEND": S3, "OPTIONS": {"querystring_auth": False}}, "querystring_auth off"),
        ({"BACKEND": S3, "OPTIONS": {"custom_domain": "cdn.example"}}, "custom_domain"),
        ({"BACKEND": FS, "OPTIONS": {"location": "/srv/p", "base_url": "/p/"}}, "has a base_url"),
        ({"BACKEND": FS, "OPTIONS": {"location": "/srv/media/evidence"}}, "inside MEDIA_ROOT"),
        ({"BACKEND": FS, "OPTIONS": {"location": "/srv/static"}}, "inside STATIC_ROOT"),
    ],
)
@pytest.mark.parametrize("alias", ["evidence", "claim_drafts"])
def test_evidence_and_draft_storages_must_stay_private(alias, storage, expected):
    storages = {"evidence": PRIVATE_FS, "claim_drafts": PRIVATE_FS, alias: storage}
    found = reasons(storages=storages)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert f'STORAGES["{alias}"]' in found[0]
        assert expected in found[0]


def test_public_media_may_be_public():
    storages = {
        "default": {"BACKEND": S3, "OPTIONS": {"default_acl": "public-read"}},
        "evidence": PRIVATE_S3,
        "claim_drafts": PRIVATE_S3,
    }
    assert reasons(storages=storages) == []
