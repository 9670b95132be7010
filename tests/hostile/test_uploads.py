"""Hostile uploads, sent both to the claim form's photo step and to the
customer's link: anything that is not a photo we accept is refused with a
message naming the file, a 400, and nothing kept; anything that is a photo
keeps only its pixels, under a name we chose."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    as_upload,
    make_claim,
    make_claim_details,
    make_image,
    make_jpeg,
    make_png,
)
from tests.hostile.checks import assert_refused
from tests.wizard import wizard_post

pytestmark = pytest.mark.hostile

NOT_A_PHOTO = "This file is not a photo we can open. Upload a JPEG, PNG, WebP or HEIC photo."
TOO_MANY_PIXELS = "This picture has more pixels than a phone photo"
EMPTY = "This file is empty. Choose the photo again and upload it."
DAMAGED = "This photo is damaged or incomplete and cannot be opened."


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=60_000, height=60_000) -> bytes:
    """A few hundred bytes claiming 3.6 gigapixels: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * 1000) * 10, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_with_dimensions(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header claims other dimensions."""
    data = bytearray(make_jpeg(320, 240, gps=False))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * (20 * 1024 * 1024))
    return out.getvalue()


SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_SCRIPT = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EICAR_LIKE = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$TEST-FILE-NOT-A-PHOTO$H+H*"

# (id, file name, bytes, content type, expected message)
REFUSED = [
    ("text-renamed-jpg", "photo.jpg", b"just some words\n" * 20, "image/jpeg", NOT_A_PHOTO),
    ("svg-with-script", "photo.svg", SVG_SCRIPT, "image/svg+xml", NOT_A_PHOTO),
    ("svg-renamed-jpg", "photo.jpg", SVG_SCRIPT, "image/jpeg", NOT_A_PHOTO),
    ("html-with-script", "photo.html", HTML_SCRIPT, "text/html", NOT_A_PHOTO),
    ("html-renamed-png", "photo.png", HTML_SCRIPT, "image/png", NOT_A_PHOTO),
    ("pdf", "photo.pdf", PDF, "application/pdf", NOT_A_PHOTO),
    ("pdf-jpeg-polyglot", "photo.jpg", PDF + make_jpeg(gps=False), "image/jpeg", NOT_A_PHOTO),
    ("html-jpeg-polyglot", "photo.jpg", HTML_SCRIPT + make_jpeg(gps=False), "image/jpeg",
     NOT_A_PHOTO),
    ("zip-bomb-renamed-jpg", "photo.jpg", zip_bomb(), "image/jpeg", NOT_A_PHOTO),
    ("executable-like", "photo.jpg", b"MZ\x90\x00" + EICAR_LIKE, "image/jpeg", NOT_A_PHOTO),
    ("gif", "photo.gif", make_image("GIF"), "image/gif", NOT_A_PHOTO),
    ("bmp", "photo.bmp", make_image("BMP"), "image/bmp", NOT_A_PHOTO),
    ("tiff", "photo.tif", make_image("TIFF"), "image/tiff", NOT_A_PHOTO),
    ("png-decompression-bomb", "photo.png", png_bomb(), "image/png", TOO_MANY_PIXELS),
    ("jpeg-huge-dimensions", "photo.jpg", jpeg_with_dimensions(65_000, 65_000), "image/jpeg",
     TOO_MANY_PIXELS),
    ("zero-bytes", "photo.jpg", b"", "image/jpeg", EMPTY),
    ("truncated-jpeg", "photo.jpg", make_jpeg(1200, 900)[:4000], "image/jpeg", DAMAGED),
    ("truncated-png", "photo.png", make_png()[:3000], "image/png", DAMAGED),
    ("jpeg-header-only", "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg",
     NOT_A_PHOTO),
    ("path-traversal-name", "../../../etc/passwd", b"root:x:0:0\n", "image/jpeg", NOT_A_PHOTO),
    ("windows-path-name", "..\\..\\boot.ini.jpg", b"[boot loader]\n", "image/jpeg", NOT_A_PHOTO),
    ("rtl-override-name", "photo\u202egpj.exe", b"MZ\x90\x00", "image/jpeg", NOT_A_PHOTO),
    ("html-in-name", '<img src=x onerror=alert(1)>.jpg', b"nope", "image/jpeg", NOT_A_PHOTO),
]  # fmt: skip

REFUSED_PARAMS = [pytest.param(*case[1:], id=case[0]) for case in REFUSED]


def _reach_photo_step(client):
    client.get("/claim/")
    wizard_post(client, "what-happened", {"issue_type": "damaged_item"})
    wizard_post(client, "fulfillment", {"fulfillment_method": "kingston_express"})
    wizard_post(client, "destination", {"destination": "domestic"})
    details = make_claim_details(severity="major")
    assert wizard_post(client, "order-details", details).status_code == 302


def post_to_wizard(client, upload):
    _reach_photo_step(client)
    return lambda: wizard_post(client, "photos", {"action": "upload"}, {"photos-item": upload})


def post_to_customer_link(client, upload):
    submitted = make_claim()
    url = f"/claim/c/{submitted.customer_token}/"
    return lambda: client.post(url, {"kind": "item", "note": "", "photos": upload})


TARGETS = [
    pytest.param(post_to_wizard, id="claim-form"),
    pytest.param(post_to_customer_link, id="customer-link"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("name", "data", "content_type", "message"), REFUSED_PARAMS)
def test_a_hostile_upload_is_refused_and_nothing_is_kept(
    client, nothing_stored, target, name, data, content_type, message
):
    send = target(client, SimpleUploadedFile(name, data, content_type=content_type))

    with nothing_stored():
        response = send()

    assert_refused(response, 400, message)
    body = response.content.decode()
    # The name is shown to say which file, but never as markup or a path.
    assert "<img src=x" not in body
    assert "/etc/passwd" not in body
    assert "\u202e" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS)
def test_a_photo_over_the_size_limit_is_refused(client, settings, nothing_stored, target):
    settings.CLAIM_MAX_PHOTO_BYTES = 20_000
    send = target(client, as_upload(make_jpeg(1600, 1200), "big.jpg"))

    with nothing_stored():
        response = send()

    assert_refused(response, 400, "big.jpg: This photo is", "photos can be up to 19.5")


@pytest.mark.django_db
def test_a_file_far_beyond_every_upload_limit_is_refused(client, settings, nothing_stored):
    """16 MiB of noise: bigger than the photo limit and many times the
    in-memory upload size, so it streams to a temporary file first."""
    import os

    assert settings.CLAIM_MAX_PHOTO_BYTES < 16 * 1024 * 1024
    send = post_to_wizard(client, as_upload(os.urandom(16 * 1024 * 1024), "huge.jpg"))

    with nothing_stored():
        response = send()

    assert_refused(response, 400, "huge.jpg: This photo is 16.0", "Upload a smaller photo.")


@pytest.mark.django_db
def test_more_files_than_a_request_may_carry_get_the_bad_request_page(client, nothing_stored):
    send = post_to_customer_link(client, [as_upload(b"x", f"{n}.jpg") for n in range(120)])

    with nothing_stored():
        response = send()

    assert_refused(response, 400, "We could not read that request", "nothing was saved")


@pytest.mark.django_db
def test_uploads_in_a_field_the_page_never_had_are_refused(client, nothing_stored):
    _reach_photo_step(client)

    with nothing_stored():
        response = wizard_post(
            client, "photos", {"action": "upload"}, {"photos-../../x": as_upload(make_jpeg())}
        )

    assert_refused(response, 400, "were not sent from one of the photo boxes")


# --- Files that are photos: kept, but only their pixels -----------------------


def jpeg_with_huge_exif() -> bytes:

    from tests.factories import photo_exif, photo_pixels

    exif = photo_exif()
    exif[0x010E] = "A" * 50_000  # ImageDescription: most of an APP1 segment
    exif[0x9286] = b"UNICODE\x00" + "\u202e<script>".encode("utf-16-be") * 300  # UserComment
    out = io.BytesIO()
    photo_pixels(640, 480).save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


ZIP_TAIL = zip_bomb()[:2000]
PNG_WITH_HTML = (
    make_png()[:-12] + _png_chunk(b"tEXt", b"c\x00" + HTML_SCRIPT) + _png_chunk(b"IEND", b"")
)

# (id, file name, bytes, bytes that must not survive)
CLEANED = [
    ("jpeg-zip-polyglot", "photo.jpg", make_jpeg(gps=False) + ZIP_TAIL, b"zeros.bin"),
    ("jpeg-html-polyglot", "photo.jpg", make_jpeg(gps=False) + HTML_SCRIPT, b"<script>"),
    ("png-with-html-chunk", "photo.png", PNG_WITH_HTML, b"<script>"),
    ("exif-huge-fields", "photo.jpg", jpeg_with_huge_exif(), b"AAAAAAAAAAAAAAAA"),
    ("path-traversal-name", "../../../../tmp/owned.jpg", make_jpeg(seed=3), b"PhoneMaker"),
    ("nul-in-name", "photo\x00.php.jpg", make_jpeg(seed=4), b"PhoneMaker"),
    ("rtl-override-name", "photo\u202egpj.php", make_jpeg(seed=5), b"PhoneMaker"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    ("name", "data", "payload"), [pytest.param(*c[1:], id=c[0]) for c in CLEANED]
)
def test_a_photo_carrying_extra_bytes_is_kept_as_pixels_only(
    client, tmp_path, target, name, data, payload
):
    send = target(client, SimpleUploadedFile(name, data, content_type="image/jpeg"))

    response = send()

    assert response.status_code == 302
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored, "the photo was kept"
    for path in stored:
        # Only names we made, only inside the test's folders, only clean JPEGs.
        assert path.resolve().is_relative_to(tmp_path.resolve())
        assert path.suffix == ".jpg"
        assert "photo" not in path.name and "owned" not in path.name
        content = path.read_bytes()
        assert content.startswith(b"\xff\xd8\xff")
        assert payload not in content
        assert b"Exif" not in content
    assert not (tmp_path.parent / "tmp" / "owned.jpg").exists()
