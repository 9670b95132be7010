"""sitemap.xml: the home page, the claim form's first question, every category
and every published article.

Addresses come from settings.SITE_BASE_URL, like the pages' canonical links.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from helpcentre.models import Article, Category


class _SiteBaseUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_BASE_URL).netloc


class PageSitemap(_SiteBaseUrlSitemap):
    """The home page and the claim form's first question."""

    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return [("guide:home", {}), ("claims:step", {"step": "what-happened"})]

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


class CategorySitemap(_SiteBaseUrlSitemap):
    priority = 0.6

    def items(self):
        return Category.objects.only("slug").order_by("order", "name")


class ArticleSitemap(_SiteBaseUrlSitemap):
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("order", "title")

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {"pages": PageSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}
