# ruff: noqa: E501
"""Each step's validation: clear messages that say what to do."""

import pytest

from claims.forms import (
    DestinationForm,
    FulfillmentForm,
    IssueTypeForm,
    OrderDetailsForm,
    PhotosForm,
)
from tests.factories import make_claim_details


@pytest.mark.parametrize(
    ("form_class", "field", "message"),
    [
        (IssueTypeForm, "issue_type", "Select what happened to the order"),
        (FulfillmentForm, "fulfillment_method", "Select how the order was fulfilled"),
        (DestinationForm, "destination", "Select whether the order was domestic or international"),
    ],
)
@pytest.mark.parametrize("value", ["", "refund_now", "<script>", "kingston_express'--"])
def test_radio_steps_refuse_missing_and_tampered_choices(form_class, field, message, value):
    form = form_class(data={field: value})

    assert not form.is_valid()
    assert form.errors[field] == [message]
    assert form.error_links()[0] == (f"id_{field}_0", message)


@pytest.mark.parametrize(
    ("form_class", "field", "value"),
    [
        (IssueTypeForm, "issue_type", "missing_item"),
        (IssueTypeForm, "issue_type", "partial_order"),
        (IssueTypeForm, "issue_type", "damaged_item"),
        (IssueTypeForm, "issue_type", "wrong_item"),
        (FulfillmentForm, "fulfillment_method", "kingston_express"),
        (FulfillmentForm, "fulfillment_method", "seller_managed"),
        (DestinationForm, "destination", "domestic"),
        (DestinationForm, "destination", "international"),
    ],
)
def test_radio_steps_take_every_real_choice(form_class, field, value):
    assert form_class(data={field: value}).is_valid()


def test_issue_type_choices_carry_the_guides_explanations_once():
    html = str(IssueTypeForm()["issue_type"])

    # In the labels, so a screen reader does not hear them twice (issue 16).
    assert "Missing item: the item was not in the package" in html
    assert "broken, cracked or unusable" in html
    assert "The item was not in the package." not in html
    assert "The customer received a different item" in html


def details_form(issue_type="missing_item", fulfillment_method="kingston_express", **data):
    return OrderDetailsForm(
        data=make_claim_details(**data),
        issue_type=issue_type,
        fulfillment_method=fulfillment_method,
    )


@pytest.mark.parametrize(
    "order_number",
    [
        "",
        "KX 482",
        "12345",
        "KX-48213579'; DROP TABLE claims_claim;--",
        "<b>KX-48213579</b>",
        "KX_48213579",
        "K" * 31,
        "KX-4821\n3579",
    ],
)
def test_order_number_must_fit_the_pattern(order_number):
    form = details_form(order_number=order_number)

    assert not form.is_valid()
    assert form.errors["order_number"] == ["Enter an order number like KX-48213579"]


@pytest.mark.parametrize("order_number", ["KX-48213579", "kx-48213579", "123456", "A" * 30])
def test_order_number_accepts_letters_digits_and_dashes(order_number):
    form = details_form(order_number=f"  {order_number} ")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["order_number"] == order_number.upper()


def test_order_number_pattern_is_a_setting(settings):
    settings.CLAIM_ORDER_NUMBER_PATTERN = r"^KX-\d{8}$"

    assert not details_form(order_number="AB-48213579").is_valid()
    assert details_form(order_number="KX-48213579").is_valid()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("item", "", "Enter the item name or SKU"),
        ("description", "", "Enter what is missing or damaged"),
        ("quantity_affected", "", "Enter how many items are affected"),
        ("quantity_affected", "0", "Enter at least 1"),
        ("quantity_affected", "two", "Enter the number of items affected, like 1 or 2"),
        ("quantity_affected", "100000", "Enter a number of items under 10000"),
        ("customer_name", "", "Enter the customer's name"),
        ("customer_email", "", "Enter the customer's email address"),
        ("customer_email", "ada at example", "Enter an email address like name@example.com"),
        (
            "seller_email",
            "me@",
            "Enter your email address like name@example.com, or leave it empty",
        ),
    ],
)
def test_order_details_messages_say_what_to_do(field, value, message):
    form = details_form(**{field: value})

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_severity_is_asked_only_for_damage():
    assert "severity" not in details_form(issue_type="missing_item").fields
    damaged = details_form(issue_type="damaged_item")
    assert not damaged.is_valid()
    assert damaged.errors["severity"] == ["Select how bad the damage is"]
    assert details_form(issue_type="damaged_item", severity="severe").is_valid()
    assert not details_form(issue_type="damaged_item", severity="catastrophic").is_valid()


