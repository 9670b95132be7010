"""Seed the guidance rows from the guide article "What to Do If a Customer
Reports a Missing or Damaged Item", in its own words.

The rows are data from here on: admins edit them in Django admin. This
migration only writes the starting set (and removes exactly that set when
reversed).
"""

from django.db import migrations

KX = "kingston_express"
SELLER = "seller_managed"
DAMAGED = "damaged_item"
WRONG = "wrong_item"
INTERNATIONAL = "international"

# (kind, text, guide anchor, fulfillment method, issue type, destination)
WARNINGS = [
    # What Sellers Should Do Immediately (dispatchment orders)
    ("do_now", "Acknowledge the customer calmly", "what-sellers-should-do-immediately", KX, "", ""),
    ("do_now", "Ask the customer to submit the issue through the order system", "what-sellers-should-do-immediately", KX, "", ""),
    ("do_now", "Wait for inspection and review", "what-sellers-should-do-immediately", KX, "", ""),
    # What Sellers Should NOT Do (dispatchment orders)
    ("do_not", "Do not refund immediately", "what-sellers-should-not-do", KX, "", ""),
    ("do_not", "Do not ship replacements yourself", "what-sellers-should-not-do", KX, "", ""),
    ("do_not", "Do not admit fault", "what-sellers-should-not-do", KX, "", ""),
    ("do_not", "Do not ask customers to return items to you", "what-sellers-should-not-do", KX, "", ""),
    # Common Seller Mistakes to Avoid
    ("common_mistake", "Refunding before review", "common-seller-mistakes-to-avoid", "", "", ""),
    ("common_mistake", "Shipping replacements immediately", "common-seller-mistakes-to-avoid", "", "", ""),
    # Only dispatchment customers must not be asked to return items to the seller.
    ("common_mistake", "Asking dispatchment customers to return items to you", "common-seller-mistakes-to-avoid", KX, "", ""),
    ("common_mistake", "Accusing customers", "common-seller-mistakes-to-avoid", "", "", ""),
    ("common_mistake", "Ignoring timelines", "common-seller-mistakes-to-avoid", "", "", ""),
    # International Orders (Extra Caution)
    ("international_caution", "Claims may take longer", "international-orders-extra-caution", "", "", INTERNATIONAL),
    ("international_caution", "Customs handling may affect outcomes", "international-orders-extra-caution", "", "", INTERNATIONAL),
    ("international_caution", "Some items may not be returned", "international-orders-extra-caution", "", "", INTERNATIONAL),
    ("international_caution", "Never promise instant resolution for international cases.", "international-orders-extra-caution", "", "", INTERNATIONAL),
    # When to Contact Support (only dispatchment orders have an inspection)
    ("contact_support", "A dispatchment inspection result is unclear", "when-to-contact-support", KX, "", ""),
    ("contact_support", "A claim appears incorrect", "when-to-contact-support", "", "", ""),
    ("contact_support", "A customer is escalating aggressively", "when-to-contact-support", "", "", ""),
    # Final Rule (Memorize This)
    ("final_rule", "No inspection, no refund. No review, no replacement.", "final-rule-memorize-this", "", "", ""),
    # How This Affects Seller Performance
    ("handled_well", "Minimal rating impact", "how-this-affects-seller-performance", "", "", ""),
    ("handled_well", "Disputes resolved faster", "how-this-affects-seller-performance", "", "", ""),
    ("handled_well", "Seller protected", "how-this-affects-seller-performance", "", "", ""),
    ("handled_poorly", "Refund losses", "how-this-affects-seller-performance", "", "", ""),
    ("handled_poorly", "Disputes", "how-this-affects-seller-performance", "", "", ""),
    ("handled_poorly", "Rating damage", "how-this-affects-seller-performance", "", "", ""),
    # The notes beside the guide's sections
    ("note", "Dispatchment orders are reviewed centrally using packing records and inspections.", "if-the-order-was-dispatched-by-kingston-express", KX, "", ""),
    ("note", "This protects sellers from false or unclear claims.", "how-dispatchment-reviews-these-issues", KX, "", ""),
    ("note", "Documentation protects you.", "seller-responsibilities", SELLER, "", ""),
    ("note", "Evidence speeds resolution.", "what-evidence-helps-resolve-these-reports", "", "", ""),
    ("note", "Polite, neutral, and process-focused.", "how-to-respond-to-the-customer-safe-example", "", "", ""),
    ("note", "These mistakes lead to losses.", "common-seller-mistakes-to-avoid", "", "", ""),
    ("note", "Process matters more than outcome.", "how-this-affects-seller-performance", "", "", ""),
    ("note", "Include order ID and issue type.", "when-to-contact-support", "", "", ""),
    ("note", "Sellers who follow the process — and trust Dispatched by Kingston Express — resolve missing and damaged item claims fairly, safely, and without hurting their business.", "final-rule-memorize-this", "", "", ""),
]

# (text, guide anchor, fulfillment method)
REVIEW_STEPS = [
    # How Dispatchment Reviews These Issues
    ("Packing logs are checked", "how-dispatchment-reviews-these-issues", KX),
    ("Weight and SKU records are verified", "how-dispatchment-reviews-these-issues", KX),
    ("Damage is assessed during return inspection", "how-dispatchment-reviews-these-issues", KX),
    ("Resolution is applied per policy", "how-dispatchment-reviews-these-issues", KX),
    # Seller Responsibilities: on seller-managed orders the seller's own review
    ("Ask for clear photos (item + packaging)", "seller-responsibilities", SELLER),
    ("Confirm what was missing or damaged", "seller-responsibilities", SELLER),
    ("Verify against your packing process", "seller-responsibilities", SELLER),
    ("Approve return, replacement, or refund after review", "seller-responsibilities", SELLER),
]

