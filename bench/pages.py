"""Page benchmark: the help centre served as in production, side by side with two references.

Run with `make bench` (which then runs bench/photos.py). Steps:

1. Production settings for this run: DEBUG off, a fresh DJANGO_SECRET_KEY,
   DJANGO_HTTPS=0 (plain HTTP on loopback), PostgreSQL database
   `hc_bench_run` (created and migrated; 10,000 articles loaded once with
   `make_bench_articles` and reused), Redis as the shared cache, WhiteNoise
   serving the collected, hashed static files.
2. Queries per page, in-process through Django's test Client and
   CaptureQueriesContext against the same database.
3. gunicorn (2 sync workers) on a free loopback port; nginx (its own
   temporary prefix and config) serving the article's HTML as a static file.
4. wrk --latency at 1 and 16 connections for each page and both references:
   requests/s, p50, p99, bytes per response, and each page's ratio to the
   trivial Django view (/healthz) and to nginx.
5. Conditional GET: the article with If-None-Match (304s).
5b. With --layers: each speed layer switched off in turn (settings
   HELPCENTRE_*), a gunicorn per configuration, all at once; home, category,
   article and search at 16 connections, each right after its own server's
   trivial view, interleaved over rounds: requests/s and workers' CPU time
   per request, as shares of the trivial view's.
6. Search over 10,000 articles, in-process: p50 and p95 per query.
7. Page weight of the article page in Chromium (gzip sizes; third-party hosts).
8. Lighthouse for home, article and the claim form's first step.

Figures only: nothing here passes or fails. Ratios within one run are the
figures to compare: the machine has 2 cores shared by wrk, gunicorn,
PostgreSQL and whatever else is running.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    LAYERS,
    LayerRun,
    command_version,
    count_queries,
    layer_table,
    machine,
    parse_wrk,
    percentile,
    table,
)

VENV_BIN = Path(sys.executable).parent
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
# The row of searches that are each made once (bench/search_distinct.lua).
DISTINCT_SEARCH = "search, a new query each request"
SEARCH_QUERIES = [
    "refund",
    "damaged item",
    "missing item refund",
    "tracking number",
    "international orders customs",
    "payout",
    "Kingston Express inspection",
    "return label",
    "packing log weight",
    "seller rating response time",
    "chargeback",
    "how do I replace a broken item",
    # Issue 14: synonyms (package, broken) and the any-word fallback's path.
    "damaged parcel",
    "parcel zebra",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port(preferred: int) -> int:
    """The first free loopback port from `preferred` on (uncommon 18xxx ports by default)."""
    for port in range(preferred, preferred + 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {preferred}")


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def fetch(url: str, **headers) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# --- 1. Settings and database ---------------------------------------------------


def production_env(database: str, redis_db: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "helpcentre.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "CACHE_KEY_PREFIX": f"bench-{database}",
        "DJANGO_LOG_LEVEL": "ERROR",
        # Production refuses to start without it; only emails and claim links use it.
        "SITE_BASE_URL": "http://127.0.0.1",
        # wrk sends every search from one address: without this the per-address
        # limit (60 a minute) answers 429s and the row measures the limiter.
        "RATE_LIMIT_SEARCH": "1000000000/60",
    }


def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"Creating database {name}")
            db.execute(f'CREATE DATABASE "{name}"')


def prepare_database(articles: int) -> None:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from helpcentre.models import Article

    call_command("migrate", interactive=False, verbosity=0)
    have = Article.objects.count()
    if have < articles:
        log(f"Loading {articles - have} articles (once; later runs reuse them)")
        call_command("make_bench_articles", articles - have)
    # Planner statistics and the visibility map, as autovacuum keeps them on
    # a live site (straight after a bulk load it would not have run yet).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE helpcentre_article")
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()


def pick_pages() -> tuple[list[tuple[str, str]], list[str]]:
    """(name, path) for each public page measured; notes for rows that are skipped."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from helpcentre.migrations import __path__ as _  # noqa: F401 - the app is importable
    from helpcentre.models import Article, Category

    seed = __import__("helpcentre.migrations.0002_seed_guide", fromlist=["ARTICLE"])
    article = Article.objects.get(slug=seed.ARTICLE["slug"])
    biggest = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
    pages = [
        ("home", "/"),
        ("category", biggest.get_absolute_url()),
        ("article", article.get_absolute_url()),
        ("search", "/search/?q=refund"),
    ]
    notes = []
    try:
        start = reverse("claims:start")
    except NoReverseMatch:
        notes.append("claim: /claim/ is not in this branch yet; row skipped")
        return pages, notes
    # /claim/ may send the visitor on to its first step: measure that page.
    from django.test import Client

    response = Client().get(start)
    if response.status_code in (301, 302) and response.headers.get("Location", "").startswith("/"):
        start = response.headers["Location"]
    pages.append(("claim", start))
    return pages, notes


