"""Evidence photos: the facts kept about a photo once its metadata is gone.

Two facts are read before the metadata goes, for the reviewer's signals
(`claims.review_signals`): when the camera says the photo was taken (EXIF
DateTimeOriginal) and whether it names a camera at all (a screenshot or a
downloaded picture names none). The GPS position is never read. A perceptual
hash of the display copy is kept too, to find the same picture in another
claim after a crop, resize or recompression.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from PIL import Image

from claims.phash import phash

# What is recorded about a photo wherever it is kept (a draft, an evidence
# row): the same names on ProcessedPhoto, DraftPhoto and EvidencePhoto.
PHOTO_FACTS = (
    "sha256",
    "width",
    "height",
    "original_format",
    "original_size",
    "phash",
    "captured_at",
    "camera",
)


def photo_facts(photo) -> dict:
    """The PHOTO_FACTS of a processed or draft photo, as keyword arguments."""
    return {name: getattr(photo, name) for name in PHOTO_FACTS}


def photo_row_facts(photo) -> dict:
    """The PHOTO_FACTS as an EvidencePhoto row takes them (the capture time as a datetime)."""
    facts = photo_facts(photo)
    facts["captured_at"] = parse_datetime(facts["captured_at"]) if facts["captured_at"] else None
    return facts


# --- Facts read before the metadata is dropped --------------------------------------

_EXIF_MAKE = 0x010F
_EXIF_MODEL = 0x0110
_EXIF_IFD = 0x8769
_EXIF_DATETIME_ORIGINAL = 0x9003
_EXIF_OFFSET_TIME_ORIGINAL = 0x9011
_EXIF_DATETIME = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def capture_time(taken: str, offset: str = "") -> str:
    """An EXIF date and time ("2026:12:01 09:30:00", offset "+01:00") as ISO 8601, or "".

    Without an offset the time is read in the site's timezone (the camera's
    clock is local). A blank, zeroed or impossible date gives "".
    """
    match = _EXIF_DATETIME.match((taken or "").strip().strip("\x00"))
    if not match:
        return ""
    try:
        moment = datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return ""
    offset_match = _EXIF_OFFSET.match((offset or "").strip().strip("\x00"))
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta <= timedelta(hours=14):
            moment = moment.replace(tzinfo=dt_timezone(delta if sign == "+" else -delta))
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.isoformat()


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip().strip("\x00").strip()


def read_capture_facts(image: Image.Image) -> tuple[str, bool]:
    """(capture time as ISO 8601 or "", whether a camera is named) from the EXIF.

    Only three tags are read: Make, Model and the original capture time with
    its offset. The GPS block and everything else are left alone and dropped
    with the rest of the metadata. Broken EXIF counts as none.
    """
    try:
        exif = image.getexif()
        camera = bool(_exif_text(exif.get(_EXIF_MAKE)) or _exif_text(exif.get(_EXIF_MODEL)))
        details = exif.get_ifd(_EXIF_IFD)
        taken = capture_time(
            _exif_text(details.get(_EXIF_DATETIME_ORIGINAL)),
            _exif_text(details.get(_EXIF_OFFSET_TIME_ORIGINAL)),
        )
    except Exception:  # noqa: BLE001 - a photo's broken metadata is no reason to refuse it
        return "", False
    return taken, camera


# Photo: a claims.photos.ProcessedPhoto, left generic so that this module
# stays below the pipeline that imports it.
def with_phone_report[Photo](
    photo: Photo, *, taken: str, offset: str = "", camera: str = ""
) -> Photo:
    """The photo with the capture facts the customer's phone read before shrinking it.

    The page's script shrinks a photo on the phone, which drops its metadata; it
    reads the capture time (EXIF's own text, "2026:12:01 09:30:00", and its
    offset) and whether a camera is named first, and sends them beside the file.
    They count only when the file itself carries neither (the original upload's
    own EXIF wins), and they are as much the sender's word as EXIF itself is.
    Anything not in EXIF's shape is ignored.
    """
    if photo.captured_at or photo.camera:
        return photo
    return replace(photo, captured_at=capture_time(taken[:40], offset[:10]), camera=camera == "1")


# --- The perceptual hash ------------------------------------------------------------

# The windows of a picture hashed besides the whole: its centre and its four
# corners at 90% and at 80% of each side. A crop of 5-15% is then close to one
# of them (a whole-picture hash alone misses most crops off the centre, and one
# size of window misses the crops between sizes: see `bench/phash_threshold.py`).
PHASH_WINDOWS = (0.9, 0.8)


def phash_windows(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The boxes hashed besides the whole picture: for each of PHASH_WINDOWS, the
    centre, then the top-left, top-right, bottom-left and bottom-right corners."""
    windows = []
    for share in PHASH_WINDOWS:
        w, h = round(width * share), round(height * share)
        dx, dy = width - w, height - h
        windows += [
            (dx // 2, dy // 2, dx // 2 + w, dy // 2 + h),
            (0, 0, w, h),
            (dx, 0, width, h),
            (0, dy, w, height),
            (dx, dy, width, height),
        ]
    return windows


def perceptual_hash(image: Image.Image) -> str:
    """imagehash's pHash (64 bits, 16 hex digits) of the whole picture, then of its
    ten windows (centre and corners, PHASH_WINDOWS of each side), space-separated.

    Survives resizing, recompression and brightness changes; the windows let a
    crop match too (`claims.review_signals.phash_distance`). The distance below
    which two photos count as near-identical is CLAIM_PHOTO_NEAR_MATCH_DISTANCE,
    measured by `bench/phash_threshold.py`. Computed by `claims.phash`, which
    gives imagehash's bits without loading numpy and scipy into the worker.
    """
    grey = image.convert("L")
    boxes = phash_windows(*image.size)
    return " ".join([phash(grey)] + [phash(grey.crop(box)) for box in boxes])