@pytest.mark.parametrize("issue_type", ["missing_item", "partial_order"])
def test_no_return_is_asked_about_an_item_that_never_arrived(issue_type):
    form = details_form(issue_type=issue_type, fulfillment_method="seller_managed")

    assert "stock_available" in form.fields
    assert "return_feasible" not in form.fields


def test_stock_and_return_are_asked_only_for_seller_managed_orders():
    kx = details_form(fulfillment_method="kingston_express")
    assert "stock_available" not in kx.fields
    assert "return_feasible" not in kx.fields

    damaged = details_form(issue_type="damaged_item", fulfillment_method="seller_managed")
    assert not damaged.is_valid()
    assert damaged.errors["stock_available"] == ["Select yes if you have stock for a replacement"]
    assert damaged.errors["return_feasible"] == ["Select yes if a return is feasible"]

    answered = details_form(
        issue_type="wrong_item",
        fulfillment_method="seller_managed",
        stock_available="no",
        return_feasible="yes",
    )
    assert answered.is_valid()
    assert answered.cleaned_data["stock_available"] is False
    assert answered.cleaned_data["return_feasible"] is True


def test_photos_step_needs_a_photo_or_the_customer():
    form = PhotosForm(data={}, missing_kinds=[], photo_count=0)
    assert form.errors["photo_source"] == ["Select who will provide the photos"]

    no_photos = PhotosForm(data={"photo_source": "attach"}, missing_kinds=[], photo_count=0)
    assert no_photos.errors["photo_source"] == [
        "Upload at least one photo, or choose 'The customer will send photos'"
    ]

    missing_item = PhotosForm(
        data={"photo_source": "attach"},
        missing_kinds=["item"],
        photo_count=1,
        kind_labels={"item": "The item"},
    )
    assert missing_item.errors["photo_source"] == [
        "Upload a photo of the item, or choose 'The customer will send photos'"
    ]

    assert PhotosForm(data={"photo_source": "customer"}, photo_count=0).is_valid()
    assert PhotosForm(data={"photo_source": "attach"}, photo_count=2).is_valid()


# --- The check-your-answers rows ----------------------------------------------------


def rows(form):
    assert form.is_valid(), form.errors
    return [(row.label, str(row.value), row.anchor) for row in form.check_rows()]


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (IssueTypeForm(data={"issue_type": "partial_order"}), [("What happened", "Partial order: some items are missing", "id_issue_type_0")]),
        (FulfillmentForm(data={"fulfillment_method": "seller_managed"}), [("How the order was fulfilled", "Seller-managed order", "id_fulfillment_method_0")]),
        (DestinationForm(data={"destination": "international"}), [("Domestic or international", "International", "id_destination_0")]),
        (PhotosForm(data={"photo_source": "customer"}), [("Photos", "The customer will send photos", "id_photo_source_0")]),
        (PhotosForm(data={"photo_source": "attach"}, photo_count=1), [("Photos", "Added by you (below)", "id_photo_source_0")]),
    ],
)  # fmt: skip
def test_each_question_step_gives_its_check_row(form, expected):
    assert rows(form) == expected


KX_MISSING_ROWS = [
    ("Order number", "KX-48213579", "id_order_number"),
    ("Item or SKU", "Ceramic mug, SKU MUG-001", "id_item"),
    ("What is missing or damaged", "The handle is snapped off.", "id_description"),
    ("Quantity affected", "1", "id_quantity_affected"),
    ("Customer's name", "Ada Customer", "id_customer_name"),
    ("Customer's email address", "ada@example.com", "id_customer_email"),
]


@pytest.mark.parametrize(
    ("issue", "method", "data", "extra"),
    [
        ("missing_item", "kingston_express", {}, []),
        ("damaged_item", "kingston_express", {"severity": "minor"}, [("How bad the damage is", "Minor: cosmetic, the item still works", "id_severity_0")]),
        ("missing_item", "seller_managed", {"stock_available": "no"}, [("Stock available for a replacement", "No", "id_stock_available_0")]),
        ("wrong_item", "seller_managed", {"stock_available": "yes", "return_feasible": "no"}, [("Stock available for a replacement", "Yes", "id_stock_available_0"), ("Return feasible", "No", "id_return_feasible_0")]),
        ("missing_item", "kingston_express", {"seller_email": "me@example.com"}, [("Your email address", "me@example.com", "id_seller_email")]),
    ],
)  # fmt: skip
def test_order_details_check_rows_list_the_questions_asked_and_skip_an_empty_optional_one(
    issue, method, data, extra
):
    form = details_form(issue_type=issue, fulfillment_method=method, **data)

    got = rows(form)

    # The extra questions sit after the quantity (severity, stock, return) or last
    # (the seller's own address), in the form's order.
    assert [row for row in got if row not in KX_MISSING_ROWS] == extra
    assert [row for row in got if row in KX_MISSING_ROWS] == KX_MISSING_ROWS