def page_queries(pages: list[tuple[str, str]]) -> dict[str, int]:
    from django.test import Client

    counts = {}
    for name, path in pages:
        measured = count_queries(Client(), path)
        if measured.status != 200:
            raise RuntimeError(f"{path} answered {measured.status} in-process")
        counts[name] = measured.queries
    # A query no one searched before: the page cache cannot answer it.
    fresh = count_queries(Client(), f"/search/?q=parcel+refund+{secrets.token_hex(4)}", warm=False)
    counts[DISTINCT_SEARCH] = fresh.queries
    return counts


# --- 3. Servers -------------------------------------------------------------------


def start_gunicorn(port: int, env: dict[str, str], tmp: Path) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "helpcentre.wsgi",
        "--workers=2",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        f"--error-logfile={tmp / 'gunicorn.log'}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # noqa: S603
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return process


def start_nginx(port: int, html: bytes, tmp: Path) -> subprocess.Popen:
    prefix = tmp / "nginx"
    www = prefix / "www"
    for folder in (prefix, www, prefix / "logs", prefix / "temp"):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    tmp.chmod(0o755)
    (www / "article.html").write_bytes(html)
    (www / "article.html").chmod(0o644)
    config = prefix / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {www};
    }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        ["/usr/sbin/nginx", "-p", str(prefix), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for(f"http://127.0.0.1:{port}/article.html", seconds=10)
    return process


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- 4. Load --------------------------------------------------------------------------


# wrk script for the search row that never repeats a query; each run starts
# counting its queries where the last one stopped, so none was cached before.
SEARCH_DISTINCT = ROOT / "bench" / "search_distinct.lua"
_distinct_runs = iter(range(0, 27_000, 3_000))


def wrk(
    url: str,
    connections: int,
    seconds: int,
    headers: dict[str, str] | None = None,
    distinct_searches: bool = False,
):
    command = ["wrk", "--latency", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    script = ["-s", str(SEARCH_DISTINCT)] if distinct_searches else []
    script_args = ["--", str(next(_distinct_runs))] if distinct_searches else []
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [*command, *script, url, *script_args], capture_output=True, text=True, check=True
    )
    return parse_wrk(done.stdout)


# --- 5b. Speed layers ------------------------------------------------------------------

LAYER_PAGES = ("home", "category", "article", "search")


def measure_layers(env, pages, port: int, tmp: Path, seconds: int, rounds: int) -> dict:
    """Each configuration of LAYERS on a gunicorn of its own, all running at once;
    every page run at 16 connections right after its own server's trivial view,
    configurations interleaved and repeated, so that a change in the machine's
    load falls on all of them alike: {configuration: {page: [(trivial, page)]}}."""
    servers = {}
    targets = [(name, path) for name, path in pages if name in LAYER_PAGES]
    try:
        for number, (name, switches) in enumerate(LAYERS):
            folder = tmp / f"layers-{number}"
            folder.mkdir()
            server_port = free_port(port + 10 + number)
            servers[name] = (server_port, start_gunicorn(server_port, {**env, **switches}, folder))
        results = {name: {page: [] for page, _ in targets} for name in servers}
        for round_number in range(rounds):
            for page, path in targets:
                for name, (server_port, server) in servers.items():
                    base = f"http://127.0.0.1:{server_port}"
                    if round_number == 0:
                        wrk(base + path, 16, 1)  # warm: workers, connections, caches
                    log(f"wrk {page}, {name}, round {round_number + 1} of {rounds}")
                    trivial, trivial_cpu = cpu_per_request(server, base + "/healthz", seconds)
                    run, cpu = cpu_per_request(server, base + path, seconds)
                    results[name][page].append(LayerRun(trivial, run, trivial_cpu, cpu))
        return results
    finally:
        for _, server in servers.values():
            stop(server)


def cpu_per_request(server: subprocess.Popen, url: str, seconds: int):
    """wrk at 16 connections, and the CPU ms gunicorn's workers spent per request."""
    before = workers_cpu_seconds(server)
    result = wrk(url, 16, seconds)
    return result, 1000 * (workers_cpu_seconds(server) - before) / max(result.requests, 1)


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """User and system CPU time of gunicorn's workers so far (Linux /proc)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        # After the command name: state, ..., utime and stime are the 12th and 13th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# --- 6. Search ----------------------------------------------------------------------


def search_timings(rounds: int) -> list[list[object]]:
    from django.db import connection

    from helpcentre.models import Article

    rows = []
    for query in SEARCH_QUERIES:
        list(Article.objects.search(query))  # warm
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            results = Article.objects.search(query)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            [
                query,
                len(results),
                f"{statistics.median(timings):.1f}",
                f"{percentile(timings, 0.95):.1f}",
            ]
        )
    connection.close()
    return rows


# --- 7. Page weight ------------------------------------------------------------------


def page_weight(url: str) -> tuple[list[list[object]], dict[str, int], int]:
    """Each response's type, raw and gzip size; hosts contacted; gzip total of HTML/CSS/JS/fonts."""
    from playwright.sync_api import sync_playwright

    responses = []
    hosts: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: hosts.__setitem__(
            urlsplit(r.url).netloc, hosts.get(urlsplit(r.url).netloc, 0) + 1
        ))  # fmt: skip
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        rows, total = [], 0
        for response in responses:
            kind = response.request.resource_type
            try:
                body = response.body()
            except Exception:  # noqa: BLE001, S112 - redirects and aborted requests have no body
                continue
            packed = len(gzip.compress(body, compresslevel=6))
            if kind in ("document", "stylesheet", "script", "font"):
                total += packed
            rows.append([kind, urlsplit(response.url).path, len(body), packed])
        browser.close()
    return rows, {host: n for host, n in hosts.items()}, total


