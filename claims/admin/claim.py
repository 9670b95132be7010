"""Admin for claim reviewers: the claims list, the claim page, the dashboard.

The claim page is a reviewer's desk: the status and due date at the top, the
allowed next actions as buttons (from `claims.workflow.allowed_actions`, so a
forbidden step is never offered), the inspection or review checklist, the photos
(through the permission-checking staff view, never a public URL), the guidance the
seller was shown, the timeline, and the answers below, read-only. Every button
POSTs to an admin view that calls `claims.review.claim_apply_action`; a refusal
comes back as the workflow's own sentence.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims import review_trail, workflow
from claims.answers import ClaimAnswers
from claims.choices import ClaimStatus, EvidenceKind
from claims.dashboard import dashboard_figures
from claims.facts import ClaimFacts
from claims.models import Claim, ClaimTransition, Escalation, PersonalDataAccess
from claims.models.evidence_request import ASKED_LABELS
from claims.packet import claim_timeline
from claims.selectors import guidance_for
from claims.services import claim_revoke_customer_link
from claims.status_text import next_step_for_customer

from .personal_data import PersonalDataMixin
from .review_page import (
    EVIDENCE_PERMISSION,
    ActionForm,
    ReviewActionsMixin,
    SignalCheckForm,
    review_buttons,
    review_checklist,
    visible_signals,
)

A = workflow.Action
# The answers that name people, grouped apart on the claim page; every other
# answer (`ClaimAnswers`) is listed above them.
PEOPLE = ("customer_name", "customer_email", "seller_email")
DASHBOARD_PERMISSION = "claims.view_dashboard"


class OverdueFilter(admin.SimpleListFilter):
    title = _("response")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("Overdue")), ("no", _("On time or decided")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.not_overdue()
        return queryset


class PersonalDataFilter(admin.SimpleListFilter):
    title = _("personal data")
    parameter_name = "personal_data"

    def lookups(self, request, model_admin):
        return (
            ("requested", _("Customer asked for erasure")),
            ("hold", _("Legal hold")),
            ("erased", _("Erased")),
        )

    def queryset(self, request, queryset):
        match self.value():
            case "requested":
                return queryset.filter(
                    erasure_requested_at__isnull=False, personal_data_erased_at__isnull=True
                )
            case "hold":
                return queryset.filter(legal_hold=True)
            case "erased":
                return queryset.filter(personal_data_erased_at__isnull=False)
        return queryset


@admin.register(Claim)
class ClaimAdmin(ReviewActionsMixin, PersonalDataMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "order_number",
        "issue",
        "method",
        "international",
        "status_badge",
        "due",
        "photo_count",
        "age",
    )
    list_filter = (
        "status",
        "fulfillment_method",
        "issue_type",
        "destination",
        OverdueFilter,
        PersonalDataFilter,
    )
    search_fields = ("reference", "order_number", "customer_email")
    list_per_page = 50
    actions = ("revoke_customer_links",)
    change_form_template = "admin/claims/claim/review_change_form.html"
    change_list_template = "admin/claims/claim/review_change_list.html"
    fieldsets = (
        (
            _("What the seller answered"),
            {
                "fields": (
                    "reference",
                    *(name for name in ClaimAnswers.field_names() if name not in PEOPLE),
                    "created_at",
                )
            },
        ),
        (_("People"), {"fields": PEOPLE}),
        (
            _("Customer link"),
            {"fields": ("customer_sends_photos", "customer_link_state"), "classes": ("collapse",)},
        ),
    )

    class Media:
        css = {"all": ("css/claim.css", "css/admin-claims.css")}

    def get_readonly_fields(self, request, obj=None):
        # The answers are evidence: nobody edits them here.
        return [f for fs in self.fieldsets for f in fs[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    # --- List columns ---------------------------------------------------------------

    @admin.display(description=_("issue"), ordering="issue_type")
    def issue(self, claim):
        return claim.get_issue_type_display().split(":")[0]

    @admin.display(description=_("fulfillment"), ordering="fulfillment_method")
    def method(self, claim):
        return _("Kingston Express") if claim.is_kingston_express else _("Seller-managed")

    @admin.display(description=_("international"), boolean=True, ordering="destination")
    def international(self, claim):
        return claim.is_international

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, claim):
        return format_html(
            '<span class="hc-status hc-status--{}">{}</span>',
            claim.status,
            claim.get_status_display(),
        )

    @admin.display(description=_("response due"), ordering="response_due_at")
    def due(self, claim):
        if claim.response_due_at is None:
            return "—"
        # Short: the list must fit 1280 px; the claim page has the full date.
        when = timezone.localtime(claim.response_due_at).strftime("%-d %b, %H:%M")
        if claim.is_overdue:
            return format_html(
                '{} <span class="hc-badge hc-badge--overdue">{}</span>', when, _t("Overdue")
            )
        return when

    @admin.display(description=_("photos"), ordering="photo_count")
    def photo_count(self, claim):
        return claim.photo_count

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, claim):
        return timesince(claim.created_at, depth=1)

    @admin.display(description=_("customer link"))
    def customer_link_state(self, claim):
        if claim.customer_link_revoked_at:
            return _("Switched off on %(date)s") % {
                "date": claim.customer_link_revoked_at.strftime("%d %b %Y %H:%M")
            }
        if not claim.customer_link_active:
            return _("Expired")
        return _("Active until %(date)s") % {
            "date": claim.customer_link_expires_at.strftime("%d %b %Y")
        }

    @admin.action(description=_("Switch off the customer link of the selected claims"))
    def revoke_customer_links(self, request, queryset):
        for claim in queryset:
            claim_revoke_customer_link(claim=claim)
        self.message_user(
            request,
            ngettext(
                "%(count)s customer link switched off.",
                "%(count)s customer links switched off.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    # --- Extra pages ----------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="claims_dashboard"),
            path("<int:pk>/act/", wrap(self.action_view), name="claims_claim_act"),
            path("<int:pk>/packet/", wrap(self.packet_view), name="claims_claim_packet"),
            path(
                "<int:pk>/check-signal/",
                wrap(self.check_signal_view),
                name="claims_claim_check_signal",
            ),
            path(
                "<int:pk>/personal-data/",
                wrap(self.personal_data_view),
                name="claims_claim_personal_data",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_view_dashboard": request.user.has_perm(DASHBOARD_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if claim is not None and self.has_view_permission(request, claim):
            extra.update(self.review_context(request, claim))
            extra.update(self.personal_data_context(request, claim))
        if claim is not None:
            extra["title"] = _t("Review claim")
        extra.update(show_save=False, show_save_and_continue=False, show_delete=False)
        return super().change_view(request, object_id, form_url, extra)

    def review_context(self, request, claim: Claim) -> dict:
        state = review_trail.claim_state(claim)
        can_review = request.user.has_perm(review_trail.REVIEW_PERMISSION)
        allowed = workflow.allowed_actions(state) if can_review else ()
        recommended = workflow.recommended_action(state)
        checklist = review_checklist(state, allowed)
        buttons = review_buttons(state, allowed, recommended)
        photos = list(claim.photos.all())
        can_see_evidence = request.user.has_perm(EVIDENCE_PERMISSION)
        signals = visible_signals(claim, photos, can_see_evidence=can_see_evidence)
        approvals_offered = any(A(b["action"]) in workflow.SELLER_SIDE_ACTIONS for b in buttons)
        return {
            "review_path": state.path,
            # Shown beside the approvals: what the path asks for that no photo shows.
            "evidence_missing": state.evidence_missing if approvals_offered else (),
            "claim": claim,
            "state": state,
            "can_review": can_review,
            "can_see_evidence": can_see_evidence,
            "buttons": buttons,
            "checklist": checklist,
            "checklist_title": _t("Inspection checklist")
            if state.method.is_kingston_express
            else _t("Review checklist"),
            "can_escalate": A.ESCALATE in allowed,
            "can_act": bool(allowed),
            "checklist_open": any(item["can_tick"] for item in checklist),
            "checklist_waiting": bool(allowed)
            and not state.checklist_complete
            and state.status in (ClaimStatus.SUBMITTED, ClaimStatus.AWAITING_EVIDENCE),
            "escalation_recommended": recommended == A.ESCALATE,
            "escalation_reasons": Escalation.Reason.choices,
            "photos": photos if can_see_evidence else [],
            "can_request_evidence": A.REQUEST_EVIDENCE in allowed,
            "evidence_kinds": [(kind.value, ASKED_LABELS[kind]) for kind in EvidenceKind],
            "reminder_days": settings.CLAIM_EVIDENCE_REMINDER_DAYS,
            "final_days": settings.CLAIM_EVIDENCE_FINAL_DAYS,
            # Only a claim waiting on the customer can have an open request.
            "open_request": claim.evidence_requests.open().last()
            if claim.status == ClaimStatus.AWAITING_EVIDENCE
            else None,
            "signals": signals,
            "signals_unchecked": sum(1 for signal in signals if signal.checked is None),
            "check_signal_url": reverse("admin:claims_claim_check_signal", args=[claim.pk]),
            "timeline": claim_timeline(claim),
            "guidance": guidance_for(ClaimFacts.from_claim(claim)),
            "order_number": claim.order_number,
            "customer_email": claim.customer_email,
            "issue_label": claim.get_issue_type_display(),
            "customer_next_step": next_step_for_customer(
                claim.fulfillment_method,
                claim.status,
                claim.is_international,
                outcome=claim.outcome or None,
            ),
            "final_rule": workflow.FINAL_RULE,
            "act_url": reverse("admin:claims_claim_act", args=[claim.pk]),
            "packet_url": reverse("admin:claims_claim_packet", args=[claim.pk]),
        }

    def dashboard_view(self, request):
        if not request.user.has_perm(DASHBOARD_PERMISSION):
            raise PermissionDenied
        figures = dashboard_figures()
        context = {
            **self.admin_site.each_context(request),
            "title": _t("How this affects seller performance"),
            "opts": self.opts,
            "figures": figures,
            **figures.charts(),
        }
        return TemplateResponse(request, "admin/claims/dashboard.html", context)


class ClaimTransitionAdmin(admin.ModelAdmin):
    """The audit trail, to read and search. Written only by the review services."""

    list_display = ("created_at", "claim", "action", "from_status", "to_status", "actor")
    list_filter = ("action", "to_status")
    search_fields = ("claim__reference", "claim__order_number")
    list_select_related = ("claim", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EscalationAdmin(ClaimTransitionAdmin):
    list_display = ("created_at", "claim", "reason", "order_number", "issue_type", "raised_by")
    list_filter = ("reason",)
    list_select_related = ("claim", "raised_by")


class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Who opened a claim's photos, downloaded its packet or erased it, and when.

    Reviewers are not given it (the migration's groups): it is for whoever checks
    on them, a superuser by default."""

    list_display = ("created_at", "claim", "action", "user", "detail")
    list_filter = ("action",)
    search_fields = ("claim__reference", "user__username")
    list_select_related = ("claim", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ClaimTransition, ClaimTransitionAdmin)
admin.site.register(PersonalDataAccess, PersonalDataAccessAdmin)
admin.site.register(Escalation, EscalationAdmin)

__all__ = ["ActionForm", "ClaimAdmin", "OverdueFilter", "SignalCheckForm"]
