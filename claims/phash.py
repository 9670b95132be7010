"""imagehash's perceptual hash (pHash), bit for bit, without numpy or scipy.

imagehash computes it with numpy and scipy, which cost a photo-processing
worker about 40 MiB of its peak memory for 64 bits a photo. The hash only
needs an 8 x 8 corner of a 32 x 32 cosine transform: a few hundred dot
products of 32 numbers, microseconds with `math.sumprod`.

The steps are imagehash.phash's (hash_size 8, highfreq_factor 4): greyscale,
LANCZOS down to 32 x 32, scipy's unnormalised DCT-II down the columns then
along the rows, the top-left 8 x 8 coefficients, each bit "above their
median", read row by row as 16 hex digits.

Both computations are exact to far better than TIE_TOLERANCE (coefficients
are at most about a million; float64 rounding is around 1e-9 there), so every
bit agrees unless a coefficient lies within rounding of the median. Then the
bit depends on how scipy rounds, and imagehash itself is asked: it happens for
flat or symmetric pictures (a blank square, a solid colour), not for photos.
tests/claims/test_phash.py compares the two over many pictures.
"""

from __future__ import annotations

import math

from PIL import Image

HASH_SIZE = 8
SIDE = HASH_SIZE * 4  # imagehash's highfreq_factor
TIE_TOLERANCE = 1e-6

# scipy.fftpack.dct's type II without normalisation:
# y[k] = 2 * sum(x[n] * cos(pi * k * (2n + 1) / (2 * SIDE))), for the first HASH_SIZE k.
_BASIS = tuple(
    tuple(2 * math.cos(math.pi * k * (2 * n + 1) / (2 * SIDE)) for n in range(SIDE))
    for k in range(HASH_SIZE)
)


def low_frequencies(image: Image.Image) -> list[float]:
    """The top-left HASH_SIZE x HASH_SIZE DCT coefficients of the picture, row by row."""
    small = image.convert("L").resize((SIDE, SIDE), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    columns = [pixels[x::SIDE] for x in range(SIDE)]
    # Down the columns (scipy's axis 0), keeping only the low rows...
    rows = [[math.sumprod(basis, column) for column in columns] for basis in _BASIS]
    # ...then along those rows (axis 1), keeping only the low columns.
    return [math.sumprod(basis, row) for row in rows for basis in _BASIS]


def phash(image: Image.Image) -> str:
    """str(imagehash.phash(image)): 64 bits as 16 hex digits."""
    coefficients = low_frequencies(image)
    ordered = sorted(coefficients)
    middle = len(ordered) // 2
    median = (ordered[middle - 1] + ordered[middle]) / 2
    if any(abs(value - median) <= TIE_TOLERANCE for value in coefficients):
        return _imagehash_phash(image)
    bits = 0
    for value in coefficients:
        bits = (bits << 1) | (value > median)
    return f"{bits:0{HASH_SIZE * HASH_SIZE // 4}x}"


def _imagehash_phash(image: Image.Image) -> str:
    # Imported here: numpy and scipy load only for the rare picture that needs them.
    import imagehash

    return str(imagehash.phash(image))
