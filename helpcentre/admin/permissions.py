"""Admin pages that editors reach through their article permissions."""


class FollowsArticlePermissions:
    """Seen by whoever may view articles, changed by whoever may change them: the
    Editors group lists only article permissions."""

    def has_module_permission(self, request):
        return request.user.has_perm("helpcentre.view_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.view_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("helpcentre.change_article")
