"""The mutants of one module, for tools/mutation.py: each a copy of the module's
source with one small change (the changes are listed in that module's docstring).

Found by walking the module's syntax tree; a change that does not parse, parses
to the same tree, or repeats another is dropped.
"""

from __future__ import annotations

import ast
import copy
import enum
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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
    context = _Context(
        src=src,
        quiet=_quiet_strings(tree),
        names=_module_globals(module_name),
        in_tables=_table_entries(tree),
    )
    annotations = _annotation_nodes(tree)
    original = ast.dump(tree)
    relpath = str(path.resolve().relative_to(ROOT))
    found: list[Mutant] = []
    seen: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in annotations:
            continue
        for target, replacement, change in _changes(node, context):
            mutated = src.replace(target, replacement)
            try:
                mutated_tree = ast.parse(mutated)
            except SyntaxError:
                continue
            # A change that parses to the same tree (or repeats one) is no mutant.
            if ast.dump(mutated_tree) == original or mutated in seen:
                continue
            seen.add(mutated)
            line_text = src.lines[target.lineno - 1].strip()
            found.append(
                Mutant(relpath, target.lineno, target.col_offset, line_text, change, mutated)
            )
    found.sort(key=lambda m: (m.line, m.column, m.change))
    return found


@dataclass(frozen=True)
class _Context:
    src: _Source
    quiet: set[int]  # strings never mutated: docstrings, `__all__`, translated wording
    names: dict  # the module's globals, to find the enum a table entry names
    in_tables: set[int]  # enum members written as entries of module-level tables


# A change: the node to replace, the source text replacing it, and how to say it.
_Change = tuple[ast.AST, str, str]


def _changes(node: ast.AST, context: _Context) -> Iterator[_Change]:
    yield from _operator_changes(node)
    yield from _value_changes(node, context)
    yield from _container_changes(node, context.src)


def _operator_changes(node: ast.AST) -> Iterator[_Change]:
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATOR_SWAPS:
        new = copy.deepcopy(node)
        new.op = _OPERATOR_SWAPS[type(node.op)]()
        yield node, _parenthesised(new), _swap(node.op, new.op)
    elif isinstance(node, ast.AugAssign) and type(node.op) in _OPERATOR_SWAPS:
        new = copy.deepcopy(node)
        new.op = _OPERATOR_SWAPS[type(node.op)]()
        change = f"`{_SYMBOL[type(node.op)]}=` -> `{_SYMBOL[type(new.op)]}=`"
        yield node, ast.unparse(new), change
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARE_SWAPS:
                new = copy.deepcopy(node)
                new.ops[i] = _COMPARE_SWAPS[type(op)]()
                yield node, _parenthesised(new), _swap(op, new.ops[i])
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield node, _parenthesised(new), _swap(node.op, new.op)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield node, _parenthesised(node.operand), "`not` dropped"


def _value_changes(node: ast.AST, context: _Context) -> Iterator[_Change]:
    if isinstance(node, ast.Constant) and id(node) not in context.quiet:
        value = node.value
        if isinstance(value, bool):
            yield node, repr(not value), f"`{value}` -> `{not value}`"
        elif isinstance(value, int):
            for new_value in (value + 1, value - 1):
                yield node, f"({new_value})", f"`{value}` -> `{new_value}`"
        elif isinstance(value, str):
            yield node, repr(f"XX{value}XX"), f"{value!r} -> {f'XX{value}XX'!r}"
    elif id(node) in context.in_tables:
        swapped = _enum_swap(node, context.names)
        if swapped is not None:
            yield node, swapped, f"`{context.src.segment(node)}` -> `{swapped}`"


def _container_changes(node: ast.AST, src: _Source) -> Iterator[_Change]:
    if isinstance(node, ast.Dict) and len(node.values) > 1 and None not in node.keys:
        # Each value swapped with the next entry's: a table that maps wrongly.
        for i, (key, value) in enumerate(zip(node.keys, node.values, strict=True)):
            j = (i + 1) % len(node.values)
            other = src.segment(node.values[j])
            if other != src.segment(value):
                change = f"value of `{src.segment(key)}` -> that of `{src.segment(node.keys[j])}`"
                yield value, other, change
    if isinstance(node, ast.Set) and len(node.elts) > 1:
        for i, element in enumerate(node.elts):
            new = copy.deepcopy(node)
            del new.elts[i]
            yield node, ast.unparse(new), f"`{src.segment(element)}` left out of the set"
