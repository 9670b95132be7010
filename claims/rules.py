"""Which guidance applies to a claim: the guide's decision, as a pure function.

Data in, data out: `decide(facts, rules)` takes the claim's answers
(`claims.facts.ClaimFacts`) and the active guidance rows (the plain rows of
`claims.guidance_rules`, built by `claims.selectors` from the admin-edited
models) and returns one frozen `Guidance` for the result page. No ORM, no
request, no settings: the parametrised table in `tests/claims/test_rules.py`
is its specification.

Which rows apply, and which one row wins where one is shown, is
`claims.guidance_rules`'s to say; where nothing applies, the guide's own safe
words are used instead, so a deactivated or deleted row never breaks the
result page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from claims import paths
from claims.choices import (
    DamageSeverity,
    EvidenceKind,
    GuideSection,
    IssueType,
    Outcome,
    OutcomeFactor,
    WarningKind,
)
from claims.facts import ClaimFacts
from claims.guidance_rules import (
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

__all__ = [
    "DECISION_NOTE",
    "CustomerResponse",
    "EvidenceRule",
    "Guidance",
    "GuidanceItem",
    "LikelyOutcome",
    "ReviewCard",
    "decide",
    "evidence_rules",
    "facts_outcome_factors",
]

# Said with every likely outcome: the seller never decides from the form alone.
DECISION_NOTE = _("The decision depends on policy and inspection.")

# The guide's own words, used only when admins have left no row for a case.
FALLBACK_RESPONSE_TITLE = _("Safe response")
FALLBACK_RESPONSE_BODY = _(
    "Thanks for letting us know. We are reviewing your report and will confirm the next steps."
)
FALLBACK_FINAL_RULE = _("No inspection, no refund. No review, no replacement.")
FALLBACK_INTERNATIONAL_CAUTION = _("Never promise instant resolution for international cases.")
FALLBACK_EVIDENCE_REASONS = {
    EvidenceKind.PACKAGE: _("Photos of the outer box and label show how the package arrived."),
    EvidenceKind.ITEM: _(
        "Photos of the damaged item show what is broken, cracked or unusable; the damage "
        "cannot be assessed without them."
    ),
    EvidenceKind.PACKING_MATERIALS: _(
        "Photos of the packing materials show how the item was protected on its way."
    ),
}


# --- What the result page shows ------------------------------------------------


@dataclass(frozen=True)
class GuidanceItem:
    """One line of guidance and the guide section that explains it."""

    text: str
    anchor: str = ""


@dataclass(frozen=True)
class ReviewCard:
    """The guide's card on who reviews the claim and how: inspection by
    Kingston Express, or the seller's own review. (The workflow's own
    checklist and approvals per path are `claims.paths.ReviewPath`.)"""

    title: str
    steps: tuple[GuidanceItem, ...]
    anchor: str
    is_inspection: bool


@dataclass(frozen=True)
class CustomerResponse:
    title: str
    text: str
    anchor: str = GuideSection.RESPOND.value
    is_fallback: bool = False


@dataclass(frozen=True)
class EvidenceRule:
    """A photo slot this claim needs (required) or would benefit from
    (encouraged), and why, in words a customer understands."""

    kind: EvidenceKind
    required: bool
    reason: str
    label: str = ""
    anchor: str = GuideSection.EVIDENCE.value


@dataclass(frozen=True)
class LikelyOutcome:
    """Replacement or refund, which is more likely from the answers (None when
    the answers do not point either way), and why."""

    outcome: Outcome | None
    reasons: tuple[GuidanceItem, ...] = ()
    counter_reasons: tuple[GuidanceItem, ...] = ()
    note: str = DECISION_NOTE
    anchor: str = GuideSection.REPLACEMENTS_VS_REFUNDS.value


REVIEW_NOTE_ANCHORS = frozenset(
    {
        GuideSection.IF_KINGSTON_EXPRESS,
        GuideSection.DISPATCHMENT_REVIEWS,
        GuideSection.IF_SELLER_MANAGED,
        GuideSection.SELLER_RESPONSIBILITIES,
    }
)


@dataclass(frozen=True)
class Guidance:
    """Everything the result page says for one claim."""

    facts: ClaimFacts
    review_path: ReviewCard
    response_template: CustomerResponse
    do_now: tuple[GuidanceItem, ...]
    do_not: tuple[GuidanceItem, ...]
    common_mistakes: tuple[GuidanceItem, ...]
    international_cautions: tuple[GuidanceItem, ...]
    evidence_rules: tuple[EvidenceRule, ...]
    likely_outcome: LikelyOutcome
    contact_support: tuple[GuidanceItem, ...]
    final_rule: GuidanceItem
    handled_well: tuple[GuidanceItem, ...] = ()
    handled_poorly: tuple[GuidanceItem, ...] = ()
    notes: tuple[GuidanceItem, ...] = ()
    # The case lines of the reply, in order (claims.reply composes the whole).
    reply_lines: tuple[GuidanceItem, ...] = ()

    @property
    def anchors(self) -> tuple[str, ...]:
        """Every guide section this guidance links to, in page order, once."""
        items: list[GuidanceItem | ReviewCard | CustomerResponse | EvidenceRule | LikelyOutcome] = [
            self.review_path,
            *self.review_path.steps,
            self.response_template,
            *self.do_now,
            *self.do_not,
            *self.common_mistakes,
            *self.international_cautions,
            *self.evidence_rules,
            self.likely_outcome,
            *self.contact_support,
            self.final_rule,
            *self.notes,
        ]
        return tuple(dict.fromkeys(item.anchor for item in items if item.anchor))

    def _notes_at(self, *anchors: str) -> tuple[GuidanceItem, ...]:
        return tuple(note for note in self.notes if note.anchor in anchors)

    # The 📌 notes, grouped by the partial that shows them.
    @property
    def review_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(*REVIEW_NOTE_ANCHORS)

    @property
    def response_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(GuideSection.RESPOND)

    @property
    def evidence_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(GuideSection.EVIDENCE)

    @property
    def mistake_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(GuideSection.COMMON_MISTAKES)

    @property
    def performance_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(GuideSection.PERFORMANCE)

    @property
    def support_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(GuideSection.CONTACT_SUPPORT)

    @property
    def final_notes(self) -> tuple[GuidanceItem, ...]:
        return self._notes_at(GuideSection.FINAL_RULE)

    @property
    def required_evidence(self) -> tuple[EvidenceRule, ...]:
        return tuple(rule for rule in self.evidence_rules if rule.required)

    @property
    def encouraged_evidence(self) -> tuple[EvidenceRule, ...]:
        return tuple(rule for rule in self.evidence_rules if not rule.required)


# --- The decision -----------------------------------------------------------


def evidence_rules(
    facts: ClaimFacts, requirements: Iterable[EvidenceRequirementRule]
) -> tuple[EvidenceRule, ...]:
    """Which photo slots this claim requires or encourages, and why, in slot
    order. A slot with no applying row is optional and not listed. When no row
    applies at all, the guide's evidence list is used: package and packing
    materials encouraged, and the item required when it is damaged."""
    requirements = tuple(requirements)
    chosen: list[EvidenceRule] = []
    for kind in EvidenceKind:
        row = best([r for r in requirements if r.kind == kind], facts)
        if row is not None:
            chosen.append(
                EvidenceRule(
                    kind=kind,
                    required=row.required,
                    reason=row.reason,
                    label=row.label,
                    anchor=row.anchor or GuideSection.EVIDENCE.value,
                )
            )
    if chosen:
        return tuple(chosen)
    reasons = FALLBACK_EVIDENCE_REASONS
    fallback = [EvidenceRule(EvidenceKind.PACKAGE, False, reasons[EvidenceKind.PACKAGE])]
    if facts.issue_type == IssueType.DAMAGED_ITEM:
        fallback.append(EvidenceRule(EvidenceKind.ITEM, True, reasons[EvidenceKind.ITEM]))
    fallback.append(
        EvidenceRule(EvidenceKind.PACKING_MATERIALS, False, reasons[EvidenceKind.PACKING_MATERIALS])
    )
    return tuple(fallback)


def facts_outcome_factors(facts: ClaimFacts) -> tuple[OutcomeFactor, ...]:
    """The guide's replacement-vs-refund factors that the answers show."""
    shown = {
        OutcomeFactor.DAMAGED: facts.issue_type == IssueType.DAMAGED_ITEM,
        OutcomeFactor.WRONG_ITEM: facts.issue_type == IssueType.WRONG_ITEM,
        OutcomeFactor.STOCK_AVAILABLE: facts.stock_available is True,
        OutcomeFactor.OUT_OF_STOCK: facts.stock_available is False,
        OutcomeFactor.SEVERE_DAMAGE: (
            facts.issue_type == IssueType.DAMAGED_ITEM and facts.severity == DamageSeverity.SEVERE
        ),
        OutcomeFactor.RETURN_NOT_FEASIBLE: facts.return_feasible is False,
    }
    return tuple(factor for factor in OutcomeFactor if shown[factor])