# (title, body, guide anchor, fulfillment method)
RESPONSE_TEMPLATES = [
    (
        "Dispatchment order",
        "Thanks for letting us know. Please submit the issue through your order so it can be "
        "reviewed. Once the inspection is complete, the next steps will be confirmed.",
        "dispatchment-order",
        KX,
    ),
    (
        "Seller-managed order",
        "Thanks for the update. Please share photos of the item and packaging so we can "
        "review and resolve this for you.",
        "seller-managed-order-2",
        SELLER,
    ),
]

EVIDENCE = "what-evidence-helps-resolve-these-reports"
# (photo slot, need, guide wording, reason, fulfillment method, issue type)
EVIDENCE_REQUIREMENTS = [
    (
        "package", "encouraged", "Photos of the package",
        "Photos of the outer box and label help Kingston Express check the packing.",
        KX, "",
    ),
    (
        "package", "encouraged", "Photos of the package",
        "Photos of the outer box and label help you check the package against your packing "
        "process.",
        SELLER, "",
    ),
    (
        "item", "required", "Photos of the item (if damaged)",
        "Photos of the damaged item show what is broken, cracked or unusable; the damage "
        "cannot be assessed without them.",
        "", DAMAGED,
    ),
    (
        "item", "encouraged", "Photos of the item",
        "A photo of the item that arrived shows which item was received, so it can be "
        "checked against the item ordered.",
        "", WRONG,
    ),
    (
        "packing_materials", "encouraged", "Photos of packing materials",
        "Photos of the packing materials show how the item was protected on its way.",
        "", "",
    ),
]

# (factor, text, guide anchor)
OUTCOME_FACTORS = [
    ("damaged", "Item is damaged", "replacement-is-common-when"),
    ("wrong_item", "Wrong item was sent", "replacement-is-common-when"),
    ("stock_available", "Inventory is available", "replacement-is-common-when"),
    ("out_of_stock", "Item is out of stock", "refund-is-more-likely-when"),
    ("severe_damage", "Damage is severe", "refund-is-more-likely-when"),
    ("return_not_feasible", "Return is not feasible", "refund-is-more-likely-when"),
]


def _orders():
    # Tens leave room for admins to slot new rows between the seeded ones.
    return iter(range(10, 10_000, 10))


def seed(apps, schema_editor):
    GuidanceWarning = apps.get_model("claims", "GuidanceWarning")
    ReviewStep = apps.get_model("claims", "ReviewStep")
    ResponseTemplate = apps.get_model("claims", "ResponseTemplate")
    EvidenceRequirement = apps.get_model("claims", "EvidenceRequirement")
    OutcomeFactorRow = apps.get_model("claims", "OutcomeFactorRow")

    orders = {}
    warnings = []
    for kind, text, anchor, method, issue, destination in WARNINGS:
        order = orders.setdefault(kind, _orders())
        warnings.append(
            GuidanceWarning(
                kind=kind, text=text, guide_anchor=anchor, fulfillment_method=method,
                issue_type=issue, destination=destination, order=next(order),
            )
        )
    GuidanceWarning.objects.bulk_create(warnings)

    order = _orders()
    ReviewStep.objects.bulk_create(
        ReviewStep(text=text, guide_anchor=anchor, fulfillment_method=method, order=next(order))
        for text, anchor, method in REVIEW_STEPS
    )
    order = _orders()
    ResponseTemplate.objects.bulk_create(
        ResponseTemplate(
            title=title, body=body, guide_anchor=anchor, fulfillment_method=method,
            order=next(order),
        )
        for title, body, anchor, method in RESPONSE_TEMPLATES
    )
    order = _orders()
    EvidenceRequirement.objects.bulk_create(
        EvidenceRequirement(
            evidence_kind=kind, need=need, label=label, reason=reason, guide_anchor=EVIDENCE,
            fulfillment_method=method, issue_type=issue, order=next(order),
        )
        for kind, need, label, reason, method, issue in EVIDENCE_REQUIREMENTS
    )
    order = _orders()
    OutcomeFactorRow.objects.bulk_create(
        OutcomeFactorRow(factor=factor, text=text, guide_anchor=anchor, order=next(order))
        for factor, text, anchor in OUTCOME_FACTORS
    )


def unseed(apps, schema_editor):
    apps.get_model("claims", "GuidanceWarning").objects.filter(
        text__in=[row[1] for row in WARNINGS]
    ).delete()
    apps.get_model("claims", "ReviewStep").objects.filter(
        text__in=[row[0] for row in REVIEW_STEPS]
    ).delete()
    apps.get_model("claims", "ResponseTemplate").objects.filter(
        body__in=[row[1] for row in RESPONSE_TEMPLATES]
    ).delete()
    apps.get_model("claims", "EvidenceRequirement").objects.filter(
        reason__in=[row[3] for row in EVIDENCE_REQUIREMENTS]
    ).delete()
    apps.get_model("claims", "OutcomeFactorRow").objects.filter(
        text__in=[row[1] for row in OUTCOME_FACTORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_guidance")]

    operations = [migrations.RunPython(seed, unseed)]
