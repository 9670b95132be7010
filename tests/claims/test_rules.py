# The tables below are the specification: one case per line, columns aligned.
# ruff: noqa: E501
"""The specification of `claims.rules`: which guidance a claim gets, decided
over the guide's own (seeded) rows, for every fulfillment method × issue type
× destination, and for the answers that decide replacement vs refund."""

import itertools

import pytest

from claims.choices import (
    DamageSeverity,
    EvidenceKind,
    FulfillmentMethod,
    IssueType,
    Outcome,
    OutcomeFactor,
    WarningKind,
)
from claims.guidance_rules import (
    Conditions,
    EvidenceRequirementRule,
    GuidanceRules,
    OutcomeFactorRule,
    ResponseTemplateRule,
    WarningRule,
)
from claims.rules import DECISION_NOTE, EvidenceRule, decide, evidence_rules
from tests.factories import make_claim_facts, seeded_guidance_rules

KX = FulfillmentMethod.KINGSTON_EXPRESS
SELLER = FulfillmentMethod.SELLER_MANAGED
MISSING = IssueType.MISSING_ITEM
PARTIAL = IssueType.PARTIAL_ORDER
DAMAGED = IssueType.DAMAGED_ITEM
WRONG = IssueType.WRONG_ITEM
PACKAGE = EvidenceKind.PACKAGE
ITEM = EvidenceKind.ITEM
PACKING = EvidenceKind.PACKING_MATERIALS

RULES = seeded_guidance_rules()

KX_DO_NOW = (
    "Acknowledge the customer calmly",
    "Ask the customer to submit the issue through the order system",
    "Wait for inspection and review",
)
KX_DO_NOT = (
    "Do not refund immediately",
    "Do not ship replacements yourself",
    "Do not admit fault",
    "Do not ask customers to return items to you",
)
# The review card follows the issue type's review path (claims.paths): a missing item
# is checked against the records, a damaged one in return inspection; a seller-managed
# missing item has no item to photograph and nothing to return.
KX_REVIEW_RECORDS = (
    "Packing logs are checked",
    "Weight and SKU records are verified",
    "Resolution is applied per policy",
)
KX_REVIEW_DAMAGE = (
    "Damage is assessed during return inspection",
    "Resolution is applied per policy",
)
SELLER_REVIEW_DAMAGE = (
    "Ask for clear photos (item + packaging)",
    "Confirm what was damaged",
    "Verify against your packing process",
    "Approve a return, a replacement or a refund after review",
)
SELLER_REVIEW_MISSING = (
    "Confirm what was missing",
    "Verify against your packing process",
    "Approve a replacement or a refund after review (nothing arrived to send back)",
)
SELLER_REVIEW_WRONG = (
    "Ask for clear photos of the item that arrived",
    "Confirm which item was sent instead",
    "Verify against your packing process",
    "Approve a return, a replacement or a refund after review",
)
MISTAKES = (
    "Refunding before review",
    "Shipping replacements immediately",
    "Asking dispatchment customers to return items to you",
    "Accusing customers",
    "Ignoring timelines",
)
SELLER_MISTAKES = tuple(m for m in MISTAKES if "dispatchment" not in m)
CAUTIONS = (
    "Claims may take longer",
    "Customs handling may affect outcomes",
    "Some items may not be returned",
    "Never promise instant resolution for international cases.",
)
KX_SUPPORT = (
    "A dispatchment inspection result is unclear",
    "A claim appears incorrect",
    "A customer is escalating aggressively",
)
SELLER_SUPPORT = KX_SUPPORT[1:]
KX_TEMPLATE = (
    "Thanks for letting us know. Please submit the issue through your order so it can be "
    "reviewed. Once the inspection is complete, the next steps will be confirmed."
)
SELLER_TEMPLATE = (
    "Thanks for the update. Please share photos of the item and packaging so we can review "
    "and resolve this for you."
)
# Nothing of a missing item arrived to photograph: the guide's sentence, adapted.
SELLER_NO_ITEM = (
    "Thanks for the update. Please share photos of the package and the packing materials so "
    "we can review and resolve this for you."
)
FINAL_RULE = "No inspection, no refund. No review, no replacement."

# Evidence per issue type: (required slots, encouraged slots), in slot order.
EVIDENCE = {
    MISSING: ((), (PACKAGE, PACKING)),
    PARTIAL: ((), (PACKAGE, PACKING)),
    DAMAGED: ((ITEM,), (PACKAGE, PACKING)),
    WRONG: ((), (PACKAGE, ITEM, PACKING)),
}

