"""claim_submit and the customer link: all or nothing, once."""

import uuid

import pytest
from django.db import IntegrityError
from django.test import TestCase

from claims import services
from claims.answers import ClaimAnswers
from claims.choices import ClaimStatus
from claims.models import Claim, EvidencePhoto, hash_token
from claims.services import claim_submit
from claims.storage import ClaimNotSaved
from tests.factories import as_upload, make_claim, make_draft_photo, make_jpeg
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
