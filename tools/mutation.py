"""Mutation testing for the pure claim modules: do their tests pin every decision?

    python tools/mutation.py claims/workflow.py claims/rules.py ...   (or `make mutation`)

For each module, one small change at a time: an operator (`+`/`-`, `==`/`!=`,
`<`/`<=`, `in`/`not in`, `and`/`or`, a dropped `not`), a number (one more, one
less), a boolean, a plain string (not translated wording), an enum member written
as a table entry (the next one of its enum), a mapping's value (the next entry's),
an element left out of a set. Each mutant runs the module's own unit tests
(tests/claims/test_<module>.py, `-x`): a failing test kills it, a green run lets
it survive.

Written here rather than taken from mutmut because the decisions live in
module-level tables (`_CUSTOMER_TEXT`, `DECIDED_STATUSES`, ...) that mutmut 3
does not mutate. Django is set up once; each mutant runs in a fork of the process
with the module's code replaced in memory, so the working tree is never edited.

The mutants are made in tools/mutants.py.

Mutants reviewed as equivalent (no test could tell them apart) are listed with
their reason in tools/mutation_equivalent.txt and left out of the percentage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from mutants import Mutant, mutants_of

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "tools" / "mutation_equivalent.txt"


# --- Reviewed equivalent mutants -------------------------------------------------------


def read_equivalents(path: Path = EQUIVALENT_FILE) -> dict[tuple[str, str, str], str]:
    """Blocks of `file:`, `line:` (its text), `change:`, `why:` lines, blank-line separated."""
    equivalents: dict[tuple[str, str, str], str] = {}
    if not path.exists():
        return equivalents
    block: dict[str, str] = {}

    def flush() -> None:
        if block:
            equivalents[(block["file"], block["line"], block["change"])] = block["why"]
            block.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            continue
        if not raw.strip():
            flush()
            continue
        field, _, value = raw.partition(":")
        block[field.strip()] = value.strip()
    flush()
    return equivalents


# --- Running ----------------------------------------------------------------------------


def tests_for(path: Path) -> Path:
    return ROOT / "tests" / path.parent.relative_to(ROOT) / f"test_{path.stem}.py"


class _KillersFirst:
    """pytest plugin for a mutant's run: the tests that killed earlier mutants run
    first (most mutants fall to the same few), and the first failing test is noted."""

    def __init__(self, killers: list[str], note: Path) -> None:
        self.rank = {nodeid: i for i, nodeid in enumerate(killers)}
        self.note = note

    def pytest_collection_modifyitems(self, items) -> None:
        items.sort(key=lambda item: self.rank.get(item.nodeid, len(self.rank)))

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed and not self.note.exists():
            self.note.write_text(report.nodeid, encoding="utf-8")


def _pytest(
    test_file: Path,
    module_name: str | None,
    source: str | None,
    timeout: float,
    killers: list[str] | None = None,
) -> str:
    """Run the test file in a fork of this process, with the module's code replaced by
    `source`: Django and the test dependencies are imported once, not per mutant."""
    import pytest

    killers = [] if killers is None else killers
    note = Path(tempfile.mkdtemp(prefix="mutant-")) / "killer"
    pid = os.fork()
    if pid == 0:  # the child: mutate, test, exit with pytest's status
        status = 4
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            if module_name is not None:
                module = importlib.import_module(module_name)
                # Executed into the module object itself: code that reaches it as
                # `module.name` sees the mutant, and the tests import it afresh.
                # A mutant that cannot even be imported fails every test: killed.
                status = 1
                exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
            for name in [n for n in sys.modules if n == "tests" or n.startswith("tests.")]:
                del sys.modules[name]
            status = pytest.main(
                ["-q", "-x", "-p", "no:cacheprovider", str(test_file)],
                plugins=[_KillersFirst(killers, note)],
            )
        finally:
            os._exit(int(status))
    deadline = time.monotonic() + timeout
    result = None
    while result is None:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            result = {0: "survived", 1: "killed", 2: "killed", 3: "killed"}.get(code)
            result = result or f"error {code}"
        elif time.monotonic() > deadline:
            # A mutant that loops (a counter that never reaches zero) is killed by the clock.
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            result = "timeout"
        else:
            time.sleep(0.02)
    if note.exists():
        killer = note.read_text(encoding="utf-8")
        if killer in killers:
            killers.remove(killer)
        killers.insert(0, killer)
    shutil.rmtree(note.parent, ignore_errors=True)
    return result


def _warm_up() -> None:
    """Import pytest's plugins and the tests' shared fixtures once, before any fork."""
    from importlib.metadata import entry_points

    for plugin in entry_points(group="pytest11"):
        try:
            plugin.load()
        except Exception:  # noqa: BLE001, S112 - a plugin that fails here fails in pytest too
            continue
    importlib.import_module("tests.conftest")


def run_module(path: Path, equivalents, *, show_equivalent: bool, only=()) -> dict:
    module_name = ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)
    test_file = tests_for(path)
    mutants = mutants_of(path, module_name)
    if not test_file.exists():
        # No tests at all: nothing could kill a mutant.
        print(f"  no unit tests at {test_file.relative_to(ROOT)}", flush=True)
        live = [m for m in mutants if m.key not in equivalents]
        return {
            "mutants": len(mutants),
            "killed": 0,
            "survived": len(live),
            "equivalent": len(mutants) - len(live),
            "survivors": live,
        }
    started = time.monotonic()
    outcome = _pytest(test_file, None, None, timeout=600)
    if outcome != "survived":
        raise SystemExit(f"{test_file.relative_to(ROOT)} does not pass unmutated ({outcome})")
    timeout = max(10.0, 4 * (time.monotonic() - started))

    counts = {"mutants": len(mutants), "killed": 0, "survived": 0, "equivalent": 0}
    killers: list[str] = []
    survivors: list[Mutant] = []
    if only:
        mutants = [m for m in mutants if any(m.where.startswith(w) for w in only)]
        counts["mutants"] = len(mutants)
    for number, mutant in enumerate(mutants, 1):
        if number % 25 == 0:
            print(f"  ... {number}/{len(mutants)}", flush=True)
        if mutant.key in equivalents:
            counts["equivalent"] += 1
            if show_equivalent:
                print(f"  equivalent {mutant.where}: {mutant.change}")
            continue
        result = _pytest(test_file, module_name, mutant.source, timeout, killers)
        if result.startswith("error"):
            raise SystemExit(f"{mutant.where} {mutant.change}: pytest {result}")
        if result == "survived":
            counts["survived"] += 1
            survivors.append(mutant)
            print(f"  survived {mutant.where}: {mutant.change}", flush=True)
        else:
            counts["killed"] += 1
    counts["survivors"] = survivors
    return counts


def _percent(killed: int, survived: int) -> str:
    total = killed + survived
    return f"{100 * killed / total:.1f}%" if total else "-"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    _set_up_django()
    equivalents = read_equivalents()
    if args.list:
        _print_mutants(args.modules, equivalents)
        return 0

    rows = []
    started = time.monotonic()
    for path in args.modules:
        print(f"{path}:", flush=True)
        counts = run_module(
            path.resolve(), equivalents, show_equivalent=args.show_equivalent, only=args.only
        )
        rows.append((str(path), counts))
    _print_table(rows)
    print(f"\n({time.monotonic() - started:.0f} s)")
    survivors = [m for _, counts in rows for m in counts["survivors"]]
    if survivors:
        print("\nSurviving mutants:")
        for mutant in survivors:
            print(f"  {mutant.where}: {mutant.change}    [{mutant.line_text}]")
    failing = [name for name, counts in rows if _below(counts, args.min)]
    if failing:
        print(f"\nBelow {args.min:.0f}% killed: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--show-equivalent", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="FILE:LINE[:COL]",
        help="run only the mutants at these places (repeatable), e.g. to recheck survivors",
    )
    parser.add_argument(
        "--min", type=float, default=0.0, help="fail below this %% killed in any module"
    )
    return parser.parse_args(argv)


def _set_up_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "mutation-only")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.chdir(ROOT)
    import django

    django.setup()
    _warm_up()


def _print_mutants(modules: list[Path], equivalents) -> None:
    for path in modules:
        module_name = ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)
        for mutant in mutants_of(path.resolve(), module_name):
            mark = " (equivalent)" if mutant.key in equivalents else ""
            print(f"{mutant.where}: {mutant.change}{mark}")


def _print_table(rows: list[tuple[str, dict]]) -> None:
    print()
    print("| module | mutants | killed | survived | equivalent | killed of non-equivalent |")
    print("|---|---:|---:|---:|---:|---:|")
    total = {"mutants": 0, "killed": 0, "survived": 0, "equivalent": 0}
    for name, counts in rows:
        for key in total:
            total[key] += counts[key]
        share = _percent(counts["killed"], counts["survived"])
        print(
            f"| {name} | {counts['mutants']} | {counts['killed']} | {counts['survived']} "
            f"| {counts['equivalent']} | {share} |"
        )
    if len(rows) > 1:
        print(
            f"| all | {total['mutants']} | {total['killed']} | {total['survived']} "
            f"| {total['equivalent']} | {_percent(total['killed'], total['survived'])} |"
        )


def _below(counts: dict, minimum: float) -> bool:
    live = counts["killed"] + counts["survived"]
    return bool(live) and 100 * counts["killed"] / live < minimum


if __name__ == "__main__":
    sys.exit(main())
