"""Search: synonyms and the words suggestions come from."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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


SYNONYMS_KEY = "helpcentre:search-synonyms:v1"
SYNONYMS_TTL = 60 * 60


def search_synonyms() -> list[tuple[str, ...]]:
    """The editors' synonym groups, cached until one changes (the signals call
    `services.search_synonyms_invalidate`)."""
    groups = cache.get(SYNONYMS_KEY)
    if groups is None:
        groups = [s.as_group() for s in SearchSynonym.objects.all()]
        cache.set(SYNONYMS_KEY, groups, SYNONYMS_TTL)
    return groups


class SearchWord(models.Model):
    """A word of a published article: what "Did you mean" suggests (PostgreSQL, pg_trgm)."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
