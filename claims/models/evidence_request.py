"""A reviewer's request to the customer for named evidence, and its clock.

While a request is open the claim waits on the customer: its response deadline
pauses (`claims.evidence_requests` moves `Claim.response_due_at` on by the time
waited when the wait ends, and adds it to `Claim.customer_wait`), a reminder mail goes out at
`remind_at` and the claim closes as "no response" at `close_at`
(`claims.tasks`, through the task worker). Each step is in the timeline.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.choices import EvidenceKind

from .claim import Claim

__all__ = ["EvidenceRequest", "EvidenceRequestQuerySet"]

# What the customer reads for each kind asked for ("a photo of the packing materials").
ASKED_LABELS = {
    EvidenceKind.PACKAGE: _("a photo of the package (the outer box and its label)"),
    EvidenceKind.ITEM: _("a photo of the item"),
    EvidenceKind.PACKING_MATERIALS: _("a photo of the packing materials"),
    EvidenceKind.OTHER: _("another photo (see the note)"),
}


class EvidenceRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests still waiting for the customer."""
        return self.filter(answered_at__isnull=True, closed_at__isnull=True, ended_at__isnull=True)

    def reminder_due(self, now=None):
        return self.open().filter(reminded_at__isnull=True, remind_at__lte=now or timezone.now())

    def close_due(self, now=None):
        return self.open().filter(close_at__lte=now or timezone.now())


class EvidenceRequest(models.Model):
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="evidence_requests", editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    kinds = models.JSONField(
        _("asked for"), default=list, help_text=_("The kinds of photo asked for (EvidenceKind).")
    )
    note = models.TextField(
        _("note to the customer"),
        max_length=1000,
        blank=True,
        help_text=_("Shown on the customer's page under what is asked for."),
    )
    remind_at = models.DateTimeField(_("reminder due"))
    close_at = models.DateTimeField(
        _("final deadline"), help_text=_("Without an answer by then the claim closes.")
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed for no response"), null=True, blank=True)
    ended_at = models.DateTimeField(
        _("ended"),
        null=True,
        blank=True,
        help_text=_("The claim moved on without the customer's answer (by a reviewer)."),
    )

    objects = EvidenceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(close_at__gte=models.F("remind_at")),
                name="evidence_request_reminder_before_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {', '.join(self.kinds)}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.closed_at is None and self.ended_at is None

    @property
    def asked_labels(self) -> list[str]:
        return [str(ASKED_LABELS[EvidenceKind(kind)]) for kind in self.kinds]
