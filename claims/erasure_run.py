"""Everything due, in one run: the `erase_personal_data` command and the daily
task erase every claim the retention rules say is due (finishing an interrupted
run's files first), drop unsent claim forms and stale draft photos, and the
guide's comments and votes past their time. Safe to run again at any time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from claims import retention
from claims.erasure import (
    ErasedClaim,
    claim_erase_personal_data,
    claims_with_retention_facts,
    erase_pending_files,
    retention_facts,
    retention_policy,
)
from claims.retention import Why

__all__ = [
    "ErasureReport",
    "RetentionRun",
    "erase_due",
    "erase_everything_due",
    "forget_unsent_forms",
]


@dataclass
class ErasureReport:
    dry_run: bool
    erased: list[ErasedClaim] = field(default_factory=list)
    due: list[tuple[str, Why]] = field(default_factory=list)
    files_deleted: int = 0
    resumed_files: int = 0
    kept: dict[Why, int] = field(default_factory=dict)

    @property
    def photos(self) -> int:
        return sum(claim.photos for claim in self.erased)


def erase_due(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    after_file: Callable[[str], None] | None = None,
) -> ErasureReport:
    """Erase every claim that is due, finishing an interrupted run's files first."""
    now = now or timezone.now()
    report = ErasureReport(dry_run=dry_run)
    if not dry_run:
        report.resumed_files = erase_pending_files(after_file=after_file)
    # Only settled claims without a hold can be due; the pure rule decides each.
    candidates = (
        claims_with_retention_facts()
        .filter(
            status__in=retention.SETTLED_STATUSES,
            legal_hold=False,
            personal_data_erased_at__isnull=True,
        )
        .only(
            "pk",
            "reference",
            "status",
            "legal_hold",
            "erasure_confirmed_at",
            "personal_data_erased_at",
        )
        .order_by("pk")
    )
    policy = retention_policy()
    # Read first (a few fields per claim), then erase one by one: no cursor stays
    # open across the erasures' commits.
    for claim in list(candidates):
        decision = retention.decide(retention_facts(claim), policy, now)
        if not decision.erase:
            report.kept[decision.why] = report.kept.get(decision.why, 0) + 1
            continue
        if dry_run:
            report.due.append((claim.reference, decision.why))
            continue
        erased = claim_erase_personal_data(claim_id=claim.pk, now=now, delete_files=False)
        if erased is not None:
            report.erased.append(erased)
            report.files_deleted += erase_pending_files(
                claim_reference=erased.reference, after_file=after_file
            )
    return report


@dataclass(frozen=True)
class RetentionRun:
    claims: ErasureReport
    unsent_forms: int
    draft_files: int
    comments: int
    votes: int


def forget_unsent_forms(*, now: datetime) -> int:
    """Drop the answers of claim forms nobody sent, once they are older than
    CLAIM_DRAFT_RETENTION_HOURS; sessions past their expiry go whole.

    A session's expiry is set each time it is written, so its last write was
    SESSION_COOKIE_AGE before its expiry date. Returns how many forms were dropped.
    """
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from claims.drafts import WIZARD_SESSION_KEY

    key = WIZARD_SESSION_KEY
    Session.objects.filter(expire_date__lte=now).delete()
    last_written_before = now - timedelta(hours=settings.CLAIM_DRAFT_RETENTION_HOURS)
    stale = Session.objects.filter(
        expire_date__lt=last_written_before + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    dropped = 0
    for session in stale.iterator():
        data = session.get_decoded()
        if key in data:
            del data[key]
            Session.objects.filter(pk=session.pk).update(session_data=SessionStore().encode(data))
            dropped += 1
    return dropped


def erase_everything_due(
    *, now: datetime | None = None, dry_run: bool = False, after_file=None
) -> RetentionRun:
    """Every retention rule in settings, applied once. Safe to run again at any time."""
    from claims.drafts import draft_purge_stale
    from helpcentre.retention import guide_personal_data_erase

    now = now or timezone.now()
    claims_report = erase_due(now=now, dry_run=dry_run, after_file=after_file)
    if dry_run:
        return RetentionRun(claims_report, 0, 0, 0, 0)
    forms = forget_unsent_forms(now=now)
    drafts = draft_purge_stale(older_than=timedelta(hours=settings.CLAIM_DRAFT_RETENTION_HOURS))
    guide = guide_personal_data_erase(now=now)
    return RetentionRun(claims_report, forms, drafts, guide.comments, guide.votes)
