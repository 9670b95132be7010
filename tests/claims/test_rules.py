# The tables below are the specification: one case per line, columns aligned.
# ruff: noqa: E501
"""The specification of `claims.rules`: which guidance a claim gets, decided
over the guide's own (seeded) rows, for every fulfillment method × issue type
× destination, and for the answers that decide replacement vs refund."""

import dataclasses
import itertools

import pytest

from claims.choices import (
    DamageSeverity,
    EvidenceKind,
    FulfillmentMethod,
    GuideSection,
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
    ReplyLineRule,
    ResponseTemplateRule,
    WarningRule,
)
from claims.rules import DECISION_NOTE, EvidenceRule, GuidanceItem, decide, evidence_rules
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


# --- Pinned mappings: which row wins, where each item links, which list a row feeds ---

# The guide's section anchors, spelled out: a link to the wrong section is a bug.
RESPOND_ANCHOR = "how-to-respond-to-the-customer-safe-example"
EVIDENCE_ANCHOR = "what-evidence-helps-resolve-these-reports"
OUTCOME_ANCHOR = "how-replacements-vs-refunds-are-decided"
FINAL_ANCHOR = "final-rule-memorize-this"
INTERNATIONAL_ANCHOR = "international-orders-extra-caution"


@pytest.mark.parametrize(
    ("conditions", "facts"),
    [
        (Conditions(international=True), {"is_international": True}),
        (Conditions(fulfillment_method=SELLER), {"fulfillment_method": SELLER}),
        (Conditions(issue_type=WRONG), {"issue_type": WRONG}),
        (Conditions(photos_received=True), {"photos_received": True}),
        (Conditions(photos_received=False), {"photos_received": False}),
    ],
    ids=["international", "method", "issue-type", "photos", "no-photos"],
)
def test_a_row_for_one_condition_wins_over_a_general_one_only_where_it_applies(conditions, facts):
    rules = GuidanceRules(
        response_templates=(
            ResponseTemplateRule("General", "general", order=0),
            ResponseTemplateRule("Specific", "specific", conditions, order=5),
        ),
        warnings=(
            WarningRule(WarningKind.FINAL_RULE, "general rule", order=0),
            WarningRule(WarningKind.FINAL_RULE, "specific rule", conditions, order=5),
        ),
        evidence_requirements=(
            EvidenceRequirementRule(PACKAGE, False, "general box", order=0),
            EvidenceRequirementRule(PACKAGE, True, "specific box", conditions=conditions, order=5),
        ),
        outcome_factors=(
            OutcomeFactorRule(OutcomeFactor.WRONG_ITEM, "general wrong", order=0),
            OutcomeFactorRule(OutcomeFactor.WRONG_ITEM, "specific wrong", conditions, order=5),
        ),
    )
    applying = decide(make_claim_facts(**{"issue_type": WRONG, **facts}), rules)
    # The same claim with the condition's answer changed: the specific row is not for it.
    other = {
        "is_international": False,
        "fulfillment_method": KX,
        "issue_type": WRONG,
        "photos_received": None,
    }
    not_applying = decide(make_claim_facts(**other), rules)
    if conditions.issue_type is not None:
        not_applying = decide(make_claim_facts(issue_type=DAMAGED), rules)

    assert applying.response_template.text == "specific"
    assert applying.final_rule.text == "specific rule"
    assert [(r.required, r.reason) for r in applying.evidence_rules] == [(True, "specific box")]
    assert texts(applying.likely_outcome.reasons) == ("specific wrong",)
    assert not_applying.response_template.text == "general"
    assert not_applying.final_rule.text == "general rule"
    assert [(r.required, r.reason) for r in not_applying.evidence_rules] == [(False, "general box")]


def test_more_conditions_win_and_equal_ones_go_by_order():
    def template(title, order, **conditions):
        return ResponseTemplateRule(title, title, Conditions(**conditions), order=order)

    two = template("two", 9, fulfillment_method=KX, international=True)
    one_late = template("one late", 7, international=True)
    one_early = template("one early", 3, fulfillment_method=KX)
    four = template(
        "four",
        99,
        fulfillment_method=KX,
        issue_type=DAMAGED,
        international=True,
        photos_received=True,
    )
    rules = GuidanceRules(response_templates=(one_late, two, one_early, four))

    def pick(**facts):
        return decide(make_claim_facts(**facts), rules).response_template.text

    assert pick(is_international=True) == "two"
    assert pick(is_international=True, photos_received=True) == "four"
    assert pick(is_international=False) == "one early"
    assert pick(is_international=True, fulfillment_method=SELLER) == "one late"


