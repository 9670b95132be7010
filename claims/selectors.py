"""Reads for the claim guidance: the active guidance rows, cached, turned
into the plain rows of `claims.guidance_rules` that `claims.rules.decide`
works on."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache

from claims import review_signals
from claims.choices import (
    Destination,
    EvidenceKind,
    EvidenceNeed,
    FulfillmentMethod,
    IssueType,
    OutcomeFactor,
    PhotosCondition,
    WarningKind,
)
from claims.facts import ClaimFacts
from claims.guidance_cache import (
    GUIDANCE_CACHE_KEY,
    GUIDANCE_CACHE_TIMEOUT,
    REPLY_CHECK_CACHE_KEY,
    invalidate_guidance_cache,
)
from claims.guidance_rules import (
    Conditions,
    EvidenceRequirementRule,
    GuidanceRules,
    OutcomeFactorRule,
    ReplyLineRule,
    ResponseTemplateRule,
    ReviewStepRule,
    WarningRule,
)
from claims.models import (
    Claim,
    ClaimTransition,
    EvidencePhoto,
    EvidenceRequirement,
    GuidanceRow,
    GuidanceWarning,
    OutcomeFactorRow,
    ReplyCheckRule,
    ReplyLine,
    ResponseTemplate,
    ReviewStep,
)
from claims.reply_check import CheckRule, compile_patterns
from claims.rules import EvidenceRule, Guidance, decide, evidence_rules

__all__ = [
    "GUIDANCE_CACHE_KEY",
    "earlier_claims_for_order",
    "evidence_rules_for",
    "guidance_for",
    "guidance_rules",
    "invalidate_guidance_cache",
    "load_guidance_rules",
    "load_reply_check_rules",
    "reply_check_rules",
    "signals_for",
]


def _conditions(row: GuidanceRow) -> Conditions:
    photos = getattr(row, "photos", "")
    return Conditions(
        fulfillment_method=FulfillmentMethod(row.fulfillment_method)
        if row.fulfillment_method
        else None,
        issue_type=IssueType(row.issue_type) if row.issue_type else None,
        international=(row.destination == Destination.INTERNATIONAL) if row.destination else None,
        photos_received=(photos == PhotosCondition.RECEIVED) if photos else None,
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
        reply_lines=tuple(
            ReplyLineRule(
                text=row.text, conditions=_conditions(row), order=row.order, anchor=row.guide_anchor
            )
            for row in ReplyLine.objects.active().order_by("order", "pk")
        ),
    )


def guidance_rules() -> GuidanceRules:
    """The active guidance rows, from the cache when they are there."""
    rules = cache.get(GUIDANCE_CACHE_KEY)
    if rules is None:
        rules = load_guidance_rules()
        cache.set(GUIDANCE_CACHE_KEY, rules, GUIDANCE_CACHE_TIMEOUT)
    return rules


def load_reply_check_rules() -> tuple[CheckRule, ...]:
    """Every active reply check rule, its patterns compiled. A rule whose
    patterns no longer compile (edited outside the admin's validation) is
    left out rather than breaking every result page."""
    rules = []
    for row in ReplyCheckRule.objects.active().order_by("order", "pk"):
        try:
            patterns, safe_when = compile_patterns(row.patterns), compile_patterns(row.safe_when)
        except ValueError:
            continue
        rules.append(
            CheckRule(
                code=row.code,
                name=row.name,
                patterns=patterns,
                safe_when=safe_when,
                fulfillment_method=FulfillmentMethod(row.fulfillment_method)
                if row.fulfillment_method
                else None,
                issue_types=frozenset(IssueType(value) for value in row.issue_types or ()),
                international=(row.destination == Destination.INTERNATIONAL)
                if row.destination
                else None,
                rule_text=row.rule_text,
                anchor=row.guide_anchor,
                suggestion=row.suggestion,
                order=row.order,
            )
        )
    return tuple(rules)


def reply_check_rules() -> tuple[CheckRule, ...]:
    """The active reply check rules, from the cache when they are there."""
    rules = cache.get(REPLY_CHECK_CACHE_KEY)
    if rules is None:
        rules = load_reply_check_rules()
        cache.set(REPLY_CHECK_CACHE_KEY, rules, GUIDANCE_CACHE_TIMEOUT)
    return rules


def guidance_for(facts: ClaimFacts) -> Guidance:
    """Everything the result page says for a claim with these answers."""
    return decide(facts, guidance_rules())


def evidence_rules_for(facts: ClaimFacts) -> tuple[EvidenceRule, ...]:
    """Which photo slots the claim requires or encourages, and why."""
    return evidence_rules(facts, guidance_rules().evidence_requirements)


# --- Signals for the reviewer ------------------------------------------------------


def _photo_facts(photo: EvidencePhoto) -> review_signals.PhotoFacts:
    return review_signals.PhotoFacts(
        public_id=str(photo.public_id),
        kind_label=str(photo.get_kind_display()).lower(),
        sha256=photo.sha256,
        phash=photo.phash,
        captured_at=photo.captured_at,
        camera=photo.camera,
    )


def signals_for(claim: Claim, *, photos=None) -> tuple[review_signals.Signal, ...]:
    """The claim's signals (`claims.review_signals.claim_signals`), each with the
    reviewer's "checked" from the timeline. Three queries, four without `photos`
    (the claim's photos when the caller has them already), whatever the number
    of photos or of other claims."""
    if photos is None:
        photos = list(claim.photos.all())
    others = [
        review_signals.OtherClaim(
            reference=other.reference,
            created_at=other.created_at,
            status_label=str(other.get_status_display()),
        )
        for other in Claim.objects.same_order_as(claim).only("reference", "created_at", "status")
    ]
    other_photos = (
        [
            review_signals.OtherPhoto(
                claim_reference=reference, claim_created_at=created, sha256=sha, phash=phash
            )
            for reference, created, sha, phash in EvidencePhoto.objects.hashes_outside(claim)
        ]
        if photos
        else []
    )
    checked = {}
    for record in (
        ClaimTransition.objects.filter(claim=claim, action=ClaimTransition.SIGNAL_CHECKED)
        .select_related("actor")
        .order_by("created_at", "pk")
    ):
        key = record.params.get("signal_key", "")
        checked.setdefault(
            key,
            review_signals.CheckedSignal(
                by=record.actor.get_username() if record.actor else "",
                at=record.created_at,
                note=record.note,
            ),
        )
    return review_signals.claim_signals(
        order_number=claim.order_number,
        claim_created_at=claim.created_at,
        other_claims=others,
        photos=[_photo_facts(photo) for photo in photos],
        other_photos=other_photos,
        checked=checked,
        near_distance=settings.CLAIM_PHOTO_NEAR_MATCH_DISTANCE,
        old_after=timedelta(days=settings.CLAIM_PHOTO_OLD_DAYS),
    )


def earlier_claims_for_order(order_number: str, *, limit: int = 5) -> list[dict]:
    """What the seller is told at the order step about claims already filed for this
    order: the date and reference of each, nothing else (never whose claim, what it
    says or where it stands)."""
    return list(
        Claim.objects.for_order_number(order_number).values("reference", "created_at")[:limit]
    )
