"""The guided claim through the test client: steps, photos, hostile input."""

import re

import pytest
from django.core import mail
from django.test import TestCase

from claims.choices import ClaimStatus
from claims.drafts import draft_storage
from claims.models import Claim, EvidencePhoto
from tests.factories import (
    as_upload,
    make_claim_details,
    make_heic,
    make_image,
    make_jpeg,
    make_png,
)
from tests.wizard import walk_claim_wizard, wizard_post

pytestmark = pytest.mark.django_db


def start(client, issue_type="damaged_item", fulfillment="kingston_express", dest="domestic"):
    client.get("/claim/")
    wizard_post(client, "what-happened", {"issue_type": issue_type})
    wizard_post(client, "fulfillment", {"fulfillment_method": fulfillment})
    wizard_post(client, "destination", {"destination": dest})


def fill_details(client, **overrides):
    details = make_claim_details(severity="major", **overrides)
    response = wizard_post(client, "order-details", details)
    assert response.status_code == 302
    return response


def draft_files(tmp_path):
    root = tmp_path / "drafts"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def evidence_files(tmp_path):
    root = tmp_path / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- The whole flow ---------------------------------------------------------


@pytest.mark.parametrize(
    ("issue_type", "fulfillment", "destination", "photo_source", "status"),
    [
        ("damaged_item", "kingston_express", "international", "attach", ClaimStatus.SUBMITTED),
        ("missing_item", "seller_managed", "domestic", "customer", ClaimStatus.AWAITING_EVIDENCE),
        ("partial_order", "kingston_express", "domestic", "attach", ClaimStatus.SUBMITTED),
        (
            "wrong_item",
            "seller_managed",
            "international",
            "customer",
            ClaimStatus.AWAITING_EVIDENCE,
        ),
    ],
)
def test_the_whole_form_creates_one_claim_and_opens_its_private_page(
    client, tmp_path, issue_type, fulfillment, destination, photo_source, status
):
    photos = [
        ("package", as_upload(make_jpeg(seed=1), "box.jpg")),
        ("item", as_upload(make_png(seed=2), "item.png", "image/png")),
    ]
    response = walk_claim_wizard(
        client,
        issue_type=issue_type,
        fulfillment_method=fulfillment,
        destination=destination,
        photos=photos if photo_source == "attach" else (),
        photo_source=photo_source,
        details={"seller_email": "seller@example.com"},
    )

    assert response.status_code == 302
    assert re.fullmatch(r"/claim/r/[\w-]{43}/", response.url)
    claim = Claim.objects.get()
    assert claim.issue_type == issue_type
    assert claim.fulfillment_method == fulfillment
    assert claim.destination == destination
    assert claim.order_number == "KX-48213579"
    assert claim.status == status
    assert claim.photos.count() == (2 if photo_source == "attach" else 0)
    assert re.fullmatch(r"KXC-[2-9A-HJKMNP-Z]{8}", claim.reference)
    # Drafts are copied to evidence and then removed.
    assert draft_files(tmp_path) == []
    assert len(evidence_files(tmp_path)) == 2 * claim.photos.count()
    # One email to the customer with their link, one to the seller with theirs.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "seller@example.com"]
    customer_mail = next(m for m in mail.outbox if m.to == ["ada@example.com"])
    assert "http://127.0.0.1:8000/claim/c/" in customer_mail.body
    seller_mail = next(m for m in mail.outbox if m.to == ["seller@example.com"])
    assert "http://127.0.0.1:8000" + response.url in seller_mail.body

    page = client.get(response.url)
    assert page.status_code == 200
    assert claim.reference in page.content.decode()
    # The wizard starts afresh afterwards.
    assert client.get("/claim/check/").url == "/claim/what-happened/"


def test_links_in_emails_come_from_the_setting_not_the_host_header(client, settings):
    settings.SITE_BASE_URL = "https://help.example.org"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    client.defaults["HTTP_HOST"] = "evil.example"

    walk_claim_wizard(client, photo_source="customer")

    assert "https://help.example.org/claim/c/" in mail.outbox[0].body
    assert "evil.example" not in mail.outbox[0].body


