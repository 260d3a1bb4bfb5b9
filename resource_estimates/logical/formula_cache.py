"""An on-disk cache of symbolic cost formulas that take seconds to build, keyed by the code.

The error budget needs the run's cost at a dozen (amplitude bits, phase bits) points
(:mod:`resource_estimates.error_budget.knob_costs`); each is a symbolic formula in n built from the
bloqs in ~0.3–1 s. The formulas depend only on the code (our bloqs and costing, Qualtran, sympy),
never on the data or on n, so they are stored once per code version and read back in milliseconds
by every later report. The report's ``error_budget`` section is stored the same way, under a digest
of its inputs (:mod:`resource_estimates.report.error_budget_section`), and so are one run's
counts per variant, bloq sizes and QRAM model
(:func:`resource_estimates.costing.concrete.run_counts`). Entries keep their key order (a section
reads back as it was written).

The cache key includes a fingerprint of the code: a SHA-256 of every ``.py`` file of the
``bloqs`` and ``resource_estimates`` packages and the Qualtran and sympy versions. Any change to
the code starts a fresh cache file, so a stale formula is never read. Location:
``$QNTK_COMPILE_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/qntk-compile`` or
``~/.cache/qntk-compile``; ``QNTK_COMPILE_CACHE_DIR=off`` disables it. A cache that cannot be
read or written is ignored (the formulas are then built, as without a cache).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "code_fingerprint", "fingerprint_files", "load", "store"]

_PACKAGES = ("bloqs", "resource_estimates")


def cache_dir() -> Path | None:
    """Directory of the cache files (``None`` when disabled)."""
    env = os.environ.get("QNTK_COMPILE_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qntk-compile"


def fingerprint_files() -> list[Path]:
    """The source files the fingerprint covers: every module of :data:`_PACKAGES` (the
    repository root is two levels above this module, ``resource_estimates/logical/``)."""
    root = Path(__file__).resolve().parents[2]
    return [p for pkg in _PACKAGES for p in sorted((root / pkg).rglob("*.py"))]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the source of the packages the formulas come from and the library
    versions."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for path in fingerprint_files():
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    for dist in ("qualtran", "sympy"):
        try:
            h.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()[:20]


def _path(kind: str) -> Path | None:
    base = cache_dir()
    return None if base is None else base / f"{kind}-{code_fingerprint()}.json"


_MEMORY: dict[str, dict[str, Any]] = {}


def _entries(kind: str) -> dict[str, Any]:
    if kind not in _MEMORY:
        path = _path(kind)
        data: dict[str, Any] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
        _MEMORY[kind] = data if isinstance(data, dict) else {}
    return _MEMORY[kind]


def load(kind: str, key: str) -> Any | None:
    """A copy of the stored value of ``key`` (``None`` when absent)."""
    return copy.deepcopy(_entries(kind).get(key))


def store(kind: str, key: str, value: Any) -> None:
    """Store ``value`` (JSON-ready) under ``key``; written atomically, errors ignored."""
    entries = _entries(kind)
    entries[key] = copy.deepcopy(value)
    path = _path(kind)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        on_disk = {}
        if path.is_file():  # another process may have added entries meanwhile
            try:
                on_disk = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                on_disk = {}
        merged = {**(on_disk if isinstance(on_disk, dict) else {}), **entries}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(merged, fh)  # insertion order: a section reads back as written
        os.replace(tmp, path)
    except OSError:
        return
