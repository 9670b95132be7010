"""Evidence photos: open an upload by its content and decode it, small and in sRGB.

Only JPEG, PNG, WebP and HEIC/HEIF are opened, whatever the file is called.
A JPEG is decoded at reduced scale (`Image.draft`) and a HEIC straight to its
display size, so that a 12-megapixel phone photo is never held whole longer
than it must be (see `bench/photos.py`).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pillow_heif
from django.conf import settings
from PIL import Image, ImageCms, UnidentifiedImageError

from claims.photo_checks import damaged, not_a_photo, too_many_pixels

pillow_heif.register_heif_opener()


# Pillow names of the formats a phone produces and a browser shows (HEIF is
# converted). GIF, BMP, TIFF, SVG, PDF and the rest are refused by content,
# whatever the file is called.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

# Pillow reports a JPEG carrying a Multi-Picture Format index (many Android
# phones write one for depth maps or previews) as "MPO"; the first picture is
# the photo itself, so it is treated as the JPEG it is.
_FORMAT_ALIASES = {"MPO": "JPEG"}

# JPEG can be decoded at 1/2, 1/4 or 1/8 scale for a fraction of the cost of a
# full decode. Halving a 4032 px phone photo gives 2016 px, just under the
# 2048 px display size, so a draft that insisted on at least 2048 px would
# decode the full 12 megapixels and throw three quarters away. The display
# copy may therefore come out up to a quarter smaller than the display size
# (2016 px for today's 12 MP phones, 2000 px for 48 MP ones): the difference
# cannot be seen on a reviewer's screen, and it makes the decode 3-4x cheaper.
DRAFT_TOLERANCE = 0.75

_BAND_ROWS = 256

# EXIF orientation -> the transpose that turns the picture upright (the same
# table as PIL.ImageOps.exif_transpose, applied to the small copy instead).
ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION = 0x0112

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@contextmanager
def pillow_keeps_blocks(count: int) -> Iterator[None]:
    """Pillow keeps up to `count` freed image blocks for reuse, then as before."""
    previous = Image.core.get_blocks_max()
    Image.core.set_blocks_max(count)
    try:
        yield
    finally:
        # Lowering the limit frees the blocks kept beyond it.
        Image.core.set_blocks_max(previous)


def fit(width: int, height: int, box: int) -> tuple[int, int]:
    """The size that fits `width` x `height` into a `box` square, keeping the shape."""
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def open_upload(upload) -> Image.Image:
    """Identify the upload by its content; only the header is read here."""
    upload.seek(0)
    # Pillow's bomb check reads a module-wide limit: set it from the settings
    # for this call and put it back, so other code's images are not affected.
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = settings.CLAIM_MAX_PHOTO_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between one and two times its pixel limit;
            # here a warning is as much a refusal as the error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload, formats=[*ALLOWED_FORMATS])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise not_a_photo() from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit


def accepted_format(image: Image.Image) -> str:
    """The opened picture's format ("JPEG", "PNG", "WEBP" or "HEIF"); refuses any other."""
    original_format = _FORMAT_ALIASES.get(image.format, image.format)
    if original_format not in ALLOWED_FORMATS:
        raise not_a_photo()
    return original_format


def decode(upload, image: Image.Image, original_format: str, box: int) -> tuple[Image.Image, int]:
    """The decoded picture, no smaller than needed for a `box` display copy, and its
    EXIF orientation. Replaces (and closes) `image` when a HEIC is decoded to fit."""
    if original_format == "JPEG":
        image.draft("RGB", draft_request(*image.size, box))
    try:
        # The full decode happens here: a truncated or corrupt file fails
        # now, not later in a reviewer's browser.
        decoded = None
        if original_format == "HEIF":
            decoded = decode_heif_to_fit(upload, box)
        if decoded is None:
            image.load()
        else:
            # Keep what to_rgb needs (the colour profile), drop the
            # 12-megapixel original.
            decoded.info = {key: image.info[key] for key in ("icc_profile",) if key in image.info}
            image.close()
            image = decoded
        orientation = 1
        if original_format != "HEIF":
            # A HEIC photo is turned upright by its container's transform
            # when pillow-heif decodes it; the EXIF tag inside is a stale copy.
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    except (OSError, ValueError, SyntaxError, EOFError, RuntimeError):
        # RuntimeError: pillow-heif's report of a broken HEVC stream.
        raise damaged() from None
    return image, orientation