def test_every_step_has_its_question_as_heading_a_back_link_and_the_guide(client):
    start(client, dest="international")
    fill_details(client)
    for step, heading in [
        ("what-happened", "What happened to the order?"),
        ("fulfillment", "How was the order fulfilled?"),
        ("destination", "Was it a domestic or an international order?"),
        ("order-details", "Order details"),
        ("photos", "Add photos of the package and the item"),
    ]:
        html = client.get(f"/claim/{step}/").content.decode()
        assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", html), step
        assert "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/" in html
        assert ("Back</a>" in html) == (step != "what-happened")
        assert html.count('class="button"') == 1  # one primary button


def test_the_first_question_is_public_and_later_steps_are_not_indexed(client):
    first = client.get("/claim/what-happened/").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/claim/what-happened/">' in first
    assert "noindex" not in first
    assert "Answer a few questions about the order" in first

    start(client)
    later = client.get("/claim/order-details/").content.decode()
    assert '<meta name="robots" content="noindex">' in later
    assert 'rel="canonical"' not in later


def test_looking_at_the_first_question_keeps_no_session(client, django_assert_num_queries):
    """A visitor (or a crawler) who only reads the first question leaves no
    session row behind; the first answer starts one."""
    from django.conf import settings

    assert client.get("/claim/").url == "/claim/what-happened/"
    client.get("/claim/what-happened/")  # warms the shared navigation cache
    with django_assert_num_queries(0):
        assert client.get("/claim/what-happened/").status_code == 200
    assert settings.SESSION_COOKIE_NAME not in client.cookies

    wizard_post(client, "what-happened", {"issue_type": "missing_item"})

    assert settings.SESSION_COOKIE_NAME in client.cookies
    html = client.get("/claim/what-happened/").content.decode()
    assert re.search(r'value="missing_item" checked', html)


def test_moving_between_answered_steps_does_not_rewrite_the_session(
    client, django_assert_num_queries
):
    start(client)
    client.get("/claim/fulfillment/")
    with django_assert_num_queries(1):  # reads the session, writes nothing
        client.get("/claim/fulfillment/")


# --- Order of steps, Back, Change -----------------------------------------------


def test_steps_reached_out_of_order_send_to_the_first_incomplete_one(client):
    client.get("/claim/")
    assert client.get("/claim/photos/").url == "/claim/what-happened/"
    wizard_post(client, "what-happened", {"issue_type": "missing_item"})
    assert client.get("/claim/check/").url == "/claim/fulfillment/"
    assert client.get("/claim/done/").url == "/claim/fulfillment/"
    assert client.get("/claim/no-such-step/").url == "/claim/what-happened/"


