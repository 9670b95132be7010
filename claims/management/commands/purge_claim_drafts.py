"""Delete the draft photos of claim forms nobody finished (run it daily)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.drafts import draft_purge_stale


class Command(BaseCommand):
    help = "Delete draft claim photos older than the longest session (or --hours)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=settings.SESSION_COOKIE_AGE // 3600,
            help="Age after which an unfinished form's photos go (default: the session age).",
        )

    def handle(self, *args, hours, **options):
        deleted = draft_purge_stale(older_than=timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} draft photo file(s).")
