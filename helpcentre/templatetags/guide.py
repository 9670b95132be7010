from django import template
from django.db import DatabaseError

from helpcentre.category_nav import category_nav

register = template.Library()


@register.simple_tag
def guide_categories():
    """The cached category list, for pages outside the guide's views (404)."""
    try:
        return category_nav()
    except DatabaseError:
        return []
