"""Shared fixtures and make_* helpers for every test."""

import io
import itertools
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file (in this session's temporary
    folder), as in production, not Django's default in-memory one.

    Threads (tests/claims/test_claim_concurrency.py) then each open their own
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
def _private_file_roots(settings, tmp_path):
    """Each test writes uploads under its own temporary folders."""
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
    }


# --- The guide ------------------------------------------------------------------


_counter = itertools.count(1)

# The seeded guide article: the claim form links to its sections.
GUIDE_SLUG = "what-to-do-if-a-customer-reports-a-missing-or-damaged-item"
GUIDE_URL = f"/articles/{GUIDE_SLUG}/"


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_caches(prefix: str) -> dict:
    """CACHES for the shared Redis, as settings make them when REDIS_URL is set."""
    return {
        "default": {
            "BACKEND": "helpcentre.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the shared Redis; its keys removed after.

    Never cache.clear() here: on Redis that empties the whole database, which
    other programs on the machine share."""
    import redis

    prefix = f"hc-test-{uuid.uuid4().hex}"
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # fails loudly, not skipped, when Redis is not running
    yield prefix
    keys = list(connection.scan_iter(f"{prefix}:*"))
    if keys:
        connection.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cached category list must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_tally():
    """Readers' counts kept in memory (helpcentre.tallies) belong to one test:
    never flushed into the next test's database, or at exit into no test's."""
    from helpcentre.tallies import tally

    tally.forget()
    yield
    tally.forget()


@pytest.fixture
def make_category(db):
    from helpcentre.models import Category

    def make(**fields):
        n = next(_counter)
        fields.setdefault("name", f"Category {n}")
        fields.setdefault("slug", f"category-{n}")
        fields.setdefault("description", f"What category {n} is about.")
        return Category.objects.create(**fields)

    return make


@pytest.fixture
def make_article(db, make_category):
    from helpcentre.models import Article

    def make(*, published=True, **fields):
        n = next(_counter)
        if "category" not in fields:
            fields["category"] = make_category()
        fields.setdefault("title", f"Article number {n}")
        fields.setdefault("slug", f"article-{n}")
        fields.setdefault("summary", f"Summary of article {n}.")
        fields.setdefault("body", f"Intro {n}.\n\n## First section\n\nSome text.\n")
        if published:
            fields.setdefault("status", Article.Status.PUBLISHED)
            fields.setdefault("published_at", timezone.now() - timezone.timedelta(days=1))
        return Article.objects.create(**fields)

    return make


@pytest.fixture
def make_admin(db, django_user_model):
    def make(username="editor", password="a-long-test-password-123"):  # noqa: S107
        return django_user_model.objects.create_superuser(
            username=username, email=f"{username}@example.com", password=password
        )

    return make


@pytest.fixture
def editor_client(client, make_admin):
    """A test client logged in as a superuser (an editor)."""
    client.force_login(make_admin())
    return client


def make_image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 30)) -> bytes:
    """A real image made in memory with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def image_bytes():
    return make_image_bytes


# --- Evidence photos and S3 (claims/photos.py, claims/storage.py) ------------
# Photos are made in memory with Pillow. make_* return the file's bytes;
# as_upload() wraps bytes as the UploadedFile a form would hand over.


GPS_IFD = 0x8825
EXIF_ORIENTATION = 0x0112


def photo_pixels(width=640, height=480, *, seed=0, mode="RGB"):
    """A picture with structure and some noise, so it compresses like a photo.

    The left half is red-ish and the right half blue-ish, and the top rows are
    brighter than the bottom ones, so a test can tell which way up it is.
    """
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (200, 40, 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 2, 0, width, height), fill=(40, 40, 200))
    draw.rectangle((0, 0, width, height // 5), fill=(240, 240, 240))
    rng = random.Random(seed)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height // 5, height)
        r = rng.randrange(3, max(4, width // 20))
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(rng.randrange(256),) * 3)
    noise = Image.effect_noise((width, height), 12).convert("RGB")
    image = Image.blend(image, noise, 0.08)
    return image.convert(mode) if mode != "RGB" else image


def photo_exif(*, orientation=None, gps=True):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel 12"  # Model
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update(
            {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0), 0: b"\x02\x02\x00\x00"}
        )
    return exif


def make_jpeg(width=640, height=480, *, orientation=None, gps=True, seed=0, mode="RGB", **save):
    """A phone-like JPEG: camera EXIF, a GPS position, optionally an orientation."""
    image = photo_pixels(width, height, seed=seed, mode=mode)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=photo_exif(orientation=orientation, gps=gps), **save)
    return out.getvalue()


def make_png(width=640, height=480, *, mode="RGB", seed=0, **save):
    image = photo_pixels(width, height, seed=seed)
    if mode == "RGBA":
        image.putalpha(0)  # fully transparent: must come out white
    elif mode != "RGB":
        image = image.convert(mode)
    out = io.BytesIO()
    image.save(out, "PNG", **save)
    return out.getvalue()


def make_webp(width=640, height=480, *, seed=0, **save):
    out = io.BytesIO()
    photo_pixels(width, height, seed=seed).save(out, "WEBP", quality=80, **save)
    return out.getvalue()


def make_heic(width=640, height=480, *, orientation=None, gps=True, seed=0, mode="RGB"):
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = photo_pixels(width, height, seed=seed, mode=mode)
    out = io.BytesIO()
    image.save(out, "HEIF", quality=70, exif=photo_exif(orientation=orientation, gps=gps))
    return out.getvalue()


def make_image(fmt, width=640, height=480, **save):
    """Any format Pillow writes (GIF, BMP, TIFF...): for the ones we refuse."""
    out = io.BytesIO()
    photo_pixels(width, height).save(out, fmt, **save)
    return out.getvalue()


def as_upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


S3_BUCKET = "evidence-test"
S3_CREDENTIALS = {"access_key": "testing-access-key", "secret_key": "testing-secret-key"}


@pytest.fixture(scope="session")
def moto_s3():
    """A real S3 endpoint on loopback: moto in server mode, as a subprocess.

    Yields the endpoint URL with the bucket S3_BUCKET created.
    """
    import boto3

    server = Path(sys.executable).parent / "moto_server"
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on {endpoint}") from None
                time.sleep(0.1)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_CREDENTIALS["access_key"],
            aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        )
        client.create_bucket(Bucket=S3_BUCKET)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def s3_evidence(settings, moto_s3):
    """settings.STORAGES["evidence"] pointed at the moto S3 server, private and signed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **S3_CREDENTIALS,
                "bucket_name": S3_BUCKET,
                "endpoint_url": moto_s3,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "location": "evidence",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
                "signature_version": "s3v4",
            },
        },
    }
    return moto_s3


# --- Claim guidance (claims/facts.py, guidance_rules.py, rules.py, selectors.py)


def make_claim_facts(**overrides):
    """A ClaimFacts for a domestic damaged item dispatched by Kingston Express,
    with any field overridden."""
    from claims.choices import FulfillmentMethod, IssueType
    from claims.facts import ClaimFacts

    values = {
        "issue_type": IssueType.DAMAGED_ITEM,
        "fulfillment_method": FulfillmentMethod.KINGSTON_EXPRESS,
        "is_international": False,
    }
    values.update(overrides)
    return ClaimFacts(**values)


def seeded_guidance_rules():
    """The guidance rows the 0002 migration seeds, as the plain rules
    `claims.rules.decide` takes: the pure tests decide over the guide's own
    rows without a database."""
    import importlib

    from claims.choices import (
        EvidenceKind,
        FulfillmentMethod,
        IssueType,
        OutcomeFactor,
        WarningKind,
    )
    from claims.guidance_rules import (
        Conditions,
        EvidenceRequirementRule,
        GuidanceRules,
        OutcomeFactorRule,
        ReplyLineRule,
        ResponseTemplateRule,
        ReviewStepRule,
        WarningRule,
    )

    seed = importlib.import_module("claims.migrations.0002_seed_guidance")
    reply_seed = importlib.import_module("claims.migrations.0007_seed_reply")

    def conditions(method="", issue="", destination="", photos=""):
        return Conditions(
            fulfillment_method=FulfillmentMethod(method) if method else None,
            issue_type=IssueType(issue) if issue else None,
            international=(destination == "international") if destination else None,
            photos_received=(photos == "received") if photos else None,
        )

    return GuidanceRules(
        response_templates=tuple(
            ResponseTemplateRule(title, body, conditions(method), order, anchor)
            for order, (title, body, anchor, method) in enumerate(seed.RESPONSE_TEMPLATES)
        )
        + tuple(
            ResponseTemplateRule(
                title, body, conditions(method, issue, "", photos), order, reply_seed.SELLER_EXAMPLE
            )
            for title, body, method, issue, photos, order in reply_seed.TEMPLATES
        ),
        reply_lines=tuple(
            ReplyLineRule(text, conditions(method, issue, destination, photos), order, anchor)
            for text, method, issue, destination, photos, order, anchor in reply_seed.LINES
        ),
        warnings=tuple(
            WarningRule(WarningKind(kind), text, conditions(method, issue, dest), order, anchor)
            for order, (kind, text, anchor, method, issue, dest) in enumerate(seed.WARNINGS)
        ),
        review_steps=tuple(
            ReviewStepRule(text, conditions(method), order, anchor)
            for order, (text, anchor, method) in enumerate(seed.REVIEW_STEPS)
        ),
        evidence_requirements=tuple(
            EvidenceRequirementRule(
                EvidenceKind(kind),
                need == "required",
                reason,
                label,
                conditions(method, issue),
                order,
                seed.EVIDENCE,
            )
            for order, (kind, need, label, reason, method, issue) in enumerate(
                seed.EVIDENCE_REQUIREMENTS
            )
        ),
        outcome_factors=tuple(
            OutcomeFactorRule(OutcomeFactor(factor), text, conditions(), order, anchor)
            for order, (factor, text, anchor) in enumerate(seed.OUTCOME_FACTORS)
        ),
    )


@pytest.fixture
def seeded_guidance(transactional_db):
    """The guide's guidance rows in the database, for tests on a live server.

    Transactional tests (live_server) empty every table when they end, so the
    rows the 0002 migration seeded are gone for the next one: write them again
    when missing, with the migrations' own functions."""
    import importlib

    from django.apps import apps

    from claims.models import GuidanceWarning, ReplyCheckRule

    if not GuidanceWarning.objects.exists():
        importlib.import_module("claims.migrations.0002_seed_guidance").seed(apps, None)
    if not ReplyCheckRule.objects.exists():
        importlib.import_module("claims.migrations.0007_seed_reply").seed(apps, None)
        # The rules as migrated: 0011 reads them more widely.
        importlib.import_module("claims.migrations.0011_reply_check_reading").forward(apps, None)


@pytest.fixture
def guidance_rules():
    return seeded_guidance_rules()


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


# --- The claim: wizard, claims, customer link (claims/wizard.py, services.py) -


@pytest.fixture(autouse=True)
def _claim_drafts_and_counters(settings, tmp_path):
    """Draft photos under the test's own folder; rate-limit counts start at zero."""
    from django.core.cache import cache

    settings.STORAGES = {
        **settings.STORAGES,
        "claim_drafts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "drafts", "base_url": None},
        },
    }
    cache.clear()
    yield
    cache.clear()


