"""The staff dashboard's figures, the guide's "How this affects seller performance".

Every figure is aggregated in the database, so the page costs the same handful of
queries however many claims there are (see the tests' query counts):

- claims by path and status: one GROUP BY
- share resolved within the deadline, and time to resolution in day ranges: one
  aggregate over decided claims (`decided_at` is set on the first decision); the
  time a claim waited on the customer's answer to a request for evidence is not
  counted (the response date moved on by as much, and `customer_wait` is taken
  off the time to resolution)
- refunds recorded before review: one count over the transition records (below)
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce

from django.db.models import Count, Exists, F, OuterRef, Q

from claims import charts, workflow
from claims.choices import ClaimStatus, FulfillmentMethod, InspectionResult, IssueType, Outcome
from claims.models import Claim, ClaimTransition
from claims.review_trail import WITHOUT_EVIDENCE

__all__ = [
    "DashboardFigures",
    "approvals_without_evidence",
    "dashboard_figures",
    "refund_transitions_before_review",
]

A = workflow.Action
KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED


@dataclass(frozen=True)
class DashboardFigures:
    by_path: list[tuple[str, list[tuple[str, int]]]]
    total: int
    decided: int
    within_deadline: int
    resolution_bins: list[tuple[str, int]]
    refunds_before_review: int
    # The latest approvals made without the evidence their path names (newest first).
    approved_without_evidence: list = field(default_factory=list)
    approved_without_evidence_count: int = 0

    def charts(self) -> dict:
        return {
            "by_path_chart": charts.claims_by_path_chart(self.by_path),
            "deadline_chart": charts.deadline_share_chart(
                within=self.within_deadline, total=self.decided
            ),
            "resolution_chart": charts.time_to_resolution_chart(self.resolution_bins),
            "refunds_tile": charts.refunds_before_review_tile(self.refunds_before_review),
        }


def refund_transitions_before_review():
    """Refunds recorded while the inspection or review was not complete.

    A refund is a RESOLVE with outcome refund (Kingston Express) or an APPROVE_REFUND
    (seller-managed). It came "before review" when it did not start from the completed
    stage (inspected / under review), or when the trail before it lacks the completion:
    a recorded inspection result, or every review checklist item ticked. The workflow
    makes this impossible, so the count is zero; it is still counted from the records,
    so a refund written around the workflow would show here.
    """
    earlier = ClaimTransition.objects.filter(
        claim=OuterRef("claim"), created_at__lte=OuterRef("created_at")
    ).exclude(pk=OuterRef("pk"))
    inspection_recorded = Exists(
        earlier.filter(action=A.RECORD_INSPECTION_RESULT).exclude(
            params__result=InspectionResult.UNCLEAR
        )
    )
    # Each issue type has its own review checklist (claims.paths).
    review_done = reduce(
        operator.or_,
        (
            reduce(
                operator.and_,
                (
                    Exists(earlier.filter(action=A.COMPLETE_CHECK, params__item=item.key))
                    for item in workflow.checklist_for(SM, issue)
                ),
                Q(claim__issue_type=issue),
            )
            for issue in IssueType
        ),
    )
    kx_refund = Q(action=A.RESOLVE, params__outcome=Outcome.REFUND)
    sm_refund = Q(action=A.APPROVE_REFUND)
    return ClaimTransition.objects.filter(
        (kx_refund & (~Q(from_status=ClaimStatus.INSPECTED) | ~inspection_recorded))
        | (sm_refund & (~Q(from_status=ClaimStatus.UNDER_REVIEW) | ~review_done))
    )


APPROVALS_LISTED = 20


def approvals_without_evidence():
    """Seller-managed approvals recorded without the evidence the review path names,
    each with the reviewer's written reason (`claims.review` records both)."""
    return ClaimTransition.objects.filter(
        action__in=[a.value for a in workflow.SELLER_SIDE_ACTIONS],
        params__has_key=WITHOUT_EVIDENCE,
    ).order_by("-created_at", "-id")


def dashboard_figures() -> DashboardFigures:
    counts = {
        (row["fulfillment_method"], row["status"]): row["n"]
        for row in Claim.objects.order_by()
        .values("fulfillment_method", "status")
        .annotate(n=Count("pk"))
    }
    by_path = [
        (
            str(method.label),
            [
                (str(status.label), counts.get((method.value, status.value), 0))
                for status in workflow.statuses_for(method)
            ],
        )
        for method in (KX, SM)
    ]

    labels = [label for label, _count in charts.resolution_time_bins([])]
    edges = charts.DEFAULT_EDGES_DAYS
    decided = Claim.objects.filter(decided_at__isnull=False)
    # Cumulative counts below each edge; the bins are their differences. Time spent
    # waiting on the customer's answer to a request is not the reviewer's: left out.
    below = {
        f"below_{days}": Count(
            "pk",
            filter=Q(decided_at__lt=F("created_at") + F("customer_wait") + timedelta(days=days)),
        )
        for days in edges
    }
    figures = decided.aggregate(
        decided=Count("pk"),
        within=Count("pk", filter=Q(decided_at__lte=F("response_due_at"))),
        **below,
    )
    cumulative = [figures[f"below_{days}"] for days in edges] + [figures["decided"]]
    bins = [cumulative[0]] + [b - a for a, b in zip(cumulative, cumulative[1:], strict=False)]

    return DashboardFigures(
        by_path=by_path,
        total=sum(counts.values()),
        decided=figures["decided"],
        within_deadline=figures["within"],
        resolution_bins=list(zip(labels, bins, strict=True)),
        refunds_before_review=refund_transitions_before_review().count(),
        approved_without_evidence=list(
            approvals_without_evidence().select_related("claim", "actor")[:APPROVALS_LISTED]
        ),
        approved_without_evidence_count=approvals_without_evidence().count(),
    )
