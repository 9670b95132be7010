"""Why a configuration is unsafe to serve: Django system checks for deployment.

`manage.py check --deploy` reports each problem with its id (helpcentre.E001
and on) and a hint; gunicorn runs the same checks before it starts a worker
(`on_starting` in deploy/gunicorn.conf.py) and refuses to start on any error,
so a server never comes up with debug pages, a guessable secret, links to the
wrong site or evidence photos behind a public URL.

`production_safety_errors()` decides, from plain values; the registered check
reads them from the settings. tests/helpcentre/test_settings_checks.py is its
table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

# The tag of these checks alone: gunicorn runs only them before it starts
# (`manage.py check --deploy --tag production_safety` does the same).
PRODUCTION_SAFETY = "production_safety"
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


PRIVATE_STORAGE_HINT = "Claim evidence is served only through views that check the right to see it."


def storage_errors(
    storages: Mapping[str, Mapping], *, public_roots: Mapping[str, Path]
) -> list[Error]:
    """Errors for an evidence or draft storage that would give its files a public address."""
    errors = []
    for alias in PRIVATE_STORAGES:
        config = storages.get(alias)
        if config is None:
            continue
        backend = config.get("BACKEND", "")
        options = config.get("OPTIONS", {})
        if backend == S3_BACKEND:
            errors += _s3_storage_errors(alias, options)
        elif backend == FILE_SYSTEM_BACKEND:
            errors += _file_system_storage_errors(alias, options, public_roots)
    return errors


def _s3_storage_errors(alias: str, options: Mapping) -> list[Error]:
    """A private S3 storage whose objects or URLs would be readable without a signed link."""
    errors = []
    acl = options.get("default_acl")
    if acl in PUBLIC_ACLS:
        errors.append(
            Error(
                f'STORAGES["{alias}"] uploads with the S3 ACL "{acl}": evidence must stay private.',
                hint="Unset AWS_DEFAULT_ACL; public media has its own AWS_MEDIA_DEFAULT_ACL.",
                id="helpcentre.E006",
            )
        )
    if options.get("querystring_auth") is False:
        errors.append(
            Error(
                f'STORAGES["{alias}"] has querystring_auth off: its URLs would work for '
                "anyone, for ever.",
                hint="Unset AWS_QUERYSTRING_AUTH: evidence links must be signed and "
                "expire. Public media has its own AWS_MEDIA_QUERYSTRING_AUTH.",
                id="helpcentre.E007",
            )
        )
    if options.get("custom_domain"):
        errors.append(
            Error(
                f'STORAGES["{alias}"] has a custom_domain: those URLs are unsigned and public.',
                hint=f'Remove custom_domain from STORAGES["{alias}"].',
                id="helpcentre.E008",
            )
        )
    return errors


def _file_system_storage_errors(
    alias: str, options: Mapping, public_roots: Mapping[str, Path]
) -> list[Error]:
    """A private file system storage with a URL of its own or inside a served folder."""
    errors = []
    if options.get("base_url"):
        errors.append(
            Error(
                f'STORAGES["{alias}"] has a base_url ({options["base_url"]}).',
                hint=f"Set its base_url to None. {PRIVATE_STORAGE_HINT}",
                id="helpcentre.E009",
            )
        )
    location = options.get("location")
    for name, root in public_roots.items():
        if location and root and _inside(Path(location), Path(root)):
            errors.append(
                Error(
                    f'STORAGES["{alias}"] keeps files in {location}, inside {name} '
                    f"({root}), which is served to anyone.",
                    hint="Move it out (EVIDENCE_ROOT, CLAIM_DRAFT_ROOT). " + PRIVATE_STORAGE_HINT,
                    id="helpcentre.E010",
                )
            )
    return errors


def production_safety_errors(
    *,
    debug: bool,
    secret_key: str,
    allowed_hosts: Iterable[str],
    environment: str,
    storages: Mapping[str, Mapping],
    public_roots: Mapping[str, Path],
    secret_key_set: bool = True,
    site_base_url_set: bool = True,
    trusted_proxies: Iterable[str] = (),
) -> list[Error]:
    """Every reason these settings must not serve requests; empty when safe."""
    production = is_production(allowed_hosts=allowed_hosts, environment=environment)
    return [
        *_debug_errors(debug=debug, production=production),
        *_secret_key_errors(
            secret_key,
            secret_key_set=secret_key_set,
            debug=debug,
            production=production,
        ),
        *_site_base_url_errors(site_base_url_set=site_base_url_set, production=production),
        *(
            Error(
                problem,
                hint="List the proxies' addresses or networks, comma-separated.",
                id="helpcentre.E005",
            )
            for problem in trusted_proxy_problems(trusted_proxies)
        ),
        *storage_errors(storages, public_roots=public_roots),
    ]


def _debug_errors(*, debug: bool, production: bool) -> list[Error]:
    if not (debug and production):
        return []
    return [
        Error(
            "DJANGO_DEBUG is on with production markers (DJANGO_ENV=production or a public "
            "host in DJANGO_ALLOWED_HOSTS): debug pages show settings and code to anyone.",
            hint="Set DJANGO_DEBUG=0.",
            id="helpcentre.E001",
        )
    ]


def _secret_key_errors(
    secret_key: str, *, secret_key_set: bool, debug: bool, production: bool
) -> list[Error]:
    # A missing key matters whenever debug is off; a weak one only in
    # production, since a development key is fine on the developer's machine.
    if not (debug or secret_key_set):
        return [
            Error(
                "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off.",
                hint="Set it to a long random value, for example the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="helpcentre.E002",
            )
        ]
    if production and (problem := secret_key_problem(secret_key)):
        return [
            Error(
                problem,
                hint="Use a random value of at least 50 characters, for example the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="helpcentre.E003",
            )
        ]
    return []


def _site_base_url_errors(*, site_base_url_set: bool, production: bool) -> list[Error]:
    if not production or site_base_url_set:
        return []
    return [
        Error(
            "SITE_BASE_URL is not set: links in emails and on the claim pages would point "
            "at http://127.0.0.1:8000.",
            hint="Set it to the address the site is served on, e.g. https://help.example.com.",
            id="helpcentre.E004",
        )
    ]


@register(Tags.security, PRODUCTION_SAFETY, deploy=True)
def check_production_safety(app_configs=None, **kwargs) -> list[Error]:
    """The settings' production safety (helpcentre.E001-E010), for `check --deploy`."""
    return production_safety_errors(
        debug=settings.DEBUG,
        secret_key=settings.SECRET_KEY,
        secret_key_set=settings.SECRET_KEY_SET,
        site_base_url_set=settings.SITE_BASE_URL_SET,
        trusted_proxies=settings.TRUSTED_PROXIES,
        allowed_hosts=settings.ALLOWED_HOSTS,
        environment=settings.DEPLOYMENT_ENVIRONMENT,
        storages=settings.STORAGES,
        public_roots={"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT},
    )
