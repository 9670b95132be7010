"""The claim's secrets: their formats, and that each fits the column that keeps it."""

import base64
import hashlib
import hmac
import string
import uuid

import pytest
from django.conf import settings

from claims.models import Claim
from claims.tokens import (
    CUSTOMER_LINK_NONCE_LENGTH,
    REFERENCE_ALPHABET,
    REFERENCE_PREFIX,
    customer_token_for,
    looks_like_token,
    new_customer_link_nonce,
    new_reference,
    result_token_for,
)

# Enough keys that some token ends in every base64 character, padding-like ones too.
KEYS = [uuid.UUID(int=n) for n in range(1, 400)]


def b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def expected_result_token(key) -> str:
    # Django's salted HMAC, written out: the key is SHA-256 of salt + secret.
    hmac_key = hashlib.sha256(f"claims.result-token{settings.SECRET_KEY}".encode()).digest()
    return b64(hmac.new(hmac_key, str(key).encode(), hashlib.sha256).digest())


def expected_customer_token(result_token: str, nonce: str) -> str:
    message = f"customer-link:{nonce}".encode()
    return b64(hmac.new(result_token.encode(), message, hashlib.sha256).digest())


def test_the_nonce_is_exactly_as_wide_as_its_column():
    # SQLite stores a longer nonce silently; PostgreSQL refuses it and with it the claim.
    width = Claim._meta.get_field("customer_link_nonce").max_length
    assert width == CUSTOMER_LINK_NONCE_LENGTH
    nonces = {new_customer_link_nonce() for _ in range(50)}
    assert {len(nonce) for nonce in nonces} == {width}
    assert all(set(nonce) <= set(string.hexdigits.lower()) for nonce in nonces)
    assert len(nonces) == 50


def test_the_reference_is_the_prefix_and_eight_characters_from_the_read_aloud_alphabet():
    references = {new_reference() for _ in range(200)}
    assert len(references) == 200
    for reference in references:
        assert reference.startswith("KXC-")
        assert len(reference) == 12
        assert set(reference.removeprefix("KXC-")) <= set(REFERENCE_ALPHABET)
    assert max(len(r) for r in references) <= Claim._meta.get_field("reference").max_length
    # Over 200 references every character of the alphabet turns up.
    assert set("".join(r[4:] for r in references)) == set(REFERENCE_ALPHABET)


def test_the_reference_alphabet_leaves_out_the_look_alikes():
    assert REFERENCE_PREFIX == "KXC-"
    look_alikes = set("01ILO")
    expected = "".join(c for c in string.digits + string.ascii_uppercase if c not in look_alikes)
    assert expected == REFERENCE_ALPHABET


@pytest.mark.parametrize("key", [KEYS[0], str(KEYS[0])], ids=["uuid", "str"])
def test_the_result_token_is_the_salted_hmac_of_the_submission_key(key):
    assert result_token_for(key) == expected_result_token(KEYS[0])


def test_result_tokens_are_43_url_safe_characters_one_per_submission():
    tokens = [result_token_for(key) for key in KEYS]
    assert tokens == [expected_result_token(key) for key in KEYS]
    assert len(set(tokens)) == len(KEYS)
    for token in tokens:
        assert len(token) == 43  # 256 bits, unpadded
        assert "=" not in token
        assert looks_like_token(token)


def test_the_customer_token_is_one_way_from_the_result_token_and_the_nonce():
    result_token = result_token_for(KEYS[0])
    nonce = "0123456789abcdef0123456789abcdef"
    token = customer_token_for(result_token, nonce)
    assert token == expected_customer_token(result_token, nonce)
    assert token != result_token
    assert customer_token_for(result_token, nonce) == token
    assert customer_token_for(result_token, "f" * 32) != token
    assert customer_token_for(result_token_for(KEYS[1]), nonce) != token
    assert len(token) == 43
    assert looks_like_token(token)


def test_customer_tokens_match_the_hmac_for_many_links():
    nonce = "a" * 32
    for key in KEYS:
        result_token = result_token_for(key)
        assert customer_token_for(result_token, nonce) == expected_customer_token(
            result_token, nonce
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", False),
        ("a" * 19, False),
        ("a" * 20, True),
        ("A1" * 16, True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("-" * 20, True),
        ("_" * 20, True),
        ("a" * 19 + "=", False),
        ("a" * 19 + ".", False),
        ("a" * 19 + "/", False),
        ("a" * 19 + "+", False),
        ("a" * 19 + " ", False),
        ("../" + "a" * 20, False),
    ],
    ids=lambda value: repr(value)[:12] if isinstance(value, str) else str(value),
)
def test_looks_like_token_accepts_20_to_64_url_safe_characters(value, expected):
    assert looks_like_token(value) is expected
