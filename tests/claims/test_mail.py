"""What a claim email may say and how many one mailbox gets (claims/mail.py, claims/tasks.py).

The customer's and the seller's addresses are typed into a public form: the
emails to them carry only fields whose shape we control, our own links, the
customer's name only when it is plainly a name, and at most
RATE_LIMITS["claim-mail"] of them reach one mailbox.
"""

import logging
import re

import pytest
from django.core import mail

from claims import tasks
from claims.mail import greeting, greeting_name, mail_order_number, mailbox, one_line
from claims.mail import recipient_key as key_for
from claims.models import Claim, Escalation
from tests.factories import make_claim
from tests.wizard import walk_claim_wizard

pytestmark = pytest.mark.django_db

# --- The greeting: a table ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ada Customer", "Hello Ada Customer"),
        ("  Ada Customer  ", "Hello Ada Customer"),
        ("Ada", "Hello Ada"),
        ("Seán O'Brien", "Hello Seán O'Brien"),
        ("Siobhán Ní Bhriain", "Hello Siobhán Ní Bhriain"),
        ("D\u2019Angelo", "Hello D\u2019Angelo"),
        ("Jean-Luc Picard", "Hello Jean-Luc Picard"),
        ("José Álvarez", "Hello José Álvarez"),
        ("Jose\u0301", "Hello José"),  # decomposed accent, greeted composed
        ("Zoë", "Hello Zoë"),
        ("李小龙", "Hello 李小龙"),
        ("अनिल कुमार", "Hello अनिल कुमार"),  # vowel signs are combining marks
        ("Maria de los Angeles Garcia", "Hello Maria de los Angeles Garcia"),
        ("A" * 60, "Hello " + "A" * 60),
        # Anything else gets a plain "Hello".
        ("", "Hello"),
        ("   ", "Hello"),
        ("A" * 61, "Hello"),
        ("A" * 200, "Hello"),
        ("Maria de los Angeles Garcia Lopez", "Hello"),  # six words reads like a sentence
        ("Ada2", "Hello"),
        ("Ada 0800 123 456", "Hello"),
        ("Ada 4111111111111111", "Hello"),
        ("Ada https://evil.example/pay", "Hello"),
        ("evil.example", "Hello"),
        ("www.evil.example", "Hello"),
        ("ada@evil.example", "Hello"),
        ("<b>Ada</b>", "Hello"),
        ("Ada &amp; Bob", "Hello"),
        ("Ada\nCustomer", "Hello"),
        ("Ada\r\nBcc: victim@example.com", "Hello"),
        ("Ada\tCustomer", "Hello"),
        ("Ada  Customer", "Hello"),
        ("Ada\u00a0Customer", "Hello"),  # no-break space
        ("Ada \u202egnp.exe", "Hello"),  # right-to-left override
        ("Ada\u200f", "Hello"),  # right-to-left mark
        ("A\u200bda", "Hello"),  # zero-width space
        ("Ada\u200d", "Hello"),  # zero-width joiner
        ("\ufeffAda", "Hello"),  # byte order mark
        ("-Ada", "Hello"),
        ("Ada-", "Hello"),
        ("O''Brien", "Hello"),
        ("Dr. Ada", "Hello"),
        ("Ada_Customer", "Hello"),
        ("Ada, call us", "Hello"),
        ("\u2166", "Hello"),  # Roman numeral seven: a number, not a letter
        ("Ada\u20dd", "Hello"),  # enclosing circle: not a mark a name needs
    ],
)
def test_the_customer_is_greeted_by_name_only_when_it_is_plainly_a_name(typed, expected):
    assert greeting(typed) == expected
    assert (greeting_name(typed) is None) == (expected == "Hello")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("KX-48213579", "KX-48213579"),
        ("123456", "123456"),
        ("A" * 30, "A" * 30),
        ("A" * 31, ""),
        ("", ""),
        ("-KX1234", ""),
        ("KX 1234", ""),
        ("KX-1\r\nBcc: x@evil.example", ""),
        ("evil.example/pay", ""),
        ("<b>KX1234</b>", ""),
        ("KX\u202e1234", ""),
        ("KX\u200b1234", ""),
        ("KX１２３４", ""),  # full-width digits
    ],
)
def test_only_an_order_number_shaped_like_one_goes_into_an_email(typed, expected):
    assert mail_order_number(typed) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("ada@example.com", "ada@example.com"),
        ("  Ada@Example.COM ", "ada@example.com"),
        ("ada+claims@example.com", "ada@example.com"),
        ("ada+1+2@example.com", "ada@example.com"),
        ("a.da@example.com", "a.da@example.com"),  # dots matter elsewhere
        ("A.d.a+x@GMail.com", "ada@gmail.com"),
        ("ada@googlemail.com", "ada@gmail.com"),
        ("STRASSE@example.com", "strasse@example.com"),
        ("Straße@example.com", "strasse@example.com"),  # casefolded, not only lowered
    ],
)
def test_one_mailbox_is_counted_once_however_its_address_is_written(address, expected):
    assert mailbox(address) == expected
    assert key_for(address) == key_for(expected)


