"""Walking the claim wizard (claims/wizard.py) through Django's test client."""

from tests.factories import make_claim_details

WIZARD_PREFIX_FIELD = "claim_wizard-current_step"


def wizard_post(client, step, data=None, files=None, **extra):
    """POST one wizard step with its management form; data without the prefix."""
    payload = {WIZARD_PREFIX_FIELD: step}
    for name, value in (data or {}).items():
        unprefixed = ("action", "remove", "return_to", "earlier_claims_seen")
        payload[name if name in unprefixed else f"{step}-{name}"] = value
    for name, value in (files or {}).items():
        payload[name] = value
    return client.post(f"/claim/{step}/", payload, **extra)


def walk_claim_wizard(
    client,
    *,
    issue_type="damaged_item",
    fulfillment_method="kingston_express",
    destination="domestic",
    details=None,
    photos=(),
    photo_source="attach",
):
    """Answer every step through the test client and send the claim.

    `photos` is a sequence of (kind, upload). Returns the final response.
    """
    from django.test import TestCase

    from claims.choices import IssueType

    client.get("/claim/")
    assert wizard_post(client, "what-happened", {"issue_type": issue_type}).status_code == 302
    assert (
        wizard_post(client, "fulfillment", {"fulfillment_method": fulfillment_method}).status_code
        == 302
    )
    assert wizard_post(client, "destination", {"destination": destination}).status_code == 302
    answers = make_claim_details(**(details or {}))
    if issue_type == IssueType.DAMAGED_ITEM:
        answers.setdefault("severity", "major")
    if fulfillment_method == "seller_managed":
        answers.setdefault("stock_available", "yes")
        answers.setdefault("return_feasible", "yes")
    response = wizard_post(client, "order-details", answers)
    if response.status_code == 200 and "earlier_claims_seen" in response.content.decode():
        # Told of an earlier claim for this order number: a seller filing
        # another problem with the same order goes on.
        answers["earlier_claims_seen"] = answers["order_number"]
        response = wizard_post(client, "order-details", answers)
    assert response.status_code == 302, response.content.decode()[:3000]
    for kind, upload in photos:
        response = wizard_post(client, "photos", {"action": "upload"}, {f"photos-{kind}": upload})
        assert response.status_code == 302, response.content.decode()[:3000]
    response = wizard_post(client, "photos", {"photo_source": photo_source})
    assert response.status_code == 302, response.content.decode()[:3000]
    check = client.get("/claim/check/")
    key = check.context["form"].initial["submission_key"]
    # Run the after-commit work (emails, draft clean-up) as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return wizard_post(client, "check", {"submission_key": key})
