"""The guided claim: a django-formtools wizard with one URL per step.

formtools keeps the answers in the session and revalidates every step before
`done`. What it does not do, and this module adds:

- photos: processed at the upload step (`claims.photos.process_photo`) and kept
  as draft copies (`claims.drafts`); the session holds only their descriptions,
  so formtools' own file storage (which would keep originals) is not used;
- preconditions: a step reached out of order sends the user to the first
  incomplete one (as django-oscar's checkout does);
- "Change" links from the check page that come back to it;
- a clear page for a tampered or missing management form, an expired session
  and a repeated submit, instead of formtools' exceptions or lost work;
- the submit runs in a POST (formtools' named-URL wizard would create the
  claim on a GET of its "done" URL).

What is kept between requests (the session storage, the started cookie, the
claims already sent) is in `claims.wizard_session`.
"""

import uuid

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from claims import forms
from claims.answers import ClaimAnswers
from claims.choices import EvidenceKind
from claims.drafts import WIZARD_PREFIX
from claims.facts import ClaimFacts
from claims.guide_links import guide_url
from claims.photo_step import PhotoStepMixin
from claims.selectors import earlier_claims_for_order, evidence_rules_for
from claims.services import claim_submit
from claims.storage import ClaimNotSaved
from claims.wizard_session import (
    STARTED_COOKIE,
    remember_submitted,
    session_duration,
    submitted_result_url,
    wizard_extra,
)
from helpcentre import ratelimit
from helpcentre.canonical import canonical_url

STEPS = [
    ("what-happened", forms.IssueTypeForm),
    ("fulfillment", forms.FulfillmentForm),
    ("destination", forms.DestinationForm),
    ("order-details", forms.OrderDetailsForm),
    ("photos", forms.PhotosForm),
    ("check", forms.CheckForm),
]
STEP_NAMES = [name for name, _form in STEPS]
STEP_LABELS = {
    "what-happened": gettext_lazy("What happened"),
    "fulfillment": gettext_lazy("Fulfillment"),
    "destination": gettext_lazy("Destination"),
    "order-details": gettext_lazy("Order details"),
    "photos": gettext_lazy("Photos"),
    "check": gettext_lazy("Check and send"),
}
# Posted back with the order step once the seller has been told of earlier claims
# for that order number: the order number they were told about.
EARLIER_CLAIMS_SEEN = "earlier_claims_seen"


