"""Why a configuration is unsafe to serve, decided before Django starts.

settings.py calls `unsafe_settings_reasons()` last and refuses to load
(ImproperlyConfigured) when it returns anything, so a worker never comes up
with debug pages, a guessable secret or evidence photos behind a public URL.
Pure data in, messages out: tests/helpcentre/test_settings_checks.py is its
table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
# Storages whose files are customers' evidence: never public.
PRIVATE_STORAGES = ("evidence", "claim_drafts")
PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"


def is_production(*, allowed_hosts: Iterable[str], environment: str) -> bool:
    """Production markers: DJANGO_ENV=production or a host that is not this machine."""
    if environment.strip().lower() == "production":
        return True
    return any(host not in LOOPBACK_HOSTS for host in allowed_hosts)


def secret_key_problem(secret_key: str) -> str:
    """Empty when the key is long and random enough to sign sessions and links."""
    if secret_key.startswith("django-insecure"):
        return "DJANGO_SECRET_KEY is Django's development default (django-insecure-...)."
    if len(secret_key) < MIN_SECRET_KEY_LENGTH:
        return (
            f"DJANGO_SECRET_KEY is {len(secret_key)} characters long; "
            f"use at least {MIN_SECRET_KEY_LENGTH}."
        )
    if len(set(secret_key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS:
        return "DJANGO_SECRET_KEY repeats a few characters; use a random value."
    return ""


def trusted_proxy_problems(entries: Iterable[str]) -> list[str]:
    """DJANGO_TRUSTED_PROXIES entries that are not an address or a network."""
    from helpcentre.client_ip import parse_networks

    problems = []
    for entry in entries:
        try:
            parse_networks([entry])
        except ValueError:
            problems.append(
                f"DJANGO_TRUSTED_PROXIES has {entry!r}, which is not an IP address or a "
                "network such as 10.0.0.0/8."
            )
    return problems


def _inside(path: Path, folder: Path) -> bool:
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def storage_problems(
    storages: Mapping[str, Mapping], *, public_roots: Mapping[str, Path]
) -> list[str]:
    """Reasons an evidence storage would give its files a public address."""
    problems = []
    for alias in PRIVATE_STORAGES:
        config = storages.get(alias)
        if config is None:
            continue
        backend = config.get("BACKEND", "")
        options = config.get("OPTIONS", {})
        if backend == S3_BACKEND:
            acl = options.get("default_acl")
            if acl in PUBLIC_ACLS:
                problems.append(
                    f'STORAGES["{alias}"] uploads with the S3 ACL "{acl}": evidence must stay '
                    "private (unset AWS_DEFAULT_ACL or keep it off this storage)."
                )
            if options.get("querystring_auth") is False:
                problems.append(
                    f'STORAGES["{alias}"] has querystring_auth off: its URLs would work for '
                    "anyone, for ever. Evidence links must be signed and expire."
                )
            if options.get("custom_domain"):
                problems.append(
                    f'STORAGES["{alias}"] has a custom_domain: those URLs are unsigned and public.'
                )
        elif backend == FILE_SYSTEM_BACKEND:
            if options.get("base_url"):
                problems.append(
                    f'STORAGES["{alias}"] has a base_url ({options["base_url"]}): evidence is '
                    "served only through views that check the right to see it."
                )
            location = options.get("location")
            for name, root in public_roots.items():
                if location and root and _inside(Path(location), Path(root)):
                    problems.append(
                        f'STORAGES["{alias}"] keeps files in {location}, inside {name} '
                        f"({root}), which is served to anyone. Move it out."
                    )
    return problems


def unsafe_settings_reasons(
    *,
    debug: bool,
    secret_key: str,
    allowed_hosts: Iterable[str],
    environment: str,
    storages: Mapping[str, Mapping],
    public_roots: Mapping[str, Path],
    site_base_url_set: bool = True,
    trusted_proxies: Iterable[str] = (),
) -> list[str]:
    """Every reason these settings must not serve requests; empty when safe."""
    reasons = []
    production = is_production(allowed_hosts=allowed_hosts, environment=environment)
    if debug and production:
        reasons.append(
            "DJANGO_DEBUG is on with production markers (DJANGO_ENV=production or a public "
            "host in DJANGO_ALLOWED_HOSTS): debug pages show settings and code to anyone."
        )
    if production:
        problem = secret_key_problem(secret_key)
        if problem:
            reasons.append(problem)
        if not site_base_url_set:
            reasons.append(
                "SITE_BASE_URL is not set: links in emails and on the claim pages would point "
                "at http://127.0.0.1:8000. Set it to the address the site is served on, "
                "e.g. https://help.example.com."
            )
    reasons += trusted_proxy_problems(trusted_proxies)
    reasons += storage_problems(storages, public_roots=public_roots)
    return reasons