# fulfillment, issue, international -> review path, template, do now, do not,
# mistakes, cautions, contact-support reasons.
# fmt: off
TABLE = [
    (KX,     MISSING, False, KX_REVIEW_RECORDS,     KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        (),       KX_SUPPORT),
    (KX,     MISSING, True,  KX_REVIEW_RECORDS,     KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        CAUTIONS, KX_SUPPORT),
    (KX,     PARTIAL, False, KX_REVIEW_RECORDS,     KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        (),       KX_SUPPORT),
    (KX,     PARTIAL, True,  KX_REVIEW_RECORDS,     KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        CAUTIONS, KX_SUPPORT),
    (KX,     DAMAGED, False, KX_REVIEW_DAMAGE,      KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        (),       KX_SUPPORT),
    (KX,     DAMAGED, True,  KX_REVIEW_DAMAGE,      KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        CAUTIONS, KX_SUPPORT),
    (KX,     WRONG, False, KX_REVIEW_RECORDS,     KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        (),       KX_SUPPORT),
    (KX,     WRONG, True,  KX_REVIEW_RECORDS,     KX_TEMPLATE,     KX_DO_NOW, KX_DO_NOT, MISTAKES,        CAUTIONS, KX_SUPPORT),
    (SELLER, MISSING, False, SELLER_REVIEW_MISSING, SELLER_NO_ITEM,  (),        (),        SELLER_MISTAKES, (),       SELLER_SUPPORT),
    (SELLER, MISSING, True,  SELLER_REVIEW_MISSING, SELLER_NO_ITEM,  (),        (),        SELLER_MISTAKES, CAUTIONS, SELLER_SUPPORT),
    (SELLER, PARTIAL, False, SELLER_REVIEW_MISSING, SELLER_NO_ITEM,  (),        (),        SELLER_MISTAKES, (),       SELLER_SUPPORT),
    (SELLER, PARTIAL, True,  SELLER_REVIEW_MISSING, SELLER_NO_ITEM,  (),        (),        SELLER_MISTAKES, CAUTIONS, SELLER_SUPPORT),
    (SELLER, DAMAGED, False, SELLER_REVIEW_DAMAGE,  SELLER_TEMPLATE, (),        (),        SELLER_MISTAKES, (),       SELLER_SUPPORT),
    (SELLER, DAMAGED, True,  SELLER_REVIEW_DAMAGE,  SELLER_TEMPLATE, (),        (),        SELLER_MISTAKES, CAUTIONS, SELLER_SUPPORT),
    (SELLER, WRONG, False, SELLER_REVIEW_WRONG,   SELLER_TEMPLATE, (),        (),        SELLER_MISTAKES, (),       SELLER_SUPPORT),
    (SELLER, WRONG, True,  SELLER_REVIEW_WRONG,   SELLER_TEMPLATE, (),        (),        SELLER_MISTAKES, CAUTIONS, SELLER_SUPPORT),
]
# fmt: on


def texts(items):
    return tuple(str(item.text) for item in items)


def test_the_table_covers_every_fulfillment_method_issue_type_and_destination():
    combinations = {(method, issue, intl) for method, issue, intl, *_ in TABLE}
    assert combinations == set(itertools.product(FulfillmentMethod, IssueType, (False, True)))
    assert len(TABLE) == len(combinations)


@pytest.mark.parametrize(
    ("method", "issue", "international", "review", "template", "do_now", "do_not", "mistakes",
     "cautions", "support"),
    TABLE,
)  # fmt: skip
def test_guidance_for_each_case(
    method, issue, international, review, template, do_now, do_not, mistakes, cautions, support
):
    facts = make_claim_facts(
        fulfillment_method=method, issue_type=issue, is_international=international
    )

    guidance = decide(facts, RULES)

    assert guidance.facts == facts
    assert guidance.review_path.is_inspection is (method == KX)
    assert texts(guidance.review_path.steps) == review
    assert guidance.response_template.text == template
    assert not guidance.response_template.is_fallback
    assert texts(guidance.do_now) == do_now
    assert texts(guidance.do_not) == do_not
    assert texts(guidance.common_mistakes) == mistakes
    assert texts(guidance.international_cautions) == cautions
    assert texts(guidance.contact_support) == support
    assert guidance.final_rule.text == FINAL_RULE
    required, encouraged = EVIDENCE[issue]
    assert tuple(rule.kind for rule in guidance.required_evidence) == required
    assert tuple(rule.kind for rule in guidance.encouraged_evidence) == encouraged
    assert [rule.kind for rule in guidance.evidence_rules] == sorted(
        required + encouraged, key=list(EvidenceKind).index
    )


