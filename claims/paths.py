"""The review path of a claim: one per fulfillment method and issue type. Pure data.

The guide: "Each issue follows a different review path." A missing item and a
damaged one are not checked the same way, so each (fulfillment method, issue
group) pair has its own checklist, its own decisions and its own evidence:

Dispatched by Kingston Express ("How Dispatchment Reviews These Issues"):

- missing item or partial order: packing logs are checked, weight and SKU
  records are verified (the records show what left the warehouse);
- wrong item: the same records (they show which SKU was packed);
- damaged item: damage is assessed during return inspection;
- then, on every path, the resolution is applied per policy (`Action.RESOLVE`).

Seller-managed ("Seller Responsibilities"):

- damaged item: clear photos of the item and packaging, confirm what was
  damaged, verify against the packing process; return, replacement or refund;
- missing item or partial order: confirm what was missing, verify against the
  packing process; replacement or refund (nothing arrived to send back, so no
  return);
- wrong item: a photo of the item that arrived, confirm which item was sent,
  verify against the packing process; return, replacement or refund.

A seller-managed approval needs the evidence the guide names for the issue
("Photos of the item (if damaged)", "Photos of the package", "Photos of
packing materials"), or the reviewer's written reason for going without it
(`claims.workflow` enforces it; `missing_evidence` says what is missing).

No ORM, no request: `tests/claims/test_paths.py` is the table that specifies it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from claims.choices import ClaimStatus, EvidenceKind, FulfillmentMethod, IssueType, Outcome

__all__ = [
    "ChecklistItem",
    "EvidenceNeed",
    "IssueGroup",
    "ReviewPath",
    "issue_group",
    "missing_evidence",
    "review_path",
    "card_step",
    "decision_step",
    "evidence_to_ask_for",
    "what_happens_next",
]

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED
S = ClaimStatus


class IssueGroup(StrEnum):
    """Step 1 of the guide: the issue types that share a review path."""

    MISSING = "missing"  # missing item, partial order
    DAMAGE = "damage"
    WRONG_ITEM = "wrong_item"


def issue_group(issue_type: IssueType | str) -> IssueGroup:
    issue_type = IssueType(issue_type)
    if issue_type.is_missing:
        return IssueGroup.MISSING
    if issue_type.is_damage:
        return IssueGroup.DAMAGE
    return IssueGroup.WRONG_ITEM


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    key: str
    label: str
    # The step in the seller's words, on their result page ("What happens next"'s
    # review card), where the reviewer's label would read oddly to them.
    seller_step: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceNeed:
    """One piece of evidence an approval needs: a photo of any of `kinds`."""

    key: str
    kinds: frozenset[EvidenceKind]
    label: str

    def met_by(self, present: Iterable[str]) -> bool:
        return bool(self.kinds & {EvidenceKind(kind) for kind in present})


@dataclass(frozen=True, slots=True)
class ReviewPath:
    method: FulfillmentMethod
    group: IssueGroup
    checklist: tuple[ChecklistItem, ...]
    # Seller-managed: the outcomes the seller may approve after review (Kingston
    # Express resolves per policy from its inspection result instead).
    approvals: tuple[Outcome, ...]
    evidence_for_approval: tuple[EvidenceNeed, ...]
    next_steps: tuple[str, ...]

    @property
    def is_inspection(self) -> bool:
        return self.method.is_kingston_express


# The checklist items, in the guide's words. The keys are stored on claims.
PACKING_LOGS = ChecklistItem("packing_logs_checked", _("Packing logs are checked"))
WEIGHT_AND_SKU = ChecklistItem("weight_and_sku_verified", _("Weight and SKU records are verified"))
DAMAGE_ASSESSED = ChecklistItem("damage_assessed", _("Damage is assessed during return inspection"))
PHOTOS_OF_DAMAGE = ChecklistItem(
    "photos_checked",
    _("Clear photos (item + packaging) checked"),
    _("Ask for clear photos (item + packaging)"),
)
PHOTO_OF_ITEM_RECEIVED = ChecklistItem(
    "photos_checked",
    _("Clear photos of the item that arrived checked"),
    _("Ask for clear photos of the item that arrived"),
)
CONFIRMED_DAMAGED = ChecklistItem(
    "missing_or_damaged_confirmed", _("Confirmed what was damaged"), _("Confirm what was damaged")
)
CONFIRMED_MISSING = ChecklistItem(
    "missing_or_damaged_confirmed", _("Confirmed what was missing"), _("Confirm what was missing")
)
CONFIRMED_WRONG = ChecklistItem(
    "missing_or_damaged_confirmed",
    _("Confirmed which item was sent instead"),
    _("Confirm which item was sent instead"),
)
PACKING_PROCESS = ChecklistItem(
    "packing_process_verified",
    _("Verified against the packing process"),
    _("Verify against your packing process"),
)

# The evidence the guide names ("What Evidence Helps Resolve These Reports").
ITEM_PHOTO = EvidenceNeed("item_photo", frozenset({EvidenceKind.ITEM}), _("a photo of the item"))
PACKAGING_PHOTO = EvidenceNeed(
    "packaging_photo",
    frozenset({EvidenceKind.PACKAGE, EvidenceKind.PACKING_MATERIALS}),
    _("a photo of the package or its packing materials"),
)

_KX_NEXT_RECORDS = (
    _(
        "Kingston Express reviews this claim centrally: the packing logs are checked and the "
        "weight and SKU records verified against what you reported."
    ),
    _(
        "You don't refund, replace or ask for a return yourself: once the inspection is "
        "complete, the resolution is applied per policy and you follow it."
    ),
)

_PATHS: dict[tuple[FulfillmentMethod, IssueGroup], ReviewPath] = {
    (KX, IssueGroup.MISSING): ReviewPath(
        KX, IssueGroup.MISSING, (PACKING_LOGS, WEIGHT_AND_SKU), (), (), _KX_NEXT_RECORDS
    ),
    (KX, IssueGroup.WRONG_ITEM): ReviewPath(
        KX, IssueGroup.WRONG_ITEM, (PACKING_LOGS, WEIGHT_AND_SKU), (), (), _KX_NEXT_RECORDS
    ),
    (KX, IssueGroup.DAMAGE): ReviewPath(
        KX,
        IssueGroup.DAMAGE,
        (DAMAGE_ASSESSED,),
        (),
        (),
        (
            _(
                "Kingston Express reviews this claim centrally: the damage is assessed during "
                "return inspection."
            ),
            _(
                "You don't refund, replace or ask for a return yourself: once the inspection "
                "is complete, the resolution is applied per policy and you follow it."
            ),
        ),
    ),
    (SM, IssueGroup.DAMAGE): ReviewPath(
        SM,
        IssueGroup.DAMAGE,
        (PHOTOS_OF_DAMAGE, CONFIRMED_DAMAGED, PACKING_PROCESS),
        (Outcome.RETURN, Outcome.REPLACEMENT, Outcome.REFUND),
        (ITEM_PHOTO, PACKAGING_PHOTO),
        (
            _(
                "You review this claim yourself: check the photos of the item and its "
                "packaging, confirm what was damaged and verify it against your packing "
                "process."
            ),
            _(
                "Then approve a return, a replacement or a refund. Photos of the item and the "
                "packaging come first: approving without them needs your written reason."
            ),
        ),
    ),
    (SM, IssueGroup.MISSING): ReviewPath(
        SM,
        IssueGroup.MISSING,
        (CONFIRMED_MISSING, PACKING_PROCESS),
        (Outcome.REPLACEMENT, Outcome.REFUND),
        (PACKAGING_PHOTO,),
        (
            _(
                "You review this claim yourself: confirm what was missing and verify it "
                "against your packing process (what you packed, its weight)."
            ),
            _(
                "Then approve a replacement or a refund; nothing arrived to send back, so "
                "there is no return. A photo of the package comes first: approving without "
                "it needs your written reason."
            ),
        ),
    ),
    (SM, IssueGroup.WRONG_ITEM): ReviewPath(
        SM,
        IssueGroup.WRONG_ITEM,
        (PHOTO_OF_ITEM_RECEIVED, CONFIRMED_WRONG, PACKING_PROCESS),
        (Outcome.RETURN, Outcome.REPLACEMENT, Outcome.REFUND),
        (ITEM_PHOTO,),
        (
            _(
                "You review this claim yourself: check the photo of the item that arrived, "
                "confirm which item was sent and verify it against your packing process."
            ),
            _(
                "Then approve a return, a replacement or a refund. A photo of the item comes "
                "first: approving without it needs your written reason."
            ),
        ),
    ),
}


def review_path(method: FulfillmentMethod | str, issue_type: IssueType | str) -> ReviewPath:
    """The review path for a claim with this fulfillment method and issue type."""
    return _PATHS[(FulfillmentMethod(method), issue_group(issue_type))]


def missing_evidence(path: ReviewPath, present_kinds: Iterable[str]) -> tuple[EvidenceNeed, ...]:
    """The evidence an approval on this path needs that no photo shows yet."""
    present = tuple(present_kinds)
    return tuple(need for need in path.evidence_for_approval if not need.met_by(present))


# What to ask the customer for when nothing more specific is named: what shows this
# kind of issue (never an item that did not arrive).
_ASK_BY_GROUP = {
    IssueGroup.MISSING: (EvidenceKind.PACKAGE, EvidenceKind.PACKING_MATERIALS),
    IssueGroup.DAMAGE: (EvidenceKind.ITEM, EvidenceKind.PACKAGE),
    IssueGroup.WRONG_ITEM: (EvidenceKind.ITEM,),
}


def evidence_to_ask_for(path: ReviewPath, present_kinds: Iterable[str]) -> tuple[EvidenceKind, ...]:
    """The photos to ask the customer for when a request names none: what the path's
    approval still misses (one kind per need, in the guide's order), else what shows
    this kind of issue."""
    missing = missing_evidence(path, present_kinds)
    if missing:
        return tuple(next(kind for kind in EvidenceKind if kind in need.kinds) for need in missing)
    return _ASK_BY_GROUP[path.group]


_WAITING = _(
    "The claim waits for the customer's photos (they have a link to add them: see below); "
    "the photos appear on this page as they arrive."
)
_DECIDED = {
    KX: _("The resolution has been applied per policy following the inspection."),
    SM: _("Your decision is recorded; confirm the details with the customer."),
}
_CLOSED = _("This claim is closed: nothing more will happen on it.")


def what_happens_next(
    method: FulfillmentMethod | str, issue_type: IssueType | str, status: ClaimStatus | str
) -> tuple[str, ...]:
    """The result page's "What happens next" for the seller, following the review path."""
    path = review_path(method, issue_type)
    status = ClaimStatus(status)
    if status == S.CLOSED:
        return (str(_CLOSED),)
    if status in (S.RESOLVED, S.APPROVED, S.DECLINED):
        return (str(_DECIDED[path.method]),)
    steps = [str(step) for step in path.next_steps]
    if status == S.AWAITING_EVIDENCE:
        steps.insert(0, str(_WAITING))
    return tuple(steps)


# --- The seller's review card (the result page) ---------------------------------------

_DECISION = "decision"

# The guide's generic review steps as the migrations seeded them (the review step
# rows editors can change), each mapped to the step of a path it stands for. On the
# seller's card such a row shows only on a path that has that step, in that path's
# words: a Kingston Express missing item never reads "Damage is assessed during
# return inspection", a seller-managed one is never told to approve a return.
# A row with any other text (an editor's own, or one they reworded) shows as written.
GUIDE_STEPS: dict[str, str] = {
    "packing logs are checked": PACKING_LOGS.key,
    "weight and sku records are verified": WEIGHT_AND_SKU.key,
    "damage is assessed during return inspection": DAMAGE_ASSESSED.key,
    "resolution is applied per policy": _DECISION,
    "ask for clear photos (item + packaging)": PHOTOS_OF_DAMAGE.key,
    "confirm what was missing or damaged": CONFIRMED_DAMAGED.key,
    "verify against your packing process": PACKING_PROCESS.key,
    "approve return, replacement, or refund after review": _DECISION,
}


def _normal(text: str) -> str:
    return " ".join(str(text).casefold().split()).rstrip(".")


def decision_step(path: ReviewPath) -> str:
    """The last step of the path, as the seller reads it."""
    if path.is_inspection:
        return str(_("Resolution is applied per policy"))
    if Outcome.RETURN in path.approvals:
        return str(_("Approve a return, a replacement or a refund after review"))
    return str(_("Approve a replacement or a refund after review (nothing arrived to send back)"))


def card_step(path: ReviewPath, text: str) -> str | None:
    """The seller's card line for a review step row on this path: the path's own
    words for one of the guide's generic steps, None when this path has no such
    step, or the row's text as written."""
    key = GUIDE_STEPS.get(_normal(text))
    if key is None:
        return str(text)
    if key == _DECISION:
        return decision_step(path)
    item = next((item for item in path.checklist if item.key == key), None)
    if item is None:
        return None
    return str(item.seller_step or item.label)
