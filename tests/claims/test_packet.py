"""claims.packet: the timeline in a reader's words, what the packet holds, and the packet
for every state the state machine can reach, on both paths.

The states for the last come from walking the workflow's own transition table (`allowed_actions`
and `parameter_choices`) from where a claim starts, so a new status or action is
covered without editing this test. Each state is reached through the review service
(a real timeline), with and without photos, with and without an escalation, and its
packet must build and verify: every file's SHA-256 in SHA256SUMS and the manifest.
"""

import hashlib
import io
import json
import zipfile
from collections import deque

import pytest

from claims import workflow
from claims.choices import EvidenceKind, FulfillmentMethod, IssueType
from claims.packet import ANSWER_FIELDS, build_evidence_packet, claim_timeline
from claims.review import claim_apply_action, claim_escalate
from tests.factories import make_claim, make_draft_photo, review_steps

pytestmark = pytest.mark.django_db

A = workflow.Action
PARAMETER = {A.COMPLETE_CHECK: "item", A.RECORD_INSPECTION_RESULT: "result", A.RESOLVE: "outcome"}
REASON = "The customer's photos were lost; the courier confirmed the damage."


def reachable(method, issue_type, *, with_photos):
    """Each distinct reachable (status, inspection result, outcome) with one way there:
    the steps from the claim's first state, as (action, params) pairs."""
    kinds = frozenset(EvidenceKind) if with_photos else frozenset()
    found = {}
    starts = [
        workflow.initial_state(method, issue_type, awaiting_evidence=waiting)
        for waiting in (False, True)
    ]
    queue = deque()
    for waiting, start in zip((False, True), starts, strict=True):
        start = workflow.ClaimState(
            method=start.method, issue_type=start.issue_type, status=start.status,
            evidence_kinds=kinds,
        )  # fmt: skip
        queue.append((start, waiting, ()))
    seen = set()
    while queue:
        state, waiting, steps = queue.popleft()
        if state in seen:
            continue
        seen.add(state)
        key = (state.status, state.inspection_result, state.outcome)
        found.setdefault(key, (waiting, steps))
        for action in workflow.allowed_actions(state):
            name = PARAMETER.get(action)
            options = (
                [{name: v} for v in workflow.parameter_choices(state, action)] if name else [{}]
            )
            for params in options:
                if action in workflow.SELLER_SIDE_ACTIONS and not with_photos:
                    params = {"without_evidence_reason": REASON}
                if action == A.ESCALATE:
                    continue  # an escalation keeps the state; added to every claim below
                queue.append(
                    (
                        workflow.transition(state, action, **params),
                        waiting,
                        (*steps, (action, params)),
                    )
                )
    return found


