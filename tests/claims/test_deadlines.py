"""Response deadlines in business days, and when a claim is overdue."""

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from claims.choices import ClaimStatus
from claims.deadlines import DECIDED_STATUSES, is_overdue, response_due

LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


def at(day, hour=10, minute=0, tz=UTC, month=11):
    """A moment in late November 2026: the 23rd is a Monday, the 28th a Saturday."""
    if day > 30:
        month, day = 12, day - 30
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("submitted_at", "days", "expected"),
    [
        (at(23), 3, at(26)),  # Monday -> Thursday
        (at(25), 3, at(30)),  # Wednesday -> Monday, over the weekend
        (at(26, 15, 30), 3, at(31, 15, 30)),  # Thursday -> Tuesday 1 Dec
        (at(27, 18), 1, at(30, 18)),  # Friday evening -> Monday evening
        (at(27, 18), 3, at(32, 18)),  # Friday -> Wednesday 2 Dec
        (at(28, 10), 3, at(33, 0)),  # Saturday: clock starts Monday 00:00 -> Thursday 00:00
        (at(29, 23, 59), 1, at(31, 0)),  # Sunday night -> Tuesday 00:00
        (at(23), 0, at(23)),  # no days: due at once
        (at(28, 10), 0, at(30, 0)),  # no days on a weekend: the start of Monday
        (at(23), 5, at(30)),  # a working week is seven calendar days
    ],
    ids=lambda v: v.strftime("%a-%d-%H%M") if isinstance(v, datetime) else str(v),
)
def test_response_due_counts_business_days(submitted_at, days, expected):
    due = response_due(submitted_at, is_international=False, days=days, international_days=99)
    assert due == expected
    assert due.weekday() < 5


@pytest.mark.parametrize(
    ("is_international", "expected"),
    [(False, at(26)), (True, at(37))],  # 10 business days: Monday 7 December
)
def test_international_claims_get_their_own_longer_deadline(is_international, expected):
    due = response_due(at(23), is_international=is_international, days=3, international_days=10)
    assert due == expected


def test_weekends_are_judged_in_the_timezone_given():
    # Saturday 02:00 in Tokyo is still Friday 17:00 in UTC.
    local = datetime(2026, 11, 28, 2, 0, tzinfo=TOKYO)
    utc = local.astimezone(UTC)
    assert utc.weekday() == 4

    assert response_due(local, is_international=False, days=1, international_days=1) == (
        datetime(2026, 12, 1, 0, 0, tzinfo=TOKYO)
    )
    assert response_due(utc, is_international=False, days=1, international_days=1) == (
        datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    )


def test_due_time_keeps_local_hour_across_a_clock_change():
    # The UK leaves summer time on Sunday 25 October 2026.
    friday = datetime(2026, 10, 23, 9, 0, tzinfo=LONDON)
    due = response_due(friday, is_international=False, days=1, international_days=1)

    assert (due.year, due.month, due.day, due.hour) == (2026, 10, 26, 9)
    assert due.utcoffset() == timedelta(0)
    assert friday.utcoffset() == timedelta(hours=1)
    # Same-zone subtraction is wall-clock in Python; compare real elapsed time in UTC.
    assert due.astimezone(UTC) - friday.astimezone(UTC) == timedelta(days=3, hours=1)


def test_due_keeps_the_timezone_it_was_given():
    submitted = datetime(2026, 11, 23, 16, 0, tzinfo=NEW_YORK)
    due = response_due(submitted, is_international=False, days=2, international_days=5)
    assert due.tzinfo is NEW_YORK
    assert due == datetime(2026, 11, 25, 16, 0, tzinfo=NEW_YORK)


class _NoOffset(tzinfo):
    """A tzinfo that does not know its offset: as good as naive."""

    def utcoffset(self, dt):
        return None


NAIVE = datetime(2026, 11, 23, 10)
NO_OFFSET = datetime(2026, 11, 23, 10, tzinfo=_NoOffset())


@pytest.mark.parametrize("moment", [NAIVE, NO_OFFSET], ids=["naive", "no-offset"])
def test_naive_datetimes_are_refused_by_name(moment):
    with pytest.raises(ValueError, match="^submitted_at must be timezone-aware"):
        response_due(moment, is_international=False, days=3, international_days=10)
    with pytest.raises(ValueError, match="^due must be timezone-aware"):
        is_overdue(moment, at(24), ClaimStatus.SUBMITTED)
    with pytest.raises(ValueError, match="^now must be timezone-aware"):
        is_overdue(at(24), moment, ClaimStatus.SUBMITTED)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        response_due(at(23), is_international=True, days=3, international_days=-1)


OPEN_STATUSES = [s for s in ClaimStatus if s not in DECIDED_STATUSES]


def test_decided_statuses_are_the_resolved_and_closed_ones():
    assert {
        ClaimStatus.RESOLVED,
        ClaimStatus.APPROVED,
        ClaimStatus.DECLINED,
        ClaimStatus.CLOSED,
    } == DECIDED_STATUSES


@pytest.mark.parametrize("status", list(ClaimStatus))
@pytest.mark.parametrize(
    ("now", "late"),
    [
        (at(30, 9, 59), False),
        (at(30, 10, 0), False),  # exactly on the deadline is on time
        (at(30, 10, 1), True),
        (at(35), True),
        (datetime(2026, 11, 30, 19, 1, tzinfo=TOKYO), True),  # 10:01 UTC, seen from Tokyo
        (datetime(2026, 11, 30, 4, 59, tzinfo=NEW_YORK), False),  # 09:59 UTC
    ],
    ids=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
)
def test_is_overdue(status, now, late):
    due = at(30, 10, 0)
    assert is_overdue(due, now, status) == (late and status not in DECIDED_STATUSES)


@pytest.mark.parametrize("status", [s.value for s in ClaimStatus])
def test_is_overdue_accepts_the_stored_status_string(status):
    assert is_overdue(at(23), at(30), status) == (ClaimStatus(status) in OPEN_STATUSES)
