"""Claims, their evidence photos and the customer link.

No claim is ever addressed by its database id from outside: the seller reaches
it through a secret result token, the customer through a separate customer
token, and both are stored only as SHA-256 hashes.
"""

import hashlib
import uuid
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.choices import (
    ClaimStatus,
    DamageSeverity,
    Destination,
    EvidenceKind,
    FulfillmentMethod,
    InspectionResult,
    IssueType,
    Outcome,
)
from claims.deadlines import DECIDED_STATUSES, is_overdue

__all__ = [
    "Claim",
    "ClaimQuerySet",
    "CustomerNote",
    "EvidencePhoto",
    "EvidencePhotoQuerySet",
    "hash_token",
]


def hash_token(token: str) -> str:
    """What the database keeps of a secret link token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ClaimQuerySet(models.QuerySet):
    def for_result_token(self, token: str):
        return self.filter(result_token_hash=hash_token(token))

    def for_customer_token(self, token: str):
        """Claims whose customer link is this token and still usable."""
        return self.filter(
            customer_token_hash=hash_token(token),
            customer_link_expires_at__gt=timezone.now(),
            customer_link_revoked_at__isnull=True,
        )

    def with_photo_count(self):
        return self.annotate(photo_count=models.Count("photos"))

    def overdue(self, now=None):
        """Past their response date and still without a decision (`deadlines.is_overdue`),
        and not paused waiting on the customer."""
        return self.filter(
            response_due_at__lt=now or timezone.now(), awaiting_customer_since__isnull=True
        ).exclude(status__in=DECIDED_STATUSES)

    def not_overdue(self, now=None):
        return self.exclude(pk__in=self.overdue(now).values("pk"))

    def for_order_number(self, order_number: str):
        """Claims for this order number (order numbers are stored upper-cased), oldest first."""
        # Erased claims all read "[erased]": that is no order number, and no match.
        return self.filter(
            order_number=order_number, personal_data_erased_at__isnull=True
        ).order_by("created_at", "pk")

    def same_order_as(self, claim: "Claim"):
        """The other claims for the claim's order number, any status, oldest first."""
        return self.for_order_number(claim.order_number).exclude(pk=claim.pk)


