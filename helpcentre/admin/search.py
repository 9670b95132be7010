"""Search synonyms editors keep."""

from django.contrib import admin

from helpcentre.models import SearchSynonym

from .permissions import FollowsArticlePermissions


@admin.register(SearchSynonym)
class SearchSynonymAdmin(FollowsArticlePermissions, admin.ModelAdmin):
    """Words sellers use for the same thing; saved, they apply to the next search."""

    list_display = ["terms"]
    search_fields = ["terms"]

    def has_add_permission(self, request):
        return self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)