def to_rgb(image: Image.Image) -> Image.Image:
    """Pixels as 8-bit RGB (or L for greyscale), in sRGB, transparency on white."""
    icc = image.info.get("icc_profile")
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: scale to 8 bits (a plain convert would clip
        # everything above 255 to white).
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        mode = "L"
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif mode == "CMYK" and icc:
        # A CMYK JPEG (from a scanner or a print workflow) is only right
        # through its own profile.
        image = _profile_to_srgb(image, icc) or image.convert("RGB")
        icc = None
    elif mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if icc and image.mode == "RGB":
        # Phones write wide-gamut photos (Display P3). The profile is dropped
        # from the output like all metadata, so the colours are converted to
        # sRGB first; a broken profile is ignored rather than rejected.
        image = _profile_to_srgb(image, icc) or image
    return image


def _profile_to_srgb(image: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower():
            return image.convert("RGB") if image.mode != "RGB" else image
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


def decode_heif_to_fit(upload, box: int) -> Image.Image | None:
    """Decode a HEIC photo straight to its display size, or None to decode normally.

    HEVC has no reduced-scale decoding like JPEG, so the whole 12 megapixels
    are decoded. Through Pillow they would then be held twice (pillow-heif's
    RGB buffer and Pillow's own 4-bytes-a-pixel copy) before resizing: about
    85 MB more at the peak. Instead, pillow-heif's buffer is viewed in place as
    one wide greyscale image and shrunk vertically only (a vertical pass never
    mixes neighbouring bytes of a row, so the colour channels stay apart);
    the decoded buffer is freed, and only the shorter result becomes an RGB
    image for the horizontal pass.

    Where it can, both passes shrink by averaging whole pixel blocks
    (Image.reduce) by the factor JPEG's draft would use for the same picture,
    so a HEIC's display copy is the size of its JPEG twin's (4032 px: 2016 px):
    averaging 2x2 blocks took 37 ms here where LANCZOS over 12 megapixels
    took 150 ms, a third of the whole photo's time.

    A HEIC photo sets the worker's peak memory, and libheif decodes into
    buffers of its own: spare blocks Pillow keeps within a photo_batch would
    only add to that peak, so none are kept while it is decoded.
    """
    with pillow_keeps_blocks(0):
        return _decode_heif_rows(upload, box)


def draft_request(width: int, height: int, box: int) -> tuple[int, int]:
    """The smallest size a reduced-scale decode may give (see DRAFT_TOLERANCE)."""
    return fit(width, height, max(1, int(box * DRAFT_TOLERANCE)))


def _block_factor(width: int, height: int, box: int) -> int:
    """The reduction Pillow's JPEG draft picks for the same request: 8, 4, 2 or 1."""
    wanted = draft_request(width, height, box)
    scale = min(width // wanted[0], height // wanted[1])
    return next((factor for factor in (8, 4, 2) if scale >= factor), 1)


def _decode_heif_rows(upload, box: int) -> Image.Image | None:
    upload.seek(0)
    heif = pillow_heif.open_heif(upload, convert_hdr_to_8bit=True)
    frame = heif[heif.primary_index]
    width, height = frame.size
    if frame.mode not in ("RGB", "L") or max(width, height) <= box:
        return None  # alpha or an already small picture: the ordinary way is fine
    mode = frame.mode
    factor = _block_factor(width, height, box)
    # Whole blocks only: up to factor - 1 last rows and columns are left out,
    # so that every pixel of the result stands for a whole block.
    kept_width, kept_height = width - width % factor, height - height % factor
    target = fit(kept_width, kept_height, box)
    stride = frame.stride
    rows = Image.frombuffer("L", (stride, height), frame.data, "raw", "L", stride, 1)
    if factor > 1:
        shorter = rows.reduce((1, factor), box=(0, 0, stride, kept_height))
    else:
        shorter = rows.resize((stride, target[1]), Image.Resampling.LANCZOS)
    del rows, frame, heif  # the 12-megapixel buffer goes here
    # Rebuilt as an RGB (or L) image a band at a time, so the shrunk bytes are
    # not held a third time as one big bytes object.
    image = Image.new(mode, (width, shorter.height))
    for top in range(0, shorter.height, _BAND_ROWS):
        band = shorter.crop((0, top, stride, min(top + _BAND_ROWS, shorter.height)))
        image.paste(
            Image.frombytes(mode, (width, band.height), band.tobytes(), "raw", mode, stride),
            (0, top),
        )
    del shorter, band
    if factor > 1:
        image = image.reduce((factor, 1), box=(0, 0, kept_width, image.height))
        if max(image.size) <= box:
            return image
    # Too small to reduce by blocks, or still over the box once reduced (as a
    # JPEG is: a 4608 px photo halves to 2304 px).
    return image.resize(target, Image.Resampling.LANCZOS)
