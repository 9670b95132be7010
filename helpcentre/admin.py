"""Where editors live: categories, articles (with figures, preview and history),
comment moderation, and what readers said about each article."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from helpcentre import services, views
from helpcentre.models import Article, ArticleImage, Category, Comment, Vote

# Staff see the product's name, not the framework's.
admin.site.site_header = _("Seller Help Centre admin")
admin.site.site_title = _("Seller Help Centre admin")
admin.site.index_title = _("Guide articles, claims and reviews")


@admin.register(Category)
class CategoryAdmin(VersionAdmin):
    list_display = ["name", "slug", "description", "published_articles", "order", "claim_callout"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        published = Q(articles__status=Article.Status.PUBLISHED)
        return (
            super()
            .get_queryset(request)
            .annotate(published_count=Count("articles", filter=published))
        )

    @admin.display(description=_("published articles"), ordering="published_count")
    def published_articles(self, obj):
        return obj.published_count


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 1
    fields = ["image", "alt_text", "thumbnail", "markdown_to_paste"]
    readonly_fields = ["thumbnail", "markdown_to_paste"]
    verbose_name = _("figure")
    verbose_name_plural = _(
        "figures (upload, save, then paste the Markdown shown into the body where the figure goes)"
    )

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" class="helpcentre-thumb" width="120">',
            obj.image.url,
            obj.alt_text,
        )

    @admin.display(description=_("Markdown to paste"))
    def markdown_to_paste(self, obj):
        return (
            format_html("<code>{}</code>", obj.markdown_snippet)
            if obj.pk
            else _("shown after saving")
        )


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


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = [
        "title",
        "category",
        "status",
        "published_at",
        "updated_at",
        "helpfulness",
        "pending_comments",
        "preview_link",
    ]
    list_filter = ["status", "category", HelpfulnessFilter, "is_key"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    filter_horizontal = ["related"]
    inlines = [ArticleImageInline]
    actions = ["publish", "unpublish"]
    readonly_fields = [
        "preview_link",
        "updated_at",
        "reading_time",
        "helpfulness",
        "table_of_contents",
    ]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "order", "is_key", "preview_link", "updated_at"]},
        ),
        (_("Related articles"), {"fields": ["related"]}),
        (
            _("Readers"),
            {"fields": ["reading_time", "helpfulness", "table_of_contents"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_helpfulness()
            .annotate(
                pending_count=Count("comments", filter=Q(comments__status=Comment.Status.PENDING))
            )
        )

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="helpcentre_article_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request, object_id):
        article = get_object_or_404(Article.objects.select_related("category"), pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return views.article_preview(request, article)

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return _("Save the article to preview it.")
        url = reverse("admin:helpcentre_article_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Preview"))

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


@admin.register(ArticleImage)
class ArticleImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "article", "markdown_to_paste", "uploaded_at"]
    list_select_related = ["article"]
    search_fields = ["alt_text", "article__title"]
    autocomplete_fields = ["article"]
    thumbnail = ArticleImageInline.thumbnail
    markdown_to_paste = ArticleImageInline.markdown_to_paste


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
