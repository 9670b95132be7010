"""The guided claim in a real browser: both main paths, real photo uploads,
the customer's link, axe-core on every step (errors included), screenshots
at phone and desktop widths in test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import serious_axe_violations
from tests.factories import make_jpeg, make_png

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Another transactional test may have emptied the tables: the guide's rows back.
    pytest.mark.usefixtures("seeded_guidance"),
]

WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture(autouse=True)
def _patient_expectations():
    # Photo processing shares two cores with the rest of the suite: give the
    # page time before an expectation fails, then restore the default.
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def photo_files(tmp_path):
    """Real files on disk, as a phone would hand them to the browser."""
    files = {}
    for name, data in {
        "box.jpg": make_jpeg(1200, 900, seed=1),
        "item.jpg": make_jpeg(1200, 900, seed=2, orientation=6),
        "packing.png": make_png(800, 600, seed=3),
        "customer-item.jpg": make_jpeg(1000, 750, seed=4),
        "customer-box.jpg": make_jpeg(1000, 750, seed=5),
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        files[name] = path
    return files


def check_page(page, artifacts_dir, name):
    """axe-core finds nothing serious; screenshots at phone and desktop widths."""
    assert serious_axe_violations(page) == [], name
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts_dir / f"claim-{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def images_load(page, selector):
    """Every image matching `selector` decodes (a broken image rejects)."""
    return page.eval_on_selector_all(
        selector, "imgs => Promise.all(imgs.map(i => i.decode())).then(() => imgs.length > 0)"
    )


def wait_for_enhancement(page):
    """Files chosen before claim.js has run would wait for the Upload button."""
    page.locator("form[data-enhanced]").wait_for(state="attached")


def settle(page):
    """No request still running when the test's database goes away."""
    page.wait_for_load_state("networkidle")


def continue_(page):
    page.get_by_role("button", name=re.compile(r"^(Continue|Send claim)$")).click()


