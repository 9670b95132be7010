"""Admin for the guidance rows: what the result page says, and for which case.

Editors see each row's conditions in the list, filter by them, reorder and
switch rows on or off in place; django-reversion keeps every earlier version
so an edit can be undone. Any change shows on the next result page (the
cached rules are dropped on save, delete and the bulk actions below).
"""

from django import forms
from django.contrib import admin
from django.db.models import Case, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from claims.choices import IssueType, WarningKind
from claims.guidance_cache import invalidate_guidance_cache
from claims.guide_links import guide_url
from claims.models import (
    EvidenceRequirement,
    GuidanceWarning,
    OutcomeFactorRow,
    ReplyCheckRule,
    ReplyLine,
    ResponseTemplate,
    ReviewStep,
)

CONDITIONS_FIELDSET = (
    _("Applies to"),
    {
        "fields": ("fulfillment_method", "issue_type", "destination"),
        "description": _(
            "The claims this row is shown for. An empty condition means any. Where only one "
            "row can be shown (a response template, an evidence slot), the row with the "
            "most conditions set wins, then the lowest order."
        ),
    },
)
PLACEMENT_FIELDSET = (_("Placement"), {"fields": ("order", "is_active", "guide_anchor")})
# The reply's rows also say whether the claim's photos are in already.
REPLY_CONDITIONS_FIELDSET = (
    CONDITIONS_FIELDSET[0],
    {**CONDITIONS_FIELDSET[1], "fields": (*CONDITIONS_FIELDSET[1]["fields"], "photos")},
)


class GuidanceRowAdmin(VersionAdmin):
    """What every guidance row's admin shares."""

    list_editable = ("order", "is_active")
    list_filter = ("is_active", "fulfillment_method", "issue_type", "destination", "guide_anchor")
    ordering = ("order", "pk")
    list_per_page = 100
    save_on_top = True
    actions = ("activate", "deactivate")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("fulfillment"), ordering="fulfillment_method")
    def fulfillment(self, obj):
        return obj.get_fulfillment_method_display() or _("Any")

    @admin.display(description=_("issue"), ordering="issue_type")
    def issue(self, obj):
        return obj.get_issue_type_display() or _("Any")

    @admin.display(description=_("destination"), ordering="destination")
    def where(self, obj):
        return obj.get_destination_display() or _("Any")

    @admin.display(description=_("guide section"), ordering="guide_anchor")
    def guide_section(self, obj):
        if not obj.guide_anchor:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            guide_url(obj.guide_anchor),
            obj.get_guide_anchor_display(),
        )

    def _set_active(self, request, queryset, active: bool) -> None:
        # A bulk update sends no save signals: drop the cached rules here.
        count = queryset.update(is_active=active)
        invalidate_guidance_cache()
        message = (
            ngettext("%d row switched on.", "%d rows switched on.", count)
            if active
            else ngettext("%d row switched off.", "%d rows switched off.", count)
        )
        self.message_user(request, message % count)

    @admin.action(description=_("Switch on (show on result pages)"))
    def activate(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description=_("Switch off (hide from result pages)"))
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, False)


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(GuidanceRowAdmin):
    list_display = (
        "title",
        "excerpt",
        "fulfillment",
        "issue",
        "where",
        "order",
        "is_active",
        "guide_section",
    )
    search_fields = ("title", "body")
    list_filter = (*GuidanceRowAdmin.list_filter, "photos")
    fieldsets = (
        (None, {"fields": ("title", "body")}),
        REPLY_CONDITIONS_FIELDSET,
        PLACEMENT_FIELDSET,
        (_("History"), {"fields": ("updated_at",)}),
    )

    @admin.display(description=_("message"))
    def excerpt(self, obj):
        return obj.body if len(obj.body) <= 90 else f"{obj.body[:88]}…"


@admin.register(GuidanceWarning)
class GuidanceWarningAdmin(GuidanceRowAdmin):
    list_display = (
        "text",
        "kind",
        "fulfillment",
        "issue",
        "where",
        "order",
        "is_active",
        "guide_section",
    )
    list_filter = ("kind", *GuidanceRowAdmin.list_filter)
    search_fields = ("text",)
    ordering = ("kind", "order", "pk")
    fieldsets = (
        (None, {"fields": ("kind", "text")}),
        CONDITIONS_FIELDSET,
        PLACEMENT_FIELDSET,
        (_("History"), {"fields": ("updated_at",)}),
    )

    # List the kinds in the guide's order (do now before do not), not A-Z: the
    # rank is annotated before ModelAdmin orders by it (`ordering` itself must
    # name fields, for the system checks).
    def get_ordering(self, request):
        return ("kind_rank", "order", "pk")

    def get_queryset(self, request):
        ranks = [When(kind=kind, then=rank) for rank, kind in enumerate(WarningKind.values)]
        queryset = self.model._default_manager.annotate(kind_rank=Case(*ranks, default=99))
        return queryset.order_by(*self.get_ordering(request))


