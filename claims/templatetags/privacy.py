"""The retention period in words people use, for any page that states it."""

from django import template

from claims.erasure import retention_months as _retention_months

register = template.Library()


@register.simple_tag
def retention_months() -> int:
    return _retention_months()
