"""Send the due reminders of requests for evidence and close the claims whose final
deadline passed without an answer.

The task worker does both at their times when the tasks backend can defer (the
database queue, `TASKS_BACKEND=database`, with `manage.py db_worker`). Run this
hourly as well: it catches up whatever the worker missed (it was down, or the
backend is the immediate one of `make run`), and each step happens once whoever
runs it first.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from claims.evidence_requests import evidence_request_close, evidence_request_remind
from claims.models import EvidenceRequest


class Command(BaseCommand):
    help = (
        "Remind customers of requests for evidence that are due a reminder; close the "
        "claims whose request passed its final deadline unanswered."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        reminded = sum(
            evidence_request_remind(request_id=pk, now=now)
            for pk in EvidenceRequest.objects.reminder_due(now).values_list("pk", flat=True)
        )
        closed = sum(
            evidence_request_close(request_id=pk, now=now)
            for pk in EvidenceRequest.objects.close_due(now).values_list("pk", flat=True)
        )
        self.stdout.write(f"Reminders sent: {reminded}. Closed for no response: {closed}.")
