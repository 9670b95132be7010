"""The erasure killed midway, then run again: nothing half-done, no file without a
row, no row pointing at a missing file. Local storage and S3 (moto's real server).

The command runs as a real process (`manage.py erase_personal_data`) on the test
database; ERASURE_PAUSE_AFTER_FILES makes it stop after a known number of files
so the test kills it (SIGKILL: no clean-up of any kind) at a known point.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.cleanup import cleanup_evidence, walk
from claims.models import Claim, EvidencePhoto, PendingFileDeletion
from claims.retention import ERASED_MARK
from claims.storage import evidence_storage
from tests.claims.test_erasure import claim_with_photos, settle
from tests.servers import S3_BUCKET, S3_CREDENTIALS

ROOT = Path(__file__).resolve().parents[2]
# serialized_rollback: a transactional test empties every table when it ends;
# the tests after it that expect the migrations' rows (content types, groups,
# the seeded guide) would otherwise fail on duplicate keys or missing rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def run_command(tmp_path, *, pause_after=0, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "DATABASE"))}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=database_url(),
        EVIDENCE_ROOT=str(tmp_path / "evidence"),
        CLAIM_DRAFT_ROOT=str(tmp_path / "drafts"),
        ERASURE_PAUSE_AFTER_FILES=str(pause_after),
        **(extra_env or {}),
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "erase_personal_data"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when_paused(process, files):
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if f"paused after {files} files" in line or (not line and process.poll() is not None):
            break
    assert f"paused after {files} files" in line, process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def stored_names() -> set[str]:
    """The files in the folders of this test's claims. The S3 server and its bucket
    are shared by the session, and other tests' claims (their rows rolled back)
    may have left files in folders of their own."""
    storage = evidence_storage()
    return {
        name
        for reference in Claim.objects.values_list("reference", flat=True)
        for name in walk(storage, f"claims/{reference}")
    }


def assert_consistent():
    """No file without a row (a photo's or the journal's), no photo row without its files,
    every claim either untouched or erased in full."""
    stored = stored_names()
    photo_files = {
        name
        for pair in EvidencePhoto.objects.values_list("image_name", "thumbnail_name")
        for name in pair
    }
    journal = set(PendingFileDeletion.objects.values_list("name", flat=True))
    assert stored <= photo_files | journal, stored - photo_files - journal
    assert photo_files <= stored, photo_files - stored
    for claim in Claim.objects.all():
        fields = {claim.customer_name, claim.customer_email, claim.order_number, claim.item}
        if claim.personal_data_erased_at:
            assert fields == {ERASED_MARK}
            assert not claim.photos.exists()
        else:
            assert ERASED_MARK not in fields
            assert claim.photos.count() == 3


def interrupted_then_finished(tmp_path, extra_env=None):
    due = [settle(claim_with_photos(), days_ago=600 + i) for i in range(3)]
    kept = settle(claim_with_photos(), days_ago=10)

    # 6 files a claim (3 display copies, 3 thumbnails): 8 stops inside the second.
    kill_when_paused(run_command(tmp_path, pause_after=8, extra_env=extra_env), files=8)

    assert_consistent()
    states = [Claim.objects.get(pk=c.pk).personal_data_erased_at is not None for c in due]
    assert states == [True, True, False]
    # The second claim's rows are scrubbed; its 6 files are in the journal, 2 of them
    # already gone (journal rows go after their files, a batch at a time).
    assert PendingFileDeletion.objects.filter(claim_reference=due[1].reference).count() == 6
    assert len(list(walk(evidence_storage(), f"claims/{due[1].reference}"))) == 4
    assert not PendingFileDeletion.objects.filter(claim_reference=due[0].reference).exists()

    finished = run_command(tmp_path, extra_env=extra_env)
    out, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err
    assert "6 files finished from an interrupted run" in out
    assert "Claims erased: 1 (3 photos, 6 files;" in out

    assert_consistent()
    assert not PendingFileDeletion.objects.exists()
    assert all(Claim.objects.get(pk=c.pk).personal_data_erased_at for c in due)
    assert not any(list(walk(evidence_storage(), f"claims/{c.reference}")) for c in due)
    assert len(list(walk(evidence_storage(), f"claims/{kept.reference}"))) == 6
    assert Claim.objects.get(pk=kept.pk).personal_data_erased_at is None

    # And once more: nothing left to do.
    again = run_command(tmp_path, extra_env=extra_env)
    out, _err = again.communicate(timeout=120)
    assert "Claims erased: 0 (0 photos, 0 files; 0 files finished" in out


def test_a_run_killed_midway_is_finished_by_the_next_on_local_storage(tmp_path):
    interrupted_then_finished(tmp_path)

    assert cleanup_evidence(dry_run=True, grace=__import__("datetime").timedelta(0)).clean


def test_a_run_killed_midway_is_finished_by_the_next_on_s3(tmp_path, s3_evidence):
    import boto3

    interrupted_then_finished(
        tmp_path,
        extra_env={
            "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_evidence,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": S3_CREDENTIALS["access_key"],
            "AWS_SECRET_ACCESS_KEY": S3_CREDENTIALS["secret_key"],
        },
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_evidence,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
    )
    keys = [
        item["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=S3_BUCKET)
        for item in page.get("Contents", [])
    ]
    erased = set(
        Claim.objects.filter(personal_data_erased_at__isnull=False).values_list(
            "reference", flat=True
        )
    )
    assert len(erased) == 3
    assert not [key for key in keys if key.split("/")[2:3] and key.split("/")[2] in erased]
    # Orphans only of this test's claims: the bucket is shared by the session.
    ours = set(Claim.objects.values_list("reference", flat=True))
    report = cleanup_evidence(dry_run=True, grace=__import__("datetime").timedelta(0))
    assert not [name for name in report.orphaned_evidence if name.split("/")[1] in ours]
    assert not report.missing


def test_the_command_in_process_erases_on_s3(s3_evidence):
    claim = settle(claim_with_photos(), days_ago=600)
    names = set(walk(evidence_storage(), f"claims/{claim.reference}"))
    assert len(names) == 6

    call_command("erase_personal_data", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not any(evidence_storage().exists(name) for name in names)
    assert not set(walk(evidence_storage(), f"claims/{claim.reference}"))
