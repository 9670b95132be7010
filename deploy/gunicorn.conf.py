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