WIZARD_PREFIX_FIELD = "claim_wizard-current_step"


def make_claim_details(**overrides):
    """Order-details answers as the form posts them (without the step prefix)."""
    values = {
        "order_number": "KX-48213579",
        "item": "Ceramic mug, SKU MUG-001",
        "description": "The handle is snapped off.",
        "quantity_affected": "1",
        "customer_name": "Ada Customer",
        "customer_email": "ada@example.com",
        "seller_email": "",
    }
    values.update(overrides)
    return values


def wizard_post(client, step, data=None, files=None, **extra):
    """POST one wizard step with its management form; data without the prefix."""
    payload = {WIZARD_PREFIX_FIELD: step}
    for name, value in (data or {}).items():
        unprefixed = ("action", "remove", "return_to", "earlier_claims_seen")
        payload[name if name in unprefixed else f"{step}-{name}"] = value
    for name, value in (files or {}).items():
        payload[name] = value
    return client.post(f"/claim/{step}/", payload, **extra)


def walk_claim_wizard(
    client,
    *,
    issue_type="damaged_item",
    fulfillment_method="kingston_express",
    destination="domestic",
    details=None,
    photos=(),
    photo_source="attach",
):
    """Answer every step through the test client and send the claim.

    `photos` is a sequence of (kind, upload). Returns the final response.
    """
    from django.test import TestCase

    from claims.choices import IssueType

    client.get("/claim/")
    assert wizard_post(client, "what-happened", {"issue_type": issue_type}).status_code == 302
    assert (
        wizard_post(client, "fulfillment", {"fulfillment_method": fulfillment_method}).status_code
        == 302
    )
    assert wizard_post(client, "destination", {"destination": destination}).status_code == 302
    answers = make_claim_details(**(details or {}))
    if issue_type == IssueType.DAMAGED_ITEM:
        answers.setdefault("severity", "major")
    if fulfillment_method == "seller_managed":
        answers.setdefault("stock_available", "yes")
        answers.setdefault("return_feasible", "yes")
    response = wizard_post(client, "order-details", answers)
    if response.status_code == 200 and "earlier_claims_seen" in response.content.decode():
        # Told of an earlier claim for this order number: a seller filing
        # another problem with the same order goes on.
        answers["earlier_claims_seen"] = answers["order_number"]
        response = wizard_post(client, "order-details", answers)
    assert response.status_code == 302, response.content.decode()[:3000]
    for kind, upload in photos:
        response = wizard_post(client, "photos", {"action": "upload"}, {f"photos-{kind}": upload})
        assert response.status_code == 302, response.content.decode()[:3000]
    response = wizard_post(client, "photos", {"photo_source": photo_source})
    assert response.status_code == 302, response.content.decode()[:3000]
    check = client.get("/claim/check/")
    key = check.context["form"].initial["submission_key"]
    # Run the after-commit work (emails, draft clean-up) as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return wizard_post(client, "check", {"submission_key": key})


