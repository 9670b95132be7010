"""The evidence packet: one ZIP per claim, for disputes.

Contents (all under a folder named after the reference):

- `answers.json`: what the seller answered, with the claim's status, dates and outcome
- `summary.txt`: the same in plain words, with the timeline, for a person to read
- `guidance.html`: the guidance that was shown for these answers (the result page's)
- `timeline.json`: every transition, escalation and customer note, oldest first
- `signals.json`: the signals shown to the reviewer (`claims.review_signals`) and
  what the reviewer recorded for each (checked, by whom, when, their note)
- `photos/NN-kind-<id>.jpg`: the display copies of the evidence photos
- `manifest.json` and `SHA256SUMS`: the SHA-256 of every file above, so a copy handed
  over can be checked (`sha256sum -c SHA256SUMS` inside the folder)

The ZIP is written to a temporary file (never held whole in memory: photos can be
many megabytes) and handed back open at its start, ready to stream.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from claims.answers import ClaimAnswers, answer_rows
from claims.choices import FulfillmentMethod, InspectionResult, IssueType, Outcome
from claims.facts import ClaimFacts
from claims.models import Claim, ClaimTransition, Escalation
from claims.paths import review_path
from claims.review_trail import WITHOUT_EVIDENCE, WITHOUT_EVIDENCE_REASON
from claims.selectors import guidance_for, signals_for
from claims.storage import evidence_storage

__all__ = ["ANSWER_FIELDS", "EvidencePacket", "build_evidence_packet", "claim_timeline"]

# The seller's answers (one list with the admin's: `ClaimAnswers`), then what
# the claim became.
ANSWER_FIELDS = (
    "reference",
    *ClaimAnswers.field_names(),
    "customer_sends_photos",
    "status",
    "inspection_result",
    "outcome",
    "checklist_done",
    "created_at",
    "response_due_at",
    "decided_at",
)


@dataclass(frozen=True)
class TimelineEntry:
    when: object
    kind: str  # "transition", "escalation" or "note"
    title: str
    who: str
    text: str
    details: dict


# Timeline details in words a reader of the packet understands.
_DETAIL_NAMES = {
    WITHOUT_EVIDENCE: "approved without",
    WITHOUT_EVIDENCE_REASON: "reviewer's reason for approving without it",
}
# Kept for the code, not for a reader (signals.json has the signal's key).
_HIDDEN_DETAILS = {"signal_key"}


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _timeline_labels(claim: Claim) -> dict[str, str]:
    """Stored keys (checklist items, results, outcomes, reasons) -> their words."""
    return {
        # The claim's own path after the others, so its wording wins for a key
        # that reads differently on another path.
        **{
            item.key: str(item.label)
            for m in FulfillmentMethod
            for issue in IssueType
            for item in review_path(m, issue).checklist
        },
        **{
            item.key: str(item.label)
            for item in review_path(claim.fulfillment_method, claim.issue_type).checklist
        },
        **{value: str(label) for value, label in InspectionResult.choices},
        **{value: str(label) for value, label in Outcome.choices},
        **{value: str(label) for value, label in Escalation.Reason.choices},
        **{value: str(label) for value, label in IssueType.choices},
    }


def _transition_who(t: ClaimTransition) -> str:
    if t.actor:
        return t.actor.get_username()
    if t.action == ClaimTransition.ERASED:
        return "retention schedule"  # the daily run erases without a person
    if t.action in ClaimTransition.SYSTEM_ACTIONS:
        return "task worker"  # a request's reminder and final deadline
    return "customer" if t.from_status else "seller"


def _transition_entry(t: ClaimTransition, labels: dict[str, str]) -> TimelineEntry:
    details = {
        _DETAIL_NAMES.get(key, key): labels.get(value, value)
        for key, value in t.params.items()
        if key not in _HIDDEN_DETAILS
    }
    if t.from_status != t.to_status:
        details["status"] = f"{t.get_from_status_display() or '—'} → {t.get_to_status_display()}"
    return TimelineEntry(
        t.created_at, "transition", t.action_label, _transition_who(t), t.note, details
    )


def _escalation_entry(e: Escalation) -> TimelineEntry:
    return TimelineEntry(
        e.created_at,
        "escalation",
        f"Escalated to Kingston Express Support ({e.sent_to})",
        e.raised_by.get_username(),
        e.note,
        {
            "reason": e.get_reason_display(),
            "order_id": e.order_number,
            # str(): the label is a lazy translation, which json cannot write.
            "issue_type": str(IssueType(e.issue_type).label),
        },
    )


def _photo_entry(p) -> TimelineEntry:
    return TimelineEntry(
        p.created_at,
        "photo",
        f"Photo added: {p.get_kind_display()}",
        p.added_by,
        "",
        {"photo": str(p.public_id)},
    )


def claim_timeline(claim: Claim) -> list[TimelineEntry]:
    """Transitions, escalations, customer notes and photo uploads, oldest first."""
    labels = _timeline_labels(claim)
    entries = [
        *(_transition_entry(t, labels) for t in claim.transitions.select_related("actor")),
        *(_escalation_entry(e) for e in claim.escalations.select_related("raised_by")),
        *(
            TimelineEntry(n.created_at, "note", "Customer note", "customer", n.text, {})
            for n in claim.customer_notes.all()
        ),
        *(_photo_entry(p) for p in claim.photos.all()),
    ]
    # Stable: entries at the same moment keep the order above.
    entries.sort(key=lambda entry: entry.when)
    return entries


@dataclass
class EvidencePacket:
    file: tempfile._TemporaryFileWrapper
    filename: str
    hashes: dict[str, str]


def _answers(claim: Claim) -> dict:
    values = {name: _iso(getattr(claim, name)) for name in ANSWER_FIELDS}
    values["issue_label"] = claim.get_issue_type_display()
    values["fulfillment_label"] = claim.get_fulfillment_method_display()
    values["status_label"] = claim.get_status_display()
    return values


def _signal_rows(signals) -> list[dict]:
    return [
        {
            "kind": str(signal.kind),
            "key": signal.key,
            "signal": signal.title,
            "explanation": signal.explanation,
            "photo": signal.photo_id,
            "reviewer_decision": "checked" if signal.checked else "not checked",
            "checked_by": signal.checked.by if signal.checked else "",
            "checked_at": _iso(signal.checked.at) if signal.checked else None,
            "reviewer_note": signal.checked.note if signal.checked else "",
        }
        for signal in signals
    ]


def _summary_header(claim: Claim) -> list[str]:
    """The answers (from `ClaimAnswers`: a new question shows here unedited), then
    what the claim became, as aligned "label: value" lines."""
    due = f"{claim.response_due_at:%d %b %Y %H:%M}" if claim.response_due_at else "—"
    rows = [
        *((str(row.label), row.value) for row in answer_rows(claim)),
        ("Submitted", f"{claim.created_at:%d %b %Y %H:%M}"),
        ("Response due", due),
        ("Status", claim.get_status_display()),
        ("Inspection result", claim.get_inspection_result_display() or "—"),
        ("Outcome", claim.get_outcome_display() or "—"),
    ]
    width = max(len(label) for label, _value in rows) + 1
    return [
        f"Evidence packet for claim {claim.reference}",
        f"Made {timezone.now():%d %b %Y %H:%M %Z}",
        "",
        *(f"{label + ':':<{width}} {value}" for label, value in rows),
    ]


def _timeline_lines(timeline: list[TimelineEntry]) -> list[str]:
    lines = ["Timeline", "--------"]
    for entry in timeline:
        detail = ", ".join(f"{k}: {v}" for k, v in entry.details.items())
        lines.append(f"{entry.when:%d %b %Y %H:%M}  {entry.title}  [{entry.who}]")
        if detail:
            lines.append(f"    {detail}")
        if entry.text:
            lines.append(f"    “{entry.text}”")
    return lines


def _signal_lines(signals) -> list[str]:
    lines = ["Signals (facts for a closer look; none decides anything)", "-------"]
    for row in _signal_rows(signals):
        lines.append(f"- {row['signal']}")
        if row["checked_by"] or row["checked_at"]:
            who = row["checked_by"] or "a reviewer"
            lines.append(f"    checked by {who} on {row['checked_at']}")
            if row["reviewer_note"]:
                lines.append(f"    “{row['reviewer_note']}”")
        else:
            lines.append("    not checked")
    if not signals:
        lines.append("(none)")
    return lines


def _summary(
    claim: Claim, timeline: list[TimelineEntry], photo_files: list[str], signals=()
) -> str:
    lines = [
        *_summary_header(claim),
        "",
        *_timeline_lines(timeline),
        "",
        *_signal_lines(signals),
        "",
        "Photos",
        "------",
        *(photo_files or ["(none)"]),
        "",
    ]
    return "\n".join(lines)


def _json(value) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


class _PacketArchive:
    """The ZIP being written: each file goes under the claim's folder, and each
    but the checksum files has its SHA-256 recorded for them."""

    def __init__(self, archive: zipfile.ZipFile, folder: str):
        self.archive = archive
        self.folder = folder
        self.hashes: dict[str, str] = {}

    def add(self, name: str, data: bytes, *, compress: bool = True) -> str:
        digest = self.hashes[name] = hashlib.sha256(data).hexdigest()
        self.write(name, data, compress=compress)
        return digest

    def write(self, name: str, data: bytes | str, *, compress: bool = True) -> None:
        self.archive.writestr(
            f"{self.folder}/{name}",
            data,
            compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED,
        )


def _photo_row(name: str, digest: str, photo) -> dict:
    return {
        "file": name,
        "sha256": digest,
        "kind": photo.kind,
        "added_by": photo.added_by,
        "added_at": _iso(photo.created_at),
        "width": photo.width,
        "height": photo.height,
        "original_format": photo.original_format,
        "original_size": photo.original_size,
        "original_sha256": photo.sha256,
        "perceptual_hash": photo.phash,
        "taken_at": _iso(photo.captured_at),
        "names_a_camera": photo.camera,
    }


def _add_photos(packet: _PacketArchive, claim: Claim) -> list[dict]:
    """The display copies, numbered in the claim's order; their manifest rows."""
    storage = evidence_storage()
    rows = []
    for number, photo in enumerate(claim.photos.all(), start=1):
        name = f"photos/{number:02d}-{photo.kind}-{photo.public_id}.jpg"
        with storage.open(photo.image_name, "rb") as fh:
            data = fh.read()
        # JPEGs do not shrink: store them as they are.
        rows.append(_photo_row(name, packet.add(name, data, compress=False), photo))
    return rows


