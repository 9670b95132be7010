"""claim_submit and the customer's evidence: all or nothing, once."""

import uuid

import pytest
from django.db import IntegrityError
from django.test import TestCase

from claims import services
from claims.answers import ClaimAnswers
from claims.choices import ClaimStatus
from claims.models import Claim, EvidencePhoto, hash_token
from claims.photos import process_photo
from claims.services import (
    ClaimNotSaved,
    EvidenceRefused,
    PhotoLimitReached,
    claim_add_customer_evidence,
    claim_add_customer_uploads,
    claim_submit,
)
from tests.factories import as_upload, make_claim, make_draft_photo, make_jpeg, make_png
from tests.wizard import walk_claim_wizard, wizard_post

pytestmark = pytest.mark.django_db


def answers(**overrides):
    values = {
        "issue_type": "damaged_item",
        "fulfillment_method": "kingston_express",
        "destination": "domestic",
        "order_number": "KX-48213579",
        "item": "Mug",
        "description": "Broken",
        "quantity_affected": 1,
        "customer_name": "Ada",
        "customer_email": "ada@example.com",
        "severity": "severe",
    }
    values.update(overrides)
    return ClaimAnswers(**values)


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


def test_submit_stores_only_hashes_of_the_secret_links():
    submitted = make_claim()
    claim = submitted.claim

    assert claim.result_token_hash == hash_token(submitted.result_token)
    assert claim.customer_token_hash == hash_token(submitted.customer_token)
    row = Claim.objects.filter(pk=claim.pk).values().get()
    assert submitted.result_token not in str(row)
    assert submitted.customer_token not in str(row)
    assert submitted.result_token != submitted.customer_token


def test_the_same_submission_key_gives_the_same_claim():
    key = uuid.uuid4()
    first = claim_submit(submission_key=key, answers=answers())
    second = claim_submit(submission_key=key, answers=answers(item="Other"))

    assert Claim.objects.count() == 1
    assert second.claim.pk == first.claim.pk
    assert second.created is False
    assert second.result_token == first.result_token
    assert second.customer_token == first.customer_token


def test_references_are_random_and_unique():
    references = {make_claim().claim.reference for _ in range(20)}

    assert len(references) == 20


def test_photos_are_copied_with_duplicates_dropped(tmp_path):
    first = make_draft_photo("item", seed=1)
    again = make_draft_photo("package", seed=2)
    again = type(again)(**{**again.to_dict(), "sha256": first.sha256})

    claim = make_claim(photos=[first, again]).claim

    assert claim.photos.count() == 1
    assert len(files_under(tmp_path / "evidence")) == 2
    assert files_under(tmp_path / "drafts") == []


def test_a_storage_failure_keeps_nothing_and_keeps_the_drafts(settings, tmp_path):
    drafts = [make_draft_photo("item", seed=1), make_draft_photo("package", seed=2)]
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "claims").write_text("a file where a folder must go")
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": locked, "base_url": None},
        },
    }

    with pytest.raises(ClaimNotSaved) as failure:
        make_claim(photos=drafts)

    assert "Your answers and photos are kept" in failure.value.message
    assert Claim.objects.count() == 0
    assert EvidencePhoto.objects.count() == 0
    assert len(files_under(tmp_path / "drafts")) == 4


def test_a_database_failure_leaves_no_orphan_file(monkeypatch, tmp_path):
    drafts = [make_draft_photo("item", seed=1), make_draft_photo("package", seed=2)]
    real_create = EvidencePhoto.objects.create
    calls = []

    def fail_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise IntegrityError("disk full, say")
        return real_create(**kwargs)

    monkeypatch.setattr(EvidencePhoto.objects, "create", fail_second)

    with pytest.raises(ClaimNotSaved):
        make_claim(photos=drafts)

    assert Claim.objects.count() == 0
    assert files_under(tmp_path / "evidence") == []
    assert len(files_under(tmp_path / "drafts")) == 4


