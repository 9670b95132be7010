"""Where editors live: categories, articles (with figures, preview, drafts of
published articles and history), comment moderation, what readers said about
each article and the follow-ups it opened, search synonyms, and the editors'
dashboard."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from helpcentre import dashboard, services, views
from helpcentre.models import (
    Article,
    ArticleImage,
    Category,
    Comment,
    FollowUp,
    SearchSynonym,
    Vote,
)

DRAFT_BUTTON = "_save_draft"
DISCARD_DRAFT_BUTTON = "_discard_draft"

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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A tabular inline shows its labels as column headings, which are not
        # labels to a screen reader (axe: "Form elements must have labels").
        if field is not None and db_field.name in {"image", "alt_text"}:
            field.widget.attrs["aria-label"] = str(db_field.verbose_name).capitalize()
        return field

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
class ArticleAdmin(VersionAdmin):
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

    # --- Drafts of published articles ----------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        # A published article with an edit kept aside opens on the edit.
        if article is not None and request.method == "GET":
            article.has_draft = services.article_draft_apply(article)
        return article

    def save_model(self, request, obj, form, change):
        if DRAFT_BUTTON in request.POST and change and obj.status == Article.Status.PUBLISHED:
            services.article_draft_save(article=obj, data=form.cleaned_data, user=request.user)
            obj.kept_as_draft = True
            return
        super().save_model(request, obj, form, change)
        if not change:
            services.search_words_add(article_ids=[obj.pk])  # a new article's words too
        if change:
            closed = services.article_edited(article=obj)
            if closed:
                self.message_user(
                    request,
                    ngettext(
                        "%d follow-up closed: the article was edited.",
                        "%d follow-ups closed: the article was edited.",
                        closed,
                    )
                    % closed,
                    messages.INFO,
                )

    def save_related(self, request, form, formsets, change):
        if getattr(form.instance, "kept_as_draft", False):
            # Nothing of a kept-aside edit reaches the live article; the change
            # message (built from the formsets afterwards) records no figure change.
            for formset in formsets:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        if getattr(obj, "kept_as_draft", False):
            self.message_user(
                request,
                _(
                    "Draft saved. The live page still shows the published text; "
                    "press Save to publish the draft."
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and DISCARD_DRAFT_BUTTON in request.POST and object_id:
            article = get_object_or_404(Article, pk=object_id)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            services.article_draft_discard(article=article)
            self.message_user(request, _("Draft discarded."), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        extra_context = {
            **(extra_context or {}),
            "draft_button": DRAFT_BUTTON,
            "discard_draft_button": DISCARD_DRAFT_BUTTON,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

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
class FollowUpAdmin(admin.ModelAdmin):
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

    def has_module_permission(self, request):
        return request.user.has_perm("helpcentre.view_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.view_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.change_article")

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


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Words sellers use for the same thing; saved, they apply to the next search."""

    list_display = ["terms"]
    search_fields = ["terms"]

    def has_module_permission(self, request):
        return request.user.has_perm("helpcentre.view_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.view_article")

    def has_add_permission(self, request):
        return request.user.has_perm("helpcentre.change_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.change_article")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.change_article")
