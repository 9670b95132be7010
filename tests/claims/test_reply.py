"""claims.reply: the reply to the customer, composed for each case from the
guide's rows (greeting, template sentence, case lines, link, reference)."""

import pytest

from claims.choices import FulfillmentMethod, IssueType
from claims.reply import compose, customer_acts, invitation, photos_wanted
from claims.rules import decide
from tests.factories import make_claim_facts, seeded_guidance_rules

RULES = seeded_guidance_rules()
KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
LINK = "https://help.example.com/claim/c/abc/"
KX_SENTENCE = (
    "Thanks for letting us know. Please submit the issue through your order so it can be "
    "reviewed. Once the inspection is complete, the next steps will be confirmed."
)
SM_SENTENCE = (
    "Thanks for the update. Please share photos of the item and packaging so we can review "
    "and resolve this for you."
)
SM_WITHOUT_ITEM = (
    "Thanks for the update. Please share photos of the package and the packing materials so "
    "we can review and resolve this for you."
)
SM_PHOTOS_IN = (
    "Thanks for the update, and for the photos. We will review them and resolve this for you."
)
DAMAGED_PHOTOS = "Please include photos of the damaged item"
WRONG_PHOTOS = "Please include photos of the item you received"
MISSING_PHOTOS = "there is no need to photograph it"
PARTIAL_PHOTOS = "the items that did arrive"
HAVE_PHOTOS = "We have the photos you already sent"
ABROAD = "As this is an international order, the review can take longer"
KX_LINK = "To submit the issue through your order, use its private link:"
SM_LINK = "Please add your photos through this private link:"


def reply_for(method, issue, *, international=False, photos=False, name="Ada", link=LINK):
    facts = make_claim_facts(
        fulfillment_method=method,
        issue_type=issue,
        is_international=international,
        photos_received=photos,
    )
    return compose(
        decide(facts, RULES), customer_name=name, reference="KXC-ABCD1234", customer_link=link
    )


# Every path: (method, issue, international, photos in) -> the template
# sentence, the case lines that must be there and those that must not.
CASES = [
    (KX, IssueType.DAMAGED_ITEM, False, False, KX_SENTENCE, [DAMAGED_PHOTOS], [ABROAD]),
    (KX, IssueType.DAMAGED_ITEM, True, False, KX_SENTENCE, [DAMAGED_PHOTOS, ABROAD], []),
    (KX, IssueType.MISSING_ITEM, False, False, KX_SENTENCE, [MISSING_PHOTOS], [DAMAGED_PHOTOS]),
    (KX, IssueType.PARTIAL_ORDER, True, False, KX_SENTENCE, [PARTIAL_PHOTOS, ABROAD], []),
    (KX, IssueType.WRONG_ITEM, False, False, KX_SENTENCE, [WRONG_PHOTOS], [HAVE_PHOTOS]),
    (KX, IssueType.DAMAGED_ITEM, False, True, KX_SENTENCE, [HAVE_PHOTOS], [DAMAGED_PHOTOS]),
    (SM, IssueType.DAMAGED_ITEM, False, False, SM_SENTENCE, [DAMAGED_PHOTOS], [HAVE_PHOTOS]),
    (SM, IssueType.DAMAGED_ITEM, True, True, SM_PHOTOS_IN, [HAVE_PHOTOS, ABROAD], [DAMAGED_PHOTOS]),
    (SM, IssueType.MISSING_ITEM, False, False, SM_WITHOUT_ITEM, [MISSING_PHOTOS], [SM_SENTENCE]),
    (SM, IssueType.MISSING_ITEM, False, True, SM_PHOTOS_IN, [HAVE_PHOTOS], [MISSING_PHOTOS]),
    (SM, IssueType.PARTIAL_ORDER, True, False, SM_WITHOUT_ITEM, [PARTIAL_PHOTOS, ABROAD], []),
    (SM, IssueType.WRONG_ITEM, False, False, SM_SENTENCE, [WRONG_PHOTOS], [ABROAD]),
]


@pytest.mark.parametrize(
    ("method", "issue", "international", "photos", "sentence", "present", "absent"), CASES
)
def test_the_reply_for_each_case(method, issue, international, photos, sentence, present, absent):
    reply = reply_for(method, issue, international=international, photos=photos)

    assert reply.template == sentence
    for line in present:
        assert any(line in text for text in reply.lines), line
    for line in absent:
        assert line not in reply.text, line
    assert reply.greeting == "Hello Ada,"
    assert "Your claim reference: KXC-ABCD1234" in reply.text
    assert reply.text.endswith("Kind regards")


def test_the_guides_sentence_is_kept_word_for_word_where_it_fits():
    assert KX_SENTENCE in reply_for(KX, IssueType.MISSING_ITEM).text
    assert SM_SENTENCE in reply_for(SM, IssueType.DAMAGED_ITEM).text


@pytest.mark.parametrize(
    ("method", "photos", "link_line"),
    [
        (KX, False, KX_LINK),
        # On a Kingston Express order the link is how they submit it through the order.
        (KX, True, KX_LINK),
        (SM, False, SM_LINK),
        # Seller-managed with photos in: nothing for the customer to do.
        (SM, True, ""),
    ],
)
def test_the_link_is_in_the_reply_only_where_the_customer_acts(method, photos, link_line):
    reply = reply_for(method, IssueType.DAMAGED_ITEM, photos=photos)

    assert reply.link_line == (f"{link_line}\n{LINK}" if link_line else "")
    assert (LINK in reply.text) is bool(link_line)


def test_a_switched_off_link_sends_the_customer_nowhere():
    reply = reply_for(KX, IssueType.DAMAGED_ITEM, link="")

    assert reply.link_line == ""
    assert "/claim/c/" not in reply.text


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Ada Lovelace", "Hello Ada Lovelace,"),
        ("", "Hello,"),
        ("Visit https://evil.example now", "Hello,"),
        ("Ada\nYour card was declined", "Hello,"),
    ],
)
def test_the_greeting_uses_the_name_only_when_it_is_plainly_a_name(name, greeting):
    assert reply_for(KX, IssueType.DAMAGED_ITEM, name=name).greeting == greeting


@pytest.mark.parametrize(
    ("issue", "wanted"),
    [
        (
            IssueType.DAMAGED_ITEM,
            "the outer box with its label, the item and the packing materials",
        ),
        (IssueType.MISSING_ITEM, "the outer box with its label and the packing materials"),
    ],
)
def test_the_photos_asked_for_never_include_an_item_that_did_not_arrive(issue, wanted):
    facts = make_claim_facts(issue_type=issue)

    assert photos_wanted(decide(facts, RULES).evidence_rules) == wanted


@pytest.mark.parametrize(
    ("method", "photos", "start"),
    [
        (KX, False, "To submit the issue through your order, use its private link, and add"),
        (KX, True, "To submit the issue through your order, use its private link:"),
        (SM, False, "Please add photos of the outer box with its label"),
        (SM, True, "You can add more photos or a note through this private link:"),
    ],
)
def test_the_customers_email_invites_them_in_the_replys_words(method, photos, start):
    facts = make_claim_facts(fulfillment_method=method, photos_received=photos)

    assert invitation(facts, decide(facts, RULES).evidence_rules).startswith(start)


@pytest.mark.parametrize(
    ("method", "photos", "acts"),
    [(KX, False, True), (KX, True, True), (SM, False, True), (SM, True, False)],
)
def test_who_is_expected_to_act(method, photos, acts):
    assert (
        customer_acts(make_claim_facts(fulfillment_method=method, photos_received=photos)) is acts
    )