def make_claim(**overrides):
    """A submitted claim through the service (no photos unless given as drafts)."""
    import uuid

    from django.test import TestCase

    from claims.services import ClaimAnswers, claim_submit

    photos = overrides.pop("photos", ())
    customer_sends_photos = overrides.pop("customer_sends_photos", False)
    values = {
        "issue_type": "damaged_item",
        "fulfillment_method": "kingston_express",
        "destination": "domestic",
        "order_number": "KX-48213579",
        "item": "Ceramic mug",
        "description": "The handle is snapped off.",
        "quantity_affected": 1,
        "customer_name": "Ada Customer",
        "customer_email": "ada@example.com",
        "severity": "major",
    }
    values.update(overrides)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return claim_submit(
            submission_key=uuid.uuid4(),
            answers=ClaimAnswers(**values),
            photos=photos,
            customer_sends_photos=customer_sends_photos,
        )


def make_draft_photo(kind="item", *, seed=0, draft_key="testdraft"):
    """A processed photo stored as a wizard draft."""
    from claims.drafts import draft_save
    from claims.photos import process_photo

    processed = process_photo(as_upload(make_jpeg(seed=seed), f"photo-{seed}.jpg"))
    return draft_save(draft_key=draft_key, kind=kind, processed=processed)


# --- Hostile input (tests/hostile/) ------------------------------------------
# Each hostile request must be answered with a clear message, a 4xx (never a
# 5xx) and nothing stored: `nothing_stored` compares row counts and every file
# under the test's folders before and after.