def likely_outcome(facts: ClaimFacts, factor_rules: Iterable[OutcomeFactorRule]) -> LikelyOutcome:
    """Replacement or refund, per "How Replacements vs Refunds Are Decided".

    A factor counts when the answers show it and an active row describes it
    (admins can retire a factor by deactivating its row). Any refund factor
    (out of stock, severe damage, return not feasible) outweighs the
    replacement ones: without stock, or with an item beyond use that cannot
    come back, a replacement is not the likely end. No factor: undecided.
    """
    factor_rules = tuple(factor_rules)
    for_refund: list[GuidanceItem] = []
    for_replacement: list[GuidanceItem] = []
    for factor in facts_outcome_factors(facts):
        row = best([r for r in factor_rules if r.factor == factor], facts)
        if row is None:
            continue
        item = GuidanceItem(row.text, row.anchor or GuideSection.REPLACEMENTS_VS_REFUNDS.value)
        (for_refund if factor.outcome == Outcome.REFUND else for_replacement).append(item)
    if for_refund:
        return LikelyOutcome(Outcome.REFUND, tuple(for_refund), tuple(for_replacement))
    if for_replacement:
        return LikelyOutcome(Outcome.REPLACEMENT, tuple(for_replacement))
    return LikelyOutcome(None)


def _items(
    rows: Iterable[WarningRule | ReviewStepRule | ReplyLineRule],
) -> tuple[GuidanceItem, ...]:
    return tuple(GuidanceItem(row.text, row.anchor) for row in rows)