def test_kingston_express_international_damaged_item(page, live_server, artifacts_dir, photo_files):
    page.goto(live_server.url + "/claim/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened to the order?")
    check_page(page, artifacts_dir, "1-what-happened")

    continue_(page)  # nothing chosen
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check_page(page, artifacts_dir, "1-what-happened-error")
    page.get_by_role("link", name="Select what happened to the order").click()
    page.get_by_label("Damaged item: broken, cracked or unusable").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("How was the order fulfilled?")
    check_page(page, artifacts_dir, "2-fulfillment")
    page.get_by_label("Dispatched by Kingston Express").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Was it a domestic or an international order?"
    )
    check_page(page, artifacts_dir, "3-destination")
    page.get_by_label("International").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Order details")
    check_page(page, artifacts_dir, "4-order-details")
    # The number of items is a short box, not as wide as the order number's.
    assert page.get_by_label("How many items are affected?").bounding_box()["width"] <= 7 * 16
    page.get_by_label("Order number").fill("not an order!")
    continue_(page)
    expect(page.get_by_role("alert")).to_contain_text("Enter an order number like KX-48213579")
    check_page(page, artifacts_dir, "4-order-details-error")
    page.get_by_label("Order number").fill("KX-48213579")
    page.get_by_label("Item or SKU").fill("Ceramic teapot TP-200")
    page.get_by_label("What is missing or damaged?").fill("The spout is cracked.")
    page.get_by_label("How many items are affected?").fill("1")
    page.get_by_label("Severe: broken, cracked or completely unusable").check()
    page.get_by_label("Customer's name").fill("Ana Customer")
    page.get_by_label("Customer's email address").fill("ana@example.com")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add photos of the package and the item"
    )
    expect(page.get_by_text("You can add up to 12 photos")).to_be_visible()
    check_page(page, artifacts_dir, "5-photos")
    # "Choose files" is as easy to tap as the other buttons (44 px).
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    for box in page.locator("input[type=file]").evaluate_all(
        "inputs => inputs.map(i => i.getBoundingClientRect().height)"
    ):
        assert box >= 44
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    # With JavaScript the chosen files upload at once, one after the other with
    # a progress bar each; then the page lists them with thumbnails and Remove.
    wait_for_enhancement(page)
    page.get_by_label("Choose photos of the package (outer box and label)").set_input_files(
        [photo_files["box.jpg"], photo_files["customer-box.jpg"]]
    )
    expect(
        page.get_by_role("button", name=re.compile("Remove photo 2 of the package"))
    ).to_be_visible()
    wait_for_enhancement(page)
    page.get_by_label("Choose photos of the item").set_input_files(photo_files["item.jpg"])
    expect(
        page.get_by_role("button", name=re.compile("Remove photo 1 of the item"))
    ).to_be_visible()
    wait_for_enhancement(page)
    page.get_by_label("Choose photos of the packing materials").set_input_files(
        photo_files["packing.png"]
    )
    expect(page.locator(".photo-list__thumb")).to_have_count(4)
    assert images_load(page, ".photo-list__thumb")
    page.get_by_role("button", name=re.compile("Remove photo 1 of the packing materials")).click()
    expect(page.locator(".photo-list__thumb")).to_have_count(3)
    page.get_by_label("I'm adding the photos the customer already sent me").check()
    check_page(page, artifacts_dir, "5-photos-uploaded")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your claim"
    )
    expect(page.locator(".summary-list")).to_contain_text("KX-48213579")
    expect(page.locator(".summary-list")).to_contain_text("International")
    check_page(page, artifacts_dir, "6-check")
    # Change returns to the step, then back to check your answers.
    page.get_by_role("link", name="Change item or sku").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Order details")
    page.get_by_label("Item or SKU").fill("Ceramic teapot TP-201")
    page.get_by_role("button", name="Save and go back to check your answers").click()
    expect(page.locator(".summary-list")).to_contain_text("Ceramic teapot TP-201")
    continue_(page)

    expect(page.locator(".panel")).to_contain_text("Claim sent")
    expect(page.locator(".panel__reference")).to_have_text(re.compile(r"^KXC-[A-Z0-9]{8}$"))
    body = page.locator("main")
    expect(body).to_contain_text(
        "Please submit the issue through your order so it can be reviewed."
    )
    expect(body).to_contain_text("Do not refund immediately")
    expect(body).to_contain_text("Customs handling may affect outcomes")
    expect(body).to_contain_text("Never promise instant resolution")
    expect(body).to_contain_text("The decision depends on policy and inspection.")
    expect(body).to_contain_text("No inspection, no refund. No review, no replacement.")
    expect(body).not_to_contain_text("Please share photos of the item and packaging")
    expect(page.locator(".photo-grid__thumb")).to_have_count(3)
    for src in page.eval_on_selector_all(".photo-grid__thumb", "imgs => imgs.map(i => i.src)"):
        reply = page.request.get(src)
        assert reply.status == 200, (src, reply.status, reply.text()[:300])
    assert images_load(page, ".photo-grid__thumb")
    check_page(page, artifacts_dir, "7-result-kx-international-damaged")
    settle(page)


