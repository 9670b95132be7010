"""The evidence photo pipeline: what it accepts, what it refuses, what survives."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from PIL import Image, ImageChops, ImageStat

from claims.photo_checks import PhotoRejected, check_upload_size
from claims.photos import (
    DISPLAY_QUALITY,
    ProcessedPhoto,
    photo_batch,
    process_photo,
    process_uploads,
)
from tests.factories import as_upload, make_heic, make_image, make_jpeg, make_png, make_webp

NOT_A_PHOTO = "This file is not a photo we can open. Upload a JPEG, PNG, WebP or HEIC photo."
DAMAGED = "This photo is damaged or incomplete"
TOO_MANY_PIXELS = "more pixels than a phone photo"


def open_jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=["JPEG"])
    image.load()
    return image


def rejected_message(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(PhotoRejected) as excinfo:
        process_photo(as_upload(data, name))
    assert str(excinfo.value) == excinfo.value.message
    return excinfo.value.message


def assert_no_metadata(data: bytes) -> None:
    image = open_jpeg(data)
    assert image.format == "JPEG"
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp", "comment", "photoshop", "adobe_transform"):
        assert key not in image.info, key
    # Searching the bytes as well: a segment Pillow does not parse is still there.
    for marker in (
        b"Exif",
        b"GPS",
        b"PhoneMaker",
        b"PhoneModel",
        b"ICC_PROFILE",
        b"http://ns.adobe",
    ):
        assert marker not in data, marker
    # APP0 (JFIF) is the only application segment left.
    assert [segment for segment, _ in image.applist] == ["APP0"]


# --- Accepted formats -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (make_jpeg(), "JPEG"),
        (make_png(), "PNG"),
        (make_webp(), "WEBP"),
        (make_heic(), "HEIF"),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_each_phone_format_is_accepted_and_becomes_a_clean_jpeg(data, fmt):
    photo = process_photo(as_upload(data, "whatever.bin", "application/octet-stream"))

    assert isinstance(photo, ProcessedPhoto)
    assert photo.original_format == fmt
    assert photo.original_size == len(data)
    assert (photo.width, photo.height) == (640, 480)
    display = open_jpeg(photo.display)
    assert display.size == (640, 480)
    assert display.mode == "RGB"
    assert open_jpeg(photo.thumbnail).size == (400, 300)
    assert_no_metadata(photo.display)
    assert_no_metadata(photo.thumbnail)


def test_heic_is_converted_to_jpeg_with_its_picture():
    photo = process_photo(as_upload(make_heic(), "IMG_0001.HEIC", "image/heic"))

    assert photo.original_format == "HEIF"
    assert photo.display[:3] == b"\xff\xd8\xff"
    display = open_jpeg(photo.display).convert("RGB")
    red, _, blue = display.getpixel((100, 300))
    assert red > 150 and blue < 100  # the left half is red
    red, _, blue = display.getpixel((540, 300))
    assert blue > 150 and red < 100  # the right half is blue


def test_the_upload_on_disk_is_processed_from_its_temporary_file(settings):
    data = make_jpeg(1200, 900)
    upload = TemporaryUploadedFile("photo.jpg", "image/jpeg", len(data), None)
    upload.write(data)
    upload.flush()

    photo = process_photo(upload)

    assert (photo.width, photo.height) == (1200, 900)
    assert photo.original_size == len(data)
    upload.close()


# --- Orientation ----------------------------------------------------------------------


def assert_upright(image: Image.Image) -> None:
    """photo_pixels() has a bright band at the top, red on the left, blue on the right."""
    image = image.convert("RGB")
    width, height = image.size
    top = image.getpixel((width // 2, height // 20))
    left = image.getpixel((width // 8, height * 3 // 4))
    right = image.getpixel((width * 7 // 8, height * 3 // 4))
    assert min(top) > 200, top
    assert left[0] > 150 and left[2] < 100, left
    assert right[2] > 150 and right[0] < 100, right


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_turns_the_photo_upright(orientation):
    # Stored as the camera saw it: the pixels that make the upright picture
    # after the transpose that `orientation` names.
    upright = make_jpeg(800, 600, gps=False)
    inverse = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    image = open_jpeg(upright)
    if orientation in inverse:
        image = image.transpose(inverse[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)

    photo = process_photo(as_upload(out.getvalue()))

    assert (photo.width, photo.height) == (800, 600)  # wide again
    assert_upright(open_jpeg(photo.display))
    assert_upright(open_jpeg(photo.thumbnail))


def test_a_phone_photo_taken_upright_comes_out_tall():
    # Phones store a portrait photo as landscape pixels with orientation 6.
    photo = process_photo(as_upload(make_jpeg(1600, 1200, orientation=6)))

    assert photo.height > photo.width
    assert (photo.width, photo.height) == (1200, 1600)
    thumbnail = open_jpeg(photo.thumbnail)
    assert thumbnail.height == 400 and thumbnail.width == 300


def test_heic_follows_its_container_orientation_not_a_stale_exif_tag():
    # In HEIF the container's own transform (applied by pillow-heif on decode)
    # says which way is up; an EXIF orientation tag inside is only a copy for
    # old readers. Turning the picture again by that tag would turn an iPhone
    # photo on its side. This file is upright per its container, but its EXIF
    # still says "rotate 90°".
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.open(io.BytesIO(make_jpeg(800, 600, gps=False)))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "HEIF", quality=80, exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).info["original_orientation"] == 6

    photo = process_photo(as_upload(out.getvalue(), "IMG.HEIC"))

    assert (photo.width, photo.height) == (800, 600)
    assert_upright(open_jpeg(photo.display))


# --- Metadata and trailing data ---------------------------------------------------


def test_exif_and_gps_are_gone_from_display_and_thumbnail():
    original = make_jpeg(1000, 750, orientation=1)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # there to begin with
    assert b"GPS" in original or b"\x88\x25" in original or b"\x25\x88" in original

    photo = process_photo(as_upload(original))

    assert_no_metadata(photo.display)
    assert_no_metadata(photo.thumbnail)


def test_comments_xmp_and_icc_profiles_are_not_kept():
    from PIL import ImageCms

    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description '
        b'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="PhoneMaker"/></x:xmpmeta>'
    )
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = make_jpeg(comment=b"shot by Jane at 12 Acacia Avenue", xmp=xmp, icc_profile=icc)
    assert b"Acacia" in data and b"adobe:ns:meta" in data

    photo = process_photo(as_upload(data))

    for copy in (photo.display, photo.thumbnail):
        assert b"Acacia" not in copy
        assert b"adobe:ns:meta" not in copy
        assert_no_metadata(copy)


def test_a_wide_gamut_photo_is_converted_to_srgb_before_its_profile_is_dropped():
    from PIL import ImageCms

    # A LAB-based profile stands in for Display P3: its pixels mean other colours.
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    assert lab and srgb
    data = make_png(icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())

    photo = process_photo(as_upload(data, "p.png"))

    assert "icc_profile" not in open_jpeg(photo.display).info


@pytest.mark.parametrize(
    "trailer",
    [
        pytest.param("zip", id="zip-appended"),
        pytest.param(b"<script>alert(document.cookie)</script>", id="script-appended"),
        pytest.param(b"<?php system($_GET['c']); ?>", id="php-appended"),
    ],
)
def test_anything_appended_after_the_picture_is_gone(trailer):
    if trailer == "zip":
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("payload.txt", "hidden payload inside the photo")
        trailer = archive.getvalue()
    data = make_jpeg() + trailer

    photo = process_photo(as_upload(data))

    for copy in (photo.display, photo.thumbnail):
        assert trailer not in copy
        assert b"payload" not in copy and b"script" not in copy and b"php" not in copy
        assert copy.endswith(b"\xff\xd9")
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(io.BytesIO(copy))


# --- Modes that need care ------------------------------------------------------------


def test_transparent_png_is_flattened_on_white():
    photo = process_photo(as_upload(make_png(mode="RGBA"), "p.png"))

    display = open_jpeg(photo.display)
    assert display.mode == "RGB"
    assert all(channel > 245 for channel in display.getpixel((320, 240)))


def test_palette_png_with_transparency_is_flattened_on_white():
    image = Image.new("P", (300, 300), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (150, 0, 300, 300))
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)

    display = open_jpeg(process_photo(as_upload(out.getvalue(), "p.png")).display)

    assert all(channel > 245 for channel in display.getpixel((50, 150)))  # transparent → white
    red, _, blue = display.getpixel((250, 150))
    assert blue > 200 and red < 50


def test_sixteen_bit_greyscale_png_keeps_its_tones():
    image = Image.new("I;16", (300, 300), 32768)  # mid grey in 16 bits
    out = io.BytesIO()
    image.save(out, "PNG")

    display = open_jpeg(process_photo(as_upload(out.getvalue(), "p.png")).display)

    assert all(120 <= channel <= 136 for channel in display.getpixel((150, 150)))


def test_cmyk_jpeg_becomes_rgb():
    image = Image.new("CMYK", (300, 300), (0, 255, 255, 0))  # red in ink
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)

    display = open_jpeg(process_photo(as_upload(out.getvalue())).display)

    assert display.mode == "RGB"
    red, green, blue = display.getpixel((150, 150))
    assert red > 200 and green < 60 and blue < 60


def test_greyscale_jpeg_becomes_rgb():
    photo = process_photo(as_upload(make_jpeg(mode="L")))

    assert open_jpeg(photo.display).mode == "RGB"


def test_an_animated_webp_is_refused_as_not_a_still_photo():
    frames = [Image.new("RGB", (300, 300), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)

    assert "animation" in rejected_message(out.getvalue(), "a.webp")


def test_an_animated_png_is_refused_as_not_a_still_photo():
    frames = [Image.new("RGB", (300, 300), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=100)

    assert "animation" in rejected_message(out.getvalue(), "a.png")


# --- Hostile and broken input ------------------------------------------------------


def make_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"just some text, renamed\n" * 20, "notes.jpg", id="text-renamed-jpg"),
        pytest.param(
            b"<!doctype html><html><script>alert(1)</script></html>", "page.jpg", id="html"
        ),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500">'
            b"<script>alert(1)</script></svg>",
            "drawing.png",
            id="svg",
        ),
        pytest.param(make_pdf(), "scan.jpg", id="pdf"),
        pytest.param(make_image("GIF", 300, 300), "photo.gif", id="gif"),
        pytest.param(make_image("BMP", 300, 300), "photo.jpg", id="bmp"),
        pytest.param(make_image("TIFF", 300, 300), "photo.tiff", id="tiff"),
        pytest.param(make_image("ICO", 256, 256), "photo.jpg", id="ico"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 200, "header-only.jpg", id="jpeg-magic-only"),
    ],
)
def test_files_that_are_not_allowed_photos_are_refused_by_content(data, name):
    assert rejected_message(data, name) == NOT_A_PHOTO


def test_a_truncated_jpeg_is_refused():
    data = make_jpeg(1200, 900)

    assert DAMAGED in rejected_message(data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(make_png(800, 600), id="png"),
        pytest.param(make_webp(800, 600), id="webp"),
        pytest.param(make_heic(800, 600), id="heic"),
        pytest.param(make_heic(2100, 1575), id="large-heic"),
    ],
)
def test_a_truncated_photo_of_any_format_is_refused(data):
    message = rejected_message(data[: len(data) * 2 // 3], "p.png")

    # Cut inside the picture data, or so early that the header is incomplete.
    assert DAMAGED in message or message == NOT_A_PHOTO


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 400 megapixels of one colour: a few hundred kilobytes on disk, 1.2 GB in memory.
    image = Image.new("1", (20000, 20000), 0)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    bomb = out.getvalue()
    assert len(bomb) < 2 * 1024 * 1024

    assert TOO_MANY_PIXELS in rejected_message(bomb, "bomb.png")


def test_a_picture_just_over_the_pixel_limit_is_refused(settings):
    settings.CLAIM_MAX_PHOTO_PIXELS = 600 * 400

    assert TOO_MANY_PIXELS in rejected_message(make_jpeg(601, 400))
    assert process_photo(as_upload(make_jpeg(600, 400))).width == 600


def test_an_oversize_file_is_refused_before_decoding(settings):
    settings.CLAIM_MAX_PHOTO_BYTES = 10_000
    data = make_jpeg(800, 600)
    assert len(data) > 10_000

    message = rejected_message(data)

    assert "photos can be up to 9.8\xa0KB" in message


def test_check_upload_size_passes_a_photo_within_the_limit():
    assert check_upload_size(as_upload(make_jpeg())) is None


def test_a_zero_byte_file_is_refused():
    assert "empty" in rejected_message(b"")


@pytest.mark.parametrize(
    ("width", "height", "words"),
    [
        (100, 100, "too small"),
        (2000, 150, "too small"),
        (4000, 300, "long strip"),
        (300, 4000, "long strip"),
    ],
)
def test_tiny_or_absurd_dimensions_are_refused(width, height, words):
    assert words in rejected_message(make_png(width, height), "p.png")


def test_the_uploaded_name_is_never_used():
    # Path tricks in the name make no difference: the result is the same photo.
    data = make_jpeg()
    plain = process_photo(as_upload(data, "photo.jpg"))
    tricky = process_photo(as_upload(data, "../../etc/passwd.jpg"))

    assert tricky == plain
    assert b"passwd" not in tricky.display


# --- Recognising the same photo -------------------------------------------------------


def test_the_same_photo_twice_has_the_same_hash():
    data = make_jpeg(seed=1)

    first = process_photo(as_upload(data, "a.jpg"))
    second = process_photo(as_upload(data, "b.jpg"))

    assert first.sha256 == second.sha256
    assert len(first.sha256) == 64


def test_different_photos_have_different_hashes():
    first = process_photo(as_upload(make_jpeg(seed=1)))
    second = process_photo(as_upload(make_jpeg(seed=2)))

    assert first.sha256 != second.sha256


def test_the_hash_is_of_the_original_bytes():
    import hashlib

    data = make_webp()

    assert process_photo(as_upload(data, "p.webp")).sha256 == hashlib.sha256(data).hexdigest()


# --- Sizes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "orientation"),
    [(4032, 3024, 1), (4032, 3024, 6), (3000, 2000, 1), (2048, 1536, 1), (5000, 700, 8)],
)
def test_display_and_thumbnail_stay_within_their_sizes(settings, width, height, orientation):
    photo = process_photo(as_upload(make_jpeg(width, height, orientation=orientation)))

    display = open_jpeg(photo.display)
    thumbnail = open_jpeg(photo.thumbnail)
    assert display.size == (photo.width, photo.height)
    assert max(display.size) <= settings.CLAIM_PHOTO_DISPLAY_SIZE
    # Decoded at reduced scale, never smaller than three quarters of the box.
    assert max(display.size) >= min(max(width, height), settings.CLAIM_PHOTO_DISPLAY_SIZE * 3 // 4)
    assert max(thumbnail.size) == settings.CLAIM_PHOTO_THUMBNAIL_SIZE
    # The shape is kept (within rounding).
    shape = max(width, height) / min(width, height)
    assert abs(max(display.size) / min(display.size) - shape) < 0.02
    assert len(photo.display) < len(make_jpeg(width, height))


def test_a_large_png_is_resized_to_the_display_size(settings):
    photo = process_photo(as_upload(make_png(3000, 2250), "p.png"))

    assert (photo.width, photo.height) == (2048, 1536)


def test_a_large_heic_is_decoded_straight_to_the_display_size(settings):
    # Big enough to take the memory-saving path (decoded buffer resized in place),
    # with an odd width so a row's bytes do not line up with anything by chance.
    data = make_heic(2101, 1577)

    photo = process_photo(as_upload(data, "IMG_0002.HEIC"))

    assert (photo.width, photo.height) == (2048, 1537)
    display = open_jpeg(photo.display)
    assert display.size == (2048, 1537)
    assert_upright(display)
    assert_upright(open_jpeg(photo.thumbnail))
    assert_no_metadata(photo.display)
    # The same picture as Pillow's own decode and resize, within JPEG's noise.
    reference = (
        Image.open(io.BytesIO(data)).convert("RGB").resize((2048, 1537), Image.Resampling.LANCZOS)
    )
    assert max(ImageStat.Stat(ImageChops.difference(display, reference)).mean) < 6


@pytest.mark.parametrize(
    ("width", "height", "mode", "kept", "expected"),
    [
        # Halved by 2x2 blocks, as a JPEG of that size is by its draft.
        pytest.param(3200, 2400, "RGB", (3200, 2400), (1600, 1200), id="halved"),
        pytest.param(3200, 2400, "L", (3200, 2400), (1600, 1200), id="halved-greyscale"),
        # Odd sides: whole blocks only, the last row and column are left out.
        pytest.param(3201, 2399, "RGB", (3200, 2398), (1600, 1199), id="halved-odd"),
        # Halved, still wider than the box: LANCZOS does the rest.
        pytest.param(4500, 600, "RGB", (4500, 600), (2048, 273), id="halved-then-resized"),
        # Too small to halve (it would fall under three quarters of the box).
        pytest.param(2600, 1950, "RGB", (2600, 1950), (2048, 1536), id="resized"),
    ],
)
def test_a_large_heic_is_shrunk_by_whole_blocks(settings, width, height, mode, kept, expected):
    data = make_heic(width, height, seed=3, gps=False, mode=mode)

    photo = process_photo(as_upload(data, "IMG_0003.HEIC"))

    assert (photo.width, photo.height) == expected
    display = open_jpeg(photo.display)
    if mode == "RGB":
        assert_upright(display)
    # The same picture as LANCZOS from every decoded pixel kept, as closely as
    # the display copy's JPEG encoding allows: on this noisy test picture the
    # encoding alone leaves 35-42 dB PSNR in colour (47 in grey), the blocks
    # take off up to 1 dB more (2.4 in grey, where there is more to lose),
    # a channel mixed up or everything a pixel off 7 to 33 dB more.
    with Image.open(io.BytesIO(data)) as full:
        reference = (
            full.convert("RGB").crop((0, 0, *kept)).resize(expected, Image.Resampling.LANCZOS)
        )
    encoded = io.BytesIO()
    reference.save(encoded, "JPEG", quality=DISPLAY_QUALITY)
    ceiling = _psnr(open_jpeg(encoded.getvalue()).convert("RGB"), reference)
    assert _psnr(display.convert("RGB"), reference) > min(ceiling - 1.5, 40)


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (576, 432),  # halved, then LANCZOS to the box
        (432, 576),
        (800, 600),  # a quarter
        (1600, 1200),  # an eighth
        (320, 240),  # too small to halve: LANCZOS only
    ],
)
def test_a_heic_comes_out_the_size_of_its_jpeg_twin(settings, width, height):
    # A small box keeps the pictures small: the factors are the same as for
    # 12 and 48 megapixel photos in a 2048 px box.
    settings.CLAIM_PHOTO_DISPLAY_SIZE = 256

    heic = process_photo(as_upload(make_heic(width, height, gps=False), "IMG_0004.HEIC"))
    jpeg = process_photo(as_upload(make_jpeg(width, height, gps=False)))

    assert (heic.width, heic.height) == (jpeg.width, jpeg.height)
    assert max(heic.width, heic.height) <= 256


def test_a_jpeg_with_a_multi_picture_index_is_taken_as_the_jpeg_it_is():
    # Many Android phones add a second picture (depth map, preview) in MPO form.
    first = Image.open(io.BytesIO(make_jpeg(800, 600, gps=False)))
    second = Image.new("RGB", (400, 300), "green")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"

    photo = process_photo(as_upload(out.getvalue()))

    assert photo.original_format == "JPEG"
    assert (photo.width, photo.height) == (800, 600)
    assert_upright(open_jpeg(photo.display))


def test_the_pixel_limit_from_settings_does_not_leak_into_other_image_code(settings):
    limit_before = Image.MAX_IMAGE_PIXELS
    settings.CLAIM_MAX_PHOTO_PIXELS = 1_000_000

    process_photo(as_upload(make_jpeg()))

    assert limit_before == Image.MAX_IMAGE_PIXELS


class RecordingFile(io.FileIO):
    """A file on disk that remembers how much each read asked for."""

    def __init__(self, *args):
        super().__init__(*args)
        self.reads = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)

    def readinto(self, buffer):
        self.reads.append(len(buffer))
        return super().readinto(buffer)


def test_an_upload_on_disk_is_read_in_chunks_never_whole(tmp_path):
    from django.core.files import File

    path = tmp_path / "upload.jpg"
    # Padded after the picture (trailing data is allowed, and dropped) so that
    # a whole-file read would stand out from the chunked ones.
    path.write_bytes(make_jpeg(3000, 2250) + os.urandom(3 * 1024 * 1024))
    raw = RecordingFile(path, "r")
    upload = File(raw, name="upload.jpg")

    photo = process_photo(upload)

    assert photo.original_size == path.stat().st_size > 3 * 1024 * 1024
    assert raw.reads
    assert all(0 <= size <= 1024 * 1024 for size in raw.reads), sorted(set(raw.reads))
    raw.close()


# --- Speed without a change of result --------------------------------------------


def _psnr(a: Image.Image, b: Image.Image) -> float:
    import math

    mse = sum(value * value for value in ImageStat.Stat(ImageChops.difference(a, b)).rms) / 3
    return 10 * math.log10(255 * 255 / mse) if mse else 99.0


def test_the_thumbnail_looks_like_one_made_from_the_full_photo():
    # The thumbnail is made from the display copy, which was decoded at half
    # scale, with a short reducing gap: it must still match one made the slow
    # way (LANCZOS from every pixel of the original) beyond what an eye sees.
    original = make_jpeg(4032, 3024, seed=5, gps=False)
    photo = process_photo(as_upload(original))
    with Image.open(io.BytesIO(original)) as full:
        reference = full.convert("RGB").resize((400, 300), Image.Resampling.LANCZOS)

    thumbnail = open_jpeg(photo.thumbnail)

    assert thumbnail.size == (400, 300)
    assert _psnr(thumbnail.convert("RGB"), reference) > 38


def test_a_photo_batch_gives_the_same_copies_and_reuses_image_memory():
    photos = [make_jpeg(2400, 1800, orientation=6, seed=seed) for seed in range(3)]
    alone = [process_photo(as_upload(data)) for data in photos]
    Image.core.reset_stats()

    with photo_batch():
        batched = [process_photo(as_upload(data)) for data in photos]
        reused = Image.core.get_stats()["reused_blocks"]

    assert [(p.display, p.thumbnail) for p in batched] == [(p.display, p.thumbnail) for p in alone]
    assert reused > 0
    # Afterwards Pillow keeps nothing: an idle worker holds no image memory.
    assert Image.core.get_blocks_max() == 0
    assert Image.core.get_stats()["blocks_cached"] == 0


def test_a_photo_batch_ends_clean_when_a_photo_is_refused():
    with pytest.raises(PhotoRejected), photo_batch():
        process_photo(as_upload(make_jpeg(2400, 1800)))
        process_photo(as_upload(make_jpeg(2400, 1800)[:50_000]))

    assert Image.core.get_blocks_max() == 0
    assert Image.core.get_stats()["blocks_cached"] == 0


def test_a_requests_uploads_are_processed_in_order_with_refusals_named():
    uploads = [
        ("item", as_upload(make_jpeg(seed=1), "first.jpg")),
        ("package", as_upload(b"not a photo", "second.jpg")),
        ("item", as_upload(make_png(seed=2), "third.png")),
    ]

    results = list(process_uploads(uploads))

    assert [(r.key, r.name) for r in results] == [
        ("item", "first.jpg"),
        ("package", "second.jpg"),
        ("item", "third.png"),
    ]
    assert results[0].photo.original_format == "JPEG" and results[0].refusal == ""
    assert results[1].photo is None
    assert results[1].refusal == f"second.jpg: {NOT_A_PHOTO}"
    assert results[2].photo.original_format == "PNG"
    assert Image.core.get_blocks_max() == 0  # the batch ended with the last upload


def test_a_heic_in_a_batch_is_decoded_without_pillow_holding_spare_memory(monkeypatch):
    import pillow_heif

    real_open_heif = pillow_heif.open_heif
    cached_at_decode = []

    def open_heif(*args, **kwargs):
        cached_at_decode.append(Image.core.get_stats()["blocks_cached"])
        return real_open_heif(*args, **kwargs)

    monkeypatch.setattr(pillow_heif, "open_heif", open_heif)
    with photo_batch():
        process_photo(as_upload(make_jpeg(2400, 1800)))
        assert Image.core.get_stats()["blocks_cached"] > 0
        photo = process_photo(as_upload(make_heic(2400, 1800)))

    assert photo.original_format == "HEIF"
    # libheif decodes into memory of its own: Pillow's spare blocks were freed first.
    assert cached_at_decode == [0]
