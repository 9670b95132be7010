"""The page benchmark's measuring pieces, kept apart from the runner so they can be tested.

- `parse_wrk()` reads what `wrk --latency` prints;
- `count_queries()` counts the SQL a page issues, through Django's test Client;
- `percentile()`, `machine()` and `table()` for the report.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


# Debian's Chromium as the browser tests and the benchmark run it (Playwright
# cannot download its own browser here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bytes_read: int
    errors: int  # socket errors (connect, read, write, timeout)
    non_2xx_3xx: int

    @property
    def bytes_per_response(self) -> int:
        return round(self.bytes_read / self.requests) if self.requests else 0


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _bytes(value: str) -> int:
    match = re.fullmatch(r"([\d.]+)([KMGT]?B)", value.strip())
    if not match:
        raise ValueError(f"not a wrk size: {value!r}")
    return round(float(match.group(1)) * _SIZES[match.group(2)])


def parse_wrk(output: str) -> WrkResult:
    """The figures from `wrk --latency` output; ValueError when a needed line is missing."""
    total = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+[KMGT]?B) read", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", output, re.M)
    if not (total and rate and p50 and p99):
        raise ValueError("wrk output without totals or a latency distribution (use --latency)")
    errors = 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors = sum(int(n) for n in socket.groups())
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=_ms(total.group(2)) / 1000,
        requests_per_second=float(rate.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        bytes_read=_bytes(total.group(3)),
        errors=errors,
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
    )


_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclass(frozen=True)
class PageQueries:
    status: int
    queries: int  # every statement, BEGIN and COMMIT included
    sql: tuple[str, ...]

    @property
    def data_queries(self) -> int:
        """Statements that read or write rows: without transaction control."""
        return sum(1 for q in self.sql if not q.lstrip().upper().startswith(_TRANSACTION_CONTROL))


def count_queries(client, url: str, *, warm: bool = True, **headers) -> PageQueries:
    """The queries one GET of `url` issues (after a first, warming GET when `warm`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if warm:
        client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return PageQueries(
        status=response.status_code,
        queries=len(captured),
        sql=tuple(q["sql"] for q in captured.captured_queries),
    )


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0..1) of a non-empty list."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def machine() -> dict[str, str]:
    """CPU model, cores, memory, OS and Python: where the figures were measured."""
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def command_version(*command: str) -> str:
    """First line a tool prints about its version ('missing' when it is not there)."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed tool names from this module
            command, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "missing"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table (also readable in a terminal)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]

    def line(values):
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), separator, *(line(r) for r in cells)])


# --- Speed layers: each switched off in turn (settings, "speed layers") ----------

LAYERS = [
    ("all on", {}),
    ("article page cache off", {"HELPCENTRE_PAGE_CACHE": "0"}),
    ("listing cache off", {"HELPCENTRE_LISTING_CACHE": "0"}),
    ("near cache off", {"HELPCENTRE_NEAR_CACHE": "0"}),
    ("Redis client reuse off", {"HELPCENTRE_REDIS_CLIENT": "0"}),
]


@dataclass(frozen=True)
class LayerRun:
    """A page run right after its own server's trivial view, with the CPU time
    the server's workers spent per request on each (ms): unlike requests/s,
    hardly moved by other work on the machine."""

    trivial: WrkResult
    page: WrkResult
    trivial_cpu_ms: float
    page_cpu_ms: float


def layer_table(results: dict[str, dict[str, list[LayerRun]]]) -> str:
    """Two tables, a row per configuration: each page as % of its own server's
    trivial view in requests/s (median over the rounds) with its p99, then the
    same share from the workers' CPU time per request (trivial's / the page's);
    in brackets, the points moved from the first configuration (all layers on).
    """
    baseline = next(iter(results.values()))
    pages = list(baseline)

    def by_rate(runs):
        return statistics.median(
            r.page.requests_per_second / r.trivial.requests_per_second for r in runs
        )

    def by_cpu(runs):
        return statistics.median(r.trivial_cpu_ms / max(r.page_cpu_ms, 1e-9) for r in runs)

    def cell(runs, page, share):
        moved = round(100 * share(runs[page])) - round(100 * share(baseline[page]))
        return f"{share(runs[page]):.0%}" + ("" if runs is baseline else f" ({moved:+d})")

    rate_rows, cpu_rows = [], []
    for name, runs in results.items():
        every = [r for page_runs in runs.values() for r in page_runs]
        rate = statistics.median(r.trivial.requests_per_second for r in every)
        p99 = statistics.median(r.trivial.p99_ms for r in every)
        rate_rows.append(
            [name, f"{rate:,.0f}, p99 {p99:.1f}"]
            + [
                f"{cell(runs, page, by_rate)}, p99 "
                f"{statistics.median(r.page.p99_ms for r in runs[page]):.1f}"
                for page in pages
            ]
        )
        cpu = statistics.median(r.trivial_cpu_ms for r in every)
        cpu_rows.append(
            [name, f"{cpu:.2f}"]
            + [
                f"{cell(runs, page, by_cpu)}, "
                f"{statistics.median(r.page_cpu_ms for r in runs[page]):.2f} ms"
                for page in pages
            ]
        )
    return "\n\n".join(
        [
            table(["requests/s", "trivial req/s", *pages], rate_rows),
            table(["worker CPU per request", "trivial ms", *pages], cpu_rows),
        ]
    )