def _timeline_rows(timeline: list[TimelineEntry]) -> list[dict]:
    return [
        {
            "when": _iso(e.when),
            "kind": e.kind,
            "title": e.title,
            "who": e.who,
            "text": e.text,
            "details": e.details,
        }
        for e in timeline
    ]


def _guidance_html(claim: Claim) -> bytes:
    return render_to_string(
        "claims/packet_guidance.html",
        {
            "claim": claim,
            "guidance": guidance_for(ClaimFacts.from_claim(claim)),
            "order_number": claim.order_number,
            "customer_email": claim.customer_email,
            "issue_label": claim.get_issue_type_display(),
        },
    ).encode()


def _add_checksums(packet: _PacketArchive, claim: Claim, photo_rows: list[dict]) -> None:
    files = dict(sorted(packet.hashes.items()))
    manifest = {"claim": claim.reference, "files": files, "photos": photo_rows}
    packet.write("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    packet.write("SHA256SUMS", "".join(f"{digest}  {name}\n" for name, digest in files.items()))


def build_evidence_packet(claim: Claim) -> EvidencePacket:
    """Write the claim's packet to a temporary file; the caller streams and closes it."""
    folder = f"evidence-{claim.reference}"
    timeline = claim_timeline(claim)
    signals = signals_for(claim)
    out = tempfile.NamedTemporaryFile(suffix=".zip")  # noqa: SIM115 (closed by the response)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        packet = _PacketArchive(archive, folder)
        photo_rows = _add_photos(packet, claim)
        packet.add("answers.json", _json(_answers(claim)))
        packet.add("timeline.json", _json(_timeline_rows(timeline)))
        packet.add("guidance.html", _guidance_html(claim))
        packet.add("signals.json", _json(_signal_rows(signals)))
        photo_files = [row["file"] for row in photo_rows]
        packet.add("summary.txt", _summary(claim, timeline, photo_files, signals).encode())
        _add_checksums(packet, claim, photo_rows)
    out.flush()
    out.seek(0)
    return EvidencePacket(file=out, filename=f"{folder}.zip", hashes=packet.hashes)
