"""Signals, never accusations (issue 13, part 4): the pure decisions as tables, the
photo facts read before the metadata goes, the reviewer's "checked" in the timeline
and the packet, the seller told of an earlier claim at the order step."""

import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image, ImageEnhance

from claims.models import ClaimTransition, EvidencePhoto
from claims.photo_metadata import (
    capture_time,
    perceptual_hash,
    read_capture_facts,
    with_phone_report,
)
from claims.photos import process_photo
from claims.review import SignalNotFound, claim_check_signal
from claims.review_signals import (
    CheckedSignal,
    OtherClaim,
    OtherPhoto,
    PhotoFacts,
    SignalKind,
    claim_signals,
    hamming,
    order_signals,
    phash_distance,
    photo_match_signals,
    photo_time_signals,
)
from claims.selectors import signals_for
from tests.factories import (
    GPS_IFD,
    as_upload,
    make_claim,
    make_draft_photo,
    make_jpeg,
    make_png,
    photo_exif,
    photo_pixels,
)
from tests.wizard import wizard_post

K = SignalKind
FILED = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
H0 = "0" * 16
NEAR = "0" * 15 + "f"  # 4 bits from H0
FAR = "f" * 16  # 64 bits from H0


def photo(pid="p1", *, sha="a" * 64, phash=H0, taken=None, camera=True):
    return PhotoFacts(pid, "the item", sha, phash, taken, camera)


def other(reference="KXC-OTHER", *, sha="b" * 64, phash=FAR):
    return OtherPhoto(reference, FILED - timedelta(days=2), sha, phash)


# --- The pure decisions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "bits"),
    [(H0, H0, 0), (H0, NEAR, 4), (H0, FAR, 64), ("8000000000000000", H0, 1)],
)
def test_hamming_counts_the_differing_bits(a, b, bits):
    assert hamming(a, b) == bits


@pytest.mark.parametrize(("a", "b"), [(H0, "0" * 8), ("zz" * 8, H0), ("", H0)])
def test_hamming_refuses_hashes_it_cannot_compare(a, b):
    with pytest.raises(ValueError):
        hamming(a, b)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        (H0, H0, 0),
        # A crop of one is close to a window of the other, either way round.
        (f"{FAR} {H0}", H0, 0),
        (H0, f"{FAR} {FAR} {NEAR}", 4),
        # Window against window is not compared: shared corners of floor and wall.
        (f"{FAR} {H0}", f"{'0f' * 8} {H0}", 32),
    ],
)
def test_phash_distance_compares_the_whole_with_the_windows(a, b, distance):
    assert phash_distance(a, b) == distance


def test_phash_distance_refuses_an_empty_hash():
    with pytest.raises(ValueError, match="empty"):
        phash_distance("", H0)


@pytest.mark.parametrize(
    ("photos", "others", "kinds"),
    [
        ([photo()], [], ()),
        ([photo()], [other(sha="a" * 64)], (K.SAME_PHOTO,)),  # the very same file
        ([photo()], [other(phash=NEAR)], (K.SIMILAR_PHOTO,)),  # 4 bits: near
        ([photo()], [other(phash="0" * 13 + "fff")], ()),  # 12 bits: over the line of 10
        ([photo()], [other(phash=FAR)], ()),
        # The same file and a near copy in one other claim: one signal, the exact one.
        ([photo()], [other(phash=NEAR), other(sha="a" * 64, phash=FAR)], (K.SAME_PHOTO,)),
        # Two other claims: one signal each, the exact match first.
        (
            [photo()],
            [other("KXC-B", phash=NEAR), other("KXC-A", sha="a" * 64)],
            (K.SAME_PHOTO, K.SIMILAR_PHOTO),
        ),
        ([photo(phash="")], [other(phash=NEAR)], ()),  # a photo from before the hash
    ],
)
def test_photo_match_signals(photos, others, kinds):
    signals = photo_match_signals(photos, others, near_distance=10)
    assert tuple(s.kind for s in signals) == kinds
    assert all(s.photo_id == "p1" for s in signals)


