"""Where evidence photos are kept: private, under names nobody can guess.

The "evidence" entry of settings.STORAGES decides the place: a local folder
with no public URL by default, or a private S3 bucket (django-storages) in
production. Locally a photo is only ever served by a view that checks the
right to see it; on S3 the same view hands out a signed URL that expires
within minutes.
"""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)


class ClaimNotSaved(Exception):
    """Storage or database failed; nothing was kept. `message` is for people.

    Here, below both the seller's submit and the customer's evidence, because
    either write can fail this way and the pages catch the one class."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Claim keys and suffixes become parts of a storage path: only characters that
# cannot climb out of the claim's folder or mean anything to a file system.
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_SAFE_SUFFIX = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


def evidence_storage() -> Storage:
    """The storage for evidence photos (settings.STORAGES["evidence"])."""
    return storages["evidence"]


def evidence_name(claim_key: str, suffix: str) -> str:
    """A new, unguessable name such as "claims/<claim_key>/<uuid4 hex>.jpg".

    `suffix` is added after the random part: ".jpg", or "-thumb.jpg" for a
    thumbnail ("jpg" alone gets its dot). The customer's file name is never
    part of it.
    """
    if not _SAFE_KEY.fullmatch(claim_key):
        raise ValueError(f"Unsafe claim key for a storage name: {claim_key!r}")
    if not _SAFE_SUFFIX.fullmatch(suffix) or ".." in suffix:
        raise ValueError(f"Unsafe suffix for a storage name: {suffix!r}")
    if suffix[0] not in ".-_":
        suffix = "." + suffix
    return f"claims/{claim_key}/{uuid.uuid4().hex}{suffix}"


def save_whole(storage: Storage, name: str, data: bytes) -> str:
    """Store `data` under `name`, or leave nothing there.

    A local disk that fills up mid-write leaves a truncated file behind (the
    file system storage does not remove it); that would be an orphan no row
    names. Names here are random, so one that exists after a failure is ours.
    """
    try:
        return storage.save(name, ContentFile(data))
    except Exception:
        try:
            if storage.exists(name):
                storage.delete(name)
        except Exception:  # the first failure is the one to report
            logger.warning("Could not remove the partial file %s", name, exc_info=True)
        raise


def save_evidence(name: str, data: bytes) -> str:
    """Store `data` under `name`; returns the name actually stored."""
    return save_whole(evidence_storage(), name, data)


def delete_evidence(name: str) -> None:
    """Remove a stored photo (used to leave no orphan when a claim fails)."""
    evidence_storage().delete(name)


def _is_s3(storage: Storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a requirement
        return False
    return isinstance(storage, S3Storage)


def evidence_url(name: str) -> str | None:
    """A signed URL that expires soon (S3), or None for local storage.

    None means: serve the file through the permission-checking view. An S3
    storage that does not sign its URLs is a configuration error, never a
    reason to hand out a public link.
    """
    storage = evidence_storage()
    if not _is_s3(storage):
        return None
    if not storage.querystring_auth:
        raise ImproperlyConfigured(
            "The evidence storage must sign its URLs: set querystring_auth=True."
        )
    return storage.url(name, expire=settings.CLAIM_EVIDENCE_URL_SECONDS)


def store_evidence_photo(*, claim_key: str, display: bytes, thumbnail: bytes, saved: list[str]):
    """Store a photo and its thumbnail; each name goes into `saved` as soon as it
    exists, so the caller can remove them if its transaction fails later."""
    image_name = save_evidence(evidence_name(claim_key, ".jpg"), display)
    saved.append(image_name)
    thumbnail_name = save_evidence(evidence_name(claim_key, "-thumb.jpg"), thumbnail)
    saved.append(thumbnail_name)
    return image_name, thumbnail_name


def delete_evidence_quietly(names) -> None:
    """Remove files a failed write left behind, logging (not raising) what resists."""
    storage = evidence_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a cleanup must not hide the first failure
            logger.exception("Could not delete evidence file %s", name)
