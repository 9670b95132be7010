"""The evidence packet of one fixed claim, file by file, against the copy kept in
`tests/claims/data/packet/`: a change to any file of the packet shows here as a diff.

The claim has a photo of each of two kinds, a reviewer's step, a checked signal, an
escalation, a customer's note and an earlier claim for the same order, all at fixed
times. The JPEG bytes come from Pillow's encoder, which may differ between versions,
so the photo files are compared with the stored display copies and their digests are
replaced by a marker before the text files are compared. A deliberate change to the
packet: run this file with PACKET_GOLDEN_UPDATE=1 and review the diff of the copy.
"""

import io
import os
import re
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from claims import workflow
from claims.answers import ClaimAnswers
from claims.customer_evidence import claim_add_customer_evidence
from claims.models import Claim, ClaimTransition, CustomerNote, Escalation, EvidencePhoto
from claims.packet import build_evidence_packet
from claims.review import claim_apply_action, claim_check_signal, claim_escalate
from claims.selectors import signals_for
from claims.storage import evidence_storage
from tests.factories import make_claim, make_draft_photo

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "data" / "packet"
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
A = workflow.Action
REFERENCE = "KXC-GOLDEN01"


def _at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def _fix_times_and_ids(claim: Claim) -> None:
    """Every time and random id the packet shows, set to a fixed value in order."""
    Claim.objects.filter(pk=claim.pk).update(
        reference=REFERENCE,
        created_at=START,
        response_due_at=START + timedelta(days=3),
    )
    rows = sorted(
        (
            (row.created_at, order, row.pk, model)
            for order, model in enumerate(
                (ClaimTransition, EvidencePhoto, CustomerNote, Escalation)
            )
            for row in model.objects.filter(claim=claim)
        ),
        key=lambda row: row[:3],
    )
    for minute, (_when, _order, pk, model) in enumerate(rows, start=1):
        model.objects.filter(pk=pk).update(created_at=_at(minute))
    for number, photo in enumerate(claim.photos.order_by("pk"), start=1):
        EvidencePhoto.objects.filter(pk=photo.pk).update(
            public_id=uuid.UUID(int=number),
        )
    claim.refresh_from_db()


@pytest.fixture
def fixed_claim(reviewer):
    earlier = make_claim(order_number="KX-11112222", customer_email="ada@example.com").claim
    Claim.objects.filter(pk=earlier.pk).update(
        reference="KXC-EARLIER1", created_at=START - timedelta(days=10)
    )
    photos = [make_draft_photo(kind, seed=7 + i) for i, kind in enumerate(("item", "package"))]
    claim = make_claim(
        order_number="KX-11112222",
        destination="international",
        quantity_affected=2,
        photos=photos,
    ).claim
    claim_add_customer_evidence(claim_id=claim.pk, photos=(), note="The box was wet.")
    for action, params in _first_steps(claim):
        claim_apply_action(claim=claim, action=action, user=reviewer, **params)
    claim_check_signal(
        claim=claim, signal_key=signals_for(claim)[0].key, user=reviewer, note="Seen it."
    )
    claim_escalate(claim=claim, user=reviewer, reason="claim_looks_incorrect", note="Odd.")
    claim.refresh_from_db()
    _fix_times_and_ids(claim)
    return claim


def _first_steps(claim: Claim, count: int = 2):
    """The first `count` actions the workflow allows (not escalating), each with
    its first parameter, so the timeline has a reviewer's steps with details."""
    from claims.review_trail import claim_state

    state = claim_state(claim)
    steps = []
    parameter = {
        A.COMPLETE_CHECK: "item",
        A.RECORD_INSPECTION_RESULT: "result",
        A.RESOLVE: "outcome",
    }
    for _ in range(count):
        action = next(a for a in workflow.allowed_actions(state) if a != A.ESCALATE)
        name = parameter.get(action)
        params = {name: workflow.parameter_choices(state, action)[0]} if name else {}
        steps.append((action, params))
        state = workflow.transition(state, action, **params)
    return steps


def _packet_files(claim: Claim, monkeypatch, folder=f"evidence-{REFERENCE}/") -> dict[str, bytes]:
    # The summary's "Made" line reads the clock.
    monkeypatch.setattr(timezone, "now", lambda: _at(500))
    packet = build_evidence_packet(claim)
    try:
        archive = zipfile.ZipFile(io.BytesIO(packet.file.read()))
    finally:
        packet.file.close()
    assert packet.filename == f"{folder.rstrip('/')}.zip"
    assert all(name.startswith(folder) for name in archive.namelist())
    return {name.removeprefix(folder): archive.read(name) for name in archive.namelist()}


def _photo_markers(claim: Claim, files: dict[str, bytes]) -> dict[str, str]:
    """Pillow-made values (digests, perceptual hashes) -> a marker naming them."""
    import hashlib

    markers = {}
    for number, photo in enumerate(claim.photos.order_by("pk"), start=1):
        name = f"photos/{number:02d}-{photo.kind}-{photo.public_id}.jpg"
        with evidence_storage().open(photo.image_name, "rb") as fh:
            assert files[name] == fh.read(), name
        markers[hashlib.sha256(files[name]).hexdigest()] = f"<sha256 of photo {number}>"
        markers[photo.sha256] = f"<sha256 of original {number}>"
        markers[photo.phash] = f"<phash of photo {number}>"
        markers[f'"original_size": {photo.original_size},'] = (
            f'"original_size": "<size of original {number}>",'
        )
    return markers


def _normalised(text: str, markers: dict[str, str]) -> str:
    for value, marker in markers.items():
        text = text.replace(value, marker)
    return text


def test_the_packet_of_a_fixed_claim_is_unchanged_file_by_file(fixed_claim, monkeypatch):
    files = _packet_files(fixed_claim, monkeypatch)
    markers = _photo_markers(fixed_claim, files)
    texts = {
        name: _normalised(data.decode(), markers)
        for name, data in files.items()
        if not name.startswith("photos/")
    }

    if os.environ.get("PACKET_GOLDEN_UPDATE"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.iterdir():
            old.unlink()
        for name, text in texts.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
        (GOLDEN / "FILES").write_text("".join(f"{name}\n" for name in sorted(files)))

    assert sorted(files) == (GOLDEN / "FILES").read_text().splitlines()
    for name, text in texts.items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_a_new_question_shows_in_the_summary_and_on_the_result_page_unedited(client, monkeypatch):
    submitted = make_claim(customer_sends_photos=True)
    # An existing yes/no field of the claim stands in for a question added to
    # `ClaimAnswers`: neither the packet nor the page names the answers by hand.
    asked = ClaimAnswers.field_names()
    monkeypatch.setattr(
        ClaimAnswers, "field_names", classmethod(lambda cls: (*asked, "customer_sends_photos"))
    )

    files = _packet_files(
        submitted.claim, monkeypatch, folder=f"evidence-{submitted.claim.reference}/"
    )
    page = client.get(f"/claim/r/{submitted.result_token}/").content.decode()

    summary = files["summary.txt"].decode()
    assert re.search(r"^Customer sends photos: +Yes$", summary, re.MULTILINE)
    assert "Customer sends photos</dt>" in page
