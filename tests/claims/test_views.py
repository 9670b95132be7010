"""The seller's result page, the customer's link and private photos."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from claims import workflow
from claims.choices import ClaimStatus, InspectionResult, Outcome
from claims.customer_evidence import claim_add_customer_evidence
from claims.models import Claim
from claims.services import claim_revoke_customer_link
from claims.status_text import next_step_for_customer
from claims.tokens import result_token_for
from tests.factories import as_upload, make_claim, make_draft_photo, make_jpeg, review_steps

pytestmark = pytest.mark.django_db

KX_RESPONSE = "Please submit the issue through your order so it can be reviewed."
SELLER_RESPONSE = "Please share photos of the item and packaging"


def result_page(client, submitted):
    return client.get(f"/claim/r/{submitted.result_token}/")


def text_of(response):
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def test_result_page_for_kingston_express_international_damaged_item(client):
    submitted = make_claim(destination="international", severity="severe")

    response = result_page(client, submitted)
    text = text_of(response)

    assert response.status_code == 200
    assert submitted.claim.reference in text
    assert "What to do now" in text
    assert KX_RESPONSE in text
    assert SELLER_RESPONSE not in text
    for line in [
        "Do not refund immediately",
        "Do not ship replacements yourself",
        "Do not admit fault",
        "Claims may take longer",
        "Customs handling may affect outcomes",
        "Some items may not be returned",
        "Never promise instant resolution",
        # A damaged item's path: assessed in return inspection (no packing logs here).
        "Damage is assessed during return inspection",
        "The decision depends on policy and inspection.",
        "No inspection, no refund. No review, no replacement.",
        "A customer is escalating aggressively",
    ]:
        assert line in text, line
    html = response.content.decode()
    assert "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/" in html
    assert "#international-orders-extra-caution" in html
    assert "mailto:ada@example.com" in html


def test_result_page_for_seller_managed_missing_item(client):
    submitted = make_claim(
        issue_type="missing_item",
        fulfillment_method="seller_managed",
        severity="",
        stock_available=True,
        return_feasible=True,
    )

    text = text_of(result_page(client, submitted))

    # The guide's seller-managed sentence asks for photos of the item, which
    # never arrived: the reply asks for the package and packing materials.
    assert SELLER_RESPONSE not in text
    assert "Please share photos of the package and the packing materials" in text
    assert KX_RESPONSE not in text
    assert "Verify against your packing process" in text
    assert "Claims may take longer" not in text
    assert "No inspection, no refund. No review, no replacement." in text


def test_result_page_shows_photos_and_the_customer_link(client):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])

    html = result_page(client, submitted).content.decode()

    photo = submitted.claim.photos.get()
    assert f"/claim/r/{submitted.result_token}/photos/{photo.public_id}/thumb.jpg" in html
    assert f"http://127.0.0.1:8000/claim/c/{submitted.customer_token}/" in html
    assert 'data-copy="customer-link-url"' in html
    # The customer already has the link by email: the seller is told so.
    assert f"We emailed {submitted.claim.customer_email} their private link" in html


def test_a_claim_waiting_for_photos_says_so_and_tells_of_the_email_once(client):
    submitted = make_claim(customer_sends_photos=True)

    text = text_of(result_page(client, submitted))

    assert "The claim waits for the customer's photos" in text
    assert text.count("emailed") == 1  # in the customer's link section


def test_result_page_is_private_and_never_cached(client):
    response = result_page(client, make_claim())

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"


def test_result_page_query_count_does_not_grow_with_photos(client, django_assert_num_queries):
    few = make_claim(photos=[make_draft_photo("item", seed=1)])
    many = make_claim(photos=[make_draft_photo("item", seed=n) for n in range(2, 8)])
    result_page(client, few)  # warm the guidance cache

    # The claim, its photos, its customer notes: nothing per photo.
    with django_assert_num_queries(3):
        result_page(client, few)
    with django_assert_num_queries(3):
        result_page(client, many)


def test_customer_page_query_count(client, django_assert_num_queries):
    submitted = make_claim(photos=[make_draft_photo("item", seed=n) for n in range(3)])
    client.get(f"/claim/c/{submitted.customer_token}/")

    with django_assert_num_queries(2):
        client.get(f"/claim/c/{submitted.customer_token}/")


@pytest.mark.parametrize(
    "path",
    [
        "/claim/r/{guess}/",
        "/claim/c/{guess}/",
        "/claim/r/{guess}/photos/{photo}/full.jpg",
        "/claim/c/{guess}/photos/{photo}/thumb.jpg",
        "/claim/photos/{photo}/full.jpg",
    ],
)
@pytest.mark.parametrize(
    "guess",
    [
        "A" * 43,
        "1",
        "KXC-AAAAAAAA",
        "../../etc/passwd",
        "%00",
    ],
)
def test_guessed_links_all_look_the_same(client, path, guess):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get().public_id

    response = client.get(path.format(guess=guess, photo=photo))

    assert response.status_code == 404
    assert submitted.claim.order_number not in response.content.decode()
    assert submitted.claim.reference not in response.content.decode()


def test_the_reference_and_id_open_nothing(client):
    submitted = make_claim()

    assert client.get(f"/claim/r/{submitted.claim.reference}/").status_code == 404
    assert client.get(f"/claim/r/{submitted.claim.pk}/").status_code == 404
    assert client.get(f"/claim/c/{submitted.result_token}/").status_code == 404
    assert client.get(f"/claim/r/{submitted.customer_token}/").status_code == 404


def test_a_photo_of_one_claim_is_not_reachable_through_another(client):
    mine = make_claim(photos=[make_draft_photo("item", seed=1)])
    other = make_claim(photos=[make_draft_photo("item", seed=2)])
    their_photo = other.claim.photos.get().public_id

    assert (
        client.get(f"/claim/r/{mine.result_token}/photos/{their_photo}/full.jpg").status_code == 404
    )
    assert (
        client.get(f"/claim/c/{mine.customer_token}/photos/{their_photo}/full.jpg").status_code
        == 404
    )


def test_photos_are_served_privately_as_jpeg(client):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()

    for url in [
        f"/claim/r/{submitted.result_token}/photos/{photo.public_id}/full.jpg",
        f"/claim/c/{submitted.customer_token}/photos/{photo.public_id}/thumb.jpg",
    ]:
        response = client.get(url)
        body = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert body[:3] == b"\xff\xd8\xff"
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline")


def test_evidence_has_no_public_url(client, settings, tmp_path):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()

    # Stored outside the public media folder, under a generated name...
    assert (tmp_path / "evidence" / photo.image_name).is_file()
    assert not (tmp_path / "evidence").is_relative_to(settings.MEDIA_ROOT)
    # ...which no page ever shows: only the checking views' addresses do.
    html = client.get(f"/claim/r/{submitted.result_token}/").content.decode()
    assert photo.image_name not in html
    assert photo.thumbnail_name not in html
    assert client.get(f"/media/{photo.image_name}").status_code == 404


def test_staff_need_the_view_permission_for_photos(client, django_user_model):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    url = f"/claim/photos/{submitted.claim.photos.get().public_id}/full.jpg"
    user = django_user_model.objects.create_user("reviewer", password="pw", is_staff=True)
    client.force_login(user)

    assert client.get(url).status_code == 404
    user.user_permissions.add(Permission.objects.get(codename="view_evidencephoto"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(url).status_code == 200


def test_the_seller_can_switch_off_and_renew_the_customer_link(client):
    submitted = make_claim()
    base = f"/claim/r/{submitted.result_token}/"

    client.post(base + "customer-link/", {"action": "revoke"})
    assert client.get(f"/claim/c/{submitted.customer_token}/").status_code == 404

    client.post(base + "customer-link/", {"action": "renew"})
    new_link = re.search(r"/claim/c/([\w-]{43})/", client.get(base).content.decode())[1]
    assert new_link != submitted.customer_token
    assert client.get(f"/claim/c/{new_link}/").status_code == 200


# --- The customer's link --------------------------------------------------------------


def test_customer_page_shows_the_order_and_what_is_still_needed(client):
    submitted = make_claim(customer_sends_photos=True)

    response = client.get(f"/claim/c/{submitted.customer_token}/")
    text = text_of(response)

    assert response.status_code == 200
    assert "Add photos for order KX-48213579" in text
    assert "Still needed" in text
    assert "the damage cannot be assessed without them" in text
    assert "Ada Customer" not in text  # nothing more than it needs
    assert "no-store" in response["Cache-Control"]
    # The customer is the seller's buyer: nothing leads into the seller's side.
    html = response.content.decode()
    assert 'href="/claim/"' not in html
    assert 'role="search"' not in html
    assert 'href="/search/"' not in html


def test_the_customer_adds_photos_and_a_note(client):
    submitted = make_claim(customer_sends_photos=True)
    url = f"/claim/c/{submitted.customer_token}/"

    response = client.post(
        url,
        {
            "kind": "item",
            "note": "The box was wet too.",
            "photos": [
                as_upload(make_jpeg(seed=1), "a.jpg"),
                as_upload(make_jpeg(seed=2), "b.jpg"),
            ],
        },
    )

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.photos.count() == 2
    assert claim.customer_notes.get().text == "The box was wet too."
    assert "Thank you: 2 photos added" in client.get(url).content.decode()
    seller_page = client.get(f"/claim/r/{submitted.result_token}/").content.decode()
    assert "The box was wet too." in seller_page
    assert seller_page.count("From the customer") == 2


def test_each_photo_keeps_the_kind_of_the_input_it_was_chosen_in(client):
    # The issue's case: an item photo sent with a package photo was stored as "package"
    # and the required item photo still showed as missing.
    submitted = make_claim(customer_sends_photos=True)
    url = f"/claim/c/{submitted.customer_token}/"
    page = client.get(url).content.decode()
    for kind in ("item", "package", "packing_materials", "other"):
        assert f'name="photos-{kind}"' in page
    assert "What do the photos show?" not in page
    assert page.index('name="photos-item"') < page.index('name="photos-package"')  # needed first

    response = client.post(
        url,
        {
            "photos-package": [as_upload(make_jpeg(seed=11), "box.jpg")],
            "photos-item": [as_upload(make_jpeg(seed=12), "mug.jpg")],
        },
    )

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert sorted(claim.photos.values_list("kind", flat=True)) == ["item", "package"]
    assert claim.status == "under_inspection"  # the required item photo arrived
    after = client.get(url).content.decode()
    item_input = after.split('for="photos-item"', 1)[1].split("</label>", 1)[0]
    assert "Received" in item_input and "Needed" not in item_input


def test_a_photo_sent_twice_is_counted_once_and_the_customer_is_told(client):
    submitted = make_claim(customer_sends_photos=True)
    url = f"/claim/c/{submitted.customer_token}/"
    photo = make_jpeg(seed=7)
    client.post(url, {"kind": "item", "photos": [as_upload(photo, "a.jpg")]})
    client.get(url)  # the first thank-you is shown and gone

    client.post(
        url,
        {"kind": "item", "photos": [as_upload(photo, "a.jpg"), as_upload(make_jpeg(), "b.jpg")]},
    )

    assert Claim.objects.get().photos.count() == 2
    text = client.get(url).content.decode()
    assert "Thank you: 1 photo added to your report." in text
    assert "1 photo had already been sent, so it was skipped." in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "../item"}, "Select what the photos show"),
        ({"kind": "item", "photos": [as_upload(b"GIF89a....", "x.jpg")]}, "x.jpg: "),
        ({"kind": "item"}, "Choose at least one photo, or write a note"),
        (
            {"photos": [as_upload(make_jpeg(), "a.jpg")]},
            "a.jpg: we could not tell what this photo shows, so it was not sent",
        ),
        (
            {"photos-receipt": [as_upload(make_jpeg(), "r.jpg")], "note": "x"},
            "r.jpg: we could not tell what this photo shows, so it was not sent",
        ),
        (
            {
                "photos-item": [as_upload(make_jpeg(), "ok.jpg")],
                "photos-../x": [as_upload(make_jpeg(seed=3), "y.jpg")],
            },
            "y.jpg: we could not tell what this photo shows, so it was not sent",
        ),
    ],
)
def test_customer_mistakes_are_explained_and_nothing_is_stored(client, data, message):
    submitted = make_claim()

    response = client.post(f"/claim/c/{submitted.customer_token}/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert submitted.claim.photos.count() == 0


def test_a_note_alone_needs_no_photo_kind(client):
    submitted = make_claim()
    url = f"/claim/c/{submitted.customer_token}/"

    response = client.post(url, {"note": "The courier left it in the rain."})

    assert response.status_code == 302
    assert submitted.claim.customer_notes.get().text == "The courier left it in the rain."
    assert "Thank you: your note was added." in client.get(url).content.decode()


def test_customer_photo_limit(client, settings):
    settings.CLAIM_MAX_PHOTOS = 1
    submitted = make_claim()

    response = client.post(
        f"/claim/c/{submitted.customer_token}/",
        {"kind": "item", "photos": [as_upload(make_jpeg(seed=n), f"{n}.jpg") for n in range(2)]},
    )

    assert response.status_code == 409
    assert "A claim can have up to 1 photos" in response.content.decode()
    assert submitted.claim.photos.count() == 0


def test_expired_and_revoked_customer_links_look_like_wrong_ones(client):
    expired = make_claim()
    Claim.objects.filter(pk=expired.claim.pk).update(
        customer_link_expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked = make_claim()
    claim_revoke_customer_link(claim=revoked.claim)
    wrong = client.get("/claim/c/" + "B" * 43 + "/")

    for submitted in (expired, revoked):
        response = client.get(f"/claim/c/{submitted.customer_token}/")
        assert response.status_code == 404
        assert text_of(response) == text_of(wrong)


def test_the_customer_link_expires_after_the_setting(settings):
    settings.CLAIM_CUSTOMER_LINK_DAYS = 3
    claim = make_claim().claim

    delta = claim.customer_link_expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < delta <= timedelta(days=3)


def test_customer_posts_need_the_csrf_token():
    submitted = make_claim()
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/claim/c/{submitted.customer_token}/", {"kind": "item", "note": "x"})

    assert response.status_code == 403
    assert submitted.claim.customer_notes.count() == 0


def test_guessing_customer_links_is_rate_limited(client, settings):
    settings.CLAIM_RATE_LIMIT_PER_IP = 5

    statuses = [client.get("/claim/c/" + f"{n:043d}" + "/").status_code for n in range(7)]

    assert statuses[:5] == [404] * 5
    assert statuses[5:] == [429, 429]
    response = client.get("/claim/c/" + "C" * 43 + "/")
    assert "Too many attempts" in response.content.decode()
    assert response["Retry-After"] == str(settings.CLAIM_RATE_LIMIT_WINDOW_SECONDS)


def test_posts_to_one_customer_link_are_rate_limited(client, settings):
    settings.CLAIM_RATE_LIMIT_PER_TOKEN = 2
    submitted = make_claim()
    url = f"/claim/c/{submitted.customer_token}/"

    statuses = [client.post(url, {"kind": "item", "note": f"n{n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert submitted.claim.customer_notes.count() == 2


def test_the_seller_token_is_derived_from_the_form_only_with_the_secret(settings):
    import uuid

    key = uuid.uuid4()
    first = result_token_for(key)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-000000000000"

    assert result_token_for(key) != first


def test_customer_evidence_shows_on_the_seller_page_as_it_arrives(client):
    from claims.photos import process_photo

    submitted = make_claim(customer_sends_photos=True)
    claim_add_customer_evidence(
        claim_id=submitted.claim.pk,
        photos=[("item", process_photo(as_upload(make_jpeg(seed=9))))],
    )

    assert "From the customer" in client.get(f"/claim/r/{submitted.result_token}/").content.decode()


# --- Where a claim stands -------------------------------------------------------------
# Where a claim stands, as the customer's link and the seller's result page say it.


A = workflow.Action


def _resolved(submitted, reviewer, outcome):
    return review_steps(
        submitted.claim,
        reviewer,
        (A.START_INSPECTION, {}),
        *[
            (A.COMPLETE_CHECK, {"item": i.key})
            for i in workflow.checklist_for("kingston_express", "damaged_item")
        ],
        (A.RECORD_INSPECTION_RESULT, {"result": InspectionResult.CONFIRMED}),
        (A.RESOLVE, {"outcome": outcome}),
    )


@pytest.mark.parametrize("destination", ["domestic", "international"])
def test_both_pages_show_the_status_and_what_happens_next(client, reviewer, destination):
    submitted = make_claim(destination=destination)
    claim = _resolved(submitted, reviewer, Outcome.REPLACEMENT)
    expected = next_step_for_customer(
        claim.fulfillment_method, claim.status, claim.is_international, outcome=claim.outcome
    )

    customer = client.get(f"/claim/c/{submitted.customer_token}/").content.decode()
    seller = client.get(f"/claim/r/{submitted.result_token}/").content.decode()

    # The seller reads the staff's name for the status, the customer a plain one.
    assert "Resolved per policy" in seller
    assert "Resolved per policy" not in customer
    assert ">Resolved<" in customer
    for page in (customer, seller):
        assert escape(expected) in page
        assert "The outcome is a replacement." in page
        international = "claims may take longer" in page
        assert international == (destination == "international")


def test_the_customer_page_follows_each_move(client, reviewer):
    submitted = make_claim()
    url = f"/claim/c/{submitted.customer_token}/"
    assert "Kingston Express will review it centrally" in client.get(url).content.decode()

    review_steps(submitted.claim, reviewer, (A.START_INSPECTION, {}))

    page = client.get(url).content.decode()
    assert submitted.claim.status == ClaimStatus.UNDER_INSPECTION
    assert "Kingston Express is inspecting the order" in page
    assert "instant" not in page.lower()