def test_the_rate_limit_key_holds_no_address():
    key = key_for("ada@example.com")

    assert "ada" not in key and "example" not in key
    assert re.fullmatch(r"claim-mail-recipient:[0-9a-f]{64}", key)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Claim KXC-23456789\n", "Claim KXC-23456789"),
        ("a\r\nBcc: x@evil.example", "a Bcc: x@evil.example"),
        ("a\u2028b\u0085c", "a b c"),
        ("  a   b  ", "a b"),
    ],
)
def test_a_subject_is_always_one_line(text, expected):
    assert one_line(text) == expected


# --- The emails ----------------------------------------------------------------------


def _texts(message) -> str:
    return message.subject + "\n" + message.body


def _links(text: str) -> list[str]:
    return re.findall(r"(?:https?://|www\.)[^\s\"'<>]+", text)


def _mail_to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


def test_the_customer_email_holds_the_order_the_reference_and_our_link_and_nothing_typed(
    settings,
):
    settings.SITE_BASE_URL = "https://help.example.com"
    submitted = make_claim(
        customer_name="Ada Customer",
        item="Ceramic mug, SKU MUG-001",
        description="The handle is snapped off.",
        customer_sends_photos=True,
    )

    (message,) = _mail_to("ada@example.com")
    assert message.subject == "Your report about order KX-48213579 has been received"
    assert message.body.startswith("Hello Ada Customer,\n\n")
    assert submitted.claim.reference in message.body
    assert f"https://help.example.com/claim/c/{submitted.customer_token}/" in message.body
    assert "Ceramic mug" not in message.body and "MUG-001" not in message.body
    assert "handle" not in message.body
    assert _links(_texts(message)) == [
        f"https://help.example.com/claim/c/{submitted.customer_token}/"
    ]


def test_every_claim_email_says_why_it_came_and_what_to_do_if_it_was_not_expected(settings):
    settings.SITE_BASE_URL = "https://help.example.com"
    make_claim(seller_email="seller@example.com")

    (customer,) = _mail_to("ada@example.com")
    (seller,) = _mail_to("seller@example.com")
    for message, role in [(customer, "customer's"), (seller, "seller's")]:
        body = " ".join(message.body.split())
        assert "filed a claim about order KX-48213579 on the Seller Help Centre" in body
        assert f"(help.example.com) and gave this address as the {role}" in body
        assert "If you did not expect it, you can safely ignore it" in body


def test_the_seller_email_holds_the_reference_the_order_and_our_two_links(settings):
    settings.SITE_BASE_URL = "https://help.example.com"
    submitted = make_claim(seller_email="seller@example.com", customer_name="Ada Customer")

    (message,) = _mail_to("seller@example.com")
    assert message.subject == f"Claim {submitted.claim.reference} for order KX-48213579"
    assert "Ada" not in _texts(message)
    assert _links(_texts(message)) == [
        f"https://help.example.com/claim/r/{submitted.result_token}/",
        f"https://help.example.com/claim/c/{submitted.customer_token}/",
    ]