def _stored_state(root: Path) -> tuple[dict, list]:
    from django.contrib.auth import get_user_model

    from claims.models import Claim, CustomerNote, EvidencePhoto
    from helpcentre.models import Article, ArticleImage, Comment, Vote

    models = (Claim, EvidencePhoto, CustomerNote, Comment, Vote, Article, ArticleImage)
    counts = {m.__name__: m.objects.count() for m in (*models, get_user_model())}
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return counts, files


@pytest.fixture
def nothing_stored(db, tmp_path):
    """`with nothing_stored(): ...` fails if the block added rows or files."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = _stored_state(tmp_path)
        yield
        assert _stored_state(tmp_path) == before

    return check


def assert_refused(response, status: int, *texts: str):
    """A hostile request answered as it should be: this 4xx and the human text."""
    assert 400 <= status < 500
    assert response.status_code == status, response.content.decode(errors="replace")[:2000]
    body = response.content.decode()
    for text in texts:
        assert text in body, f"{text!r} not in the page"


def unsafe_markup(html: str) -> list[str]:
    """What in a page could run script or inject style under our CSP rules:
    inline scripts, event handlers, style attributes and elements, script
    URLs, frames and plugins."""
    from html.parser import HTMLParser

    problems: list[str] = []

    class Inspector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "script" and not attrs.get("src"):
                problems.append("inline <script>")
            if tag in ("style", "iframe", "object", "embed", "frame", "base"):
                problems.append(f"<{tag}>")
            for name, value in attrs.items():
                if name.startswith("on"):
                    problems.append(f"{name}= on <{tag}>")
                if name == "style":
                    problems.append(f"style= on <{tag}>")
                squashed = "".join((value or "").split()).lower()
                if name in ("href", "src", "action", "formaction") and squashed.startswith(
                    ("javascript:", "vbscript:", "data:text")
                ):
                    problems.append(f"{name}={value!r} on <{tag}>")

    Inspector(convert_charrefs=True).feed(html)
    return problems


# --- The review: reviewers, groups, claims in a given state (claims/review.py) -----


REVIEWER_PASSWORD = "a-long-reviewer-password-123"  # noqa: S105


def ensure_staff_groups():
    """The "Editors" and "Claim reviewers" groups as their migration makes them.

    Live-server tests empty every table when they end, groups included; this puts
    them back with the migration's own function."""
    import importlib

    from django.apps import apps

    importlib.import_module("claims.migrations.0005_review_groups").sync_groups(apps)


