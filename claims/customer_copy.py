"""The customer's copy of what they sent: one ZIP with their answers and photos.

Downloaded from the customer's private page before the data is erased, so a
customer who asks for erasure can keep their own record. It holds what the claim
says about them and what they sent, never staff notes or the review's workings:

- `my-report.json`: the claim's details as filed (order number, what happened,
  item, description, name, email), its status, and the notes they left
- `photos/NN-kind.jpg`: the photos of the claim (the display copies we keep)
- `README.txt`: what the files are, in plain words
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Claim
from claims.status_text import status_for_customer
from claims.storage import evidence_storage

__all__ = ["CustomerCopy", "build_customer_copy"]

ANSWERS = (
    "reference",
    "order_number",
    "item",
    "description",
    "quantity_affected",
    "customer_name",
    "customer_email",
)


@dataclass
class CustomerCopy:
    file: tempfile._TemporaryFileWrapper
    filename: str


def build_customer_copy(claim: Claim) -> CustomerCopy:
    """Write the ZIP to a temporary file (photos can be large); the caller streams it."""
    folder = f"my-report-{claim.reference}"
    photos = list(claim.photos.all())
    report = {
        **{name: getattr(claim, name) for name in ANSWERS},
        "what_happened": str(claim.get_issue_type_display()),
        "severity": str(claim.get_severity_display()) if claim.severity else "",
        "submitted": claim.created_at.isoformat(),
        "status": status_for_customer(claim.status),
        "notes": [
            {"sent": note.created_at.isoformat(), "text": note.text}
            for note in claim.customer_notes.all()
        ],
        "photos": [],
    }
    out = tempfile.NamedTemporaryFile(suffix=".zip")  # noqa: SIM115 (closed by the response)
    storage = evidence_storage()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, photo in enumerate(photos, start=1):
            name = f"photos/{number:02d}-{photo.kind}.jpg"
            with storage.open(photo.image_name, "rb") as fh:
                # JPEGs do not shrink: stored as they are.
                archive.writestr(f"{folder}/{name}", fh.read(), compress_type=zipfile.ZIP_STORED)
            report["photos"].append(
                {
                    "file": name,
                    "shows": str(photo.get_kind_display()),
                    "sent_by": photo.added_by,
                    "sent": photo.created_at.isoformat(),
                }
            )
        archive.writestr(
            f"{folder}/my-report.json", json.dumps(report, indent=2, ensure_ascii=False)
        )
        archive.writestr(
            f"{folder}/README.txt",
            (
                f"Your report {claim.reference}, as we hold it on "
                f"{timezone.localtime():%d %B %Y}.\n\n"
                "my-report.json: the details of the report and the notes you sent.\n"
                "photos/: the photos of the report, as we keep them (location and camera "
                "details were removed when they were sent).\n"
            ),
        )
    out.flush()
    out.seek(0)
    return CustomerCopy(file=out, filename=f"{folder}.zip")
