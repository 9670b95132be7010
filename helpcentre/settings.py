"""Settings for the seller help centre.

Everything that differs between a laptop and production comes from environment
variables; the defaults are safe for development (SQLite, local files). See the
README for the list.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
# "production" marks production even on a loopback host (helpcentre/settings_checks.py).
DEPLOYMENT_ENVIRONMENT = os.environ.get("DJANGO_ENV", "")

# Without DJANGO_SECRET_KEY a development key is used; with debug off,
# `check --deploy` and gunicorn's start-up refuse it (helpcentre/settings_checks.py).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
SECRET_KEY_SET = bool(SECRET_KEY)
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Links in emails and on pages that are meant to be shared are built from this,
# never from the request's Host header. Required in production (`check --deploy`
# and gunicorn's start-up refuse without it); `make run` sets it to the address
# it serves on.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "").strip().rstrip("/")
SITE_BASE_URL_SET = bool(SITE_BASE_URL)
if not SITE_BASE_URL:
    SITE_BASE_URL = "http://127.0.0.1:8000"

# Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges): the
# client's address for the rate limits and lock-outs is then the right-most
# address in that header that is not one of these (helpcentre/client_ip.py).
# Empty: REMOTE_ADDR is the client. `make serve` sets it to nginx's 127.0.0.1.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "formtools",
    "reversion",
    "django_tasks_db",
    "helpcentre",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can refuse a request (a bad Host header fails
    # in CommonMiddleware), so refusals carry the CSP and framing headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "helpcentre.urls"
WSGI_APPLICATION = "helpcentre.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite file in the project by default; PostgreSQL (psycopg 3) when
# DATABASE_URL says so.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # The data sits in memory or on SSD: random reads cost about what
    # sequential ones do. With the default (4.0) the planner scanned every
    # article to match a common search word (50-120 ms over 10,000 articles)
    # instead of using the GIN index (3 ms to find the rows); see
    # docs/benchmarks.md. DATABASE_PG_OPTIONS replaces it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("DATABASE_PG_OPTIONS", "-c random_page_cost=1.1")
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL: readers never block the writer. The busy timeout makes a writer
    # wait up to 20 s for the write lock instead of failing with "database is
    # locked", but only if the transaction takes that lock when it begins:
    # IMMEDIATE. A default (deferred) transaction starts as a reader, and when
    # it first writes after another connection has written, SQLite cannot
    # upgrade it (its snapshot is stale, and waiting could deadlock), so it
    # returns SQLITE_BUSY at once without calling the busy handler. That is
    # what failed parallel uploads to one customer link with 503s. IMMEDIATE
    # also makes atomic blocks that read then write (the photo limit's count,
    # where select_for_update does nothing on SQLite) run one at a time.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------
# Redis when REDIS_URL is set (shared by every worker and server); otherwise
# memory local to the process.

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend with one Redis client per pool (helpcentre/cache.py).
            "BACKEND": "helpcentre.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "helpcentre"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The speed layers (docs/benchmarks.md, "Speed layers"), each on by default and
# switchable so that `make bench` can measure what it earns: the article page
# rendered once (page_cache.py), the home, category and search pages rendered
# once, each worker's own copy of those pages (near_cache.py), and the Redis
# client reused across calls (cache.py).
HELPCENTRE_PAGE_CACHE = env_bool("HELPCENTRE_PAGE_CACHE", True)
HELPCENTRE_LISTING_CACHE = env_bool("HELPCENTRE_LISTING_CACHE", True)
HELPCENTRE_NEAR_CACHE = env_bool("HELPCENTRE_NEAR_CACHE", True)
HELPCENTRE_REDIS_CLIENT = env_bool("HELPCENTRE_REDIS_CLIENT", True)

# Sessions in the database: a claim started on one app server can be finished
# on another.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -------------------------------------------------
# Static files: WhiteNoise, hashed and compressed names (collectstatic).
# Uploads: article figures are public media; claim evidence is private and
# never has a public URL (see the "evidence" storage).

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", BASE_DIR / "private-media"))

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")

if AWS_STORAGE_BUCKET_NAME:
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path"),
        # SigV4 signed links carry their own expiry (X-Amz-Expires).
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300")),
    }
    # A stalled S3 endpoint must fail a request within seconds (and show the
    # customer a "try again" page), not hold a worker for boto's default minute.
    from botocore.config import Config as _BotoConfig

    _s3_options["client_config"] = _BotoConfig(
        connect_timeout=float(os.environ.get("AWS_S3_TIMEOUT", "10")),
        read_timeout=float(os.environ.get("AWS_S3_TIMEOUT", "10")),
        retries={
            "max_attempts": int(os.environ.get("AWS_S3_MAX_ATTEMPTS", "3")),
            "mode": "standard",
        },
        signature_version="s3v4",
    )
    # django-storages' usual AWS_DEFAULT_ACL / AWS_QUERYSTRING_AUTH apply to
    # every bucket location here, evidence included, so setting them out of
    # habit makes start-up refuse (helpcentre/settings_checks.py). Public media
    # (article figures) has its own AWS_MEDIA_DEFAULT_ACL and
    # AWS_MEDIA_QUERYSTRING_AUTH.
    if os.environ.get("AWS_DEFAULT_ACL"):
        _s3_options["default_acl"] = os.environ["AWS_DEFAULT_ACL"]
    if os.environ.get("AWS_QUERYSTRING_AUTH"):
        _s3_options["querystring_auth"] = env_bool("AWS_QUERYSTRING_AUTH")
    _public_media_options = {
        "default_acl": os.environ.get("AWS_MEDIA_DEFAULT_ACL") or _s3_options["default_acl"],
        "querystring_auth": env_bool("AWS_MEDIA_QUERYSTRING_AUTH", _s3_options["querystring_auth"]),
    }
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, **_public_media_options, "location": "media"},
    }
    EVIDENCE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": "evidence"},
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    EVIDENCE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: these files are only ever served through a view that
        # checks the right to see them.
        "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": None},
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "evidence": EVIDENCE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
        # Public files: nginx's workers (another user) serve them directly, so
        # they must not get the private uploads' 0o640.
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}

# Uploads bigger than this go to a temporary file, never whole into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640
# Where big uploads are spooled while a request is read (the system's temporary
# folder by default). Keep it on a disk with room: a full one gets the
# customer a "try again" page (helpcentre/errors.py), never a half-stored claim.
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Email -------------------------------------------------------------------

# Django 6.1's MAILERS; the console backend prints mail instead of sending it.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # Mail goes out from the task worker (claims/tasks.py), so a slow server
    # delays a worker, never a customer; the timeout still frees it.
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
    }
elif MAILERS["default"]["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {"file_path": os.environ.get("EMAIL_FILE_PATH", "")}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "help@seller-help.example")

# --- Background tasks ---------------------------------------------------------
# Immediate by default (nothing to run); the database queue with
# `manage.py db_worker` when TASKS_BACKEND=database.

if os.environ.get("TASKS_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Forms -------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------
# A strict Content-Security-Policy: no inline scripts or styles anywhere, so
# pages stay cacheable and injected markup cannot run.

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"]
    + ([os.environ["AWS_S3_ENDPOINT_URL"]] if os.environ.get("AWS_S3_ENDPOINT_URL") else []),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Behind a TLS-terminating proxy in production; off for the local defaults.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# --- Logging ------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- The claim --------------------------------------------------------------------

# What an order number looks like (letters, digits and dashes, 6 to 30).
CLAIM_ORDER_NUMBER_PATTERN = os.environ.get("CLAIM_ORDER_NUMBER_PATTERN", r"^[A-Za-z0-9-]{6,30}$")
re.compile(CLAIM_ORDER_NUMBER_PATTERN)
CLAIM_ORDER_NUMBER_EXAMPLE = "KX-48213579"
CLAIM_MAX_PHOTOS = int(os.environ.get("CLAIM_MAX_PHOTOS", "12"))
CLAIM_MAX_PHOTO_BYTES = int(os.environ.get("CLAIM_MAX_PHOTO_BYTES", str(15 * 1024 * 1024)))
CLAIM_MAX_PHOTO_PIXELS = int(os.environ.get("CLAIM_MAX_PHOTO_PIXELS", str(50_000_000)))
CLAIM_CUSTOMER_LINK_DAYS = int(os.environ.get("CLAIM_CUSTOMER_LINK_DAYS", "30"))
CLAIM_RESPONSE_DAYS = int(os.environ.get("CLAIM_RESPONSE_DAYS", "3"))
CLAIM_RESPONSE_DAYS_INTERNATIONAL = int(os.environ.get("CLAIM_RESPONSE_DAYS_INTERNATIONAL", "10"))

# Evidence photos (claims/photos.py). The display copy fits this box; a phone
# JPEG may come out up to a quarter smaller (2016 px for a 4032 px photo)
# because it is decoded at half scale, which is most of the pipeline's speed.
CLAIM_PHOTO_DISPLAY_SIZE = int(os.environ.get("CLAIM_PHOTO_DISPLAY_SIZE", "2048"))
CLAIM_PHOTO_THUMBNAIL_SIZE = int(os.environ.get("CLAIM_PHOTO_THUMBNAIL_SIZE", "400"))
# Smaller than this on the short side shows no detail of a parcel or item.
CLAIM_PHOTO_MIN_SIDE = int(os.environ.get("CLAIM_PHOTO_MIN_SIDE", "200"))
# Longer than this many times its width is a strip, not a photo (a phone
# panorama is about 4:1).
CLAIM_PHOTO_MAX_ASPECT_RATIO = int(os.environ.get("CLAIM_PHOTO_MAX_ASPECT_RATIO", "8"))
# Signals for the reviewer (claims/review_signals.py), never a decision:
# two photos whose perceptual hashes differ in at most this many of 64 bits are
# "near-identical" (measured by `make phash-threshold`: see the README), and a
# photo the camera says was taken more than this many days before the claim
# was filed is "taken long before".
CLAIM_PHOTO_NEAR_MATCH_DISTANCE = int(os.environ.get("CLAIM_PHOTO_NEAR_MATCH_DISTANCE", "10"))
CLAIM_PHOTO_OLD_DAYS = int(os.environ.get("CLAIM_PHOTO_OLD_DAYS", "30"))
# A reviewer's request to the customer for more evidence (claims/review.py): the
# customer is reminded after this many days, and without an answer the claim
# closes as "no response" after the final number of days. The response date
# pauses meanwhile.
CLAIM_EVIDENCE_REMINDER_DAYS = int(os.environ.get("CLAIM_EVIDENCE_REMINDER_DAYS", "3"))
CLAIM_EVIDENCE_FINAL_DAYS = int(os.environ.get("CLAIM_EVIDENCE_FINAL_DAYS", "7"))
if not 0 < CLAIM_EVIDENCE_REMINDER_DAYS <= CLAIM_EVIDENCE_FINAL_DAYS:
    raise ImproperlyConfigured(
        "CLAIM_EVIDENCE_REMINDER_DAYS must be at least 1 and at most CLAIM_EVIDENCE_FINAL_DAYS"
    )
# How long a signed S3 link to an evidence photo works, in seconds.
CLAIM_EVIDENCE_URL_SECONDS = int(os.environ.get("CLAIM_EVIDENCE_URL_SECONDS", "300"))

# Customer links: requests per client address and per link in each window.
# A stranger guessing links or flooding uploads gets a "too many requests" page.
CLAIM_RATE_LIMIT_WINDOW_SECONDS = int(os.environ.get("CLAIM_RATE_LIMIT_WINDOW_SECONDS", "600"))
CLAIM_RATE_LIMIT_PER_IP = int(os.environ.get("CLAIM_RATE_LIMIT_PER_IP", "60"))
CLAIM_RATE_LIMIT_PER_TOKEN = int(os.environ.get("CLAIM_RATE_LIMIT_PER_TOKEN", "30"))
# Photos attached while the form is being filled in: processed copies only,
# private, kept until the claim is sent (then copied to "evidence").
CLAIM_DRAFT_ROOT = Path(os.environ.get("CLAIM_DRAFT_ROOT", EVIDENCE_ROOT / "drafts"))
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["claim_drafts"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": "claim-drafts"},
    }
else:
    STORAGES["claim_drafts"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": CLAIM_DRAFT_ROOT, "base_url": None},
    }

# --- Personal data: how long it is kept -------------------------------------------
# `manage.py erase_personal_data` (daily, by the task worker or by hand) erases
# what is due; claims/retention.py decides. Open, escalated and legal-hold claims
# are never touched.

# A settled claim's photos, names, email addresses and notes: 18 months after its
# last review step, the window in which a decision can still be disputed.
CLAIM_RETENTION_DAYS = int(os.environ.get("CLAIM_RETENTION_DAYS", "548"))
# An unfinished claim form's answers (in its session) and draft photos.
CLAIM_DRAFT_RETENTION_HOURS = int(os.environ.get("CLAIM_DRAFT_RETENTION_HOURS", "24"))
# A commenter's email address and address hash: long enough to moderate.
COMMENT_PERSONAL_DATA_DAYS = int(os.environ.get("COMMENT_PERSONAL_DATA_DAYS", "90"))
# A vote's link to the visitor's cookie (it lets them change their vote).
VOTE_VISITOR_DAYS = int(os.environ.get("VOTE_VISITOR_DAYS", "30"))

# --- Claim guidance -------------------------------------------------------------

# Where the result page's "contact Kingston Express Support" email goes.
KINGSTON_EXPRESS_SUPPORT_EMAIL = os.environ.get(
    "KINGSTON_EXPRESS_SUPPORT_EMAIL", "seller-support@kingston-express.example"
)

# --- The guide ------------------------------------------------------------------

# Full-text search language on PostgreSQL (a text search configuration name).
HELPCENTRE_SEARCH_CONFIG = os.environ.get("HELPCENTRE_SEARCH_CONFIG", "english")
# A person needs a few seconds to write a comment; a bot posts at once.
HELPCENTRE_COMMENT_MIN_SECONDS = int(os.environ.get("HELPCENTRE_COMMENT_MIN_SECONDS", "3"))
# Load balancers check /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Hostile input: rate limits and admin login ---------------------------------
# helpcentre/ratelimit.py counts these in the default cache (Redis when
# REDIS_URL is set, so every worker and server shares the counts).
# Each: (requests per client address, window in seconds).


def env_limit(name: str, limit: int, window_seconds: int) -> tuple[int, int]:
    """RATE_LIMIT_<NAME>="limit/seconds" overrides a default, e.g. "5/600"."""
    value = os.environ.get(f"RATE_LIMIT_{name.upper().replace('-', '_')}", "")
    if not value:
        return (limit, window_seconds)
    count, _, seconds = value.partition("/")
    return (int(count), int(seconds or window_seconds))


RATE_LIMITS = {
    # Comments are held for moderation: a person writes a few an hour.
    "comment": env_limit("comment", 5, 600),
    # One answer per article and visitor; more is a script.
    "vote": env_limit("vote", 30, 600),
    # Search is a GET but costs a full-text query each time.
    "search": env_limit("search", 60, 60),
    # Every POST of the claim form (answers, uploads), and the final submit.
    "claim-post": env_limit("claim-post", 300, 600),
    "claim-submit": env_limit("claim-submit", 10, 3600),
    # Claim emails one mailbox (customer's or seller's) gets, whoever files the
    # claims (claims/mail.py): counted per recipient, not per client. Over it
    # the email is skipped and the claim still filed, so the public form
    # cannot flood a stranger's inbox.
    "claim-mail": env_limit("claim-mail", 3, 86400),
    # The seller's reply check on their claim page, posted as they type
    # (debounced): a person pauses a few hundred times in ten minutes at most.
    "reply-check": env_limit("reply-check", 600, 600),
}

# Admin login (helpcentre/login_guard.py): failed sign-ins within the window
# after which further attempts are refused until it ends: per client address
# and username (the guessing client), per client address (many usernames), and
# per account from everywhere (the last line, far above a person's typos).
ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT = int(
    os.environ.get("ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT", "5")
)
ADMIN_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("ADMIN_LOGIN_MAX_FAILURES_PER_IP", "20"))
ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT = int(
    os.environ.get("ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT", "100")
)
ADMIN_LOGIN_WINDOW_SECONDS = int(os.environ.get("ADMIN_LOGIN_WINDOW_SECONDS", "900"))

# --- Production safety ------------------------------------------------------------
# Settings that must never serve requests (debug with production markers, a
# missing or weak secret, no SITE_BASE_URL, evidence storage with a public
# address) are Django deployment checks, helpcentre.E001 and on
# (helpcentre/settings_checks.py): `manage.py check --deploy` reports them, and
# gunicorn refuses to start on any (deploy/gunicorn.conf.py). DJANGO_ENV=production
# marks production explicitly; a host in DJANGO_ALLOWED_HOSTS that is not
# loopback marks it too.
