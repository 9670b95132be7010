"""Search: synonyms and the words suggestions come from."""

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


class SearchWord(models.Model):
    """A word of a published article: what "Did you mean" suggests (PostgreSQL, pg_trgm)."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
