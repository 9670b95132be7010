"""handler500: a temporary failure gets a 503 "try again" page, a bug the 500 page."""

import errno

import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from django.db import IntegrityError, OperationalError
from django.test import RequestFactory

from helpcentre.errors import is_temporary_failure, server_error


def wrapped(exc):
    try:
        try:
            raise exc
        except Exception as inner:
            raise RuntimeError("claim could not be saved") from inner
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    ("exc", "temporary"),
    [
        (OperationalError("server closed the connection unexpectedly"), True),
        (OSError(errno.ENOSPC, "No space left on device"), True),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), True),
        (ReadTimeoutError(endpoint_url="http://127.0.0.1:9"), True),
        (wrapped(OperationalError("gone")), True),
        (IntegrityError("duplicate key"), False),
        (OSError(errno.EACCES, "Permission denied"), False),
        (ValueError("a bug"), False),
        (None, False),
    ],
)
def test_which_failures_are_temporary(exc, temporary):
    assert is_temporary_failure(exc) is temporary


def test_a_database_failure_gets_a_503_with_retry_after_and_a_plain_message():
    request = RequestFactory().post("/claim/check/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Please try again in a minute" in response.content.decode()
    assert "Nothing was saved half-way" in response.content.decode()


def test_a_bug_still_gets_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in response.content.decode()