def test_an_order_number_of_another_shape_is_left_out_and_the_subject_stays_one_line():
    # The form refuses it; a row edited or imported some other way still mails safely.
    submitted = make_claim(seller_email="seller@example.com")
    Claim.objects.filter(pk=submitted.claim.pk).update(order_number="KX\r\nBcc: x@evil.example")
    mail.outbox.clear()

    tasks.send_customer_confirmation.call(
        claim_reference=submitted.claim.reference, customer_link="http://127.0.0.1:8000/claim/c/x/"
    )
    tasks.send_seller_confirmation.call(
        claim_reference=submitted.claim.reference,
        result_link="http://127.0.0.1:8000/claim/r/x/",
        customer_link="http://127.0.0.1:8000/claim/c/x/",
    )

    customer, seller = mail.outbox
    assert customer.subject == f"Your report {submitted.claim.reference} has been received"
    assert seller.subject == f"Claim {submitted.claim.reference}"
    for message in (customer, seller):
        assert "evil" not in _texts(message) and "Bcc" not in _texts(message)
        assert "a claim on the Seller Help Centre" in " ".join(message.body.split())


def test_a_link_that_is_not_ours_is_never_sent(settings, caplog):
    submitted = make_claim()
    mail.outbox.clear()

    with caplog.at_level(logging.ERROR, logger="claims.tasks"):
        tasks.send_customer_confirmation.call(
            claim_reference=submitted.claim.reference,
            customer_link="https://evil.example/claim/c/x/",
        )

    assert mail.outbox == []
    assert "a link is not on SITE_BASE_URL" in caplog.text


def test_an_address_that_is_not_one_is_skipped_without_a_crash():
    submitted = make_claim()
    Claim.objects.filter(pk=submitted.claim.pk).update(
        customer_email="ada@example.com\r\nBcc: victim@example.com"
    )
    mail.outbox.clear()

    tasks.send_customer_confirmation.call(
        claim_reference=submitted.claim.reference, customer_link="http://127.0.0.1:8000/claim/c/x/"
    )

    assert mail.outbox == []


# --- How many one mailbox gets --------------------------------------------------------


def test_a_fourth_claim_email_to_one_address_in_a_day_is_not_sent_but_the_claim_is_filed(
    caplog,
):
    for _ in range(3):
        make_claim(customer_email="ada@example.com")
    assert len(_mail_to("ada@example.com")) == 3

    with caplog.at_level(logging.WARNING, logger="claims.tasks"):
        fourth = make_claim(customer_email="Ada+again@Example.com")

    assert Claim.objects.count() == 4
    assert Claim.objects.filter(pk=fourth.claim.pk).exists()
    assert len(mail.outbox) == 3
    assert _mail_to("Ada+again@Example.com") == []
    assert f"Claim {fourth.claim.reference}: no customer email" in caplog.text
    # The log names the claim, never the address.
    assert "example.com" not in caplog.text.lower() and "again" not in caplog.text


def test_the_count_is_per_mailbox_and_covers_the_seller_email_too():
    for n in range(3):
        make_claim(customer_email=f"customer{n}@example.com", seller_email="victim@example.com")
    make_claim(customer_email="customer3@example.com", seller_email="VICTIM@example.com")
    make_claim(customer_email="victim@example.com")

    assert len(_mail_to("victim@example.com") + _mail_to("VICTIM@example.com")) == 3
    # Other mailboxes are not held back by it.
    assert all(len(_mail_to(f"customer{n}@example.com")) == 1 for n in range(4))


def test_the_limit_per_address_comes_from_the_setting(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "claim-mail": (1, 60)}

    make_claim()
    make_claim()

    assert Claim.objects.count() == 2
    assert len(_mail_to("ada@example.com")) == 1


def test_the_seller_is_never_refused_when_the_customer_had_too_many_emails(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "claim-mail": (0, 60)}

    response = walk_claim_wizard(client, photo_source="customer")

    assert response.status_code == 302
    assert mail.outbox == []
    page = client.get(response.url).content.decode()
    assert Claim.objects.get().reference in page
    # The page does not promise an email that may not have gone.
    assert "unless that address had already had several claim emails from us recently" in page


# --- The escalation to Kingston Express Support ---------------------------------------


def test_an_escalation_subject_is_one_line_whatever_the_order_number(reviewer):
    claim = make_claim().claim
    escalation = Escalation.objects.create(
        claim=claim,
        order_number="KX-1\r\nBcc: x@evil.example",
        issue_type=claim.issue_type,
        reason=Escalation.Reason.INSPECTION_UNCLEAR,
        sent_to="support@kx.example",
        raised_by=reviewer,
    )
    mail.outbox.clear()

    tasks.send_support_escalation.call(escalation_id=escalation.pk)

    (message,) = mail.outbox
    assert message.subject == f"Escalation: claim {claim.reference}"
