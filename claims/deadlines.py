"""When a claim's response is due, and whether it is overdue. Pure: no ORM, no settings.

Decision: deadlines count **business days** (Monday to Friday). The guide lists
"ignoring timelines" among the mistakes that lead to losses, and reviewers do not work
weekends, so a claim reported on Friday evening should not be overdue on Monday
morning. Public holidays are not counted out (they differ per country; a holiday
calendar would be a setting of its own).

- The due moment is the same wall-clock time, that many business days later, in the
  timezone of `submitted_at`. Pass a local time (`django.utils.timezone.localtime()`)
  so "weekend" means the reviewers' weekend; a UTC time judges weekends in UTC.
- A claim submitted on a Saturday or Sunday starts its clock at 00:00 on the Monday
  after, so it gets the same number of whole working days as any other claim.
- International claims use `international_days` (the guide: claims may take longer).

The admin calls it with the project settings::

    due = response_due(
        timezone.localtime(claim.submitted_at),
        is_international=claim.is_international,
        days=settings.CLAIM_RESPONSE_DAYS,
        international_days=settings.CLAIM_RESPONSE_DAYS_INTERNATIONAL,
    )
    is_overdue(due, timezone.now(), claim.status)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .choices import ClaimStatus

__all__ = ["DECIDED_STATUSES", "is_overdue", "response_due"]

# Statuses in which the claim has had its answer: never overdue.
DECIDED_STATUSES: frozenset[ClaimStatus] = frozenset(
    {ClaimStatus.RESOLVED, ClaimStatus.APPROVED, ClaimStatus.DECLINED, ClaimStatus.CLOSED}
)

_SATURDAY = 5


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got a naive datetime)")


def _is_weekend(moment: datetime) -> bool:
    return moment.weekday() >= _SATURDAY


def response_due(
    submitted_at: datetime, *, is_international: bool, days: int, international_days: int
) -> datetime:
    """The moment the claim must have its response: `days` business days after submission.

    Raises ValueError for a naive datetime or a negative number of days.
    """
    _require_aware(submitted_at, "submitted_at")
    count = international_days if is_international else days
    if count < 0:
        raise ValueError("the number of days cannot be negative")

    due = submitted_at
    if _is_weekend(due):
        while _is_weekend(due):
            due += timedelta(days=1)
        due = due.replace(hour=0, minute=0, second=0, microsecond=0)
    remaining = count
    while remaining:
        # Aware arithmetic in Python is wall-clock arithmetic: with a zoneinfo zone the
        # due time stays at the same local hour across a DST change.
        due += timedelta(days=1)
        if not _is_weekend(due):
            remaining -= 1
    return due


def is_overdue(due: datetime, now: datetime, status: ClaimStatus | str) -> bool:
    """True when the response is late: past `due` and not yet decided.

    Resolved, approved, declined and closed claims are never overdue: they have had
    their answer. Exactly at `due` is still on time.
    """
    _require_aware(due, "due")
    _require_aware(now, "now")
    if ClaimStatus(status) in DECIDED_STATUSES:
        return False
    return now > due
