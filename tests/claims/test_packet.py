"""The evidence packet for every state the state machine can reach, on both paths.

The states come from walking the workflow's own transition table (`allowed_actions`
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
from claims.packet import build_evidence_packet
from claims.review import claim_apply_action, claim_escalate
from tests.factories import make_claim, make_draft_photo

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
