"""Claim pages: the seller's result page, the customer's link, private photos.

Thin views: reads through QuerySet methods and selectors, writes through
`claims.services`. Pages behind a secret link are never cached or indexed,
and any wrong, expired or revoked link gets the same "not found" page.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import tokens
from claims.choices import ClaimStatus, EvidenceKind, IssueType
from claims.customer_copy import build_customer_copy
from claims.drafts import draft_storage
from claims.erasure import (
    ErasureRefused,
    claim_request_erasure,
    record_access,
    retention_months,
)
from claims.facts import ClaimFacts
from claims.forms import CustomerEvidenceForm, ReplyCheckForm
from claims.models import Claim, EvidencePhoto, PersonalDataAccess, hash_token
from claims.photos import process_uploads, with_phone_report
from claims.reply import compose as compose_reply
from claims.reply_check import check as check_reply
from claims.retention import SETTLED_STATUSES
from claims.selectors import evidence_rules_for, guidance_for, reply_check_rules
from claims.services import (
    ClaimNotSaved,
    PhotoLimitReached,
    claim_add_customer_evidence,
    claim_renew_customer_link,
    claim_revoke_customer_link,
    customer_url,
)
from claims.storage import evidence_storage, evidence_url
from claims.wizard import GUIDE_URL, session_drafts, upload_limits
from claims.workflow import next_step_for_customer, status_for_customer
from helpcentre import ratelimit
from helpcentre.ratelimit import client_ip, over_limit


def _private(response):
    """Secret-link pages: never cached anywhere, never indexed."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def link_not_found(request):
    response = render(request, "claims/link_not_found.html", {"guide_url": GUIDE_URL}, status=404)
    return _private(response)


def too_many_requests(request):
    return _private(
        ratelimit.too_many_requests(request, retry_after=settings.CLAIM_RATE_LIMIT_WINDOW_SECONDS)
    )


def _claim_for_result_token(token: str) -> Claim | None:
    if not tokens.looks_like_token(token):
        return None
    return Claim.objects.for_result_token(token).first()


CUSTOMER_UPLOAD_PREFIX = "photos-"


def customer_uploads(files, data) -> tuple[list[tuple[str, object]], list[str]]:
    """The customer's chosen photos as (kind, upload), one file input per kind.

    Each photo says what it shows by the input it was chosen in, so an item photo
    sent with a package photo is stored as the item. A file under any other name
    (a tampered form) is refused by name, never dropped silently.

    A page opened before this form changed posts its photos as "photos" with one
    "kind" for all of them: still accepted as that kind, so nobody's upload fails
    across a deploy; a kind that is not one of ours is refused as before.
    """
    kinds = {kind.value for kind in EvidenceKind}
    legacy_kind = data.get("kind")
    uploads: list[tuple[str, object]] = []
    errors: list[str] = []
    if legacy_kind is not None and legacy_kind not in kinds:
        errors.append(_("Select what the photos show"))
    for field in files:
        if field == "photos" and legacy_kind in kinds:
            kind = legacy_kind
        elif field.startswith(CUSTOMER_UPLOAD_PREFIX):
            kind = field.removeprefix(CUSTOMER_UPLOAD_PREFIX)
        else:
            kind = None
        for upload in files.getlist(field):
            if kind in kinds:
                uploads.append((kind, upload))
            else:
                errors.append(
                    _("%(name)s: we could not tell what this photo shows, so it was not sent")
                    % {"name": upload.name[-80:]}
                )
    # One more than the limit is enough to say "too many"; the rest are never decoded.
    return uploads[: settings.CLAIM_MAX_PHOTOS + 1], errors


