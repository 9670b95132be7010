"""Figures: the images articles show, and the check every upload passes."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from helpcentre import markdown

FIGURE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
FIGURE_MAX_BYTES = 5 * 1024 * 1024
FIGURE_MAX_PIXELS = 25_000_000


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
        # By name: the article's module reads its figures, so this one does not import it.
        "helpcentre.Article",
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("article"),
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

    @classmethod
    def _rerender_articles(cls, pk):
        """Articles store their HTML: re-render the ones that show this figure."""
        articles = cls._meta.get_field("article").related_model.objects
        for article in articles.filter(body__contains=f"image:{pk}"):
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
