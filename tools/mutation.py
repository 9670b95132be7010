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

Mutants reviewed as equivalent (no test could tell them apart) are listed with
their reason in tools/mutation_equivalent.txt and left out of the percentage.
"""

from __future__ import annotations

import argparse
import ast
import copy
import enum
import importlib
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "tools" / "mutation_equivalent.txt"
# Calls whose string arguments are wording for people, not decisions: changing
# a translated sentence is a copy edit, pinned where it matters by value swaps.
TRANSLATION_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}

_OPERATOR_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
}
_COMPARE_SWAPS = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.And: "and",
    ast.Or: "or",
}


@dataclass(frozen=True)
class Mutant:
    path: str
    line: int
    column: int
    line_text: str
    change: str
    source: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.line_text, self.change)


# --- Making the mutants -------------------------------------------------------------


class _Source:
    """The module's text, addressable by the byte offsets ast gives."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode()
        self.line_starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.lines = text.splitlines()

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.line_starts[node.lineno - 1] + node.col_offset
        end = self.line_starts[node.end_lineno - 1] + node.end_col_offset
        return start, end

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.data[start:end].decode()

    def replace(self, node: ast.AST, text: str) -> str:
        start, end = self.span(node)
        return (self.data[:start] + text.encode() + self.data[end:]).decode()


def _docstring_nodes(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _assigns_all(node: ast.AST) -> bool:
    return isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
    )


def _quiet_strings(tree: ast.Module) -> set[int]:
    """String constants that are wording or names, not decisions: docstrings, translated
    sentences, f-string parts, exception messages, `__all__`."""
    quiet = _docstring_nodes(tree)

    def mark(subtree: ast.AST) -> None:
        quiet.update(id(n) for n in ast.walk(subtree) if isinstance(n, ast.Constant))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in TRANSLATION_CALLS:
                mark(node)
        elif isinstance(node, ast.JoinedStr | ast.Raise) or _assigns_all(node):
            mark(node)
    return quiet


def _annotation_nodes(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.arg):
            annotation = node.annotation
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotation = node.returns
        else:
            continue
        if annotation is not None:
            found.update(id(n) for n in ast.walk(annotation))
    return found


def _module_globals(module_name: str) -> dict:
    try:
        return vars(importlib.import_module(module_name))
    except Exception:  # noqa: BLE001 - enum swaps are a bonus; without them the rest still runs
        return {}


def _table_entries(tree: ast.Module) -> set[int]:
    """Names and attributes written as entries of a table: dict keys and values, set,
    tuple and list members (nested ones too), keyword values. An enum member there is
    a decision (which status leads where, which text goes with which case); elsewhere
    it sits in a comparison that the operator swaps already cover."""
    found: set[int] = set()

    def entries(node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Dict):
            return [n for n in (*node.keys, *node.values) if n is not None]
        if isinstance(node, ast.Set | ast.Tuple | ast.List):
            return list(node.elts)
        if isinstance(node, ast.keyword):
            return [node.value]
        return []

    for node in ast.walk(tree):
        stack = entries(node)
        while stack:
            entry = stack.pop()
            if isinstance(entry, ast.Attribute | ast.Name) and isinstance(entry.ctx, ast.Load):
                found.add(id(entry))
            elif isinstance(entry, ast.Tuple | ast.IfExp):
                stack.extend(
                    entry.elts if isinstance(entry, ast.Tuple) else [entry.body, entry.orelse]
                )
    return found


