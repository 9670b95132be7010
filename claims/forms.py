"""The claim's steps, one question (or one group of details) per form.

Forms only validate: the wizard (`claims/wizard.py`) stores their data in the
session and `claims.services.claim_submit` saves the claim.
"""

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from claims.choices import (
    DamageSeverity,
    Destination,
    FulfillmentMethod,
    IssueType,
)
from helpcentre.validators import guard_text_fields


class HintedRadioSelect(forms.RadioSelect):
    """Radios whose options can carry a hint line (the guide's explanation)."""

    template_name = "claims/widgets/radios.html"

    def __init__(self, *args, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                option["hint"] = self.hints.get(option["value"], "")
        return context


def _yes_no(value: str) -> bool:
    return value == "yes"


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


@dataclass(frozen=True)
class CheckRow:
    """One answer on the check-your-answers page; `anchor` is the field's id on its step."""

    name: str
    label: str
    value: object
    anchor: str


class StepForm(forms.Form):
    """Error messages that say what to do, the field ids the summary links to, and
    the rows of the check-your-answers page."""

    required_messages: dict[str, str] = {}
    # The check page names an answer by its question's label unless it is given here
    # (a statement reads better there than the question: "Quantity affected").
    check_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
                self.fields[name].error_messages["invalid_choice"] = message

    def error_links(self):
        """(anchor id, message) for the error summary, in field order."""
        links = []
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                anchor = self[name].auto_id
                if isinstance(field.widget, forms.RadioSelect):
                    anchor = f"{anchor}_0"
                links.append((anchor, error))
        for error in self.non_field_errors():
            links.append(("", error))
        return links

    def _anchor(self, name: str) -> str:
        anchor = self[name].auto_id
        return f"{anchor}_0" if isinstance(self.fields[name].widget, forms.RadioSelect) else anchor

    def check_rows(self) -> list[CheckRow]:
        """Each answer of this (valid) step as the check page shows it, in field
        order. An optional question left empty is not listed."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field.widget, forms.HiddenInput):
                continue
            if value in (None, "") and not field.required:
                continue
            rows.append(
                CheckRow(
                    name=name,
                    label=self.check_labels.get(name, field.label),
                    value=self.check_value(name, value),
                    anchor=self._anchor(name),
                )
            )
        return rows

    def check_value(self, name: str, value):
        """How an answer reads on the check page: a choice by its label."""
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            # The submitted choice, not the coerced value: a yes/no reads "Yes".
            return dict(field.choices).get(self[name].data, value)
        return value


class IssueTypeForm(StepForm):
    title = _("What happened to the order?")
    issue_type = forms.ChoiceField(
        label=_("What happened to the order?"),
        choices=IssueType.choices,
        # Only hints that add to their label: the other three repeated it, and
        # a screen reader read each of them twice (label, then description).
        widget=HintedRadioSelect(
            hints={
                IssueType.WRONG_ITEM: _(
                    "The customer received a different item from the one ordered."
                ),
            }
        ),
        help_text=_("Each issue follows a different review path, so don't mix these up."),
    )
    required_messages = {"issue_type": _("Select what happened to the order")}
    check_labels = {"issue_type": _("What happened")}


class FulfillmentForm(StepForm):
    title = _("How was the order fulfilled?")
    fulfillment_method = forms.ChoiceField(
        label=_("How was the order fulfilled?"),
        choices=FulfillmentMethod.choices,
        widget=HintedRadioSelect(
            hints={
                FulfillmentMethod.KINGSTON_EXPRESS: _(
                    "Packing, shipping, and handling were done by Kingston Express."
                ),
                FulfillmentMethod.SELLER_MANAGED: _("You packed and shipped the item yourself."),
            }
        ),
        help_text=_(
            "Check the order before you answer: this determines responsibility and next steps."
        ),
    )
    required_messages = {
        "fulfillment_method": _("Select how the order was fulfilled"),
    }
    check_labels = {"fulfillment_method": _("How the order was fulfilled")}


class DestinationForm(StepForm):
    title = _("Was it a domestic or an international order?")
    destination = forms.ChoiceField(
        label=_("Was it a domestic or an international order?"),
        choices=Destination.choices,
        widget=HintedRadioSelect(
            hints={
                Destination.DOMESTIC: _("Delivered in the country it was sent from."),
                Destination.INTERNATIONAL: _(
                    "Delivered to another country. Claims may take longer and customs handling "
                    "may affect outcomes."
                ),
            }
        ),
    )
    required_messages = {"destination": _("Select whether the order was domestic or international")}
    check_labels = {"destination": _("Domestic or international")}


class OrderDetailsForm(StepForm):
    title = _("Order details")
    order_number = forms.CharField(
        label=_("Order number"),
        max_length=30,
        help_text=_("Letters, digits and dashes, such as %(example)s.")
        % {"example": settings.CLAIM_ORDER_NUMBER_EXAMPLE},
    )
    item = forms.CharField(
        label=_("Item or SKU"), max_length=200, help_text=_("As it appears on the order.")
    )
    description = forms.CharField(
        label=_("What is missing or damaged?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what the customer told you, in their words if you can."),
    )
    quantity_affected = forms.IntegerField(
        label=_("How many items are affected?"),
        min_value=1,
        max_value=9999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )
    severity = forms.ChoiceField(
        label=_("How bad is the damage?"),
        choices=DamageSeverity.choices,
        widget=HintedRadioSelect,
    )
    stock_available = forms.TypedChoiceField(
        label=_("Do you have stock available for a replacement?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=HintedRadioSelect(attrs={"class": "radios--inline"}),
    )
    return_feasible = forms.TypedChoiceField(
        label=_("Is a return feasible?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=HintedRadioSelect(attrs={"class": "radios--inline"}),
        help_text=_("For example, not when the item is perishable or too costly to send back."),
    )
    customer_name = forms.CharField(label=_("Customer's name"), max_length=200)
    customer_email = forms.EmailField(
        label=_("Customer's email address"),
        help_text=_("We'll email the customer a confirmation and a private link to add photos."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    seller_email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_(
            "We'll email you the private link to your claim page, so you can find it again."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    required_messages = {
        "order_number": _("Enter an order number like %(example)s")
        % {"example": settings.CLAIM_ORDER_NUMBER_EXAMPLE},
        "item": _("Enter the item name or SKU"),
        "description": _("Enter what is missing or damaged"),
        "quantity_affected": _("Enter how many items are affected"),
        "severity": _("Select how bad the damage is"),
        "stock_available": _("Select yes if you have stock for a replacement"),
        "return_feasible": _("Select yes if a return is feasible"),
        "customer_name": _("Enter the customer's name"),
        "customer_email": _("Enter the customer's email address"),
    }
    check_labels = {
        "description": _("What is missing or damaged"),
        "quantity_affected": _("Quantity affected"),
        "severity": _("How bad the damage is"),
        "stock_available": _("Stock available for a replacement"),
        "return_feasible": _("Return feasible"),
        "seller_email": _("Your email address"),
    }

    def __init__(self, *args, issue_type: str = "", fulfillment_method: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if issue_type != IssueType.DAMAGED_ITEM:
            del self.fields["severity"]
        if fulfillment_method != FulfillmentMethod.SELLER_MANAGED:
            del self.fields["stock_available"]
            del self.fields["return_feasible"]
        elif issue_type in (IssueType.MISSING_ITEM, IssueType.PARTIAL_ORDER):
            # Nothing arrived that could be sent back: the question would only
            # puzzle the seller (and count a refund factor that is not there).
            del self.fields["return_feasible"]
        self.fields["quantity_affected"].error_messages.update(
            {
                "invalid": _("Enter the number of items affected, like 1 or 2"),
                "min_value": _("Enter at least 1"),
                "max_value": _("Enter a number of items under 10000"),
            }
        )
        self.fields["order_number"].error_messages["max_length"] = self.required_messages[
            "order_number"
        ]
        self.fields["customer_email"].error_messages["invalid"] = _(
            "Enter an email address like name@example.com"
        )
        self.fields["seller_email"].error_messages["invalid"] = _(
            "Enter your email address like name@example.com, or leave it empty"
        )

    def clean_order_number(self) -> str:
        value = self.cleaned_data["order_number"].strip()
        if not re.fullmatch(settings.CLAIM_ORDER_NUMBER_PATTERN, value):
            raise forms.ValidationError(
                _("Enter an order number like %(example)s"),
                params={"example": settings.CLAIM_ORDER_NUMBER_EXAMPLE},
                code="pattern",
            )
        return value.upper()


class PhotosForm(StepForm):
    """Who provides the photos. The uploads themselves are handled by the wizard."""

    ATTACH = "attach"
    CUSTOMER = "customer"

    title = _("Add photos of the package and the item")
    photo_source = forms.ChoiceField(
        label=_("Who will provide the photos?"),
        choices=[
            (ATTACH, _("I'm adding the photos the customer already sent me")),
            (CUSTOMER, _("The customer will send photos")),
        ],
        widget=HintedRadioSelect(
            hints={
                CUSTOMER: _(
                    "We'll email the customer a private link to add them. The claim waits for "
                    "their evidence."
                ),
            }
        ),
    )
    required_messages = {"photo_source": _("Select who will provide the photos")}
    check_labels = {"photo_source": _("Photos")}

    def __init__(self, *args, missing_kinds=(), photo_count: int = 0, kind_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing_kinds = list(missing_kinds)
        self.photo_count = photo_count
        self.kind_labels = kind_labels or {}

    def check_value(self, name: str, value):
        if name == "photo_source" and value == self.ATTACH:
            return _("Added by you (below)")
        return super().check_value(name, value)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo_source") == self.ATTACH:
            if not self.photo_count:
                self.add_error(
                    "photo_source",
                    _("Upload at least one photo, or choose 'The customer will send photos'"),
                )
            elif self.missing_kinds:
                labels = ", ".join(
                    str(self.kind_labels.get(k, k)).lower() for k in self.missing_kinds
                )
                self.add_error(
                    "photo_source",
                    _("Upload a photo of %(what)s, or choose 'The customer will send photos'")
                    % {"what": labels},
                )
        return cleaned


class CheckForm(StepForm):
    title = _("Check your answers before sending your claim")
    submission_key = forms.UUIDField(widget=forms.HiddenInput)


class ReplyCheckForm(forms.Form):
    """The seller's reply to the customer, to check before they send it."""

    MAX_LENGTH = 5000

    reply = forms.CharField(
        label=_("Your reply to the customer"),
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": _("Write or paste your reply to the customer, then check it"),
            "max_length": _("Keep the reply under %(limit_value)d characters to check it"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
