"""Classical baselines for the same job (train on n points, classify one test point x*).

Operation counts (floating-point operations, leading terms with their constants) and wall-clock
time on a stated machine model:

* **exact NTK**: kernel matrix n²·(2d + c_L·L) (inner products, then the depth-L recursion per
  entry), Cholesky n³/3, two triangular solves 2n², the test kernel n·(2d + c_L·L) and the dot
  product 2n — O(n²d + n³); memory 8n² bytes.
* **sparsified NTK by conjugate gradients** on K̃ (s nonzeros a row): building K̃
  n·s·(2d + c_L·L), then ⌈√κ·ln(2/ε)⌉ iterations of (2ns + 10n) flops — O(n·s·√κ·log 1/ε);
  memory 12·n·s bytes (CSR).
* **diagonal NTK**: the test kernel n·(2d + c_L·L) and the weighted sign sum 2n — O(nd).

c_L = 10 flops per layer per kernel entry (two arcsin-type dual-activation evaluations and the
update T ← σ̂(S) + σ̇̂(S)·T of Arora et al. 2019, arXiv:1904.11955, Thm 3.1, counted as 10
flops; ``docs/classical_reference.md``). The machine model is
:class:`MachineModel` (default 10¹² flop/s sustained, one multicore node; stated in every report).

The quantum side of the crossover is supplied by the caller as a function n → seconds
(:func:`crossover_n`), searched over n = 2^k only (never enumerating n).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy
from qualtran.symbolics import SymbolicFloat, SymbolicInt, ceil, is_symbolic, ln, ssqrt

__all__ = [
    "MachineModel",
    "FLOPS_PER_LAYER",
    "METHODS",
    "exact_ntk_flops",
    "cg_sparse_flops",
    "cg_iterations",
    "diagonal_ntk_flops",
    "memory_bytes",
    "classical_costs",
    "crossover_n",
]

FLOPS_PER_LAYER = 10
METHODS = ("exact", "cg_sparse", "diagonal")


@dataclass(frozen=True)
class MachineModel:
    """The classical machine: sustained flop rate and memory.

    Attributes:
        flops_per_second: sustained double-precision rate (default 10¹², one multicore node).
        memory_bytes: available memory (default 1 TiB); a method needing more is flagged.
        name: a label for reports.
    """

    flops_per_second: float = 1e12
    memory_bytes: float = 2.0**40
    name: str = "one node, 1e12 flop/s sustained, 1 TiB memory"

    def __post_init__(self):
        for f in ("flops_per_second", "memory_bytes"):
            v = getattr(self, f)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(f"{f} must be a positive finite number, got {v!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "flops_per_second": self.flops_per_second,
            "memory_bytes": self.memory_bytes,
            "name": self.name,
        }


def _kernel_entry(d: SymbolicInt, depth: SymbolicInt) -> SymbolicInt:
    return 2 * d + FLOPS_PER_LAYER * depth


def exact_ntk_flops(n: SymbolicInt, d: SymbolicInt, depth: SymbolicInt) -> SymbolicFloat:
    """Exact NTK train + predict: n²(2d + c_L L) + n³/3 + 2n² + n(2d + c_L L) + 2n."""
    k = _kernel_entry(d, depth)
    third = sympy.Rational(1, 3) if is_symbolic(n, d, depth) else 1 / 3
    return n**2 * k + third * n**3 + 2 * n**2 + n * k + 2 * n


def cg_iterations(kappa: SymbolicFloat, epsilon: SymbolicFloat) -> SymbolicInt:
    """Conjugate-gradient iterations to relative error ε: ⌈√κ·ln(2/ε)⌉."""
    return ceil(ssqrt(kappa) * ln(2 / epsilon))


def cg_sparse_flops(
    n: SymbolicInt,
    d: SymbolicInt,
    depth: SymbolicInt,
    s: SymbolicInt,
    kappa: SymbolicFloat,
    epsilon: SymbolicFloat,
) -> SymbolicFloat:
    """Sparsified NTK by CG: n·s·(2d + c_L L) + iterations·(2ns + 10n) + n(2d + c_L L) + 2n."""
    k = _kernel_entry(d, depth)
    return n * s * k + cg_iterations(kappa, epsilon) * (2 * n * s + 10 * n) + n * k + 2 * n


def diagonal_ntk_flops(n: SymbolicInt, d: SymbolicInt, depth: SymbolicInt) -> SymbolicFloat:
    """Diagonal NTK predict: n(2d + c_L L) + 2n."""
    return n * _kernel_entry(d, depth) + 2 * n


def memory_bytes(method: str, n: SymbolicInt, d: SymbolicInt, s: SymbolicInt = 1) -> Any:
    """Memory in bytes (float64): data 8nd plus 8n² (exact), 12ns (CSR, cg_sparse), 0 (diagonal)."""
    data = 8 * n * d
    if method == "exact":
        return data + 8 * n**2
    if method == "cg_sparse":
        return data + 12 * n * s
    if method == "diagonal":
        return data
    raise ValueError(f"unknown classical method {method!r}; choose one of {METHODS}")


def classical_costs(
    n: int,
    d: int,
    depth: int,
    sparsity: int,
    kappa: float,
    epsilon: float,
    machine: MachineModel = MachineModel(),
) -> dict[str, dict[str, Any]]:
    """Flops, seconds and memory of each method at concrete sizes."""
    if n < 2 or d < 1 or depth < 0 or sparsity < 1:
        raise ValueError(f"need n >= 2, d >= 1, depth >= 0, sparsity >= 1; got {n}, {d}, {depth}")
    if not kappa >= 1 or not 0 < epsilon < 1:
        raise ValueError(f"need kappa >= 1 and 0 < epsilon < 1; got {kappa}, {epsilon}")
    flops = {
        "exact": exact_ntk_flops(n, d, depth),
        "cg_sparse": cg_sparse_flops(n, d, depth, sparsity, kappa, epsilon),
        "diagonal": diagonal_ntk_flops(n, d, depth),
    }
    out = {}
    for method, f in flops.items():
        mem = memory_bytes(method, n, d, sparsity)
        out[method] = {
            "flops": float(f),
            "seconds": float(f) / machine.flops_per_second,
            "memory_bytes": float(mem),
            "fits_in_memory": bool(mem <= machine.memory_bytes),
        }
    out["cg_sparse"]["iterations"] = int(cg_iterations(kappa, epsilon))
    return out


def crossover_n(
    quantum_seconds: Callable[[int], float],
    classical_seconds: Callable[[int], float],
    log2_n_range: tuple[int, int] = (1, 60),
) -> int | None:
    """Smallest n = 2^k in the range with quantum_seconds(n) < classical_seconds(n), else None.

    Only the powers of two in the range are evaluated (≤ 60 points; nothing is enumerated
    over n itself).
    """
    lo, hi = log2_n_range
    for k in range(lo, hi + 1):
        n = 2**k
        q = quantum_seconds(n)
        if q is not None and math.isfinite(q) and q < classical_seconds(n):
            return n
    return None