def verify(packet, claim):
    archive = zipfile.ZipFile(io.BytesIO(packet.file.read()))
    folder = f"evidence-{claim.reference}/"
    sums = dict(
        reversed(line.split("  ", 1))
        for line in archive.read(folder + "SHA256SUMS").decode().splitlines()
    )
    manifest = json.loads(archive.read(folder + "manifest.json"))
    assert manifest["files"] == sums
    listed = {name.removeprefix(folder) for name in archive.namelist()}
    assert listed == set(sums) | {"manifest.json", "SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(archive.read(folder + name)).hexdigest() == digest, name
    answers = json.loads(archive.read(folder + "answers.json"))
    assert answers["status"] == claim.status
    return archive, folder


@pytest.mark.parametrize("issue_type", list(IssueType))
@pytest.mark.parametrize("method", list(FulfillmentMethod))
def test_the_packet_builds_and_verifies_in_every_reachable_state(method, issue_type, reviewer):
    checked = 0
    for with_photos in (True, False):
        states = reachable(method, issue_type, with_photos=with_photos)
        # Every status of the path is reached, on either start.
        assert {status for status, _r, _o in states} == set(workflow.statuses_for(method))
        for number, (key, (waiting, steps)) in enumerate(sorted(states.items(), key=str)):
            photos = (
                [
                    make_draft_photo(kind, seed=number * 3 + i)
                    for i, kind in enumerate(("item", "package"))
                ]
                if with_photos
                else []
            )
            claim = make_claim(
                fulfillment_method=method,
                issue_type=issue_type,
                severity="major" if issue_type == IssueType.DAMAGED_ITEM else "",
                stock_available=True if method == FulfillmentMethod.SELLER_MANAGED else None,
                customer_sends_photos=waiting,
                photos=photos,
            ).claim
            escalated = number % 2 == 0
            for action, params in steps:
                if escalated and action == steps[-1][0]:
                    claim_escalate(claim=claim, user=reviewer, reason="claim_looks_incorrect")
                claim_apply_action(claim=claim, action=action, user=reviewer, **params)
            claim.refresh_from_db()
            assert (claim.status, claim.inspection_result or None, claim.outcome or None) == key

            packet = build_evidence_packet(claim)
            try:
                archive, folder = verify(packet, claim)
            finally:
                packet.file.close()
            photo_files = [n for n in archive.namelist() if n.startswith(folder + "photos/")]
            assert len(photo_files) == len(photos)
            timeline = json.loads(archive.read(folder + "timeline.json"))
            assert [e["kind"] for e in timeline].count("escalation") == (
                1 if escalated and steps else 0
            )
            checked += 1
    assert checked >= 16


# --- The timeline: who did what, in words a reader understands ----------------------------


def test_the_timeline_names_who_acted_and_moves_in_status_words(reviewer):
    from claims.models import ClaimTransition

    claim = make_claim(photos=[make_draft_photo("item", seed=1)]).claim
    item = workflow.checklist_for(claim.fulfillment_method, claim.issue_type)[0]
    review_steps(
        claim,
        reviewer,
        (A.START_INSPECTION, {}),
        (A.COMPLETE_CHECK, {"item": item.key}),
    )
    for action, actor, params in (
        (ClaimTransition.SIGNAL_CHECKED, reviewer, {"signal_key": "exif-missing", "note": "ok"}),
        (ClaimTransition.EVIDENCE_REMINDER_SENT, None, {}),
        (A.EVIDENCE_RECEIVED, None, {}),  # the customer's upload, through their link
        (ClaimTransition.ERASED, None, {}),
    ):
        ClaimTransition.objects.create(
            claim=claim,
            actor=actor,
            action=action,
            from_status=claim.status,
            to_status=claim.status,
            params=params,
        )

    timeline = claim_timeline(claim)

    assert [(e.kind, e.who) for e in timeline] == [
        ("transition", "seller"),
        ("photo", "seller"),
        ("transition", "reviewer"),
        ("transition", "reviewer"),
        ("transition", "reviewer"),
        ("transition", "task worker"),
        ("transition", "customer"),
        ("transition", "retention schedule"),
    ]
    submitted, _photo, started, checked, signal, reminded, _received, _erased = timeline
    assert submitted.title == "Claim submitted"
    assert started.details == {"status": "Submitted → Under inspection"}
    assert checked.details == {"item": str(item.label)}
    assert reminded.title == "Reminder sent to the customer" and reminded.details == {}
    assert signal.details == {"note": "ok"}  # the signal's key is for the code only
    assert [e.when for e in timeline] == sorted(e.when for e in timeline)


def test_an_approval_without_evidence_reads_as_such_in_the_timeline(reviewer):
    from claims.models import ClaimTransition
    from claims.review_trail import WITHOUT_EVIDENCE, WITHOUT_EVIDENCE_REASON

    claim = make_claim().claim
    ClaimTransition.objects.create(
        claim=claim,
        actor=reviewer,
        action=A.RESOLVE,
        from_status=claim.status,
        to_status=claim.status,
        params={WITHOUT_EVIDENCE: "photos", WITHOUT_EVIDENCE_REASON: REASON, "outcome": "refund"},
    )

    (*_, resolved) = claim_timeline(claim)

    assert resolved.details == {
        "approved without": "photos",
        "reviewer's reason for approving without it": REASON,
        "outcome": "Refund",
    }


def test_an_escalation_and_a_customer_note_are_in_the_timeline(reviewer):
    from claims.models import CustomerNote

    claim = make_claim().claim
    claim_escalate(claim=claim, user=reviewer, reason="claim_looks_incorrect", note="Odd.")
    CustomerNote.objects.create(claim=claim, text="The box was wet.")

    escalation, note = [e for e in claim_timeline(claim) if e.kind != "transition"]

    assert escalation.title.startswith("Escalated to Kingston Express Support (")
    assert escalation.who == "reviewer" and escalation.text == "Odd."
    assert escalation.details["order_id"] == "KX-48213579"
    assert escalation.details["issue_type"] == str(IssueType.DAMAGED_ITEM.label)
    assert (note.title, note.who, note.text) == ("Customer note", "customer", "The box was wet.")


# --- What the packet holds -----------------------------------------------------------------


def _open(claim):
    packet = build_evidence_packet(claim)
    try:
        archive, folder = verify(packet, claim)
    finally:
        packet.file.close()
    return packet, archive, folder


def test_the_packet_holds_every_answer_field_with_its_labels():
    claim = make_claim(seller_email="seller@example.com").claim

    packet, archive, folder = _open(claim)

    assert packet.filename == f"evidence-{claim.reference}.zip"
    answers = json.loads(archive.read(folder + "answers.json"))
    assert set(answers) == {*ANSWER_FIELDS, "issue_label", "fulfillment_label", "status_label"}
    assert answers["order_number"] == "KX-48213579"
    assert answers["seller_email"] == "seller@example.com"
    assert answers["created_at"] == claim.created_at.isoformat()
    assert answers["issue_label"] == claim.get_issue_type_display()
    assert answers["status_label"] == claim.get_status_display()


def test_the_packet_lists_exactly_its_files_and_stores_photos_as_they_are():
    photos = [make_draft_photo("item", seed=1), make_draft_photo("package", seed=2)]
    claim = make_claim(photos=photos).claim

    _packet, archive, folder = _open(claim)

    ids = [str(p.public_id) for p in claim.photos.order_by("id")]
    names = sorted(name.removeprefix(folder) for name in archive.namelist())
    assert names == sorted(
        [
            "SHA256SUMS",
            "answers.json",
            "guidance.html",
            "manifest.json",
            "signals.json",
            "summary.txt",
            "timeline.json",
            f"photos/01-item-{ids[0]}.jpg",
            f"photos/02-package-{ids[1]}.jpg",
        ]
    )
    for info in archive.infolist():
        stored = info.filename.startswith(folder + "photos/")
        assert (info.compress_type == zipfile.ZIP_STORED) == stored, info.filename
    manifest = json.loads(archive.read(folder + "manifest.json"))
    assert [row["kind"] for row in manifest["photos"]] == ["item", "package"]
    assert all(row["added_by"] == "seller" for row in manifest["photos"])


def test_the_summary_reads_the_claim_and_says_none_where_there_is_nothing():
    claim = make_claim().claim

    _packet, archive, folder = _open(claim)

    summary = archive.read(folder + "summary.txt").decode()
    # Column widths follow the longest label; the golden copy (test_packet_files.py) pins them.
    lines = [" ".join(line.split()) for line in summary.splitlines()]
    assert lines[0] == f"Evidence packet for claim {claim.reference}"
    assert "Order number: KX-48213579" in lines
    assert "Inspection result: —" in lines and "Outcome: —" in lines
    assert any(line.endswith("Claim submitted [seller]") for line in lines)
    assert lines[-3:] == ["Photos", "------", "(none)"]
    signals = lines.index("Signals (facts for a closer look; none decides anything)")
    assert lines[signals + 2] == "(none)"
    assert json.loads(archive.read(folder + "signals.json")) == []


def test_the_guidance_shown_for_the_answers_is_in_the_packet():
    claim = make_claim().claim

    _packet, archive, folder = _open(claim)

    guidance = archive.read(folder + "guidance.html").decode()
    assert "KX-48213579" in guidance
    assert claim.get_issue_type_display() in guidance
