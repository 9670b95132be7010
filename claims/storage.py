"""Where evidence photos are kept: private, under names nobody can guess.

The "evidence" entry of settings.STORAGES decides the place: a local folder
with no public URL by default, or a private S3 bucket (django-storages) in
production. Locally a photo is only ever served by a view that checks the
right to see it; on S3 the same view hands out a signed URL that expires
within minutes.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

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


def save_evidence(name: str, data: bytes) -> str:
    """Store `data` under `name`; returns the name actually stored."""
    return evidence_storage().save(name, ContentFile(data))


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
