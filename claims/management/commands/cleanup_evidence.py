"""Remove orphaned evidence and draft files; report photos whose files are missing.

Run it daily (and after an incident). Exit status 0 even when it finds
something: the report is the output. `--dry-run` only lists.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from claims.cleanup import DEFAULT_GRACE, cleanup_evidence


class Command(BaseCommand):
    help = (
        "Find files in the evidence and draft storages that no claim or open form refers to "
        "(older than the grace period) and remove them; list photo rows whose files are missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed; remove nothing."
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(DEFAULT_GRACE.total_seconds() // 60),
            help="Leave files younger than this alone: a request may still be saving them "
            "(default: %(default)s).",
        )

    def handle(self, *args, dry_run, grace_minutes, **options):
        report = cleanup_evidence(grace=timedelta(minutes=grace_minutes), dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name in report.orphaned_evidence:
            self.stdout.write(f"Orphaned evidence file ({verb}): {name}")
        for name in report.orphaned_drafts:
            self.stdout.write(f"Orphaned draft file ({verb}): {name}")
        for missing in report.missing:
            self.stdout.write(
                self.style.ERROR(
                    f"Missing file for photo {missing.photo_id} of claim "
                    f"{missing.claim_reference}: {missing.name}"
                )
            )
        self.stdout.write(
            f"Orphaned files: {report.orphans} ({report.removed} removed). "
            f"Photos with missing files: {len(report.missing)}."
        )
