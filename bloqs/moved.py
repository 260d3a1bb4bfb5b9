"""Old import paths of modules that moved into subpackages keep working (with a warning).

The flat modules of ``qntk_compile`` and ``resource_estimates`` moved into subpackages named
after their concern (``docs/dev/architecture.md`` lists every move). Code written against the old
paths keeps importing: :func:`alias_moved_modules` makes ``import OLD`` return the module at its
new path (the same module object, so ``unittest.mock.patch("OLD.name")`` patches the real one),
and :func:`forward_to` lets a package that took the place of a module of the same name (e.g.
``resource_estimates.logical``) answer that module's public names lazily. Both emit a
``DeprecationWarning`` naming the new path.

This module imports nothing of the project: any layer may use it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["alias_moved_modules", "forward_to"]


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module name and loads it as the module at its new path."""

    def __init__(self, moves: Mapping[str, str]):
        self.moves = dict(moves)

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.moves:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = self.moves[spec.name]
        warnings.warn(
            f"{spec.name} moved to {new}; import it from there", DeprecationWarning, stacklevel=2
        )
        return importlib.import_module(new)

    def exec_module(self, module):
        # the module at its new path is already executed; importlib has stored it under the old
        # name as well, so both names give the same object
        return None


def alias_moved_modules(moves: Mapping[str, str]) -> None:
    """Make every old dotted module name in ``moves`` import the module at its new name. An old
    name that is now a package (the module became ``OLD.something``) is left to the package,
    which forwards the old module's names with :func:`forward_to`."""
    aliases = {old: new for old, new in moves.items() if not new.startswith(old + ".")}
    sys.meta_path.insert(0, _MovedModuleFinder(aliases))


def forward_to(package: str, module: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that answers the public names (``__all__``) of
    ``module``, the module that ``package`` replaced, importing it only when asked."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__") or importlib.util.find_spec(f"{package}.{name}") is not None:
            raise AttributeError(name)  # a submodule: the import system loads it
        target = importlib.import_module(module)
        if name not in getattr(target, "__all__", ()):
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        warnings.warn(
            f"{package}.{name} moved to {module}.{name}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(target, name)

    return __getattr__
