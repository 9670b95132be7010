"""The one address a page is known by, for search engines and links sent out."""

from django.conf import settings


def canonical_url(path: str) -> str:
    """Absolute URL from settings.SITE_BASE_URL, never from the request's Host."""
    return f"{settings.SITE_BASE_URL}{path}"
