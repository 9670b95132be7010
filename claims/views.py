"""Claim pages: the seller's result page and the customer's link (the photos they
show: `claims.photo_views`; the form that files a claim: `claims.wizard`).

Thin views: reads through QuerySet methods and selectors, writes through
`claims.services` and `claims.customer_evidence`. Pages behind a secret link
are never cached or indexed, and any wrong, expired or revoked link gets the
same "not found" page (`claims.secret_links`).
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import tokens
from claims.choices import ClaimStatus, EvidenceKind, IssueType
from claims.customer_copy import build_customer_copy
from claims.customer_evidence import (
    EvidenceRefused,
    PhotoLimitReached,
    claim_add_customer_uploads,
)
from claims.customer_forms import (
    CUSTOMER_UPLOAD_PREFIX,
    CustomerEvidenceForm,
    customer_photos,
)
from claims.drafts import upload_limits
from claims.erasure import (
    ErasureRefused,
    claim_request_erasure,
    retention_months,
)
from claims.facts import ClaimFacts
from claims.forms import ReplyCheckForm
from claims.guide_links import guide_url
from claims.links import customer_url
from claims.models import Claim
from claims.reply import compose as compose_reply
from claims.reply_check import check as check_reply
from claims.retention import SETTLED_STATUSES
from claims.secret_links import (
    claim_for_result_token,
    link_not_found,
    private,
    with_customer_claim,
)
from claims.selectors import evidence_rules_for, guidance_for, reply_check_rules
from claims.services import claim_renew_customer_link, claim_revoke_customer_link
from claims.status_text import next_step_for_customer, status_for_customer
from claims.storage import ClaimNotSaved
from helpcentre import ratelimit


def _evidence_status(claim: Claim, photos) -> list[dict]:
    """Each evidence rule with whether a photo already shows it."""
    present = {p.kind for p in photos}
    labels = dict(EvidenceKind.choices)
    return [
        {
            "kind": rule.kind,
            "label": labels.get(rule.kind, rule.kind),
            "required": rule.required,
            "reason": rule.reason,
            "done": rule.kind in present,
        }
        for rule in evidence_rules_for(ClaimFacts.from_claim(claim))
    ]


def _result_page(request, claim: Claim, token: str, *, reply_text=None, findings=None, status=200):
    """The seller's page, with the reply composed for the claim (or the
    seller's own text and its check's findings)."""
    photos = list(claim.photos.all())
    customer_token = tokens.customer_token_for(token, claim.customer_link_nonce)
    customer_link = customer_url(customer_token)
    guidance = guidance_for(ClaimFacts.from_claim(claim, photos_received=bool(photos)))
    composed = compose_reply(
        guidance,
        customer_name=claim.customer_name,
        reference=claim.reference,
        customer_link=customer_link if claim.customer_link_active else "",
    )
    context = {
        "claim": claim,
        "token": token,
        "photos": photos,
        "notes": list(claim.customer_notes.all()),
        "evidence": _evidence_status(claim, photos),
        "customer_link": customer_link,
        "guidance": guidance,
        "reply": composed,
        "reply_text": composed.text if reply_text is None else reply_text,
        "reply_checked": findings is not None,
        "findings": findings or (),
        "reply_max_length": ReplyCheckForm.MAX_LENGTH,
        "order_number": claim.order_number,
        "customer_email": claim.customer_email,
        "issue_label": IssueType(claim.issue_type).label,
        "response_days": (
            settings.CLAIM_RESPONSE_DAYS_INTERNATIONAL
            if claim.is_international
            else settings.CLAIM_RESPONSE_DAYS
        ),
        "guide_url": guide_url(),
        # The same plain words the customer reads, so both sides see one story.
        "next_step": next_step_for_customer(
            claim.fulfillment_method,
            claim.status,
            claim.is_international,
            outcome=claim.outcome or None,
        ),
    }
    return private(render(request, "claims/result.html", context, status=status))


# The label of each file input on the customer's page.
UPLOAD_LABELS = {
    EvidenceKind.ITEM: gettext_lazy("Photos of the item"),
    EvidenceKind.PACKAGE: gettext_lazy("Photos of the package (outer box and label)"),
    EvidenceKind.PACKING_MATERIALS: gettext_lazy("Photos of the packing materials"),
    EvidenceKind.OTHER: gettext_lazy("Other photos"),
}


def _upload_inputs(claim: Claim, photos) -> list[dict]:
    """One file input per kind of photo on the customer's page, the needed ones first."""
    status = {row["kind"]: row for row in _evidence_status(claim, photos)}
    inputs = [
        {
            "kind": kind,
            "name": f"{CUSTOMER_UPLOAD_PREFIX}{kind}",
            "label": UPLOAD_LABELS[kind],
            "reason": status.get(kind, {}).get("reason", ""),
            "required": status.get(kind, {}).get("required", False),
            "done": status.get(kind, {}).get("done", False),
        }
        for kind in EvidenceKind
    ]
    return sorted(
        inputs, key=lambda row: (not row["required"] or row["done"], row["kind"] == "other")
    )