@pytest.fixture
def make_staff(db, django_user_model):
    """A staff user, optionally in one of the staff groups ("Editors", "Claim reviewers")."""
    from django.contrib.auth.models import Group

    def make(username=None, *, group=None, password=REVIEWER_PASSWORD):
        username = username or f"staff{next(_counter)}"
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@example.com", password=password, is_staff=True
        )
        if group:
            if not Group.objects.filter(name=group).exists():
                ensure_staff_groups()
            user.groups.add(Group.objects.get(name=group))
        return django_user_model.objects.get(pk=user.pk)  # fresh permission cache

    return make


@pytest.fixture
def reviewer(make_staff):
    return make_staff("reviewer", group="Claim reviewers")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def put_claim_in_state(claim, *, status, checklist_done=(), inspection_result="", outcome=""):
    """Set a claim's review fields directly (tests only: the service is the real way)."""
    from claims.models import Claim

    Claim.objects.filter(pk=claim.pk).update(
        status=status,
        checklist_done=list(checklist_done),
        inspection_result=inspection_result,
        outcome=outcome,
        decided_at=None,
    )
    claim.refresh_from_db()
    return claim


def review_steps(claim, user, *steps):
    """Apply (action, params) steps through the service; returns the claim."""
    from claims.review import claim_apply_action

    for action, params in steps:
        claim_apply_action(claim=claim, action=action, user=user, **params)
    return claim


# --- Benchmarks (bench/, make_bench_articles, page query budgets) ---------------


@pytest.fixture
def make_articles(make_article):
    """`make_articles(n, category=...)`: n published articles through make_article."""

    def make(n, **fields):
        return [make_article(**fields) for _ in range(n)]

    return make


# --- Browsers (tests/e2e, and the reliability suite through nginx) ------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from bench.harness import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need {CHROMIUM} (Debian package 'chromium'); `make test` installs it."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