@pytest.mark.parametrize(
    ("taken", "camera", "kinds"),
    [
        (FILED - timedelta(days=2), True, ()),
        (FILED - timedelta(days=30), True, ()),  # exactly the limit: not "long before"
        (FILED - timedelta(days=30, hours=1), True, (K.OLD_PHOTO,)),
        (FILED - timedelta(days=400), False, (K.OLD_PHOTO,)),
        (None, True, ()),  # a camera named, no time: nothing to say
        (None, False, (K.NO_CAMERA_DATA,)),  # a screenshot or a download
        (FILED + timedelta(days=1), True, ()),  # a clock ahead: not "long before"
    ],
)
def test_photo_time_signals(taken, camera, kinds):
    signals = photo_time_signals(
        [photo(taken=taken, camera=camera)], claim_created_at=FILED, old_after=timedelta(days=30)
    )
    assert tuple(s.kind for s in signals) == kinds


def test_a_photo_stored_before_the_facts_were_read_gets_no_time_signal():
    # Migration 0008 added the facts: older photos have no hash, no time, no camera.
    signals = photo_time_signals(
        [photo(phash="", taken=None, camera=False)],
        claim_created_at=FILED,
        old_after=timedelta(days=30),
    )
    assert signals == ()


def test_an_old_photo_is_said_in_days_and_a_date_never_as_a_verdict():
    (signal,) = photo_time_signals(
        [photo(taken=FILED - timedelta(days=200))],
        claim_created_at=FILED,
        old_after=timedelta(days=30),
    )
    assert "200 days before the claim" in signal.title
    assert "17 May 2026" in signal.title
    assert "clock can be wrong" in signal.explanation
    for word in ("fraud", "fake", "suspicious", "lying"):
        assert word not in (signal.title + signal.explanation).lower()


def test_another_claim_for_the_order_is_named_by_date_and_reference():
    (signal,) = order_signals("KX-1", [OtherClaim("KXC-AAAA", FILED, "Closed")])
    assert signal.kind == K.SAME_ORDER
    assert signal.key == "same_order:KXC-AAAA"
    assert (
        signal.title
        == "Another claim for order KX-1 was filed on 3 December 2026: KXC-AAAA (Closed)."
    )


def test_claim_signals_attach_the_reviewers_checks_by_key_and_refuse_a_negative_line():
    checked = {"same_order:KXC-A": CheckedSignal("rita", FILED, "A second item, fine")}
    signals = claim_signals(
        order_number="KX-1",
        claim_created_at=FILED,
        other_claims=[OtherClaim("KXC-A", FILED), OtherClaim("KXC-B", FILED)],
        photos=[photo(camera=False)],
        other_photos=[],
        checked=checked,
        near_distance=10,
        old_after=timedelta(days=30),
    )
    assert [(s.kind, s.checked is not None) for s in signals] == [
        (K.SAME_ORDER, True),
        (K.SAME_ORDER, False),
        (K.NO_CAMERA_DATA, False),
    ]
    with pytest.raises(ValueError, match="negative"):
        claim_signals(
            order_number="KX-1",
            claim_created_at=FILED,
            other_claims=[],
            photos=[],
            other_photos=[],
            checked={},
            near_distance=-1,
            old_after=timedelta(days=30),
        )


# --- Facts read before the metadata goes ------------------------------------------------


def jpeg_taken(taken="2026:11:28 09:15:00", offset="+01:00", *, camera=True, seed=0):
    image = photo_pixels(seed=seed)
    exif = photo_exif(gps=True) if camera else Image.Exif()
    details = exif.get_ifd(0x8769)
    if taken:
        details[0x9003] = taken
    if offset:
        details[0x9011] = offset
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    ("taken", "offset", "expected"),
    [
        ("2026:11:28 09:15:00", "+01:00", "2026-11-28T09:15:00+01:00"),
        ("2026:11:28 09:15:00", "-05:30", "2026-11-28T09:15:00-05:30"),
        ("2026:11:28 09:15:00\x00", "", "2026-11-28T09:15:00+00:00"),  # the site's zone (UTC)
        ("2026:11:28 09:15:00", "+99:00", "2026-11-28T09:15:00+00:00"),  # no such offset
        ("0000:00:00 00:00:00", "", ""),
        ("2026:02:30 10:00:00", "", ""),
        ("yesterday", "", ""),
        ("", "", ""),
    ],
)
def test_capture_time_reads_exifs_own_format(taken, offset, expected):
    assert capture_time(taken, offset) == expected


