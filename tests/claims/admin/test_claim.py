"""The reviewers' admin: permissions, the claims list, the claim page, escalation,
the evidence packet, the audit trail and the dashboard."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import workflow
from claims.choices import ClaimStatus, FulfillmentMethod, InspectionResult, Outcome
from claims.dashboard import dashboard_figures
from claims.models import Claim, ClaimTransition, Escalation
from tests.factories import make_claim, make_draft_photo, put_claim_in_state, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action
S = ClaimStatus
KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
CHANGELIST = "/admin/claims/claim/"


def change_url(claim):
    return f"/admin/claims/claim/{claim.pk}/change/"


def act(client, claim, **data):
    return client.post(f"/admin/claims/claim/{claim.pk}/act/", data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def _inspected(claim, user, result=InspectionResult.CONFIRMED):
    return review_steps(
        claim,
        user,
        (A.START_INSPECTION, {}),
        *[(A.COMPLETE_CHECK, {"item": i.key}) for i in workflow.checklist_for(KX, "damaged_item")],
        (A.RECORD_INSPECTION_RESULT, {"result": result}),
    )


# --- Groups and permissions ---------------------------------------------------------


def test_the_groups_exist_after_migrating_with_the_right_permissions():
    editors = Group.objects.get(name="Editors")
    reviewers = Group.objects.get(name="Claim reviewers")

    editor_apps = set(editors.permissions.values_list("content_type__app_label", flat=True))
    reviewer_perms = set(reviewers.permissions.values_list("codename", flat=True))
    assert editor_apps == {"helpcentre", "reversion"}
    assert {"review_claim", "view_dashboard", "view_evidencephoto", "change_claim"} <= (
        reviewer_perms
    )
    assert "delete_claim" not in reviewer_perms
    assert "add_claimtransition" not in reviewer_perms


def test_staff_without_the_claim_permission_gets_no_evidence(client, make_staff):
    claim = make_claim(photos=[make_draft_photo("item", seed=3)]).claim
    photo = claim.photos.get()
    client.force_login(make_staff())  # staff, in no group

    assert client.get(f"/claim/photos/{photo.public_id}/full.jpg").status_code == 404
    assert client.get(f"/claim/photos/{photo.public_id}/thumb.jpg").status_code == 404
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(claim)).status_code == 403
    assert client.get(f"/admin/claims/claim/{claim.pk}/packet/").status_code == 403
    assert client.get("/admin/claims/claim/dashboard/").status_code == 403
    assert client.get("/admin/claims/evidencephoto/").status_code == 404  # not in the admin
    assert act(client, claim, action="start_inspection").status_code == 403
    index = client.get("/admin/").content.decode()
    assert "/admin/claims/" not in index


def test_editors_see_articles_only(client, make_staff, make_article):
    claim = make_claim(photos=[make_draft_photo("item", seed=4)]).claim
    client.force_login(make_staff(group="Editors"))

    assert client.get("/admin/helpcentre/article/").status_code == 200
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(claim)).status_code == 403
    photo = claim.photos.get()
    assert client.get(f"/claim/photos/{photo.public_id}/full.jpg").status_code == 404
    index = client.get("/admin/").content.decode()
    assert "/admin/helpcentre/article/" in index
    assert "/admin/claims/" not in index


def test_reviewers_see_claims_evidence_and_the_dashboard_but_not_articles(reviewer_client):
    claim = make_claim(photos=[make_draft_photo("item", seed=5)]).claim
    photo = claim.photos.get()

    assert reviewer_client.get(CHANGELIST).status_code == 200
    page = reviewer_client.get(change_url(claim))
    assert page.status_code == 200
    assert f"/claim/photos/{photo.public_id}/thumb.jpg" in page.content.decode()
    assert "These are ticked once the inspection has started." in page.content.decode()
    assert reviewer_client.get(f"/claim/photos/{photo.public_id}/full.jpg").status_code == 200
    assert reviewer_client.get("/admin/claims/claim/dashboard/").status_code == 200
    assert reviewer_client.get("/admin/helpcentre/article/").status_code == 403
    index = reviewer_client.get("/admin/").content.decode()
    assert "/admin/claims/claim/dashboard/" in index


def test_claims_cannot_be_added_or_deleted_in_the_admin(reviewer_client, admin_client):
    claim = make_claim().claim
    for client in (reviewer_client, admin_client):
        assert client.get("/admin/claims/claim/add/").status_code == 403
        assert client.get(f"/admin/claims/claim/{claim.pk}/delete/").status_code == 403


# --- A claim's photos and customer links ---------------------------------------------


def test_admin_lists_and_shows_a_claim_with_its_photos(admin_client):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()

    changelist = admin_client.get("/admin/claims/claim/?q=KX-48213579")
    change = admin_client.get(f"/admin/claims/claim/{submitted.claim.pk}/change/")

    assert changelist.status_code == 200
    assert submitted.claim.reference in changelist.content.decode()
    assert change.status_code == 200
    html = change.content.decode()
    assert f"/claim/photos/{photo.public_id}/thumb.jpg" in html
    assert "Active until" in html
    assert admin_client.get(f"/claim/photos/{photo.public_id}/thumb.jpg").status_code == 200


def test_admin_action_switches_customer_links_off(admin_client):
    submitted = make_claim()

    response = admin_client.post(
        "/admin/claims/claim/",
        {"action": "revoke_customer_links", "_selected_action": [submitted.claim.pk]},
        follow=True,
    )

    submitted.claim.refresh_from_db()
    assert submitted.claim.customer_link_revoked_at is not None
    assert "1 customer link switched off." in response.content.decode()


# --- The audit trail --------------------------------------------------------------


def test_transitions_cannot_be_changed_or_deleted(reviewer, admin_client):
    claim = make_claim().claim
    review_steps(claim, reviewer, (A.START_INSPECTION, {}))
    record = claim.transitions.latest("id")

    record.note = "rewritten"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    record.refresh_from_db()
    assert record.note == ""

    page = admin_client.get(f"/admin/claims/claimtransition/{record.pk}/change/")
    assert page.status_code == 200  # readable
    assert 'name="_save"' not in page.content.decode()
    assert (
        admin_client.post(
            f"/admin/claims/claimtransition/{record.pk}/change/", {"note": "x"}
        ).status_code
        == 403
    )
    assert admin_client.get(f"/admin/claims/claimtransition/{record.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/claims/claimtransition/add/").status_code == 403


def test_escalations_are_immutable_too(reviewer):
    claim = make_claim().claim
    review_steps(claim, reviewer, (A.ESCALATE, {"reason": Escalation.Reason.CUSTOMER_ESCALATING}))
    escalation = Escalation.objects.get(claim=claim)
    escalation.note = "changed"
    with pytest.raises(ValidationError):
        escalation.save()
    with pytest.raises(ValidationError):
        escalation.delete()


# --- The claims list ----------------------------------------------------------------


def test_the_list_has_the_columns_filters_and_search_a_reviewer_needs(reviewer_client):
    late = make_claim(order_number="LATE-12345", customer_email="late@example.com").claim
    make_claim(order_number="FINE-12345", destination="international")
    Claim.objects.filter(pk=late.pk).update(response_due_at=timezone.now() - timedelta(hours=2))

    page = reviewer_client.get(CHANGELIST).content.decode()
    for column in ("Reference", "Order number", "Issue", "Fulfillment", "International"):
        assert column.lower() in page.lower()
    assert "Overdue" in page and "hc-badge--overdue" in page
    assert "/admin/claims/claim/dashboard/" in page

    overdue = reviewer_client.get(CHANGELIST, {"overdue": "yes"}).content.decode()
    assert "LATE-12345" in overdue and "FINE-12345" not in overdue
    on_time = reviewer_client.get(CHANGELIST, {"overdue": "no"}).content.decode()
    assert "FINE-12345" in on_time and "LATE-12345" not in on_time
    abroad = reviewer_client.get(CHANGELIST, {"destination__exact": "international"})
    assert "FINE-12345" in abroad.content.decode()
    assert "LATE-12345" not in abroad.content.decode()
    for query in (late.reference, "LATE-12345", "late@example.com"):
        found = reviewer_client.get(CHANGELIST, {"q": query}).content.decode()
        assert late.reference in found and "FINE-12345" not in found


def test_the_list_costs_the_same_queries_for_few_or_many_claims(reviewer_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert reviewer_client.get(CHANGELIST).status_code == 200
        return len(captured)

    make_claim(photos=[make_draft_photo("item", seed=6)])
    few = queries()
    for n in range(6):
        make_claim(photos=[make_draft_photo("package", seed=10 + n)])
    many = queries()

    assert few == many
    assert many <= 12


# --- The claim page and its actions -------------------------------------------------


def test_the_claim_page_shows_only_allowed_actions_and_the_checklist(reviewer_client, reviewer):
    claim = make_claim(issue_type="partial_order", severity="").claim
    review_steps(claim, reviewer, (A.START_INSPECTION, {}))

    page = reviewer_client.get(change_url(claim)).content.decode()

    assert "Inspection checklist" in page
    assert 'value="complete_check:packing_logs_checked"' in page
    # A partial order has nothing to assess for damage: that is the damaged item's path.
    checklist = page.split('class="hc-checklist"', 1)[1].split("</ul>", 1)[0]
    assert "damage_assessed" not in page and "return inspection" not in checklist
    assert 'value="approve_refund"' not in page
    assert 'value="resolve:refund"' not in page
    assert "The guidance the seller was shown" in page
    assert "Timeline" in page and "Start inspection" in page
    assert "Everything the seller answered" in page
    assert 'name="_save"' not in page  # the answers are read-only
    desk = page.split('<div class="hc-review">', 1)[1].split("Everything the seller answered")[0]
    assert "style=" not in desk  # strict CSP: no inline styles
    assert "<script>" not in desk and "<script " not in desk.replace('<script src="', "")


def test_a_refund_first_is_refused_with_a_clear_message(reviewer_client):
    claim = make_claim().claim

    for data in ({"action": "approve_refund"}, {"do": "resolve:refund"}):
        response = act(reviewer_client, claim, **data)
        assert response.status_code == 200
        assert any(
            "Do not refund immediately" in m or "No inspection, no refund" in m
            for m in messages_of(response)
        ), messages_of(response)
    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == (S.SUBMITTED, "")
    assert list(claim.transitions.values_list("action", flat=True)) == ["submit"]


def test_a_reviewer_works_a_claim_through_with_the_buttons(reviewer_client, reviewer):
    claim = make_claim().claim
    act(reviewer_client, claim, do="start_inspection")
    for item in workflow.checklist_for(KX, "damaged_item"):
        act(reviewer_client, claim, do=f"complete_check:{item.key}")
    act(reviewer_client, claim, do="record_inspection_result:confirmed", note="SKU short")
    response = act(reviewer_client, claim, do="resolve:refund")

    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == (S.RESOLVED, Outcome.REFUND)
    assert any("now Resolved per policy" in m for m in messages_of(response))
    assert claim.transitions.filter(note="SKU short", actor=reviewer).exists()
    history = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/history/").content.decode()
    assert "Record inspection result" in history and "Resolve per policy" in history


def test_escalation_is_recorded_and_emailed_with_order_id_and_issue_type(
    reviewer_client, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.KINGSTON_EXPRESS_SUPPORT_EMAIL = "support@kx.example"
    settings.SITE_BASE_URL = "https://help.example"
    claim = _inspected(make_claim(order_number="KX-55501234").claim, reviewer, "unclear")
    mail.outbox.clear()

    page = reviewer_client.get(change_url(claim)).content.decode()
    assert "The inspection result is unclear" in page  # escalation is recommended
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            reviewer_client,
            claim,
            action="escalate",
            reason="inspection_unclear",
            note="Scan blurry",
        )

    assert any("Escalated to Kingston Express Support" in m for m in messages_of(response))
    escalation = Escalation.objects.get(claim=claim)
    assert (escalation.order_number, escalation.issue_type, escalation.raised_by) == (
        "KX-55501234",
        "damaged_item",
        reviewer,
    )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["support@kx.example"]
    assert "KX-55501234" in email.subject
    assert "Order ID: KX-55501234" in email.body
    assert "Issue type: Damaged item" in email.body
    assert "Scan blurry" in email.body
    assert f"https://help.example/admin/claims/claim/{claim.pk}/change/" in email.body
    claim.refresh_from_db()
    assert claim.status == S.INSPECTED  # escalation keeps the status
    assert claim.transitions.filter(action="escalate").exists()


def test_escalation_needs_a_reason(reviewer_client):
    claim = make_claim().claim
    response = act(reviewer_client, claim, action="escalate")
    assert any("Choose why" in m for m in messages_of(response))
    assert not Escalation.objects.exists()


def test_a_closed_claim_offers_nothing(reviewer_client, reviewer):
    claim = make_claim().claim
    review_steps(claim, reviewer, (A.WITHDRAW, {}))
    page = reviewer_client.get(change_url(claim)).content.decode()
    assert "Nothing more can be recorded on this claim." in page
    assert 'name="do"' not in page
    response = act(reviewer_client, claim, action="escalate", reason="claim_looks_incorrect")
    assert any("closed" in m for m in messages_of(response))


def test_actions_are_post_only(reviewer_client):
    claim = make_claim().claim
    assert reviewer_client.get(f"/admin/claims/claim/{claim.pk}/act/").status_code == 405


# --- The evidence packet -----------------------------------------------------------


def test_the_evidence_packet_holds_answers_photos_hashes_and_timeline(reviewer_client, reviewer):
    claim = make_claim(
        photos=[make_draft_photo("item", seed=21), make_draft_photo("package", seed=22)]
    ).claim
    _inspected(claim, reviewer)

    response = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/packet/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="evidence-{claim.reference}.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = f"evidence-{claim.reference}/"
    names = set(archive.namelist())
    answers = json.loads(archive.read(folder + "answers.json"))
    assert answers["order_number"] == claim.order_number
    assert answers["issue_type"] == "damaged_item"
    assert answers["status"] == "inspected"
    assert answers["inspection_result"] == "confirmed"

    photos = sorted(n for n in names if n.startswith(folder + "photos/"))
    assert len(photos) == 2
    from claims.storage import evidence_storage

    stored = {}
    for photo in claim.photos.all():
        with evidence_storage().open(photo.image_name) as fh:
            stored[hashlib.sha256(fh.read()).hexdigest()] = photo
    manifest = json.loads(archive.read(folder + "manifest.json"))
    sums = dict(
        reversed(line.split("  ", 1))
        for line in archive.read(folder + "SHA256SUMS").decode().splitlines()
    )
    for name in photos:
        digest = hashlib.sha256(archive.read(name)).hexdigest()
        assert digest in stored  # the display copy, byte for byte
        short = name.removeprefix(folder)
        assert manifest["files"][short] == digest == sums[short]
    for short, digest in sums.items():
        assert hashlib.sha256(archive.read(folder + short)).hexdigest() == digest
    assert {p["original_sha256"] for p in manifest["photos"]} == {
        p.sha256 for p in claim.photos.all()
    }

    timeline = json.loads(archive.read(folder + "timeline.json"))
    titles = [entry["title"] for entry in timeline]
    assert "Claim submitted" in titles and "Record inspection result" in titles
    assert titles.count("Tick a checklist item") == 1  # a damaged item's inspection
    summary = archive.read(folder + "summary.txt").decode()
    assert claim.reference in summary and "Record inspection result" in summary
    guidance = archive.read(folder + "guidance.html").decode()
    assert "Kingston Express" in guidance


def test_the_packet_needs_the_evidence_permission(client, make_staff):
    claim = make_claim().claim
    viewer = make_staff()
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(viewer)

    assert client.get(change_url(claim)).status_code == 200
    assert client.get(f"/admin/claims/claim/{claim.pk}/packet/").status_code == 403
    assert "Download evidence packet" not in client.get(change_url(claim)).content.decode()


# --- The dashboard ----------------------------------------------------------------


def _prepared_claims(reviewer):
    """Two resolved on time (1 and 4 days), one late, one under review, one submitted."""
    now = timezone.now()
    on_time = _inspected(make_claim().claim, reviewer)
    review_steps(on_time, reviewer, (A.RESOLVE, {"outcome": Outcome.REFUND}))
    slow = _inspected(make_claim().claim, reviewer)
    review_steps(slow, reviewer, (A.RESOLVE, {"outcome": Outcome.REPLACEMENT}))
    late = _inspected(make_claim(destination="international").claim, reviewer, "not_confirmed")
    review_steps(late, reviewer, (A.RESOLVE, {"outcome": Outcome.NO_ACTION}))
    under_review = make_claim(fulfillment_method=SM, stock_available=True).claim
    review_steps(under_review, reviewer, (A.START_REVIEW, {}))
    make_claim()
    # Put the decisions at known distances from the reports.
    for claim, age_days, decided_after, due_after in (
        (on_time, 10, timedelta(hours=12), timedelta(days=3)),
        (slow, 10, timedelta(days=4), timedelta(days=5)),
        (late, 20, timedelta(days=12), timedelta(days=10)),
    ):
        created = now - timedelta(days=age_days)
        Claim.objects.filter(pk=claim.pk).update(
            created_at=created,
            decided_at=created + decided_after,
            response_due_at=created + due_after,
        )


def test_dashboard_figures_on_a_prepared_set(reviewer):
    _prepared_claims(reviewer)

    figures = dashboard_figures()

    assert figures.total == 5
    by_path = dict(figures.by_path)
    assert dict(by_path["Dispatched by Kingston Express"])["Resolved per policy"] == 3
    assert dict(by_path["Dispatched by Kingston Express"])["Submitted"] == 1
    assert dict(by_path["Seller-managed order"])["Under review"] == 1
    assert (figures.decided, figures.within_deadline) == (3, 2)
    assert dict(figures.resolution_bins) == {
        "< 1 day": 1,
        "1–2 days": 0,
        "2–3 days": 0,
        "3–5 days": 1,
        "5–10 days": 0,
        "10+ days": 1,
    }
    assert figures.refunds_before_review == 0


def test_refunds_before_review_are_counted_from_the_trail_not_assumed(reviewer):
    claim = make_claim().claim
    # A refund written around the workflow (as a bad import or a raw SQL fix might).
    ClaimTransition.objects.create(
        claim=claim,
        action=A.RESOLVE,
        from_status=S.SUBMITTED,
        to_status=S.RESOLVED,
        params={"outcome": "refund"},
    )
    seller = make_claim(fulfillment_method=SM, stock_available=True).claim
    put_claim_in_state(seller, status=S.UNDER_REVIEW)
    ClaimTransition.objects.create(
        claim=seller, action=A.APPROVE_REFUND, from_status=S.UNDER_REVIEW, to_status=S.APPROVED
    )
    # A proper one, through the service, is not counted.
    proper = _inspected(make_claim().claim, reviewer)
    review_steps(proper, reviewer, (A.RESOLVE, {"outcome": Outcome.REFUND}))

    assert dashboard_figures().refunds_before_review == 2


def test_the_dashboard_page_draws_charts_in_constant_queries(reviewer_client, reviewer):
    def load():
        with CaptureQueriesContext(connection) as captured:
            response = reviewer_client.get("/admin/claims/claim/dashboard/")
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    empty_page, empty_queries = load()
    _prepared_claims(reviewer)
    page, queries = load()

    assert queries == empty_queries
    assert page.count('class="hc-chart hc-chart--') == 4
    for heading in (
        "Claims by path and status",
        "Resolved within the deadline",
        "Time to resolution",
        "Refunds recorded before review",
    ):
        assert heading in page
    assert "66%" in page  # 2 of 3 decided on time
    assert "style=" not in page.split("<body", 1)[1]
