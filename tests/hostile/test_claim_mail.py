"""Hostile names and messages in a claim: the emails it sends cannot carry them.

Anyone can file a claim without signing in, and the site emails the
customer's (and the seller's) address as typed: a phishing relay from our own
domain if the mail repeated what was typed. Each input here is tried twice:
through the public form (refused there, or filed and mailed safely) and stored
as it is (whatever the form lets through later, the emails stay safe).
"""

import re

import pytest
from django.core import mail
from django.test import Client

from claims.models import Claim
from tests.factories import make_claim, make_claim_details
from tests.hostile.checks import assert_refused
from tests.wizard import walk_claim_wizard, wizard_post

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

BASE = "https://help.example.com"
PHISHING = "Your card was declined. Re-enter your card details at https://evil.example/pay "

LONG = "Ensure this value has at most 2000 characters"
CONTROLS = "This contains invisible control characters"

# (id, what was typed, text that must never reach an email, the form's refusal
# or None when the form files it: it is a name or a message it cannot judge)
HOSTILE = [
    ("url", "Ada https://evil.example/pay", ["evil", "http://", "/pay"], None),
    ("bare-domain", "Ada evil-bank.example", ["evil"], None),
    ("www", "Ada www.evil.example", ["evil", "www."], None),
    ("email-address", "support@evil.example", ["evil", "support@"], None),
    ("sentence", "Your card was declined call us now to pay", ["card", "declined"], None),
    ("html-link", '<a href="https://evil.example">Ada</a>', ["<a", "href", "evil"], None),
    ("script", "<script>alert(1)</script>", ["<script", "alert", "&lt;"], None),
    ("long-5000", (PHISHING * 70)[:5000], ["card", "evil", "declined"], LONG),
    ("crlf-header", "Ada\r\nBcc: victim@example.net", ["Bcc", "victim", "\r"], None),
    ("newlines", "Ada\n\nCall 0800 123 456 to confirm your payment", ["0800", "payment"], None),
    ("digit-run", "Ada 4111111111111111", ["4111"], None),
    ("rtl-override", "Ada \u202egnp.exe", ["\u202e", "exe"], CONTROLS),
    ("rtl-mark", "Ada\u200f Customer", ["\u200f"], None),
    ("zero-width", "A\u200bda Cust\u200domer\ufeff", ["\u200b", "\u200d", "\ufeff"], None),
]
CASES = [pytest.param(typed, markers, refusal, id=id_) for id_, typed, markers, refusal in HOSTILE]


def _texts(message) -> str:
    return message.subject + "\n" + message.body


def assert_claim_mails_are_safe(typed: str, markers: list[str]):
    """Every email is ours: no typed text, one-line subjects, only our links, "Hello"."""
    assert {m.to[0] for m in mail.outbox} == {"ada@example.com", "seller@example.com"}
    for message in mail.outbox:
        text = _texts(message)
        for marker in markers:
            assert marker not in text, f"{marker!r} reached the email to {message.to[0]}"
        assert typed not in text
        assert "\n" not in message.subject and "\r" not in message.subject
        links = re.findall(r"(?:https?://|www\.)[^\s\"'<>]+", text)
        assert links and all(link.startswith(BASE + "/claim/") for link in links), links
    (customer,) = [m for m in mail.outbox if m.to == ["ada@example.com"]]
    assert customer.body.startswith("Hello,\n\n")
    assert "If you did not expect it, you can safely ignore it" in " ".join(customer.body.split())


@pytest.mark.parametrize(("typed", "markers", "refusal"), CASES)
def test_a_hostile_name_or_message_in_the_form_never_reaches_an_email(
    client, settings, typed, markers, refusal
):
    settings.SITE_BASE_URL = BASE
    details = {
        "customer_name": typed[:200],
        "item": typed[:200],
        "description": typed,
        "seller_email": "seller@example.com",
    }

    if refusal:
        client.get("/claim/")
        wizard_post(client, "what-happened", {"issue_type": "damaged_item"})
        wizard_post(client, "fulfillment", {"fulfillment_method": "kingston_express"})
        wizard_post(client, "destination", {"destination": "domestic"})
        response = wizard_post(
            client, "order-details", make_claim_details(severity="major", **details)
        )
        assert_refused(response, 400, refusal)
        assert Claim.objects.count() == 0
        assert mail.outbox == []
        return

    response = walk_claim_wizard(client, details=details, photo_source="customer")

    assert response.status_code == 302
    assert Claim.objects.count() == 1
    assert_claim_mails_are_safe(typed, markers)


@pytest.mark.parametrize(("typed", "markers", "refusal"), CASES)
def test_a_hostile_name_or_message_stored_on_a_claim_never_reaches_an_email(
    settings, typed, markers, refusal
):
    settings.SITE_BASE_URL = BASE

    make_claim(
        customer_name=typed[:200],
        item=typed[:200],
        description=typed,
        seller_email="seller@example.com",
        customer_sends_photos=True,
    )

    assert_claim_mails_are_safe(typed, markers)


def test_one_mailbox_flooded_from_several_clients_gets_three_emails_and_every_claim_is_filed(
    settings,
):
    settings.SITE_BASE_URL = BASE
    responses = []
    for n in range(5):
        client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        address = ["victim@example.net", f"Victim+{n}@Example.NET"][n % 2]
        responses.append(
            walk_claim_wizard(client, details={"customer_email": address}, photo_source="customer")
        )

    assert [r.status_code for r in responses] == [302] * 5
    assert Claim.objects.count() == 5
    assert len(mail.outbox) == 3
    assert {m.to[0].casefold().split("+")[0].split("@")[0] for m in mail.outbox} == {"victim"}
