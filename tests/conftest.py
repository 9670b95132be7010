"""Shared fixtures and make_* helpers for every test."""

import pytest


@pytest.fixture(autouse=True)
def _private_file_roots(settings, tmp_path):
    """Each test writes uploads under its own temporary folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence", "base_url": None},
        },
    }


# --- Claim guidance (claims/rules.py, claims/selectors.py) ------------------


def make_claim_facts(**overrides):
    """A ClaimFacts for a domestic damaged item dispatched by Kingston Express,
    with any field overridden."""
    from claims.choices import FulfillmentMethod, IssueType
    from claims.rules import ClaimFacts

    values = {
        "issue_type": IssueType.DAMAGED_ITEM,
        "fulfillment_method": FulfillmentMethod.KINGSTON_EXPRESS,
        "is_international": False,
    }
    values.update(overrides)
    return ClaimFacts(**values)


def seeded_guidance_rules():
    """The guidance rows the 0002 migration seeds, as the plain rules
    `claims.rules.decide` takes: the pure tests decide over the guide's own
    rows without a database."""
    import importlib

    from claims.choices import (
        EvidenceKind,
        FulfillmentMethod,
        IssueType,
        OutcomeFactor,
        WarningKind,
    )
    from claims.rules import (
        Conditions,
        EvidenceRequirementRule,
        GuidanceRules,
        OutcomeFactorRule,
        ResponseTemplateRule,
        ReviewStepRule,
        WarningRule,
    )

    seed = importlib.import_module("claims.migrations.0002_seed_guidance")

    def conditions(method="", issue="", destination=""):
        return Conditions(
            fulfillment_method=FulfillmentMethod(method) if method else None,
            issue_type=IssueType(issue) if issue else None,
            international=(destination == "international") if destination else None,
        )

    return GuidanceRules(
        response_templates=tuple(
            ResponseTemplateRule(title, body, conditions(method), order, anchor)
            for order, (title, body, anchor, method) in enumerate(seed.RESPONSE_TEMPLATES)
        ),
        warnings=tuple(
            WarningRule(WarningKind(kind), text, conditions(method, issue, dest), order, anchor)
            for order, (kind, text, anchor, method, issue, dest) in enumerate(seed.WARNINGS)
        ),
        review_steps=tuple(
            ReviewStepRule(text, conditions(method), order, anchor)
            for order, (text, anchor, method) in enumerate(seed.REVIEW_STEPS)
        ),
        evidence_requirements=tuple(
            EvidenceRequirementRule(
                EvidenceKind(kind),
                need == "required",
                reason,
                label,
                conditions(method, issue),
                order,
                seed.EVIDENCE,
            )
            for order, (kind, need, label, reason, method, issue) in enumerate(
                seed.EVIDENCE_REQUIREMENTS
            )
        ),
        outcome_factors=tuple(
            OutcomeFactorRule(OutcomeFactor(factor), text, conditions(), order, anchor)
            for order, (factor, text, anchor) in enumerate(seed.OUTCOME_FACTORS)
        ),
    )


@pytest.fixture
def seeded_guidance(transactional_db):
    """The guide's guidance rows in the database, for tests on a live server.

    Transactional tests (live_server) empty every table when they end, so the
    rows the 0002 migration seeded are gone for the next one: write them again
    when missing, with the migration's own function."""
    import importlib

    from django.apps import apps

    from claims.models import GuidanceWarning

    if not GuidanceWarning.objects.exists():
        importlib.import_module("claims.migrations.0002_seed_guidance").seed(apps, None)


@pytest.fixture
def guidance_rules():
    return seeded_guidance_rules()


@pytest.fixture(autouse=True)
def clear_guidance_cache():
    """Every test starts and ends with no cached guidance rows: the cache
    outlives the test database's rollback, so an edit made in one test would
    otherwise show in the next."""
    from django.core.cache import cache

    from claims.selectors import GUIDANCE_CACHE_KEY

    cache.delete(GUIDANCE_CACHE_KEY)
    yield
    cache.delete(GUIDANCE_CACHE_KEY)
