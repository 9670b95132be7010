"""Admin login protected against password guessing.

Every failed sign-in (Django's `user_login_failed` signal, whatever the login
path) is counted per username and per client address in the shared rate-limit
cache. Before the admin login view authenticates anything, `guard_login`
checks both counts: once either has used up its window, the attempt is refused
with a clear page (429, Retry-After) and the password is never even tried, so
guessing gains nothing until the cooldown ends. A successful sign-in clears
the username's count, not the address's.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.translation import gettext as _

from helpcentre import ratelimit


def _limits() -> tuple[ratelimit.Limit, ratelimit.Limit]:
    window = settings.ADMIN_LOGIN_WINDOW_SECONDS
    return (
        ratelimit.Limit(settings.ADMIN_LOGIN_MAX_FAILURES_PER_USERNAME, window),
        ratelimit.Limit(settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP, window),
    )


def _username_key(username: str) -> str:
    # Hashed: usernames are personal data and may hold any characters.
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"admin-login-user:{digest}"


def _ip_key(ip: str) -> str:
    return f"admin-login-ip:{ip}"


def login_locked(*, username: str, ip: str) -> bool:
    """True while `username` or `ip` has used up its failed attempts."""
    per_username, per_ip = _limits()
    return ratelimit.reached(_username_key(username), per_username) or ratelimit.reached(
        _ip_key(ip), per_ip
    )


def count_failure(sender, credentials, request=None, **kwargs):
    per_username, per_ip = _limits()
    ratelimit.hit(_username_key(str(credentials.get("username", ""))), per_username)
    if request is not None:
        ratelimit.hit(_ip_key(ratelimit.client_ip(request)), per_ip)


def forget_failures(sender, request, user, **kwargs):
    ratelimit.reset(_username_key(user.get_username()))


def connect_signals() -> None:
    user_login_failed.connect(count_failure, dispatch_uid="login-guard-failed")
    user_logged_in.connect(forget_failures, dispatch_uid="login-guard-logged-in")


def guard_login(login_view):
    """Wrap a login view: refuse a POST while its username or address is locked."""
    # The admin's own header and title on the refusal, when it is an AdminSite's view.
    site = getattr(login_view, "__self__", None)

    @wraps(login_view)
    def view(request, *args, **kwargs):
        if request.method == "POST" and login_locked(
            username=request.POST.get("username", ""), ip=ratelimit.client_ip(request)
        ):
            return ratelimit.too_many_requests(
                request,
                retry_after=settings.ADMIN_LOGIN_WINDOW_SECONDS,
                template="admin/login_refused.html",
                context={
                    **(site.each_context(request) if site else {}),
                    "title": _("Too many failed sign-in attempts"),
                },
            )
        return login_view(request, *args, **kwargs)

    return view
