"""Hostile form posts: tampered choices, missing and extra fields, over-long
and invisible text, forged wizard steps, missing CSRF tokens, repeats.
Each refused one gets the message a person can act on, a 4xx, nothing stored."""

import time

import pytest
from django.core import signing
from django.test import Client

from claims.models import Claim
from helpcentre import forms as guide_forms
from tests.factories import make_claim, make_claim_details
from tests.hostile.checks import assert_refused
from tests.wizard import WIZARD_PREFIX_FIELD, walk_claim_wizard, wizard_post

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

CONTROLS = "This contains invisible control characters"
ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def _answer_first_steps(client):
    client.get("/claim/")
    wizard_post(client, "what-happened", {"issue_type": "damaged_item"})
    wizard_post(client, "fulfillment", {"fulfillment_method": "kingston_express"})
    wizard_post(client, "destination", {"destination": "domestic"})


def _details(client, **overrides):
    _answer_first_steps(client)
    data = make_claim_details(severity="major")
    for name, value in overrides.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    return lambda: wizard_post(client, "order-details", data)


def _step(step, data):
    def prepare(client):
        if step != "what-happened":
            _answer_first_steps(client)
        return lambda: wizard_post(client, step, data)

    return prepare


def _raw_post(url, data):
    def prepare(client):
        _answer_first_steps(client)
        return lambda: client.post(url, data)

    return prepare


def _customer(data):
    def prepare(client):
        url = f"/claim/c/{make_claim().customer_token}/"
        return lambda: client.post(url, data)

    return prepare


def _comment(**overrides):
    def prepare(client):
        from tests.factories import GUIDE_URL

        data = {
            "name": "Priya",
            "email": "priya@example.com",
            "body": "Very clear, thank you.",
            "website": "",
            "shown_at": signing.dumps(int(time.time()) - 10, salt=guide_forms._SALT),
        }
        data.update(overrides)
        return lambda: client.post(f"{GUIDE_URL}comments/", data)

    return prepare


def _vote(data):
    def prepare(client):
        from tests.factories import GUIDE_URL

        return lambda: client.post(f"{GUIDE_URL}vote/", data)

    return prepare


