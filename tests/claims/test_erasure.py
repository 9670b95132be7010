"""Erasing personal data: each retention rule on real claims, the legal hold, the
customer's early erasure, the customer's copy, staff access records, and the
dashboard's figures before and after (claims/erasure.py, the command, the pages)."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from claims import erasure, erasure_run
from claims.choices import ClaimStatus
from claims.cleanup import cleanup_evidence, walk
from claims.dashboard import dashboard_figures
from claims.models import (
    Claim,
    ClaimTransition,
    CustomerNote,
    Escalation,
    EvidencePhoto,
    EvidenceRequest,
    PendingFileDeletion,
    PersonalDataAccess,
)
from claims.retention import ERASED_MARK
from claims.storage import evidence_storage
from tests.factories import make_claim, make_draft_photo, put_claim_in_state

DAY = timedelta(days=1)
PERSONAL = ("customer_name", "customer_email", "seller_email", "order_number", "item")


def claim_with_photos(n=3, **overrides):
    photos = [
        make_draft_photo(kind, seed=i)
        for i, kind in enumerate(["package", "item", "packing_materials", "other"][:n])
    ]
    overrides.setdefault("seller_email", "seller@example.com")
    return make_claim(photos=photos, **overrides).claim


def settle(claim, *, days_ago, status=ClaimStatus.RESOLVED, outcome="refund", note="Refunded"):
    """Decide a claim `days_ago` (its decision step and dates moved back)."""
    put_claim_in_state(claim, status=status, inspection_result="confirmed", outcome=outcome)
    when = timezone.now() - timedelta(days=days_ago)
    ClaimTransition.objects.create(
        claim=claim,
        action="resolve",
        from_status="inspected",
        to_status=status,
        note=note,
        params={"outcome": outcome},
    )
    ClaimTransition.objects.filter(claim=claim).update(created_at=when)
    Claim.objects.filter(pk=claim.pk).update(
        created_at=when - 2 * DAY, decided_at=when, response_due_at=when + DAY
    )
    claim.refresh_from_db()
    return claim


def files_of(claim_reference):
    return set(walk(evidence_storage(), f"claims/{claim_reference}"))


def assert_erased(claim):
    claim.refresh_from_db()
    assert claim.personal_data_erased_at is not None
    for name in PERSONAL + ("description",):
        assert getattr(claim, name) == ERASED_MARK, name
    assert not claim.photos.exists()
    assert files_of(claim.reference) == set()
    assert not PendingFileDeletion.objects.filter(claim_reference=claim.reference).exists()
    assert all(n.text == ERASED_MARK for n in claim.customer_notes.all())
    assert all(t.note in ("", ERASED_MARK) for t in claim.transitions.all())


def assert_untouched(claim, photos=3):
    claim.refresh_from_db()
    assert claim.personal_data_erased_at is None
    assert claim.customer_email == "ada@example.com"
    assert claim.photos.count() == photos
    assert len(files_of(claim.reference)) == 2 * photos


# --- Each retention rule -----------------------------------------------------------


@pytest.mark.django_db
def test_a_claim_decided_longer_ago_than_the_period_is_erased_and_the_rest_kept(settings):
    settings.CLAIM_RETENTION_DAYS = 548
    claim = settle(claim_with_photos(), days_ago=549)
    CustomerNote.objects.create(claim=claim, text="My neighbour Bob took it in")
    request = EvidenceRequest.objects.create(
        claim=claim,
        kinds=["item"],
        note="Ada, please photograph the mug",
        remind_at=timezone.now(),
        close_at=timezone.now(),
    )
    before = {
        f: getattr(claim, f)
        for f in (
            "reference",
            "fulfillment_method",
            "destination",
            "issue_type",
            "quantity_affected",
            "severity",
            "status",
            "inspection_result",
            "outcome",
            "created_at",
            "decided_at",
            "response_due_at",
        )
    }
    steps = list(claim.transitions.values_list("action", "from_status", "to_status", "created_at"))

    report = erasure_run.erase_due()

    assert [e.reference for e in report.erased] == [claim.reference]
    assert report.photos == 3 and report.files_deleted == 6
    assert_erased(claim)
    assert {f: getattr(claim, f) for f in before} == before
    request.refresh_from_db()
    assert (request.note, request.kinds) == (ERASED_MARK, ["item"])
    # The status history is all there, plus the erasure itself.
    after = list(claim.transitions.values_list("action", "from_status", "to_status", "created_at"))
    assert after[: len(steps)] == steps
    last = claim.transitions.last()
    assert last.action == ClaimTransition.ERASED
    assert last.params == {
        "why": "retention_ended",
        "photos": "3",
        "kinds": ("The item, The package (outer box and label), The packing materials"),
    }
    assert last.action_label == "Personal data erased"


@pytest.mark.django_db
def test_a_claim_decided_within_the_period_is_kept():
    claim = settle(claim_with_photos(), days_ago=547)

    assert erasure_run.erase_due().erased == []
    assert_untouched(claim)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", ["submitted", "awaiting_evidence", "under_inspection", "inspected", "under_review"]
)
def test_an_open_claim_is_never_touched_however_old(status):
    claim = claim_with_photos()
    put_claim_in_state(claim, status=status)
    ClaimTransition.objects.filter(claim=claim).update(created_at=timezone.now() - 3000 * DAY)

    assert erasure_run.erase_due().erased == []
    assert_untouched(claim)


@pytest.mark.django_db
def test_an_escalated_claim_is_kept_until_closed_then_counted_from_the_escalation(reviewer):
    claim = settle(claim_with_photos(), days_ago=900)
    Escalation.objects.create(
        claim=claim,
        raised_by=reviewer,
        reason="claim_looks_incorrect",
        order_number=claim.order_number,
        issue_type=claim.issue_type,
        sent_to="s@example.com",
    )
    assert erasure_run.erase_due().erased == []
    assert_untouched(claim)

    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.CLOSED)
    ClaimTransition.objects.create(
        claim=claim, action="close", from_status="resolved", to_status="closed"
    )
    # Closed today: a new dispute window runs from the last review step.
    assert erasure_run.erase_due().erased == []
    ClaimTransition.objects.filter(claim=claim).update(created_at=timezone.now() - 600 * DAY)

    assert len(erasure_run.erase_due().erased) == 1
    assert_erased(claim)
    escalation = claim.escalations.get()
    assert escalation.order_number == ERASED_MARK
    assert escalation.reason == "claim_looks_incorrect"


@pytest.mark.django_db
def test_a_withdrawn_claim_is_erased_once_its_period_from_the_close_is_over():
    claim = claim_with_photos()
    put_claim_in_state(claim, status=ClaimStatus.CLOSED)
    ClaimTransition.objects.create(
        claim=claim, action="withdraw", from_status="submitted", to_status="closed"
    )
    ClaimTransition.objects.filter(claim=claim).update(created_at=timezone.now() - 549 * DAY)

    assert len(erasure_run.erase_due().erased) == 1
    assert_erased(claim)


@pytest.mark.django_db
def test_the_period_is_the_setting(settings):
    claim = settle(claim_with_photos(), days_ago=40)
    settings.CLAIM_RETENTION_DAYS = 60
    assert erasure_run.erase_due().erased == []
    settings.CLAIM_RETENTION_DAYS = 30
    assert len(erasure_run.erase_due().erased) == 1
    assert_erased(claim)


@pytest.mark.django_db
def test_personal_data_steps_do_not_restart_the_clock(reviewer):
    claim = settle(claim_with_photos(), days_ago=549)
    erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=True, note="Court order 12")
    erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=False, note="Case closed")

    assert len(erasure_run.erase_due().erased) == 1


# --- The legal hold --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_legal_hold_keeps_a_due_claim_and_is_recorded_in_the_timeline(reviewer):
    claim = settle(claim_with_photos(), days_ago=2000)

    erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=True, note="Court case 4471")
    report = erasure_run.erase_due()

    assert report.erased == []
    assert_untouched(claim)
    hold = claim.transitions.get(action=ClaimTransition.LEGAL_HOLD_ON)
    assert (hold.actor, hold.note, hold.from_status, hold.to_status) == (
        reviewer,
        "Court case 4471",
        "resolved",
        "resolved",
    )
    assert hold.action_label == "Legal hold switched on"

    erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=False, note="Case settled")
    assert len(erasure_run.erase_due().erased) == 1
    assert_erased(claim)


@pytest.mark.django_db
def test_a_legal_hold_needs_a_reviewer_and_a_reason(make_staff, reviewer):
    claim = settle(claim_with_photos(1), days_ago=10)
    editor = make_staff(group="Editors")

    with pytest.raises(PermissionDenied):
        erasure.claim_set_legal_hold(claim=claim, user=editor, on=True, note="x")
    with pytest.raises(erasure.ErasureRefused):
        erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=True, note="  ")
    erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=True, note="Regulator asked")
    with pytest.raises(erasure.ErasureRefused):
        erasure.claim_set_legal_hold(claim=claim, user=reviewer, on=True, note="again")


# --- Safe to run twice; what the command says; files --------------------------------


@pytest.mark.django_db
def test_a_second_run_erases_nothing_and_the_command_reports_what_it_erased():
    due = settle(claim_with_photos(), days_ago=600)
    kept = settle(claim_with_photos(2), days_ago=5)
    out = io.StringIO()

    call_command("erase_personal_data", stdout=out)

    text = out.getvalue()
    assert f"Erased {due.reference} (retention_ended): 3 photos, 6 files" in text
    assert "Claims erased: 1 (3 photos, 6 files;" in text
    assert "within_retention 1" in text
    again = io.StringIO()
    call_command("erase_personal_data", stdout=again)
    assert "Claims erased: 0 (0 photos, 0 files; 0 files finished" in again.getvalue()
    assert_erased(due)
    assert_untouched(kept, photos=2)
    assert cleanup_evidence(grace=timedelta(0), dry_run=True).clean


@pytest.mark.django_db
def test_a_dry_run_lists_and_erases_nothing():
    due = settle(claim_with_photos(1), days_ago=600)
    out = io.StringIO()

    call_command("erase_personal_data", "--dry-run", stdout=out)

    assert f"Due (retention_ended): {due.reference}" in out.getvalue()
    assert_untouched(due, photos=1)


@pytest.mark.django_db
def test_every_file_under_the_claims_folder_goes_an_original_too():
    claim = settle(claim_with_photos(1), days_ago=600)
    stray = evidence_storage().save(f"claims/{claim.reference}/original.heic", io.BytesIO(b"x"))

    erasure_run.erase_due()

    assert not evidence_storage().exists(stray)
    assert_erased(claim)


@pytest.mark.django_db
def test_an_upload_after_the_erasure_is_refused_and_leaves_no_file(client):
    from claims.customer_evidence import NoMoreEvidence, claim_add_customer_evidence
    from claims.photos import process_photo
    from tests.factories import as_upload, make_jpeg

    claim = settle(claim_with_photos(1), days_ago=600)
    erasure_run.erase_due()
    processed = process_photo(as_upload(make_jpeg(seed=9)))

    with pytest.raises(NoMoreEvidence):
        claim_add_customer_evidence(claim_id=claim.pk, photos=[("item", processed)])
    assert files_of(claim.reference) == set()


# --- The dashboard adds up ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboards_figures_are_the_same_before_and_after_erasing_decided_claims():
    for days in (600, 700, 800):
        settle(claim_with_photos(2), days_ago=days)
    settle(claim_with_photos(1), days_ago=3)
    open_claim = claim_with_photos(1)
    before = dashboard_figures()

    assert len(erasure_run.erase_due().erased) == 3

    after = dashboard_figures()
    assert after.by_path == before.by_path
    assert (after.total, after.decided, after.within_deadline) == (
        before.total,
        before.decided,
        before.within_deadline,
    )
    assert after.resolution_bins == before.resolution_bins
    assert after.refunds_before_review == before.refunds_before_review
    assert after.approved_without_evidence_count == before.approved_without_evidence_count
    assert_untouched(open_claim, photos=1)


# --- The customer's early erasure, confirmed by a reviewer --------------------------------


def customer_page(claim_result):
    return f"/claim/c/{claim_result.customer_token}/"


@pytest.mark.django_db
def test_the_early_erasure_cycle_customer_asks_reviewer_confirms(client, reviewer, settings):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    claim = settle(submitted.claim, days_ago=2)
    page = customer_page(submitted)

    response = client.get(page)
    body = response.content.decode()
    assert "18 months after your report is decided" in body
    assert 'href="/claim/privacy/"' in body
    assert "Ask for erasure" in body

    response = client.post(page + "erase/", {"confirm": "yes"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.erasure_requested_at is not None
    assert claim.transitions.filter(action=ClaimTransition.ERASURE_REQUESTED).count() == 1
    assert "You asked on" in client.get(page).content.decode()
    # Asking is not erasing: the daily run leaves it to the reviewer.
    assert erasure_run.erase_due().erased == []

    client.force_login(reviewer)
    change = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "The customer asked on" in change and "Confirm and erase now" in change
    response = client.post(
        f"/admin/claims/claim/{claim.pk}/personal-data/", {"op": "confirm_erasure"}
    )
    assert response.status_code == 302
    assert_erased(claim)
    assert claim.erasure_confirmed_at is not None
    erased_step = claim.transitions.get(action=ClaimTransition.ERASED)
    assert (erased_step.actor, erased_step.params["why"]) == (reviewer, "customer_request")
    assert (
        PersonalDataAccess.objects.filter(claim=claim, user=reviewer, action="erase").count() == 1
    )
    client.logout()

    body = client.get(page).content.decode()
    assert "were erased on" in body
    assert "Send your photos" not in body
    assert client.get(page + "my-report.zip").status_code == 302


@pytest.mark.django_db
def test_the_customer_cannot_ask_while_the_claim_is_open(client):
    submitted = make_claim()

    response = client.post(customer_page(submitted) + "erase/", {"confirm": "yes"})

    assert response.status_code == 409
    assert "still being reviewed" in response.content.decode()
    submitted.claim.refresh_from_db()
    assert submitted.claim.erasure_requested_at is None


@pytest.mark.django_db
def test_the_request_needs_the_box_ticked(client):
    submitted = make_claim()
    settle(submitted.claim, days_ago=1)

    response = client.post(customer_page(submitted) + "erase/", {"confirm": "no"})

    assert response.status_code == 302
    submitted.claim.refresh_from_db()
    assert submitted.claim.erasure_requested_at is None


@pytest.mark.django_db
def test_a_reviewer_cannot_erase_a_held_claim_or_one_nobody_asked_about(client, reviewer):
    submitted = make_claim(photos=[make_draft_photo("item")])
    claim = settle(submitted.claim, days_ago=1)
    client.force_login(reviewer)
    url = f"/admin/claims/claim/{claim.pk}/personal-data/"

    response = client.post(url, {"op": "confirm_erasure"}, follow=True)
    assert "has not asked for erasure" in response.content.decode()

    client.post(url, {"op": "hold_on", "note": "Police request"})
    Claim.objects.filter(pk=claim.pk).update(erasure_requested_at=timezone.now())
    response = client.post(url, {"op": "confirm_erasure"}, follow=True)

    assert "on legal hold" in response.content.decode()
    assert_untouched(claim, photos=1)


@pytest.mark.django_db
def test_only_reviewers_reach_the_personal_data_steps(client, make_staff):
    claim = settle(make_claim().claim, days_ago=1)
    url = f"/admin/claims/claim/{claim.pk}/personal-data/"
    client.force_login(make_staff(group="Editors"))

    assert client.post(url, {"op": "hold_on", "note": "x"}).status_code == 403
    assert client.get(f"/admin/claims/claim/{claim.pk}/change/").status_code == 403
    assert client.get("/admin/claims/claim/").status_code == 403
    assert client.get("/admin/claims/personaldataaccess/").status_code == 403
    claim.refresh_from_db()
    assert not claim.legal_hold


@pytest.mark.django_db
def test_tampered_personal_data_posts_get_a_clear_answer(reviewer_client):
    claim = settle(make_claim().claim, days_ago=1)
    url = f"/admin/claims/claim/{claim.pk}/personal-data/"

    assert reviewer_client.get(url).status_code == 405
    response = reviewer_client.post(url, {"op": "drop_table"}, follow=True)
    assert "not understood" in response.content.decode()
    assert reviewer_client.post("/admin/claims/claim/999999/personal-data/").status_code == 404


@pytest.mark.django_db
def test_guessed_customer_links_get_not_found(client):
    for path in ("/claim/c/not-a-token/my-report.zip", "/claim/c/" + "A" * 43 + "/my-report.zip"):
        assert client.get(path).status_code == 404
    assert client.post("/claim/c/" + "A" * 43 + "/erase/", {"confirm": "yes"}).status_code == 404
    assert client.get("/claim/c/" + "A" * 43 + "/erase/").status_code == 405


# --- The customer's copy --------------------------------------------------------------


@pytest.mark.django_db
def test_the_customer_downloads_a_zip_of_their_answers_and_photos(client):
    submitted = make_claim(
        photos=[make_draft_photo("item", seed=1), make_draft_photo("package", seed=2)]
    )
    claim = submitted.claim
    CustomerNote.objects.create(claim=claim, text="The box was wet.")

    response = client.get(customer_page(submitted) + "my-report.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = f"my-report-{claim.reference}"
    report = json.loads(archive.read(f"{folder}/my-report.json"))
    assert report["customer_name"] == "Ada Customer"
    assert report["customer_email"] == "ada@example.com"
    assert report["order_number"] == claim.order_number
    assert report["notes"][0]["text"] == "The box was wet."
    photos = list(claim.photos.all())
    for number, photo in enumerate(photos, start=1):
        with evidence_storage().open(photo.image_name, "rb") as fh:
            assert archive.read(f"{folder}/photos/{number:02d}-{photo.kind}.jpg") == fh.read()
    assert [p["file"] for p in report["photos"]] == ["photos/01-item.jpg", "photos/02-package.jpg"]


# --- Staff access records ---------------------------------------------------------------


@pytest.mark.django_db
def test_opening_a_photo_and_downloading_the_packet_are_recorded(reviewer_client, reviewer):
    claim = make_claim(photos=[make_draft_photo("item")]).claim
    photo = claim.photos.get()

    assert reviewer_client.get(f"/claim/photos/{photo.public_id}/full.jpg").status_code == 200
    assert reviewer_client.get(f"/admin/claims/claim/{claim.pk}/packet/").status_code == 200

    records = list(
        PersonalDataAccess.objects.filter(claim=claim)
        .order_by("id")
        .values_list("user", "action", "detail")
    )
    assert records == [
        (reviewer.pk, "view_photo", f"{photo.public_id} full"),
        (reviewer.pk, "download_packet", ""),
    ]


@pytest.mark.django_db
def test_a_refused_photo_request_records_nothing(client, make_staff):
    claim = make_claim(photos=[make_draft_photo("item")]).claim
    client.force_login(make_staff(group="Editors"))

    assert client.get(f"/claim/photos/{claim.photos.get().public_id}/full.jpg").status_code == 404
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_access_records_cannot_be_changed():
    from django.core.exceptions import ValidationError

    claim = make_claim().claim
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("auditor")
    record = PersonalDataAccess.objects.create(claim=claim, user=user, action="view_photo")
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()


# --- Privacy page and the claim form -------------------------------------------------


@pytest.mark.django_db
def test_the_privacy_page_states_each_period(client, settings):
    settings.CLAIM_RETENTION_DAYS = 365
    settings.CLAIM_DRAFT_RETENTION_HOURS = 24

    body = client.get("/claim/privacy/").content.decode()

    assert "kept for 12 months" in body
    assert "go after 24 hours" in body


@pytest.mark.django_db
def test_the_claim_form_says_what_is_kept_and_links_the_privacy_page(client):
    from tests.wizard import wizard_post

    client.get("/claim/")
    wizard_post(client, "what-happened", {"issue_type": "damaged_item"})
    wizard_post(client, "fulfillment", {"fulfillment_method": "kingston_express"})
    wizard_post(client, "destination", {"destination": "domestic"})

    body = client.get("/claim/order-details/").content.decode()

    assert "for 18 months after the claim is decided" in body
    assert 'href="/claim/privacy/"' in body


# --- Unsent forms, drafts and the guide's readers -----------------------------------


@pytest.mark.django_db
def test_unsent_claim_forms_are_forgotten_after_a_day(client, settings):
    from django.contrib.sessions.models import Session

    from tests.wizard import wizard_post

    client.get("/claim/")
    wizard_post(client, "what-happened", {"issue_type": "damaged_item"})
    session = Session.objects.get()
    assert "wizard_claim_wizard" in session.get_decoded()
    now = timezone.now()

    assert erasure_run.forget_unsent_forms(now=now + timedelta(hours=23)) == 0
    assert erasure_run.forget_unsent_forms(now=now + timedelta(hours=25)) == 1
    assert "wizard_claim_wizard" not in Session.objects.get().get_decoded()


@pytest.mark.django_db
def test_commenters_email_and_voters_cookie_go_after_their_periods(make_article):
    from helpcentre.models import Comment, Vote
    from helpcentre.retention import guide_personal_data_erase

    article = make_article()
    old, new = timezone.now() - 91 * DAY, timezone.now() - DAY
    for when in (old, new):
        comment = Comment.objects.create(
            article=article, name="Bo", email="bo@example.com", body="Thanks", ip_hash="ab"
        )
        Comment.objects.filter(pk=comment.pk).update(created_at=when)
        vote = Vote.objects.create(article=article, visitor_id=f"v{when:%s}", helpful=True)
        Vote.objects.filter(pk=vote.pk).update(created_at=when)

    result = guide_personal_data_erase(now=timezone.now())

    assert (result.comments, result.votes) == (1, 1)
    assert sorted(Comment.objects.values_list("email", "ip_hash", "name")) == [
        (ERASED_MARK, "", "Bo"),
        ("bo@example.com", "ab", "Bo"),
    ]
    visitor_ids = sorted(Vote.objects.values_list("visitor_id", flat=True))
    assert visitor_ids[0].startswith("erased:") and not visitor_ids[1].startswith("erased:")
    assert guide_personal_data_erase(now=timezone.now()) == type(result)(0, 0)


# --- The worker's schedule ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_daily_task_erases_and_an_immediate_queue_keeps_no_schedule():
    from claims.tasks import erase_personal_data_daily, schedule_personal_data_erasure

    claim = settle(claim_with_photos(1), days_ago=600)

    result = erase_personal_data_daily.enqueue()

    assert result.return_value["claims"] == 1
    assert_erased(claim)
    assert schedule_personal_data_erasure() is False


@pytest.mark.django_db
def test_the_database_queue_holds_one_waiting_run(settings):
    from django_tasks_db.models import DBTaskResult

    from claims.tasks import erase_personal_data_daily, schedule_personal_data_erasure

    # Django drops its task backends when the setting changes (django.tasks.signals).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    assert schedule_personal_data_erasure() is True
    assert schedule_personal_data_erasure() is False
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == erase_personal_data_daily.module_path
    assert waiting.run_after > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db
def test_the_evidence_packet_of_an_erased_claim_still_builds(reviewer_client):
    claim = settle(claim_with_photos(2), days_ago=600)
    erasure_run.erase_due()

    response = reviewer_client.get(f"/admin/claims/claim/{claim.pk}/packet/")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    answers = json.loads(archive.read(f"evidence-{claim.reference}/answers.json"))
    assert answers["customer_email"] == ERASED_MARK
    assert answers["status"] == "resolved"
    assert not [n for n in archive.namelist() if "/photos/" in n]
    assert EvidencePhoto.objects.count() == 0
