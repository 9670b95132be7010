"""Parallel submissions and uploads: none lost, limits held.

On PostgreSQL the claim row lock (select_for_update) serialises the uploads
to one claim. On SQLite select_for_update does nothing: there the writers are
serialised by IMMEDIATE transactions (each takes the write lock when it
begins, and the others wait on the busy timeout), on the file-based test
database that the threads' own connections share (tests/conftest.py).
Without IMMEDIATE the photo-limit test fails with "database is locked".
"""

import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection, connections

from claims.answers import ClaimAnswers
from claims.customer_evidence import PhotoLimitReached, claim_add_customer_evidence
from claims.models import Claim
from claims.photos import process_photo
from claims.services import claim_submit
from tests.factories import as_upload, make_jpeg

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def answers(n=0):
    return ClaimAnswers(
        issue_type="missing_item",
        fulfillment_method="seller_managed",
        destination="domestic",
        order_number=f"KX-{n:08d}",
        item="Mug",
        description="Not in the box",
        quantity_affected=1,
        customer_name="Ada",
        customer_email="ada@example.com",
        stock_available=True,
        return_feasible=True,
    )


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def work(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_the_threads_share_a_database_that_runs_or_queues_parallel_writes():
    if settings.IS_POSTGRES:
        assert connection.vendor == "postgresql"
        return
    # A file with WAL, a busy timeout and IMMEDIATE transactions, as in
    # production: not the in-memory database, whose locks fail at once.
    assert connection.vendor == "sqlite"
    assert not connection.is_in_memory_db()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


def test_parallel_submissions_are_all_kept_with_unique_references():
    results, errors = run_in_threads(
        8, lambda i: claim_submit(submission_key=uuid.uuid4(), answers=answers(i))
    )

    assert errors == []
    assert Claim.objects.count() == 8
    assert len({r.claim.reference for r in results}) == 8
    assert len(set(Claim.objects.values_list("result_token_hash", flat=True))) == 8


def test_parallel_double_submits_create_one_claim():
    key = uuid.uuid4()

    results, errors = run_in_threads(
        6, lambda i: claim_submit(submission_key=key, answers=answers())
    )

    assert errors == []
    assert Claim.objects.count() == 1
    assert len({r.claim.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert len({r.result_token for r in results}) == 1


def test_the_photo_limit_holds_under_parallel_customer_uploads(settings):
    settings.CLAIM_MAX_PHOTOS = 3
    claim = claim_submit(submission_key=uuid.uuid4(), answers=answers()).claim
    photos = [process_photo(as_upload(make_jpeg(seed=n), f"{n}.jpg")) for n in range(6)]

    results, errors = run_in_threads(
        6,
        lambda i: claim_add_customer_evidence(claim_id=claim.pk, photos=[("item", photos[i])]),
    )

    assert claim.photos.count() == 3
    assert sum(1 for r in results if r and r.added) == 3
    assert len(errors) == 3
    assert all(isinstance(e, PhotoLimitReached) for e in errors)
