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

    @property
    def is_kingston_express(self) -> bool:
        """The one question the paths split on: Kingston Express inspects
        centrally; anything else is the seller's own review."""
        return self is FulfillmentMethod.KINGSTON_EXPRESS


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


# --- Guidance ---------------------------------------------------------------
# The vocabulary of the guidance rows admins edit (`claims/models/guidance.py`)
# and of the pure module that picks them (`claims/rules.py`).


class WarningKind(models.TextChoices):
    """Which of the guide's lists a line belongs to."""

    DO_NOW = "do_now", _("✔ What to do now")
    DO_NOT = "do_not", _("❌ What not to do")
    COMMON_MISTAKE = "common_mistake", _("❌ Common seller mistake")
    INTERNATIONAL_CAUTION = "international_caution", _("International caution")
    CONTACT_SUPPORT = "contact_support", _("Reason to contact Kingston Express Support")
    FINAL_RULE = "final_rule", _("Final rule")
    HANDLED_WELL = "handled_well", _("✔ Handled correctly (seller performance)")
    HANDLED_POORLY = "handled_poorly", _("❌ Handled poorly (seller performance)")
    NOTE = "note", _("📌 Note shown beside its guide section")


class PhotosCondition(models.TextChoices):
    """Whether a reply row is for claims that already have evidence photos."""

    RECEIVED = "received", _("Photos already received")
    NOT_YET = "not_yet", _("No photos yet")


class EvidenceNeed(models.TextChoices):
    REQUIRED = "required", _("Required")
    ENCOURAGED = "encouraged", _("Encouraged")


class OutcomeFactor(models.TextChoices):
    """The guide's "How replacements vs refunds are decided" lists, as facts
    the claim answers can show."""

    DAMAGED = "damaged", _("Item is damaged (points to replacement)")
    WRONG_ITEM = "wrong_item", _("Wrong item was sent (points to replacement)")
    STOCK_AVAILABLE = "stock_available", _("Inventory is available (points to replacement)")
    OUT_OF_STOCK = "out_of_stock", _("Item is out of stock (points to refund)")
    SEVERE_DAMAGE = "severe_damage", _("Damage is severe (points to refund)")
    RETURN_NOT_FEASIBLE = "return_not_feasible", _("Return is not feasible (points to refund)")

    @property
    def outcome(self) -> "Outcome":
        if self in (OutcomeFactor.DAMAGED, OutcomeFactor.WRONG_ITEM, OutcomeFactor.STOCK_AVAILABLE):
            return Outcome.REPLACEMENT
        return Outcome.REFUND


class GuideSection(models.TextChoices):
    """Anchors of the guide article's sections (Django's slugify of each
    heading), so every piece of guidance can link to where the guide explains it."""

    IDENTIFY_ISSUE = (
        "step-1-identify-the-issue-type-dont-mix-these-up",
        _("Step 1: Identify the issue type"),
    )
    MISSING_ITEM = "missing-item", _("Missing item")
    DAMAGED_ITEM = "damaged-item", _("Damaged item")
    FULFILLMENT_METHOD = (
        "step-2-confirm-the-fulfillment-method-critical",
        _("Step 2: Confirm the fulfillment method"),
    )
    DISPATCHED_BY_KINGSTON_EXPRESS = (
        "dispatched-by-kingston-express",
        _("Dispatched by Kingston Express"),
    )
    SELLER_MANAGED_ORDER = "seller-managed-order", _("Seller-managed order")
    IF_KINGSTON_EXPRESS = (
        "if-the-order-was-dispatched-by-kingston-express",
        _("If the order was dispatched by Kingston Express"),
    )
    DO_IMMEDIATELY = "what-sellers-should-do-immediately", _("What sellers should do immediately")
    SHOULD_NOT_DO = "what-sellers-should-not-do", _("What sellers should NOT do")
    DISPATCHMENT_REVIEWS = (
        "how-dispatchment-reviews-these-issues",
        _("How dispatchment reviews these issues"),
    )
    IF_SELLER_MANAGED = "if-the-order-was-seller-managed", _("If the order was seller-managed")
    SELLER_RESPONSIBILITIES = "seller-responsibilities", _("Seller responsibilities")
    EVIDENCE = (
        "what-evidence-helps-resolve-these-reports",
        _("What evidence helps resolve these reports"),
    )
    REPLACEMENTS_VS_REFUNDS = (
        "how-replacements-vs-refunds-are-decided",
        _("How replacements vs refunds are decided"),
    )
    REPLACEMENT_COMMON = "replacement-is-common-when", _("Replacement is common when")
    REFUND_LIKELY = "refund-is-more-likely-when", _("Refund is more likely when")
    INTERNATIONAL = "international-orders-extra-caution", _("International orders (extra caution)")
    RESPOND = (
        "how-to-respond-to-the-customer-safe-example",
        _("How to respond to the customer (safe example)"),
    )
    RESPOND_DISPATCHMENT = "dispatchment-order", _("Response: dispatchment order")
    RESPOND_SELLER_MANAGED = "seller-managed-order-2", _("Response: seller-managed order")
    COMMON_MISTAKES = "common-seller-mistakes-to-avoid", _("Common seller mistakes to avoid")
    PERFORMANCE = "how-this-affects-seller-performance", _("How this affects seller performance")
    CONTACT_SUPPORT = "when-to-contact-support", _("When to contact support")
    FINAL_RULE = "final-rule-memorize-this", _("Final rule (memorize this)")
