"""The reply check's rules, as admins edit them: what to look for in a seller's
reply, on which cases, and what the guide says instead (claims.reply_check
applies them)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.choices import IssueType
from claims.models.conditions import CaseConditions

__all__ = ["ReplyCheckRule"]


class ReplyCheckRule(CaseConditions):
    """One thing the guide forbids in a reply to the customer, with the
    patterns that find it and the cases it applies to."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short name for reports and tests, e.g. “kx-refund”."),
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("What the seller did, as the finding's heading, e.g. “Offers a refund”."),
    )
    issue_types = models.JSONField(
        _("issue types"),
        default=list,
        blank=True,
        help_text=_("Only for these kinds of report. None ticked: every issue type."),
    )
    patterns = models.TextField(
        _("patterns"),
        help_text=_(
            "What to look for: one regular expression per line, matched without regard to "
            "case, e.g. “\\brefund(ed)? you\\b”. A match just after a negation (“not”, “no”, "
            "“won't”) in the same clause does not count."
        ),
    )
    safe_when = models.TextField(
        _("safe when"),
        blank=True,
        help_text=_(
            "Conditions that make a match above fine (one regular expression per line), e.g. a "
            "replacement promised only “once we have reviewed the photos”. A condition counts "
            "for a match after it in the same sentence, or right after the match in the same "
            "clause; one saying the review is done (“I've checked your photos”) also counts for "
            "the sentences that follow."
        ),
    )
    rule_text = models.CharField(
        _("the guide's rule"),
        max_length=200,
        help_text=_("The rule in the guide's words, e.g. “Do not refund immediately”."),
    )
    suggestion = models.CharField(
        _("safer wording"),
        max_length=300,
        help_text=_("What the seller can write instead, in the guide's spirit."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Findings are listed in this order.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop checking this rule.")
    )

    class Meta(CaseConditions.Meta):
        verbose_name = _("reply check rule")
        verbose_name_plural = _("reply check rules")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from claims.reply_check import compile_patterns

        errors = {}
        for field in ("patterns", "safe_when"):
            try:
                compiled = compile_patterns(getattr(self, field))
            except ValueError as error:
                errors[field] = str(error)
                continue
            if field == "patterns" and not compiled:
                errors[field] = _("Enter at least one pattern.")
        unknown = [value for value in self.issue_types or [] if value not in IssueType.values]
        if unknown:
            errors["issue_types"] = _("Unknown issue types: %(values)s") % {
                "values": ", ".join(map(str, unknown))
            }
        if errors:
            raise ValidationError(errors)
