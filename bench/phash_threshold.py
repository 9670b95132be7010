"""`make phash-threshold`: where to draw the line for "a near-identical photo".

The claim page flags a photo whose perceptual hash (`claims.photo_metadata.
perceptual_hash`, imagehash's pHash of the display copy) is within CLAIM_PHOTO_NEAR_MATCH_DISTANCE
bits of a photo in another claim. This measures that line on made-up photos:

- scenes: photo-like pictures made with Pillow, in several kinds a claim
  shows (a parcel with its label on a floor or table, an item on a surface,
  packing materials, a shelf of products, a room corner): gradients for light,
  shapes, printed text, sensor noise, each scene with its own layout and
  colours, and many scenes of the *same kind* (the hard case: two different
  brown boxes on two different floors);
- edited copies of each scene: a crop of 5, 10 or 15 %, a resize to half or a
  quarter, JPEG recompressed at quality 90, 70, 50 and 30, brightness +/-20 %,
  a rotation of 2 or 5 degrees, and two edits combined (as a screenshot of a
  forwarded photo would be);
- every scene against every other scene (and its copies) as unrelated pairs.

Each picture goes through the same pipeline as an upload (JPEG bytes through
`process_photo`), so the hash is of the display copy as stored.

For each candidate threshold it prints the false-match rate (unrelated pairs
at or under it) and the miss rate (edited copies over it). Run:

    make phash-threshold            # 60 scenes
    .venv/bin/python bench/phash_threshold.py --scenes 120 --seed 7
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KINDS = ("parcel", "item", "packing", "shelf", "room")
THRESHOLDS = (0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24)


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "phash-bench-only")
    import django

    django.setup()


# --- Scenes ---------------------------------------------------------------------


def _gradient(size, top, bottom, rng):
    from PIL import Image

    width, height = size
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel(
            (0, y),
            tuple(
                int(a + (b - a) * t + rng.uniform(-2, 2)) for a, b in zip(top, bottom, strict=True)
            ),
        )
    return column.resize(size, resample=3)


def _colour(rng, base=None, spread=60):
    if base is None:
        return tuple(rng.randrange(30, 230) for _ in range(3))
    return tuple(max(0, min(255, c + rng.randrange(-spread, spread))) for c in base)


def _words(rng, n):
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randrange(3, 9))) for _ in range(n)
    )


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # an old Pillow: a fixed bitmap font
        return ImageFont.load_default()


def make_scene(kind: str, seed: int, size=(1600, 1200)):
    """One photo-like picture of `kind`, different for every seed."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(f"{kind}-{seed}")
    width, height = size
    floor_top = _colour(rng)
    image = _gradient(size, floor_top, _colour(rng, floor_top, 80), rng)
    draw = ImageDraw.Draw(image)
    horizon = rng.randrange(height // 5, height // 2)
    wall = _colour(rng)
    draw.rectangle((0, 0, width, horizon), fill=wall)
    # Light falling across the scene from one side.
    light = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(size)
    if kind == "parcel":
        cardboard = (rng.randrange(150, 200), rng.randrange(110, 150), rng.randrange(60, 100))
        for _ in range(rng.randrange(1, 3)):
            w, h = rng.randrange(width // 4, width // 2), rng.randrange(height // 4, height // 2)
            x, y = rng.randrange(0, width - w), rng.randrange(horizon // 2, height - h)
            draw.rectangle(
                (x, y, x + w, y + h),
                fill=_colour(rng, cardboard, 25),
                outline=(60, 40, 20),
                width=4,
            )
            draw.line(
                (x, y + h // 2, x + w, y + h // 2),
                fill=(200, 180, 120),
                width=rng.randrange(20, 50),
            )
            lx, ly = x + rng.randrange(10, w // 2), y + rng.randrange(10, h // 2)
            draw.rectangle((lx, ly, lx + w // 3, ly + h // 4), fill=(245, 245, 240))
            for line in range(4):
                draw.text(
                    (lx + 8, ly + 8 + line * 24), _words(rng, 2), fill=(20, 20, 20), font=_font(20)
                )
            for bar in range(30):
                bx = lx + 8 + bar * 5
                draw.line(
                    (bx, ly + h // 4 - 30, bx, ly + h // 4 - 8),
                    fill=(0, 0, 0),
                    width=rng.choice((1, 2, 3)),
                )
    elif kind == "item":
        for _ in range(rng.randrange(1, 4)):
            cx, cy = rng.randrange(width // 5, 4 * width // 5), rng.randrange(horizon, height)
            r = rng.randrange(width // 12, width // 5)
            shape = rng.choice(("ellipse", "rounded", "polygon"))
            fill = _colour(rng)
            if shape == "ellipse":
                draw.ellipse(
                    (cx - r, cy - r, cx + r, cy + int(r * 1.3)), fill=fill, outline=_colour(rng)
                )
            elif shape == "rounded":
                draw.rounded_rectangle(
                    (cx - r, cy - r, cx + r, cy + r * 2), radius=r // 3, fill=fill
                )
            else:
                points = [(cx + rng.randrange(-r, r), cy + rng.randrange(-r, r)) for _ in range(6)]
                draw.polygon(points, fill=fill)
            # A crack, a chip or a label on the item.
            draw.line(
                [(cx + rng.randrange(-r, r), cy + rng.randrange(-r, r)) for _ in range(4)],
                fill=(25, 25, 25),
                width=3,
            )
            draw.text((cx - r // 2, cy), _words(rng, 1), fill=_colour(rng), font=_font(32))
    elif kind == "packing":
        paper = _colour(rng, (220, 215, 200), 20)
        for _ in range(rng.randrange(30, 80)):
            x, y = rng.randrange(width), rng.randrange(horizon, height)
            r = rng.randrange(15, 70)
            draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=_colour(rng, paper, 30), outline=(150, 150, 140)
            )
        for _ in range(rng.randrange(3, 10)):
            draw.line(
                [(rng.randrange(width), rng.randrange(height)) for _ in range(3)],
                fill=_colour(rng, (190, 190, 200), 30),
                width=rng.randrange(8, 30),
            )
    elif kind == "shelf":
        rows = rng.randrange(2, 5)
        for row in range(rows):
            y = horizon // 2 + row * (height - horizon // 2) // rows
            draw.rectangle((0, y, width, y + 18), fill=(90, 70, 50))
            x = rng.randrange(0, 40)
            while x < width:
                w = rng.randrange(40, 160)
                h = rng.randrange(60, (height - horizon // 2) // rows - 30)
                draw.rectangle((x, y - h, x + w, y), fill=_colour(rng), outline=(30, 30, 30))
                draw.text(
                    (x + 4, y - h + 6), _words(rng, 1)[:6], fill=(250, 250, 250), font=_font(16)
                )
                x += w + rng.randrange(4, 30)
    else:  # room
        for _ in range(rng.randrange(3, 7)):
            x0, y0 = rng.randrange(width), rng.randrange(height)
            draw.rectangle(
                (x0, y0, x0 + rng.randrange(100, 600), y0 + rng.randrange(100, 500)),
                fill=_colour(rng),
            )
        draw.polygon(
            [(0, height), (width // 3, horizon), (2 * width // 3, horizon), (width, height)],
            fill=_colour(rng, floor_top, 40),
        )
        draw.text((width // 10, horizon // 3), _words(rng, 3), fill=_colour(rng), font=_font(48))
    image = Image.composite(image, image.point(lambda v: int(v * 0.55)), light)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.6)))
    noise = Image.effect_noise(size, rng.uniform(8, 20)).convert("RGB")
    return Image.blend(image, noise, rng.uniform(0.04, 0.1))


# --- Edits ----------------------------------------------------------------------


def _crop(share, corner):
    def edit(image):
        w, h = image.size
        dx, dy = int(w * share), int(h * share)
        boxes = {
            "centre": (dx // 2, dy // 2, w - dx // 2, h - dy // 2),
            "top-left": (0, 0, w - dx, h - dy),
            "bottom-right": (dx, dy, w, h),
        }
        return image.crop(boxes[corner])

    return edit


def _resize(scale):
    def edit(image):
        return image.resize((int(image.width * scale), int(image.height * scale)), resample=1)

    return edit


def _jpeg(quality):
    def edit(image):
        from PIL import Image

        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        return Image.open(io.BytesIO(out.getvalue())).convert("RGB")

    return edit


def _brightness(factor):
    def edit(image):
        from PIL import ImageEnhance

        return ImageEnhance.Brightness(image).enhance(factor)

    return edit


def _rotate(degrees):
    def edit(image):
        # As a phone editor does: rotate and crop to the picture, no black corners.
        from PIL import Image

        turned = image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False)
        return _crop(0.08, "centre")(turned)

    return edit


def _both(first, second):
    def edit(image):
        return second(first(image))

    return edit


EDITS = {
    "crop 5% centre": _crop(0.05, "centre"),
    "crop 10% corner": _crop(0.10, "top-left"),
    "crop 15% corner": _crop(0.15, "bottom-right"),
    "crop 15% centre": _crop(0.15, "centre"),
    "resize 1/2": _resize(0.5),
    "resize 1/4": _resize(0.25),
    "jpeg q90": _jpeg(90),
    "jpeg q70": _jpeg(70),
    "jpeg q50": _jpeg(50),
    "jpeg q30": _jpeg(30),
    "brightness +20%": _brightness(1.2),
    "brightness -20%": _brightness(0.8),
    "rotate 2°": _rotate(2),
    "rotate -5°": _rotate(-5),
    "crop 10% + jpeg q50": _both(_crop(0.10, "centre"), _jpeg(50)),
    "resize 1/2 + brightness -20%": _both(_resize(0.5), _brightness(0.8)),
}


# --- Measuring ------------------------------------------------------------------


@dataclass(frozen=True)
class Hashed:
    scene: int
    kind: str
    edit: str  # "" for the scene itself
    phash: str


def hash_of(image) -> str:
    """The stored hash of `image` uploaded as a phone JPEG: through process_photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from claims.photos import process_photo

    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88)
    upload = SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")
    return process_photo(upload).phash


def measure(scenes: int, seed: int):
    from claims.review_signals import phash_distance as hamming

    originals: list[Hashed] = []
    copies: list[Hashed] = []
    started = time.perf_counter()
    for number in range(scenes):
        kind = KINDS[number % len(KINDS)]
        image = make_scene(kind, seed * 10_000 + number)
        originals.append(Hashed(number, kind, "", hash_of(image)))
        for name, edit in EDITS.items():
            copies.append(Hashed(number, kind, name, hash_of(edit(image))))
    elapsed = time.perf_counter() - started

    # Edited copies against their own scene.
    by_scene = {h.scene: h for h in originals}
    copy_distances = [(c, hamming(c.phash, by_scene[c.scene].phash)) for c in copies]
    # Unrelated: every scene against every other scene and against its copies.
    unrelated = []
    for a, b in itertools.combinations(originals, 2):
        unrelated.append((a.kind == b.kind, hamming(a.phash, b.phash)))
    for c in copies:
        for o in originals:
            if o.scene != c.scene:
                unrelated.append((o.kind == c.kind, hamming(c.phash, o.phash)))
    return originals, copy_distances, unrelated, elapsed


def report(scenes: int, seed: int, chosen: int) -> str:
    originals, copy_distances, unrelated, elapsed = measure(scenes, seed)
    lines = [
        f"Perceptual hash (pHash, 64 bits) of the stored display copy: {len(originals)} scenes "
        f"({', '.join(KINDS)}), {len(copy_distances)} edited copies, {len(unrelated)} unrelated "
        f"pairs ({sum(1 for same, _d in unrelated if same)} of the same kind of scene); "
        f"made and hashed in {elapsed:.0f} s.",
        "",
        "| threshold (bits) | false matches (all unrelated) | false matches (same kind of scene) "
        "| missed edited copies |",
        "|---:|---:|---:|---:|",
    ]
    same_kind = [d for same, d in unrelated if same]
    for threshold in THRESHOLDS:
        false_all = sum(1 for _same, d in unrelated if d <= threshold)
        false_same = sum(1 for d in same_kind if d <= threshold)
        missed = sum(1 for _c, d in copy_distances if d > threshold)
        mark = " (chosen)" if threshold == chosen else ""
        lines.append(
            f"| {threshold}{mark} | {false_all / len(unrelated):.4%} ({false_all}) "
            f"| {false_same / max(len(same_kind), 1):.4%} ({false_same}) "
            f"| {missed / len(copy_distances):.2%} ({missed}) |"
        )
    lines += ["", "Miss rate per edit at the chosen threshold, and the largest distance seen:", ""]
    lines += ["| edit | missed | max distance |", "|---|---:|---:|"]
    for name in EDITS:
        distances = [d for c, d in copy_distances if c.edit == name]
        missed = sum(1 for d in distances if d > chosen)
        lines.append(f"| {name} | {missed / len(distances):.0%} ({missed}) | {max(distances)} |")
    closest = min(d for _same, d in unrelated)
    lines += ["", f"Closest unrelated pair: {closest} bits."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings

    print(report(args.scenes, args.seed, settings.CLAIM_PHOTO_NEAR_MATCH_DISTANCE))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
