"""The page for an unhandled error: "try again" when the cause is temporary.

Django's own handler answers every failure with a 500. When the database, the
S3 storage or the disk is what failed, nothing the customer sent was kept
half-way (claims.services rolls back and removes its files) and the same
request will work once the service is back: that is a 503 with a Retry-After
and a page saying so. Everything else keeps the plain 500 page.
"""

import errno
import logging
import sys

from django.db import DatabaseError
from django.http import HttpResponseServerError
from django.template import loader

# Disk full or over quota: for uploads spooled to FILE_UPLOAD_TEMP_DIR and for
# evidence and draft files on local storage.
_FULL_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)


def is_temporary_failure(exc: BaseException | None) -> bool:
    """True when the request failed because a service or the disk is down or full."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DatabaseError) and not _is_data_error(exc):
            return True
        if isinstance(exc, OSError) and exc.errno in _FULL_DISK_ERRNOS:
            return True
        if _is_storage_unreachable(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _is_data_error(exc: DatabaseError) -> bool:
    from django.db import DataError, IntegrityError

    return isinstance(exc, (DataError, IntegrityError))


def _is_storage_unreachable(exc: BaseException) -> bool:
    try:
        from botocore.exceptions import ConnectionError as BotoConnectionError
        from botocore.exceptions import ReadTimeoutError
    except ImportError:  # pragma: no cover - boto3 is a requirement
        return False
    return isinstance(exc, (BotoConnectionError, ReadTimeoutError))


def _close_spooled_uploads(request) -> None:
    """Remove a half-written upload from FILE_UPLOAD_TEMP_DIR now.

    When the disk fills while a file is spooled, the parser fails before the
    file is handed to the request; its handler still holds it, and it would
    stay on the full disk until the garbage collector happened to reach it.
    """
    for handler in getattr(request, "_upload_handlers", None) or ():
        spooled = getattr(handler, "file", None)
        if spooled is not None:
            try:
                spooled.close()
            except OSError:
                logger.warning("Could not remove a spooled upload", exc_info=True)


def server_error(request, template_name="500.html"):
    """handler500: a 503 "try again" page for temporary failures, else the 500 page.

    Rendered without a request context: the database may be what failed.
    """
    _close_spooled_uploads(request)
    if is_temporary_failure(sys.exc_info()[1]):
        body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponseServerError(body)
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