# --- 8. Lighthouse ------------------------------------------------------------------


def lighthouse(url: str, out: Path) -> dict[str, int] | str:
    if not LIGHTHOUSE.exists():
        return "not installed (make bench runs npm ci in bench/)"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices,seo",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    done = subprocess.run(  # noqa: S603 - fixed arguments
        command, env=env, capture_output=True, text=True, check=False, timeout=180
    )
    if done.returncode != 0 or not out.exists():
        return f"failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    flagged = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    scores["flagged"] = flagged
    return scores


# --- The run ------------------------------------------------------------------------


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="hc_bench_run")
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=6, help="wrk duration per row")
    parser.add_argument("--search-rounds", type=int, default=40)
    parser.add_argument("--port", type=int, default=18431)
    parser.add_argument("--nginx-port", type=int, default=18531)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--layers", action="store_true", help="also each speed layer switched off in turn"
    )
    parser.add_argument("--layer-seconds", type=int, default=3, help="wrk duration, --layers")
    parser.add_argument("--layer-rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the report (Markdown) here")
    args = parser.parse_args()

    started = datetime.now(UTC)
    env = production_env(args.database, args.redis_db)
    os.environ.update(env)
    create_database(args.database)
    import django

    django.setup()
    prepare_database(args.articles)
    from helpcentre.models import Article

    pages, notes = pick_pages()
    queries = page_queries(pages)
    article_count = Article.objects.published().count()
    from django.db import connection

    connection.close()

    out: list[str] = []

    def emit(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    info = machine()
    emit("# Help centre benchmark")
    emit()
    emit(f"- Date: {started:%Y-%m-%d %H:%M} UTC")
    emit(f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['os']}")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    emit(
        f"- Load average when the run started (1, 5, 15 min): {load} (other work shares the cores)"
    )
    import django as dj

    emit(
        f"- Versions: Python {info['python']}, Django {dj.get_version()}, "
        f"{command_version(str(VENV_BIN / 'gunicorn'), '--version')}, "
        f"{command_version('wrk', '--version').split(' [')[0]}, "
        f"{command_version('/usr/sbin/nginx', '-v')}, "
        f"{command_version('psql', '--version')}, "
        f"Chromium {command_version(CHROMIUM, '--version').split()[1:2] or ['?']}".replace(
            "['", ""
        ).replace("']", "")
    )
    emit(
        f"- Set-up: gunicorn 2 sync workers, DEBUG off, PostgreSQL `{args.database}` with "
        f"{article_count:,} published articles, Redis cache, WhiteNoise; wrk 1 thread, "
        f"{args.seconds} s per row; nginx 1 worker serving the article's HTML as a file"
    )
    for note in notes:
        emit(f"- Note: {note}")
    emit()

    tmp = Path(tempfile.mkdtemp(prefix="hc-bench-"))
    gunicorn = nginx = None
    try:
        port = free_port(args.port)
        nginx_port = free_port(args.nginx_port if args.nginx_port != port else port + 1)
        log(f"gunicorn on 127.0.0.1:{port}")
        gunicorn = start_gunicorn(port, env, tmp)
        base = f"http://127.0.0.1:{port}"
        sizes = {}
        for name, path in pages:
            status, _, body = fetch(base + path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} through gunicorn")
            sizes[name] = len(body)
        article_path = dict(pages)["article"]
        _, article_headers, article_html = fetch(base + article_path)
        etag = article_headers.get("ETag")
        log(f"nginx on 127.0.0.1:{nginx_port}")
        nginx = start_nginx(nginx_port, article_html, tmp)

        targets = [("trivial view /healthz", base + "/healthz", None)]
        targets += [(name, base + path, None) for name, path in pages]
        # The search row repeats one query, which the search page cache answers
        # after the first request; this row never repeats one.
        targets.append((DISTINCT_SEARCH, base + "/search/", None))
        if etag:
            targets.append(("article, 304 (If-None-Match)", base + article_path,
                            {"If-None-Match": etag}))  # fmt: skip
        targets.append(("nginx: article HTML file", f"http://127.0.0.1:{nginx_port}/article.html",
                        None))  # fmt: skip

        results = {}
        for label, url, headers in targets:
            fresh = label == DISTINCT_SEARCH
            wrk(url, 16, 1, headers, fresh)  # warm: workers, connections, caches
            for connections in (1, 16):
                log(f"wrk {label} at {connections} connections")
                results[label, connections] = wrk(url, connections, args.seconds, headers, fresh)

        emit("## Pages under load (wrk)")
        emit()
        rows = []
        for label, _url, _headers in targets:
            name = label if label == DISTINCT_SEARCH else label.split(",")[0]
            for connections in (1, 16):
                r = results[label, connections]
                trivial = results["trivial view /healthz", connections]
                ceiling = results["nginx: article HTML file", connections]
                rows.append(
                    [
                        label,
                        connections,
                        f"{r.requests_per_second:,.0f}",
                        f"{r.p50_ms:.2f}",
                        f"{r.p99_ms:.2f}",
                        f"{r.bytes_per_response:,}",
                        queries.get(name, "0" if "healthz" in label or "304" in label else "–"),
                        f"{r.requests_per_second / trivial.requests_per_second:.0%}",
                        f"{r.requests_per_second / ceiling.requests_per_second:.1%}",
                        r.errors + r.non_2xx_3xx,
                    ]
                )
        emit(
            table(
                [
                    "page",
                    "conns",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "bytes/resp",
                    "queries",
                    "vs trivial",
                    "vs nginx",
                    "errors",
                ],
                rows,
            )
        )
        emit()
        emit(
            "bytes/resp: what wrk read per response, headers included, uncompressed "
            "(wrk sends no Accept-Encoding). queries: in-process, Django test Client with "
            "CaptureQueriesContext, same database, warm cache. "
            "The 304 row counts its query in the article's own figure."
        )
        emit()
        article16 = results["article", 16]
        trivial16 = results["trivial view /healthz", 16]
        emit("Targets at 16 connections:")
        emit(
            f"- article vs trivial view: {article16.requests_per_second / trivial16.requests_per_second:.0%} "  # noqa: E501
            f"(target ≥ 60%); article p99 {article16.p99_ms:.2f} ms (target < 15 ms)"
        )
        search16, fresh16 = results["search", 16], results[DISTINCT_SEARCH, 16]
        emit(
            f"- search vs trivial view: {search16.requests_per_second / trivial16.requests_per_second:.0%} "  # noqa: E501
            f"(target ≥ 25%); search p99 {search16.p99_ms:.2f} ms (target < 25 ms); "
            f"a new query each request: {fresh16.requests_per_second / trivial16.requests_per_second:.0%}, "  # noqa: E501
            f"p99 {fresh16.p99_ms:.2f} ms"
        )
        emit(
            f"- queries per page: {', '.join(f'{k} {v}' for k, v in queries.items())} "
            "(target ≤ 3 each)"
        )
        emit(f"- conditional GET: {'304 with ETag ' + etag if etag else 'no ETag on the article'}")
        emit()

        if args.layers:
            stop(gunicorn)
            emit("## Speed layers, each switched off in turn (16 connections)")
            emit()
            measured = measure_layers(env, pages, port, tmp, args.layer_seconds, args.layer_rounds)
            emit(layer_table(measured))
            emit()
            emit(
                "Each configuration on a gunicorn of its own (the settings' `HELPCENTRE_*` "
                "switches), all running at once; each page run for "
                f"{args.layer_seconds} s right after its own server's trivial view, "
                f"{args.layer_rounds} rounds interleaved. A page: the median of its rounds' "
                "rates as % of the trivial view's, in brackets the points it moved from all "
                "layers on, and its median p99 in ms; the trivial view: median req/s and p99. "
                "Worker CPU: the same share from the CPU time gunicorn's workers spent per "
                "request (trivial's / the page's), which other work on the machine hardly "
                "moves; Redis and PostgreSQL's own CPU is not in it. "
                "The search row repeats one query, as above."
            )
            emit()
            gunicorn = start_gunicorn(port, env, tmp)

        log("search timings")
        emit(f"## Search over {article_count:,} articles (PostgreSQL, in-process)")
        emit()
        emit(
            table(
                ["query", "results", "p50 ms", "p95 ms"],
                search_timings(args.search_rounds),
            )
        )
        emit()
        emit(
            f"{args.search_rounds} timed rounds per query after one warm-up; each is the whole "
            "`Article.objects.search()` call (query, ranking, highlighted snippets for up "
            "to 20 results). Target: p95 < 25 ms."
        )
        emit()

        log("page weight")
        weight_rows, hosts, total = page_weight(base + article_path)
        emit("## Page weight: the article page in Chromium")
        emit()
        emit(table(["type", "path", "bytes", "gzip bytes"], weight_rows))
        emit()
        third = {h: n for h, n in hosts.items() if h != urlsplit(base).netloc}
        emit(
            f"HTML + CSS + JS + fonts, gzip-compressed: {total / 1024:.1f} KB (target < 60 KB). "
            f"Requests by host: {hosts}; third-party requests: {sum(third.values())} (target 0)."
        )
        emit()

        emit("## Lighthouse (mobile defaults, against this gunicorn server)")
        emit()
        if args.no_lighthouse:
            emit("Skipped (--no-lighthouse).")
        else:
            rows = []
            lighthouse_pages = [(n, p) for n, p in pages if n in ("home", "article", "claim")]
            for name, path in lighthouse_pages:
                log(f"lighthouse {name}")
                scores = lighthouse(base + path, tmp / f"lighthouse-{name}.json")
                if isinstance(scores, str):
                    rows.append([name, path, scores, "", "", "", ""])
                    continue
                rows.append(
                    [
                        name,
                        path,
                        scores.get("performance"),
                        scores.get("accessibility"),
                        scores.get("best-practices"),
                        scores.get("seo"),
                        ", ".join(scores["flagged"]) or "none",
                    ]
                )
            emit(
                table(
                    [
                        "page",
                        "path",
                        "performance",
                        "accessibility",
                        "best practices",
                        "SEO",
                        "audits below 100%",
                    ],
                    rows,
                )
            )
            if "claim" not in dict(lighthouse_pages):
                emit()
                emit("claim: skipped, /claim/ is not in this branch yet.")
        emit()
        emit(f"Page sizes through gunicorn (bytes, uncompressed): {sizes}")
    finally:
        stop(gunicorn)
        stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)

    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(out) + "\n", encoding="utf-8")
    log(f"Done in {(datetime.now(UTC) - started).total_seconds():.0f} s")


if __name__ == "__main__":
    main()