def test_a_phone_photo_keeps_its_capture_time_and_camera_never_the_gps():
    processed = process_photo(as_upload(jpeg_taken()))
    assert processed.captured_at == "2026-11-28T09:15:00+01:00"
    assert processed.camera is True
    assert "51" not in processed.captured_at
    stored = Image.open(io.BytesIO(processed.display))
    assert not stored.getexif() and not stored.getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (make_png(), "screenshot.png", ("", False)),  # a screenshot: nothing
        (make_jpeg(gps=False), "camera.jpg", ("", True)),  # a camera, no time
        (jpeg_taken(camera=False), "edited.jpg", ("2026-11-28T09:15:00+01:00", False)),
    ],
)
def test_capture_facts_of_other_pictures(data, name, expected):
    processed = process_photo(as_upload(data, name))
    assert (processed.captured_at, processed.camera) == expected


def test_broken_exif_counts_as_none_and_refuses_nothing():
    class Broken:
        def getexif(self):
            raise SyntaxError("corrupt EXIF")

    assert read_capture_facts(Broken()) == ("", False)


@pytest.mark.parametrize(
    ("facts", "report", "expected"),
    [
        # Shrunk on the phone: the file has nothing, the phone's reading counts.
        (
            ("", False),
            {"taken": "2026:11:28 09:15:00", "offset": "+01:00", "camera": "1"},
            ("2026-11-28T09:15:00+01:00", True),
        ),
        (("", False), {"taken": "", "offset": "", "camera": ""}, ("", False)),
        (("", False), {"taken": "<script>", "offset": "x", "camera": "yes"}, ("", False)),
        # The file's own EXIF wins over what is posted beside it.
        (
            ("2026-01-01T00:00:00+00:00", True),
            {"taken": "2026:11:28 09:15:00", "camera": "1"},
            ("2026-01-01T00:00:00+00:00", True),
        ),
    ],
)
def test_with_phone_report(facts, report, expected):
    base = process_photo(as_upload(make_png(), "p.png"))
    base = replace(base, captured_at=facts[0], camera=facts[1])
    reported = with_phone_report(base, **report)
    assert (reported.captured_at, reported.camera) == expected


def _hash_of(image):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return process_photo(as_upload(out.getvalue())).phash


def test_an_edited_copy_is_near_and_another_photo_is_not(settings):
    original = photo_pixels(1200, 900, seed=3)
    line = settings.CLAIM_PHOTO_NEAR_MATCH_DISTANCE
    stored = _hash_of(original)
    assert len(stored.split()) == 11  # the whole picture and ten windows
    edits = [
        original.resize((600, 450)),
        original.crop((0, 0, 1080, 810)),  # 10% off one corner
        ImageEnhance.Brightness(original).enhance(0.8),
    ]
    for edited in edits:
        assert phash_distance(stored, _hash_of(edited)) <= line
    unrelated = Image.effect_mandelbrot((1200, 900), (-2, -1.2, 1, 1.2), 60).convert("RGB")
    assert phash_distance(stored, _hash_of(unrelated)) > line
    assert perceptual_hash(original) == perceptual_hash(original.copy())


# --- On the claim's page, in the timeline and the packet ----------------------------------


def change_url(claim):
    return f"/admin/claims/claim/{claim.pk}/change/"


@pytest.fixture
def two_claims_one_order(db):
    first = make_claim(order_number="KX-55500001", photos=[make_draft_photo("item", seed=7)]).claim
    second = make_claim(
        order_number="KX-55500001",
        customer_name="Bea Buyer",
        photos=[make_draft_photo("item", seed=7, draft_key="second")],
    ).claim
    return first, second