def facts_id(facts):
    """A short test id, e.g. `kingston_express-damaged_item-intl-severe-stock=True-return=None`."""
    return "-".join(
        [
            facts.fulfillment_method.value,
            facts.issue_type.value,
            "intl" if facts.is_international else "domestic",
            str(facts.severity or "no-severity"),
            f"stock={facts.stock_available}",
            f"return={facts.return_feasible}",
        ]
    )


ALL_FACTS = [
    make_claim_facts(
        fulfillment_method=method,
        issue_type=issue,
        is_international=international,
        severity=severity,
        stock_available=stock,
        return_feasible=returnable,
    )
    for method, issue, international, severity, stock, returnable in itertools.product(
        FulfillmentMethod,
        IssueType,
        (False, True),
        (None, *DamageSeverity),
        (None, True, False),
        (None, True, False),
    )
]


@pytest.mark.parametrize("facts", ALL_FACTS, ids=facts_id)
def test_invariants_hold_for_every_combination_of_answers(facts):
    guidance = decide(facts, RULES)

    do_now = " ".join(texts(guidance.do_now)).lower()
    if facts.fulfillment_method == KX:
        # Kingston Express decides dispatchment orders: the seller never approves,
        # refunds or replaces, and always gets the four don'ts.
        assert not any(word in do_now for word in ("approve", "refund", "replacement", "return"))
        assert texts(guidance.do_not) == KX_DO_NOT
        assert guidance.review_path.is_inspection
    else:
        assert (
            texts(guidance.review_path.steps)
            == {
                IssueType.MISSING_ITEM: SELLER_REVIEW_MISSING,
                IssueType.PARTIAL_ORDER: SELLER_REVIEW_MISSING,
                IssueType.DAMAGED_ITEM: SELLER_REVIEW_DAMAGE,
                IssueType.WRONG_ITEM: SELLER_REVIEW_WRONG,
            }[facts.issue_type]
        )
        assert "Asking dispatchment customers to return items to you" not in texts(
            guidance.common_mistakes
        )
    if facts.is_international:
        assert "Never promise instant resolution for international cases." in texts(
            guidance.international_cautions
        )
    else:
        assert guidance.international_cautions == ()
    item_rules = [rule for rule in guidance.evidence_rules if rule.kind == ITEM]
    assert (facts.issue_type == DAMAGED) == any(rule.required for rule in item_rules)
    assert guidance.likely_outcome.note == DECISION_NOTE
    assert guidance.final_rule.text == FINAL_RULE
    assert all(reason.text for reason in guidance.likely_outcome.reasons)


# issue, severity, stock available, return feasible -> likely outcome, its reasons,
# and the reasons pointing the other way.
# fmt: off
OUTCOMES = [
    (MISSING, None,                  None,  None,  None,                (),                                           ()),
    (PARTIAL, None,                  None,  True,  None,                (),                                           ()),
    (MISSING, None,                  True,  None,  Outcome.REPLACEMENT, ("Inventory is available",),                  ()),
    (MISSING, None,                  False, None,  Outcome.REFUND,      ("Item is out of stock",),                    ()),
    (PARTIAL, None,                  True,  False, Outcome.REFUND,      ("Return is not feasible",),                  ("Inventory is available",)),
    (DAMAGED, None,                  None,  None,  Outcome.REPLACEMENT, ("Item is damaged",),                         ()),
    (DAMAGED, DamageSeverity.MINOR,  True,  True,  Outcome.REPLACEMENT, ("Item is damaged", "Inventory is available"), ()),
    (DAMAGED, DamageSeverity.MAJOR,  None,  None,  Outcome.REPLACEMENT, ("Item is damaged",),                         ()),
    (DAMAGED, DamageSeverity.SEVERE, None,  None,  Outcome.REFUND,      ("Damage is severe",),                        ("Item is damaged",)),
    (DAMAGED, DamageSeverity.SEVERE, True,  True,  Outcome.REFUND,      ("Damage is severe",),                        ("Item is damaged", "Inventory is available")),
    (DAMAGED, DamageSeverity.MINOR,  False, None,  Outcome.REFUND,      ("Item is out of stock",),                    ("Item is damaged",)),
    (WRONG,   None,                  None,  None,  Outcome.REPLACEMENT, ("Wrong item was sent",),                     ()),
    (WRONG,   None,                  True,  True,  Outcome.REPLACEMENT, ("Wrong item was sent", "Inventory is available"), ()),
    (WRONG,   None,                  False, False, Outcome.REFUND,      ("Item is out of stock", "Return is not feasible"), ("Wrong item was sent",)),
    # Severity is a fact about damage: it does not count for other issues.
    (MISSING, DamageSeverity.SEVERE, None,  None,  None,                (),                                           ()),
]
# fmt: on


