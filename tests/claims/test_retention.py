"""claims.retention.decide: the retention rules as a table (the specification)."""

from datetime import UTC, datetime, timedelta

import pytest

from claims.choices import ClaimStatus as S
from claims.retention import RetentionFacts, RetentionPolicy, Why, decide

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
POLICY = RetentionPolicy(claim_days=548)
LONG_AGO = NOW - timedelta(days=549)
RECENTLY = NOW - timedelta(days=10)
EXACTLY = NOW - timedelta(days=548)


def facts(status=S.RESOLVED, settled_at=LONG_AGO, **flags):
    return RetentionFacts(status=status, settled_at=settled_at, **flags)


@pytest.mark.parametrize(
    ("case", "given", "erase", "why"),
    [
        ("decided long ago", facts(), True, Why.RETENTION_ENDED),
        ("approved long ago", facts(S.APPROVED), True, Why.RETENTION_ENDED),
        ("declined long ago", facts(S.DECLINED), True, Why.RETENTION_ENDED),
        ("closed (withdrawn) long ago", facts(S.CLOSED), True, Why.RETENTION_ENDED),
        ("the period ends exactly now", facts(settled_at=EXACTLY), True, Why.RETENTION_ENDED),
        ("decided recently", facts(settled_at=RECENTLY), False, Why.WITHIN_RETENTION),
        (
            "one second short",
            facts(settled_at=EXACTLY + timedelta(seconds=1)),
            False,
            Why.WITHIN_RETENTION,
        ),
        ("settled but no step recorded", facts(settled_at=None), False, Why.WITHIN_RETENTION),
        *[
            (f"open: {status}", facts(status), False, Why.OPEN)
            for status in (
                S.SUBMITTED,
                S.AWAITING_EVIDENCE,
                S.UNDER_INSPECTION,
                S.INSPECTED,
                S.UNDER_REVIEW,
            )
        ],
        ("open, however old", facts(S.SUBMITTED, LONG_AGO - timedelta(days=3000)), False, Why.OPEN),
        ("escalated after the decision, not closed", facts(escalated=True), False, Why.ESCALATED),
        (
            "escalated, then closed long ago",
            facts(S.CLOSED, escalated=True),
            True,
            Why.RETENTION_ENDED,
        ),
        ("legal hold on a due claim", facts(legal_hold=True), False, Why.LEGAL_HOLD),
        (
            "legal hold outranks the customer",
            facts(legal_hold=True, erasure_confirmed=True),
            False,
            Why.LEGAL_HOLD,
        ),
        (
            "customer asked, reviewer confirmed",
            facts(settled_at=RECENTLY, erasure_confirmed=True),
            True,
            Why.CUSTOMER_REQUEST,
        ),
        (
            "confirmed but the claim reopened",
            facts(S.UNDER_REVIEW, erasure_confirmed=True),
            False,
            Why.OPEN,
        ),
        (
            "confirmed but escalated and open",
            facts(escalated=True, erasure_confirmed=True),
            False,
            Why.ESCALATED,
        ),
        ("already erased", facts(erased=True), False, Why.ALREADY_ERASED),
        (
            "already erased, on hold since",
            facts(erased=True, legal_hold=True),
            False,
            Why.ALREADY_ERASED,
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_retention_decision(case, given, erase, why):
    decision = decide(given, POLICY, NOW)

    assert (decision.erase, decision.why) == (erase, why), case


def test_a_claim_within_its_period_says_when_it_becomes_due():
    decision = decide(facts(settled_at=RECENTLY), POLICY, NOW)

    assert decision.erase_on == RECENTLY + timedelta(days=548)


@pytest.mark.parametrize("days", [0, -1])
def test_a_period_under_a_day_is_refused(days):
    with pytest.raises(ValueError):
        RetentionPolicy(claim_days=days)


def test_facts_accept_the_database_string_for_the_status():
    assert facts("resolved").status is S.RESOLVED
