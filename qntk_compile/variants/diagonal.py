"""The diagonal NTK (Algorithm 1, lines 7–12) as a simulation variant.

* ``build``: :func:`qntk_compile.assembly.diagonal.build_diagonal_ntk` (the very ``DiagonalNTK``
that
  ``qntk-compile report`` costs, built from the problem's padded data and knobs).
* ``read_out``: ``p_readout = Pr(ancilla = 0 | flag = 0)``, ``sign = sign(p_readout − 1/2)``,
  ``p_success = 2·Pr(flag = 0) − 1`` (estimates ``P/n``), and the scratch leak (probability that
  the AE scratch is not back in |0>), Lemma III.7 of the paper.
* ``reference``: the discretised reference of :mod:`qntk_compile.classical.discretised_reference`
(the
  circuit's own finite precision applied classically) and the exact diagonal-NTK prediction of
  :mod:`qntk_compile.classical.reference` (its sign is ``sign_reference``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from qntk_compile.variants.registry import SimulationVariant, register_simulation_variant

__all__ = ["DIAGONAL_SIMULATION", "read_out", "reference", "sign", "format_text"]


def sign(x: float) -> int:
    """Sign with a 1e-12 dead band (0 for an exact tie)."""
    return 0 if abs(x) <= 1e-12 else (1 if x > 0 else -1)


def _build(problem, *, data_access: str = "qrom", amplification_rounds: int = 0):
    from qntk_compile.assembly.diagonal import build_diagonal_ntk

    return build_diagonal_ntk(
        problem, data_access=data_access, amplification_rounds=amplification_rounds
    )


def read_out(res) -> dict[str, Any]:
    """Readout of a simulated ``DiagonalNTK`` (registers ``ancilla``, ``flag``, scratch)."""
    from qntk_compile.assembly.diagonal import SCRATCH_EXCLUDED

    joint = res.marginal("ancilla", "flag")  # [ancilla, flag]
    p_flag0 = float(joint[0, 0] + joint[1, 0])
    p_readout = float(joint[0, 0] / p_flag0) if p_flag0 > 0 else math.nan
    scratch = [name for name in res.registers if name not in SCRATCH_EXCLUDED]
    scratch_leak = 1.0 - res.probability_zero(*scratch) if scratch else 0.0
    return {
        "p_readout_simulated": p_readout,
        "sign_simulated": sign(p_readout - 0.5),
        "p_success_simulated": 2.0 * p_flag0 - 1.0,
        "leak_simulated": max(0.0, scratch_leak),
    }


def reference(problem, *, data_access: str = "qrom", amplification_rounds: int = 0) -> dict:
    """Discretised and exact predictions of the quantities of :func:`read_out`."""
    from qntk_compile.classical import reference as R
    from qntk_compile.classical.discretised_reference import reference_for_problem

    ref = reference_for_problem(problem, amplification_rounds=amplification_rounds)
    exact = float(R.diagonal_prediction(problem))
    return {
        "p_readout_reference": ref.p_readout,
        "p_readout_ideal": ref.p_readout_ideal,
        "sign_reference": sign(exact),
        "sign_discretised": ref.sign,
        "p_success_reference": ref.p_success,
        "p_success_ideal": ref.p_success_ideal,
        "leak_reference": ref.leak,
        "diagonal_prediction_exact": exact,
    }


def format_text(result: Mapping[str, Any]) -> str:
    """The human-readable output of ``qntk-compile simulate`` for this variant."""
    r = result
    lines = [
        f"DiagonalNTK on {r['dataset']}: n={r['n']} (padded {r['n_padded']}), "
        f"d={r['d']} (padded {r['d_padded']}), depth L={r['depth']}"
        + (
            f"; {r['d_original']} features projected to {r['features']} principal directions"
            if r.get("features")
            else ""
        ),
        "knobs: " + ", ".join(f"{k}={v}" for k, v in r["knobs"].items()),
        f"circuit: {r['qubits']} qubits, {r['gates']} gates ({r['toffoli_like']} Toffoli-like, "
        f"{r['rotations']} rotations; QECGatesCost {r['toffoli_like_cost']} / "
        f"{r['rotations_cost']}, match={r['counts_match_cost']})",
        f"simulator: {r['simulator']}, {r['seconds']:.2f} s (build {r['build_seconds']:.2f} s)",
        f"{'':22}{'simulated':>12}{'discretised':>13}{'ideal':>10}",
        f"{'p_readout':22}{r['p_readout_simulated']:>12.6f}{r['p_readout_reference']:>13.6f}"
        f"{r['p_readout_ideal']:>10.6f}",
        f"{'p_success (P/n)':22}{r['p_success_simulated']:>12.6f}"
        f"{r['p_success_reference']:>13.6f}{r['p_success_ideal']:>10.6f}",
        f"{'scratch leak':22}{r['leak_simulated']:>12.2e}{r['leak_reference']:>13.2e}",
        f"sign: simulated {r['sign_simulated']:+d}, discretised {r['sign_discretised']:+d}, "
        f"exact diagonal NTK {r['sign_reference']:+d}",
    ]
    return "\n".join(lines)


DIAGONAL_SIMULATION = SimulationVariant(
    name="diagonal",
    build=_build,
    read_out=read_out,
    reference=reference,
    knobs=("amplitude_bits", "phase_bits", "median_copies", "kernel_bits", "delta_hat"),
    # small enough to simulate (the report's defaults are
    # resource_estimates.variants.registry.KNOB_SPECS)
    knob_defaults={"amplitude_bits": 4, "phase_bits": 3, "median_copies": 1, "kernel_bits": 4},
    options={"data_access": "qrom", "amplification_rounds": 0},
    title="DiagonalNTK",
    format_text=format_text,
)

register_simulation_variant(DIAGONAL_SIMULATION)
