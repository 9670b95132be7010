"""What the claim wizard keeps between requests: its answers in the session
(written only when they change), the claim's own keys, the marker cookie
that tells an expired session from one never started, and the claims this
browser already sent (to recognise a double submit).

Kept apart from the view (`claims.wizard`), as django-oscar keeps its
checkout's session wrapper apart (`apps/checkout/session.py`): what is stored
can be read and changed without reading the steps.
"""

import copy
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils.translation import ngettext
from formtools.wizard.storage.base import BaseStorage

from claims.tokens import result_token_for

# A plain marker cookie: with it and no answers in the session, the session
# expired (rather than never started), and the page says so.
STARTED_COOKIE = "claim_started"
SUBMITTED_SESSION_KEY = "claims_submitted"


class ClaimWizardStorage(BaseStorage):
    """formtools' session storage, but the session is written only when the
    wizard's data changed, and not at all before the first answer.

    formtools' SessionStorage marks the session modified on every read, so
    every page of the form wrote the session row, and a visitor who only
    looked at the first question (a crawler, a seller reading before the
    customer calls back) got a session row of their own: 3 of the first
    step's 4 queries. Here the data lives on the storage during the request
    and goes into the session once, at the end (`update_response`, which the
    wizard calls after every request).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.request.session.get(self.prefix)
        self._stored = copy.deepcopy(stored)
        if stored is None:
            self.init_data()
        else:
            self._data = stored

    def _get_data(self):
        return self._data

    def _set_data(self, value):
        self._data = value

    data = property(_get_data, _set_data)

    def _worth_keeping(self) -> bool:
        if self._stored is not None:
            return self._data != self._stored
        # Nothing answered yet: the current step can only be the first one,
        # and the keys made for later steps are made again when needed.
        return bool(self._data[self.step_data_key]) or bool(self._data[self.step_files_key])

    def update_response(self, response):
        if self._worth_keeping():
            self.request.session[self.prefix] = self._data
            self.request.session.modified = True
        super().update_response(response)


def wizard_extra(storage) -> dict:
    extra = storage.extra_data
    if "submission_key" not in extra:
        extra = {
            "submission_key": str(uuid.uuid4()),
            "draft_key": uuid.uuid4().hex,
            "photos": [],
        }
        storage.extra_data = extra
    return extra


def session_duration() -> str:
    """How long answers are kept, in words (settings.SESSION_COOKIE_AGE)."""
    hours = max(settings.SESSION_COOKIE_AGE // 3600, 1)
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}


def submitted_result_url(session, posted_key: str) -> str:
    """The result URL if the claim with this submission key was already sent
    from this session (double submit), else ""."""
    try:
        key = str(uuid.UUID(posted_key))
    except ValueError:
        return ""
    if key in session.get(SUBMITTED_SESSION_KEY, []):
        # The seller's link follows from the key; the session keeps no secret.
        return reverse("claims:result", args=[result_token_for(key)])
    return ""


def remember_submitted(session, key: uuid.UUID) -> None:
    sent = session.get(SUBMITTED_SESSION_KEY, [])
    # Keep only the latest few: enough to recognise a double submit.
    session[SUBMITTED_SESSION_KEY] = [*sent, str(key)][-5:]