def test_a_failed_submit_keeps_the_wizard_answers(client, settings, tmp_path, monkeypatch):
    def broken_submit(**kwargs):
        raise ClaimNotSaved("Your claim could not be saved just now. Try again.")

    monkeypatch.setattr("claims.wizard.claim_submit", broken_submit)

    response = walk_claim_wizard(
        client, photos=[("item", as_upload(make_jpeg()))], photo_source="attach"
    )

    assert response.status_code == 503
    assert "Your claim could not be saved just now" in response.content.decode()
    monkeypatch.undo()
    key = client.get("/claim/check/").context["form"].initial["submission_key"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        retry = wizard_post(client, "check", {"submission_key": key})
    assert retry.status_code == 302
    assert Claim.objects.get().photos.count() == 1


def test_the_customer_sending_photos_makes_the_claim_wait_for_evidence():
    assert make_claim(customer_sends_photos=True).claim.status == ClaimStatus.AWAITING_EVIDENCE
    assert make_claim().claim.status == ClaimStatus.SUBMITTED


_PHOTOS = {}


def processed(seed):
    """The same seed gives the same bytes (the noise in make_jpeg is random)."""
    if seed not in _PHOTOS:
        _PHOTOS[seed] = make_jpeg(seed=seed)
    return process_photo(as_upload(_PHOTOS[seed], f"{seed}.jpg"))


def test_customer_photos_complete_the_evidence(tmp_path):
    claim = make_claim(customer_sends_photos=True).claim

    result = claim_add_customer_evidence(
        claim_id=claim.pk, photos=[("item", processed(1)), ("package", processed(2))], note="Hi"
    )

    claim.refresh_from_db()
    assert result.added == 2
    # Kingston Express: the evidence starts the inspection (claims/workflow.py).
    assert claim.status == ClaimStatus.UNDER_INSPECTION
    assert claim.customer_notes.get().text == "Hi"
    assert {p.added_by for p in claim.photos.all()} == {"customer"}


def test_customer_photos_start_the_sellers_review():
    claim = make_claim(
        customer_sends_photos=True,
        issue_type="missing_item",
        fulfillment_method="seller_managed",
        severity="",
        stock_available=False,
        return_feasible=True,
    ).claim

    claim_add_customer_evidence(claim_id=claim.pk, photos=[("package", processed(3))])

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNDER_REVIEW


def test_a_photo_that_is_not_the_required_one_keeps_the_claim_waiting():
    claim = make_claim(customer_sends_photos=True).claim  # damaged: the item is required

    claim_add_customer_evidence(claim_id=claim.pk, photos=[("package", processed(4))])

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_EVIDENCE


def test_customer_duplicates_are_skipped():
    claim = make_claim().claim
    claim_add_customer_evidence(claim_id=claim.pk, photos=[("item", processed(1))])

    result = claim_add_customer_evidence(
        claim_id=claim.pk, photos=[("item", processed(1)), ("other", processed(2))]
    )

    assert (result.added, result.duplicates) == (1, 1)
    assert claim.photos.count() == 2


def test_the_photo_limit_holds_and_nothing_is_stored(settings, tmp_path):
    settings.CLAIM_MAX_PHOTOS = 2
    claim = make_claim().claim
    claim_add_customer_evidence(claim_id=claim.pk, photos=[("item", processed(1))])

    with pytest.raises(PhotoLimitReached) as failure:
        claim_add_customer_evidence(
            claim_id=claim.pk, photos=[("item", processed(2)), ("item", processed(3))]
        )

    assert "Choose at most 1 more" in failure.value.message
    assert claim.photos.count() == 1
    assert len(files_under(tmp_path / "evidence")) == 2


def test_customer_uploads_are_decoded_and_kept_with_the_phones_capture_time(tmp_path):
    claim = make_claim().claim
    report = {"taken": "2026:12:01 09:30:00", "offset": "+01:00", "camera": "1"}

    result = claim_add_customer_uploads(
        claim_id=claim.pk,
        uploads=[
            # A PNG carries no capture time of its own: the phone's report counts.
            ("item", as_upload(make_png(), "a.png", "image/png"), report),
            ("package", as_upload(make_jpeg(seed=5), "b.jpg"), None),
        ],
        note="Both sides",
    )

    assert (result.added, result.duplicates) == (2, 0)
    assert {p.kind for p in claim.photos.all()} == {"item", "package"}
    item = claim.photos.get(kind="item")
    assert (item.captured_at.year, item.captured_at.month, item.captured_at.day) == (2026, 12, 1)
    assert claim.photos.get(kind="package").captured_at is None
    assert claim.customer_notes.get().text == "Both sides"


def test_one_refused_upload_keeps_nothing_and_gives_every_reason(tmp_path):
    claim = make_claim().claim

    with pytest.raises(EvidenceRefused) as refused:
        claim_add_customer_uploads(
            claim_id=claim.pk,
            uploads=[
                ("item", as_upload(make_jpeg(), "good.jpg"), None),
                ("item", as_upload(b"not an image", "broken.jpg"), None),
            ],
            note="A note that must not be kept either",
            refused=["odd.bin: we could not tell what this photo shows, so it was not sent"],
        )

    assert len(refused.value.messages) == 2
    assert refused.value.messages[0].startswith("odd.bin:")
    assert refused.value.messages[1].startswith("broken.jpg:")
    assert not claim.photos.exists()
    assert not claim.customer_notes.exists()
    assert files_under(tmp_path / "evidence") == []


def test_a_post_with_neither_photo_nor_note_is_refused():
    claim = make_claim().claim

    with pytest.raises(EvidenceRefused) as refused:
        claim_add_customer_uploads(claim_id=claim.pk, uploads=[], note="   ")

    assert refused.value.messages == ["Choose at least one photo, or write a note"]


def test_renew_and_revoke_the_customer_link():
    submitted = make_claim()
    claim = submitted.claim

    new_token = services.claim_renew_customer_link(claim=claim, result_token=submitted.result_token)
    assert new_token != submitted.customer_token
    assert not Claim.objects.for_customer_token(submitted.customer_token).exists()
    assert Claim.objects.for_customer_token(new_token).get() == claim

    services.claim_revoke_customer_link(claim=claim)
    assert not Claim.objects.for_customer_token(new_token).exists()
    assert claim.customer_link_revoked_at is not None