@pytest.mark.parametrize(
    ("conditions", "matches"),
    [
        (Conditions(), True),
        (Conditions(fulfillment_method=KX), True),
        (Conditions(fulfillment_method=SELLER), False),
        (Conditions(issue_type=DAMAGED), True),
        (Conditions(issue_type=MISSING), False),
        (Conditions(international=False), True),
        (Conditions(international=True), False),
        (Conditions(photos_received=True), True),
        (Conditions(photos_received=False), False),
        (Conditions(fulfillment_method=KX, issue_type=DAMAGED, international=False), True),
        (Conditions(fulfillment_method=KX, issue_type=MISSING, international=False), False),
    ],
    ids=repr,
)
def test_conditions_match_each_answer_or_any(conditions, matches):
    facts = make_claim_facts(photos_received=True)
    assert conditions.matches(facts) is matches
    assert conditions.specificity == sum(
        value is not None
        for value in (
            conditions.fulfillment_method,
            conditions.issue_type,
            conditions.international,
            conditions.photos_received,
        )
    )


# Each warning kind feeds exactly one list of the result page.
KIND_FIELDS = {
    WarningKind.DO_NOW: "do_now",
    WarningKind.DO_NOT: "do_not",
    WarningKind.COMMON_MISTAKE: "common_mistakes",
    WarningKind.INTERNATIONAL_CAUTION: "international_cautions",
    WarningKind.CONTACT_SUPPORT: "contact_support",
    WarningKind.HANDLED_WELL: "handled_well",
    WarningKind.HANDLED_POORLY: "handled_poorly",
    WarningKind.NOTE: "notes",
}
LIST_FIELDS = tuple(KIND_FIELDS.values())


@pytest.mark.parametrize("kind", list(WarningKind), ids=str)
def test_each_warning_kind_feeds_its_own_list(kind):
    row = WarningRule(kind, f"the {kind.value} line", anchor="its-section")
    guidance = decide(make_claim_facts(is_international=True), GuidanceRules(warnings=(row,)))

    expected = GuidanceItem(f"the {kind.value} line", "its-section")
    for field in LIST_FIELDS:
        assert (getattr(guidance, field) == (expected,)) == (KIND_FIELDS.get(kind) == field), field
    assert (guidance.final_rule == expected) == (kind == WarningKind.FINAL_RULE)
    assert set(WarningKind) == {*KIND_FIELDS, WarningKind.FINAL_RULE}


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("response without anchor", RESPOND_ANCHOR),
        ("response fallback", RESPOND_ANCHOR),
        ("final rule without anchor", FINAL_ANCHOR),
        ("final rule fallback", FINAL_ANCHOR),
        ("evidence without anchor", EVIDENCE_ANCHOR),
        ("evidence fallback", EVIDENCE_ANCHOR),
        ("outcome factor without anchor", OUTCOME_ANCHOR),
        ("likely outcome", OUTCOME_ANCHOR),
        ("international caution fallback", INTERNATIONAL_ANCHOR),
        ("inspection review path", "how-dispatchment-reviews-these-issues"),
        ("seller review path", "seller-responsibilities"),
    ],
)
def test_each_item_links_to_its_guide_section_by_default(what, expected):
    bare = GuidanceRules(
        response_templates=(ResponseTemplateRule("T", "t"),),
        warnings=(WarningRule(WarningKind.FINAL_RULE, "rule"),),
        evidence_requirements=(EvidenceRequirementRule(ITEM, True, "item"),),
        outcome_factors=(OutcomeFactorRule(OutcomeFactor.DAMAGED, "damaged"),),
    )
    facts = make_claim_facts(is_international=True)
    with_rows = decide(facts, bare)
    without_rows = decide(facts, GuidanceRules())
    seller = decide(make_claim_facts(fulfillment_method=SELLER), bare)
    anchors = {
        "response without anchor": with_rows.response_template.anchor,
        "response fallback": without_rows.response_template.anchor,
        "final rule without anchor": with_rows.final_rule.anchor,
        "final rule fallback": without_rows.final_rule.anchor,
        "evidence without anchor": with_rows.evidence_rules[0].anchor,
        "evidence fallback": without_rows.evidence_rules[0].anchor,
        "outcome factor without anchor": with_rows.likely_outcome.reasons[0].anchor,
        "likely outcome": without_rows.likely_outcome.anchor,
        "international caution fallback": without_rows.international_cautions[0].anchor,
        "inspection review path": with_rows.review_path.anchor,
        "seller review path": seller.review_path.anchor,
    }
    assert anchors[what] == expected
    assert (
        with_rows.response_template.is_fallback,
        without_rows.response_template.is_fallback,
    ) == (
        False,
        True,
    )


