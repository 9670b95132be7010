"""make_* helpers: the objects tests start from, made in memory or in the test database.

Plain functions, importable from any test. The fixtures of the same names in
tests/conftest.py hand them to tests that ask for the database through them.
Photos are made in memory with Pillow; make_* photo helpers return the file's
bytes and as_upload() wraps them as the UploadedFile a form would hand over.
"""

import importlib
import io
import itertools
import random
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

_counter = itertools.count(1)

# The seeded guide article: the claim form links to its sections.
GUIDE_SLUG = "what-to-do-if-a-customer-reports-a-missing-or-damaged-item"
GUIDE_URL = f"/articles/{GUIDE_SLUG}/"

REVIEWER_PASSWORD = "a-long-reviewer-password-123"  # noqa: S105


# --- The guide: categories, articles, editors ------------------------------------


def make_category(**fields):
    from helpcentre.models import Category

    n = next(_counter)
    fields.setdefault("name", f"Category {n}")
    fields.setdefault("slug", f"category-{n}")
    fields.setdefault("description", f"What category {n} is about.")
    return Category.objects.create(**fields)


def make_article(*, published=True, **fields):
    from helpcentre.models import Article

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


def make_articles(n, **fields):
    """n published articles through make_article."""
    return [make_article(**fields) for _ in range(n)]


def make_admin(username="editor", password="a-long-test-password-123"):  # noqa: S107
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username=username, email=f"{username}@example.com", password=password
    )


def ensure_staff_groups():
    """The "Editors" and "Claim reviewers" groups as their migration makes them.

    Live-server tests empty every table when they end, groups included; this puts
    them back with the migration's own function."""
    from django.apps import apps

    importlib.import_module("claims.migrations.0005_review_groups").sync_groups(apps)


def make_staff(username=None, *, group=None, password=REVIEWER_PASSWORD):
    """A staff user, optionally in one of the staff groups ("Editors", "Claim reviewers")."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    username = username or f"staff{next(_counter)}"
    user = user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password=password, is_staff=True
    )
    if group:
        if not Group.objects.filter(name=group).exists():
            ensure_staff_groups()
        user.groups.add(Group.objects.get(name=group))
    return user_model.objects.get(pk=user.pk)  # fresh permission cache


# --- Images and evidence photos (claims/photos.py) ----------------------------------


def make_image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 30)) -> bytes:
    """A real image made in memory with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


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


# --- Claim guidance (claims/facts.py, guidance_rules.py, rules.py, selectors.py) -----


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


def seed_guidance():
    """Write the guide's guidance rows again when missing, with the migrations' own
    functions: transactional tests (live_server) empty every table when they end."""
    from django.apps import apps

    from claims.models import GuidanceWarning, ReplyCheckRule

    if not GuidanceWarning.objects.exists():
        importlib.import_module("claims.migrations.0002_seed_guidance").seed(apps, None)
    if not ReplyCheckRule.objects.exists():
        importlib.import_module("claims.migrations.0007_seed_reply").seed(apps, None)
        # The rules as migrated: 0011 reads them more widely.
        importlib.import_module("claims.migrations.0011_reply_check_reading").forward(apps, None)


# --- Claims (claims/services.py, claims/review.py) -----------------------------------


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


def make_claim(**overrides):
    """A submitted claim through the service (no photos unless given as drafts)."""
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
