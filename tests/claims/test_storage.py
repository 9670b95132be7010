"""Evidence storage: private locally, private and signed on a real S3 server (moto)."""

import re
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

from claims.photos import process_photo
from claims.storage import (
    delete_evidence,
    evidence_name,
    evidence_storage,
    evidence_url,
    save_evidence,
)
from tests.factories import as_upload, make_claim, make_draft_photo, make_jpeg
from tests.servers import S3_BUCKET

NAME = re.compile(r"^claims/CLAIM-key_1/[0-9a-f]{32}\.jpg$")


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return (
                response.status,
                response.read(),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}


# --- Names ----------------------------------------------------------------------------


def test_evidence_names_are_generated_and_unguessable():
    names = {evidence_name("CLAIM-key_1", ".jpg") for _ in range(50)}

    assert len(names) == 50
    assert all(NAME.fullmatch(name) for name in names)


def test_a_suffix_without_a_dot_gets_one_and_a_thumbnail_suffix_is_kept():
    assert NAME.fullmatch(evidence_name("CLAIM-key_1", "jpg"))
    assert evidence_name("CLAIM-key_1", "-thumb.jpg").endswith("-thumb.jpg")


@pytest.mark.parametrize("claim_key", ["../etc", "a/b", "", "key with space", "..", "k\x00"])
def test_an_unsafe_claim_key_is_refused(claim_key):
    with pytest.raises(ValueError):
        evidence_name(claim_key, ".jpg")


@pytest.mark.parametrize("suffix", ["/../../passwd", "..jpg", "", ".jpg/x", ".j pg"])
def test_an_unsafe_suffix_is_refused(suffix):
    with pytest.raises(ValueError):
        evidence_name("claim", suffix)


# --- Local storage --------------------------------------------------------------------


def test_local_evidence_is_saved_privately_and_has_no_url(settings, tmp_path):
    name = evidence_name("claim1", ".jpg")

    stored = save_evidence(name, b"jpeg bytes")

    assert isinstance(evidence_storage(), FileSystemStorage)
    assert stored == name
    assert (tmp_path / "evidence" / stored).read_bytes() == b"jpeg bytes"
    assert not (tmp_path / "media" / stored).exists()
    assert evidence_url(stored) is None
    delete_evidence(stored)
    assert not (tmp_path / "evidence" / stored).exists()


# --- S3 against a real S3 server ------------------------------------------------------


def test_a_processed_photo_round_trips_through_s3_with_a_signed_url(s3_evidence):
    photo = process_photo(as_upload(make_jpeg(1200, 900)))
    name = evidence_name("claim-s3", ".jpg")

    stored = save_evidence(name, photo.display)

    storage = evidence_storage()
    assert storage.exists(stored)
    with storage.open(stored, "rb") as stored_file:
        assert stored_file.read() == photo.display

    url = evidence_url(stored)
    assert url.startswith(f"{s3_evidence}/{S3_BUCKET}/evidence/claims/claim-s3/")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["300"]  # settings.CLAIM_EVIDENCE_URL_SECONDS
    assert "X-Amz-Signature" in query
    status, body, headers = fetch(url)
    assert status == 200
    assert body == photo.display
    # Served as a picture, never as something a browser would run.
    assert headers.get("content-type") == "image/jpeg", headers

    delete_evidence(stored)
    assert not storage.exists(stored)


def test_an_unsigned_s3_url_is_refused(s3_evidence):
    stored = save_evidence(evidence_name("claim-private", ".jpg"), b"private evidence")

    plain = f"{s3_evidence}/{S3_BUCKET}/evidence/{stored}"
    status, body, _ = fetch(plain)

    assert status == 403
    assert b"private evidence" not in body
    delete_evidence(stored)


def test_saving_the_same_name_twice_never_overwrites_evidence(s3_evidence):
    name = evidence_name("claim-twice", ".jpg")

    first = save_evidence(name, b"first")
    second = save_evidence(name, b"second")

    assert first != second
    with evidence_storage().open(first, "rb") as stored_file:
        assert stored_file.read() == b"first"
    delete_evidence(first)
    delete_evidence(second)


def test_the_signed_url_expiry_follows_the_setting(s3_evidence, settings):
    settings.CLAIM_EVIDENCE_URL_SECONDS = 45
    stored = save_evidence(evidence_name("claim-expiry", ".jpg"), b"x")

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(evidence_url(stored)).query)

    assert query["X-Amz-Expires"] == ["45"]
    delete_evidence(stored)


def test_an_s3_evidence_storage_that_does_not_sign_is_a_configuration_error(s3_evidence, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {**settings.STORAGES["evidence"]["OPTIONS"], "querystring_auth": False},
        },
    }

    with pytest.raises(ImproperlyConfigured):
        evidence_url("claims/x/y.jpg")


# --- A whole claim on S3 --------------------------------------------------------------
# A whole claim on S3 (moto in server mode): stored privately, shown through
# the checking view, which hands out a short-lived signed URL.


@pytest.mark.django_db
def test_photos_on_s3_are_private_and_served_by_signed_redirect(client, s3_evidence):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()
    plain_url = f"{s3_evidence}/evidence-test/evidence/{photo.image_name}"

    response = client.get(f"/claim/r/{submitted.result_token}/photos/{photo.public_id}/full.jpg")

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(s3_evidence)
    assert "X-Amz-Signature" in parse_qs(urlsplit(signed).query)
    with urllib.request.urlopen(signed) as reply:  # noqa: S310 - loopback moto server
        assert reply.read()[:3] == b"\xff\xd8\xff"
    # Without the signature the object is not public.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain_url)  # noqa: S310
    assert refused.value.code == 403


@pytest.mark.django_db
def test_a_wrong_token_gets_no_signed_url_on_s3(client, s3_evidence):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()

    response = client.get(f"/claim/r/{'A' * 43}/photos/{photo.public_id}/full.jpg")

    assert response.status_code == 404
    assert "Location" not in response
