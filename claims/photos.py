"""Evidence photos: check what a file really is, then keep only its pixels.

A customer's phone photo arrives as an upload of any name and any content. The
pipeline trusts neither: Pillow decides what the bytes are (only JPEG, PNG,
WebP and HEIC/HEIF are opened), refuses decompression bombs, broken and absurd
images, and then re-encodes the pixels as a fresh JPEG. Nothing of the original
file survives except the picture: no EXIF, no GPS position, no XMP, no
comments, no ICC profile, nothing appended after the image data.

The steps live in modules named for them: `claims.photo_checks` (the
refusals and the checks made before decoding), `claims.photo_decode` (opening
by content, reduced-scale decoding, sRGB) and `claims.photo_metadata` (the
capture facts read before the metadata goes, and the perceptual hash). This
module runs them in order and makes the two copies that are stored.

It is built to be fast on a 12-megapixel phone JPEG (see `bench/photos.py`):
the JPEG is decoded at reduced scale (`Image.draft`), resized while still in
the camera's orientation and only the small copy is turned upright, the
thumbnail is made from the display copy rather than from the original, and
the photos of one request reuse each other's image buffers (`photo_batch`).
gunicorn also sets glibc, for every worker, to give big image buffers back
to the system when they are freed (deploy/malloc.py), or a worker's peak
memory creeps up photo after photo.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from PIL import Image

from claims.photo_checks import PhotoRejected, check_dimensions, check_still, check_upload_size
from claims.photo_decode import (
    ORIENTATION_TRANSPOSE,
    accepted_format,
    decode,
    fit,
    open_upload,
    pillow_keeps_blocks,
    to_rgb,
)
from claims.photo_metadata import perceptual_hash, read_capture_facts

DISPLAY_QUALITY = 82
THUMBNAIL_QUALITY = 75
# The thumbnail is shrunk by whole pixel blocks (Image.reduce) to within 1.25x
# of its size, then finished with LANCZOS: 7-9 ms from the display copy,
# against 15-17 ms at 2.0, and 48 dB PSNR against a thumbnail made with
# LANCZOS from the full 12 megapixels (2.0: 54 dB): no visible difference on a
# 400 px picture.
THUMBNAIL_REDUCING_GAP = 1.25

# Image buffers Pillow keeps for reuse within a photo_batch: a 2016 px display
# copy is 12 MB (one block); four cover the decoded photo, its upright copy and
# the thumbnail's steps.
_BATCH_BLOCKS = 4

_CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes  # JPEG, upright, longest side <= CLAIM_PHOTO_DISPLAY_SIZE, no metadata
    thumbnail: bytes  # JPEG, longest side <= CLAIM_PHOTO_THUMBNAIL_SIZE, no metadata
    sha256: str  # of the original upload's bytes: the same photo uploaded twice
    width: int  # of the display copy
    height: int
    original_format: str  # "JPEG" | "PNG" | "WEBP" | "HEIF"
    original_size: int  # bytes
    phash: str = ""  # perceptual hash of the display copy, 16 hex digits
    captured_at: str = ""  # ISO 8601, from EXIF DateTimeOriginal; "" when the photo has none
    camera: bool = False  # the metadata names a camera (EXIF Make or Model)


@contextmanager
def photo_batch() -> Iterator[None]:
    """Process one request's photos with Pillow reusing the image buffers it frees.

    Every image Pillow makes gets fresh memory from the system, and the first
    touch of each page costs a page fault: on the benchmark machine, turning a
    2016 x 1512 copy upright took 19 ms in fresh memory and 9 ms in reused
    memory, the JPEG decode 57 against 51 ms. Inside the batch Pillow keeps up
    to _BATCH_BLOCKS freed blocks (its documented blocks-max setting, off by
    default) for the next photo; afterwards they are handed back, so an idle
    worker holds nothing extra.
    """
    with pillow_keeps_blocks(max(Image.core.get_blocks_max(), _BATCH_BLOCKS)):
        yield


class UploadResult(NamedTuple):
    key: Any  # what the caller passed with the upload (its kind of evidence)
    name: str  # the upload's name, shortened, for messages
    photo: ProcessedPhoto | None  # None: refused
    refusal: str  # "name: why", for the person who sent it; "" when processed


def process_uploads(uploads: Iterable[tuple[Any, Any]]) -> Iterator[UploadResult]:
    """Process one request's `(key, upload)` pairs in order, in one photo_batch."""
    with photo_batch():
        for key, upload in uploads:
            name = upload.name[-80:]
            try:
                photo = process_photo(upload)
            except PhotoRejected as rejected:
                yield UploadResult(key, name, None, f"{name}: {rejected.message}")
            else:
                yield UploadResult(key, name, photo, "")


