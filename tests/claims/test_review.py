"""claims.review.claim_apply_action: the workflow's table, through the database."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from claims import workflow
from claims.choices import ClaimStatus, FulfillmentMethod, InspectionResult, Outcome
from claims.models import Claim, ClaimTransition
from claims.review import claim_apply_action
from claims.review_trail import claim_state
from tests.factories import make_claim, put_claim_in_state, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action
KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
S = ClaimStatus


def _states():
    """Every status of each path, with the checklist empty and complete, and every
    inspection result where one can be recorded."""
    for method in (KX, SM):
        full = tuple(item.key for item in workflow.checklist_for(method, "damaged_item"))
        for status in workflow.statuses_for(method):
            for checklist in ((), full[:1], full):
                results = list(InspectionResult) if status == S.INSPECTED else [""]
                for result in results:
                    yield pytest.param(
                        method,
                        status,
                        checklist,
                        result,
                        id=f"{method}-{status}-{len(checklist)}ticked-{result or 'noresult'}",
                    )


def _calls(method):
    """Every action, each with every parameter value it could be given (and a wrong one)."""
    for action in A:
        if action == A.COMPLETE_CHECK:
            keys = [item.key for item in workflow.checklist_for(method, "damaged_item")]
            for key in [*keys, "not_an_item"]:
                yield action, {"item": key}
        elif action == A.RECORD_INSPECTION_RESULT:
            for result in [*InspectionResult, ""]:
                yield action, {"result": result}
        elif action == A.RESOLVE:
            for outcome in [*Outcome, ""]:
                yield action, {"outcome": outcome}
        elif action == A.ESCALATE:
            continue  # has its own tests: it needs a reason and sends an email
        else:
            yield action, {}


@pytest.mark.parametrize(("method", "status", "checklist", "result"), list(_states()))
def test_every_action_in_every_state_does_what_the_workflow_says(
    method, status, checklist, result, reviewer
):
    claim = make_claim(fulfillment_method=method).claim
    for action, params in _calls(method):
        put_claim_in_state(claim, status=status, checklist_done=checklist, inspection_result=result)
        before = claim_state(claim)
        trail = ClaimTransition.objects.filter(claim=claim).count()
        try:
            expected = workflow.transition(before, action, **params)
        except workflow.TransitionRefused as refused:
            with pytest.raises(workflow.TransitionRefused) as caught:
                claim_apply_action(claim=claim, action=action, user=reviewer, **params)
            assert caught.value.message == refused.message
            stored = Claim.objects.get(pk=claim.pk)
            assert claim_state(stored) == before, (action, params)
            assert ClaimTransition.objects.filter(claim=claim).count() == trail
            continue

        if action == A.CLOSE_NO_RESPONSE:
            # The task worker's, at a request's final deadline: no reviewer takes it.
            with pytest.raises(workflow.TransitionRefused, match="by itself"):
                claim_apply_action(claim=claim, action=action, user=reviewer)
            assert ClaimTransition.objects.filter(claim=claim).count() == trail
            continue
        claim_apply_action(claim=claim, action=action, user=reviewer, note="checked", **params)

        stored = Claim.objects.get(pk=claim.pk)
        assert claim_state(stored) == expected, (action, params)
        record = ClaimTransition.objects.filter(claim=claim).latest("id")
        assert ClaimTransition.objects.filter(claim=claim).count() == trail + 1
        assert (record.action, record.from_status, record.to_status) == (
            action,
            before.status,
            expected.status,
        )
        assert record.actor == reviewer
        assert record.note == "checked"
        if action == A.REQUEST_EVIDENCE:
            # What was asked for (named by the path when the caller names nothing) and when
            # the reminder and the final deadline fall.
            assert set(record.params) == {
                "asked_for",
                "reminder_on",
                "closes_without_an_answer_on",
            }
        else:
            assert record.params == {k: str(v) for k, v in params.items()}


@pytest.mark.parametrize("action", sorted(workflow.KINGSTON_EXPRESS_FORBIDDEN))
@pytest.mark.parametrize("status", workflow.statuses_for(KX))
def test_seller_side_actions_never_exist_on_kingston_express(action, status, reviewer):
    claim = put_claim_in_state(make_claim().claim, status=status)

    with pytest.raises(workflow.TransitionRefused) as refused:
        claim_apply_action(claim=claim, action=action, user=reviewer)

    assert workflow.KINGSTON_EXPRESS_FORBIDDEN[action] in refused.value.message
    assert action not in workflow.allowed_actions(claim_state(claim))
    assert not ClaimTransition.objects.filter(claim=claim, action=action).exists()


def test_a_refund_before_the_inspection_is_refused_with_the_final_rule(reviewer):
    claim = make_claim().claim
    review_steps(claim, reviewer, (A.START_INSPECTION, {}))

    with pytest.raises(workflow.TransitionRefused) as refused:
        claim_apply_action(claim=claim, action=A.RESOLVE, user=reviewer, outcome=Outcome.REFUND)

    assert "No inspection, no refund" in refused.value.message
    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == (S.UNDER_INSPECTION, "")


def test_a_kingston_express_claim_goes_all_the_way_and_is_timed(reviewer):
    claim = make_claim(issue_type="missing_item", severity="").claim
    review_steps(
        claim,
        reviewer,
        (A.START_INSPECTION, {}),
        *[(A.COMPLETE_CHECK, {"item": i.key}) for i in workflow.checklist_for(KX, "missing_item")],
        (A.RECORD_INSPECTION_RESULT, {"result": InspectionResult.CONFIRMED}),
        (A.RESOLVE, {"outcome": Outcome.REPLACEMENT}),
    )
    decided_at = claim.decided_at
    review_steps(claim, reviewer, (A.CLOSE, {}))

    claim.refresh_from_db()
    assert claim.status == S.CLOSED
    assert claim.outcome == Outcome.REPLACEMENT
    assert claim.checklist_done == ["packing_logs_checked", "weight_and_sku_verified"]
    assert decided_at is not None and claim.decided_at == decided_at  # the first decision
    actions = list(claim.transitions.values_list("action", flat=True))
    assert actions == [
        "submit",
        "start_inspection",
        "complete_check",
        "complete_check",
        "record_inspection_result",
        "resolve",
        "close",
    ]


def test_staff_without_the_review_permission_cannot_apply_actions(make_staff):
    claim = make_claim().claim
    editor = make_staff(group="Editors")

    with pytest.raises(PermissionDenied):
        claim_apply_action(claim=claim, action=A.START_INSPECTION, user=editor)

    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_unknown_parameters_are_refused_not_ignored(reviewer):
    claim = make_claim().claim
    with pytest.raises(TypeError):
        claim_apply_action(claim=claim, action=A.START_INSPECTION, user=reviewer, outcome="refund")


# --- Deadlines stored at submission ----------------------------------------------


@pytest.mark.parametrize(
    ("destination", "days"), [("domestic", 2), ("international", 7)], ids=["domestic", "abroad"]
)
def test_the_response_date_is_stored_at_submission_from_the_settings(settings, destination, days):
    from claims.deadlines import response_due

    settings.CLAIM_RESPONSE_DAYS = 2
    settings.CLAIM_RESPONSE_DAYS_INTERNATIONAL = 7

    claim = make_claim(destination=destination).claim

    expected = response_due(
        timezone.localtime(claim.created_at),
        is_international=destination == "international",
        days=2,
        international_days=7,
    )
    assert claim.response_due_at == expected
    assert claim.response_due_at - claim.created_at >= timedelta(days=days)
    settings.CLAIM_RESPONSE_DAYS = 30
    claim.refresh_from_db()
    assert claim.response_due_at == expected  # a promise made is not moved


def test_overdue_means_past_due_and_undecided():
    late = make_claim(order_number="LATE-0001").claim
    decided_late = make_claim(order_number="DONE-0001").claim
    make_claim(order_number="FINE-0001")
    past = timezone.now() - timedelta(hours=1)
    Claim.objects.filter(pk__in=[late.pk, decided_late.pk]).update(response_due_at=past)
    put_claim_in_state(decided_late, status=S.RESOLVED)

    overdue = set(Claim.objects.overdue().values_list("order_number", flat=True))
    not_overdue = set(Claim.objects.not_overdue().values_list("order_number", flat=True))

    assert overdue == {"LATE-0001"}
    assert not_overdue == {"DONE-0001", "FINE-0001"}
    assert Claim.objects.get(pk=late.pk).is_overdue
    assert not Claim.objects.get(pk=decided_late.pk).is_overdue


def test_customer_photos_move_a_waiting_claim_and_the_trail_says_so():
    from claims.customer_evidence import claim_add_customer_evidence
    from claims.photos import process_photo
    from tests.factories import as_upload, make_jpeg

    claim = make_claim(
        fulfillment_method=SM, customer_sends_photos=True, stock_available=True
    ).claim
    assert claim.status == S.AWAITING_EVIDENCE
    photos = [
        (kind, process_photo(as_upload(make_jpeg(seed=n), f"{kind}.jpg")))
        for n, kind in enumerate(("package", "item", "packing_materials"))
    ]

    claim_add_customer_evidence(claim_id=claim.pk, photos=photos, note="")

    claim.refresh_from_db()
    assert claim.status == S.UNDER_REVIEW
    record = claim.transitions.latest("id")
    assert (record.action, record.from_status, record.to_status, record.actor) == (
        A.EVIDENCE_RECEIVED,
        S.AWAITING_EVIDENCE,
        S.UNDER_REVIEW,
        None,
    )