def test_seller_managed_missing_item_then_the_customer_adds_photos(
    page, live_server, artifacts_dir, photo_files, browser
):
    page.goto(live_server.url + "/claim/")
    page.get_by_label("Missing item: the item was not in the package").check()
    continue_(page)
    page.get_by_label("Seller-managed order").check()
    continue_(page)
    page.get_by_label("Domestic").check()
    continue_(page)

    continue_(page)  # every field empty: the summary lists them all
    expect(page.locator("[data-error-summary] li")).to_have_count(7)
    check_page(page, artifacts_dir, "4-order-details-seller-managed-errors")
    page.get_by_label("Order number").fill("SM-1002003")
    page.get_by_label("Item or SKU").fill("Linen napkins, set of 4")
    page.get_by_label("What is missing or damaged?").fill("Two napkins were not in the parcel.")
    page.get_by_label("How many items are affected?").fill("2")
    page.locator("#id_order-details-stock_available_0").check()
    # Nothing arrived to send back: no return question for a missing item.
    expect(page.locator("#id_order-details-return_feasible_1")).to_have_count(0)
    page.get_by_label("Customer's name").fill("Ben Customer")
    page.get_by_label("Customer's email address").fill("ben@example.com")
    page.get_by_label("Your email address (optional)").fill("seller@example.com")
    continue_(page)

    continue_(page)  # no choice made on the photos step
    expect(page.get_by_role("alert")).to_contain_text("Select who will provide the photos")
    check_page(page, artifacts_dir, "5-photos-error")
    page.get_by_label("The customer will send photos").check()
    continue_(page)
    continue_(page)  # send

    expect(page.locator(".panel")).to_contain_text("waiting for the customer's photos")
    body = page.locator("main")
    expect(body).to_contain_text("Please share photos of the item and packaging")
    expect(body).to_contain_text("Verify against your packing process")
    expect(body).not_to_contain_text("Customs handling may affect outcomes")
    check_page(page, artifacts_dir, "7-result-seller-managed-missing")
    seller_url = page.url
    page.locator("#customer-link > summary").click()  # the link's section opens on request
    customer_url = page.locator("#customer-link-url").inner_text().strip()
    assert customer_url.startswith("http://127.0.0.1:8000/claim/c/")
    customer_path = customer_url.removeprefix("http://127.0.0.1:8000")

    # The customer, in their own browser, with nothing but the link.
    customer_context = browser.new_context()
    customer = customer_context.new_page()
    customer.goto(live_server.url + customer_path)
    expect(customer.get_by_role("heading", level=1)).to_have_text("Add photos for order SM-1002003")
    expect(customer.locator("main")).not_to_contain_text("Ben Customer")
    check_page(customer, artifacts_dir, "8-customer")
    customer.get_by_role("button", name="Send photos").click()
    expect(customer).to_have_title(re.compile(r"^Error: "))
    check_page(customer, artifacts_dir, "8-customer-error")
    # Each photo says what it shows by the box it is chosen in (a file input per kind).
    wait_for_enhancement(customer)
    customer.get_by_label("Photos of the item").set_input_files(photo_files["customer-item.jpg"])
    customer.get_by_label("Photos of the package (outer box and label)").set_input_files(
        photo_files["customer-box.jpg"]
    )
    expect(customer.locator(".photo-preview img")).to_have_count(2)
    customer.get_by_label("Anything to add? (optional)").fill("The parcel was also torn.")
    customer.get_by_role("button", name="Send photos").click()
    expect(customer.locator(".messages")).to_contain_text("2 photos added")
    expect(customer.locator(".photo-grid__thumb")).to_have_count(2)
    check_page(customer, artifacts_dir, "8-customer-sent")

    page.goto(seller_url)
    expect(page.locator(".photo-grid__thumb")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("The parcel was also torn.")
    expect(page.locator("main")).to_contain_text("From the customer")
    settle(page)
    customer_context.close()


def test_photos_upload_without_javascript(browser, live_server, photo_files):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/claim/")
    page.get_by_label("Wrong item received").check()
    continue_(page)
    page.get_by_label("Dispatched by Kingston Express").check()
    continue_(page)
    page.get_by_label("Domestic").check()
    continue_(page)
    page.get_by_label("Order number").fill("KX-48213579")
    page.get_by_label("Item or SKU").fill("Blue mug")
    page.get_by_label("What is missing or damaged?").fill("A red mug arrived.")
    page.get_by_label("How many items are affected?").fill("1")
    page.get_by_label("Customer's name").fill("Cy")
    page.get_by_label("Customer's email address").fill("cy@example.com")
    continue_(page)
    page.get_by_label("Choose photos of the item").set_input_files(photo_files["item.jpg"])
    page.get_by_role("button", name="Upload chosen photos").click()
    expect(page.locator(".photo-list__thumb")).to_have_count(1)
    page.get_by_label("I'm adding the photos the customer already sent me").check()
    continue_(page)
    continue_(page)
    expect(page.locator(".panel")).to_contain_text("Claim sent")
    expect(page.locator(".photo-grid__thumb")).to_have_count(1)
    settle(page)
    context.close()
