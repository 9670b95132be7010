"""Erase the personal data whose retention period is over (run it daily).

The task worker runs it every day (`claims.tasks.erase_personal_data_daily`);
run it by hand at any time: it is safe to run twice and to interrupt (a run
killed midway is finished by the next, see `claims.erasure`). `--dry-run` lists
the claims that are due and changes nothing.
"""

import os
import sys
import time

from django.core.management.base import BaseCommand

from claims.erasure_run import erase_everything_due
from claims.tasks import schedule_personal_data_erasure

# Test hook: stop for good after this many files, so a test can kill the run at
# a known point (tests/claims/test_erasure_interrupted.py). Never set it in production.
PAUSE_AFTER_FILES = "ERASURE_PAUSE_AFTER_FILES"


class Command(BaseCommand):
    help = (
        "Erase what the retention settings say is due: settled claims' photos and personal "
        "fields, unsent claim forms, commenters' email addresses, votes' visitor links."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the claims that are due; erase nothing."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily run for the task worker (TASKS_BACKEND=database) and exit; "
            "nothing is queued when a run is already waiting.",
        )

    def handle(self, *args, dry_run, schedule, **options):
        if schedule:
            queued = schedule_personal_data_erasure(delay_seconds=60)
            self.stdout.write(
                "The daily erasure is queued: its first run is in a minute."
                if queued
                else "Nothing queued: a run is already waiting, or the task queue cannot "
                "defer work (set TASKS_BACKEND=database)."
            )
            return
        started = time.monotonic()
        run = erase_everything_due(dry_run=dry_run, after_file=self._pause_hook())
        report = run.claims
        if dry_run:
            for reference, why in report.due:
                self.stdout.write(f"Due ({why}): {reference}")
            self.stdout.write(f"Claims due: {len(report.due)}. Nothing was erased (dry run).")
            return
        for erased in report.erased:
            self.stdout.write(
                f"Erased {erased.reference} ({erased.why}): {erased.photos} photos, "
                f"{erased.files} files"
            )
        kept = ", ".join(f"{why} {count}" for why, count in sorted(report.kept.items()))
        self.stdout.write(
            f"Claims erased: {len(report.erased)} ({report.photos} photos, "
            f"{report.files_deleted} files; {report.resumed_files} files finished from an "
            f"interrupted run). Settled claims kept: {kept or 'none'}. "
            f"Unsent claim forms dropped: {run.unsent_forms}; draft photo files: "
            f"{run.draft_files}. Comments' email addresses erased: {run.comments}; votes "
            f"unlinked from visitors: {run.votes}. Took {time.monotonic() - started:.1f} s."
        )

    def _pause_hook(self):
        pause_after = int(os.environ.get(PAUSE_AFTER_FILES, "0") or 0)
        if pause_after <= 0:
            return None
        done = 0

        def after_file(name):
            nonlocal done
            done += 1
            if done == pause_after:
                sys.stderr.write(f"paused after {done} files\n")
                sys.stderr.flush()
                while True:
                    time.sleep(60)

        return after_file