@pytest.mark.parametrize("method", FulfillmentMethod)
@pytest.mark.parametrize("international", [False, True])
@pytest.mark.parametrize(
    ("issue", "severity", "stock", "returnable", "outcome", "reasons", "counter"), OUTCOMES
)
def test_likely_outcome_follows_the_guide(
    method, international, issue, severity, stock, returnable, outcome, reasons, counter
):
    facts = make_claim_facts(
        fulfillment_method=method,
        issue_type=issue,
        is_international=international,
        severity=severity,
        stock_available=stock,
        return_feasible=returnable,
    )

    likely = decide(facts, RULES).likely_outcome

    assert likely.outcome == outcome
    assert texts(likely.reasons) == reasons
    assert texts(likely.counter_reasons) == counter
    assert likely.note == "The decision depends on policy and inspection."


def test_a_deactivated_outcome_factor_no_longer_counts():
    rules = GuidanceRules(
        outcome_factors=tuple(
            rule for rule in RULES.outcome_factors if rule.factor != OutcomeFactor.SEVERE_DAMAGE
        )
    )
    facts = make_claim_facts(issue_type=DAMAGED, severity=DamageSeverity.SEVERE)

    likely = decide(facts, rules).likely_outcome

    assert likely.outcome == Outcome.REPLACEMENT
    assert texts(likely.reasons) == ("Item is damaged",)


# --- Fallbacks: no rows for a case never breaks the page ------------------------


@pytest.mark.parametrize(
    "facts",
    [f for f in ALL_FACTS if f.severity is None and f.return_feasible is None],
    ids=facts_id,
)
def test_no_rows_at_all_gives_the_guides_safe_fallbacks(facts):
    guidance = decide(facts, GuidanceRules())

    assert guidance.response_template.is_fallback
    assert "confirm the next steps" in guidance.response_template.text
    assert guidance.final_rule.text == FINAL_RULE
    assert guidance.review_path.steps == ()
    assert guidance.do_now == guidance.do_not == guidance.common_mistakes == ()
    assert guidance.likely_outcome.outcome is None
    assert guidance.likely_outcome.note == DECISION_NOTE
    if facts.is_international:
        assert texts(guidance.international_cautions) == (
            "Never promise instant resolution for international cases.",
        )
    assert [rule.kind for rule in guidance.required_evidence] == (
        [ITEM] if facts.issue_type == DAMAGED else []
    )
    assert [rule.kind for rule in guidance.encouraged_evidence] == [PACKAGE, PACKING]


def test_without_a_template_for_the_method_the_general_template_is_used():
    general = ResponseTemplateRule("General", "A general safe message.", order=50)
    rules = GuidanceRules(
        response_templates=(
            general,
            *(t for t in RULES.response_templates if t.conditions.fulfillment_method != KX),
        )
    )

    kx = decide(make_claim_facts(fulfillment_method=KX), rules).response_template
    seller = decide(make_claim_facts(fulfillment_method=SELLER), rules).response_template

    assert (kx.title, kx.text, kx.is_fallback) == ("General", "A general safe message.", False)
    assert seller.text == SELLER_TEMPLATE


def test_the_most_specific_template_wins_over_a_lower_order():
    rules = GuidanceRules(
        response_templates=(
            ResponseTemplateRule("Any", "any", order=0),
            ResponseTemplateRule("KX", "kx", Conditions(fulfillment_method=KX), order=5),
            ResponseTemplateRule(
                "KX damaged abroad",
                "kx damaged abroad",
                Conditions(fulfillment_method=KX, issue_type=DAMAGED, international=True),
                order=9,
            ),
        )
    )

    def pick(**facts):
        return decide(make_claim_facts(**facts), rules).response_template.text

    assert pick(is_international=True) == "kx damaged abroad"
    assert pick(is_international=False) == "kx"
    assert pick(fulfillment_method=SELLER) == "any"


