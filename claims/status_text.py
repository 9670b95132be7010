"""What the customer reads about their claim: the status tag and the next step, in
plain words, for each fulfillment method and status of the state machine
(`claims.workflow`). The seller's page shows the same next step, so both sides
read one story. Pure: no ORM, no request.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from claims.choices import ClaimStatus, FulfillmentMethod, Outcome

__all__ = ["next_step_for_customer", "status_for_customer"]

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
S = ClaimStatus

_INTERNATIONAL = gettext_lazy(
    "This is an international order: claims may take longer, customs handling may affect "
    "the outcome, and some items may not be returned."
)

_CUSTOMER_TEXT: dict[tuple[FulfillmentMethod, ClaimStatus], str] = {
    (KX, S.SUBMITTED): gettext_lazy(
        "Your report has been received. Kingston Express will review it centrally, using "
        "the packing records and an inspection. Once the inspection is complete, the next "
        "steps will be confirmed."
    ),
    (KX, S.AWAITING_EVIDENCE): gettext_lazy(
        "Please send photos of the package, the item and the packing materials through "
        "this page. They help Kingston Express inspect the order."
    ),
    (KX, S.UNDER_INSPECTION): gettext_lazy(
        "Kingston Express is inspecting the order: checking the packing logs, verifying "
        "weight and SKU records, and assessing any damage. Once the inspection is "
        "complete, the next steps will be confirmed."
    ),
    (KX, S.INSPECTED): gettext_lazy(
        "The inspection is complete. The resolution is now being applied per policy, and "
        "you will be told the outcome."
    ),
    (KX, S.RESOLVED): gettext_lazy(
        "Your claim has been resolved per policy following the inspection."
    ),
    (SM, S.SUBMITTED): gettext_lazy(
        "Your report has been received. The seller will review it and may ask you for "
        "photos of the item and packaging."
    ),
    (SM, S.AWAITING_EVIDENCE): gettext_lazy(
        "Please share photos of the item and packaging through this page so the seller "
        "can review and resolve this for you."
    ),
    (SM, S.UNDER_REVIEW): gettext_lazy(
        "The seller is reviewing your claim: checking the photos and confirming what was "
        "missing or damaged against their packing process."
    ),
    (SM, S.APPROVED): gettext_lazy(
        "After review, the seller has approved your claim. They will confirm the details with you."
    ),
    (SM, S.DECLINED): gettext_lazy(
        "After review, the seller could not approve this claim. If you think something "
        "was missed, reply to the seller through your order."
    ),
}

_OUTCOME_TEXT: dict[Outcome, str] = {
    Outcome.REPLACEMENT: gettext_lazy("The outcome is a replacement."),
    Outcome.REFUND: gettext_lazy("The outcome is a refund."),
    Outcome.RETURN: gettext_lazy("The outcome is a return: the seller will tell you how."),
    Outcome.NO_ACTION: gettext_lazy("No further action will be taken."),
}

_CLOSED_TEXT = gettext_lazy(
    "This claim is closed. If something is still wrong, contact the seller through your order."
)
_FALLBACK_TEXT = gettext_lazy(
    "Your claim is being handled. The next steps will be confirmed on this page."
)


# The customer's own names for where the claim stands: the staff's names
# ("Awaiting evidence", "Resolved per policy") are process words.
_CUSTOMER_STATUS: dict[ClaimStatus, str] = {
    S.SUBMITTED: gettext_lazy("Received"),
    S.AWAITING_EVIDENCE: gettext_lazy("Waiting for your photos"),
    S.UNDER_INSPECTION: gettext_lazy("Being inspected"),
    S.INSPECTED: gettext_lazy("Inspected"),
    S.RESOLVED: gettext_lazy("Resolved"),
    S.UNDER_REVIEW: gettext_lazy("Being reviewed"),
    S.APPROVED: gettext_lazy("Approved"),
    S.DECLINED: gettext_lazy("Not approved"),
    S.CLOSED: gettext_lazy("Closed"),
}


def status_for_customer(status: ClaimStatus) -> str:
    """The status tag on the customer's page."""
    return str(_CUSTOMER_STATUS[ClaimStatus(status)])


def next_step_for_customer(
    method: FulfillmentMethod,
    status: ClaimStatus,
    is_international: bool,
    *,
    outcome: Outcome | None = None,
) -> str:
    """Plain words for the customer's status page: where the claim stands, what's next.

    Never promises a quick result; on international orders it says claims may take
    longer (the guide: "Never promise instant resolution for international cases").
    """
    method, status = FulfillmentMethod(method), ClaimStatus(status)
    if status == S.CLOSED:
        return str(_CLOSED_TEXT)
    parts = [str(_CUSTOMER_TEXT.get((method, status), _FALLBACK_TEXT))]
    if outcome and status in (S.RESOLVED, S.APPROVED):
        parts.append(str(_OUTCOME_TEXT[Outcome(outcome)]))
    if is_international:
        parts.append(str(_INTERNATIONAL))
    return " ".join(parts)
