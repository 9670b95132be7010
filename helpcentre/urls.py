from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from helpcentre import views
from helpcentre.login_guard import guard_login
from helpcentre.sitemaps import SITEMAPS

guide_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("categories/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("articles/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("articles/<slug:slug>/claim/", views.claim_from_article, name="claim_from_article"),
    path("articles/<slug:slug>/vote/", views.ArticleVoteView.as_view(), name="vote"),
    path("articles/<slug:slug>/comments/", views.ArticleCommentView.as_view(), name="comment"),
]

urlpatterns = [
    # Before the admin's own URLs: the same address, guarded against guessing.
    path("admin/login/", guard_login(admin.site.login), name="admin_login"),
    path("admin/", admin.site.urls),
    path("claim/", include("claims.urls")),
    path("", include((guide_patterns, "guide"))),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

# A 503 "try again" page when the database, storage or disk failed (helpcentre/errors.py).
handler500 = "helpcentre.errors.server_error"
