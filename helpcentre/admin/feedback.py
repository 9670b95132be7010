"""What readers send back: comment moderation, votes, and the follow-ups a
"not helpful" vote opens for the article's owner."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpcentre import services
from helpcentre.models import Comment, FollowUp, Vote

from .permissions import FollowsArticlePermissions


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "excerpt", "article", "status", "created_at", "email"]
    list_filter = ["status", "article"]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body", "article__title"]
    readonly_fields = ["article", "created_at", "ip_hash"]
    actions = ["approve", "mark_spam"]
    date_hierarchy = "created_at"

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return obj.body if len(obj.body) <= 90 else obj.body[:90] + "…"

    @admin.action(
        description=_("Approve the selected comments (show them)"), permissions=["change"]
    )
    def approve(self, request, queryset):
        count = services.comments_approve(comments=queryset)
        self.message_user(
            request,
            ngettext("%d comment approved.", "%d comments approved.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        count = services.comments_mark_spam(comments=queryset)
        self.message_user(
            request,
            ngettext("%d comment marked as spam.", "%d comments marked as spam.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """Readers' answers, mostly to read the reasons given with "No"."""

    list_display = ["article", "helpful", "reason", "created_at"]
    list_filter = ["helpful", "article"]
    list_select_related = ["article"]
    search_fields = ["reason", "article__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FollowUpStatusFilter(admin.SimpleListFilter):
    """Open ones unless asked otherwise: the list is a to-do list."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*FollowUp.Status.choices, ("all", _("All"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or FollowUp.Status.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or FollowUp.Status.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(FollowUp)
class FollowUpAdmin(FollowsArticlePermissions, admin.ModelAdmin):
    """ "Not helpful" with a reason, for the article's owner. Editors reach it
    through their article permissions (the Editors group lists article ones)."""

    list_display = ["reason", "article", "owner", "status", "created_at", "closed_at"]
    list_filter = [FollowUpStatusFilter, "article__owner", "article"]
    list_select_related = ["article", "article__owner"]
    search_fields = ["reason", "article__title"]
    readonly_fields = ["article", "vote", "reason", "status", "created_at", "closed_at"]
    actions = ["dismiss"]
    date_hierarchy = "created_at"

    @admin.display(description=_("owner"), ordering="article__owner")
    def owner(self, obj):
        return obj.article.owner or "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Dismiss the selected follow-ups (no change needed)"))
    def dismiss(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        count = services.follow_ups_dismiss(follow_ups=queryset)
        self.message_user(
            request,
            ngettext("%d follow-up dismissed.", "%d follow-ups dismissed.", count) % count,
            messages.SUCCESS,
        )