def phone_reports(files, data) -> dict[int, dict[str, str]]:
    """What the customer's phone read from each photo before shrinking it (the page's
    script sends "<input>-taken", "-offset" and "-camera" beside each file of that
    input, in the same order), by id() of the upload; `with_phone_report` decides
    what counts. Nothing for a file without them (no script, an old page)."""
    reports: dict[int, dict[str, str]] = {}
    for field in files:
        taken = data.getlist(f"{field}-taken")
        offsets = data.getlist(f"{field}-offset")
        cameras = data.getlist(f"{field}-camera")
        for index, upload in enumerate(files.getlist(field)):
            if index < len(taken):
                reports[id(upload)] = {
                    "taken": taken[index],
                    "offset": offsets[index] if index < len(offsets) else "",
                    "camera": cameras[index] if index < len(cameras) else "",
                }
    return reports


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
        "guide_url": GUIDE_URL,
        # The same plain words the customer reads, so both sides see one story.
        "next_step": next_step_for_customer(
            claim.fulfillment_method,
            claim.status,
            claim.is_international,
            outcome=claim.outcome or None,
        ),
    }
    return _private(render(request, "claims/result.html", context, status=status))


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
    claim = _claim_for_result_token(token)
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
    claim = _claim_for_result_token(token)
    if claim is None:
        return link_not_found(request)
    form = ReplyCheckForm(request.POST)
    if not form.is_valid():
        text = request.POST.get("reply", "")[: ReplyCheckForm.MAX_LENGTH * 2]
        if _is_xhr(request):
            return _private(
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
        return _private(render(request, "claims/_reply_findings.html", context))
    return _result_page(request, claim, token, reply_text=text, findings=findings)


@require_POST
@ratelimit.limit_per_ip("reply-check")
def staff_reply_check(request, claim_id: int):
    """The same check on what a reviewer writes about a claim from the admin
    (an escalation note, a note with a decision, a request to the customer),
    shown as they type, before it is sent."""
    from claims.review import REVIEW_PERMISSION

    if not (request.user.is_active and request.user.has_perm(REVIEW_PERMISSION)):
        return link_not_found(request)
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return link_not_found(request)
    form = ReplyCheckForm(request.POST)
    if not form.is_valid():
        context = {"form_errors": form.errors}
        return _private(render(request, "claims/_reply_findings.html", context, status=400))
    findings = check_reply(
        form.cleaned_data["reply"],
        ClaimFacts.from_claim(claim, photos_received=claim.photos.exists()),
        reply_check_rules(),
    )
    context = {"findings": findings, "reply_checked": True}
    return _private(render(request, "claims/_reply_findings.html", context))


def _is_xhr(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@require_POST
def customer_link_action(request, token: str):
    """From the seller's page: switch the customer's link off, or issue a new one."""
    claim = _claim_for_result_token(token)
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
def customer(request, token: str):
    """The customer's page: which photos are still needed and why; add photos and a note."""
    ip = client_ip(request)
    window = settings.CLAIM_RATE_LIMIT_WINDOW_SECONDS
    if over_limit(
        f"customer-ip:{ip}", limit=settings.CLAIM_RATE_LIMIT_PER_IP, window_seconds=window
    ):
        return too_many_requests(request)
    if not tokens.looks_like_token(token):
        return link_not_found(request)
    if request.method == "POST" and over_limit(
        f"customer-token:{hash_token(token)[:32]}",
        limit=settings.CLAIM_RATE_LIMIT_PER_TOKEN,
        window_seconds=window,
    ):
        return too_many_requests(request)
    claim = Claim.objects.for_customer_token(token).first()
    if claim is None:
        return link_not_found(request)

    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = CustomerEvidenceForm(request.POST)
        if form.is_valid():
            uploads, errors = customer_uploads(request.FILES, request.POST)
            reports = phone_reports(request.FILES, request.POST)
            processed = []
            keyed = [((kind, reports.get(id(upload))), upload) for kind, upload in uploads]
            for result in process_uploads(keyed):
                kind, report = result.key
                if result.photo is None:
                    errors.append(result.refusal)
                else:
                    photo = with_phone_report(result.photo, **report) if report else result.photo
                    processed.append((kind, photo))
            if not uploads and not errors and not form.cleaned_data["note"].strip():
                errors.append(_("Choose at least one photo, or write a note"))
            if not errors:
                try:
                    outcome = claim_add_customer_evidence(
                        claim_id=claim.pk, photos=processed, note=form.cleaned_data["note"]
                    )
                except (PhotoLimitReached, ClaimNotSaved) as failure:
                    errors.append(failure.message)
                    status = 409 if isinstance(failure, PhotoLimitReached) else 503
                else:
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
                    return HttpResponseRedirect(request.path)
        status = 400 if status == 200 else status
    else:
        form = CustomerEvidenceForm()

    photos = list(claim.photos.all())
    context = {
        **_personal_data_context(claim),
        "claim": claim,
        "token": token,
        "form": form,
        "photos": photos,
        "evidence": _evidence_status(claim, photos),
        "upload_inputs": _upload_inputs(claim, photos),
        # What a reviewer asked for, while the claim waits on the customer.
        "evidence_request": claim.evidence_requests.open().last()
        if claim.status == ClaimStatus.AWAITING_EVIDENCE
        else None,
        "display_size": settings.CLAIM_PHOTO_DISPLAY_SIZE,
        "upload_errors": errors,
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
    return _private(render(request, "claims/customer.html", context, status=status))


def _personal_data_context(claim: Claim) -> dict:
    """What the customer's page says about their data: kept how long, asked to go."""
    return {
        "erased": claim.personal_data_erased_at is not None,
        "erasure_requested": claim.erasure_requested_at is not None,
        "can_request_erasure": claim.status in SETTLED_STATUSES
        and claim.erasure_requested_at is None
        and claim.personal_data_erased_at is None,
    }


def _customer_claim(request, token: str, *, posting: bool) -> tuple[Claim | None, object]:
    """The claim behind a customer link, or the response that refuses the request
    (the same limits and the same "not found" as the customer's page)."""
    window = settings.CLAIM_RATE_LIMIT_WINDOW_SECONDS
    if over_limit(
        f"customer-ip:{client_ip(request)}",
        limit=settings.CLAIM_RATE_LIMIT_PER_IP,
        window_seconds=window,
    ):
        return None, too_many_requests(request)
    if not tokens.looks_like_token(token):
        return None, link_not_found(request)
    if posting and over_limit(
        f"customer-token:{hash_token(token)[:32]}",
        limit=settings.CLAIM_RATE_LIMIT_PER_TOKEN,
        window_seconds=window,
    ):
        return None, too_many_requests(request)
    claim = Claim.objects.for_customer_token(token).first()
    if claim is None:
        return None, link_not_found(request)
    return claim, None


@require_GET
def customer_copy(request, token: str):
    """The customer's copy of what they sent (answers and photos), as one ZIP."""
    claim, refusal = _customer_claim(request, token, posting=False)
    if claim is None:
        return refusal
    if claim.personal_data_erased_at is not None:
        messages.info(request, _("Your photos and details have been erased: there is no copy."))
        return redirect("claims:customer", token=token)
    copy = build_customer_copy(claim)
    response = FileResponse(
        copy.file, as_attachment=True, filename=copy.filename, content_type="application/zip"
    )
    return _private(response)


@require_POST
def customer_erasure(request, token: str):
    """The customer asks for their photos and details to be erased early."""
    claim, refusal = _customer_claim(request, token, posting=True)
    if claim is None:
        return refusal
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want them erased."))
        return _private(redirect(reverse("claims:customer", args=[token]) + "#your-data"))
    try:
        claim_request_erasure(claim=claim)
    except ErasureRefused as refused:
        response = render(
            request,
            "claims/refused.html",
            {"message": refused.message, "back": reverse("claims:customer", args=[token])},
            status=409,
        )
        return _private(response)
    messages.success(
        request,
        _(
            "Thank you: we have your request. A reviewer will erase your photos and "
            "details within a few days; this page will say when it is done."
        ),
    )
    return _private(redirect(reverse("claims:customer", args=[token]) + "#your-data"))


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


def _serve(storage, name: str, *, filename: str):
    """A private JPEG: inline, never cached, never sniffed as anything else."""
    url = evidence_url(name) if storage is evidence_storage() else None
    if url:
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


def _photo_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _photo_file(photo: EvidencePhoto, size: str):
    name = photo.thumbnail_name if size == "thumb" else photo.image_name
    return _serve(evidence_storage(), name, filename=f"{photo.public_id}-{size}.jpg")


@require_GET
def result_photo(request, token: str, photo_id, size: str):
    claim = _claim_for_result_token(token)
    photo_key = _photo_uuid(photo_id)
    photo = claim and photo_key and claim.photos.filter(public_id=photo_key).first()
    if not photo:
        return link_not_found(request)
    return _photo_file(photo, size)


@require_GET
def customer_photo(request, token: str, photo_id, size: str):
    photo_key = _photo_uuid(photo_id)
    if not tokens.looks_like_token(token) or photo_key is None:
        return link_not_found(request)
    photo = EvidencePhoto.objects.filter(
        public_id=photo_key, claim__in=Claim.objects.for_customer_token(token)
    ).first()
    if not photo:
        return link_not_found(request)
    return _photo_file(photo, size)


@require_GET
def staff_photo(request, photo_id, size: str):
    if not (request.user.is_active and request.user.has_perm("claims.view_evidencephoto")):
        return link_not_found(request)
    photo_key = _photo_uuid(photo_id)
    photo = (
        photo_key
        and EvidencePhoto.objects.select_related("claim").filter(public_id=photo_key).first()
    )
    if not photo:
        return link_not_found(request)
    # Who looked at a customer's photo, and when: thumbnails on the claim page too.
    record_access(
        claim=photo.claim,
        user=request.user,
        action=PersonalDataAccess.Action.VIEW_PHOTO,
        detail=f"{photo.public_id} {size}",
    )
    return _photo_file(photo, size)


@require_GET
def draft_photo(request, photo_id: str, size: str):
    """A photo attached in this session's unfinished claim, to nobody else."""
    for draft in session_drafts(request.session):
        if draft.id == photo_id:
            name = draft.thumbnail_name if size == "thumb" else draft.image_name
            return _serve(draft_storage(), name, filename=f"{draft.id}-{size}.jpg")
    return link_not_found(request)
