"""The claim's secrets: the human reference and the two private links.

- The reference (``KXC-7H3K9QWD``) is what people quote on the phone: short,
  random, without look-alike characters. It opens nothing by itself.
- The seller's result token is derived from the form's submission key with the
  site's secret, so a repeated submit of the same form finds the same link
  again; the database keeps only its SHA-256.
- The customer's token is derived from the result token and a nonce: whoever
  holds the seller's link can show (and renew) the customer's link, but the
  customer's link never leads back to the seller's page. The database keeps
  only its SHA-256 too.
"""

import base64
import hashlib
import hmac
import secrets
import uuid

from django.utils.crypto import salted_hmac

REFERENCE_PREFIX = "KXC-"
# Crockford-like alphabet: no 0/O, 1/I/L, so a reference read aloud survives.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
# The width of `Claim.customer_link_nonce`. SQLite stores a longer value without a
# word; PostgreSQL refuses it, and with it every claim, so the two must agree
# (tests/claims/test_tokens.py holds them to the model field).
CUSTOMER_LINK_NONCE_LENGTH = 32


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def result_token_for(submission_key: uuid.UUID | str) -> str:
    """The seller's private link token for one submitted form (256 bits)."""
    mac = salted_hmac("claims.result-token", str(submission_key), algorithm="sha256")
    return _b64(mac.digest())


def new_customer_link_nonce() -> str:
    """A random nonce exactly as wide as its column (two hex characters a byte)."""
    return secrets.token_hex(CUSTOMER_LINK_NONCE_LENGTH // 2)


def customer_token_for(result_token: str, nonce: str) -> str:
    """The customer's link token: one-way from the seller's token."""
    digest = hmac.new(
        result_token.encode(), f"customer-link:{nonce}".encode(), hashlib.sha256
    ).digest()
    return _b64(digest)


def looks_like_token(value: str) -> bool:
    """Cheap shape check before touching the database."""
    return 20 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
