"""The kernel tabulation grid of :class:`~resource_estimates.error_budget.model.KernelSensitivity`
and the few tabulations a process keeps, so a report that builds several budgets with the same
kernel (the section, the cost-vs-P curve, the data band, the knob growth) tabulates it once and
reuses the moduli already maximised on it."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

__all__ = ["CACHE_SIZE", "grid", "recall", "remember"]

#: How many tabulations are kept (a report uses ~15: the kernel at n and at the data band's ends,
#: and at the knob-growth sizes).
CACHE_SIZE = 16
_KEPT: OrderedDict = OrderedDict()
_GRID: list[np.ndarray] = []


def grid() -> np.ndarray:
    """ρ of the tabulation: 0 and ±1 ∓ x for x geometric from 10⁻¹⁶ to 1 (150,000 points a side,
    so the steep region next to ρ = 1 − δ̂ is resolved); read-only, built once."""
    if not _GRID:
        x = np.concatenate([[0.0], np.geomspace(1e-16, 1.0, 150_000)])
        rho = np.unique(np.clip(np.concatenate([1.0 - x, x - 1.0]), -1.0, 1.0))
        rho.setflags(write=False)
        _GRID.append(rho)
    return _GRID[0]


def recall(key) -> Any | None:
    """The tabulation stored under ``key`` (``None`` if none), now the most recent."""
    if key not in _KEPT:
        return None
    _KEPT.move_to_end(key)
    return _KEPT[key]


def remember(key, tabulation: Any) -> Any:
    """Keep ``tabulation`` under ``key``; the oldest go beyond :data:`CACHE_SIZE` (two keys per
    tabulation at most: its kernel's ``cache_key`` and its values' digest)."""
    _KEPT[key] = tabulation
    _KEPT.move_to_end(key)
    while len(_KEPT) > 2 * CACHE_SIZE:
        _KEPT.popitem(last=False)
    return tabulation
