"""Fill deploy/nginx.conf.template for one machine (make serve, the reliability tests)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent
TEMPLATE = DEPLOY_DIR / "nginx.conf.template"
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def render_nginx_config(
    *, run_dir: Path, listen: str, upstreams: Sequence[str], static_root: Path
) -> Path:
    """Write run_dir/nginx.conf for these app servers ("host:port") and return its path."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in TEMP_FOLDERS:
        (run_dir / name).mkdir(exist_ok=True)
    text = TEMPLATE.read_text()
    values = {
        "RUN_DIR": str(run_dir),
        "LISTEN": listen,
        "UPSTREAMS": "\n        ".join(f"server {address};" for address in upstreams),
        "STATIC_ROOT": str(Path(static_root).resolve()),
        "ERROR_ROOT": str(DEPLOY_DIR),
        # Started as root (make serve and the reliability tests on a
        # development machine), nginx would run its workers as "nobody", who
        # cannot reach a checkout inside a private folder (`mktemp -d` makes
        # one): static files answered 403 and upload bodies 500. The workers
        # run as the user who started nginx instead, like the app servers.
        "USER": "user root;" if os.geteuid() == 0 else "",
    }
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        raise ValueError("nginx.conf.template has a placeholder nginx.py does not fill")
    path = run_dir / "nginx.conf"
    path.write_text(text)
    return path
