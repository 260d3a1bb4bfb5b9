"""JSON-ready numbers and formula strings, as every report section prints them."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import sympy

from resource_estimates.logical.counts import evaluate, to_latex

__all__ = ["formula_strings", "json_number"]


def json_number(x: Any) -> Any:
    """JSON-ready number: int when integral (exact), else float."""
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    if isinstance(x, sympy.Basic):
        x = evaluate(x, {})
        if isinstance(x, sympy.Basic):
            return str(x)
        return json_number(x)
    if isinstance(x, float):
        if math.isfinite(x) and x == int(x) and abs(x) < 2**53:
            return int(x)
        return x
    return x


def formula_strings(expr: Any) -> dict[str, str]:
    """``{"expr": sympy text, "latex": LaTeX}`` of a formula."""
    return dict(_formula_strings(sympy.sympify(expr)))


@lru_cache(maxsize=4096)
def _formula_strings(e: sympy.Basic) -> tuple:
    """Printing is slow (~2 ms an expression) and formulas do not depend on n: cache it."""
    return (("expr", str(e)), ("latex", to_latex(e)))