@require_GET
def result(request, token: str):
    """The seller's private claim page: reference, next step, the reply, guidance, photos."""
    claim = claim_for_result_token(token)
    if claim is None:
        return link_not_found(request)
    return _result_page(request, claim, token)


@require_POST
@ratelimit.limit_per_ip("reply-check")
def reply_check(request, token: str):
    """Check the seller's reply against what the guide forbids for this claim.

    A plain form post re-renders the page with the findings and the text
    kept; the page's script posts the same form as the seller types and
    swaps in just the findings."""
    claim = claim_for_result_token(token)
    if claim is None:
        return link_not_found(request)
    form = ReplyCheckForm(request.POST)
    if not form.is_valid():
        text = request.POST.get("reply", "")[: ReplyCheckForm.MAX_LENGTH * 2]
        if _is_xhr(request):
            return private(
                render(
                    request, "claims/_reply_findings.html", {"form_errors": form.errors}, status=400
                )
            )
        messages.error(request, " ".join(form.errors.get("reply", [])))
        return _result_page(request, claim, token, reply_text=text, findings=(), status=400)
    text = form.cleaned_data["reply"]
    photos_received = claim.photos.exists()
    findings = check_reply(
        text, ClaimFacts.from_claim(claim, photos_received=photos_received), reply_check_rules()
    )
    if _is_xhr(request):
        context = {"findings": findings, "reply_checked": True}
        return private(render(request, "claims/_reply_findings.html", context))
    return _result_page(request, claim, token, reply_text=text, findings=findings)


@require_POST
@ratelimit.limit_per_ip("reply-check")
def staff_reply_check(request, claim_id: int):
    """The same check on what a reviewer writes about a claim from the admin
    (an escalation note, a note with a decision, a request to the customer),
    shown as they type, before it is sent."""
    from claims.review_trail import REVIEW_PERMISSION

    if not (request.user.is_active and request.user.has_perm(REVIEW_PERMISSION)):
        return link_not_found(request)
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return link_not_found(request)
    form = ReplyCheckForm(request.POST)
    if not form.is_valid():
        context = {"form_errors": form.errors}
        return private(render(request, "claims/_reply_findings.html", context, status=400))
    findings = check_reply(
        form.cleaned_data["reply"],
        ClaimFacts.from_claim(claim, photos_received=claim.photos.exists()),
        reply_check_rules(),
    )
    context = {"findings": findings, "reply_checked": True}
    return private(render(request, "claims/_reply_findings.html", context))


