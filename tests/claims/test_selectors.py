"""`guidance_for` reads the admin-edited rows from the database (cached), so
an edit changes the result page at once, without a code change."""

import itertools

import pytest
from django.core.cache import cache

from claims.choices import EvidenceKind, FulfillmentMethod, IssueType, WarningKind
from claims.models import EvidenceRequirement, GuidanceWarning, ResponseTemplate, ReviewStep
from claims.rules import decide
from claims.selectors import (
    GUIDANCE_CACHE_KEY,
    evidence_rules_for,
    guidance_for,
    invalidate_guidance_cache,
    load_guidance_rules,
)
from tests.factories import make_claim_facts, seeded_guidance_rules

pytestmark = pytest.mark.django_db

KX = FulfillmentMethod.KINGSTON_EXPRESS
SELLER = FulfillmentMethod.SELLER_MANAGED


@pytest.mark.parametrize(
    ("method", "issue", "international"),
    list(itertools.product(FulfillmentMethod, IssueType, (False, True))),
)
def test_the_seeded_database_gives_the_same_guidance_as_the_seed_itself(
    method, issue, international
):
    facts = make_claim_facts(
        fulfillment_method=method, issue_type=issue, is_international=international
    )

    assert guidance_for(facts) == decide(facts, seeded_guidance_rules())


def test_rows_are_loaded_in_one_query_per_kind_then_served_from_the_cache(
    django_assert_num_queries,
):
    facts = make_claim_facts()

    with django_assert_num_queries(6):
        first = guidance_for(facts)
    with django_assert_num_queries(0):
        again = guidance_for(make_claim_facts(fulfillment_method=SELLER, is_international=True))
        evidence_rules_for(facts)

    assert first.response_template.title == "Dispatchment order"
    assert again.response_template.title == "Seller-managed order"


def test_an_edited_template_shows_at_once():
    facts = make_claim_facts(fulfillment_method=KX)
    guidance_for(facts)  # warm the cache
    template = ResponseTemplate.objects.get(fulfillment_method=KX)

    template.body = "Thanks for telling us. Please submit the issue through your order."
    template.save()

    assert guidance_for(facts).response_template.text == template.body


def test_a_deactivated_template_falls_back_to_a_safe_message():
    facts = make_claim_facts(fulfillment_method=SELLER)
    guidance_for(facts)

    for template in ResponseTemplate.objects.all():
        template.is_active = False
        template.save()

    response = guidance_for(facts).response_template
    assert response.is_fallback
    assert "confirm the next steps" in response.text


def test_a_new_row_for_one_case_only_shows_for_that_case():
    guidance_for(make_claim_facts())
    GuidanceWarning.objects.create(
        kind=WarningKind.DO_NOT,
        text="Do not promise a delivery date for customs",
        fulfillment_method=KX,
        issue_type=IssueType.MISSING_ITEM,
        destination="international",
        order=5,
    )

    matching = guidance_for(
        make_claim_facts(issue_type=IssueType.MISSING_ITEM, is_international=True)
    )
    domestic = guidance_for(make_claim_facts(issue_type=IssueType.MISSING_ITEM))

    assert matching.do_not[0].text == "Do not promise a delivery date for customs"
    assert "Do not promise a delivery date for customs" not in [i.text for i in domestic.do_not]


def test_a_deleted_step_disappears_and_a_reordered_step_moves():
    facts = make_claim_facts(fulfillment_method=KX, issue_type=IssueType.MISSING_ITEM)
    guidance_for(facts)
    ReviewStep.objects.get(text="Packing logs are checked").delete()
    last = ReviewStep.objects.get(text="Resolution is applied per policy")
    last.order = 1
    last.save()

    steps = [step.text for step in guidance_for(facts).review_path.steps]

    # A missing item's path: the damage step is not its own, whatever the rows hold.
    assert steps == [
        "Resolution is applied per policy",
        "Weight and SKU records are verified",
    ]


def test_the_review_card_follows_the_path_and_keeps_an_editors_own_step():
    missing = make_claim_facts(fulfillment_method=KX, issue_type=IssueType.MISSING_ITEM)
    damaged = make_claim_facts(fulfillment_method=KX, issue_type=IssueType.DAMAGED_ITEM)
    ReviewStep.objects.create(
        text="The courier's scan history is checked", fulfillment_method=KX, order=2
    )
    damage_only = ReviewStep.objects.create(
        text="Photos of the damage are compared with the return",
        fulfillment_method=KX,
        issue_type=IssueType.DAMAGED_ITEM,
        order=3,
    )

    on_missing = [s.text for s in guidance_for(missing).review_path.steps]
    on_damaged = [s.text for s in guidance_for(damaged).review_path.steps]

    assert "Damage is assessed during return inspection" not in on_missing
    assert "The courier's scan history is checked" in on_missing
    assert damage_only.text not in on_missing
    assert "Damage is assessed during return inspection" in on_damaged
    assert damage_only.text in on_damaged and "Packing logs are checked" not in on_damaged


def test_evidence_rules_for_follow_the_rows():
    damaged = make_claim_facts(issue_type=IssueType.DAMAGED_ITEM)
    assert [(r.kind, r.required) for r in evidence_rules_for(damaged)] == [
        (EvidenceKind.PACKAGE, False),
        (EvidenceKind.ITEM, True),
        (EvidenceKind.PACKING_MATERIALS, False),
    ]

    row = EvidenceRequirement.objects.get(evidence_kind=EvidenceKind.PACKAGE, fulfillment_method=KX)
    row.need = "required"
    row.reason = "The label shows the weight recorded at dispatch."
    row.save()

    package = evidence_rules_for(damaged)[0]
    assert (package.required, package.reason) == (
        True,
        "The label shows the weight recorded at dispatch.",
    )


def test_a_bulk_update_is_seen_once_the_cache_is_invalidated():
    facts = make_claim_facts()
    guidance_for(facts)

    # queryset.update() sends no signals: the cached rows stay until invalidated.
    GuidanceWarning.objects.filter(kind=WarningKind.DO_NOW).update(is_active=False)
    assert guidance_for(facts).do_now != ()

    invalidate_guidance_cache()
    assert guidance_for(facts).do_now == ()


def test_the_cache_is_dropped_again_when_the_edit_commits(django_capture_on_commit_callbacks):
    facts = make_claim_facts()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        step = ReviewStep.objects.first()
        step.text = "Packing logs are checked first"
        step.save()
        # A request between the save and the commit caches the rows again...
        guidance_for(facts)
        assert cache.get(GUIDANCE_CACHE_KEY) is not None

    for callback in callbacks:
        callback()

    # ...and the commit drops them.
    assert cache.get(GUIDANCE_CACHE_KEY) is None


def test_inactive_rows_are_not_loaded():
    GuidanceWarning.objects.filter(kind=WarningKind.COMMON_MISTAKE).update(is_active=False)

    rules = load_guidance_rules()

    assert WarningKind.COMMON_MISTAKE not in {rule.kind for rule in rules.warnings}
    assert WarningKind.DO_NOT in {rule.kind for rule in rules.warnings}