def _review_card_steps(
    facts: ClaimFacts, rows: Iterable[ReviewStepRule]
) -> tuple[GuidanceItem, ...]:
    """The review step rows as the claim's review path reads them (`claims.paths.
    card_step`): the guide's generic steps only where this issue type's path has
    them, in its words; an editor's own rows as written; each line once."""
    path = paths.review_path(facts.fulfillment_method, facts.issue_type)
    steps: list[GuidanceItem] = []
    for row in rows:
        text = paths.card_step(path, row.text)
        if text is not None and text not in {step.text for step in steps}:
            steps.append(GuidanceItem(text, row.anchor))
    return tuple(steps)


def _review_card(facts: ClaimFacts, steps: Iterable[ReviewStepRule]) -> ReviewCard:
    """Inspection by Kingston Express, or the seller's own review."""
    is_inspection = facts.fulfillment_method.is_kingston_express
    return ReviewCard(
        title=(
            _("Reviewed centrally by Kingston Express")
            if is_inspection
            else _("Your review: you resolve seller-managed orders")
        ),
        steps=_review_card_steps(facts, steps),
        anchor=(
            GuideSection.DISPATCHMENT_REVIEWS.value
            if is_inspection
            else GuideSection.SELLER_RESPONSIBILITIES.value
        ),
        is_inspection=is_inspection,
    )


def _customer_response(template: ResponseTemplateRule | None) -> CustomerResponse:
    if template is None:
        return CustomerResponse(FALLBACK_RESPONSE_TITLE, FALLBACK_RESPONSE_BODY, is_fallback=True)
    return CustomerResponse(
        template.title, template.body, template.anchor or GuideSection.RESPOND.value
    )


def _international_cautions(
    facts: ClaimFacts, rows: Iterable[WarningRule]
) -> tuple[GuidanceItem, ...]:
    # Cautions are about international orders whatever a row's destination says.
    if not facts.is_international:
        return ()
    cautions = _items(rows)
    if not cautions:
        return (GuidanceItem(FALLBACK_INTERNATIONAL_CAUTION, GuideSection.INTERNATIONAL.value),)
    return cautions


def _final_rule(final: WarningRule | None) -> GuidanceItem:
    if final is None:
        return GuidanceItem(FALLBACK_FINAL_RULE, GuideSection.FINAL_RULE.value)
    return GuidanceItem(final.text, final.anchor or GuideSection.FINAL_RULE.value)


def decide(facts: ClaimFacts, rules: GuidanceRules) -> Guidance:
    """The guidance for one claim: review path, response template, warnings,
    evidence, likely outcome, when to contact support and the final rule."""
    warnings = applying(rules.warnings, facts)

    def of_kind(kind: WarningKind) -> list[WarningRule]:
        return [row for row in warnings if row.kind == kind]

    return Guidance(
        facts=facts,
        review_path=_review_card(facts, applying(rules.review_steps, facts)),
        response_template=_customer_response(best(rules.response_templates, facts)),
        do_now=_items(of_kind(WarningKind.DO_NOW)),
        do_not=_items(of_kind(WarningKind.DO_NOT)),
        common_mistakes=_items(of_kind(WarningKind.COMMON_MISTAKE)),
        international_cautions=_international_cautions(
            facts, of_kind(WarningKind.INTERNATIONAL_CAUTION)
        ),
        evidence_rules=evidence_rules(facts, rules.evidence_requirements),
        likely_outcome=likely_outcome(facts, rules.outcome_factors),
        contact_support=_items(of_kind(WarningKind.CONTACT_SUPPORT)),
        final_rule=_final_rule(best(of_kind(WarningKind.FINAL_RULE), facts)),
        handled_well=_items(of_kind(WarningKind.HANDLED_WELL)),
        handled_poorly=_items(of_kind(WarningKind.HANDLED_POORLY)),
        notes=_items(of_kind(WarningKind.NOTE)),
        reply_lines=_items(applying(rules.reply_lines, facts)),
    )
