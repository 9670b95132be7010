"""Where editors live: categories, articles (with figures, preview, drafts of
published articles and history), comment moderation, what readers said about
each article and the follow-ups it opened, search synonyms, and the editors'
dashboard. Each module registers its own pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import articles, categories, feedback, figures, search  # noqa: F401 (registers)

# Staff see the product's name, not the framework's.
admin.site.site_header = _("Seller Help Centre admin")
admin.site.site_title = _("Seller Help Centre admin")
admin.site.index_title = _("Guide articles, claims and reviews")
