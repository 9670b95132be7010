"""`claims.guidance_rules`: which guidance rows apply to a claim, and which one
row wins where the page shows one."""

import dataclasses

import pytest

from claims.choices import EvidenceKind, FulfillmentMethod, IssueType, OutcomeFactor, WarningKind
from claims.guidance_rules import (
    ANY,
    Conditions,
    EvidenceRequirementRule,
    GuidanceRules,
    OutcomeFactorRule,
    ReplyLineRule,
    ResponseTemplateRule,
    ReviewStepRule,
    WarningRule,
    applying,
    best,
)
from tests.factories import make_claim_facts

KX = FulfillmentMethod.KINGSTON_EXPRESS
SELLER = FulfillmentMethod.SELLER_MANAGED
DAMAGED = IssueType.DAMAGED_ITEM
MISSING = IssueType.MISSING_ITEM

# The claim every case below is compared with.
FACTS = make_claim_facts(
    fulfillment_method=KX, issue_type=DAMAGED, is_international=True, photos_received=False
)

# conditions                                                     applies to FACTS
MATCHES = [
    (ANY,                                                          True),
    (Conditions(fulfillment_method=KX),                            True),
    (Conditions(fulfillment_method=SELLER),                        False),
    (Conditions(issue_type=DAMAGED),                               True),
    (Conditions(issue_type=MISSING),                               False),
    (Conditions(international=True),                               True),
    (Conditions(international=False),                              False),
    (Conditions(photos_received=False),                            True),
    (Conditions(photos_received=True),                             False),
    (Conditions(KX, DAMAGED, True, False),                         True),
    (Conditions(KX, DAMAGED, True, True),                          False),
    (Conditions(SELLER, DAMAGED, True, False),                     False),
]  # fmt: skip


@pytest.mark.parametrize(("conditions", "expected"), MATCHES)
def test_a_condition_applies_when_it_is_any_or_equals_the_answer(conditions, expected):
    assert conditions.matches(FACTS) is expected


def test_photos_condition_never_matches_while_photos_are_unknown():
    unknown = make_claim_facts(photos_received=None)

    assert not Conditions(photos_received=True).matches(unknown)
    assert not Conditions(photos_received=False).matches(unknown)
    assert ANY.matches(unknown)


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        (ANY, 0),
        (Conditions(fulfillment_method=KX), 1),
        (Conditions(issue_type=DAMAGED), 1),
        (Conditions(international=False), 1),
        (Conditions(photos_received=False), 1),
        (Conditions(KX, DAMAGED), 2),
        (Conditions(KX, DAMAGED, False, True), 4),
    ],
)
def test_specificity_counts_the_conditions_set_false_included(conditions, expected):
    assert conditions.specificity == expected


def step(text, order=0, **conditions):
    return ReviewStepRule(text, Conditions(**conditions), order)


def test_applying_keeps_the_rows_for_the_claim_by_order_stable_for_equal_orders():
    rows = [
        step("late", order=5),
        step("other method", order=0, fulfillment_method=SELLER),
        step("first of two", order=1),
        step("second of two", order=1, issue_type=DAMAGED),
        step("early", order=-1),
    ]

    assert [row.text for row in applying(rows, FACTS)] == [
        "early",
        "first of two",
        "second of two",
        "late",
    ]


def test_best_is_the_most_specific_applying_row_whatever_its_order():
    rows = [
        step("general", order=0),
        step("for the method", order=9, fulfillment_method=KX),
        step("for method and issue", order=10, fulfillment_method=KX, issue_type=DAMAGED),
        step(
            "more specific but not this claim",
            order=0,
            fulfillment_method=SELLER,
            issue_type=DAMAGED,
            international=True,
        ),
    ]

    assert best(rows, FACTS).text == "for method and issue"


def test_between_equally_specific_rows_the_lowest_order_wins_then_the_first():
    rows = [
        step("second", order=2, issue_type=DAMAGED),
        step("first", order=1, fulfillment_method=KX),
        step("first too", order=1, international=True),
    ]

    assert best(rows, FACTS).text == "first"


def test_best_is_none_when_no_row_applies():
    assert best([step("other method", fulfillment_method=SELLER)], FACTS) is None
    assert best([], FACTS) is None


def test_a_row_left_at_its_defaults_applies_to_every_claim():
    row = WarningRule(WarningKind.DO_NOW, "Reply within a day")

    assert row.conditions == ANY
    assert row.order == 0
    assert row.anchor == ""
    assert applying([row], FACTS) == [row]
    assert applying([row], make_claim_facts(fulfillment_method=SELLER)) == [row]


ROWS = [
    ResponseTemplateRule("T", "t"),
    WarningRule(WarningKind.DO_NOW, "w"),
    ReviewStepRule("s"),
    EvidenceRequirementRule(EvidenceKind.ITEM, True, "r"),
    OutcomeFactorRule(OutcomeFactor.DAMAGED, "d"),
    ReplyLineRule("l"),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: type(row).__name__)
def test_a_row_left_at_its_defaults_sorts_first_and_links_nowhere(row):
    # An admin's row without an order sorts with order 0; without an anchor it takes
    # its item's default section.
    assert (row.conditions, row.order, row.anchor) == (Conditions(), 0, "")
    assert getattr(row, "label", "") == ""


@pytest.mark.parametrize(
    "value", [*ROWS, Conditions(), GuidanceRules()], ids=lambda v: type(v).__name__
)
def test_rows_are_frozen_values(value):
    # Built once from the admin's rows and shared by every decision made from them.
    name = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, getattr(value, name))
    assert hash(value) == hash(value)


def test_no_rows_and_no_conditions_by_default():
    assert Conditions() == Conditions(None, None, None, None)
    assert GuidanceRules() == GuidanceRules((), (), (), (), (), ())