class ClaimWizard(PhotoStepMixin, NamedUrlSessionWizardView):
    storage_name = "claims.wizard_session.ClaimWizardStorage"
    form_list = STEPS
    url_name = "claims:step"
    done_step_name = "done"

    def get_prefix(self, request, *args, **kwargs):
        return WIZARD_PREFIX

    def get_template_names(self):
        return [f"claims/steps/{self.steps.current}.html"]

    # --- state helpers ------------------------------------------------------

    @property
    def extra(self) -> dict:
        return wizard_extra(self.storage)

    def has_answers(self) -> bool:
        return bool(self.storage.data.get(self.storage.step_data_key))

    def facts(self) -> ClaimFacts | None:
        # Only the steps before the photos: the photos step's own form needs
        # these facts, so asking it would go round in circles.
        data = {}
        for step in STEP_NAMES[:4]:
            data.update(self.get_cleaned_data_for_step(step) or {})
        if not all(data.get(k) for k in ("issue_type", "fulfillment_method", "destination")):
            return None
        return ClaimFacts(
            issue_type=data["issue_type"],
            fulfillment_method=data["fulfillment_method"],
            is_international=data["destination"] == "international",
            severity=data.get("severity") or None,
            stock_available=data.get("stock_available"),
            return_feasible=data.get("return_feasible"),
        )

    def evidence_rules(self):
        facts = self.facts()
        return evidence_rules_for(facts) if facts else ()

    def first_incomplete_step(self) -> str:
        for step in STEP_NAMES[:-1]:
            data = self.storage.get_step_data(step)
            if data is None or not self.get_form(step=step, data=data).is_valid():
                return step
        return STEP_NAMES[-1]

    def _reached(self, step: str) -> bool:
        return STEP_NAMES.index(step) <= STEP_NAMES.index(self.first_incomplete_step())

    # --- formtools hooks ---------------------------------------------------

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        if step == "order-details":
            return {
                "issue_type": (self.get_cleaned_data_for_step("what-happened") or {}).get(
                    "issue_type", ""
                ),
                "fulfillment_method": (self.get_cleaned_data_for_step("fulfillment") or {}).get(
                    "fulfillment_method", ""
                ),
            }
        if step == "photos":
            drafts = self.drafts()
            present = {d.kind for d in drafts}
            return {
                "missing_kinds": [
                    r.kind for r in self.evidence_rules() if r.required and r.kind not in present
                ],
                "photo_count": len(drafts),
                "kind_labels": dict(EvidenceKind.choices),
            }
        return {}

    def get_form_initial(self, step):
        if step == "check":
            return {"submission_key": self.extra["submission_key"]}
        return super().get_form_initial(step)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        index = STEP_NAMES.index(step)
        context.update(
            {
                "step_name": step,
                "step_number": index + 1,
                "step_count": len(STEP_NAMES),
                "step_label": STEP_LABELS[step],
                "back_url": self.get_step_url(STEP_NAMES[index - 1]) if index else "",
                "returning_to_check": self.request.GET.get("change") == "1"
                or self.request.POST.get("return_to") == "check",
                "guide_url": guide_url(),
            }
        )
        if index == 0:
            # The first question is the claim's public front door (search
            # engines may show it); the later steps hold a visitor's answers.
            context["canonical_url"] = canonical_url(self.get_step_url(step))
        if step == "photos":
            context.update(self._photo_context(kwargs.get("upload_errors", [])))
        if step == "check":
            context.update(self._check_context())
        return context

    def _check_context(self) -> dict:
        # Each step's form lists its own answers: a new question shows up here
        # without touching this method.
        rows = []
        for step in STEP_NAMES[:-1]:
            form = self.get_form(
                step=step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
            if not form.is_valid():
                continue
            url = f"{self.get_step_url(step)}?change=1"
            rows += [
                {"label": row.label, "value": row.value, "url": f"{url}#{row.anchor}"}
                for row in form.check_rows()
            ]
        return {
            "answer_rows": rows,
            "check_photos": self.drafts(),
            "kind_labels": dict(EvidenceKind.choices),
        }

    def render(self, form=None, status=None, **kwargs):
        response = super().render(form, **kwargs)
        if status is not None:
            response.status_code = status
        elif form is not None and form.is_bound and form.errors:
            # Invalid answers: say so to machines too (the page says it to people).
            response.status_code = 400
        return response

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if self.has_answers() and STARTED_COOKIE not in response.cookies:
            response.set_cookie(
                STARTED_COOKIE, "1", httponly=True, samesite="Lax", secure=request.is_secure()
            )
        return response

    def get_form_step_files(self, form):
        # Photos were processed and kept as drafts already; formtools must not
        # keep the raw uploads as well.
        return {}

    # --- GET ----------------------------------------------------------------

    def _expired_redirect(self):
        messages.warning(
            self.request,
            _(
                "Your answers were not saved because your session expired: answers are kept "
                "for %(duration)s without activity. Claims you already sent are safe. "
                "Please start again."
            )
            % {"duration": session_duration()},
        )
        response = redirect(self.get_step_url(STEP_NAMES[0]))
        response.delete_cookie(STARTED_COOKIE)
        return response

    def get(self, *args, **kwargs):
        step = kwargs.get("step")
        if step == self.done_step_name:
            return redirect(self.get_step_url(self.first_incomplete_step()))
        if step in STEP_NAMES:
            if (
                not self.has_answers()
                and step != STEP_NAMES[0]
                and self.request.COOKIES.get(STARTED_COOKIE)
            ):
                return self._expired_redirect()
            if not self._reached(step):
                return redirect(self.get_step_url(self.first_incomplete_step()))
        return super().get(*args, **kwargs)

    # --- POST ---------------------------------------------------------------

    def _is_xhr(self) -> bool:
        return self.request.headers.get("X-Requested-With") == "XMLHttpRequest"

    def _limit_key(self, name: str) -> str:
        return f"{name}:{ratelimit.client_ip(self.request)}"

    def _over_limit(self, name: str) -> bool:
        return ratelimit.hit(self._limit_key(name), ratelimit.configured(name))

    def _too_many_requests(self, name: str):
        retry_after = ratelimit.seconds_left(self._limit_key(name), ratelimit.configured(name))
        return ratelimit.too_many_requests(self.request, retry_after=retry_after)

    def post(self, *args, **kwargs):
        # A script flooding the form with answers or uploads.
        if self._over_limit("claim-post"):
            return self._too_many_requests("claim-post")
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        posted_step = (
            management_form.cleaned_data["current_step"] if management_form.is_valid() else None
        )
        if posted_step not in STEP_NAMES:
            return self._tampered()

        if posted_step == "check" and self._already_submitted():
            return HttpResponseRedirect(self._already_submitted())

        # A script sending claims: a repeated submit of the same claim
        # (above) costs nothing.
        if posted_step == "check" and self._over_limit("claim-submit"):
            return self._too_many_requests("claim-submit")

        if not self.has_answers() and posted_step != STEP_NAMES[0]:
            if self._is_xhr():
                return JsonResponse(
                    {
                        "ok": False,
                        "errors": [_("Your session expired. Reload the page to start again.")],
                    },
                    status=400,
                )
            return self._expired_redirect()

        if not self._reached(posted_step):
            # Answers for a step the earlier ones do not allow yet: a forged
            # step name, or a stale tab after an earlier answer changed.
            return self._tampered(
                _("Answer this question first: the later steps depend on it. Nothing was changed.")
            )
        self.storage.current_step = posted_step

        if posted_step == "photos":
            response = self._handle_photo_actions()
            if response is not None:
                return response
        return super().post(*args, **kwargs)

    def _tampered(self, message: str = ""):
        messages.error(
            self.request,
            message
            or _(
                "Something was missing from the form you sent, so nothing changed. "
                "Check this page and continue."
            ),
        )
        step = self.first_incomplete_step() if self.has_answers() else STEP_NAMES[0]
        self.storage.current_step = step
        return self.render(
            self.get_form(step=step, data=self.storage.get_step_data(step)), status=400
        )

    def _already_submitted(self) -> str:
        """The result URL if this check page was already sent (double submit)."""
        return submitted_result_url(
            self.request.session, self.request.POST.get("check-submission_key", "")
        )

    def _earlier_claims_notice(self, form):
        """The order step again, telling the seller of claims already filed for this
        order number (date and reference only), or None to go on.

        Said once per order number: posting the step again with the notice's
        hidden field goes on (a different problem with the same order is a
        claim of its own). Checked only when the step is posted, so the pages
        that revalidate the answers pay no query for it."""
        order_number = form.cleaned_data.get("order_number", "")
        if not order_number or self.request.POST.get(EARLIER_CLAIMS_SEEN) == order_number:
            return None
        earlier = earlier_claims_for_order(order_number)
        if not earlier:
            return None
        return self.render(form, earlier_claims=earlier, earlier_claims_order=order_number)

    def render_next_step(self, form, **kwargs):
        if self.steps.current == "order-details":
            notice = self._earlier_claims_notice(form)
            if notice is not None:
                return notice
        if self.request.POST.get("return_to") == "check":
            return redirect(self.get_step_url(self.first_incomplete_step()))
        # A later step may have become incomplete (for example the order
        # details after changing the fulfillment method): go there first.
        next_step = self.get_next_step()
        if not self._reached(next_step):
            next_step = self.first_incomplete_step()
        self.storage.current_step = next_step
        return redirect(self.get_step_url(next_step))

    def render_done(self, form, **kwargs):
        # Revalidate every step from the session, then submit in this POST.
        final_forms = {}
        for step in STEP_NAMES:
            form_obj = self.get_form(step=step, data=self.storage.get_step_data(step))
            if not form_obj.is_valid():
                return self.render_revalidation_failure(step, form_obj, **kwargs)
            final_forms[step] = form_obj
        return self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        data = {}
        for form in form_list:
            data.update(form.cleaned_data)
        key = uuid.UUID(self.extra["submission_key"])
        try:
            submitted = claim_submit(
                submission_key=key,
                answers=ClaimAnswers.from_cleaned_data(data),
                photos=self.drafts(),
                customer_sends_photos=data["photo_source"] == forms.PhotosForm.CUSTOMER,
            )
        except ClaimNotSaved as failure:
            messages.error(self.request, failure.message)
            return self.render(form_dict["check"], status=503)
        remember_submitted(self.request.session, key)
        self.storage.reset()
        response = redirect("claims:result", submitted.result_token)
        response.delete_cookie(STARTED_COOKIE)
        return response
