"""The admin-edited guidance rows as plain data, and which of them apply to a claim.

`claims.selectors` builds these frozen rows from the guidance models;
`claims.rules.decide` reads them. No ORM, no request, no settings.

How rows are chosen:
- a row applies when each of its conditions (fulfillment method, issue type,
  international, photos received) is empty ("any") or equals the claim's answer;
- lists keep every applying row, by `order` (`applying`);
- where one row is shown, the most specific applying row wins, then the
  lowest `order` (`best`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from claims.choices import EvidenceKind, FulfillmentMethod, IssueType, OutcomeFactor, WarningKind
from claims.facts import ClaimFacts

__all__ = [
    "ANY",
    "Conditions",
    "EvidenceRequirementRule",
    "GuidanceRules",
    "OutcomeFactorRule",
    "ReplyLineRule",
    "ResponseTemplateRule",
    "ReviewStepRule",
    "WarningRule",
    "applying",
    "best",
]


@dataclass(frozen=True)
class Conditions:
    """Which claims a row applies to; None means any."""

    fulfillment_method: FulfillmentMethod | None = None
    issue_type: IssueType | None = None
    international: bool | None = None
    photos_received: bool | None = None

    def matches(self, facts: ClaimFacts) -> bool:
        return (
            (self.fulfillment_method is None or self.fulfillment_method == facts.fulfillment_method)
            and (self.issue_type is None or self.issue_type == facts.issue_type)
            and (self.international is None or self.international == facts.is_international)
            and (self.photos_received is None or self.photos_received == facts.photos_received)
        )

    @property
    def specificity(self) -> int:
        """How many conditions are set: a row written for the exact case beats
        a general one."""
        return sum(
            value is not None
            for value in (
                self.fulfillment_method,
                self.issue_type,
                self.international,
                self.photos_received,
            )
        )


ANY = Conditions()


@dataclass(frozen=True)
class ResponseTemplateRule:
    title: str
    body: str
    conditions: Conditions = ANY
    order: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class WarningRule:
    kind: WarningKind
    text: str
    conditions: Conditions = ANY
    order: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class ReviewStepRule:
    text: str
    conditions: Conditions = ANY
    order: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class EvidenceRequirementRule:
    kind: EvidenceKind
    required: bool
    reason: str
    label: str = ""
    conditions: Conditions = ANY
    order: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class OutcomeFactorRule:
    factor: OutcomeFactor
    text: str
    conditions: Conditions = ANY
    order: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class ReplyLineRule:
    """A line of the reply to the customer written for a case (what to
    photograph for this issue type, photos already received, the
    international expectation), placed after the guide's template sentence."""

    text: str
    conditions: Conditions = ANY
    order: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class GuidanceRules:
    """Every active guidance row, whatever case it is for."""

    response_templates: tuple[ResponseTemplateRule, ...] = ()
    warnings: tuple[WarningRule, ...] = ()
    review_steps: tuple[ReviewStepRule, ...] = ()
    evidence_requirements: tuple[EvidenceRequirementRule, ...] = ()
    outcome_factors: tuple[OutcomeFactorRule, ...] = ()
    reply_lines: tuple[ReplyLineRule, ...] = ()


class _Row(Protocol):
    @property
    def conditions(self) -> Conditions: ...

    @property
    def order(self) -> int: ...


def applying[RowT: _Row](rows: Iterable[RowT], facts: ClaimFacts) -> list[RowT]:
    """The rows for this claim, in list order (stable for equal orders)."""
    return sorted((row for row in rows if row.conditions.matches(facts)), key=lambda r: r.order)


def best[RowT: _Row](rows: Sequence[RowT], facts: ClaimFacts) -> RowT | None:
    """The one row to show: the most specific applying row, then the lowest order."""
    rows_here = applying(rows, facts)
    if not rows_here:
        return None
    return min(rows_here, key=lambda row: (-row.conditions.specificity, row.order))
