"""A minute of steady traffic: guide pages and claims at a fixed rate, no errors, memory flat.

Two app servers (2 workers each, never recycled here, so a leak would show)
behind nginx. The figures are printed and written to
test-artifacts/reliability/sustained-load.json.
"""

import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.reliability import stack
from tests.reliability.client import ClaimClient, expect_redirect, photo_set
from tests.reliability.conftest import ARTIFACTS

SECONDS = int(os.environ.get("RELIABILITY_LOAD_SECONDS", "60"))
READS_PER_SECOND = 20
CLAIM_EVERY_SECONDS = 3
SAMPLE_EVERY_SECONDS = 5
# "Flat": after the first third of the run, the workers' peak (the plateau)
# may not rise by more than PEAK_GROWTH, and over the last third no worker may
# climb more than LAST_THIRD_GROWTH above both where it was and that plateau.
# A worker steps up once (about 14 MiB) the first time it processes a photo,
# to the plateau the others are already on, and which worker gets its first
# photo late is down to the proxy: that is warm-up. A leak keeps climbing.
MAX_PEAK_GROWTH_KIB = 8 * 1024
MAX_LAST_THIRD_GROWTH_KIB = 4 * 1024
GUIDE = "/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/"
READ_PATHS = [
    "/",
    GUIDE,
    "/search/?q=damaged+item",
    "/search/?q=refund",
    "/claim/",
    "/static/css/site.css",
    "/healthz",
]


def test_a_minute_of_mixed_traffic_has_no_errors_and_flat_memory(servers, stack_env):
    env = {**stack_env, "GUNICORN_MAX_REQUESTS": "0"}
    a = servers.app(env, name="app-a")
    b = servers.app(env, name="app-b")
    proxy = servers.nginx([f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"])
    workers = a.worker_pids() + b.worker_pids()
    errors, latencies, counts = [], [], {"reads": 0, "claims": 0}
    lock = threading.Lock()
    local = threading.local()

    def read(path):
        if not hasattr(local, "http"):
            local.http = requests.Session()
        started = time.monotonic()
        try:
            response = local.http.get(proxy.url + path, timeout=30)
            status = response.status_code
        except requests.RequestException as exc:
            status = repr(exc)
        with lock:
            latencies.append(time.monotonic() - started)
            counts["reads"] += 1
            if status != 200:
                errors.append((path, status))

    def claim(n):
        try:
            client = ClaimClient(proxy.url)
            client.start(order_number=f"STEADY-{n:06d}")
            expect_redirect(client.upload(photo_set(50_000 + n)))
            expect_redirect(client.choose_source())
            response = client.send(client.submission_key())
            assert response.status_code == 302, response.status_code
        except Exception as exc:  # counted as an error response below
            with lock:
                errors.append(("claim", repr(exc)))
        else:
            with lock:
                counts["claims"] += 1

    samples = []
    started = time.monotonic()
    with ThreadPoolExecutor(32) as pool:
        tick = 0
        next_sample = 0.0
        while (elapsed := time.monotonic() - started) < SECONDS:
            if elapsed >= next_sample:
                samples.append({"t": round(elapsed), **{p: stack.rss_kib(p) for p in workers}})
                next_sample += SAMPLE_EVERY_SECONDS
            pool.submit(read, READ_PATHS[tick % len(READ_PATHS)])
            if tick % (READS_PER_SECOND * CLAIM_EVERY_SECONDS) == 0:
                pool.submit(claim, tick)
            tick += 1
            # Fixed rate: the next request is due at tick / rate seconds.
            time.sleep(max(0.0, started + tick / READS_PER_SECOND - time.monotonic()))
    samples.append(
        {"t": round(time.monotonic() - started), **{p: stack.rss_kib(p) for p in workers}}
    )

    warm = next(s for s in samples if s["t"] >= SECONDS / 3)
    late = next(s for s in samples if s["t"] >= SECONDS * 2 / 3)
    plateau = max(warm[p] for p in workers)
    peak_growth = max(samples[-1][p] for p in workers) - plateau
    growth = {p: samples[-1][p] - max(late[p], plateau) for p in workers}
    figures = {
        "seconds": SECONDS,
        "reads": counts["reads"],
        "claims": counts["claims"],
        "errors": errors[:20],
        "read_latency_ms": {
            "median": round(statistics.median(latencies) * 1000, 1),
            "p95": round(statistics.quantiles(latencies, n=20)[-1] * 1000, 1),
            "max": round(max(latencies) * 1000, 1),
        },
        "worker_rss_kib": samples,
        "peak_growth_after_first_third_kib": peak_growth,
        "growth_over_last_third_above_plateau_kib": growth,
    }
    (ARTIFACTS / "sustained-load.json").write_text(json.dumps(figures, indent=2))
    print("\n" + json.dumps({k: v for k, v in figures.items() if k != "worker_rss_kib"}, indent=2))
    print("RSS MiB per worker:", [[round(s[p] / 1024, 1) for p in workers] for s in samples])

    assert errors == []
    assert counts["claims"] >= SECONDS // CLAIM_EVERY_SECONDS - 1
    assert counts["reads"] >= SECONDS * READS_PER_SECOND * 0.95
    # The same workers throughout (none crashed or was replaced) ...
    assert a.worker_pids() + b.worker_pids() == workers
    # ... and memory stayed flat.
    assert peak_growth <= MAX_PEAK_GROWTH_KIB, samples
    assert max(growth.values()) <= MAX_LAST_THIRD_GROWTH_KIB, samples
