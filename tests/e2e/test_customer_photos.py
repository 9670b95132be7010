"""The customer's photo page on a phone (390 px): a file input per kind, photos shrunk on
the phone before they are sent (bytes measured per 12 MP photo, with and without
JavaScript), and a refused upload that looks refused. Screenshots in test-artifacts/."""

import io
import json

import pytest
from django.core.signals import request_started
from PIL import Image
from playwright.sync_api import expect

from claims.models import Claim
from tests.browsers import serious_axe_violations
from tests.factories import make_claim, photo_exif, photo_pixels

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAIT = 30_000
PHONE = {"width": 390, "height": 844}
LABELS = {"item": "Photos of the item", "package": "Photos of the package (outer box and label)"}


def phone_photo_12mp(seed: int) -> bytes:
    """A 4032 x 3024 JPEG with GPS in its EXIF and a camera's grain, about a phone's size."""
    pixels = photo_pixels(4032, 3024, seed=seed)
    grain = Image.effect_noise((4032, 3024), 60).convert("RGB")
    out = io.BytesIO()
    Image.blend(pixels, grain, 0.2).save(out, "JPEG", quality=95, exif=photo_exif(gps=True))
    return out.getvalue()


def send(page, url, files: dict, artifacts, name, *, script=True):
    """Choose each kind's files and send them."""
    page.goto(url)
    for kind, path in files.items():
        # The label reads "Photos of the item Needed" until one is received.
        field = page.get_by_label(LABELS[kind])
        expect(field).to_have_attribute("name", f"photos-{kind}")
        field.set_input_files(path)
    if script:
        expect(page.locator(".photo-preview")).to_have_count(len(files), timeout=WAIT)
    page.screenshot(path=str(artifacts / f"customer-{name}-chosen-390.png"), full_page=True)
    page.get_by_role("button", name="Send photos").click()


@pytest.fixture
def posted_bytes():
    """The Content-Length of every POST the live server receives (it runs in this process)."""
    lengths = []

    def record(sender, environ=None, **kwargs):
        if environ and environ.get("REQUEST_METHOD") == "POST":
            lengths.append(int(environ.get("CONTENT_LENGTH") or 0))

    request_started.connect(record)
    yield lengths
    request_started.disconnect(record)


def test_mixed_kinds_on_a_phone_each_keep_their_kind_and_are_shrunk_first(
    browser, live_server, artifacts, tmp_path, posted_bytes
):
    submitted = make_claim(
        fulfillment_method="seller_managed",
        order_number="SM-55001122",
        stock_available=True,
        customer_sends_photos=True,
    )
    item, box = tmp_path / "item.jpg", tmp_path / "box.jpg"
    item.write_bytes(phone_photo_12mp(1))
    box.write_bytes(phone_photo_12mp(2))
    originals = item.stat().st_size + box.stat().st_size
    url = f"{live_server.url}/claim/c/{submitted.customer_token}/"

    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(url)
    assert serious_axe_violations(page) == []
    send(
        page,
        url,
        {"item": item, "package": box},
        artifacts,
        "mixed-js",
    )
    expect(page.locator(".messages")).to_contain_text("2 photos added", timeout=WAIT)
    expect(page.locator("main")).to_contain_text("Being reviewed", timeout=WAIT)
    page.screenshot(path=str(artifacts / "customer-mixed-js-sent-390.png"), full_page=True)
    assert serious_axe_violations(page) == []

    claim = Claim.objects.get(pk=submitted.claim.pk)
    assert sorted(claim.photos.values_list("kind", flat=True)) == ["item", "package"]
    assert max(claim.photos.values_list("width", flat=True)) <= 2048
    shrunk = sum(posted_bytes)
    assert shrunk < originals / 4, (shrunk, originals)

    # Without JavaScript the originals go as they are, and still work.
    again = make_claim(
        fulfillment_method="seller_managed", order_number="SM-55001123", customer_sends_photos=True
    )
    plain = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    posted_bytes.clear()
    send(
        plain,
        f"{live_server.url}/claim/c/{again.customer_token}/",
        {"item": item, "package": box},
        artifacts,
        "mixed-nojs",
        script=False,
    )
    expect(plain.locator(".messages")).to_contain_text("2 photos added", timeout=WAIT)
    unshrunk = sum(posted_bytes)
    assert unshrunk > originals
    (artifacts / "customer-photo-bytes.json").write_text(
        json.dumps(
            {
                "photos": 2,
                "original_bytes_per_photo": originals // 2,
                "sent_bytes_per_photo_with_js": shrunk // 2,
                "sent_bytes_per_photo_without_js": unshrunk // 2,
            },
            indent=2,
        )
    )


def test_a_refused_upload_looks_refused_and_says_why(browser, live_server, artifacts, tmp_path):
    submitted = make_claim(customer_sends_photos=True, order_number="KX-55001124")
    fake = tmp_path / "receipt.jpg"
    fake.write_bytes(b"GIF89a" + b"\0" * 2000)
    page = browser.new_context(viewport=PHONE).new_page()

    send(page, f"{live_server.url}/claim/c/{submitted.customer_token}/",
         {"item": fake}, artifacts, "refused")  # fmt: skip

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("receipt.jpg: This file is not a photo", timeout=WAIT)
    expect(summary).to_be_focused(timeout=WAIT)
    expect(page.locator("progress")).to_have_count(0)
    page.screenshot(path=str(artifacts / "customer-refused-390.png"), full_page=True)
    assert serious_axe_violations(page) == []
    assert not Claim.objects.get(pk=submitted.claim.pk).photos.exists()
