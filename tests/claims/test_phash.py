"""claims.phash: imagehash's pHash bit for bit, without numpy or scipy in the upload path."""

import random
import subprocess
import sys
from pathlib import Path

import imagehash
import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from claims import phash as phash_module
from claims import photos
from claims.phash import TIE_TOLERANCE, low_frequencies, phash
from claims.photo_metadata import perceptual_hash, phash_windows
from tests.factories import as_upload, make_jpeg, make_png, photo_pixels

ROOT = Path(__file__).resolve().parent.parent.parent


def _shapes(rng, size):
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randrange(1, 40)):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x, y, x + rng.randrange(5, 200), y + rng.randrange(5, 200))
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle(box, fill=colour)
        else:
            draw.ellipse(box, outline=colour, width=rng.randrange(1, 6))
    return image.filter(ImageFilter.GaussianBlur(rng.random() * 3))


def generated_pictures(count, seed):
    """Pictures of the kinds hashed in practice and some that are not photos at all."""
    rng = random.Random(seed)
    for index in range(count):
        size = (rng.randrange(24, 640), rng.randrange(24, 640))
        kind = index % 6
        if kind == 0:
            picture = photo_pixels(*size, seed=rng.randrange(10**6))
        elif kind == 1:
            picture = _shapes(rng, size)
        elif kind == 2:
            picture = Image.effect_noise(size, rng.randrange(5, 120))
        elif kind == 3:
            gradient = Image.linear_gradient("L").rotate(rng.randrange(360))
            picture = gradient.resize(size)
        elif kind == 4:
            picture = Image.effect_mandelbrot(size, (-2, -1.2, 1, 1.2), rng.randrange(5, 100))
        else:
            picture = ImageEnhance.Brightness(_shapes(rng, size)).enhance(0.5 + rng.random())
        yield picture


def imagehash_perceptual_hash(image):
    """What claims.photo_metadata.perceptual_hash gave when it called imagehash."""
    grey = image.convert("L")
    boxes = phash_windows(*image.size)
    return " ".join(str(imagehash.phash(grey.crop(box))) for box in [None, *boxes])


@pytest.mark.parametrize("seed", range(4))
def test_the_hash_is_imagehashs_bit_for_bit_on_generated_pictures(seed):
    for picture in generated_pictures(60, seed):
        assert phash(picture) == str(imagehash.phash(picture))


@pytest.mark.parametrize("seed", range(2))
def test_a_photos_hash_and_its_ten_windows_are_imagehashs(seed):
    for picture in generated_pictures(30, seed + 100):
        assert perceptual_hash(picture) == imagehash_perceptual_hash(picture)


def test_the_hash_of_a_processed_photo_is_imagehashs_of_its_thumbnail(monkeypatch):
    hashed = []

    def record(image):
        hashed.append(image.copy())
        return perceptual_hash(image)

    monkeypatch.setattr(photos, "perceptual_hash", record)
    for seed, data in enumerate([make_jpeg(900, 700, orientation=6), make_png(500, 800, seed=4)]):
        photo = photos.process_photo(as_upload(data))
        assert photo.phash == imagehash_perceptual_hash(hashed[seed])
        assert len(photo.phash.split()) == 11


@pytest.mark.parametrize(
    "picture",
    [
        Image.new("L", (300, 200), 128),  # every frequency but the first is zero
        Image.new("RGB", (64, 64), (10, 200, 30)),
        Image.linear_gradient("L"),  # the same along every row: a column of zeros
        Image.new("L", (1, 1), 0),
    ],
    ids=["grey", "solid-colour", "gradient", "one-pixel"],
)
def test_a_tie_with_the_median_is_left_to_imagehash(picture, monkeypatch):
    coefficients = low_frequencies(picture)
    ordered = sorted(coefficients)
    median = (ordered[31] + ordered[32]) / 2
    assert any(abs(value - median) <= TIE_TOLERANCE for value in coefficients)
    assert phash(picture) == str(imagehash.phash(picture))
    monkeypatch.setattr(phash_module, "_imagehash_phash", lambda image: "asked imagehash")
    assert phash(picture) == "asked imagehash"


def test_a_photo_never_asks_imagehash(monkeypatch):
    def refuse(image):
        raise AssertionError("a photo's coefficients are never that close to the median")

    monkeypatch.setattr(phash_module, "_imagehash_phash", refuse)
    for seed in range(20):
        perceptual_hash(photo_pixels(400, 300, seed=seed))


def test_processing_photos_loads_neither_numpy_nor_scipy():
    """numpy and scipy cost the worker about 40 MiB at its peak (bench/photos.py)."""
    script = """
import io, os, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from claims.photos import process_uploads
uploads = []
for index, fmt in enumerate(["JPEG", "PNG"]):
    out = io.BytesIO()
    # Not symmetric: a mirror image has coefficients on the median (left to imagehash).
    Image.effect_mandelbrot((640, 480), (-2, -1.0, 1, 1.3), 40 + index).save(out, fmt)
    uploads.append((index, SimpleUploadedFile(f"p{index}", out.getvalue())))
results = list(process_uploads(uploads))
assert all(result.photo and result.photo.phash for result in results), results
print(sorted(name for name in sys.modules if name.split(".")[0] in {"numpy", "scipy", "imagehash"}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
