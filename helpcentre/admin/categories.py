"""Categories, with how many published articles each holds."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from helpcentre.models import Article, Category


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