def test_posting_a_later_step_early_goes_to_the_first_incomplete_one(client):
    client.get("/claim/")
    wizard_post(client, "what-happened", {"issue_type": "missing_item"})

    response = wizard_post(client, "photos", {"photo_source": "customer"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer this question first" in html
    assert "How was the order fulfilled?" in html
    assert Claim.objects.count() == 0


def test_back_keeps_answers(client):
    start(client, issue_type="wrong_item")

    html = client.get("/claim/what-happened/").content.decode()

    assert re.search(r'value="wrong_item" checked', html)


def test_change_link_returns_to_check_your_answers(client):
    walk_kwargs = {"photos": (), "photo_source": "customer"}
    start(client)
    fill_details(client)
    wizard_post(client, "photos", {"photo_source": walk_kwargs["photo_source"]})
    check = client.get("/claim/check/").content.decode()
    assert "/claim/order-details/?change=1" in check

    page = client.get("/claim/order-details/?change=1").content.decode()
    assert 'name="return_to" value="check"' in page
    response = wizard_post(
        client,
        "order-details",
        {**make_claim_details(item="Teapot", severity="minor"), "return_to": "check"},
    )
    assert response.url == "/claim/check/"
    assert "Teapot" in client.get("/claim/check/").content.decode()


def test_changing_the_fulfillment_asks_the_new_questions_before_check(client):
    start(client)
    fill_details(client)
    wizard_post(client, "photos", {"photo_source": "customer"})

    response = wizard_post(
        client, "fulfillment", {"fulfillment_method": "seller_managed", "return_to": "check"}
    )

    # Seller-managed orders need stock and return answers: order details first.
    assert response.url == "/claim/order-details/"


def test_check_page_lists_every_answer_with_a_change_link(client):
    start(client, fulfillment="seller_managed")
    wizard_post(
        client,
        "order-details",
        make_claim_details(severity="severe", stock_available="no", return_feasible="yes"),
    )
    wizard_post(client, "photos", {"action": "upload"}, {"photos-item": as_upload(make_jpeg())})
    wizard_post(client, "photos", {"photo_source": "attach"})

    html = client.get("/claim/check/").content.decode()

    for text in [
        "Damaged item",
        "Seller-managed order",
        "Domestic",
        "KX-48213579",
        "Ceramic mug, SKU MUG-001",
        "The handle is snapped off.",
        "Severe",
        "Stock available for a replacement",
        "Ada Customer",
        "ada@example.com",
    ]:
        assert text in html, text
    assert html.count(">Change<") >= 12
    assert "/claim/draft-photos/" in html


# --- Hostile and broken input ------------------------------------------------------


def test_a_tampered_choice_is_refused_with_a_clear_message(client):
    client.get("/claim/")

    response = wizard_post(client, "what-happened", {"issue_type": "refund_immediately"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_what-happened-issue_type_0">Select what happened to the order</a>' in html
    assert "<title>Error: " in html


def test_a_missing_management_form_answers_400_and_keeps_answers(client):
    start(client)

    response = client.post("/claim/order-details/", {"order-details-item": "Mug"})

    assert response.status_code == 400
    assert "Something was missing from the form you sent" in response.content.decode()
    html = client.get("/claim/what-happened/").content.decode()
    assert 'value="damaged_item" checked' in html


def test_an_unknown_step_in_the_management_form_answers_400(client):
    start(client)

    response = client.post("/claim/order-details/", {"claim_wizard-current_step": "../admin"})

    assert response.status_code == 400


def test_order_number_injection_is_refused_and_nothing_is_lost(client):
    start(client)

    response = wizard_post(
        client,
        "order-details",
        make_claim_details(order_number="<script>alert(1)</script>", severity="major"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter an order number like KX-48213579" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html  # kept, escaped, for the seller to correct
    assert 'value="Ada Customer"' in html


def test_an_expired_session_says_so_and_starts_again(client):
    start(client)
    fill_details(client)
    client.session.flush()
    # A new, empty session: the answers are gone, the marker cookie is not.
    client.cookies.pop("sessionid", None)

    response = wizard_post(client, "photos", {"photo_source": "customer"})

    assert response.url == "/claim/what-happened/"
    page = client.get(response.url).content.decode()
    assert "Your answers were not saved because your session expired" in page
    assert "Claims you already sent are safe" in page


def test_an_expired_session_on_a_get_says_so_too(client):
    start(client)
    client.cookies.pop("sessionid", None)

    response = client.get("/claim/order-details/", follow=True)

    assert "your session expired" in response.content.decode()


# --- Photos in the wizard ------------------------------------------------------------


def test_upload_shows_the_limits_before_anything_is_chosen(client, settings):
    settings.CLAIM_MAX_PHOTOS = 7
    start(client)
    fill_details(client)

    html = client.get("/claim/photos/").content.decode()

    assert "You can add up to 7 photos" in html
    assert "JPEG, PNG, WebP or HEIC" in html
    assert "15 MB" in html
    assert "50 megapixels" in html
    # Required/encouraged with the reason, from the evidence rules.
    assert "Required" in html
    assert "the damage cannot be assessed without them" in html


def test_uploads_are_processed_listed_and_removable(client, tmp_path):
    start(client)
    fill_details(client)

    response = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {
            "photos-item": [
                as_upload(make_jpeg(seed=1), "a.jpg"),
                as_upload(make_heic(), "b.heic", "image/heic"),
            ],
            "photos-package": as_upload(make_png(seed=3), "c.png", "image/png"),
        },
    )

    assert response.status_code == 302
    html = client.get("/claim/photos/").content.decode()
    # Said beside the photos they are about, the first on the page taking focus.
    assert re.search(r'id="slot-package-notice"[^>]*autofocus[^>]*>1 photo added\.<', html)
    assert re.search(r'id="slot-item-notice" role="status" tabindex="-1">2 photos added\.<', html)
    assert "photos added" not in client.get("/claim/photos/").content.decode()
    ids = re.findall(r'name="remove" value="([0-9a-f]{32})"', html)
    assert len(ids) == 3
    assert len(draft_files(tmp_path)) == 6  # display + thumbnail, no original
    thumb = client.get(f"/claim/draft-photos/{ids[0]}/thumb.jpg")
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"] == "private, no-store"

    wizard_post(client, "photos", {"remove": ids[0]})

    html = client.get("/claim/photos/").content.decode()
    assert ids[0] not in html
    assert len(draft_files(tmp_path)) == 4


def test_draft_photos_are_private_to_their_session(client, django_user_model):
    from django.test import Client

    start(client)
    fill_details(client)
    wizard_post(client, "photos", {"action": "upload"}, {"photos-item": as_upload(make_jpeg())})
    photo_id = re.search(
        r'name="remove" value="([0-9a-f]{32})"', client.get("/claim/photos/").content.decode()
    )[1]

    assert Client().get(f"/claim/draft-photos/{photo_id}/thumb.jpg").status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (as_upload(b"%PDF-1.4 not a photo", "photo.jpg"), "photo.jpg: "),
        (as_upload(make_image("GIF"), "anim.gif", "image/gif"), "anim.gif: "),
        (as_upload(make_jpeg()[:400], "cut.jpg"), "cut.jpg: "),
        (
            as_upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg", "image/svg+xml"),
            "x.svg: ",
        ),
    ],
)
def test_files_that_are_not_photos_are_refused_with_the_reason(client, tmp_path, upload, message):
    start(client)
    fill_details(client)

    response = wizard_post(client, "photos", {"action": "upload"}, {"photos-item": upload})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert draft_files(tmp_path) == []


def test_an_oversized_file_is_refused_before_decoding(client, settings, tmp_path):
    settings.CLAIM_MAX_PHOTO_BYTES = 50_000
    start(client)
    fill_details(client)

    response = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": as_upload(make_jpeg(1600, 1200) + b"\0" * 60_000, "big.jpg")},
    )

    assert response.status_code == 400
    assert "big.jpg: " in response.content.decode()
    assert draft_files(tmp_path) == []


def test_path_tricks_in_file_names_never_reach_storage(client, tmp_path):
    start(client)
    fill_details(client)

    wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": as_upload(make_jpeg(), "../../../etc/passwd.jpg")},
    )

    names = [p.name for p in draft_files(tmp_path)]
    assert len(names) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}(-thumb)?\.jpg", n) for n in names)
    assert not (tmp_path / "etc").exists()


