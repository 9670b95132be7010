"""The seller guide: categories, articles, their figures, comments and votes."""

import contextlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from helpcentre import markdown

FIGURE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
FIGURE_MAX_BYTES = 5 * 1024 * 1024
FIGURE_MAX_PIXELS = 25_000_000


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
        from helpcentre.search import search_articles
        from helpcentre.services import search_synonyms

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


def validate_figure(value) -> None:
    """A real JPEG, PNG, WebP or GIF image within the size and pixel limits."""
    size = getattr(value, "size", None)
    if size is not None and size > FIGURE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB."),
            params={
                "size": round(size / 1024 / 1024, 1),
                "limit": FIGURE_MAX_BYTES // 1024 // 1024,
            },
            code="too_big",
        )
    handle = getattr(value, "file", value)
    try:
        handle.seek(0)
        with Image.open(handle) as image:
            fmt = image.format
            width, height = image.size
            if fmt not in FIGURE_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="format")
            if width * height > FIGURE_MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(w)s × %(h)s pixels; make it smaller than 25 megapixels."),
                    params={"w": width, "h": height},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a readable image. Upload a JPEG, PNG, WebP or GIF."),
            code="not_an_image",
        ) from None
    finally:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            handle.seek(0)


class ArticleImage(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("article")
    )
    image = models.ImageField(
        _("image"),
        upload_to="articles/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_figure],
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_(
            "What the image shows, for people who cannot see it, e.g. "
            "'Damaged box with a crushed corner'."
        ),
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._rerender_articles(self.pk)

    def delete(self, *args, **kwargs):
        pk = self.pk
        result = super().delete(*args, **kwargs)
        self._rerender_articles(pk)
        return result

    @staticmethod
    def _rerender_articles(pk):
        """Articles store their HTML: re-render the ones that show this figure."""
        for article in Article.objects.filter(body__contains=f"image:{pk}"):
            article.save(update_fields=["body"])

    def clean(self):
        if not (self.alt_text or "").strip():
            raise ValidationError(
                {"alt_text": _("Describe the image for people who cannot see it.")}
            )

    @property
    def markdown_snippet(self) -> str:
        return f"![{self.alt_text}](image:{self.pk})" if self.pk else ""

    def as_figure(self) -> markdown.Figure:
        return markdown.Figure(
            url=self.image.url, alt=self.alt_text, width=self.width, height=self.height
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), help_text=_("Never published."))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.name} on {self.article}"


class Vote(models.Model):
    """One visitor's answer to "Was this article helpful?"."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="votes", verbose_name=_("article")
    )
    visitor_id = models.CharField(max_length=64, editable=False)
    helpful = models.BooleanField(_("helpful"))
    reason = models.TextField(_("what was missing"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_id"], name="one_vote_per_visitor"),
        ]

    def __str__(self):
        return f"{'Yes' if self.helpful else 'No'} on {self.article}"


# --- Search: synonyms and the words suggestions come from ------------------------


class SearchSynonym(models.Model):
    """Words and phrases sellers use for the same thing ("parcel, package")."""

    terms = models.CharField(
        _("words that mean the same"),
        max_length=300,
        unique=True,
        help_text=_(
            "Comma-separated, e.g. 'parcel, package' or 'courier, carrier, Kingston Express'. "
            "A search for any of them finds articles with any of them."
        ),
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return self.terms

    def as_group(self) -> tuple[str, ...]:
        from helpcentre.search import synonym_group

        return synonym_group(self.terms)

    def clean(self):
        if len(self.as_group()) < 2:
            raise ValidationError(
                {"terms": _("Enter at least two words or phrases, separated by commas.")}
            )


class SearchWord(models.Model):
    """A word of a published article: what "Did you mean" suggests (PostgreSQL, pg_trgm)."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


# --- What sellers search, read and ask (counted per day, no personal data) --------


class SearchQueryDay(models.Model):
    """One normalised query on one day: how often it was searched, found
    nothing, and was followed by a click on a result."""

    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    no_results = models.PositiveIntegerField(_("searches with no results"), default=0)
    clicks = models.PositiveIntegerField(_("clicks on a result"), default=0)

    class Meta:
        verbose_name = _("search per day")
        verbose_name_plural = _("searches per day")
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="one_row_per_query_and_day")
        ]

    def __str__(self):
        return f"{self.day}: {self.query}"


class ArticleDay(models.Model):
    """One article on one day: page views and claims started from it."""

    day = models.DateField(_("day"))
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="days", verbose_name=_("article")
    )
    views = models.PositiveIntegerField(_("views"), default=0)
    claims_started = models.PositiveIntegerField(_("claims started"), default=0)

    class Meta:
        verbose_name = _("article per day")
        verbose_name_plural = _("articles per day")
        constraints = [
            models.UniqueConstraint(fields=["day", "article"], name="one_row_per_article_and_day")
        ]

    def __str__(self):
        return f"{self.day}: {self.article_id}"


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUp.Status.OPEN)


class FollowUp(models.Model):
    """A reader said "not helpful" and why: for the article's owner to act on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EDITED = "edited", _("Closed: article edited")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("article")
    )
    vote = models.OneToOneField(
        Vote, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("vote")
    )
    reason = models.TextField(_("what the reader said was missing"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.article}: {self.reason[:60]}"


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
