"""What sellers search, read and ask, counted per day with no personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .guide import Article


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
