"""Signals for the reviewer: reasons a claim deserves a closer look. Pure: no ORM.

The guide forbids accusing customers, and a reviewer still needs to know when a
claim deserves a closer look. A signal is a fact, said in plain words, with the
innocent explanations beside it; none decides anything, blocks an action or is
shown to the seller or the customer. The reviewer marks each one "checked"
(`claims.review.claim_check_signal`), which the timeline and the evidence
packet record with their note.

- another claim for the same order number, whatever its status (a second
  problem with the same order is common: a partial order, then a damaged item);
- the same photo in another claim (the same SHA-256 of the uploaded file), or
  a near-identical one (perceptual hashes within
  CLAIM_PHOTO_NEAR_MATCH_DISTANCE bits: the same picture cropped, resized,
  recompressed or brightened; `bench/phash_threshold.py` measured the line);
- a photo the camera says was taken long before the claim (more than
  CLAIM_PHOTO_OLD_DAYS days), or one with no camera metadata at all (a
  screenshot or a downloaded picture).

Each signal has a stable `key`, so a "checked" record stays attached to the
signal it was about when other signals come and go.
`tests/claims/test_review_signals.py` is the table that specifies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = [
    "CheckedSignal",
    "OtherClaim",
    "OtherPhoto",
    "PhotoFacts",
    "Signal",
    "SignalKind",
    "claim_signals",
    "hamming",
    "order_signals",
    "phash_distance",
    "photo_match_signals",
    "photo_time_signals",
]


class SignalKind(StrEnum):
    SAME_ORDER = "same_order"
    SAME_PHOTO = "same_photo"
    SIMILAR_PHOTO = "similar_photo"
    OLD_PHOTO = "old_photo"
    NO_CAMERA_DATA = "no_camera_data"


@dataclass(frozen=True, slots=True)
class OtherClaim:
    """Another claim, as much of it as a signal needs."""

    reference: str
    created_at: datetime
    status_label: str = ""


@dataclass(frozen=True, slots=True)
class PhotoFacts:
    """One of this claim's photos."""

    public_id: str
    kind_label: str
    sha256: str
    phash: str
    captured_at: datetime | None
    camera: bool


@dataclass(frozen=True, slots=True)
class OtherPhoto:
    """A photo in another claim."""

    claim_reference: str
    claim_created_at: datetime
    sha256: str
    phash: str


@dataclass(frozen=True, slots=True)
class CheckedSignal:
    """A reviewer's "checked" for a signal key, from the timeline."""

    by: str
    at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    key: str
    title: str  # what was noticed, in plain words
    explanation: str  # why it can be innocent, and what to look at
    photo_id: str = ""  # the photo it is about, if any
    checked: CheckedSignal | None = None


def hamming(a: str, b: str) -> int:
    """How many of the bits of two hex hashes differ. Raises ValueError for bad input."""
    if len(a) != len(b):
        raise ValueError(f"hashes of different lengths: {len(a)} and {len(b)} hex digits")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def phash_distance(a: str, b: str) -> int:
    """The distance between two photos' stored perceptual hashes
    (`claims.photo_metadata.perceptual_hash`: the whole picture, then its windows).

    The whole of each against the whole and the windows of the other, the
    smallest: a crop of one is close to a window of the other. Window against
    window is not compared (two different shots share corners of wall and floor).
    """
    first, second = a.split(), b.split()
    if not first or not second:
        raise ValueError("an empty perceptual hash")
    return min(
        min(hamming(first[0], other) for other in second),
        min(hamming(second[0], other) for other in first),
    )


def _day(moment: datetime) -> str:
    return date_format(moment, "j F Y")


def order_signals(order_number: str, others: Sequence[OtherClaim]) -> tuple[Signal, ...]:
    """One signal per other claim for the same order number, any status."""
    return tuple(
        Signal(
            kind=SignalKind.SAME_ORDER,
            key=f"{SignalKind.SAME_ORDER}:{other.reference}",
            title=_(
                "Another claim for order %(order)s was filed on %(date)s: %(reference)s%(status)s."
            )
            % {
                "order": order_number,
                "date": _day(other.created_at),
                "reference": other.reference,
                "status": f" ({other.status_label})" if other.status_label else "",
            },
            explanation=_(
                "Often innocent: a partial order and then a damaged item, or the seller "
                "filing again after losing their link. Compare the two: is it the same "
                "problem reported twice, or a different one?"
            ),
        )
        for other in others
    )


def photo_match_signals(
    photos: Sequence[PhotoFacts], others: Iterable[OtherPhoto], *, near_distance: int
) -> tuple[Signal, ...]:
    """Photos of this claim that are in another claim: the same file, or nearly the
    same picture (perceptual hashes within `near_distance` bits). One signal per
    photo and other claim, the closest match first; an exact match hides the near one."""
    best = _closest_matches(photos, others, near_distance=near_distance)
    by_id = {photo.public_id: photo for photo in photos}
    return tuple(
        _photo_match_signal(by_id[photo_id], reference, distance, other)
        for (photo_id, reference), (distance, other) in sorted(
            best.items(), key=lambda item: (item[1][0], item[0])
        )
    )