@pytest.mark.django_db
def test_the_claim_page_shows_each_signal_in_plain_words(reviewer_client, two_claims_one_order):
    first, second = two_claims_one_order
    page = reviewer_client.get(change_url(second)).content.decode()
    assert 'id="signals"' in page
    assert "Another claim for order KX-55500001 was filed on" in page
    assert first.reference in page
    # The seller's photo again (the test photos differ in their noise: near, not the same file).
    assert "photo (the item) is in claim" in page and "A near-identical picture" in page
    # The test photo carries a camera and no time: nothing said about its age.
    assert "no camera details" not in page
    assert page.count('name="signal"') == 2  # one "Mark as checked" per signal


@pytest.mark.django_db
def test_checking_a_signal_records_it_in_the_timeline_and_changes_no_status(
    reviewer_client, reviewer, two_claims_one_order
):
    _first, second = two_claims_one_order
    key = next(s.key for s in signals_for(second) if s.kind == K.SAME_ORDER)
    status = second.status

    response = reviewer_client.post(
        f"/admin/claims/claim/{second.pk}/check-signal/",
        {"signal": key, "note": "A second parcel of the same order; different item."},
        follow=True,
    )

    assert "signal checked" in response.content.decode()
    record = ClaimTransition.objects.get(claim=second, action=ClaimTransition.SIGNAL_CHECKED)
    assert (record.actor, record.from_status, record.to_status) == (reviewer, status, status)
    assert record.params["signal_key"] == key
    assert record.note == "A second parcel of the same order; different item."
    second.refresh_from_db()
    assert second.status == status
    page = response.content.decode()
    assert "Checked by reviewer on" in page and "different item" in page
    assert "Signal checked" in page  # the timeline's line


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["same_order:KXC-NOTHERE", "", "x" * 500])
def test_a_signal_that_is_not_shown_cannot_be_checked(reviewer_client, two_claims_one_order, key):
    _first, second = two_claims_one_order
    response = reviewer_client.post(
        f"/admin/claims/claim/{second.pk}/check-signal/", {"signal": key}, follow=True
    )
    text = response.content.decode()
    assert "nothing was recorded" in text
    assert not ClaimTransition.objects.filter(action=ClaimTransition.SIGNAL_CHECKED).exists()


@pytest.mark.django_db
def test_a_signal_is_checked_once_and_only_by_a_reviewer(
    reviewer, make_staff, two_claims_one_order
):
    from django.core.exceptions import PermissionDenied

    _first, second = two_claims_one_order
    key = signals_for(second)[0].key
    claim_check_signal(claim=second, signal_key=key, user=reviewer)
    with pytest.raises(SignalNotFound, match="already checked"):
        claim_check_signal(claim=second, signal_key=key, user=reviewer)
    editor = make_staff("ed", group="Editors")
    with pytest.raises(PermissionDenied):
        claim_check_signal(claim=second, signal_key=signals_for(second)[1].key, user=editor)


