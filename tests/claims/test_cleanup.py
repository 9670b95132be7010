"""cleanup_evidence: orphaned files go, rows missing their files are reported."""

import errno
import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command

from claims.cleanup import cleanup_evidence
from claims.drafts import draft_storage
from claims.storage import evidence_storage, save_whole
from claims.wizard import WIZARD_PREFIX
from tests.factories import make_claim, make_draft_photo

pytestmark = pytest.mark.django_db


def age(storage, name, hours=2):
    """Make a file look older than the grace period."""
    path = storage.path(name)
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_a_claim_with_its_photos_is_clean():
    make_claim(photos=[make_draft_photo("item", seed=1), make_draft_photo("package", seed=2)])

    report = cleanup_evidence(grace=timedelta(0))

    assert report.clean
    assert report.removed == 0


def test_an_old_evidence_file_without_a_row_is_removed():
    make_claim(photos=[make_draft_photo("item", seed=1)])
    storage = evidence_storage()
    orphan = storage.save("claims/GONE-REF/abc.jpg", ContentFile(b"jpeg"))
    age(storage, orphan)

    report = cleanup_evidence()

    assert report.orphaned_evidence == [orphan]
    assert report.removed == 1
    assert not storage.exists(orphan)
    assert cleanup_evidence(grace=timedelta(0)).clean


def test_a_young_orphan_is_left_for_the_request_that_may_still_be_saving_it():
    storage = evidence_storage()
    name = storage.save("claims/IN-FLIGHT/abc.jpg", ContentFile(b"jpeg"))

    report = cleanup_evidence(grace=timedelta(hours=1))

    assert report.clean
    assert storage.exists(name)


def test_dry_run_lists_but_keeps_the_files():
    storage = evidence_storage()
    name = storage.save("claims/GONE-REF/abc.jpg", ContentFile(b"jpeg"))
    age(storage, name)

    report = cleanup_evidence(dry_run=True)

    assert report.orphaned_evidence == [name]
    assert report.removed == 0
    assert storage.exists(name)


def test_a_photo_row_whose_file_is_gone_is_reported_and_kept():
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()
    evidence_storage().delete(photo.thumbnail_name)

    report = cleanup_evidence(grace=timedelta(0))

    assert [(m.claim_reference, m.photo_id, m.name) for m in report.missing] == [
        (submitted.claim.reference, str(photo.public_id), photo.thumbnail_name)
    ]
    assert submitted.claim.photos.count() == 1


def test_drafts_of_an_open_form_are_kept_and_abandoned_ones_go():
    kept = make_draft_photo("item", seed=1, draft_key="openform")
    abandoned = make_draft_photo("item", seed=2, draft_key="oldform")
    session = SessionStore()
    session[f"wizard_{WIZARD_PREFIX}"] = {"extra_data": {"photos": [kept.to_dict()]}}
    session.save()
    storage = draft_storage()
    for name in (
        kept.image_name,
        kept.thumbnail_name,
        abandoned.image_name,
        abandoned.thumbnail_name,
    ):
        age(storage, name)

    report = cleanup_evidence()

    assert sorted(report.orphaned_drafts) == sorted(
        [abandoned.image_name, abandoned.thumbnail_name]
    )
    assert storage.exists(kept.image_name)
    assert not storage.exists(abandoned.image_name)


def test_the_command_prints_what_it_found_and_a_summary():
    storage = evidence_storage()
    name = storage.save("claims/GONE-REF/abc.jpg", ContentFile(b"jpeg"))
    age(storage, name)
    out = StringIO()

    call_command("cleanup_evidence", "--dry-run", stdout=out)

    assert f"Orphaned evidence file (would remove): {name}" in out.getvalue()
    assert "Orphaned files: 1 (0 removed). Photos with missing files: 0." in out.getvalue()
    assert storage.exists(name)


class DiskFillsUp(FileSystemStorage):
    """Writes half of each file, then fails as a full disk does."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(content.read()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_write_that_fails_half_way_leaves_no_partial_file(tmp_path):
    storage = DiskFillsUp(location=tmp_path)

    with pytest.raises(OSError):
        save_whole(storage, "claims/REF/abc.jpg", b"x" * 100)

    assert not (tmp_path / "claims" / "REF" / "abc.jpg").exists()