def test_an_unknown_slot_is_ignored(client, tmp_path):
    start(client)
    fill_details(client)

    wizard_post(client, "photos", {"action": "upload"}, {"photos-../../x": as_upload(make_jpeg())})

    assert draft_files(tmp_path) == []


def test_too_many_photos_are_refused_and_nothing_is_stored(client, settings, tmp_path):
    settings.CLAIM_MAX_PHOTOS = 2
    start(client)
    fill_details(client)

    response = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": [as_upload(make_jpeg(seed=n), f"{n}.jpg") for n in range(3)]},
    )

    assert response.status_code == 400
    assert "A claim can have up to 2 photos" in response.content.decode()
    assert draft_files(tmp_path) == []


def test_the_same_photo_twice_is_recognised(client, tmp_path):
    start(client)
    fill_details(client)
    photo = make_jpeg(seed=5)
    wizard_post(client, "photos", {"action": "upload"}, {"photos-item": as_upload(photo, "a.jpg")})

    response = wizard_post(
        client, "photos", {"action": "upload"}, {"photos-package": as_upload(photo, "again.jpg")}
    )

    assert response.status_code == 400
    assert "again.jpg: this photo is already added." in response.content.decode()
    assert len(draft_files(tmp_path)) == 2


def test_continue_with_required_photo_missing_explains_the_choice(client):
    start(client)  # damaged: the item photo is required
    fill_details(client)
    wizard_post(client, "photos", {"action": "upload"}, {"photos-package": as_upload(make_jpeg())})

    response = wizard_post(client, "photos", {"photo_source": "attach"})

    assert response.status_code == 400
    assert "Upload a photo of the item, or choose" in response.content.decode()


