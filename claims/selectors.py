"""Reads for the claim guidance: the active guidance rows, cached, turned
into the plain rules `claims.rules.decide` works on."""

from django.core.cache import cache
from django.db import transaction

from claims.choices import (
    Destination,
    EvidenceKind,
    EvidenceNeed,
    FulfillmentMethod,
    IssueType,
    OutcomeFactor,
    WarningKind,
)
from claims.models import (
    EvidenceRequirement,
    GuidanceRow,
    GuidanceWarning,
    OutcomeFactorRow,
    ResponseTemplate,
    ReviewStep,
)
from claims.rules import (
    ClaimFacts,
    Conditions,
    EvidenceRequirementRule,
    EvidenceRule,
    Guidance,
    GuidanceRules,
    OutcomeFactorRule,
    ResponseTemplateRule,
    ReviewStepRule,
    WarningRule,
    decide,
    evidence_rules,
)

__all__ = [
    "GUIDANCE_CACHE_KEY",
    "evidence_rules_for",
    "guidance_for",
    "guidance_rules",
    "invalidate_guidance_cache",
    "load_guidance_rules",
]

# Bump the suffix when the cached dataclasses change shape, so a deploy never
# reads rules pickled by the previous code.
GUIDANCE_CACHE_KEY = "claims:guidance-rules:v1"
# Edits invalidate the cache at once; the timeout only bounds how long a
# change made outside Django (raw SQL) can go unseen.
GUIDANCE_CACHE_TIMEOUT = 60 * 60


def _conditions(row: GuidanceRow) -> Conditions:
    return Conditions(
        fulfillment_method=FulfillmentMethod(row.fulfillment_method)
        if row.fulfillment_method
        else None,
        issue_type=IssueType(row.issue_type) if row.issue_type else None,
        international=(row.destination == Destination.INTERNATIONAL) if row.destination else None,
    )


def load_guidance_rules() -> GuidanceRules:
    """Every active guidance row as plain rules: one query per kind of row."""
    return GuidanceRules(
        response_templates=tuple(
            ResponseTemplateRule(
                title=row.title,
                body=row.body,
                conditions=_conditions(row),
                order=row.order,
                anchor=row.guide_anchor,
            )
            for row in ResponseTemplate.objects.active().order_by("order", "pk")
        ),
        warnings=tuple(
            WarningRule(
                kind=WarningKind(row.kind),
                text=row.text,
                conditions=_conditions(row),
                order=row.order,
                anchor=row.guide_anchor,
            )
            for row in GuidanceWarning.objects.active().order_by("order", "pk")
        ),
        review_steps=tuple(
            ReviewStepRule(
                text=row.text, conditions=_conditions(row), order=row.order, anchor=row.guide_anchor
            )
            for row in ReviewStep.objects.active().order_by("order", "pk")
        ),
        evidence_requirements=tuple(
            EvidenceRequirementRule(
                kind=EvidenceKind(row.evidence_kind),
                required=row.need == EvidenceNeed.REQUIRED,
                reason=row.reason,
                label=row.label,
                conditions=_conditions(row),
                order=row.order,
                anchor=row.guide_anchor,
            )
            for row in EvidenceRequirement.objects.active().order_by("order", "pk")
        ),
        outcome_factors=tuple(
            OutcomeFactorRule(
                factor=OutcomeFactor(row.factor),
                text=row.text,
                conditions=_conditions(row),
                order=row.order,
                anchor=row.guide_anchor,
            )
            for row in OutcomeFactorRow.objects.active().order_by("order", "pk")
        ),
    )


def guidance_rules() -> GuidanceRules:
    """The active guidance rows, from the cache when they are there."""
    rules = cache.get(GUIDANCE_CACHE_KEY)
    if rules is None:
        rules = load_guidance_rules()
        cache.set(GUIDANCE_CACHE_KEY, rules, GUIDANCE_CACHE_TIMEOUT)
    return rules


def invalidate_guidance_cache() -> None:
    """Forget the cached rows, now and again when the current transaction
    commits: a request reading between the two would otherwise cache the
    rows as they were before the edit."""
    cache.delete(GUIDANCE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(GUIDANCE_CACHE_KEY))


def guidance_for(facts: ClaimFacts) -> Guidance:
    """Everything the result page says for a claim with these answers."""
    return decide(facts, guidance_rules())


def evidence_rules_for(facts: ClaimFacts) -> tuple[EvidenceRule, ...]:
    """Which photo slots the claim requires or encourages, and why."""
    return evidence_rules(facts, guidance_rules().evidence_requirements)
