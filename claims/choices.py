"""The claim's vocabulary, in the guide's words. One name for one idea.

These enums are shared by the models, the pure decision modules
(`claims/rules.py`, `claims/workflow.py`) and the forms.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueType(models.TextChoices):
    """Step 1 of the guide: identify the issue type (don't mix these up)."""

    MISSING_ITEM = "missing_item", _("Missing item: the item was not in the package")
    PARTIAL_ORDER = "partial_order", _("Partial order: some items are missing")
    DAMAGED_ITEM = "damaged_item", _("Damaged item: broken, cracked or unusable")
    WRONG_ITEM = "wrong_item", _("Wrong item received")

    @property
    def is_damage(self) -> bool:
        return self is IssueType.DAMAGED_ITEM

    @property
    def is_missing(self) -> bool:
        return self in (IssueType.MISSING_ITEM, IssueType.PARTIAL_ORDER)


class FulfillmentMethod(models.TextChoices):
    """Step 2 of the guide: confirm the fulfillment method (critical)."""

    KINGSTON_EXPRESS = "kingston_express", _("Dispatched by Kingston Express")
    SELLER_MANAGED = "seller_managed", _("Seller-managed order")


class Destination(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    INTERNATIONAL = "international", _("International")


class DamageSeverity(models.TextChoices):
    MINOR = "minor", _("Minor: cosmetic, the item still works")
    MAJOR = "major", _("Major: the item is partly unusable")
    SEVERE = "severe", _("Severe: broken, cracked or completely unusable")


class EvidenceKind(models.TextChoices):
    """What evidence helps resolve these reports (the guide's list)."""

    PACKAGE = "package", _("The package (outer box and label)")
    ITEM = "item", _("The item")
    PACKING_MATERIALS = "packing_materials", _("The packing materials")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    """Where a claim stands. Which moves are allowed is `claims/workflow.py`."""

    SUBMITTED = "submitted", _("Submitted")
    AWAITING_EVIDENCE = "awaiting_evidence", _("Awaiting evidence")
    UNDER_INSPECTION = "under_inspection", _("Under inspection")
    INSPECTED = "inspected", _("Inspected")
    RESOLVED = "resolved", _("Resolved per policy")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class InspectionResult(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    UNCLEAR = "unclear", _("Unclear")


class Outcome(models.TextChoices):
    """Replacement vs refund (and return, on seller-managed orders)."""

    REPLACEMENT = "replacement", _("Replacement")
    REFUND = "refund", _("Refund")
    RETURN = "return", _("Return")
    NO_ACTION = "no_action", _("No action")
