"""Admin for claims and their evidence.

A basic reviewer's view: everything the seller answered, the photos as
thumbnails (served through the permission-checking staff view), the customer's
notes, and the customer link's state. Photos arrive only through the claim
services, so they are read-only here.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, CustomerNote, EvidencePhoto
from claims.services import claim_revoke_customer_link


class EvidencePhotoInline(admin.TabularInline):
    model = EvidencePhoto
    extra = 0
    can_delete = False
    fields = ("preview", "kind", "added_by", "dimensions", "original_format", "created_at")
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, photo):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">'
            '<img src="{}" alt="{}" width="120" height="120"></a>',
            reverse("claims:staff_photo", args=[photo.public_id, "full"]),
            reverse("claims:staff_photo", args=[photo.public_id, "thumb"]),
            photo.get_kind_display(),
        )

    @admin.display(description=_("size"))
    def dimensions(self, photo):
        return f"{photo.width} × {photo.height}"


class CustomerNoteInline(admin.TabularInline):
    model = CustomerNote
    extra = 0
    can_delete = False
    fields = ("text", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "order_number",
        "issue_type",
        "fulfillment_method",
        "destination",
        "status",
        "photo_count",
        "created_at",
    )
    list_filter = ("status", "fulfillment_method", "issue_type", "destination", "created_at")
    search_fields = ("reference", "order_number", "item", "customer_email", "customer_name")
    date_hierarchy = "created_at"
    inlines = (EvidencePhotoInline, CustomerNoteInline)
    actions = ("revoke_customer_links",)
    readonly_fields = (
        "reference",
        "created_at",
        "updated_at",
        "customer_link_state",
        "customer_sends_photos",
    )
    fieldsets = (
        (None, {"fields": ("reference", "status", "created_at", "updated_at")}),
        (
            _("What happened"),
            {
                "fields": (
                    "issue_type",
                    "fulfillment_method",
                    "destination",
                    "order_number",
                    "item",
                    "description",
                    "quantity_affected",
                    "severity",
                    "stock_available",
                    "return_feasible",
                )
            },
        ),
        (
            _("People"),
            {"fields": ("customer_name", "customer_email", "seller_email")},
        ),
        (
            _("Customer link"),
            {
                "fields": (
                    "customer_sends_photos",
                    "customer_link_state",
                    "customer_link_expires_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    @admin.display(description=_("photos"), ordering="photo_count")
    def photo_count(self, claim):
        return claim.photo_count

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
            _("%(count)s customer link(s) switched off.") % {"count": queryset.count()},
            messages.SUCCESS,
        )
