"""The reply check: the mechanism (claims.reply_check) as a table, its measured
precision and recall on the labelled seller replies as a floor, and the result
page's check (a plain form post, and the page's as-you-type requests)."""

import pytest

from bench.reply_check import evaluate, labelled_replies, seeded_check_rules, split_of
from claims.choices import FulfillmentMethod, IssueType
from claims.reply_check import CheckRule, check, compile_patterns, normalise, sentences
from tests.factories import make_claim, make_claim_facts

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED

REFUND = CheckRule(
    code="refund",
    name="Offers a refund",
    patterns=compile_patterns(r"\brefund(?:ed)?\s+you\b" "\n" r"\bmoney\s+back\b"),
    safe_when=compile_patterns(r"\bonce\b[^.]*\breview"),
    fulfillment_method=KX,
    rule_text="Do not refund immediately",
    anchor="what-sellers-should-not-do",
    suggestion="Once the inspection is complete, the next steps will be confirmed.",
)
PHOTOS = CheckRule(
    code="photos",
    name="Asks for photos of a missing item",
    patterns=compile_patterns(r"\bphotos?\s+of\s+the\s+item\b"),
    issue_types=frozenset({IssueType.MISSING_ITEM, IssueType.PARTIAL_ORDER}),
)
ABROAD = CheckRule(
    code="abroad",
    name="Promises a date",
    patterns=(compile_patterns(r"\btoday\b")),
    international=True,
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We'll refund you today.", ["refund"]),
        ("WE WILL REFUND YOU.", ["refund"]),
        # Negation before the match, in the same clause.
        ("We will not refund you until the inspection is complete.", []),
        ("We won't refund you yet.", []),
        ("No money back before the inspection, sorry.", []),
        # A negation in another clause does not reach the match.
        ("Don't worry, we'll refund you.", ["refund"]),
        # A reassurance negates nothing, even without the comma.
        ("dont worry we'll refund you", ["refund"]),
        ("No worries we refunded you already", ["refund"]),
        ("I can't say more now, but we refunded you already.", ["refund"]),
        # Safe when the sentence says so, only that sentence.
        ("We'll refund you once we have reviewed it.", []),
        ("We'll refund you once we have reviewed it. Money back guaranteed!", ["refund"]),
        ("Thanks for letting us know.", []),
        # Text-speak and missing apostrophes are read spelled out.
        ("ill refund u today", ["refund"]),
        ("we wont refund u yet", []),
        ("i cant refund you yet", []),
        ("dont worry we'll refund you", ["refund"]),
        # The customer's words repeated back are theirs, not the seller's promise.
        ("You mentioned wanting your money back.", []),
        ("You asked if we could refund you today.", []),
        ("You'd like your money back, I understand.", []),
        ("You've asked for your money back.", []),
        ("Do you want your money back?", ["refund"]),
        ("If you want I'll refund you.", ["refund"]),
        # A later condition governs the promise only in the promise's own clause.
        ("We'll refund you once we have reviewed it.", []),
        ("We'll refund you today and once the photos come I'll review them.", ["refund"]),
        # A review said to be done covers the sentences after it, not before.
        ("Once I have reviewed it I'll decide. We'll refund you today.", ["refund"]),
    ],
)
def test_negation_clauses_and_safe_sentences(text, found):
    findings = check(text, make_claim_facts(), [REFUND])

    assert [f.code for f in findings] == found


DONE = CheckRule(
    code="refund",
    name="Offers a refund",
    patterns=compile_patterns(r"\brefund(?:ed)?\s+you\b"),
    safe_when=compile_patterns(r"\b(?:i|we)(?:'ve|\s+have)\s+reviewed\b"),
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I've reviewed your photos. We'll refund you today.", []),
        ("We'll refund you today. I've reviewed your photos.", ["refund"]),
    ],
)
def test_a_review_said_to_be_done_covers_what_follows(text, found):
    assert [f.code for f in check(text, make_claim_facts(), [DONE])] == found


def test_findings_quote_the_sellers_own_spelling():
    text = "thx for ur patience!! " + "we looked everywhere " * 8 + "and ill refund u asap"

    (finding,) = check(text, make_claim_facts(), [REFUND])

    assert "ill refund u asap" in finding.quote
    assert "I'll" not in finding.quote


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("are u sure u didnt", "are you sure you didn't"),
        ("I’ll send it tmrw", "I'll send it tomorrow"),
        ("Thanks for ur patience & sorry", "Thanks for your patience  and  sorry"),
        ("A U-bend, an ID", "A U-bend, an ID"),
    ],
)
def test_text_speak_is_read_spelled_out(text, read):
    assert normalise(text)[0] == read


@pytest.mark.parametrize(
    ("facts", "codes"),
    [
        (
            make_claim_facts(fulfillment_method=KX, issue_type=IssueType.MISSING_ITEM),
            {"refund", "photos"},
        ),
        (make_claim_facts(fulfillment_method=SM, issue_type=IssueType.MISSING_ITEM), {"photos"}),
        (make_claim_facts(fulfillment_method=KX, issue_type=IssueType.DAMAGED_ITEM), {"refund"}),
        (make_claim_facts(fulfillment_method=SM, is_international=True), {"abroad"}),
    ],
)
def test_a_rule_applies_only_to_its_cases(facts, codes):
    text = "We'll refund you today. Please send photos of the item."

    assert {f.code for f in check(text, facts, [REFUND, PHOTOS, ABROAD])} == codes


