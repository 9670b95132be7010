"""The claim page's review desk, for the claim admin: what a reviewer's buttons
and checklist offer, and the views their forms post to. Every post goes
through `claims.review`, so the workflow decides and its refusal comes back
as the page's message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t

from claims import erasure, review, review_trail, workflow
from claims.choices import EvidenceKind, InspectionResult, Outcome
from claims.models import Escalation, PersonalDataAccess
from claims.packet import build_evidence_packet
from claims.selectors import signals_for

A = workflow.Action
EVIDENCE_PERMISSION = "claims.view_evidencephoto"

__all__ = [
    "EVIDENCE_PERMISSION",
    "ActionForm",
    "ReviewActionsMixin",
    "SignalCheckForm",
    "review_buttons",
    "review_checklist",
    "visible_signals",
]


class ActionForm(forms.Form):
    """What a button posts. The workflow decides whether the values are acceptable."""

    action = forms.ChoiceField(choices=A.choices)
    item = forms.CharField(required=False, max_length=64)
    result = forms.ChoiceField(choices=[("", "")] + InspectionResult.choices, required=False)
    outcome = forms.ChoiceField(choices=[("", "")] + Outcome.choices, required=False)
    reason = forms.ChoiceField(choices=[("", "")] + Escalation.Reason.choices, required=False)
    note = forms.CharField(required=False, max_length=2000)
    without_evidence_reason = forms.CharField(required=False, max_length=2000)
    kinds = forms.MultipleChoiceField(choices=EvidenceKind.choices, required=False)

    PARAMETER = {
        A.COMPLETE_CHECK: "item",
        A.RECORD_INSPECTION_RESULT: "result",
        A.RESOLVE: "outcome",
        A.ESCALATE: "reason",
    }

    def params(self) -> dict:
        action = A(self.cleaned_data["action"])
        if action in workflow.SELLER_SIDE_ACTIONS:
            # The workflow decides whether the reason is needed (evidence missing).
            return {"without_evidence_reason": self.cleaned_data["without_evidence_reason"]}
        if action == A.REQUEST_EVIDENCE:
            return {"kinds": self.cleaned_data["kinds"]}
        name = self.PARAMETER.get(action)
        return {name: self.cleaned_data[name]} if name else {}


class SignalCheckForm(forms.Form):
    """What a signal's "Checked" button posts: the signal's key and the reviewer's note."""

    NOTE_LENGTH = 2000

    signal = forms.CharField(max_length=200)
    note = forms.CharField(required=False, max_length=NOTE_LENGTH)


def review_checklist(state: workflow.ClaimState, allowed) -> list[dict]:
    """The path's checklist, each item ticked or, when the reviewer may, tickable."""
    return [
        {
            "key": item.key,
            "label": item.label,
            "done": item.key in state.checklist_done,
            "can_tick": item.key in workflow.parameter_choices(state, A.COMPLETE_CHECK)
            and A.COMPLETE_CHECK in allowed,
        }
        for item in state.path.checklist
    ]


def review_buttons(state: workflow.ClaimState, allowed, recommended) -> list[dict]:
    """One button per allowed action that has no place of its own on the page."""
    buttons = []
    for action in allowed:
        if action in (A.COMPLETE_CHECK, A.ESCALATE, A.REQUEST_EVIDENCE):
            continue  # the checklist, escalation and request forms have their own places
        if action == A.CLOSE_NO_RESPONSE:
            continue  # the final deadline of a request closes it, not a button
        choices = workflow.parameter_choices(state, action)
        labels = {**dict(InspectionResult.choices), **dict(Outcome.choices)}
        buttons.append(
            {
                "action": action.value,
                "label": action.label,
                "param": ActionForm.PARAMETER.get(action, ""),
                "choices": [(value, labels.get(value, value)) for value in choices],
                "recommended": action == recommended,
                "danger": action in (A.DECLINE, A.WITHDRAW),
            }
        )
    return buttons


def visible_signals(claim, photos, *, can_see_evidence: bool) -> list:
    """The claim's signals for this reviewer: photo signals speak of the
    evidence, so only those who may see it get them."""
    return [
        signal
        for signal in signals_for(claim, photos=photos)
        if can_see_evidence or not signal.photo_id
    ]


