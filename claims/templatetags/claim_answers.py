"""A claim's answers on the pages that show it (`claims.answers.answer_rows`)."""

from django import template

from claims.answers import AnswerRow
from claims.answers import answer_rows as _answer_rows

register = template.Library()


@register.simple_tag
def answer_rows(claim) -> list[AnswerRow]:
    """Each answer of the claim as a label and a value, in the order asked."""
    return _answer_rows(claim)
