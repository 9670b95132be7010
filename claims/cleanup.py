"""Find files no row points at, and rows whose files are gone.

A crash between writing a photo and committing its row (a worker killed, the
database gone mid-request) can leave a file behind; a storage that lost data
can leave a row without its file. `cleanup_evidence()` walks the evidence and
draft storages once and compares them with the EvidencePhoto rows and the
wizard drafts of live sessions:

- an evidence or draft file older than the grace period that nothing refers to
  is an orphan, and is removed (unless dry_run);
- a photo row whose image or thumbnail is not in the storage is reported.
  Never deleted: staff decide what to do about lost evidence.

The grace period protects files written by a request still in flight (saved,
row not yet committed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.core.files.storage import Storage
from django.utils import timezone

from claims.drafts import WIZARD_SESSION_KEY, draft_storage
from claims.models import EvidencePhoto, PendingFileDeletion
from claims.storage import evidence_storage

logger = logging.getLogger(__name__)

# Evidence photos are stored under this folder (claims.storage.evidence_name).
EVIDENCE_FOLDER = "claims"
DEFAULT_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class MissingFile:
    claim_reference: str
    photo_id: str
    name: str


@dataclass
class CleanupReport:
    dry_run: bool
    orphaned_evidence: list[str] = field(default_factory=list)
    orphaned_drafts: list[str] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)
    removed: int = 0

    @property
    def orphans(self) -> int:
        return len(self.orphaned_evidence) + len(self.orphaned_drafts)

    @property
    def clean(self) -> bool:
        return not self.orphans and not self.missing


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name under `folder`, recursively (local folder or S3 prefix)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    for name in files:
        yield prefix + name
    for sub in folders:
        yield from walk(storage, prefix + sub)


def _older_than(storage: Storage, name: str, cutoff: datetime) -> bool:
    try:
        return storage.get_modified_time(name) < cutoff
    except FileNotFoundError:
        return False


def draft_names_in_live_sessions() -> set[str]:
    """Draft files the unfinished claim forms of unexpired sessions still show."""
    names: set[str] = set()
    key = WIZARD_SESSION_KEY
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded().get(key) or {}
        for photo in (data.get("extra_data") or {}).get("photos", []):
            names.update(
                name for name in (photo.get("image_name"), photo.get("thumbnail_name")) if name
            )
    return names


def cleanup_evidence(*, grace: timedelta = DEFAULT_GRACE, dry_run: bool = False) -> CleanupReport:
    """Remove orphaned evidence and draft files; report photo rows missing their files."""
    report = CleanupReport(dry_run=dry_run)
    cutoff = timezone.now() - grace

    evidence = evidence_storage()
    stored = set(walk(evidence, EVIDENCE_FOLDER))
    referenced: dict[str, tuple[str, str]] = {}
    rows = EvidencePhoto.objects.values_list(
        "claim__reference", "public_id", "image_name", "thumbnail_name"
    )
    for reference, public_id, image_name, thumbnail_name in rows.iterator():
        for name in (image_name, thumbnail_name):
            referenced[name] = (reference, str(public_id))
    # Files an erasure is deleting (claims/erasure.py) are its to finish, not orphans.
    erasing = set(PendingFileDeletion.objects.values_list("name", flat=True))
    for name in sorted(stored - referenced.keys() - erasing):
        if _older_than(evidence, name, cutoff):
            report.orphaned_evidence.append(name)
    for name in sorted(referenced.keys() - stored):
        reference, public_id = referenced[name]
        report.missing.append(MissingFile(reference, public_id, name))

    drafts = draft_storage()
    live = draft_names_in_live_sessions()
    for name in sorted(set(walk(drafts)) - live):
        if _older_than(drafts, name, cutoff):
            report.orphaned_drafts.append(name)

    if not dry_run:
        for storage, names in (
            (evidence, report.orphaned_evidence),
            (drafts, report.orphaned_drafts),
        ):
            for name in names:
                # A row may have been committed since the walk: check once more.
                if storage is evidence and _has_row(name):
                    continue
                storage.delete(name)
                report.removed += 1
    return report


def _has_row(name: str) -> bool:
    from django.db.models import Q

    return EvidencePhoto.objects.filter(Q(image_name=name) | Q(thumbnail_name=name)).exists()
