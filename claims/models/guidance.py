"""Guidance rows that admins edit: response templates, warnings, review steps,
evidence requirements and outcome factors, each with the conditions it applies to.

The rows hold the guide's own words; which rows apply to a claim is decided by
the pure `claims.guidance_rules` (over these rows as plain data) and
`claims.rules`, fed by `claims.selectors.guidance_for`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.choices import (
    EvidenceKind,
    EvidenceNeed,
    IssueType,
    OutcomeFactor,
    PhotosCondition,
    WarningKind,
)
from claims.models.conditions import CaseConditions

__all__ = [
    "EvidenceRequirement",
    "GuidanceRow",
    "GuidanceWarning",
    "OutcomeFactorRow",
    "ReplyLine",
    "ResponseTemplate",
    "ReviewStep",
]


class GuidanceRow(CaseConditions):
    """What every guidance row shares: the case it applies to (one issue type
    or all), its place in its list and whether it is in use."""

    issue_type = models.CharField(
        _("issue type"),
        max_length=32,
        choices=IssueType,
        blank=True,
        help_text=_("Only for this kind of report. Leave empty for every issue type."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Position in its list on the result page: lower numbers come first."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to stop showing this row on result pages without deleting it."),
    )

    class Meta(CaseConditions.Meta):
        abstract = True

    @property
    def applies_to(self) -> str:
        """The conditions in words, for admin lists and string forms."""
        parts = [
            self.get_fulfillment_method_display() or _("any fulfillment"),
            self.get_issue_type_display() or _("any issue"),
            self.get_destination_display() or _("any destination"),
        ]
        return " · ".join(str(part) for part in parts)


def photos_condition_field():
    return models.CharField(
        _("photos"),
        max_length=16,
        choices=PhotosCondition,
        blank=True,
        help_text=_(
            "Only for claims that already have evidence photos, or only for claims that have "
            "none yet. Leave empty for both."
        ),
    )


class ResponseTemplate(GuidanceRow):
    """A safe message the seller sends the customer ("How to Respond to the
    Customer"). The most specific active template for a case is shown: it is
    the heart of the reply that claims.reply composes around it."""

    photos = photos_condition_field()

    title = models.CharField(
        _("title"),
        max_length=120,
        help_text=_("Shown above the message, e.g. “Dispatchment order”."),
    )
    body = models.TextField(
        _("message"),
        help_text=_(
            "The message exactly as the seller should send it: polite, neutral and "
            "process-focused. Never promise a refund, a replacement or instant resolution."
        ),
    )

    class Meta(GuidanceRow.Meta):
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return f"{self.title} ({self.applies_to})"


class GuidanceWarning(GuidanceRow):
    """One line of the guide's checklists: what to do now (✔), what not to do
    (❌), common mistakes, international cautions, reasons to contact support,
    the final rule, and the notes beside sections."""

    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=WarningKind,
        help_text=_(
            "Which list on the result page this line belongs to. Do-now and do-not lines "
            "carry the ✔ and ❌ of the guide."
        ),
    )
    text = models.CharField(
        _("text"),
        max_length=300,
        help_text=_("The line in the guide's words, without the ✔ or ❌ mark."),
    )

    class Meta(GuidanceRow.Meta):
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["kind", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class ReviewStep(GuidanceRow):
    """A step of the review path: how Kingston Express inspects dispatchment
    orders, or how the seller reviews a seller-managed order."""

    text = models.CharField(
        _("step"),
        max_length=300,
        help_text=_(
            "One step of the review, in the guide's words, e.g. “Packing logs are checked”."
        ),
    )

    class Meta(GuidanceRow.Meta):
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return self.text


class EvidenceRequirement(GuidanceRow):
    """Which evidence photos a case needs, and why, in words a customer
    understands. The most specific active row for each photo slot wins."""

    evidence_kind = models.CharField(
        _("photo slot"),
        max_length=32,
        choices=EvidenceKind,
        help_text=_("The photo slot on the evidence step this row is about."),
    )
    need = models.CharField(
        _("need"),
        max_length=16,
        choices=EvidenceNeed,
        default=EvidenceNeed.ENCOURAGED,
        help_text=_(
            "Required photos must be attached (by the seller or later by the customer) "
            "before the claim is complete; encouraged photos speed resolution."
        ),
    )
    label = models.CharField(
        _("guide wording"),
        max_length=120,
        help_text=_("The guide's line for this evidence, e.g. “Photos of the package”."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_(
            "Why this photo helps, shown to the seller and the customer, e.g. “Photos of "
            "the outer box help Kingston Express check the packing.”"
        ),
    )

    class Meta(GuidanceRow.Meta):
        verbose_name = _("evidence requirement")
        verbose_name_plural = _("evidence requirements")

    def __str__(self) -> str:
        return f"{self.get_evidence_kind_display()}: {self.get_need_display()}"


class OutcomeFactorRow(GuidanceRow):
    """A line of "How replacements vs refunds are decided". The factor says
    which answer it reads; the text is what the result page shows. An inactive
    factor is not counted."""

    factor = models.CharField(
        _("factor"),
        max_length=32,
        choices=OutcomeFactor,
        help_text=_(
            "The fact from the claim's answers this line stands for, and which outcome "
            "it points to."
        ),
    )
    text = models.CharField(
        _("text"),
        max_length=200,
        help_text=_("The guide's words, e.g. “Inventory is available”."),
    )

    class Meta(GuidanceRow.Meta):
        verbose_name = _("outcome factor")
        verbose_name_plural = _("outcome factors")

    def __str__(self) -> str:
        return self.text


class ReplyLine(GuidanceRow):
    """A line of the reply to the customer for one kind of case, placed after
    the response template's sentence: what to photograph for this issue type,
    that the photos are already in, what to expect on an international order.
    Every active line that applies is used, in order."""

    photos = photos_condition_field()
    text = models.CharField(
        _("line"),
        max_length=300,
        help_text=_(
            "One or two sentences to the customer, polite and neutral. Never promise a refund, "
            "a replacement or a date; never ask for photos of an item that did not arrive."
        ),
    )

    class Meta(GuidanceRow.Meta):
        verbose_name = _("reply line")
        verbose_name_plural = _("reply lines")

    def __str__(self) -> str:
        return self.text