def test_a_rows_own_anchor_wins_over_the_default():
    rules = GuidanceRules(
        response_templates=(ResponseTemplateRule("T", "t", anchor="own-respond"),),
        warnings=(WarningRule(WarningKind.FINAL_RULE, "rule", anchor="own-final"),),
        evidence_requirements=(EvidenceRequirementRule(ITEM, True, "item", anchor="own-ev"),),
        outcome_factors=(
            OutcomeFactorRule(OutcomeFactor.SEVERE_DAMAGE, "severe", anchor="own-refund"),
            OutcomeFactorRule(OutcomeFactor.DAMAGED, "damaged", anchor="own-replace"),
        ),
    )
    facts = make_claim_facts(severity=DamageSeverity.SEVERE)
    guidance = decide(facts, rules)

    assert guidance.response_template.anchor == "own-respond"
    assert guidance.final_rule.anchor == "own-final"
    assert guidance.evidence_rules[0].anchor == "own-ev"
    assert guidance.likely_outcome.outcome == Outcome.REFUND
    assert [i.anchor for i in guidance.likely_outcome.reasons] == ["own-refund"]
    assert [i.anchor for i in guidance.likely_outcome.counter_reasons] == ["own-replace"]


@pytest.mark.parametrize(
    ("issue_type", "expected"),
    [
        (
            DAMAGED,
            [
                (PACKAGE, False, "outer box and label"),
                (ITEM, True, "cannot be assessed without them"),
                (PACKING, False, "how the item was protected"),
            ],
        ),
        (
            MISSING,
            [
                (PACKAGE, False, "outer box and label"),
                (PACKING, False, "how the item was protected"),
            ],
        ),
    ],
)
def test_without_evidence_rows_the_guides_list_and_reasons_are_used(issue_type, expected):
    rules = evidence_rules(make_claim_facts(issue_type=issue_type), ())

    assert len(rules) == len(expected)
    for rule, (kind, required, reason) in zip(rules, expected, strict=True):
        assert (rule.kind, rule.required) == (kind, required)
        assert reason in str(rule.reason)
        assert (rule.anchor, rule.label) == (EVIDENCE_ANCHOR, "")


# The 📌 notes: which property shows a note, by the section it is written for.
NOTE_GROUPS = {
    "review_notes": {
        "if-the-order-was-dispatched-by-kingston-express",
        "how-dispatchment-reviews-these-issues",
        "if-the-order-was-seller-managed",
        "seller-responsibilities",
    },
    "response_notes": {RESPOND_ANCHOR},
    "evidence_notes": {EVIDENCE_ANCHOR},
    "mistake_notes": {"common-seller-mistakes-to-avoid"},
    "performance_notes": {"how-this-affects-seller-performance"},
    "support_notes": {"when-to-contact-support"},
    "final_notes": {FINAL_ANCHOR},
}


@pytest.mark.parametrize("group", list(NOTE_GROUPS))
def test_each_note_shows_beside_the_section_it_is_written_for(group):
    notes = tuple(
        WarningRule(WarningKind.NOTE, section.value, anchor=section.value)
        for section in GuideSection
    )
    guidance = decide(make_claim_facts(), GuidanceRules(warnings=notes))

    assert set(texts(getattr(guidance, group))) == NOTE_GROUPS[group]


def test_required_and_encouraged_evidence_split_the_rules():
    rows = (
        EvidenceRequirementRule(PACKAGE, True, "box"),
        EvidenceRequirementRule(ITEM, False, "item"),
        EvidenceRequirementRule(PACKING, True, "packing"),
    )
    guidance = decide(make_claim_facts(), GuidanceRules(evidence_requirements=rows))

    assert [r.reason for r in guidance.required_evidence] == ["box", "packing"]
    assert [r.reason for r in guidance.encouraged_evidence] == ["item"]


def test_reply_lines_are_the_applying_rows_in_order():
    rows = (
        ReplyLineRule("second", order=2, anchor="a"),
        ReplyLineRule("abroad", Conditions(international=True), order=1),
        ReplyLineRule("with photos", Conditions(photos_received=True), order=0),
        ReplyLineRule("first", order=0),
    )
    rules = GuidanceRules(reply_lines=rows)

    assert decide(make_claim_facts(), rules).reply_lines == (
        GuidanceItem("first"),
        GuidanceItem("second", "a"),
    )
    assert texts(
        decide(make_claim_facts(is_international=True, photos_received=True), rules).reply_lines
    ) == (
        "with photos",
        "first",
        "abroad",
        "second",
    )


def _frozen_examples():
    guidance = decide(make_claim_facts(), RULES)
    return [
        GuidanceItem("i"),
        guidance.review_path,
        guidance.response_template,
        guidance.evidence_rules[0],
        guidance.likely_outcome,
        guidance,
    ]


@pytest.mark.parametrize("value", _frozen_examples(), ids=lambda v: type(v).__name__)
def test_decisions_are_frozen_values(value):
    # Values, not records: whatever receives a decision cannot change it for others.
    name = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, getattr(value, name))
    assert hash(value) == hash(value)


def test_a_guidance_item_links_nowhere_by_default():
    assert GuidanceItem("x").anchor == ""
