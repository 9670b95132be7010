"""The one predicate for the path: `is_kingston_express`, on the enum and on the claim."""

import pytest
from django.template import Context, Template

from claims.choices import FulfillmentMethod
from claims.models import Claim

KX = FulfillmentMethod.KINGSTON_EXPRESS
SM = FulfillmentMethod.SELLER_MANAGED


@pytest.mark.parametrize(("method", "expected"), [(KX, True), (SM, False)])
def test_only_kingston_express_orders_are_kingston_express(method, expected):
    assert method.is_kingston_express is expected
    # As stored: the string from the database reaches the same answer.
    assert FulfillmentMethod(method.value).is_kingston_express is expected
    assert Claim(fulfillment_method=method.value).is_kingston_express is expected


def test_every_fulfillment_method_is_on_one_path_and_kingston_express_is_one_of_them():
    assert [m for m in FulfillmentMethod if m.is_kingston_express] == [KX]


@pytest.mark.parametrize(("method", "expected"), [(KX, "inspection"), (SM, "review")])
def test_templates_ask_the_same_predicate(method, expected):
    template = Template(
        "{% if method.is_kingston_express %}inspection{% else %}review{% endif %}|"
        "{% if claim.is_kingston_express %}inspection{% else %}review{% endif %}"
    )
    context = Context({"method": method, "claim": Claim(fulfillment_method=method.value)})

    assert template.render(context) == f"{expected}|{expected}"