class Claim(models.Model):
    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("The short code people quote, such as KXC-7H3K9QWD. Random, never sequential."),
    )
    result_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    customer_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    customer_link_nonce = models.CharField(max_length=32, editable=False)
    customer_link_expires_at = models.DateTimeField(
        _("customer link expires"),
        help_text=_("After this the customer's link shows 'not found'."),
    )
    customer_link_revoked_at = models.DateTimeField(
        _("customer link revoked"),
        null=True,
        blank=True,
        help_text=_("Set when staff or the seller switched the customer's link off."),
    )
    submission_key = models.UUIDField(
        unique=True,
        editable=False,
        help_text=_("One per filled-in form, so a double submit creates one claim."),
    )

    issue_type = models.CharField(_("what happened"), max_length=32, choices=IssueType.choices)
    fulfillment_method = models.CharField(
        _("fulfillment method"), max_length=32, choices=FulfillmentMethod.choices
    )
    destination = models.CharField(_("destination"), max_length=16, choices=Destination.choices)
    order_number = models.CharField(_("order number"), max_length=30, db_index=True)
    item = models.CharField(_("item or SKU"), max_length=200)
    description = models.TextField(_("what is missing or damaged"), max_length=2000)
    quantity_affected = models.PositiveIntegerField(_("quantity affected"))
    severity = models.CharField(
        _("how bad the damage is"),
        max_length=16,
        choices=DamageSeverity.choices,
        blank=True,
        help_text=_("Only for damaged items."),
    )
    stock_available = models.BooleanField(
        _("stock available for a replacement"),
        null=True,
        blank=True,
        help_text=_("Only asked for seller-managed orders."),
    )
    return_feasible = models.BooleanField(
        _("return feasible"),
        null=True,
        blank=True,
        help_text=_("Only asked for seller-managed orders."),
    )
    customer_name = models.CharField(_("customer's name"), max_length=200)
    customer_email = models.EmailField(_("customer's email"))
    seller_email = models.EmailField(_("seller's email"), blank=True)
    customer_sends_photos = models.BooleanField(
        _("customer sends photos"),
        default=False,
        help_text=_("The seller left the photos to the customer, who got a link to add them."),
    )
    status = models.CharField(
        _("status"), max_length=32, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    # The review (claims/workflow.py keeps the rules; claims/review.py writes these).
    inspection_result = models.CharField(
        _("inspection result"), max_length=16, choices=InspectionResult.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    checklist_done = models.JSONField(
        _("checklist items done"),
        default=list,
        blank=True,
        help_text=_("Keys of the inspection or review checklist ticked so far."),
    )
    response_due_at = models.DateTimeField(
        _("response due"),
        null=True,
        blank=True,
        help_text=_("Set at submission from the response days in settings (longer abroad)."),
    )
    decided_at = models.DateTimeField(
        _("decided"),
        null=True,
        blank=True,
        help_text=_("When the claim was first resolved, approved or declined."),
    )
    # The clock stops while a reviewer's request waits on the customer
    # (claims/models/evidence_request.py): the wait is added to the response date
    # and kept here, so the dashboard does not count it against the reviewer.
    awaiting_customer_since = models.DateTimeField(
        _("waiting on the customer since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set while a request for evidence is open: the response date is paused."),
    )
    customer_wait = models.DurationField(
        _("time waited on the customer"),
        default=timedelta(0),
        editable=False,
        help_text=_("Added to the response date when each wait ended."),
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Personal data (claims/retention.py decides, claims/erasure.py writes these).
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_(
            "While on, nothing about this claim is erased, whatever its age or the "
            "customer's request. Switched on and off by a reviewer, in the timeline."
        ),
    )
    erasure_requested_at = models.DateTimeField(
        _("customer asked for erasure"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The customer asked, from their page, for their photos and details to go."),
    )
    erasure_confirmed_at = models.DateTimeField(
        _("erasure confirmed"), null=True, blank=True, editable=False
    )
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Photos, names, email addresses, notes and free text are gone since then."),
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("review_claim", _("Can apply review actions to a claim")),
            ("view_dashboard", _("Can view the claims dashboard")),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_affected__gte=1), name="claim_quantity_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.order_number})"

    @property
    def is_international(self) -> bool:
        return self.destination == Destination.INTERNATIONAL

    @property
    def is_kingston_express(self) -> bool:
        return FulfillmentMethod(self.fulfillment_method).is_kingston_express

    @property
    def is_overdue(self) -> bool:
        if self.response_due_at is None or self.awaiting_customer_since is not None:
            return False
        return is_overdue(self.response_due_at, timezone.now(), self.status)

    @property
    def customer_link_active(self) -> bool:
        return self.customer_link_revoked_at is None and self.customer_link_expires_at > (
            timezone.now()
        )


class EvidencePhotoQuerySet(models.QuerySet):
    def hashes_outside(self, claim: "Claim"):
        """(claim reference, claim submitted, sha256, phash) of every photo in the other
        claims: what the same-photo signals compare with. One query; the comparison
        (Hamming distance) is done in Python, on SQLite and PostgreSQL alike."""
        return (
            self.exclude(claim_id=claim.pk)
            .order_by("claim__created_at", "pk")
            .values_list("claim__reference", "claim__created_at", "sha256", "phash")
        )


class EvidencePhoto(models.Model):
    """One photo, re-encoded as JPEG with a thumbnail, in the private storage."""

    class AddedBy(models.TextChoices):
        SELLER = "seller", _("Seller")
        CUSTOMER = "customer", _("Customer")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="photos")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("what it shows"), max_length=32, choices=EvidenceKind.choices)
    image_name = models.CharField(max_length=255, editable=False)
    thumbnail_name = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(
        max_length=64, editable=False, help_text=_("Of the uploaded file: spots duplicates.")
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    original_format = models.CharField(max_length=16, editable=False)
    original_size = models.PositiveIntegerField(editable=False)
    # Facts for the reviewer's signals (claims/review_signals.py), read before the
    # metadata was stripped. Never the GPS position.
    phash = models.CharField(
        _("perceptual hash"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_(
            "pHash of the picture and of ten windows of it: finds the same picture cropped, "
            "resized or recompressed."
        ),
    )
    captured_at = models.DateTimeField(
        _("taken"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the camera says the photo was taken (EXIF); empty when it says nothing."),
    )
    camera = models.BooleanField(
        _("names a camera"),
        default=False,
        editable=False,
        help_text=_("The photo's metadata named a camera; screenshots and downloads name none."),
    )
    added_by = models.CharField(max_length=16, choices=AddedBy.choices, default=AddedBy.SELLER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidencePhotoQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sha256"], name="photo_unique_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.width}×{self.height})"


class CustomerNote(models.Model):
    """A note the customer left with their photos."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="customer_notes")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