def _closest_matches(
    photos: Sequence[PhotoFacts], others: Iterable[OtherPhoto], *, near_distance: int
) -> dict[tuple[str, str], tuple[int, OtherPhoto]]:
    """For each (photo, other claim): the closest match, -1 for the very same file."""
    best: dict[tuple[str, str], tuple[int, OtherPhoto]] = {}
    for other in others:
        for photo in photos:
            if photo.sha256 and photo.sha256 == other.sha256:
                distance = -1  # the very same file
            elif photo.phash and other.phash:
                distance = phash_distance(photo.phash, other.phash)
                if distance > near_distance:
                    continue
            else:
                continue
            pair = (photo.public_id, other.claim_reference)
            if pair not in best or distance < best[pair][0]:
                best[pair] = (distance, other)
    return best


def _photo_match_signal(
    photo: PhotoFacts, reference: str, distance: int, other: OtherPhoto
) -> Signal:
    photo_id = photo.public_id
    values = {
        "photo": photo.kind_label,
        "reference": reference,
        "date": _day(other.claim_created_at),
    }
    if distance < 0:
        return Signal(
            kind=SignalKind.SAME_PHOTO,
            key=f"{SignalKind.SAME_PHOTO}:{photo_id}:{reference}",
            title=_(
                "The same photo file (%(photo)s) is also in claim %(reference)s, filed on %(date)s."
            )
            % values,
            explanation=_(
                "Can be innocent: the same customer, or a seller filing two claims "
                "for one order, sends the photo again. Check whether the claims "
                "are about the same order and the same item."
            ),
            photo_id=photo_id,
        )
    return Signal(
        kind=SignalKind.SIMILAR_PHOTO,
        key=f"{SignalKind.SIMILAR_PHOTO}:{photo_id}:{reference}",
        title=_(
            "A near-identical picture to this claim's photo (%(photo)s) is in "
            "claim %(reference)s, filed on %(date)s: the same picture cropped, "
            "resized or recompressed, or a very similar shot."
        )
        % values,
        explanation=_(
            "Two photos of the same kind of box on the same kind of floor can "
            "look alike. Open both and compare the details: labels, marks, "
            "background."
        ),
        photo_id=photo_id,
    )


def photo_time_signals(
    photos: Sequence[PhotoFacts], *, claim_created_at: datetime, old_after: timedelta
) -> tuple[Signal, ...]:
    """Photos taken long before the claim, and photos with no camera metadata at all.

    A photo without a perceptual hash was stored before these facts were read
    (migration 0008): what its metadata said is unknown, so it gets no signal.
    """
    signals = []
    for photo in photos:
        if not photo.phash:
            continue
        if photo.captured_at is not None and claim_created_at - photo.captured_at > old_after:
            days = (claim_created_at - photo.captured_at).days
            signals.append(
                Signal(
                    kind=SignalKind.OLD_PHOTO,
                    key=f"{SignalKind.OLD_PHOTO}:{photo.public_id}",
                    title=ngettext(
                        "The camera says this photo (%(photo)s) was taken on %(date)s, "
                        "%(days)s day before the claim was filed.",
                        "The camera says this photo (%(photo)s) was taken on %(date)s, "
                        "%(days)s days before the claim was filed.",
                        days,
                    )
                    % {"photo": photo.kind_label, "date": _day(photo.captured_at), "days": days},
                    explanation=_(
                        "A phone's clock can be wrong, and a photo taken when the parcel "
                        "arrived can be older than the claim. Check it against the delivery "
                        "date."
                    ),
                    photo_id=photo.public_id,
                )
            )
        elif photo.captured_at is None and not photo.camera:
            signals.append(
                Signal(
                    kind=SignalKind.NO_CAMERA_DATA,
                    key=f"{SignalKind.NO_CAMERA_DATA}:{photo.public_id}",
                    title=_(
                        "This photo (%(photo)s) carries no camera details and no time it "
                        "was taken, as a screenshot or a downloaded picture would."
                    )
                    % {"photo": photo.kind_label},
                    explanation=_(
                        "Many apps strip these details when a photo is shared or saved. "
                        "Check that the photo shows this order's parcel or item."
                    ),
                    photo_id=photo.public_id,
                )
            )
    return tuple(signals)


def claim_signals(
    *,
    order_number: str,
    claim_created_at: datetime,
    other_claims: Sequence[OtherClaim],
    photos: Sequence[PhotoFacts],
    other_photos: Iterable[OtherPhoto],
    checked: dict[str, CheckedSignal],
    near_distance: int,
    old_after: timedelta,
) -> tuple[Signal, ...]:
    """Every signal for a claim, in the order the reviewer reads them, each with
    the reviewer's "checked" from `checked` (signal key -> record) when there is one."""
    if near_distance < 0:
        raise ValueError("the near-match distance cannot be negative")
    found = (
        *order_signals(order_number, other_claims),
        *photo_match_signals(photos, other_photos, near_distance=near_distance),
        *photo_time_signals(photos, claim_created_at=claim_created_at, old_after=old_after),
    )
    return tuple(
        Signal(
            kind=s.kind,
            key=s.key,
            title=s.title,
            explanation=s.explanation,
            photo_id=s.photo_id,
            checked=checked.get(s.key),
        )
        for s in found
    )
