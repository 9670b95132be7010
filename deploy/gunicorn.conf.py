"""gunicorn settings for the help centre (used by `make serve` and the reliability tests).

Sync workers behind nginx: nginx buffers slow clients' uploads, so a worker
only ever handles a whole request. Every value can be set from the environment.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
# A photo upload is processed in the request (about a third of a second per
# phone photo, twelve at most); anything past this is stuck, and gunicorn
# replaces the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a library cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# nginx on this machine sets X-Forwarded-For/-Proto; trust nobody else.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a disk that may be full or slow.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "helpcentre"
# gunicorn's control socket sits at one path per user by default, so a second
# app server on the same machine would take over the first one's. Not needed.
control_socket_disable = True


def on_starting(server):
    """Set the workers' memory allocator, then refuse to start with settings that
    must not serve requests.

    A WSGI server never runs Django's system checks, and the production safety
    checks (helpcentre/settings_checks.py: debug with production markers, a
    missing or weak secret, no SITE_BASE_URL, public evidence storage) are
    deployment checks. The master runs them before any worker starts and stops
    on an error. Only them: Django's own deployment checks also fail plain
    HTTP on loopback and mail written to files, which `make serve` and the
    reliability tests use on purpose; `manage.py check --deploy` lists those.
    """
    # First, before Django loads: every worker is forked from here and keeps
    # the setting (deploy/malloc.py says why workers need it). Set after the
    # imports, it comes too late: freeing their big blocks has already raised
    # glibc's thresholds, and a worker's peak was 147 MiB instead of 136 in
    # bench/photos.py, which sets it the same way.
    from deploy.malloc import return_image_memory_to_the_system

    return_image_memory_to_the_system()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")
    import django
    from django.core import checks
    from django.db import connections

    django.setup()
    from helpcentre.settings_checks import PRODUCTION_SAFETY

    found = checks.run_checks(
        include_deployment_checks=True, tags=[PRODUCTION_SAFETY], databases=[]
    )
    errors = [message for message in found if message.is_serious() and not message.is_silenced()]
    # Nothing opened here may be shared with the workers forked next.
    connections.close_all()
    if errors:
        raise SystemExit(
            "Refusing to start with unsafe settings (manage.py check --deploy lists them too):\n"
            + "\n".join(str(error) for error in errors)
        )
