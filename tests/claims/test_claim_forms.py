"""Each step's validation: clear messages that say what to do."""

import pytest

from claims.forms import (
    DestinationForm,
    FulfillmentForm,
    IssueTypeForm,
    OrderDetailsForm,
    PhotosForm,
)
from tests.conftest import make_claim_details


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
