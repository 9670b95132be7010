"""The production pieces the reliability tests start and break on purpose.

Real processes only: gunicorn app servers (deploy/gunicorn.conf.py), nginx
(deploy/nginx.conf.template), moto's S3 server, a PostgreSQL database on the
machine's shared server (created and dropped here; the server itself is never
touched) and, for the database-stopping test, a throwaway PostgreSQL cluster
of our own on an uncommon port.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
S3_BUCKET = "helpcentre-reliability"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing-access-key", "AWS_SECRET_ACCESS_KEY": "testing-secret"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, seconds: float = 30, what: str = "service") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready within {seconds:.0f} s")


def http_ok(url: str, *, any_status: bool = False) -> bool:
    """True once `url` answers (below 500, or with anything when `any_status`)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return any_status or error.code < 500
    except OSError:
        return False


def stop(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Environment and Django commands -------------------------------------------------


def base_env(**overrides: str) -> dict[str, str]:
    """Production settings for an app server, minus the database and storage."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_", "CLAIM_", "GUNICORN_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "PYTEST_ADDOPTS")
    }
    env = {
        **keep,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # Plain HTTP on loopback, as behind a TLS-terminating proxy's local hop.
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # nginx on this machine, as `make serve` sets it.
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "ERROR",
        # One client address sends everything here: the rate limits are
        # another test suite's subject.
        "CLAIM_RATE_LIMIT_PER_IP": "1000000",
        "CLAIM_RATE_LIMIT_PER_TOKEN": "1000000",
        "RATE_LIMIT_CLAIM_POST": "1000000/60",
        "RATE_LIMIT_CLAIM_SUBMIT": "1000000/60",
        "RATE_LIMIT_SEARCH": "1000000/60",
        # Every claim here emails ada@example.com.
        "RATE_LIMIT_CLAIM_MAIL": "1000000/60",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def django_json(env: dict[str, str], code: str, timeout: float = 120):
    """Run `code` with Django set up against `env`; it sets `result`, returned as JSON."""
    script = (
        "import json, django\n"
        "django.setup()\n"
        + textwrap.dedent(code)
        + "\nprint('@@RESULT@@' + json.dumps(result, default=str))\n"
    )
    completed = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "helpcentre.settings"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"Django snippet failed:\n{completed.stderr}")
    line = [x for x in completed.stdout.splitlines() if x.startswith("@@RESULT@@")][-1]
    return json.loads(line.removeprefix("@@RESULT@@"))


def cleanup_report(env: dict[str, str], *, dry_run: bool = True) -> dict:
    """What cleanup_evidence finds right now (no grace period)."""
    args = ["cleanup_evidence", "--grace-minutes", "0"]
    if dry_run:
        args.append("--dry-run")
    out = manage(env, *args).stdout
    summary = out.strip().splitlines()[-1]
    # "Orphaned files: N (M removed). Photos with missing files: K."
    parts = summary.replace("(", " ").replace(".", " ").split()
    return {
        "orphans": int(parts[2]),
        "removed": int(parts[3]),
        "missing": int(parts[-1]),
        "output": out,
    }


# --- PostgreSQL ----------------------------------------------------------------------


def shared_server_url() -> str:
    url = os.environ.get("RELIABILITY_POSTGRES", "")
    if url:
        return url.rstrip("/")
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        return database_url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def recreate_database(server_url: str, name: str, *, template: str = "") -> str:
    """A fresh database `name` on the server (empty, or a copy of `template`); its URL."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary folder, to stop and start at will.

    initdb refuses to run as root, so as root the cluster belongs to the
    "postgres" system user.
    """

    directory: Path
    port: int = field(default_factory=free_port)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/helpcentre"

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "helpcentre"
        )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "postgres.log"),
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
            "-w",
            "start",
        )

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def is_running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0


# --- S3 (moto) ------------------------------------------------------------------------


@dataclass
class Moto:
    """moto's S3 server on loopback; kill, pause or restart it on the same port."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
        )
        wait_until(lambda: http_ok(f"{self.endpoint}/moto-api/"), what="moto_server")
        self.client().create_bucket(Bucket=S3_BUCKET)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self, prefix: str = "") -> list[str]:
        pages = (
            self.client().get_paginator("list_objects_v2").paginate(Bucket=S3_BUCKET, Prefix=prefix)
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.resume()
        stop(self.process)

    def env(self) -> dict[str, str]:
        return {
            **S3_KEYS,
            "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            # A stalled endpoint fails a request in seconds, not a minute.
            "AWS_S3_TIMEOUT": "2",
            "AWS_S3_MAX_ATTEMPTS": "2",
        }


# --- gunicorn and nginx ----------------------------------------------------------------


@dataclass
class AppServer:
    """One gunicorn app server (deploy/gunicorn.conf.py) on its own port."""

    env: dict[str, str]
    log: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
        }
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "helpcentre.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(lambda: self.worker_pids_ready(), what=f"gunicorn on {self.port}")
        wait_until(lambda: http_ok(f"{self.url}/healthz"), what=f"gunicorn on {self.port}")
        return self

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_pids_ready(self) -> bool:
        return len(self.worker_pids()) == self.workers

    def stop(self) -> None:
        stop(self.process, timeout=35)


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Nginx:
    run_dir: Path
    upstreams: Sequence[str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        sys.path.insert(0, str(ROOT))
        from deploy.nginx import render_nginx_config

        conf = render_nginx_config(
            run_dir=self.run_dir,
            listen=f"127.0.0.1:{self.port}",
            upstreams=self.upstreams,
            static_root=ROOT / "staticfiles",
        )
        self.process = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(self.run_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # Any answer will do: with no app server up, nginx's is a 502.
        wait_until(lambda: http_ok(f"{self.url}/healthz", any_status=True), what="nginx")
        return self

    def stop(self) -> None:
        stop(self.process)
