"""`make serve`: the production stack on this machine.

collectstatic and migrate, then gunicorn (2 sync workers, DJANGO_DEBUG off)
behind nginx on PORT, and the background task worker (`manage.py db_worker`).
The secret key comes from DJANGO_SECRET_KEY or, when that is unset, from
.serve/secret_key (created once with a random value, never printed; .serve/
is ignored by git). Ctrl-C stops everything.

Database, Redis and S3 come from the usual variables (DATABASE_URL, REDIS_URL,
AWS_STORAGE_BUCKET_NAME...); without them it is SQLite and local folders.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.nginx import render_nginx_config  # noqa: E402

STATE_DIR = ROOT / ".serve"


def secret_key() -> str:
    """DJANGO_SECRET_KEY, or the one kept in .serve/secret_key (made on first use)."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = STATE_DIR / "secret_key"
    if not path.exists():
        STATE_DIR.mkdir(exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def production_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secret_key(),
            # Plain HTTP on loopback: no TLS here to redirect to.
            "DJANGO_HTTPS": env.get("DJANGO_HTTPS", "0"),
            "DJANGO_ALLOWED_HOSTS": env.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost"),
            "SITE_BASE_URL": env.get("SITE_BASE_URL", f"http://127.0.0.1:{port}"),
            # nginx, in front on this machine: its X-Forwarded-For names the client.
            "DJANGO_TRUSTED_PROXIES": env.get("DJANGO_TRUSTED_PROXIES", "127.0.0.1"),
            "TASKS_BACKEND": env.get("TASKS_BACKEND", "database"),
            # No mail server here: emails are written to .serve/mail/ instead.
            "DJANGO_EMAIL_BACKEND": env.get(
                "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
            ),
            "EMAIL_FILE_PATH": env.get("EMAIL_FILE_PATH", str(STATE_DIR / "mail")),
        }
    )
    return env


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} stopped while starting (see its output above).")
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - our own loopback URL
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered at {url} within {seconds:.0f} s.")


def prepare(python: str, env: dict) -> None:
    """Static files, the database's migrations and Django's checks, before serving."""

    def manage(*command: str) -> None:
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)

    manage("collectstatic", "--noinput", "-v0")
    manage("migrate", "--noinput", "-v0")
    # Not --deploy: this is plain HTTP on loopback with mail written to files.
    manage("check", "--fail-level", "ERROR")


def start_all(processes: list, python: str, env: dict, *, port: int, workers: int) -> None:
    """gunicorn behind nginx, then the task worker when tasks go through the
    database; each appended to `processes` as it starts, so the caller stops
    whatever did start if a later one fails."""
    app_port = port + 1
    gunicorn_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": str(workers),
    }
    conf = render_nginx_config(
        run_dir=STATE_DIR / "nginx",
        listen=f"127.0.0.1:{port}",
        upstreams=[f"127.0.0.1:{app_port}"],
        static_root=ROOT / "staticfiles",
    )
    processes.append(
        subprocess.Popen(
            [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "helpcentre.wsgi"],
            cwd=ROOT,
            env=gunicorn_env,
        )
    )
    wait_for(f"http://127.0.0.1:{app_port}/healthz", processes[0])
    processes.append(subprocess.Popen(["nginx", "-c", str(conf), "-p", str(conf.parent)], cwd=ROOT))
    wait_for(f"http://127.0.0.1:{port}/healthz", processes[1])
    if env["TASKS_BACKEND"] == "database":
        # The worker also erases personal data that is due, once a day.
        subprocess.run(
            [python, "manage.py", "erase_personal_data", "--schedule"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        processes.append(subprocess.Popen([python, "manage.py", "db_worker"], cwd=ROOT, env=env))


def stop_all(processes: list) -> None:
    """Last started first; a process that ignores SIGTERM for 15 s is killed."""
    for process in reversed(processes):
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SERVE_PORT", "8080")))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = production_env(args.port)
    python = sys.executable
    prepare(python, env)
    processes: list = []
    try:
        start_all(processes, python, env, port=args.port, workers=args.workers)
        print(f"\nThe help centre runs at http://127.0.0.1:{args.port}/ (Ctrl-C stops it).\n")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all(processes)


if __name__ == "__main__":
    sys.exit(main())
