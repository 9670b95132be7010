"""The claim page's "Personal data" box: how long the claim's personal data is
kept and why, the legal hold, and confirming the customer's erasure request
(writes through `claims.erasure`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims import erasure, review_trail
from claims.models import Claim
from claims.retention import Why

__all__ = ["RETENTION_WHY", "PersonalDataMixin"]

# Why a claim's personal data is still here, for its page.
RETENTION_WHY = {
    Why.ALREADY_ERASED: _("Erased."),
    Why.LEGAL_HOLD: _("Kept: the claim is on legal hold."),
    Why.OPEN: _("Kept while the claim is open."),
    Why.ESCALATED: _("Kept: escalated to Kingston Express Support and not closed."),
    Why.CUSTOMER_REQUEST: _("Due now: the customer asked and a reviewer confirmed."),
    Why.RETENTION_ENDED: _("Due: its retention period is over (the daily run erases it)."),
    Why.WITHIN_RETENTION: _("Kept until its retention period ends."),
}


class PersonalDataMixin:
    """For the claim admin; `_claim_for` comes from the review desk's mixin."""

    def personal_data_context(self, request, claim: Claim) -> dict:
        """The claim page's "Personal data" box: kept until when, hold, erasure."""
        decision = erasure.retention_decision(claim)
        return {
            "retention": decision,
            "retention_why": str(RETENTION_WHY[decision.why]),
            "personal_data_url": reverse("admin:claims_claim_personal_data", args=[claim.pk]),
            "can_confirm_erasure": request.user.has_perm(review_trail.REVIEW_PERMISSION)
            and claim.erasure_requested_at is not None
            and claim.personal_data_erased_at is None,
        }

    def personal_data_view(self, request, pk: int):
        """POST only: switch the legal hold, or confirm the customer's erasure request."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, pk, review_trail.REVIEW_PERMISSION)
        back = reverse("admin:claims_claim_change", args=[claim.pk]) + "#personal-data"
        op = request.POST.get("op")
        try:
            if op in ("hold_on", "hold_off"):
                erasure.claim_set_legal_hold(
                    claim=claim,
                    user=request.user,
                    on=op == "hold_on",
                    note=request.POST.get("note", "")[:2000],
                )
                message = (
                    _t("Legal hold switched on: nothing about this claim will be erased.")
                    if op == "hold_on"
                    else _t("Legal hold switched off.")
                )
            elif op == "confirm_erasure":
                erased = erasure.claim_confirm_erasure(claim=claim, user=request.user)
                message = ngettext(
                    "Personal data erased: %(count)s photo and the names, email addresses, "
                    "notes and free text.",
                    "Personal data erased: %(count)s photos and the names, email addresses, "
                    "notes and free text.",
                    erased.photos,
                ) % {"count": erased.photos}
            else:
                messages.error(request, _t("That was not understood; nothing was changed."))
                return HttpResponseRedirect(back)
        except erasure.ErasureRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(back)
        self.log_change(request, claim, message)
        messages.success(request, message)
        return HttpResponseRedirect(back)