def test_a_finding_quotes_the_sellers_sentence_and_names_the_rule():
    text = "Hi Ada. So sorry! We will refund you straight away, promise. Best, Sam"

    (finding,) = check(text, make_claim_facts(), [REFUND])

    assert finding.quote == "We will refund you straight away, promise."
    assert finding.rule_text == "Do not refund immediately"
    assert finding.anchor == "what-sellers-should-not-do"
    assert finding.suggestion.startswith("Once the inspection is complete")


def test_a_long_sentence_is_quoted_around_the_match():
    text = "word " * 100 + "we refunded you " + "word " * 100

    (finding,) = check(text, make_claim_facts(), [REFUND])

    assert len(finding.quote) <= 170
    assert "refunded you" in finding.quote


def test_each_rule_is_reported_once():
    text = "We refunded you. We refunded you again. Money back!"

    assert len(check(text, make_claim_facts(), [REFUND])) == 1


def test_sentences_split_on_stops_and_line_breaks():
    assert sentences("Hello Ada,\n\nThanks! Is it broken? Yes.") == [
        "Hello Ada,",
        "Thanks!",
        "Is it broken?",
        "Yes.",
    ]


def test_a_pattern_that_is_not_a_valid_expression_is_named():
    with pytest.raises(ValueError, match=r"line 2: '\(unclosed' is not a valid pattern"):
        compile_patterns("fine\n(unclosed")


def test_every_seeded_reply_passes_its_own_check():
    """The composed replies, the guide's words, are never flagged."""
    from claims.reply import compose
    from claims.rules import decide
    from tests.factories import seeded_guidance_rules

    rules, guidance_rules = seeded_check_rules(), seeded_guidance_rules()
    for method in FulfillmentMethod:
        for issue in IssueType:
            for international in (False, True):
                for photos in (False, True):
                    facts = make_claim_facts(
                        fulfillment_method=method,
                        issue_type=issue,
                        is_international=international,
                        photos_received=photos,
                    )
                    reply = compose(
                        decide(facts, guidance_rules),
                        customer_name="Ada",
                        reference="KXC-ABCD1234",
                        customer_link="https://help.example.com/claim/c/abc/",
                    )
                    assert check(reply.text, facts, rules) == (), (facts, reply.text)


# --- Measured on the labelled set (make reply-check prints the table) ---------

# Floors just below the figures `make reply-check` measured on 5 December:
# (precision, recall) 0.98, 0.96 on all 410 replies; 0.97, 0.91 on the first
# set's held-out half; 0.96, 0.99 on the fresh set written before tuning. A
# change that loses any of them fails here.
FLOORS = {
    "all": (0.97, 0.95),
    "held-out": (0.96, 0.90),
    "fresh": (0.95, 0.97),
}


@pytest.mark.parametrize("split", FLOORS)
def test_precision_and_recall_on_the_labelled_seller_replies(split):
    replies = labelled_replies()
    if split != "all":
        replies = [reply for reply in replies if split_of(reply) == split]
    result = evaluate(replies, seeded_check_rules())
    precision, recall = FLOORS[split]

    assert len(replies) >= {"all": 400, "held-out": 150, "fresh": 80}[split]
    assert result.overall.precision >= precision, result.mistakes
    assert result.overall.recall >= recall, result.mistakes


# --- On the result page ---------------------------------------------------------


def check_url(submitted):
    return f"/claim/r/{submitted.result_token}/reply/"


@pytest.mark.django_db
def test_the_result_page_shows_the_composed_reply_ready_to_edit(client):
    submitted = make_claim(customer_name="Ada Customer")

    html = client.get(f"/claim/r/{submitted.result_token}/").content.decode()

    assert '<textarea class="reply__text" id="reply-text" name="reply"' in html
    assert "Hello Ada Customer,\n\nThanks for letting us know." in html
    assert f"Your claim reference: {submitted.claim.reference}" in html
    # The email link carries the whole reply and the reference.
    assert "mailto:ada@example.com?subject=" in html
    assert "Hello%20Ada%20Customer%2C%0D%0A%0D%0AThanks" in html


@pytest.mark.django_db
def test_checking_a_reply_shows_the_findings_and_keeps_the_text(client):
    submitted = make_claim()
    reply = "Hi Ada, so sorry, this was our mistake. We'll refund you today!"

    response = client.post(check_url(submitted), {"reply": reply})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Admits fault" in html
    assert "Offers or promises a refund" in html
    assert "Do not refund immediately" in html
    assert "We&#x27;ll refund you today!" in html  # quoted, escaped
    assert f">{reply.replace("'", '&#x27;')}</textarea>" in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_safe_reply_is_said_to_be_fine(client):
    submitted = make_claim()
    reply = "Thanks for letting us know. Once the inspection is complete, we'll confirm next steps."

    html = client.post(check_url(submitted), {"reply": reply}).content.decode()

    assert "The check found nothing the guide warns against" in html