# (id, prepare(client) -> send(), status, text a person reads)
CASES = [
    # The claim form: tampered choices
    ("issue-type-tampered", _step("what-happened", {"issue_type": "refund_now"}), 400,
     "Select what happened to the order"),
    ("fulfillment-tampered", _step("fulfillment", {"fulfillment_method": "free_money"}), 400,
     "Select how the order was fulfilled"),
    ("destination-tampered", _step("destination", {"destination": "moon"}), 400,
     "Select whether the order was domestic or international"),
    ("severity-tampered", lambda c: _details(c, severity="catastrophic"), 400,
     "Select how bad the damage is"),
    ("quantity-huge", lambda c: _details(c, quantity_affected="1e9"), 400,
     "Enter the number of items affected, like 1 or 2"),
    ("quantity-negative", lambda c: _details(c, quantity_affected="-3"), 400, "Enter at least 1"),
    # The claim form: missing and over-long fields
    ("customer-email-missing", lambda c: _details(c, customer_email=None), 400,
     "Enter the customer&#x27;s email address"),
    ("every-detail-missing", _step("order-details", {}), 400, "Enter an order number like"),
    ("item-over-long", lambda c: _details(c, item="x" * 201), 400,
     "Ensure this value has at most 200 characters"),
    ("order-number-10k", lambda c: _details(c, order_number="K" * 10_000), 400,
     "Enter an order number like KX-48213579"),
    ("order-number-sql", lambda c: _details(c, order_number="1' OR '1'='1"), 400,
     "Enter an order number like KX-48213579"),
    ("email-header-injection", lambda c: _details(c, customer_email="a@example.com\nBcc: x@evil"),
     400, "Enter an email address like name@example.com"),
    # The claim form: invisible characters
    ("name-nul", lambda c: _details(c, customer_name="Ada\x00Lovelace"), 400,
     "Null characters are not allowed."),
    ("name-rtl-override", lambda c: _details(c, customer_name="Ada\u202eecivresmoc"), 400,
     CONTROLS),
    ("description-bell", lambda c: _details(c, description="snapped\x07off"), 400, CONTROLS),
    ("item-escape-sequence", lambda c: _details(c, item="\x1b[2J\x1b[31mMUG"), 400, CONTROLS),
    # The claim form: forged wizard steps
    ("management-form-missing", _raw_post("/claim/fulfillment/",
     {"fulfillment-fulfillment_method": "seller_managed"}), 400,
     "Something was missing from the form you sent"),
    ("step-name-forged", _raw_post("/claim/fulfillment/",
     {WIZARD_PREFIX_FIELD: "../../admin", "x-y": "z"}), 400,
     "Something was missing from the form you sent"),
    ("step-name-done", _raw_post("/claim/fulfillment/", {WIZARD_PREFIX_FIELD: "done"}), 400,
     "Something was missing from the form you sent"),
    ("step-skipped-to-check", _raw_post("/claim/check/",
     {WIZARD_PREFIX_FIELD: "check", "check-submission_key": ZERO_UUID}),
     400, "Answer this question first"),
    ("photo-source-tampered", _raw_post("/claim/photos/",
     {WIZARD_PREFIX_FIELD: "photos", "photos-photo_source": "nobody"}), 400,
     "Answer this question first"),
    # The customer's link
    ("customer-kind-tampered", _customer({"kind": "receipt", "note": "x"}), 400,
     "Select what the photos show"),
    ("customer-note-over-long", _customer({"kind": "item", "note": "n" * 2001}), 400,
     "Ensure this value has at most 2000 characters"),
    ("customer-note-controls", _customer({"kind": "item", "note": "ok\u2066hidden\u2069"}), 400,
     CONTROLS),
    ("customer-post-over-memory-limit", _customer({"kind": "item", "note": "n" * 3_000_000}), 400,
     "We could not read that request"),
    ("customer-nothing-sent", _customer({"kind": "item", "note": "   "}), 400,
     "Choose at least one photo, or write a note"),
    # Comments and votes
    ("comment-honeypot", _comment(website="http://spam.example"), 400,
     "Your comment looks automated"),
    ("comment-forged-stamp", _comment(shown_at="1700000000"), 400,
     "Your comment looks automated"),
    ("comment-fields-missing", _comment(name="", email="", body=""), 400,
     "This field is required."),
    ("comment-over-long", _comment(body="b" * 3001), 400,
     "Ensure this value has at most 3000 characters"),
    ("comment-name-controls", _comment(name="Pri\u202eya"), 400, CONTROLS),
    ("comment-email-invalid", _comment(email="<script>@x"), 400, "Enter a valid email address."),
    ("vote-tampered", _vote({"helpful": "maybe"}), 400, "Choose Yes or No"),
    ("vote-missing", _vote({}), 400, "Choose Yes or No"),
    ("vote-reason-over-long", _vote({"helpful": "no", "reason": "r" * 1001}), 400,
     "Choose Yes or No"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("prepare", "status", "text"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_a_hostile_form_post_is_refused_and_nothing_is_stored(
    client, settings, nothing_stored, prepare, status, text
):
    settings.HELPCENTRE_COMMENT_MIN_SECONDS = 0
    send = prepare(client)

    with nothing_stored():
        response = send()

    assert_refused(response, status, *([text] if text else []))


CSRF_TARGETS = [
    pytest.param(lambda: "/claim/what-happened/", {WIZARD_PREFIX_FIELD: "what-happened",
                 "what-happened-issue_type": "missing_item"}, id="claim-form"),
    pytest.param(lambda: f"/claim/c/{make_claim().customer_token}/",
                 {"kind": "item", "note": "hello"}, id="customer-link"),
    pytest.param(lambda: "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/"
                 "comments/", {"name": "a", "email": "a@example.com", "body": "b"}, id="comment"),
    pytest.param(lambda: "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/"
                 "vote/", {"helpful": "yes"}, id="vote"),
    pytest.param(lambda: "/admin/login/", {"username": "a", "password": "b"}, id="admin-login"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "data"), CSRF_TARGETS)
def test_a_post_without_the_csrf_token_gets_the_friendly_403(nothing_stored, url, data):
    client = Client(enforce_csrf_checks=True)
    address = url()

    with nothing_stored():
        response = client.post(address, data)

    assert_refused(response, 403, "Your form was not sent", "Nothing was saved.")


def test_extra_fields_cannot_set_what_the_service_decides(client):
    """Fields no form has (status, reference, ids) are ignored, not stored."""
    response = walk_claim_wizard(
        client,
        details={"status": "closed", "reference": "KXC-OWNED", "id": "1", "claim_id": "7"},
        photo_source="customer",
    )

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.reference != "KXC-OWNED"
    assert claim.status != "closed"


def test_a_repeated_submit_makes_one_claim_and_finds_it_again(client):
    first = walk_claim_wizard(client, photo_source="customer")
    check_key = client.session.get("claims_submitted")

    again = wizard_post(client, "check", {"submission_key": next(iter(check_key))})

    assert first.status_code == again.status_code == 302
    assert again.url == first.url
    assert Claim.objects.count() == 1
