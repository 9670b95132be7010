"""Admin sign-in protected against password guessing, without locking the real admin out.

Every failed sign-in (Django's `user_login_failed` signal, whatever the login
path) is counted in the shared rate-limit cache three ways, each in its own
window of ADMIN_LOGIN_WINDOW_SECONDS:

- per client and username (ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT, 5): the
  guessing client is paused for that account; the account's owner, signing in
  from anywhere else, is not;
- per client (ADMIN_LOGIN_MAX_FAILURES_PER_IP, 20): one client trying many
  usernames;
- per account (ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT, 100): the last line
  against guessing spread over many addresses. It is far above what a person
  mistypes, so only an attack that size pauses the account for everyone.

The client is `client_ip` (behind a trusted proxy, the address the proxy saw).
Before the admin login view authenticates anything, `guard_login` checks the
three counts: once one has used up its window, the attempt is refused with a
page that says when to try again (429, Retry-After) and the password is never
tried. A successful sign-in clears that client's count for the account.

django-axes was considered: it applies one failure limit to every parameter
combination it watches, so it cannot keep the account-wide limit higher than
the client's; that counter would stay here beside it, in a second mechanism.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils import timezone
from django.utils.translation import gettext as _

from helpcentre import ratelimit
from helpcentre.client_ip import client_ip


@dataclass(frozen=True)
class Count:
    """One of the three counts a sign-in attempt belongs to."""

    key: str
    limit: ratelimit.Limit
    # What the refusal page tells the person, in their terms.
    reason: str


def _username_digest(username: str) -> str:
    # Hashed: usernames are personal data and may hold any characters. Case and
    # surrounding spaces do not make a new username to guess.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def counts(*, username: str, ip: str) -> list[Count]:
    window = settings.ADMIN_LOGIN_WINDOW_SECONDS
    user = _username_digest(username)
    return [
        Count(
            f"admin-login-client:{ip}:{user}",
            ratelimit.Limit(settings.ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT, window),
            _(
                "Sign-in to this account is paused from your address after too many wrong "
                "passwords."
            ),
        ),
        Count(
            f"admin-login-ip:{ip}",
            ratelimit.Limit(settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP, window),
            _("Sign-in is paused from your address after too many wrong passwords."),
        ),
        Count(
            f"admin-login-account:{user}",
            ratelimit.Limit(settings.ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT, window),
            _(
                "Sign-in to this account is paused for everyone: it has had a great many wrong "
                "passwords from many addresses."
            ),
        ),
    ]


def locked(*, username: str, ip: str) -> Count | None:
    """The count that refuses this attempt, or None when it may go ahead."""
    for count in counts(username=username, ip=ip):
        if ratelimit.reached(count.key, count.limit):
            return count
    return None


def count_failure(sender, credentials, request=None, **kwargs):
    ip = client_ip(request) if request is not None else "unknown"
    for count in counts(username=str(credentials.get("username", "")), ip=ip):
        ratelimit.hit(count.key, count.limit)


def forget_failures(sender, request, user, **kwargs):
    if request is not None:
        ratelimit.reset(counts(username=user.get_username(), ip=client_ip(request))[0].key)


def connect_signals() -> None:
    user_login_failed.connect(count_failure, dispatch_uid="login-guard-failed")
    user_logged_in.connect(forget_failures, dispatch_uid="login-guard-logged-in")


def guard_login(login_view):
    """Wrap a login view: refuse a POST while one of its counts is used up."""
    # The admin's own header and title on the refusal, when it is an AdminSite's view.
    site = getattr(login_view, "__self__", None)

    @wraps(login_view)
    def view(request, *args, **kwargs):
        if request.method != "POST":
            return login_view(request, *args, **kwargs)
        count = locked(username=request.POST.get("username", ""), ip=client_ip(request))
        if count is None:
            return login_view(request, *args, **kwargs)
        retry_after = ratelimit.seconds_left(count.key, count.limit)
        return ratelimit.too_many_requests(
            request,
            retry_after=retry_after,
            template="admin/login_refused.html",
            context={
                **(site.each_context(request) if site else {}),
                "title": _("Too many failed sign-in attempts"),
                "reason": count.reason,
                "retry_at": timezone.localtime() + timedelta(seconds=retry_after),
            },
        )

    return view
