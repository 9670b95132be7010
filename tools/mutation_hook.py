"""pytest plugin for `tools/mutation.py`: imports one module from a mutated source.

Loaded with `-p mutation_hook` (tools/ on PYTHONPATH). MUTANT_MODULE names the
module ("claims.workflow"), MUTANT_SOURCE the file holding its mutated text. The
module keeps its real `__file__`, so tracebacks and relative imports still work,
and the mutant never touches the working tree or the bytecode cache.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

_MODULE = os.environ.get("MUTANT_MODULE")
_SOURCE = os.environ.get("MUTANT_SOURCE")


class _MutantLoader(importlib.abc.Loader):
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        with open(_SOURCE, encoding="utf-8") as handle:
            code = compile(handle.read(), self.origin, "exec")
        exec(code, module.__dict__)  # noqa: S102 - the point of the tool


class _MutantFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != _MODULE:
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname, path)
        if real is None or real.origin is None:
            return None
        spec = importlib.util.spec_from_loader(fullname, _MutantLoader(real.origin))
        spec.origin = real.origin
        spec.has_location = True
        return spec


if _MODULE and _SOURCE:
    sys.meta_path.insert(0, _MutantFinder())
