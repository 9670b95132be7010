"""The review's records: every status move, and every escalation to Kingston Express
Support. Both are an audit trail for disputes, so neither can be changed once written.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.choices import ClaimStatus

from .claim import Claim

__all__ = ["ClaimTransition", "Escalation", "ImmutableRecord"]


class ImmutableRecord(models.Model):
    """Written once: `save()` refuses updates and `delete()` refuses, so the trail holds.

    (A queryset `.update()`/`.delete()` bypasses these. The one caller is the erasure
    of personal data (`claims.erasure`), which replaces free text and order numbers by
    a marker and records that it did; nothing deletes these rows, and the admin grants
    neither change nor delete.)
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(
                _("This record is part of the audit trail and cannot be changed.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This record is part of the audit trail and cannot be deleted."))


class ClaimTransition(ImmutableRecord):
    """One step on a claim: who did what, when, from which status to which, and why.

    `action` is a `workflow.Action` value, or "submit" for the claim's creation.
    `actor` is empty when the customer (through their link) or the system moved it.
    `params` holds the action's parameter: `item`, `result` or `outcome`.
    """

    SUBMIT = "submit"
    # A reviewer looked at one of the claim's signals (claims/review_signals.py):
    # never a status move. `params` holds the signal's key and what it said.
    SIGNAL_CHECKED = "signal_checked"
    # The reminder mail of a request for evidence (claims/evidence_requests.py): no status move.
    EVIDENCE_REMINDER_SENT = "evidence_reminder_sent"
    # Written by the task worker, not by a person.
    SYSTEM_ACTIONS = ("close_no_response", EVIDENCE_REMINDER_SENT)
    # Steps about the claim's personal data (claims/erasure.py): never a status move.
    LEGAL_HOLD_ON = "legal_hold_on"
    LEGAL_HOLD_OFF = "legal_hold_off"
    ERASURE_REQUESTED = "erasure_requested"
    ERASED = "personal_data_erased"
    PERSONAL_DATA_ACTIONS = (LEGAL_HOLD_ON, LEGAL_HOLD_OFF, ERASURE_REQUESTED, ERASED)

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="transitions", editable=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=32, editable=False)
    from_status = models.CharField(
        _("from"), max_length=32, choices=ClaimStatus.choices, blank=True, editable=False
    )
    to_status = models.CharField(
        _("to"), max_length=32, choices=ClaimStatus.choices, editable=False
    )
    params = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True, max_length=2000, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["action", "to_status"])]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.action} {self.from_status} → {self.to_status}"

    @property
    def action_label(self) -> str:
        from claims.workflow import Action

        if self.action == self.SUBMIT:
            return str(_("Claim submitted"))
        if self.action == self.SIGNAL_CHECKED:
            return str(_("Signal checked"))
        if self.action == self.EVIDENCE_REMINDER_SENT:
            return str(_("Reminder sent to the customer"))
        personal = {
            self.LEGAL_HOLD_ON: _("Legal hold switched on"),
            self.LEGAL_HOLD_OFF: _("Legal hold switched off"),
            self.ERASURE_REQUESTED: _("The customer asked for their data to be erased"),
            self.ERASED: _("Personal data erased"),
        }
        if self.action in personal:
            return str(personal[self.action])
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action


class Escalation(ImmutableRecord):
    """A claim sent to Kingston Express Support, with the order ID and issue type."""

    class Reason(models.TextChoices):
        # The guide's "When to Contact Support".
        INSPECTION_UNCLEAR = "inspection_unclear", _("The inspection result is unclear")
        CLAIM_LOOKS_INCORRECT = "claim_looks_incorrect", _("The claim appears incorrect")
        CUSTOMER_ESCALATING = "customer_escalating", _("The customer is escalating aggressively")

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="escalations", editable=False
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices, editable=False)
    note = models.TextField(_("note"), blank=True, max_length=2000, editable=False)
    # Copied at the time, as the email carried them.
    order_number = models.CharField(_("order ID"), max_length=30, editable=False)
    issue_type = models.CharField(_("issue type"), max_length=32, editable=False)
    sent_to = models.EmailField(_("sent to"), editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_number}: {self.get_reason_display()}"
