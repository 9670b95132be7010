"""The guide itself: categories, articles and drafts of published articles."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpcentre import markdown

from .figures import ArticleImage


class Category(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The category's address: /categories/<slug>/."),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One line shown under the category on the home page."),
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Lower comes first."))
    claim_callout = models.BooleanField(
        _("link to the claim form"),
        default=False,
        help_text=_(
            "Show the 'Report a missing or damaged item' call-out near the top of this "
            "category's articles."
        ),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guide:category", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, with a publish date not in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def search(self, query: str):
        """Published articles matching `query`, best first (see helpcentre.search)."""
        from helpcentre.models.search import search_synonyms
        from helpcentre.search import search_articles

        return search_articles(self.published(), query, synonyms=search_synonyms())

    def due_for_review(self, today=None):
        """Articles whose review-by date has come (today included)."""
        return self.filter(review_by__lte=today or timezone.localdate())

    def with_helpfulness(self):
        """Annotate `helpful_ratio` (0..1, null when nobody voted) for sorting and filters."""
        total = models.F("helpful_yes_count") + models.F("helpful_no_count")
        return self.annotate(
            helpful_votes=total,
            helpful_ratio=models.Case(
                models.When(Q(helpful_yes_count=0) & Q(helpful_no_count=0), then=None),
                default=models.ExpressionWrapper(
                    models.F("helpful_yes_count") * 1.0 / total, output_field=models.FloatField()
                ),
                output_field=models.FloatField(),
            ),
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The article's address: /articles/<slug>/. Changing it breaks existing links."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: shown in lists, search results and to search engines."),
    )
    body = models.TextField(
        _("body (Markdown)"),
        help_text=_(
            "Markdown: ## Heading, ### Subheading, - list item, **bold**, [link](https://…). "
            "Lists whose items all start with ✔ or ❌ are shown as checklists; a paragraph "
            "starting with 📌 📦 📎 ⚠️ 👉 is shown as a call-out. To place an uploaded figure, "
            "write ![description](image:ID) with the ID shown in the figures below; its stored "
            "alt text is used. Raw HTML is shown as text, and images from other sites are dropped."
        ),
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    search_text = models.TextField(editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("Set when the article is published; a future date keeps it hidden until then."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Changes when readers' activity changes the page (votes, approved
    # comments): part of the page's ETag, not its "Updated" date.
    activity_at = models.DateTimeField(editable=False, default=timezone.now)
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Lower comes first."))
    is_key = models.BooleanField(
        _("key article"), default=False, help_text=_("Listed on the home page under Key articles.")
    )
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("related articles")
    )
    helpful_yes_count = models.PositiveIntegerField(editable=False, default=0)
    helpful_no_count = models.PositiveIntegerField(editable=False, default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
        verbose_name=_("owner"),
        help_text=_(
            "The editor who keeps this article true: gets its follow-ups and its review reminders."
        ),
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("When the owner should check the article is still right."),
    )
    reviewed_at = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("Shown to readers as 'Last reviewed'. Set it when you have checked the text."),
    )
    change_note = models.CharField(
        _("change note"),
        max_length=200,
        blank=True,
        help_text=_(
            "What changed, in one short sentence, shown to readers as 'Updated <date>: <note>'. "
            "Leave empty for small fixes."
        ),
    )
    change_note_at = models.DateField(_("change note date"), null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The home page's key articles and a category's page of articles
            # are read in these orders: without them PostgreSQL sorted every
            # article on each request (20-40 ms at 10,000; docs/benchmarks.md).
            models.Index(fields=["-is_key", "order", "title"], name="article_home_order"),
            models.Index(fields=["category", "order", "title"], name="article_category_order"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_body()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {
                *update_fields, "body_html", "toc", "search_text", "reading_minutes"
            }  # fmt: skip
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guide:article", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def helpful_total(self) -> int:
        return self.helpful_yes_count + self.helpful_no_count

    def clean(self):
        # Rendering time grows with the body; at this length even the worst
        # Markdown renders well within a second (helpcentre/markdown.py).
        length = len(self.body or "")
        if length > markdown.BODY_MAX_CHARS:
            message = _(
                "An article can be at most %(limit)s characters long; this one has "
                "%(length)s. Split it into two articles."
            )
            params = {"limit": f"{markdown.BODY_MAX_CHARS:,}", "length": f"{length:,}"}
            raise ValidationError(
                {"body": ValidationError(message, code="max_length", params=params)}
            )

    def render_body(self) -> None:
        """Render the Markdown into the stored HTML, TOC, search text and reading time."""
        figures = {}
        ids = {int(pk) for pk in re.findall(r"\(\s*image:(\d+)", self.body or "")}
        if ids:
            figures = {
                image.pk: image.as_figure() for image in ArticleImage.objects.filter(pk__in=ids)
            }
        rendered = markdown.render(self.body, resolve_image=figures.get)
        self.body_html = rendered.html
        self.toc = [list(entry) for entry in rendered.toc]
        self.search_text = rendered.text
        self.reading_minutes = rendered.reading_minutes


class ArticleDraft(models.Model):
    """An edit of a published article that is not live yet: the public page
    keeps the published text until the draft is published."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="draft", verbose_name=_("article")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("body (Markdown)"))
    change_note = models.CharField(_("change note"), max_length=200, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    FIELDS = ("title", "summary", "body", "change_note")

    class Meta:
        verbose_name = _("draft of a published article")
        verbose_name_plural = _("drafts of published articles")

    def __str__(self):
        return f"Draft of {self.article}"
