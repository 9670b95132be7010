"""The review path's words on pages that show a claim (`claims.paths`)."""

from django import template

from claims.paths import what_happens_next as _what_happens_next

register = template.Library()


@register.simple_tag
def what_happens_next(claim) -> tuple[str, ...]:
    """The seller's "What happens next" for this claim's path and status."""
    return _what_happens_next(claim.fulfillment_method, claim.issue_type, claim.status)