def _sha256(upload) -> str:
    # In chunks: a temporary upload on disk is never read whole into memory.
    digest = hashlib.sha256()
    for chunk in upload.chunks(chunk_size=_CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def _encode(image: Image.Image, quality: int) -> bytes:
    # With an empty info dict nothing from the original file (EXIF, XMP, ICC,
    # comments) can be written out with the pixels. The image is always one
    # this module made or opened itself, so emptying it in place is safe and
    # saves a copy of the pixels.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()


def _display_copy(image: Image.Image, orientation: int, box: int) -> Image.Image:
    """The decoded picture as an upright RGB copy within `box`; closes `image` once done."""
    pixels = to_rgb(image)
    # Resize while the picture is still lying on its side, then turn only
    # the small copy upright: rotating 12 megapixels costs more than the
    # resize saves.
    if max(pixels.size) > box:
        pixels = pixels.resize(fit(*pixels.size, box), Image.Resampling.LANCZOS, reducing_gap=3.0)
    transpose = ORIENTATION_TRANSPOSE.get(orientation)
    if transpose is not None:
        pixels = pixels.transpose(transpose)
    if pixels.mode != "RGB":
        pixels = pixels.convert("RGB")
    if pixels is not image:
        # Done with the decoded picture: inside a photo_batch its buffer
        # now serves the thumbnail instead of fresh memory.
        image.close()
    return pixels


def _thumbnail(pixels: Image.Image) -> Image.Image:
    return pixels.resize(
        fit(*pixels.size, settings.CLAIM_PHOTO_THUMBNAIL_SIZE),
        Image.Resampling.LANCZOS,
        reducing_gap=THUMBNAIL_REDUCING_GAP,
    )


def process_photo(upload) -> ProcessedPhoto:
    """Check one uploaded photo and make its clean display copy and thumbnail.

    `upload` is a Django File (an UploadedFile in memory or on disk). Raises
    PhotoRejected, with a sentence for the customer, when it is not a photo we
    accept. The upload's name is never looked at.
    """
    check_upload_size(upload)
    original_size = upload.size
    sha256 = _sha256(upload)
    display_box = settings.CLAIM_PHOTO_DISPLAY_SIZE

    image = open_upload(upload)
    try:
        original_format = accepted_format(image)
        check_dimensions(*image.size)
        # Before anything is decoded or dropped: the metadata goes with the original.
        captured_at, camera = read_capture_facts(image)
        check_still(image, original_format)
        image, orientation = decode(upload, image, original_format, display_box)
        pixels = _display_copy(image, orientation, display_box)
        thumbnail = _thumbnail(pixels)
        return ProcessedPhoto(
            display=_encode(pixels, DISPLAY_QUALITY),
            thumbnail=_encode(thumbnail, THUMBNAIL_QUALITY),
            sha256=sha256,
            width=pixels.width,
            height=pixels.height,
            original_format=original_format,
            original_size=original_size,
            # The thumbnail: the same hash as the display copy's, for a tenth of the pixels.
            phash=perceptual_hash(thumbnail),
            captured_at=captured_at,
            camera=camera,
        )
    finally:
        image.close()
