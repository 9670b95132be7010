"""The customer's evidence through their link: all or nothing, the claim going on
once the evidence is complete (claims/customer_evidence.py)."""

import pytest

from claims.choices import ClaimStatus
from claims.customer_evidence import (
    EvidenceRefused,
    PhotoLimitReached,
    claim_add_customer_evidence,
    claim_add_customer_uploads,
)
from claims.photos import process_photo
from tests.factories import as_upload, make_claim, make_jpeg, make_png

pytestmark = pytest.mark.django_db


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


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
