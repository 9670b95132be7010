"""Admins edit the guidance rows: lists show the conditions, filter and
search; an edit through the admin changes the guidance at once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.choices import FulfillmentMethod, WarningKind
from claims.models import (
    EvidenceRequirement,
    GuidanceWarning,
    OutcomeFactorRow,
    ResponseTemplate,
    ReviewStep,
)
from claims.selectors import guidance_for
from tests.factories import make_claim_facts

pytestmark = pytest.mark.django_db

MODELS = [ResponseTemplate, GuidanceWarning, ReviewStep, EvidenceRequirement, OutcomeFactorRow]


def admin_url(model, view, *args):
    return reverse(f"admin:claims_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_guidance_list_add_change_and_history_page_loads(admin_client, model):
    row = model.objects.first()

    changelist = admin_client.get(admin_url(model, "changelist"))

    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == model.objects.count()
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    change = admin_client.get(admin_url(model, "change", row.pk))
    assert change.status_code == 200
    assert "An empty condition means any" in change.content.decode()
    assert admin_client.get(admin_url(model, "history", row.pk)).status_code == 200


def test_warnings_filter_by_kind_method_destination_and_search(admin_client):
    url = admin_url(GuidanceWarning, "changelist")

    do_not = admin_client.get(url, {"kind": "do_not", "fulfillment_method": "kingston_express"})
    abroad = admin_client.get(url, {"destination": "international"})
    found = admin_client.get(url, {"q": "refund"})
    inactive = admin_client.get(url, {"is_active__exact": "0"})

    assert [row.text for row in do_not.context["cl"].result_list] == [
        "Do not refund immediately",
        "Do not ship replacements yourself",
        "Do not admit fault",
        "Do not ask customers to return items to you",
    ]
    assert {row.kind for row in abroad.context["cl"].result_list} == {"international_caution"}
    assert {row.text for row in found.context["cl"].result_list} >= {
        "Do not refund immediately",
        "Refunding before review",
        "Refund losses",
    }
    assert inactive.context["cl"].result_count == 0


def test_the_list_shows_conditions_in_words_and_links_to_the_guide(admin_client):
    html = admin_client.get(
        admin_url(GuidanceWarning, "changelist"), {"kind": "do_not"}
    ).content.decode()

    assert "Dispatched by Kingston Express" in html
    assert (
        "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/#what-sellers-should-not-do"
        in html
    )


def test_editing_a_template_in_the_admin_changes_the_guidance(admin_client):
    facts = make_claim_facts(fulfillment_method=FulfillmentMethod.KINGSTON_EXPRESS)
    assert guidance_for(facts).response_template.title == "Dispatchment order"
    template = ResponseTemplate.objects.get(fulfillment_method="kingston_express")

    response = admin_client.post(
        admin_url(ResponseTemplate, "change", template.pk),
        {
            "title": "Dispatchment order (edited)",
            "body": "Thanks for letting us know. Please submit the issue through your order.",
            "fulfillment_method": "kingston_express",
            "issue_type": "",
            "destination": "",
            "order": "10",
            "is_active": "on",
            "guide_anchor": "dispatchment-order",
        },
    )

    assert response.status_code == 302
    guidance = guidance_for(facts)
    assert guidance.response_template.title == "Dispatchment order (edited)"
    assert guidance.response_template.text.endswith("through your order.")


def test_order_and_active_are_editable_in_the_list(admin_client):
    facts = make_claim_facts()
    assert guidance_for(facts).do_now[0].text == "Acknowledge the customer calmly"
    rows = list(GuidanceWarning.objects.filter(kind=WarningKind.DO_NOW).order_by("order"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        # Move the last line first; switch the first one off.
        data[f"form-{index}-order"] = "1" if index == len(rows) - 1 else str(row.order)
        if index != 0:
            data[f"form-{index}-is_active"] = "on"

    response = admin_client.post(admin_url(GuidanceWarning, "changelist") + "?kind=do_now", data)

    assert response.status_code == 302
    assert [item.text for item in guidance_for(facts).do_now] == [
        "Wait for inspection and review",
        "Ask the customer to submit the issue through the order system",
    ]


def test_switch_off_and_on_actions_take_effect_at_once(admin_client):
    facts = make_claim_facts(is_international=True)
    assert len(guidance_for(facts).international_cautions) == 4
    cautions = GuidanceWarning.objects.filter(kind=WarningKind.INTERNATIONAL_CAUTION)
    url = admin_url(GuidanceWarning, "changelist")
    selected = [str(pk) for pk in cautions.values_list("pk", flat=True)[:3]]

    admin_client.post(url, {"action": "deactivate", "_selected_action": selected})
    assert len(guidance_for(facts).international_cautions) == 1

    admin_client.post(url, {"action": "activate", "_selected_action": selected})
    assert len(guidance_for(facts).international_cautions) == 4


def test_warnings_are_listed_in_the_guides_order_of_kinds(admin_client):
    response = admin_client.get(admin_url(GuidanceWarning, "changelist"))

    kinds = [row.kind for row in response.context["cl"].result_list]
    assert kinds[:7] == ["do_now"] * 3 + ["do_not"] * 4
    assert kinds.index("common_mistake") < kinds.index("final_rule") < kinds.index("note")


def test_the_system_checks_pass():
    call_command("check", fail_level="WARNING")
