"""What the seller answered: the claim's questions, as one list.

The fields of `ClaimAnswers` are the answer fields of `Claim`, with the same
names, in the order the seller is asked. Everything that handles "the answers"
takes its list from here: the wizard builds them from the steps' cleaned data,
`claims.services.claim_submit` creates the claim from them, the admin shows
them, and the evidence packet and the seller's result page list them
(`answer_rows`). Adding a question is the step form's field, a field here, and
the model field with its migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

__all__ = ["AnswerRow", "ClaimAnswers", "answer_rows"]


@dataclass(frozen=True, kw_only=True)
class ClaimAnswers:
    """What the seller answered, step by step. The defaults are the stored value
    of a question the claim's path does not ask (severity for a missing item,
    stock and return on Kingston Express orders)."""

    issue_type: str
    fulfillment_method: str
    destination: str
    order_number: str
    item: str
    description: str
    quantity_affected: int
    severity: str = ""
    stock_available: bool | None = None
    return_feasible: bool | None = None
    customer_name: str
    customer_email: str
    seller_email: str = ""

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The answer fields of a claim, in the order they are asked."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_cleaned_data(cls, data: Mapping[str, object]) -> ClaimAnswers:
        """The answers from the steps' cleaned data (other keys are ignored). A
        question the step did not ask keeps its default; a required one that is
        missing is a bug in the steps and raises TypeError."""
        return cls(**{name: data[name] for name in cls.field_names() if name in data})

    def as_model_fields(self) -> dict[str, object]:
        """Keyword arguments for `Claim`: the names are the model's own."""
        return {name: getattr(self, name) for name in self.field_names()}


@dataclass(frozen=True)
class AnswerRow:
    """One answer as a person reads it: the claim field's verbose name and its value."""

    name: str
    label: str
    value: object


def _display(field, value) -> object:
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def answer_rows(claim) -> list[AnswerRow]:
    """A claim's answers in words, in the order asked: a choice by its label, a
    yes/no as Yes or No. An optional question the claim's path did not ask (or
    the seller left empty) is left out, as on the check page."""
    rows = []
    for name in ClaimAnswers.field_names():
        field = claim._meta.get_field(name)
        value = getattr(claim, name)
        if value in (None, "") and (field.blank or field.null):
            continue
        rows.append(AnswerRow(name, capfirst(field.verbose_name), _display(field, value)))
    return rows
