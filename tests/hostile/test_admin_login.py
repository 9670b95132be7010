"""Password guessing at the admin login: the guessing client is paused for the
account it guesses at, even with the right password, until the cooldown ends;
the account's owner elsewhere is not. One client trying many usernames, and
guessing at one account from very many addresses, are paused too."""

import time

import pytest

from tests.hostile.checks import assert_refused

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

PASSWORD = "a-long-test-password-123"
PAUSED_HERE = "Sign-in to this account is paused from your address after too many wrong passwords."
PAUSED_ADDRESS = "Sign-in is paused from your address after too many wrong passwords."
PAUSED_EVERYONE = "Sign-in to this account is paused for everyone"


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def limits(settings):
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT = 5
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 8
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT = 12
    settings.ADMIN_LOGIN_WINDOW_SECONDS = 900
    # A fast hasher: these tests sign in dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def test_a_wrong_password_is_answered_as_usual_below_the_limit(client, make_admin, limits):
    make_admin()

    response = _login(client, "editor", "wrong")

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_after_five_failures_the_guessing_client_is_refused_even_the_right_password(
    client, make_admin, limits
):
    make_admin()
    statuses = [_login(client, "editor", f"guess-{n}").status_code for n in range(5)]

    response = _login(client, "editor", PASSWORD)

    assert statuses == [200] * 5
    assert_refused(response, 429, "Too many failed sign-in attempts", PAUSED_HERE, "15 minutes")
    assert 890 <= int(response["Retry-After"]) <= 900
    assert not _signed_in(client)


def test_the_refusal_says_when_to_try_again(client, make_admin, limits):
    from django.utils import timezone

    make_admin()
    for n in range(5):
        _login(client, "editor", f"guess-{n}")
    expected = (timezone.localtime() + timezone.timedelta(seconds=900)).strftime("%H:%M")

    response = _login(client, "editor", PASSWORD)

    assert f"then try again (from {expected})" in response.content.decode()


def test_wrong_passwords_from_one_client_do_not_lock_the_owner_out_elsewhere(
    client, make_admin, limits
):
    make_admin()
    for n in range(7):
        _login(client, "editor", f"guess-{n}", ip="10.6.6.6")

    guesser = _login(client, "editor", PASSWORD, ip="10.6.6.6")
    owner = _login(client, "editor", PASSWORD, ip="10.7.7.7")

    assert_refused(guesser, 429, PAUSED_HERE)
    assert owner.status_code == 302 and _signed_in(client)


def test_guessing_from_very_many_addresses_pauses_the_account_as_a_last_line(
    client, make_admin, limits
):
    make_admin()
    for n in range(12):
        _login(client, "editor", "wrong", ip=f"10.9.{n}.1")

    response = _login(client, "editor", PASSWORD, ip="10.9.99.1")

    assert_refused(response, 429, PAUSED_EVERYONE)
    assert not _signed_in(client)


def test_the_username_count_ignores_case_and_spaces(client, make_admin, limits):
    make_admin()
    for variant in ["EDITOR", " editor", "Editor ", "editor", "eDiToR"]:
        _login(client, variant, "wrong")

    response = _login(client, "editor", PASSWORD)

    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_refused(client, make_admin, limits):
    make_admin(username="someone")
    for n in range(8):
        _login(client, f"guess{n}", "wrong", ip="10.6.6.6")

    refused = _login(client, "someone", PASSWORD, ip="10.6.6.6")
    elsewhere = _login(client, "someone", PASSWORD, ip="10.7.7.7")

    assert_refused(refused, 429, PAUSED_ADDRESS)
    assert elsewhere.status_code == 302 and _signed_in(client)


def test_another_account_is_not_locked_by_guesses_at_one(client, make_admin, limits):
    make_admin(username="editor")
    make_admin(username="reviewer")
    for n in range(5):
        _login(client, "editor", "wrong", ip=f"10.2.0.{n}")

    response = _login(client, "reviewer", PASSWORD, ip="10.3.0.1")

    assert response.status_code == 302
    assert _signed_in(client)


def test_sign_in_works_again_after_the_cooldown(client, make_admin, limits):
    limits.ADMIN_LOGIN_WINDOW_SECONDS = 2
    make_admin()
    for _ in range(5):
        _login(client, "editor", "wrong")
    assert _login(client, "editor", PASSWORD).status_code == 429

    time.sleep(2.1)
    response = _login(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_clears_that_clients_failures(client, make_admin, limits):
    # Only the client's count for the account: the address's and the account's stay.
    limits.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 20
    make_admin()
    for _ in range(4):
        _login(client, "editor", "wrong")
    assert _login(client, "editor", PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        _login(client, "editor", "wrong")
    response = _login(client, "editor", PASSWORD)

    assert response.status_code == 302


def test_the_refusal_costs_no_password_check(client, make_admin, limits, monkeypatch):
    """While locked, the password is never even tried: guessing learns nothing."""
    from django.contrib.auth.backends import ModelBackend

    make_admin()
    for _ in range(5):
        _login(client, "editor", "wrong")
    tried = []
    monkeypatch.setattr(
        ModelBackend, "authenticate", lambda self, request, **kw: tried.append(kw) or None
    )

    _login(client, "editor", PASSWORD)

    assert tried == []
