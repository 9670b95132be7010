from django import template
from django.db import DatabaseError

from helpcentre import services

register = template.Library()


@register.simple_tag
def guide_categories():
    """The cached category list, for pages outside the guide's views (404)."""
    try:
        return services.category_nav()
    except DatabaseError:
        return []
