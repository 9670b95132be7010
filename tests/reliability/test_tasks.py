"""Emails go through the database task queue: a slow mail server never slows the seller.

With TASKS_BACKEND=database the request only stores a task row; `manage.py
db_worker` (django_tasks_db) sends the mail. With the worker down the rows wait,
and nothing is lost; started later, it sends them all.
"""

import socket
import time

from tests.reliability import stack
from tests.reliability.client import ClaimClient, expect_redirect, photo_set

TASK_STATES = """
from django_tasks_db.models import DBTaskResult
result = sorted(
    (row.task_path.rsplit(".", 1)[-1], row.status) for row in DBTaskResult.objects.all()
)
"""


def test_mail_waits_for_the_worker_and_a_stalled_mail_server_never_slows_a_claim(
    servers, stack_env, own_database, tmp_path
):
    # A mail server that accepts connections and never says a word.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    env = {
        **stack_env,
        "DATABASE_URL": own_database,
        "TASKS_BACKEND": "database",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(silent.getsockname()[1]),
        "EMAIL_TIMEOUT": "20",
    }
    try:
        app = servers.app(env, workers=1)
        client = ClaimClient(app.url)
        client.start(order_number="MAIL-000001", seller_email="seller@example.com")
        expect_redirect(client.upload(photo_set(90)))
        expect_redirect(client.choose_source())
        key = client.submission_key()

        started = time.monotonic()
        response = client.send(key)
        seconds = time.monotonic() - started
        sent = client.result(response)

        assert response.status_code == 302
        assert seconds < 5, seconds  # sending inline would wait for the 20 s SMTP timeout
        waiting = [
            ("send_customer_confirmation", "READY"),
            ("send_seller_confirmation", "READY"),
        ]
        assert stack.django_json(env, TASK_STATES) == [list(x) for x in waiting]
        time.sleep(2)  # no worker: still waiting, nothing dropped
        assert stack.django_json(env, TASK_STATES) == [list(x) for x in waiting]
    finally:
        silent.close()

    mail = tmp_path / "mail"
    worker_env = {
        **env,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
    }
    stack.manage(worker_env, "db_worker", "--batch", "--no-startup-delay", timeout=120)

    assert stack.django_json(env, TASK_STATES) == [
        ["send_customer_confirmation", "SUCCESSFUL"],
        ["send_seller_confirmation", "SUCCESSFUL"],
    ]
    messages = "\n".join(path.read_text() for path in mail.iterdir())
    assert messages.count(sent.reference) >= 2
    assert "To: ada@example.com" in messages
    assert "To: seller@example.com" in messages
