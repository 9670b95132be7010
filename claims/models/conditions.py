"""What every row admins edit to steer a claim's pages shares: the cases it
applies to, the guide section that explains it, and dropping the cached rules
whenever one changes. Guidance rows and the reply check's rules build on it."""

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from claims.choices import Destination, FulfillmentMethod, GuideSection
from claims.guidance_cache import invalidate_guidance_cache

__all__ = ["CaseConditions"]


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class CaseConditions(models.Model):
    """A row that applies to some cases only: an empty condition matches every
    case. Each kind of row adds its own `order` and `is_active`, whose help says
    what they do on that row's page."""

    fulfillment_method = models.CharField(
        _("fulfillment method"),
        max_length=32,
        choices=FulfillmentMethod,
        blank=True,
        help_text=_(
            "Only for orders fulfilled this way. Leave empty for both Dispatched by "
            "Kingston Express and seller-managed orders."
        ),
    )
    destination = models.CharField(
        _("destination"),
        max_length=16,
        choices=Destination,
        blank=True,
        help_text=_("Only for domestic or only for international orders. Leave empty for both."),
    )
    guide_anchor = models.CharField(
        _("guide section"),
        max_length=80,
        choices=GuideSection,
        blank=True,
        help_text=_(
            "The section of the guide article that explains this row; the result page links to it."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


# Any saved, deleted or reverted row must show on the next page, so the cached
# rules are dropped whatever wrote the change (admin form, list edit, bulk
# delete, django-reversion). A receiver for an abstract model never fires, hence
# the check on every model's signal.
@receiver([post_save, post_delete])
def _conditions_changed(sender, **kwargs):
    if isinstance(sender, type) and issubclass(sender, CaseConditions):
        invalidate_guidance_cache()
