"""Delete old per-day search and article counts (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError

from helpcentre import services

DEFAULT_DAYS = 400  # a year back, plus the month before it to compare with


class Command(BaseCommand):
    help = "Delete search and article counts older than --days days (default 400)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
        parser.add_argument(
            "--rebuild-words",
            action="store_true",
            help="Also rebuild the words 'Did you mean' suggests (PostgreSQL).",
        )

    def handle(self, *args, days, rebuild_words, **options):
        try:
            deleted = services.guide_stats_purge(older_than_days=days)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if rebuild_words:
            services.search_words_rebuild()
        self.stdout.write(f"{deleted} rows older than {days} days deleted.")
