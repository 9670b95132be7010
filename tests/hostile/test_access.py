"""Reaching claims and photos without the right: guessed and swapped tokens,
sequential ids, another claim's photo under one's own link, expired and
switched-off links, staff without the permission, anonymous admin. Each gets
the same "link does not work" page or a refusal, and shows nothing."""

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim
from tests.factories import make_claim, make_draft_photo
from tests.hostile.checks import assert_refused

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

LINK_GONE = "This link does not work."
NOT_FOUND = "We can’t find that page"


@pytest.fixture
def two_claims():
    """Two claims with a photo each: `a` is the visitor's own, `b` someone else's."""
    a = make_claim(photos=[make_draft_photo("item", seed=1, draft_key="a")])
    b = make_claim(
        photos=[make_draft_photo("item", seed=2, draft_key="b")], order_number="KX-99999999"
    )
    return {
        "a": a,
        "b": b,
        "photo_a": a.claim.photos.get().public_id,
        "photo_b": b.claim.photos.get().public_id,
    }


def _one_char_off(token: str) -> str:
    return token[:-1] + ("B" if token.endswith("A") else "A")


def _expire(claim):
    Claim.objects.filter(pk=claim.pk).update(
        customer_link_expires_at=timezone.now() - timedelta(minutes=1)
    )


def _revoke(claim):
    Claim.objects.filter(pk=claim.pk).update(customer_link_revoked_at=timezone.now())


# (id, path built from the claims, what to do first, text)
CASES = [
    ("result-token-guessed", lambda c: f"/claim/r/{secrets.token_urlsafe(32)}/", None, LINK_GONE),
    ("result-token-one-char-off", lambda c: f"/claim/r/{_one_char_off(c['a'].result_token)}/", None,
     LINK_GONE),
    ("customer-token-guessed", lambda c: f"/claim/c/{secrets.token_urlsafe(32)}/", None,
     LINK_GONE),
    ("customer-token-as-result", lambda c: f"/claim/r/{c['a'].customer_token}/", None, LINK_GONE),
    ("result-token-as-customer", lambda c: f"/claim/c/{c['a'].result_token}/", None, LINK_GONE),
    ("sequential-id-result", lambda c: f"/claim/r/{c['a'].claim.pk}/", None, LINK_GONE),
    ("sequential-id-customer", lambda c: f"/claim/c/{c['a'].claim.pk}/", None, LINK_GONE),
    ("reference-as-token", lambda c: f"/claim/r/{c['a'].claim.reference}/", None, LINK_GONE),
    ("result-token-hash-as-token", lambda c: f"/claim/r/{c['a'].claim.result_token_hash}/",
     None, LINK_GONE),
    ("other-claims-photo-own-result-token",
     lambda c: f"/claim/r/{c['a'].result_token}/photos/{c['photo_b']}/full.jpg", None, LINK_GONE),
    ("other-claims-photo-own-customer-token",
     lambda c: f"/claim/c/{c['a'].customer_token}/photos/{c['photo_b']}/thumb.jpg", None,
     LINK_GONE),
    ("photo-id-guessed", lambda c: f"/claim/r/{c['a'].result_token}/photos/"
     "00000000-0000-4000-8000-000000000001/full.jpg", None, LINK_GONE),
    ("photo-under-guessed-token",
     lambda c: f"/claim/r/{secrets.token_urlsafe(32)}/photos/{c['photo_a']}/full.jpg", None,
     LINK_GONE),
    ("photo-sequential-id", lambda c: "/claim/photos/1/full.jpg", None, NOT_FOUND),
    ("staff-photo-anonymous", lambda c: f"/claim/photos/{c['photo_a']}/full.jpg", None, LINK_GONE),
    ("draft-photo-other-session", lambda c: f"/claim/draft-photos/{'a' * 32}/full.jpg", None,
     LINK_GONE),
    ("customer-link-expired", lambda c: f"/claim/c/{c['a'].customer_token}/", "expire",
     LINK_GONE),
    ("customer-link-revoked", lambda c: f"/claim/c/{c['a'].customer_token}/", "revoke",
     LINK_GONE),
    ("customer-photo-after-expiry",
     lambda c: f"/claim/c/{c['a'].customer_token}/photos/{c['photo_a']}/full.jpg", "expire",
     LINK_GONE),
    ("customer-photo-after-revoke",
     lambda c: f"/claim/c/{c['a'].customer_token}/photos/{c['photo_a']}/thumb.jpg", "revoke",
     LINK_GONE),
    ("path-traversal-in-photo-size",
     lambda c: f"/claim/r/{c['a'].result_token}/photos/{c['photo_a']}/..%2F..%2Fsettings.py",
     None, NOT_FOUND),
]  # fmt: skip


@pytest.mark.parametrize(("path", "first", "text"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_a_claim_or_photo_without_the_right_is_not_shown(
    client, two_claims, nothing_stored, path, first, text
):
    if first == "expire":
        _expire(two_claims["a"].claim)
    elif first == "revoke":
        _revoke(two_claims["a"].claim)
    address = path(two_claims)

    with nothing_stored():
        response = client.get(address)

    assert_refused(response, 404, text)
    body = response.content.decode()
    assert two_claims["a"].claim.order_number not in body
    assert two_claims["b"].claim.order_number not in body
    assert response.get("Content-Type", "").startswith("text/html")


def test_the_right_link_does_show_the_photo(client, two_claims):
    """The control: the refusals above are not refusing everything."""
    a = two_claims["a"]

    result = client.get(f"/claim/r/{a.result_token}/photos/{two_claims['photo_a']}/full.jpg")
    customer = client.get(f"/claim/c/{a.customer_token}/photos/{two_claims['photo_a']}/thumb.jpg")

    assert result.status_code == customer.status_code == 200
    assert result["Content-Type"] == "image/jpeg"


@pytest.fixture
def staff_without_permission(django_user_model):
    return django_user_model.objects.create_user(
        username="newstarter", password="a-long-test-password-123", is_staff=True
    )


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/admin/claims/claim/", id="claim-list"),
        pytest.param("/admin/claims/claim/{pk}/change/", id="claim-page"),
        pytest.param("/admin/helpcentre/comment/", id="comments"),
        pytest.param("/admin/auth/user/", id="users"),
    ],
)
def test_staff_without_the_permission_are_refused_in_the_admin(
    client, two_claims, staff_without_permission, nothing_stored, path
):
    client.force_login(staff_without_permission)
    address = path.format(pk=two_claims["a"].claim.pk)

    with nothing_stored():
        response = client.get(address)

    assert_refused(response, 403, "You cannot open this page")
    assert two_claims["a"].claim.order_number not in response.content.decode()


def test_staff_without_the_permission_cannot_open_a_photo(
    client, two_claims, staff_without_permission
):
    client.force_login(staff_without_permission)

    response = client.get(f"/claim/photos/{two_claims['photo_a']}/full.jpg")

    assert_refused(response, 404, LINK_GONE)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/admin/", id="index"),
        pytest.param("/admin/claims/claim/", id="claim-list"),
        pytest.param("/admin/claims/claim/{pk}/change/", id="claim-page"),
        pytest.param("/admin/claims/evidencephoto/", id="photo-list"),
        pytest.param("/admin/helpcentre/article/add/", id="article-add"),
    ],
)
def test_anonymous_admin_addresses_only_lead_to_the_login(client, two_claims, path):
    """The admin answers anyone signed out with its login page and nothing else."""
    address = path.format(pk=two_claims["a"].claim.pk)

    response = client.get(address)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=")
    assert two_claims["a"].claim.order_number not in response.content.decode()
