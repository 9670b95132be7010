"""Shared fixtures and make_* helpers for every test."""

import pytest


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

import io  # noqa: E402
import itertools  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.utils import timezone  # noqa: E402

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cached category list must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


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