def _enum_swap(node: ast.AST, names: dict) -> str | None:
    """The next member of the enum this expression names, as source text."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = names.get(node.value.id)
        if isinstance(owner, enum.EnumMeta) and node.attr in owner.__members__:
            members = list(owner)
            if len(members) > 1:
                nxt = members[(members.index(owner[node.attr]) + 1) % len(members)]
                return f"{node.value.id}.{nxt.name}"
    if isinstance(node, ast.Name) and isinstance(names.get(node.id), enum.Enum):
        member = names[node.id]
        members = list(type(member))
        owner_name = type(member).__name__
        if len(members) > 1 and names.get(owner_name) is type(member):
            nxt = members[(members.index(member) + 1) % len(members)]
            return f"{owner_name}.{nxt.name}"
    return None


def _swap(old: ast.AST, new: ast.AST) -> str:
    return f"`{_SYMBOL[type(old)]}` -> `{_SYMBOL[type(new)]}`"


def _parenthesised(node: ast.AST) -> str:
    return f"({ast.unparse(node)})"


def mutants_of(path: Path, module_name: str) -> list[Mutant]:
    text = path.read_text(encoding="utf-8")
    src = _Source(text)
    tree = ast.parse(text)
    quiet = _quiet_strings(tree)
    annotations = _annotation_nodes(tree)
    names = _module_globals(module_name)
    in_tables = _table_entries(tree)
    original = ast.dump(tree)
    relpath = str(path.resolve().relative_to(ROOT))
    found: list[Mutant] = []
    seen: set[str] = set()

    def add(node: ast.AST, replacement: str, change: str) -> None:
        mutated = src.replace(node, replacement)
        try:
            mutated_tree = ast.parse(mutated)
        except SyntaxError:
            return
        if ast.dump(mutated_tree) == original or mutated in seen:
            return
        seen.add(mutated)
        line_text = src.lines[node.lineno - 1].strip()
        found.append(Mutant(relpath, node.lineno, node.col_offset, line_text, change, mutated))

    for node in ast.walk(tree):
        if id(node) in annotations:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATOR_SWAPS:
            new = copy.deepcopy(node)
            new.op = _OPERATOR_SWAPS[type(node.op)]()
            add(
                node,
                _parenthesised(new),
                _swap(node.op, new.op),
            )
        elif isinstance(node, ast.AugAssign) and type(node.op) in _OPERATOR_SWAPS:
            new = copy.deepcopy(node)
            new.op = _OPERATOR_SWAPS[type(node.op)]()
            add(
                node,
                ast.unparse(new),
                f"`{_SYMBOL[type(node.op)]}=` -> `{_SYMBOL[type(new.op)]}=`",
            )
        elif isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) not in _COMPARE_SWAPS:
                    continue
                new = copy.deepcopy(node)
                new.ops[i] = _COMPARE_SWAPS[type(op)]()
                add(
                    node,
                    _parenthesised(new),
                    _swap(op, new.ops[i]),
                )
        elif isinstance(node, ast.BoolOp):
            new = copy.deepcopy(node)
            new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            add(
                node,
                _parenthesised(new),
                _swap(node.op, new.op),
            )
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(node, _parenthesised(node.operand), "`not` dropped")
        elif isinstance(node, ast.Constant) and id(node) not in quiet:
            value = node.value
            if isinstance(value, bool):
                add(node, repr(not value), f"`{value}` -> `{not value}`")
            elif isinstance(value, int):
                for new_value in (value + 1, value - 1):
                    add(node, f"({new_value})", f"`{value}` -> `{new_value}`")
            elif isinstance(value, str):
                add(node, repr(f"XX{value}XX"), f"{value!r} -> {f'XX{value}XX'!r}")
        elif id(node) in in_tables:
            swapped = _enum_swap(node, names)
            if swapped is not None:
                add(node, swapped, f"`{src.segment(node)}` -> `{swapped}`")
        if isinstance(node, ast.Dict) and len(node.values) > 1 and None not in node.keys:
            for i, (key, value) in enumerate(zip(node.keys, node.values, strict=True)):
                j = (i + 1) % len(node.values)
                other = src.segment(node.values[j])
                if other != src.segment(value):
                    add(
                        value,
                        other,
                        f"value of `{src.segment(key)}` -> that of `{src.segment(node.keys[j])}`",
                    )
        if isinstance(node, ast.Set) and len(node.elts) > 1:
            for i, element in enumerate(node.elts):
                new = copy.deepcopy(node)
                del new.elts[i]
                add(node, ast.unparse(new), f"`{src.segment(element)}` left out of the set")
    found.sort(key=lambda m: (m.line, m.column, m.change))
    return found


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
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "mutation-only")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.chdir(ROOT)
    import django

    django.setup()
    _warm_up()

    equivalents = read_equivalents()
    if args.list:
        for path in args.modules:
            module_name = ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)
            for mutant in mutants_of(path.resolve(), module_name):
                mark = " (equivalent)" if mutant.key in equivalents else ""
                print(f"{mutant.where}: {mutant.change}{mark}")
        return 0

    rows = []
    started = time.monotonic()
    for path in args.modules:
        print(f"{path}:", flush=True)
        counts = run_module(
            path.resolve(), equivalents, show_equivalent=args.show_equivalent, only=args.only
        )
        rows.append((str(path), counts))

    print()
    print("| module | mutants | killed | survived | equivalent | killed of non-equivalent |")
    print("|---|---:|---:|---:|---:|---:|")
    total = {"mutants": 0, "killed": 0, "survived": 0, "equivalent": 0}
    failing = []
    for name, counts in rows:
        for key in total:
            total[key] += counts[key]
        share = _percent(counts["killed"], counts["survived"])
        print(
            f"| {name} | {counts['mutants']} | {counts['killed']} | {counts['survived']} "
            f"| {counts['equivalent']} | {share} |"
        )
        live = counts["killed"] + counts["survived"]
        if live and 100 * counts["killed"] / live < args.min:
            failing.append(name)
    if len(rows) > 1:
        print(
            f"| all | {total['mutants']} | {total['killed']} | {total['survived']} "
            f"| {total['equivalent']} | {_percent(total['killed'], total['survived'])} |"
        )
    print(f"\n({time.monotonic() - started:.0f} s)")
    survivors = [m for _, counts in rows for m in counts["survivors"]]
    if survivors:
        print("\nSurviving mutants:")
        for mutant in survivors:
            print(f"  {mutant.where}: {mutant.change}    [{mutant.line_text}]")
    if failing:
        print(f"\nBelow {args.min:.0f}% killed: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
