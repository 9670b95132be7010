# ruff: noqa: E501
"""`ClaimAnswers`: the one list of a claim's questions, shared by the wizard, the
service that creates the claim, the admin and the evidence packet."""

import pytest

from claims.admin.claim import ClaimAdmin
from claims.answers import ClaimAnswers, answer_rows
from claims.models import Claim
from claims.packet import ANSWER_FIELDS
from claims.wizard import STEPS

REQUIRED = {
    "issue_type": "damaged_item",
    "fulfillment_method": "kingston_express",
    "destination": "domestic",
    "order_number": "KX-48213579",
    "item": "Mug",
    "description": "Broken",
    "quantity_affected": 2,
    "customer_name": "Ada",
    "customer_email": "ada@example.com",
}
# Fields of the steps that are not answers stored on the claim.
NOT_ANSWERS = {"photo_source", "submission_key"}


def test_the_answer_fields_are_the_steps_questions_in_the_order_asked():
    asked = [
        name
        for _step, form_class in STEPS
        for name in form_class.base_fields
        if name not in NOT_ANSWERS
    ]

    assert ClaimAnswers.field_names() == tuple(asked)


def test_every_answer_is_a_claim_field_of_the_same_name():
    model_fields = {field.name for field in Claim._meta.get_fields()}

    assert set(ClaimAnswers.field_names()) <= model_fields


def test_the_admin_and_the_packet_show_every_answer():
    shown = [name for _title, options in ClaimAdmin.fieldsets for name in options["fields"]]

    assert set(ClaimAnswers.field_names()) <= set(shown)
    assert len(shown) == len(set(shown))
    assert set(ClaimAnswers.field_names()) <= set(ANSWER_FIELDS)
    assert len(ANSWER_FIELDS) == len(set(ANSWER_FIELDS))


# (cleaned data beyond the required answers) -> (the optional answers it gives)
FROM_CLEANED = [
    ({}, {"severity": "", "stock_available": None, "return_feasible": None, "seller_email": ""}),
    ({"severity": "major"}, {"severity": "major", "stock_available": None, "return_feasible": None, "seller_email": ""}),
    ({"stock_available": False}, {"severity": "", "stock_available": False, "return_feasible": None, "seller_email": ""}),
    ({"stock_available": True, "return_feasible": False}, {"severity": "", "stock_available": True, "return_feasible": False, "seller_email": ""}),
    ({"seller_email": "me@example.com", "photo_source": "customer", "submission_key": "k"}, {"severity": "", "stock_available": None, "return_feasible": None, "seller_email": "me@example.com"}),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "optional"), FROM_CLEANED)
def test_answers_from_cleaned_data_keep_defaults_for_questions_not_asked(extra, optional):
    expected = {**REQUIRED, **optional}

    fields = ClaimAnswers.from_cleaned_data({**REQUIRED, **extra}).as_model_fields()

    assert {name: fields[name] for name in expected} == expected
    assert "photo_source" not in fields


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_answers_without_a_required_question_are_refused(missing):
    data = {name: value for name, value in REQUIRED.items() if name != missing}

    with pytest.raises(TypeError):
        ClaimAnswers.from_cleaned_data(data)


def test_model_fields_make_a_claim_with_the_same_answers():
    answers = ClaimAnswers.from_cleaned_data({**REQUIRED, "severity": "severe"})

    claim = Claim(**answers.as_model_fields())

    assert ClaimAnswers.from_cleaned_data(vars(claim)) == answers
    assert claim.is_kingston_express


def _claim(**extra) -> Claim:
    return Claim(**ClaimAnswers.from_cleaned_data({**REQUIRED, **extra}).as_model_fields())


def test_answer_rows_name_each_answer_by_its_field_in_the_order_asked():
    claim = _claim(
        fulfillment_method="seller_managed",
        severity="severe",
        stock_available=False,
        return_feasible=True,
        seller_email="me@example.com",
    )

    rows = answer_rows(claim)

    assert tuple(row.name for row in rows) == ClaimAnswers.field_names()
    assert [(str(row.label), str(row.value)) for row in rows] == [
        ("What happened", "Damaged item: broken, cracked or unusable"),
        ("Fulfillment method", "Seller-managed order"),
        ("Destination", "Domestic"),
        ("Order number", "KX-48213579"),
        ("Item or SKU", "Mug"),
        ("What is missing or damaged", "Broken"),
        ("Quantity affected", "2"),
        ("How bad the damage is", "Severe: broken, cracked or completely unusable"),
        ("Stock available for a replacement", "No"),
        ("Return feasible", "Yes"),
        ("Customer's name", "Ada"),
        ("Customer's email", "ada@example.com"),
        ("Seller's email", "me@example.com"),
    ]


def test_answer_rows_leave_out_the_questions_the_path_did_not_ask():
    names = [row.name for row in answer_rows(_claim(issue_type="missing_item"))]

    assert names == [
        name
        for name in ClaimAnswers.field_names()
        if name not in {"severity", "stock_available", "return_feasible", "seller_email"}
    ]
