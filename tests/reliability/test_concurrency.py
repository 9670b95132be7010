"""Many sellers at once, over HTTP, from separate processes, on PostgreSQL and S3.

Two app servers (2 gunicorn workers each) behind nginx, as in production.
Parallel uploads to one customer link also run on SQLite, `make run`'s
default: one app server's workers writing to one database file.
"""

import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.reliability import stack
from tests.reliability.client import ClaimClient, expect_redirect, make_jpeg, submit_claim

CLAIMS = int(os.environ.get("RELIABILITY_CLAIMS", "100"))
PROCESSES = 8


def test_parallel_claims_with_photos_are_all_stored_once(servers, stack_env, moto, clean_after):
    a = servers.app(stack_env, name="app-a")
    b = servers.app(stack_env, name="app-b")
    proxy = servers.nginx([f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"])
    # Every fifth claim is sent twice at the same moment (a double click).
    jobs = [(proxy.url, n, n % 5 == 0) for n in range(CLAIMS)]

    started = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.map(submit_claim, jobs)
    elapsed = time.monotonic() - started

    print(f"\n{CLAIMS} claims with 2 photos each in {elapsed:.1f} s from {PROCESSES} processes")
    assert all(set(r["statuses"]) == {302} for r in results), results
    # A double submit lands on the same claim both times.
    assert all(len(r["locations"]) == 1 for r in results)
    assert all(r["reference"] for r in results)
    assert len({r["reference"] for r in results}) == CLAIMS

    stored = stack.django_json(
        stack_env,
        """
        from claims.models import Claim, EvidencePhoto
        from claims.storage import evidence_storage
        claims = Claim.objects.filter(order_number__startswith="LOAD-")
        storage = evidence_storage()
        photos = EvidencePhoto.objects.filter(claim__in=claims)
        names = list(photos.values_list("image_name", "thumbnail_name"))
        result = {
            "claims": claims.count(),
            "orders": claims.values("order_number").distinct().count(),
            "references": claims.values("reference").distinct().count(),
            "photos": [c.photos.count() for c in claims],
            "files_missing": [n for pair in names for n in pair if not storage.exists(n)],
        }
        """,
    )
    assert stored["claims"] == CLAIMS
    assert stored["orders"] == CLAIMS
    assert stored["references"] == CLAIMS
    assert stored["photos"] == [2] * CLAIMS
    assert stored["files_missing"] == []
    # Drafts are gone from S3 once their claims are sent; the evidence is there.
    assert [k for k in moto.keys("claim-drafts/") if "LOAD" in k] == []
    assert len([k for k in moto.keys("evidence/claims/") if "/" in k]) >= CLAIMS * 4


@pytest.fixture(params=["postgres", "sqlite"])
def one_link_env(request, tmp_path):
    """The shared stack (PostgreSQL, Redis, S3), or a SQLite file with local
    folders and nothing shared between the workers but the database file.
    After the test, cleanup_evidence finds no orphan and no missing file."""
    if request.param == "postgres":
        env = request.getfixturevalue("stack_env")
    else:
        env = stack.base_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            EVIDENCE_ROOT=str(tmp_path / "evidence"),
            CLAIM_DRAFT_ROOT=str(tmp_path / "drafts"),
            MEDIA_ROOT=str(tmp_path / "media"),
        )
        stack.manage(env, "migrate", "--noinput")
    yield env
    report = stack.cleanup_report(env)
    assert report["orphans"] == 0 and report["missing"] == 0, report["output"]


def test_parallel_uploads_to_one_customer_link_never_pass_the_photo_limit(servers, one_link_env):
    # On SQLite the workers' writes queue for the database's one write lock
    # (IMMEDIATE transactions and the busy timeout): none may fail with 503.
    app = servers.app(one_link_env, workers=4, name="app")
    seller = ClaimClient(app.url)
    seller.start(order_number="LIMIT-000001")
    expect_redirect(seller.choose_source("customer"))
    sent = seller.result(seller.send(seller.submission_key()))
    assert sent.customer_link

    def upload(i):
        customer = ClaimClient(app.url)
        assert customer.get(sent.customer_link).status_code == 200
        files = [
            ("photos", (f"p{i}-{j}.jpg", make_jpeg(10_000 + i * 10 + j), "image/jpeg"))
            for j in range(3)
        ]
        response = customer.http.post(
            app.url + sent.customer_link,
            data={"kind": "package", "note": "", "csrfmiddlewaretoken": customer._csrf()},
            files=files,
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(upload, range(10)))

    stored = stack.django_json(
        one_link_env,
        """
        from claims.models import Claim
        result = Claim.objects.get(order_number="LIMIT-000001").photos.count()
        """,
    )
    limit = 12
    assert stored <= limit
    assert statuses.count(302) * 3 == stored
    assert set(statuses) <= {302, 409}
    assert statuses.count(409) >= 1