@pytest.mark.django_db
def test_the_pages_script_gets_only_the_findings(client):
    submitted = make_claim()

    response = client.post(
        check_url(submitted),
        {"reply": "We will send you a replacement today."},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Offers to send a replacement yourself" in html
    assert "<html" not in html and "<textarea" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("", "Write or paste your reply to the customer, then check it"),
        ("x" * 5001, "Keep the reply under 5000 characters to check it"),
        ("Refund\u202e sent", "invisible control characters"),
    ],
)
def test_a_reply_that_cannot_be_checked_says_why_and_keeps_the_text(client, reply, message):
    submitted = make_claim()

    response = client.post(check_url(submitted), {"reply": reply})
    html = response.content.decode()

    assert response.status_code == 400
    assert message in html
    assert reply[:100].replace("\u202e", "") in html.replace("\u202e", "")


@pytest.mark.django_db
def test_a_guessed_link_cannot_check(client):
    response = client.post("/claim/r/not-a-real-token-at-all-000000000000/reply/", {"reply": "Hi"})

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_check_is_a_post(client):
    submitted = make_claim()

    assert client.get(check_url(submitted)).status_code == 405


@pytest.mark.django_db
def test_the_check_has_a_rate_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reply-check": (2, 600)}
    submitted = make_claim()
    statuses = [client.post(check_url(submitted), {"reply": "Hi"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_an_edited_rule_applies_at_once(client):
    from claims.models import ReplyCheckRule

    submitted = make_claim()
    rule = ReplyCheckRule.objects.get(code="accuse")
    rule.patterns += "\n\\bclumsy\\b"
    rule.save()

    html = client.post(check_url(submitted), {"reply": "You are so clumsy."}).content.decode()

    assert "Accuses the customer" in html


def _seeded_text():
    import importlib

    seed = importlib.import_module("claims.migrations.0007_seed_reply")
    reading = importlib.import_module("claims.migrations.0011_reply_check_reading")
    return {
        row[0]: ((row[5].strip(), row[6].strip()), (new[5], new[6]))
        for row, new in zip(seed.RULES, reading.updated_rules(seed.RULES), strict=True)
    }


@pytest.mark.django_db
def test_the_migrated_rules_are_the_ones_the_bench_measures():
    from claims.models import ReplyCheckRule

    stored = {r.code: (r.patterns, r.safe_when) for r in ReplyCheckRule.objects.all()}

    assert stored == {code: new for code, (_, new) in _seeded_text().items()}


@pytest.mark.django_db
def test_0011_leaves_an_admins_edit_alone_and_reverses_to_the_0007_text():
    import importlib

    from django.apps import apps

    from claims.models import ReplyCheckRule

    reading = importlib.import_module("claims.migrations.0011_reply_check_reading")
    texts = _seeded_text()
    edited = ReplyCheckRule.objects.get(code="accuse")
    edited.patterns = "\\bclumsy\\b"
    edited.save()

    reading.backward(apps, None)
    restored = {r.code: (r.patterns, r.safe_when) for r in ReplyCheckRule.objects.all()}
    reading.forward(apps, None)
    again = {r.code: (r.patterns, r.safe_when) for r in ReplyCheckRule.objects.all()}

    assert restored["kx-refund"] == texts["kx-refund"][0]
    assert restored["accuse"] == ("\\bclumsy\\b", texts["accuse"][0][1])
    assert again["kx-refund"] == texts["kx-refund"][1]
    assert again["accuse"] == ("\\bclumsy\\b", texts["accuse"][1][1])


# --- Staff replies: what reviewers write from the admin -------------------------


def staff_check_url(claim):
    return f"/claim/staff/{claim.pk}/reply-check/"


@pytest.mark.django_db
def test_a_reviewers_note_gets_the_same_check(reviewer_client):
    claim = make_claim().claim

    html = reviewer_client.post(
        staff_check_url(claim), {"reply": "We are sorry, our mistake. Send it back to us."}
    ).content.decode()

    assert "Admits fault" in html
    assert "Asks the customer to send the item back to you" in html


@pytest.mark.django_db
def test_the_staff_check_follows_the_claims_path(reviewer_client):
    claim = make_claim(fulfillment_method="seller_managed").claim

    html = reviewer_client.post(
        staff_check_url(claim), {"reply": "Please send it back to us for a refund once reviewed."}
    ).content.decode()

    assert "The check found nothing the guide warns against" in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_only_reviewers_can_use_the_staff_check(client, make_staff, who):
    claim = make_claim().claim
    if who == "editor":
        client.force_login(make_staff("editor", group="Editors"))

    response = client.post(staff_check_url(claim), {"reply": "We'll refund you today."})

    assert response.status_code == 404
    assert "Offers or promises a refund" not in response.content.decode()


@pytest.mark.django_db
def test_the_staff_check_of_an_unknown_claim_is_not_found(reviewer_client):
    assert (
        reviewer_client.post("/claim/staff/999999/reply-check/", {"reply": "Hi"}).status_code == 404
    )
