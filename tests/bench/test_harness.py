"""The page benchmark's measuring pieces: wrk's output parser, the query counter, the report."""

import pytest

from bench.harness import (
    LayerRun,
    WrkResult,
    count_queries,
    layer_table,
    parse_wrk,
    percentile,
    table,
)
from bench.report import splice

WRK_OUTPUT = """\
Running 6s test @ http://127.0.0.1:18431/articles/missing-or-damaged-item/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.12ms    2.01ms  41.30ms   88.10%
    Req/Sec     2.25k   120.33     2.48k    71.67%
  Latency Distribution
     50%    6.80ms
     75%    7.61ms
     90%    8.90ms
     99%   14.02ms
  13470 requests in 6.00s, 512.34MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2244.21
Transfer/sec:     85.39MB
"""


def test_wrk_output_gives_rate_latency_percentiles_and_bytes():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests == 13470
    assert result.seconds == pytest.approx(6.0)
    assert result.requests_per_second == pytest.approx(2244.21)
    assert result.p50_ms == pytest.approx(6.80)
    assert result.p99_ms == pytest.approx(14.02)
    assert result.bytes_read == round(512.34 * 1024 * 1024)
    assert result.bytes_per_response == round(512.34 * 1024 * 1024 / 13470)
    assert result.errors == 3
    assert result.non_2xx_3xx == 4


@pytest.mark.parametrize(
    ("shown", "ms"),
    [("635.00us", 0.635), ("1.50ms", 1.5), ("1.20s", 1200.0), ("2.00m", 120_000.0)],
)
def test_wrk_latency_units_become_milliseconds(shown, ms):
    output = WRK_OUTPUT.replace("6.80ms", shown)
    assert parse_wrk(output).p50_ms == pytest.approx(ms)


def test_wrk_output_without_errors_counts_none():
    output = "\n".join(
        line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line
    )
    result = parse_wrk(output)
    assert (result.errors, result.non_2xx_3xx) == (0, 0)


def test_wrk_output_without_latency_distribution_is_refused():
    output = WRK_OUTPUT.split("  Latency Distribution")[0] + WRK_OUTPUT.split("99%   14.02ms")[1]
    with pytest.raises(ValueError, match="--latency"):
        parse_wrk(output)


@pytest.mark.parametrize(
    ("fraction", "expected"), [(0.5, 50), (0.95, 95), (0.99, 99), (1.0, 100), (0.01, 1)]
)
def test_percentile_is_the_nearest_rank(fraction, expected):
    assert percentile([float(n) for n in range(100, 0, -1)], fraction) == expected


def test_the_query_counter_counts_what_the_page_runs(client, make_article):
    from django.core.cache import cache

    article = make_article()
    assert count_queries(client, "/healthz").queries == 0
    # Warm, a visitor's article page is one cache read (helpcentre/page_cache.py).
    warm = count_queries(client, article.get_absolute_url())
    assert warm.status == 200
    assert warm.queries == 0
    # A cold cache reads the article and the category list: the counter sees them.
    cache.clear()
    cold = count_queries(client, article.get_absolute_url(), warm=False)
    assert cold.queries > warm.queries
    assert any("helpcentre_article" in sql for sql in cold.sql)


def test_the_query_counter_reports_the_status(client, db):
    assert count_queries(client, "/articles/no-such-article/").status == 404


def test_the_report_replaces_only_the_previous_results():
    document = (
        "# Benchmarks\n\nIntro.\n\n<!-- bench:results -->\nold\n<!-- /bench:results -->\n\nAfter."
    )
    updated = splice(document, "new figures")
    assert "old" not in updated
    assert "new figures" in updated
    assert updated.startswith("# Benchmarks\n\nIntro.")
    assert updated.endswith("After.")
    assert "<!-- bench:results -->" in splice("# No markers yet", "figures")


def test_tables_line_up():
    lines = table(["page", "req/s"], [["home", 10], ["article", 2000]]).splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[0].startswith("| page")


def test_transaction_control_is_told_apart_from_data_queries():
    from bench.harness import PageQueries

    measured = PageQueries(
        status=200,
        queries=4,
        sql=("SELECT 1", "BEGIN", 'UPDATE "django_session" SET x = 1', "COMMIT"),
    )
    assert measured.data_queries == 2


def _run(rate, p99=5.0):
    return WrkResult(
        requests=1, seconds=1, requests_per_second=rate, p50_ms=1.0, p99_ms=p99,
        bytes_read=1, errors=0, non_2xx_3xx=0,
    )  # fmt: skip


def test_the_layer_table_gives_each_page_against_its_own_trivial_view_and_points_moved():
    results = {
        "all on": {
            "article": [
                LayerRun(_run(1000), _run(700, 9.0), 0.3, 0.5),
                LayerRun(_run(500), _run(350, 11.0), 0.3, 0.5),
            ]
        },
        "page cache off": {
            "article": [
                LayerRun(_run(800), _run(80, 40.0), 0.3, 3.0),
                LayerRun(_run(900), _run(90, 42.0), 0.3, 3.0),
            ]
        },
    }
    rates, cpu = (part.splitlines() for part in layer_table(results).split("\n\n"))
    assert [cell.strip() for cell in rates[0].split("|")[1:-1]] == [
        "requests/s",
        "trivial req/s",
        "article",
    ]
    assert "70%, p99 10.0" in rates[2] and "750, p99 5.0" in rates[2]
    assert "10% (-60), p99 41.0" in rates[3] and "850, p99 5.0" in rates[3]
    assert "60%, 0.50 ms" in cpu[2] and "10% (-50), 3.00 ms" in cpu[3] and "| 0.30 " in cpu[3]