@pytest.mark.django_db
def test_the_packet_lists_the_signals_and_what_the_reviewer_decided(
    reviewer_client, reviewer, two_claims_one_order
):
    _first, second = two_claims_one_order
    signals = signals_for(second)
    claim_check_signal(claim=second, signal_key=signals[0].key, user=reviewer, note="Fine")

    response = reviewer_client.get(f"/admin/claims/claim/{second.pk}/packet/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = f"evidence-{second.reference}"
    rows = json.loads(archive.read(f"{folder}/signals.json"))
    assert [(r["key"], r["reviewer_decision"]) for r in rows] == [
        (signals[0].key, "checked"),
        (signals[1].key, "not checked"),
    ]
    assert rows[0]["checked_by"] == "reviewer" and rows[0]["reviewer_note"] == "Fine"
    summary = archive.read(f"{folder}/summary.txt").decode()
    assert "Signals (facts for a closer look" in summary and "not checked" in summary
    sums = archive.read(f"{folder}/SHA256SUMS").decode()
    assert "signals.json" in sums
    manifest = json.loads(archive.read(f"{folder}/manifest.json"))
    assert manifest["photos"][0]["perceptual_hash"]
    timeline = json.loads(archive.read(f"{folder}/timeline.json"))
    checked = next(e for e in timeline if e["title"] == "Signal checked")
    assert "signal_key" not in checked["details"] and checked["text"] == "Fine"


@pytest.mark.django_db
def test_signals_cost_three_queries_whatever_the_number_of_claims_and_photos(
    two_claims_one_order,
):
    _first, second = two_claims_one_order
    photos = list(second.photos.all())
    with CaptureQueriesContext(connection) as few:
        signals_for(second, photos=photos)
    for n in range(3):
        make_claim(order_number="KX-55500001", photos=[make_draft_photo("package", seed=20 + n)])
    with CaptureQueriesContext(connection) as many:
        assert len(signals_for(second, photos=photos)) > 2
    assert len(few) == len(many) == 3


# --- The seller at the order step ----------------------------------------------------------


def order_details(order_number):
    return {
        "order_number": order_number,
        "item": "Mug",
        "description": "Broken handle",
        "quantity_affected": "1",
        "severity": "major",
        "customer_name": "Cy Customer",
        "customer_email": "cy@example.com",
    }


def post_order_step(client, order_number, *, seen=None):
    """The order step; `seen`: the notice's hidden field (outside the step's prefix)."""
    extra = {} if seen is None else {"earlier_claims_seen": seen}
    return wizard_post(client, "order-details", order_details(order_number), files=extra)


@pytest.fixture
def at_the_order_step(client, db):
    wizard_post(client, "what-happened", {"issue_type": "damaged_item"})
    wizard_post(client, "fulfillment", {"fulfillment_method": "kingston_express"})
    wizard_post(client, "destination", {"destination": "domestic"})
    return client


@pytest.mark.django_db
def test_the_seller_is_told_of_an_earlier_claim_for_the_order_and_may_go_on(at_the_order_step):
    earlier = make_claim(
        order_number="KX-77700001", customer_name="Secret Name", description="Secret words"
    ).claim
    client = at_the_order_step

    response = post_order_step(client, "kx-77700001")

    assert response.status_code == 200
    page = response.content.decode()
    assert "A claim for order KX-77700001 is already filed" in page
    assert f"reference {earlier.reference}" in page
    assert earlier.created_at.strftime("%-d %B %Y") in page
    assert "Secret Name" not in page and "Secret words" not in page
    assert "Continue: it is a different problem" in page

    response = post_order_step(client, "KX-77700001", seen="KX-77700001")
    assert response.status_code == 302 and response["Location"].endswith("/photos/")


@pytest.mark.django_db
def test_no_notice_for_a_new_order_or_for_another_order_than_the_one_seen(at_the_order_step):
    make_claim(order_number="KX-77700002")
    client = at_the_order_step
    response = post_order_step(client, "KX-12345678")
    assert response.status_code == 302
    # Seen for one order number, then changed to another with a claim: told again.
    response = post_order_step(client, "KX-77700002", seen="KX-12345678")
    assert response.status_code == 200 and "is already filed" in response.content.decode()


# --- The customer's phone report ------------------------------------------------------------


@pytest.mark.django_db
def test_a_photo_shrunk_on_the_phone_keeps_the_capture_time_the_phone_read(client):
    submitted = make_claim(customer_sends_photos=True, fulfillment_method="seller_managed")
    url = f"/claim/c/{submitted.customer_token}/"
    shrunk = make_png(800, 600)  # what a canvas gives: no metadata at all
    response = client.post(
        url,
        {
            "photos-item": [
                as_upload(shrunk, "a.jpg", "image/png"),
                as_upload(make_png(seed=5), "b.png", "image/png"),
            ],
            "photos-item-taken": ["2026:11:28 09:15:00", ""],
            "photos-item-offset": ["+01:00", ""],
            "photos-item-camera": ["1", ""],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    facts = list(
        EvidencePhoto.objects.filter(claim=submitted.claim).values_list("captured_at", "camera")
    )
    assert facts == [(datetime(2026, 11, 28, 8, 15, tzinfo=UTC), True), (None, False)]
