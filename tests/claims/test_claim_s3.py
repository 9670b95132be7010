"""A whole claim on S3 (moto in server mode): stored privately, shown through
the checking view, which hands out a short-lived signed URL."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import make_claim, make_draft_photo

pytestmark = pytest.mark.django_db


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


def test_a_wrong_token_gets_no_signed_url_on_s3(client, s3_evidence):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()

    response = client.get(f"/claim/r/{'A' * 43}/photos/{photo.public_id}/full.jpg")

    assert response.status_code == 404
    assert "Location" not in response