def _posted_action(post):
    """The form's data, with a claim-page button's "do" ("action" or
    "action:parameter value") spelled out as the form's fields."""
    data = post.copy()
    if "do" in data:
        action_name, _sep, value = data["do"].partition(":")
        data["action"] = action_name
        if value and action_name in ActionForm.PARAMETER:
            data[ActionForm.PARAMETER[action_name]] = value
    return data


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _done_message(claim, action) -> str:
    """What the reviewer is told once the action is recorded."""
    if action == A.REQUEST_EVIDENCE:
        asked = claim.evidence_requests.last()
        return _t(
            "Asked the customer for %(asked)s. They are emailed now and reminded on "
            "%(remind)s; without an answer the claim closes as “no response” on "
            "%(close)s. The response date is paused meanwhile."
        ) % {
            "asked": "; ".join(asked.asked_labels),
            "remind": _day(asked.remind_at),
            "close": _day(asked.close_at),
        }
    if action == A.ESCALATE:
        return _t(
            "Escalated to Kingston Express Support (%(email)s) with the order ID and issue type."
        ) % {"email": claim.escalations.last().sent_to}
    return _t("“%(action)s” recorded. The claim is now %(status)s.") % {
        "action": action.label,
        "status": claim.get_status_display(),
    }


class ReviewActionsMixin:
    """The claim admin's posts from the review desk (an action, a signal checked)
    and the evidence packet's download."""

    def _claim_for(self, request, pk: int, permission: str):
        """The claim one of the claim page's posts acts on: the user must see it
        in this admin and hold `permission` (reviewing, or the evidence)."""
        claim = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (self.has_view_permission(request, claim) and request.user.has_perm(permission)):
            raise PermissionDenied
        return claim

    def action_view(self, request, pk: int):
        """POST only: apply one action through the service and go back to the claim."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, pk, review_trail.REVIEW_PERMISSION)
        back = reverse("admin:claims_claim_change", args=[claim.pk])
        form = ActionForm(_posted_action(request.POST))
        if not form.is_valid():
            messages.error(request, _t("That action was not understood; nothing was recorded."))
            return HttpResponseRedirect(back)
        action = A(form.cleaned_data["action"])
        params = form.params()
        if action == A.ESCALATE and not params.get("reason"):
            messages.error(request, _t("Choose why the claim is escalated."))
            return HttpResponseRedirect(back + "#escalate")
        try:
            review.claim_apply_action(
                claim=claim,
                action=action,
                user=request.user,
                note=form.cleaned_data["note"],
                **params,
            )
        except workflow.TransitionRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(
                back + ("#request-evidence" if action == A.REQUEST_EVIDENCE else "")
            )
        # The admin's own History page lists it too (the timeline has the details).
        self.log_change(request, claim, str(action.label))
        messages.success(request, _done_message(claim, action))
        return HttpResponseRedirect(back)

    def check_signal_view(self, request, pk: int):
        """POST only: record that the reviewer checked one signal, with their note."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, pk, review_trail.REVIEW_PERMISSION)
        back = reverse("admin:claims_claim_change", args=[claim.pk]) + "#signals"
        form = SignalCheckForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _t("That signal check was not understood (the note is at most %(n)s characters); ")
                % {"n": SignalCheckForm.NOTE_LENGTH}
                + _t("nothing was recorded."),
            )
            return HttpResponseRedirect(back)
        try:
            review.claim_check_signal(
                claim=claim,
                signal_key=form.cleaned_data["signal"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except review.SignalNotFound as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(back)
        self.log_change(request, claim, _t("Signal checked"))
        messages.success(request, _t("Recorded in the timeline: signal checked."))
        return HttpResponseRedirect(back)

    def packet_view(self, request, pk: int):
        claim = self._claim_for(request, pk, EVIDENCE_PERMISSION)
        packet = build_evidence_packet(claim)
        erasure.record_access(
            claim=claim, user=request.user, action=PersonalDataAccess.Action.DOWNLOAD_PACKET
        )
        response = FileResponse(
            packet.file,
            as_attachment=True,
            filename=packet.filename,
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response