def _is_xhr(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@require_POST
def customer_link_action(request, token: str):
    """From the seller's page: switch the customer's link off, or issue a new one."""
    claim = claim_for_result_token(token)
    if claim is None:
        return link_not_found(request)
    if request.POST.get("action") == "revoke":
        claim_revoke_customer_link(claim=claim)
        messages.success(request, _("The customer's link is switched off."))
    elif request.POST.get("action") == "renew":
        claim_renew_customer_link(claim=claim, result_token=token)
        messages.success(
            request, _("A new customer link is ready below. The old one no longer works.")
        )
    return redirect(reverse("claims:result", args=[token]) + "#customer-link")


@require_http_methods(["GET", "POST"])
@with_customer_claim
def customer(request, token: str, *, claim: Claim):
    """The customer's page: which photos are still needed and why; add photos and a note."""
    errors: list[str] = []
    status = 200
    form = CustomerEvidenceForm()
    if request.method == "POST":
        form, status = CustomerEvidenceForm(request.POST), 400
        if form.is_valid():
            photos, refused = customer_photos(request.FILES, request.POST)
            try:
                outcome = claim_add_customer_uploads(
                    claim_id=claim.pk,
                    uploads=photos,
                    note=form.cleaned_data["note"],
                    refused=refused,
                )
            except EvidenceRefused as failure:
                errors = failure.messages
            except (PhotoLimitReached, ClaimNotSaved) as failure:
                errors = [failure.message]
                status = 409 if isinstance(failure, PhotoLimitReached) else 503
            else:
                _thank_customer(request, outcome)
                return HttpResponseRedirect(request.path)
    context = {**_customer_context(claim, token), "form": form, "upload_errors": errors}
    return private(render(request, "claims/customer.html", context, status=status))


def _thank_customer(request, outcome) -> None:
    if outcome.added:
        messages.success(
            request,
            ngettext(
                "Thank you: %(count)s photo added to your report.",
                "Thank you: %(count)s photos added to your report.",
                outcome.added,
            )
            % {"count": outcome.added},
        )
    if outcome.duplicates:
        messages.info(
            request,
            ngettext(
                "%(count)s photo had already been sent, so it was skipped.",
                "%(count)s photos had already been sent, so they were skipped.",
                outcome.duplicates,
            )
            % {"count": outcome.duplicates},
        )
    if not outcome.added and not outcome.duplicates:
        messages.success(request, _("Thank you: your note was added."))


def _customer_context(claim: Claim, token: str) -> dict:
    photos = list(claim.photos.all())
    return {
        **_personal_data_context(claim),
        "claim": claim,
        "token": token,
        "photos": photos,
        "evidence": _evidence_status(claim, photos),
        "upload_inputs": _upload_inputs(claim, photos),
        # What a reviewer asked for, while the claim waits on the customer.
        "evidence_request": claim.evidence_requests.open().last()
        if claim.status == ClaimStatus.AWAITING_EVIDENCE
        else None,
        "display_size": settings.CLAIM_PHOTO_DISPLAY_SIZE,
        "limits": upload_limits(),
        "room": max(settings.CLAIM_MAX_PHOTOS - len(photos), 0),
        "status_label": status_for_customer(claim.status),
        "next_step": next_step_for_customer(
            claim.fulfillment_method,
            claim.status,
            claim.is_international,
            outcome=claim.outcome or None,
        ),
    }


def _personal_data_context(claim: Claim) -> dict:
    """What the customer's page says about their data: kept how long, asked to go."""
    return {
        "erased": claim.personal_data_erased_at is not None,
        "erasure_requested": claim.erasure_requested_at is not None,
        "can_request_erasure": claim.status in SETTLED_STATUSES
        and claim.erasure_requested_at is None
        and claim.personal_data_erased_at is None,
    }


@require_GET
@with_customer_claim
def customer_copy(request, token: str, *, claim: Claim):
    """The customer's copy of what they sent (answers and photos), as one ZIP."""
    if claim.personal_data_erased_at is not None:
        messages.info(request, _("Your photos and details have been erased: there is no copy."))
        return redirect("claims:customer", token=token)
    copy = build_customer_copy(claim)
    response = FileResponse(
        copy.file, as_attachment=True, filename=copy.filename, content_type="application/zip"
    )
    return private(response)


@require_POST
@with_customer_claim
def customer_erasure(request, token: str, *, claim: Claim):
    """The customer asks for their photos and details to be erased early."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want them erased."))
        return private(redirect(reverse("claims:customer", args=[token]) + "#your-data"))
    try:
        claim_request_erasure(claim=claim)
    except ErasureRefused as refused:
        response = render(
            request,
            "claims/refused.html",
            {"message": refused.message, "back": reverse("claims:customer", args=[token])},
            status=409,
        )
        return private(response)
    messages.success(
        request,
        _(
            "Thank you: we have your request. A reviewer will erase your photos and "
            "details within a few days; this page will say when it is done."
        ),
    )
    return private(redirect(reverse("claims:customer", args=[token]) + "#your-data"))


@require_GET
def privacy(request):
    """What a claim keeps about people, why and for how long."""
    context = {
        "retention_months": retention_months(),
        "retention_days": settings.CLAIM_RETENTION_DAYS,
        "draft_hours": settings.CLAIM_DRAFT_RETENTION_HOURS,
        "link_days": settings.CLAIM_CUSTOMER_LINK_DAYS,
    }
    return render(request, "claims/privacy.html", context)
