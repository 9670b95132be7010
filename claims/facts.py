"""What a claim says: the answers that decide its guidance, as one frozen value.

`ClaimFacts` is what `claims.rules.decide` and the guidance rows' conditions
(`claims.guidance_rules`) read; `ClaimFacts.from_claim` is the one way from a
stored claim to it. No ORM: a claim row is read through its attributes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from claims.choices import DamageSeverity, FulfillmentMethod, IssueType

__all__ = ["ClaimFacts"]


class _ClaimLike(Protocol):
    """What `ClaimFacts.from_claim` reads: a `Claim` row has it, so does a stand-in."""

    issue_type: str
    fulfillment_method: str
    is_international: bool
    severity: str
    stock_available: bool | None
    return_feasible: bool | None


@dataclass(frozen=True)
class ClaimFacts:
    """The answers that decide the guidance. `severity` only matters for
    damaged items; `stock_available` and `return_feasible` are asked on
    seller-managed orders (None: not asked or not known)."""

    issue_type: IssueType
    fulfillment_method: FulfillmentMethod
    is_international: bool
    severity: DamageSeverity | None = None
    stock_available: bool | None = None
    return_feasible: bool | None = None
    # Whether the claim already has evidence photos (None: not known, as
    # while the form is filled in). Only the reply's rows ask.
    photos_received: bool | None = None

    def __post_init__(self) -> None:
        # Callers may pass the stored strings ("damaged_item"): turn them into
        # the enums, so an unknown value fails here rather than matching nothing.
        object.__setattr__(self, "issue_type", IssueType(self.issue_type))
        object.__setattr__(self, "fulfillment_method", FulfillmentMethod(self.fulfillment_method))
        if self.severity is not None:
            object.__setattr__(self, "severity", DamageSeverity(self.severity))

    @classmethod
    def from_claim(cls, claim: _ClaimLike, *, photos_received: bool | None = None) -> ClaimFacts:
        """The facts of a stored claim (or anything with its answer attributes).
        Reads attributes only: whether photos arrived is the caller's query."""
        return cls(
            issue_type=claim.issue_type,
            fulfillment_method=claim.fulfillment_method,
            is_international=claim.is_international,
            severity=claim.severity or None,
            stock_available=claim.stock_available,
            return_feasible=claim.return_feasible,
            photos_received=photos_received,
        )
