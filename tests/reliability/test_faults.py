"""Break things during a claim on purpose: every fault gets a clear page, and a retry works.

After each fault the claim is either whole or absent, never half-stored, and
cleanup_evidence finds no orphaned file and no missing one.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.reliability import stack
from tests.reliability.client import (
    STEP_FIELD,
    ClaimClient,
    expect_redirect,
    photo_set,
    slow_post,
)

TRY_AGAIN = "Please try again in a minute"


def claim_photos(env, order_number):
    """(number of claims, photos of each, files missing) for an order number."""
    return stack.django_json(
        env,
        f"""
        from claims.models import Claim
        from claims.storage import evidence_storage
        storage = evidence_storage()
        claims = Claim.objects.filter(order_number={order_number!r})
        result = {{
            "claims": claims.count(),
            "photos": [c.photos.count() for c in claims],
            "missing": [n for c in claims for p in c.photos.all()
                        for n in (p.image_name, p.thumbnail_name) if not storage.exists(n)],
        }}
        """,
    )


def finish(client, key=None):
    """Choose "I'm adding the photos" and send; returns what was sent."""
    if key is None:
        expect_redirect(client.choose_source())
        key = client.submission_key()
    response = client.send(key)
    assert response.status_code == 302, response.text[:2000]
    return client.result(response)


def assert_clean(env):
    report = stack.cleanup_report(env)
    assert (report["orphans"], report["missing"]) == (0, 0), report["output"]


def noise_jpeg(width, height, seed):
    """A JPEG that does not compress: bigger than the in-memory upload limit."""
    import io
    import random

    data = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), data).save(out, "JPEG", quality=92)
    return out.getvalue()


# --- The database stops -----------------------------------------------------------


@pytest.fixture
def private_postgres():
    # Not under pytest's tmp_path: that is private to root, and the cluster
    # runs as the "postgres" user.
    folder = Path(tempfile.mkdtemp(prefix="hc_ops_pg_"))
    cluster = stack.PrivatePostgres(folder)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_database_stopping_mid_request_gives_a_retry_page_and_the_retry_works(
    servers, private_postgres, tmp_path
):
    env = stack.base_env(
        DATABASE_URL=private_postgres.url,
        EVIDENCE_ROOT=str(tmp_path / "evidence"),
        CLAIM_DRAFT_ROOT=str(tmp_path / "drafts"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    stack.manage(env, "migrate", "--noinput")
    app = servers.app(env, workers=1)
    client = ClaimClient(app.url)
    client.start(order_number="DBSTOP-000001")
    expect_redirect(client.upload(photo_set(1)))
    expect_redirect(client.choose_source())
    key = client.submission_key()

    # The database stops while the "send" request's body is still arriving.
    status, raw = slow_post(
        f"{app.url}/claim/check/",
        cookies=client.http.cookies.get_dict(),
        fields={
            STEP_FIELD: "check",
            "check-submission_key": key,
            "csrfmiddlewaretoken": client._csrf(),
        },
        files=[],
        pause=private_postgres.stop,
    )
    assert status == 503
    assert TRY_AGAIN.encode() in raw
    assert b"Retry-After: 30" in raw
    # Any page while it is down: the same clear answer.
    home = client.get("/")
    assert home.status_code == 503 and TRY_AGAIN in home.text

    private_postgres.start()
    assert claim_photos(env, "DBSTOP-000001")["claims"] == 0
    sent = finish(client, key)  # same session: the answers survived

    assert sent.reference
    assert claim_photos(env, "DBSTOP-000001") == {"claims": 1, "photos": [2], "missing": []}
    assert_clean(env)


# --- The S3 server stops ----------------------------------------------------------


@pytest.fixture
def own_s3():
    server = stack.Moto()
    server.start()
    yield server
    server.stop()


def test_s3_down_during_a_photo_upload_gives_a_retry_page_and_nothing_half_stored(
    servers, stack_env, own_s3, own_database
):
    env = {**stack_env, **own_s3.env(), "DATABASE_URL": own_database}
    app = servers.app(env, workers=1)
    client = ClaimClient(app.url)
    client.start(order_number="S3DOWN-000001")

    own_s3.kill()
    response = client.upload(photo_set(2))
    assert response.status_code == 503
    assert TRY_AGAIN in response.text

    own_s3.start()  # same port, empty bucket: a storage that came back
    expect_redirect(client.upload(photo_set(2)))
    sent = finish(client)

    assert sent.reference
    assert claim_photos(env, "S3DOWN-000001") == {"claims": 1, "photos": [2], "missing": []}
    assert own_s3.keys("claim-drafts/") == []
    assert_clean(env)


def test_s3_stalling_while_the_claim_is_sent_keeps_answers_and_photos_for_a_retry(
    servers, stack_env, own_s3, own_database
):
    env = {**stack_env, **own_s3.env(), "DATABASE_URL": own_database}
    app = servers.app(env, workers=1)
    client = ClaimClient(app.url)
    client.start(order_number="S3STALL-000001")
    expect_redirect(client.upload(photo_set(3)))
    expect_redirect(client.choose_source())
    key = client.submission_key()

    own_s3.pause()
    try:
        started = time.monotonic()
        response = client.send(key)
        waited = time.monotonic() - started
    finally:
        own_s3.resume()
    assert response.status_code == 503
    assert "Your claim could not be saved just now" in response.text
    assert waited < 20  # the S3 timeouts, not a stuck worker
    assert claim_photos(env, "S3STALL-000001")["claims"] == 0

    sent = finish(client, key)

    assert sent.reference
    assert claim_photos(env, "S3STALL-000001") == {"claims": 1, "photos": [2], "missing": []}
    assert_clean(env)


# --- A full disk ------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (as root), for upload spooling and local evidence and drafts."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder):
    """Write until the disk is full; returns the filler file."""
    path = folder / "filler"
    with open(path, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return path


def test_a_full_disk_for_uploads_gives_a_retry_page_and_leaves_no_partial_files(
    servers, own_database, small_disk, tmp_path
):
    for name in ("tmp", "evidence", "drafts"):
        (small_disk / name).mkdir()
    env = stack.base_env(
        DATABASE_URL=own_database,
        FILE_UPLOAD_TEMP_DIR=str(small_disk / "tmp"),
        EVIDENCE_ROOT=str(small_disk / "evidence"),
        CLAIM_DRAFT_ROOT=str(small_disk / "drafts"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    app = servers.app(env, workers=1)
    client = ClaimClient(app.url)
    client.start(order_number="DISKFULL-000001")
    filler = fill(small_disk)

    # Spooled to FILE_UPLOAD_TEMP_DIR (over the in-memory limit): no room.
    big = noise_jpeg(1200, 900, seed=4)
    assert len(big) > 512 * 1024
    response = client.upload([("package", big)])
    assert response.status_code == 503, response.text[:500]
    assert TRY_AGAIN in response.text
    # Small enough for memory, but the draft copy cannot be written.
    response = client.upload(photo_set(4)[:1])
    assert response.status_code == 503
    assert TRY_AGAIN in response.text
    assert list((small_disk / "tmp").iterdir()) == []
    assert [p for p in (small_disk / "drafts").rglob("*") if p.is_file()] == []

    filler.unlink()
    expect_redirect(client.upload(photo_set(4)))
    sent = finish(client)

    assert sent.reference
    assert claim_photos(env, "DISKFULL-000001") == {"claims": 1, "photos": [2], "missing": []}
    assert_clean(env)


# --- A worker killed --------------------------------------------------------------


def test_a_worker_killed_during_a_slow_upload_loses_nothing_and_the_retry_works(servers, stack_env):
    app = servers.app(stack_env, workers=1)
    client = ClaimClient(app.url)
    client.start(order_number="KILLED-000001")
    photos = [("package", noise_jpeg(1200, 900, seed=5)), ("item", noise_jpeg(1200, 900, seed=6))]
    worker = app.worker_pids()[0]

    status, _raw = slow_post(
        f"{app.url}/claim/photos/",
        cookies=client.http.cookies.get_dict(),
        fields={STEP_FIELD: "photos", "action": "upload", "csrfmiddlewaretoken": client._csrf()},
        files=[(f"photos-{kind}", (f"{kind}.jpg", data, "image/jpeg")) for kind, data in photos],
        pause=lambda: os.kill(worker, signal.SIGKILL),
    )
    assert status is None  # the connection dropped: the browser offers to resend
    stack.wait_until(
        lambda: app.worker_pids_ready() and worker not in app.worker_pids(), what="new worker"
    )

    expect_redirect(client.upload(photos))
    sent = finish(client)

    assert sent.reference
    assert claim_photos(stack_env, "KILLED-000001") == {"claims": 1, "photos": [2], "missing": []}
    assert_clean(stack_env)


def test_a_worker_killed_while_sending_the_claim_shows_nginx_retry_page_and_no_half_claim(
    servers, stack_env, own_s3, own_database
):
    env = {**stack_env, **own_s3.env(), "DATABASE_URL": own_database}
    app = servers.app(env, workers=1)
    proxy = servers.nginx([f"127.0.0.1:{app.port}"])
    client = ClaimClient(proxy.url)
    client.start(order_number="KILLSEND-000001")
    expect_redirect(client.upload(photo_set(7)))
    expect_redirect(client.choose_source())
    key = client.submission_key()
    worker = app.worker_pids()[0]

    # Hold the worker inside the send (S3 paused), then kill it there.
    own_s3.pause()
    responses = []
    sender = threading.Thread(target=lambda: responses.append(client.send(key)))
    sender.start()
    time.sleep(1.0)
    os.kill(worker, signal.SIGKILL)
    sender.join(30)
    own_s3.resume()

    assert responses[0].status_code == 502
    assert TRY_AGAIN in responses[0].text
    assert claim_photos(env, "KILLSEND-000001")["claims"] == 0
    stack.wait_until(
        lambda: app.worker_pids_ready() and worker not in app.worker_pids(), what="new worker"
    )

    sent = finish(client, key)

    assert sent.reference
    assert claim_photos(env, "KILLSEND-000001") == {"claims": 1, "photos": [2], "missing": []}
    assert_clean(env)