@admin.register(ReviewStep)
class ReviewStepAdmin(GuidanceRowAdmin):
    list_display = ("text", "fulfillment", "issue", "where", "order", "is_active", "guide_section")
    search_fields = ("text",)
    ordering = ("fulfillment_method", "order", "pk")
    fieldsets = (
        (
            None,
            {
                "fields": ("text",),
                "description": _(
                    "Dispatched by Kingston Express orders are inspected centrally; "
                    "seller-managed orders are reviewed by the seller. Set the fulfillment "
                    "method to put a step on the right review path."
                ),
            },
        ),
        CONDITIONS_FIELDSET,
        PLACEMENT_FIELDSET,
        (_("History"), {"fields": ("updated_at",)}),
    )


@admin.register(EvidenceRequirement)
class EvidenceRequirementAdmin(GuidanceRowAdmin):
    list_display = (
        "evidence_kind",
        "need",
        "reason",
        "fulfillment",
        "issue",
        "where",
        "order",
        "is_active",
    )
    list_display_links = ("evidence_kind",)
    list_filter = ("evidence_kind", "need", *GuidanceRowAdmin.list_filter)
    search_fields = ("label", "reason")
    ordering = ("evidence_kind", "order", "pk")
    fieldsets = (
        (None, {"fields": ("evidence_kind", "need", "label", "reason")}),
        CONDITIONS_FIELDSET,
        PLACEMENT_FIELDSET,
        (_("History"), {"fields": ("updated_at",)}),
    )


@admin.register(OutcomeFactorRow)
class OutcomeFactorRowAdmin(GuidanceRowAdmin):
    list_display = ("text", "factor", "fulfillment", "issue", "where", "order", "is_active")
    list_filter = ("factor", *GuidanceRowAdmin.list_filter)
    search_fields = ("text",)
    fieldsets = (
        (None, {"fields": ("factor", "text")}),
        CONDITIONS_FIELDSET,
        PLACEMENT_FIELDSET,
        (_("History"), {"fields": ("updated_at",)}),
    )


@admin.register(ReplyLine)
class ReplyLineAdmin(GuidanceRowAdmin):
    list_display = ("text", "fulfillment", "issue", "where", "photos", "order", "is_active")
    list_filter = (*GuidanceRowAdmin.list_filter, "photos")
    search_fields = ("text",)
    fieldsets = (
        (
            None,
            {
                "fields": ("text",),
                "description": _(
                    "The reply to the customer is: a greeting, the response template's message, "
                    "then every active line that applies (in order), the customer's link where "
                    "they are expected to act, the claim reference and a sign-off."
                ),
            },
        ),
        REPLY_CONDITIONS_FIELDSET,
        PLACEMENT_FIELDSET,
        (_("History"), {"fields": ("updated_at",)}),
    )


class ReplyCheckRuleForm(forms.ModelForm):
    issue_types = forms.MultipleChoiceField(
        label=_("Issue types"),
        choices=IssueType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=ReplyCheckRule._meta.get_field("issue_types").help_text,
    )

    class Meta:
        model = ReplyCheckRule
        fields = (
            "name", "code", "rule_text", "guide_anchor", "suggestion", "patterns", "safe_when",
            "fulfillment_method", "issue_types", "destination", "order", "is_active",
        )  # fmt: skip
        widgets = {
            "patterns": forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
            "safe_when": forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        }


@admin.register(ReplyCheckRule)
class ReplyCheckRuleAdmin(VersionAdmin):
    form = ReplyCheckRuleForm
    list_display = ("name", "code", "fulfillment", "issues", "where", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active", "fulfillment_method", "destination")
    search_fields = ("name", "code", "patterns", "rule_text")
    ordering = ("order", "pk")
    save_on_top = True
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("name", "code", "rule_text", "guide_anchor", "suggestion")}),
        (
            _("What to look for"),
            {
                "fields": ("patterns", "safe_when"),
                "description": _(
                    "Each reply is read sentence by sentence. A pattern that matches right after "
                    "a negation in the same clause (“we will not refund”) does not count. "
                    "make reply-check measures the rules on a labelled set of replies."
                ),
            },
        ),
        (
            _("Applies to"),
            {"fields": ("fulfillment_method", "issue_types", "destination")},
        ),
        (_("Placement"), {"fields": ("order", "is_active")}),
        (_("History"), {"fields": ("updated_at",)}),
    )

    @admin.display(description=_("fulfillment"), ordering="fulfillment_method")
    def fulfillment(self, obj):
        return obj.get_fulfillment_method_display() or _("Any")

    @admin.display(description=_("issues"))
    def issues(self, obj):
        labels = dict(IssueType.choices)
        return ", ".join(str(labels.get(v, v)) for v in obj.issue_types) or _("Any")

    @admin.display(description=_("destination"), ordering="destination")
    def where(self, obj):
        return obj.get_destination_display() or _("Any")