def test_xhr_uploads_answer_json(client):
    start(client)
    fill_details(client)

    ok = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": as_upload(make_jpeg())},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    bad = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": as_upload(b"nope", "n.jpg")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert ok.json() == {"ok": True, "added": 1, "errors": []}
    assert bad.status_code == 400
    assert bad.json()["ok"] is False
    assert bad.json()["errors"][0].startswith("n.jpg: ")


def test_photos_chosen_with_continue_are_kept_too(client):
    start(client)
    fill_details(client)

    response = wizard_post(
        client, "photos", {"photo_source": "attach"}, {"photos-item": as_upload(make_jpeg())}
    )

    assert response.url == "/claim/check/"


# --- Double submit ----------------------------------------------------------------


def test_a_double_submit_creates_one_claim_and_lands_on_it(client):
    start(client)
    fill_details(client)
    wizard_post(client, "photos", {"photo_source": "customer"})
    key = client.get("/claim/check/").context["form"].initial["submission_key"]

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = wizard_post(client, "check", {"submission_key": key})
        second = wizard_post(client, "check", {"submission_key": key})

    assert Claim.objects.count() == 1
    assert first.url == second.url
    assert len([m for m in mail.outbox if m.to == ["ada@example.com"]]) == 1


def test_nothing_is_stored_for_an_unfinished_form(client, tmp_path):
    start(client)
    fill_details(client)
    wizard_post(client, "photos", {"action": "upload"}, {"photos-item": as_upload(make_jpeg())})

    assert Claim.objects.count() == 0
    assert EvidencePhoto.objects.count() == 0
    assert evidence_files(tmp_path) == []
    assert draft_storage().listdir("")[0]  # the draft folder of this form


def test_a_decompression_bomb_is_refused_and_nothing_is_stored(client, settings, tmp_path):
    settings.CLAIM_MAX_PHOTO_PIXELS = 200_000
    start(client)
    fill_details(client)
    # Small on disk, huge in pixels: a flat PNG compresses to almost nothing.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3000, 3000), (200, 200, 200)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000

    response = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": as_upload(out.getvalue(), "bomb.png", "image/png")},
    )

    assert response.status_code == 400
    assert "bomb.png: " in response.content.decode()
    assert draft_files(tmp_path) == []


def test_a_renamed_file_is_judged_by_its_content(client, tmp_path):
    start(client)
    fill_details(client)

    png_named_jpg = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-item": as_upload(make_png(seed=8), "really-a-png.jpg", "image/jpeg")},
    )
    html_named_jpg = wizard_post(
        client,
        "photos",
        {"action": "upload"},
        {"photos-package": as_upload(b"<html><script>alert(1)</script>", "x.jpg")},
    )

    assert png_named_jpg.status_code == 302
    assert html_named_jpg.status_code == 400
    assert len(draft_files(tmp_path)) == 2


@pytest.mark.parametrize(
    ("seconds", "words"), [(1209600, "14 days"), (86400, "1 day"), (7200, "2 hours")]
)
def test_the_expiry_message_says_how_long_answers_are_kept(client, settings, seconds, words):
    settings.SESSION_COOKIE_AGE = seconds
    start(client)
    client.cookies.pop("sessionid", None)

    page = client.get("/claim/order-details/", follow=True).content.decode()

    assert f"answers are kept for {words} without activity" in page
