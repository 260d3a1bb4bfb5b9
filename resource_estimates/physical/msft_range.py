"""The input range of Microsoft's resource estimator (``qdk.estimator``), checked before a call.

The estimator computes in unsigned 64-bit integers: its inputs, the product logical qubits ×
logical depth (behind its required error rate per qubit and cycle, hence its code distance) and
its runtime in nanoseconds. Past any of them it wraps around silently, and at some counts it does
not return at all (measured with qdk 1.33 on 127 logical qubits, as many measurements as CCZ:
6·10¹⁷ and 10¹⁸ CCZ gave no answer within a minute; 5.6·10¹⁷ and 1.8·10¹⁸ answered in 0.01 s
with wrapped numbers). :func:`msft_range_reason`
says, from the counts alone and in microseconds, when an input is past that range, using the
estimator's own formulas (Beverland et al. 2022, arXiv:2211.07629, App. D) as lower bounds.
"""

from __future__ import annotations

import math

__all__ = [
    "U64_MAX",
    "MSFT_QUBIT_MODELS",
    "msft_runtime_lower_bound_ns",
    "msft_range_reason",
]

U64_MAX = 2**64 - 1


#: The estimator's six predefined qubit models (their ``jobParams`` in qdk 1.33, after Beverland
#: et al. 2022, arXiv:2211.07629): logical cycle time per unit of code distance (ns),
#: physical error rate p, surface-code threshold p* and crossing prefactor a of the logical error
#: rate per qubit and cycle, a·(p/p*)^((d+1)/2). A test checks them against the estimator.
MSFT_QUBIT_MODELS: dict[str, tuple[int, float, float, float]] = {
    "qubit_gate_ns_e3": (400, 1e-3, 0.01, 0.03),  # (4·50 ns gates + 2·100 ns measurements)·d
    "qubit_gate_ns_e4": (400, 1e-4, 0.01, 0.03),
    "qubit_gate_us_e3": (600_000, 1e-3, 0.01, 0.03),  # (4·100 µs + 2·100 µs)·d
    "qubit_gate_us_e4": (600_000, 1e-4, 0.01, 0.03),
    "qubit_maj_ns_e4": (2_000, 1e-4, 0.0015, 0.08),  # 20·100 ns measurements·d
    "qubit_maj_ns_e6": (2_000, 1e-6, 0.0015, 0.08),
}


def _msft_qubits_and_depth(lc: dict[str, int]) -> tuple[int, int]:
    """Algorithmic logical qubits Q (Beverland et al. 2022, App. D: the fast data block of
    Litinski 2019, arXiv:1808.02892) and a lower bound of the logical depth D (Beverland et al.
    Eq. D3 without its rotation-synthesis term)."""
    nq = lc["numQubits"]
    root = math.isqrt(8 * nq)
    q_alg = 2 * nq + root + (root * root < 8 * nq) + 1  # 2·nq + ⌈√(8·nq)⌉ + 1
    depth = (
        lc["measurementCount"]
        + lc["rotationCount"]
        + lc["tCount"]
        + 3 * (lc["cczCount"] + lc["ccixCount"])
    )
    return q_alg, depth


def msft_runtime_lower_bound_ns(lc: dict[str, int], qubit: str, error_budget: float) -> int:
    """A lower bound of the Microsoft estimator's runtime (ns) for logical counts ``lc``.

    Beverland et al. 2022 (arXiv:2211.07629, App. D): algorithmic logical qubits
    Q = 2·numQubits + ⌈√(8·numQubits)⌉ + 1; logical depth
    D ≥ measurements + rotations + T + 3·(CCZ + CCiX) (Eq. D3 without the rotation-synthesis
    term); the code distance d is at least the smallest with a·(p/p*)^((d+1)/2) ≤ ε/(Q·D) (the
    whole budget ε, of which the estimator gives the logical qubits only a part); runtime ≥
    D·d·(cycle time per distance). A qubit model not in :data:`MSFT_QUBIT_MODELS` gives 0 (no
    bound; the time limit still applies).
    """
    if qubit not in MSFT_QUBIT_MODELS:
        return 0
    cycle_per_d, p, p_star, prefactor = MSFT_QUBIT_MODELS[qubit]
    q_alg, depth = _msft_qubits_and_depth(lc)
    if depth == 0:
        return 0
    target = error_budget / (q_alg * depth)
    distance = 1
    if target < prefactor:  # a·r^((d+1)/2) ≤ target  ⇔  d ≥ 2·ln(target/a)/ln(r) − 1
        exact = 2 * math.log(target / prefactor) / math.log(p / p_star) - 1
        distance = max(1, math.ceil(exact - 1e-9))  # the margin keeps rounding from overshooting
    return depth * distance * cycle_per_d


def msft_range_reason(lc: dict[str, int], qubit: str, error_budget: float) -> str | None:
    """Why the estimator cannot answer these counts correctly (its arithmetic is u64), or None."""
    if any(v > U64_MAX for v in lc.values()):
        return "a count exceeds the estimator's u64 input range"
    q_alg, depth = _msft_qubits_and_depth(lc)
    if q_alg * depth > U64_MAX:
        return (
            f"logical qubits x depth >= {float(q_alg * depth):.3g} exceeds the estimator's u64 "
            "arithmetic (its error rate per qubit and cycle, hence its code distance, would wrap)"
        )
    bound = msft_runtime_lower_bound_ns(lc, qubit, error_budget)
    if bound > U64_MAX:
        return (
            f"runtime >= {float(bound):.3g} ns (a lower bound from the counts) exceeds the "
            "estimator's u64 nanoseconds (it would wrap around or not return)"
        )
    return None
