"""Articles: the list editors work from, the edit form with its preview, and
the editors' dashboard."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from helpcentre import dashboard, services, views
from helpcentre.models import Article, Comment, FollowUp

from .article_drafts import ArticleDraftMixin
from .figures import ArticleImageInline


class HelpfulnessFilter(admin.SimpleListFilter):
    title = _("how helpful")
    parameter_name = "helpful"

    def lookups(self, request, model_admin):
        return [
            ("low", _("Needs attention (under 60% helpful)")),
            ("high", _("Helpful (60% or more)")),
            ("none", _("No votes yet")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "low":
            return queryset.filter(helpful_ratio__lt=0.6)
        if value == "high":
            return queryset.filter(helpful_ratio__gte=0.6)
        if value == "none":
            return queryset.filter(helpful_yes_count=0, helpful_no_count=0)
        return queryset


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Due for review")), ("none", _("No review date"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        if self.value() == "none":
            return queryset.filter(review_by__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(ArticleDraftMixin, VersionAdmin):
    change_form_template = "admin/helpcentre/article/change_form.html"
    list_display = [
        "title",
        "category",
        "status",
        "owner",
        "review_by",
        "updated_at",
        "helpfulness",
        "pending_comments",
        "open_follow_ups",
        "preview_link",
    ]
    list_filter = ["status", ReviewDueFilter, "category", HelpfulnessFilter, "owner", "is_key"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    # Not filter_horizontal: its filter box and lists had two serious axe findings.
    autocomplete_fields = ["related"]
    inlines = [ArticleImageInline]
    actions = ["publish", "unpublish"]
    readonly_fields = [
        "preview_link",
        "updated_at",
        "reading_time",
        "helpfulness",
        "follow_ups",
        "table_of_contents",
    ]
    save_on_top = True

    class Media:
        js = ["js/admin-related-label.js"]

    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "change_note",
                    "order",
                    "is_key",
                    "preview_link",
                    "updated_at",
                ]
            },
        ),
        (_("Keeping it true"), {"fields": ["owner", "review_by", "reviewed_at"]}),
        (_("Related articles"), {"fields": ["related"]}),
        (
            _("Readers"),
            {"fields": ["reading_time", "helpfulness", "follow_ups", "table_of_contents"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_helpfulness()
            .annotate(
                pending_count=Count(
                    "comments", filter=Q(comments__status=Comment.Status.PENDING), distinct=True
                ),
                open_count=Count(
                    "follow_ups",
                    filter=Q(follow_ups__status=FollowUp.Status.OPEN),
                    distinct=True,
                ),
            )
            .select_related("owner")
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="helpcentre_dashboard"),
            path("preview/", wrap(self.preview_view), name="helpcentre_article_preview_new"),
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="helpcentre_article_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        """GET: the saved article. POST (the edit form's "Preview changes"): the
        form's unsaved edit, validated like a save and never stored."""
        article = None
        if object_id is not None:
            article = get_object_or_404(Article.objects.select_related("category"), pk=object_id)
        if not (
            self.has_view_permission(request, article)
            if request.method == "GET"
            else (
                self.has_change_permission(request, article)
                if article
                else self.has_add_permission(request)
            )
        ):
            raise PermissionDenied
        if request.method == "GET":
            if article is None:
                raise PermissionDenied
            return views.article_preview(request, article)
        form = self.get_form(request, article)(request.POST, request.FILES, instance=article)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(e)}"
                for name, e in form.errors.items()
            )
            return HttpResponseBadRequest(
                _("The preview needs a valid form. Fix these and preview again: %(errors)s")
                % {"errors": errors},
                content_type="text/plain; charset=utf-8",
            )
        unsaved = form.save(commit=False)
        unsaved.render_body()
        unsaved.updated_at = unsaved.updated_at or timezone.now()
        related = form.cleaned_data.get("related")
        return views.article_preview(
            request, unsaved, related=Article.objects.filter(pk__in=[a.pk for a in related or []])
        )

    # --- The editors' dashboard ------------------------------------------------------

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = dashboard.PeriodForm(request.GET or None)
        if request.GET and not form.is_valid():
            status = 400
            period = dashboard.DEFAULT_DAYS
        else:
            status = 200
            period = form.cleaned_data["days"] if request.GET else dashboard.DEFAULT_DAYS
        figures = dashboard.editors_figures(days=period)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Editors' dashboard: what sellers search, miss and ask"),
            "form": form,
            "days": period,
            "figures": figures,
            **figures.charts(),
        }
        return TemplateResponse(request, "admin/helpcentre/dashboard.html", context, status=status)

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return _("Save the article to preview it.")
        url = reverse("admin:helpcentre_article_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Preview"))

    @admin.display(description=_("open follow-ups from readers"))
    def follow_ups(self, obj):
        """What readers said was missing; saving the article closes them."""
        if not obj.pk:
            return "—"
        reasons = list(obj.follow_ups.open().values_list("reason", flat=True)[:10])
        if not reasons:
            return _("none")
        items = format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons))
        return format_html(
            '<ul class="hc-reasons">{}</ul><p class="help">{}</p>',
            items,
            _("Saving the article closes them; or dismiss them in Follow-ups."),
        )

    @admin.display(description=_("open follow-ups"), ordering="open_count")
    def open_follow_ups(self, obj):
        count = getattr(obj, "open_count", 0)
        if not count:
            return 0
        url = reverse("admin:helpcentre_followup_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}&amp;status=open">{}</a>', url, obj.pk, count
        )

    @admin.display(description=_("helpful"), ordering="helpful_ratio")
    def helpfulness(self, obj):
        total = obj.helpful_yes_count + obj.helpful_no_count
        if not total:
            return _("no votes yet")
        percent = round(100 * obj.helpful_yes_count / total)
        return _("%(yes)s of %(total)s (%(percent)s%%)") % {
            "yes": obj.helpful_yes_count,
            "total": total,
            "percent": percent,
        }

    @admin.display(description=_("pending comments"), ordering="pending_count")
    def pending_comments(self, obj):
        count = getattr(obj, "pending_count", 0)
        if not count:
            return 0
        url = reverse("admin:helpcentre_comment_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}&amp;status__exact=pending">{}</a>',
            url,
            obj.pk,
            count,
        )

    @admin.display(description=_("reading time"))
    def reading_time(self, obj):
        return _("%(n)s min read") % {"n": obj.reading_minutes} if obj.pk else "—"

    @admin.display(description=_("table of contents"))
    def table_of_contents(self, obj):
        if not obj.toc:
            return "—"
        items = format_html_join(
            "", "<li>{} <code>#{}</code></li>", ((text, anchor) for _lvl, anchor, text in obj.toc)
        )
        return format_html("<ul>{}</ul>", items)

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.article_publish(articles=queryset)
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unpublish the selected articles (back to draft)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = services.article_unpublish(articles=queryset)
        self.message_user(
            request,
            ngettext("%d article unpublished.", "%d articles unpublished.", count) % count,
            messages.SUCCESS,
        )
