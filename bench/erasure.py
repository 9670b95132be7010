"""How long `manage.py erase_personal_data` takes for N decided claims with 3 photos each.

    make bench-erasure                       # 10,000 claims, PostgreSQL, local storage
    DATABASE_URL=... .venv/bin/python bench/erasure.py --claims 1000

Fills a database of its own (default `hc_bench_erasure` on the PostgreSQL server of
DATABASE_URL, else 127.0.0.1:5432; dropped and created again) and a temporary
evidence folder with N claims decided two years ago, each with three photos (a
small display copy and a thumbnail each: 6 files), then runs the command as a
separate process, as cron or the worker would, and times it. It checks the result:
every claim erased, no file left, no journal row left.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The erasure benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path[1:]}"')
        conn.execute(f'CREATE DATABASE "{parts.path[1:]}"')


def _fill(n: int) -> None:
    """N decided claims, 3 photos each, straight into the tables and the folder."""
    import io
    import uuid
    from datetime import timedelta

    from django.core.files.storage import storages
    from django.utils import timezone
    from PIL import Image

    from claims.models import Claim, ClaimTransition, EvidencePhoto

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(buffer, "JPEG", quality=80)
    jpeg = buffer.getvalue()
    folder = Path(storages["evidence"].location)
    decided = timezone.now() - timedelta(days=730)
    batch = 1000
    for start in range(0, n, batch):
        claims = [
            Claim(
                reference=f"KXC-B{i:07d}",
                result_token_hash=uuid.uuid4().hex * 2,
                customer_token_hash=uuid.uuid4().hex * 2,
                customer_link_nonce=uuid.uuid4().hex,
                customer_link_expires_at=decided,
                submission_key=uuid.uuid4(),
                issue_type="damaged_item",
                fulfillment_method="kingston_express",
                destination="domestic",
                order_number=f"KX-{40000000 + i}",
                item="Ceramic mug",
                description="The handle is snapped off.",
                quantity_affected=1,
                severity="major",
                customer_name="Ada Customer",
                customer_email=f"ada{i}@example.com",
                seller_email="seller@example.com",
                status="resolved",
                inspection_result="confirmed",
                outcome="refund",
                response_due_at=decided + timedelta(days=1),
                decided_at=decided,
            )
            for i in range(start, min(start + batch, n))
        ]
        Claim.objects.bulk_create(claims)
        claims = list(Claim.objects.filter(reference__in=[c.reference for c in claims]))
        transitions, photos = [], []
        for claim in claims:
            for action, before, after in (
                ("submit", "", "submitted"),
                ("resolve", "inspected", "resolved"),
            ):
                transitions.append(
                    ClaimTransition(
                        claim=claim,
                        action=action,
                        from_status=before,
                        to_status=after,
                        note="Refund per policy" if action == "resolve" else "",
                    )
                )
            (folder / "claims" / claim.reference).mkdir(parents=True, exist_ok=True)
            for number, kind in enumerate(("package", "item", "packing_materials")):
                stem = uuid.uuid4().hex
                names = (
                    f"claims/{claim.reference}/{stem}.jpg",
                    f"claims/{claim.reference}/{stem}-thumb.jpg",
                )
                for name in names:
                    (folder / name).write_bytes(jpeg)
                photos.append(
                    EvidencePhoto(
                        claim=claim,
                        kind=kind,
                        image_name=names[0],
                        thumbnail_name=names[1],
                        sha256=f"{claim.pk:032d}{number:032d}",
                        width=64,
                        height=48,
                        original_format="JPEG",
                        original_size=len(jpeg),
                    )
                )
        ClaimTransition.objects.bulk_create(transitions)
        ClaimTransition.objects.filter(claim__in=claims).update(created_at=decided)
        EvidencePhoto.objects.bulk_create(photos)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--database", default="hc_bench_erasure")
    args = parser.parse_args()

    url = _database_url(args.database)
    evidence = Path(tempfile.mkdtemp(prefix="bench-erasure-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EVIDENCE_ROOT": str(evidence),
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-erasure-only"),
        "DJANGO_DEBUG": "1",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")
    _recreate(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    from claims.models import Claim, PendingFileDeletion

    started = time.monotonic()
    _fill(args.claims)
    files = sum(1 for p in evidence.rglob("*") if p.is_file())
    filled = time.monotonic() - started
    print(f"Filled {args.claims:,} decided claims, {files:,} files in {filled:.0f} s")

    if os.environ.get("BENCH_ERASURE_FILL_ONLY"):
        print(f"EVIDENCE_ROOT={evidence}")
        return 0
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "erase_personal_data"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    took = time.monotonic() - started
    summary = result.stdout.strip().splitlines()[-1]
    left = sum(1 for p in evidence.rglob("*") if p.is_file())
    erased = Claim.objects.filter(personal_data_erased_at__isnull=False).count()
    pending = PendingFileDeletion.objects.count()
    shutil.rmtree(evidence, ignore_errors=True)
    print(summary)
    print(
        f"erase_personal_data: {args.claims:,} claims x 3 photos ({files:,} files) in "
        f"{took:.1f} s ({took / args.claims * 1000:.1f} ms a claim); erased {erased:,}, "
        f"files left {left}, journal rows left {pending}"
    )
    return 0 if (erased, left, pending) == (args.claims, 0, 0) else 1


if __name__ == "__main__":
    sys.exit(main())