def test_international_cautions_need_an_international_claim_whatever_the_row_says():
    rules = GuidanceRules(
        warnings=(WarningRule(WarningKind.INTERNATIONAL_CAUTION, "Customs may apply"),)
    )

    assert decide(make_claim_facts(is_international=False), rules).international_cautions == ()
    assert texts(decide(make_claim_facts(is_international=True), rules).international_cautions) == (
        "Customs may apply",
    )


def test_list_rows_keep_their_order_and_conditions():
    rules = GuidanceRules(
        warnings=(
            WarningRule(WarningKind.DO_NOW, "third", order=30),
            WarningRule(WarningKind.DO_NOW, "first", order=10),
            WarningRule(WarningKind.DO_NOW, "abroad only", Conditions(international=True), 20),
            WarningRule(WarningKind.DO_NOW, "wrong only", Conditions(issue_type=WRONG), 15),
        )
    )

    assert texts(decide(make_claim_facts(), rules).do_now) == ("first", "third")
    assert texts(decide(make_claim_facts(is_international=True), rules).do_now) == (
        "first",
        "abroad only",
        "third",
    )


def test_evidence_rules_pick_the_most_specific_row_per_slot_in_slot_order():
    rows = (
        EvidenceRequirementRule(PACKING, False, "packing helps"),
        EvidenceRequirementRule(ITEM, False, "item helps"),
        EvidenceRequirementRule(
            ITEM, True, "damage needs it", conditions=Conditions(issue_type=DAMAGED)
        ),
        EvidenceRequirementRule(
            PACKAGE, True, "seller needs the box", conditions=Conditions(fulfillment_method=SELLER)
        ),
    )

    damaged = evidence_rules(make_claim_facts(issue_type=DAMAGED), rows)
    seller_missing = evidence_rules(
        make_claim_facts(issue_type=MISSING, fulfillment_method=SELLER), rows
    )

    assert [(r.kind, r.required, r.reason) for r in damaged] == [
        (ITEM, True, "damage needs it"),
        (PACKING, False, "packing helps"),
    ]
    assert [(r.kind, r.required) for r in seller_missing] == [
        (PACKAGE, True),
        (ITEM, False),
        (PACKING, False),
    ]
    assert all(isinstance(rule, EvidenceRule) for rule in damaged)


def test_guidance_lists_the_guide_sections_it_links_to_once_each():
    guidance = decide(make_claim_facts(is_international=True), RULES)

    assert len(guidance.anchors) == len(set(guidance.anchors))
    for anchor in (
        "what-sellers-should-not-do",
        "how-dispatchment-reviews-these-issues",
        "international-orders-extra-caution",
        "how-replacements-vs-refunds-are-decided",
        "when-to-contact-support",
        "final-rule-memorize-this",
        "what-evidence-helps-resolve-these-reports",
    ):
        assert anchor in guidance.anchors


def test_notes_are_grouped_by_the_section_that_shows_them():
    kx = decide(make_claim_facts(fulfillment_method=KX), RULES)
    seller = decide(make_claim_facts(fulfillment_method=SELLER), RULES)

    assert "This protects sellers from false or unclear claims." in texts(kx.review_notes)
    assert texts(seller.review_notes) == ("Documentation protects you.",)
    assert texts(kx.support_notes) == ("Include order ID and issue type.",)
    assert texts(kx.response_notes) == ("Polite, neutral, and process-focused.",)
    assert texts(kx.mistake_notes) == ("These mistakes lead to losses.",)


def test_outcome_factor_rows_with_conditions_only_count_where_they_apply():
    rules = GuidanceRules(
        outcome_factors=(
            OutcomeFactorRule(
                OutcomeFactor.STOCK_AVAILABLE,
                "Stock (seller)",
                Conditions(fulfillment_method=SELLER),
            ),
        )
    )

    def outcome(method):
        facts = make_claim_facts(
            issue_type=MISSING, fulfillment_method=method, stock_available=True
        )
        return decide(facts, rules).likely_outcome.outcome

    assert outcome(SELLER) == Outcome.REPLACEMENT
    assert outcome(KX) is None


def test_review_path_is_inspection_exactly_on_kingston_express():
    for method in FulfillmentMethod:
        guidance = decide(make_claim_facts(fulfillment_method=method), RULES)
        assert guidance.review_path.is_inspection is method.is_kingston_express
