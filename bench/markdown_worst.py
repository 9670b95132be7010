"""Markdown worst cases: every pathological article body renders in under a second.

Run with `make bench-markdown` (part of `make bench`). Each input of
WORST_CASES is made at the article body's size limit
(helpcentre.markdown.BODY_MAX_CHARS) and rendered with
`helpcentre.markdown.render`, the function an article's save calls, in a
subprocess of its own with a time-out, so that a parser that goes quadratic
cannot hang the run. It prints the machine, a table of the worst and median
CPU time per input over the rounds (and the worst wall time), and the seeded
guide article's, and exits non-zero if any input takes longer than the bound
(1 s of CPU) or fails or times out.

The same inputs are the hostile input catalogue's worst-case bodies
(tests/hostile/test_markup.py), where they are saved and shown without timing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import machine  # noqa: E402
from helpcentre.markdown import BODY_MAX_CHARS, render  # noqa: E402

SEED = ROOT / "helpcentre" / "seed" / "missing-or-damaged-item.md"
BOUND_SECONDS = 1.0


def _fill(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _indented_list(size: int) -> str:
    """A list nested one level deeper on every line."""
    lines, total, depth = [], 0, 0
    while total < size:
        line = "  " * depth + "- x\n"
        lines.append(line)
        total += len(line)
        depth += 1
    return "".join(lines)[:size]


def _growing_backtick_runs(size: int) -> str:
    """` a `` a ``` a ...: code-span openers that never close."""
    parts, total, run = [], 0, 1
    while total < size:
        part = "`" * run + "a"
        parts.append(part)
        total += len(part)
        run += 1
    return "".join(parts)[:size]


def _wide_table(size: int) -> str:
    """A table of up to 1,000 columns whose rows have one cell each: each short
    row is padded with empty cells."""
    columns = max(2, min(1000, size // 20))
    head = "|a" * columns + "|\n" + "|-" * columns + "|\n"
    return head + _fill("x\n", size - len(head))


def _tables_of_short_rows(size: int) -> str:
    """Many 30-column tables of short rows: padding repeated table after table."""
    table = "|a" * 30 + "|\n" + "|-" * 30 + "|\n" + "x\n" * 4 + "\n"
    return _fill(table, size)


def _dense_table(size: int) -> str:
    """A 30-column table, every cell filled with one character."""
    row = "|a" * 30 + "|\n"
    return row + "|-" * 30 + "|\n" + _fill(row, size - 2 * len(row))


def _distinct_figures(size: int) -> str:
    """![f](image:1) ![f](image:2) ...: a figure id the save path looks up each."""
    parts, total, pk = [], 0, 1
    while total < size:
        part = f"![f](image:{pk}) "
        parts.append(part)
        total += len(part)
        pk += 1
    return "".join(parts)[:size]


# name: a function of the size in characters -> the body
WORST_CASES: dict[str, Callable[[int], str]] = {
    "[ run": lambda n: "[" * n,
    "] run": lambda n: "]" * n,
    "![ run": lambda n: _fill("![", n),
    "]( run": lambda n: _fill("](", n),
    "[a]( run": lambda n: _fill("[a](", n),
    "( in a link destination": lambda n: "[a](" + "(" * (n - 4),
    "[a][ references": lambda n: "[a]: /x\n\n" + _fill("[a][", n - 9),
    "> run": lambda n: ">" * n,
    "> > nesting": lambda n: _fill("> ", n),
    "- - nesting on one line": lambda n: _fill("- ", n),
    "1. 1. nesting on one line": lambda n: _fill("1. ", n),
    "list nested by indent": _indented_list,
    "* run": lambda n: "*" * n,
    "_ run": lambda n: "_" * n,
    "*a run": lambda n: _fill("*a", n),
    "**a* mixed emphasis": lambda n: _fill("**a*_b__", n),
    "` run": lambda n: "`" * n,
    "growing ` runs": _growing_backtick_runs,
    "< run": lambda n: "<" * n,
    "<a href= run": lambda n: _fill("<a href=", n),
    "& entity starts": lambda n: _fill("&#x", n),
    "\\ run": lambda n: "\\" * n,
    "| run in a table": lambda n: "a|b\n-|-\n" + "|" * (n - 8),
    "wide table, short rows": _wide_table,
    "many tables, short rows": _tables_of_short_rows,
    "table of one-character cells": _dense_table,
    "# heading, repeated": lambda n: _fill("# a\n", n),
    "hard line breaks": lambda n: _fill("a  \n", n),
    "one-character lines": lambda n: _fill("x\n", n),
    "figures, distinct ids": _distinct_figures,
    "mixed [*`<![](_>": lambda n: _fill("[*`<![](_>", n),
}


def _time_one(name: str, size: int, rounds: int) -> dict:
    """Runs in the child: render the input `rounds` times (after one warm-up)."""
    source = SEED.read_text(encoding="utf-8") if name == "seed" else WORST_CASES[name](size)
    html = render(source).html  # warm-up (imports, compiled patterns)
    cpu, wall = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        render(source)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return {"chars": len(source), "html": len(html), "cpu": cpu, "wall": wall}


def _measure(name: str, size: int, rounds: int, timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", name, "--size", str(size)]
    command += ["--rounds", str(rounds)]
    try:
        completed = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"timed_out": True}
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="characters per input (default: the limit)")
    parser.add_argument("--rounds", type=int, default=3, help="timed renders per input")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before giving up")
    parser.add_argument("--only", nargs="*", help="names of the inputs to run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(_time_one(args.child, args.size, args.rounds)))
        return 0

    size = args.size or BODY_MAX_CHARS
    names = args.only or list(WORST_CASES)
    print(f"# Markdown worst cases at {size:,} characters")
    print()
    host = machine()
    print(f"- Machine: {host['cpu']}, {host['cores']} cores, {host['memory']}, ", end="")
    print(f"Python {host['python']}")
    print(f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"- Load average before the run (1 / 5 / 15 min): {load}")
    print(
        f"- Rounds: {args.rounds} timed renders per input (+1 warm-up). The bound, "
        f"{BOUND_SECONDS:g} s, is on the worst CPU time: what a render costs a worker. Wall "
        "time adds any wait for a core, which on a shared machine is not the renderer's."
    )
    print()
    print("| input | chars | worst CPU ms | median CPU ms | worst wall ms | HTML bytes | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    failures = 0
    for name in [*names, "seed"]:
        result = _measure(name, size, args.rounds, args.timeout)
        label = "seeded guide article" if name == "seed" else name
        if result.get("timed_out"):
            failures += 1
            print(f"| {label} | {size:,} | | | > {args.timeout * 1000:,.0f} | | TIMED OUT |")
            continue
        if "error" in result:
            failures += 1
            print(f"| {label} | {size:,} | | | | | ERROR {result['error']} |")
            continue
        worst = max(result["cpu"])
        verdict = "ok" if worst <= BOUND_SECONDS else "OVER THE BOUND"
        failures += worst > BOUND_SECONDS
        print(
            f"| {label} | {result['chars']:,} | {worst * 1000:,.1f} | "
            f"{statistics.median(result['cpu']) * 1000:,.1f} | {max(result['wall']) * 1000:,.1f} | "
            f"{result['html']:,} | {verdict} |",
            flush=True,
        )
    print()
    if failures:
        print(f"{failures} input(s) over {BOUND_SECONDS} s or failed.", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
