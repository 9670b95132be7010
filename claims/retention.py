"""Whether a claim's personal data is due for erasure. Pure: no ORM, no settings.

A claim holds a customer's name, email address, notes and photos of their home
delivery, and a seller's email address. They are kept for a stated period after
the claim is settled, then erased (`claims/erasure.py` does it); the claim's
reference, path, issue type, status history, decision and dates stay, so the
dashboard's figures and the audit trail still add up.

The rules, first match wins:

1. Already erased: nothing to do.
2. Under a legal hold (a reviewer's switch, recorded in the timeline): keep.
   A hold outranks everything, the customer's own request included: data a
   court or a regulator asked us to keep must not go.
3. Open (not yet decided, resolved or closed): keep. An open dispute needs it.
4. Escalated to Kingston Express Support and not closed: keep. The workflow
   allows an escalation after the decision (a dispute about the decision), and
   Support may still ask for the photos until someone closes the claim.
5. The customer asked for early erasure and a reviewer confirmed it: erase now.
6. Settled for longer than the retention period (counted from the claim's last
   review step: its decision, a later escalation, or its closing): erase.
7. Otherwise keep, until `erase_on`.

`decide()` is the specification; `tests/claims/test_retention.py` is its table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from claims.choices import ClaimStatus

__all__ = [
    "ERASED_MARK",
    "SETTLED_STATUSES",
    "RetentionDecision",
    "RetentionFacts",
    "RetentionPolicy",
    "Why",
    "decide",
]

# What an erased text field says instead. One marker everywhere, so a reader (or
# a query) can tell an erased field from an empty one.
ERASED_MARK = "[erased]"

# A claim in one of these has its decision (or was closed without one: withdrawn).
SETTLED_STATUSES = frozenset(
    {ClaimStatus.RESOLVED, ClaimStatus.APPROVED, ClaimStatus.DECLINED, ClaimStatus.CLOSED}
)


class Why(StrEnum):
    """The rule that decided, for the command's report and the timeline."""

    ALREADY_ERASED = "already_erased"
    LEGAL_HOLD = "legal_hold"
    OPEN = "open"
    ESCALATED = "escalated"
    CUSTOMER_REQUEST = "customer_request"
    RETENTION_ENDED = "retention_ended"
    WITHIN_RETENTION = "within_retention"


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long a settled claim's personal data is kept (settings.CLAIM_RETENTION_DAYS)."""

    claim_days: int

    def __post_init__(self) -> None:
        # Zero would erase a claim the moment it is decided, before anyone could
        # dispute it: a settings typo must not do that.
        if self.claim_days < 1:
            raise ValueError("A claim's personal data must be kept at least one day.")


@dataclass(frozen=True, slots=True)
class RetentionFacts:
    """What the rules look at, read from a claim row and its records."""

    status: ClaimStatus
    # The last review step (decision, escalation, close); None if it has none.
    settled_at: datetime | None
    escalated: bool = False
    legal_hold: bool = False
    erasure_confirmed: bool = False
    erased: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ClaimStatus(self.status))


@dataclass(frozen=True, slots=True)
class RetentionDecision:
    erase: bool
    why: Why
    # When the data becomes due, for a claim kept only until its period ends.
    erase_on: datetime | None = None


def decide(facts: RetentionFacts, policy: RetentionPolicy, now: datetime) -> RetentionDecision:
    """Erase this claim's personal data now, or keep it (and why)."""
    if facts.erased:
        return RetentionDecision(False, Why.ALREADY_ERASED)
    if facts.legal_hold:
        return RetentionDecision(False, Why.LEGAL_HOLD)
    if facts.status not in SETTLED_STATUSES:
        return RetentionDecision(False, Why.OPEN)
    if facts.escalated and facts.status != ClaimStatus.CLOSED:
        return RetentionDecision(False, Why.ESCALATED)
    if facts.erasure_confirmed:
        return RetentionDecision(True, Why.CUSTOMER_REQUEST)
    if facts.settled_at is None:
        # A settled claim always has a step in its trail; without one there is
        # no date to count from, and guessing one could erase too early.
        return RetentionDecision(False, Why.WITHIN_RETENTION)
    erase_on = facts.settled_at + timedelta(days=policy.claim_days)
    if now >= erase_on:
        return RetentionDecision(True, Why.RETENTION_ENDED, erase_on)
    return RetentionDecision(False, Why.WITHIN_RETENTION, erase_on)
