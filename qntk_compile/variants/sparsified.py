"""The sparsified NTK (Algorithm 1, lines 13–20) as a simulation variant.

* ``build``: :func:`qntk_compile.assembly.sparsified.build_sparsified_ntk` — the concrete
``SparsifiedNTK``
  of the problem (table entry oracle of the padded K̃ on the problem's ν pattern, the QSVT
  polynomial chosen from κ_eff of the implemented block and ``qlsa_epsilon``).
* ``read_out`` (registers ``index``, ``flag``, ``scratch``, ``qlsa_ancilla``, ``ancilla``):
  ``p_readout = Pr(ancilla = 0 | flag = 0, qlsa_ancilla = 0)``, ``sign = sign(p_readout − 1/2)``;
  ``p_success = 2·Pr(flag = 0) − 1`` (the kernel flag, P/n, as for the diagonal variant);
  ``qlsa_success_probability = 2·Pr(qlsa_ancilla = 0) − 1`` (the solver branch's ‖p(B)|y⟩‖²);
  the scratch leak; and the solution itself, read from the final state: the Hadamard test
  leaves ``(|0⟩(S+V) + |1⟩(S−V))/2``, so ``V = ψ(ancilla=0) − ψ(ancilla=1)`` on the flags-zero
  subspace, whose fidelity with the exact ``K̃⁻¹y`` is ``solution_fidelity``. Its global sign is
  fixed relative to the kernel branch ``S = ψ(ancilla=0) + ψ(ancilla=1)`` (:func:`signed_solution`),
  so ``solution_simulated`` is comparable entry by entry, signs included, with
  ``solution_reference`` (the discretised V) and ``solution_exact``.
* ``reference``: the same-discretisation reference
  :func:`qntk_compile.assembly.sparsified.discretised_sparsified_reference` (rounded entries and
  label amplitudes, the QSVT response of the very phases), the ideal values (exact K̃ and labels,
  the same polynomial), κ(K̃), κ_eff, α and the QLSA degree, and the exact sparsified and diagonal
  predictions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from qntk_compile.variants.diagonal import sign
from qntk_compile.variants.registry import SimulationVariant, register_simulation_variant

__all__ = [
    "SPARSIFIED_SIMULATION",
    "combine",
    "format_text",
    "read_out",
    "reference",
    "kernel_branch",
    "signed_branches",
    "solution_vector",
]

#: Registers of ``SparsifiedNTK`` that are not scratch.
_NOT_SCRATCH = ("ancilla", "flag", "index", "qlsa_ancilla")


def _build(problem, *, data_access: str = "qrom", qlsa_degree: int | None = None):
    from qntk_compile.assembly.sparsified import build_sparsified_ntk

    return build_sparsified_ntk(problem, data_access=data_access, qlsa_degree=qlsa_degree)


def _branches(res) -> tuple[np.ndarray, np.ndarray]:
    """(ψ(ancilla = 0), ψ(ancilla = 1)) over ``index`` with ``flag``, ``qlsa_ancilla``, the
    scratch and every other ancilla qubit zero (needs ``res.state``)."""
    if res.state is None:
        raise ValueError("the simulation result carries no state vector")
    psi = np.asarray(res.state).reshape((2,) * res.qubits)
    fixed: dict[int, int] = dict.fromkeys(res.ancilla_positions, 0)
    for name, positions in res.registers.items():
        if name not in ("index", "ancilla"):
            fixed.update(dict.fromkeys(positions, 0))
    index = res.registers["index"]
    (a,) = res.registers["ancilla"]
    out = np.zeros((2, 1 << len(index)), dtype=complex)
    for value in range(out.shape[1]):
        bits = {p: (value >> (len(index) - 1 - j)) & 1 for j, p in enumerate(index)}
        for anc in (0, 1):
            idx = {**fixed, **bits, a: anc}
            out[anc, value] = psi[tuple(idx[q] for q in range(res.qubits))]
    return out[0], out[1]


def solution_vector(res) -> np.ndarray:
    """``V`` over ``index`` (unnormalised): ψ(ancilla = 0) − ψ(ancilla = 1) on the flags-zero
    subspace (see :func:`_branches`), in the state's own global phase."""
    a0, a1 = _branches(res)
    return a0 - a1


def kernel_branch(res) -> np.ndarray:
    """``S`` over ``index`` (unnormalised): ψ(ancilla = 0) + ψ(ancilla = 1), the test-kernel
    branch (amplitudes ∝ the clipped kernel values k_i ≥ 0 up to the state's global phase)."""
    a0, a1 = _branches(res)
    return a0 + a1


def signed_branches(res) -> tuple[np.ndarray, np.ndarray]:
    """(S, V) normalised, made real by one global phase: the phase of S's largest entry, taken
    modulo π (S is real up to the state's global phase). One sign ±1 common to both is left:
    :func:`combine` fixes it against the reference's kernel amplitudes c̄ (S ∝ c̄), so that V's
    signs are relative to the kernel branch — the ones the readout measures, since
    ``p_readout − 1/2 ∝ Re⟨S|V⟩`` does not change under (S, V) → (−S, −V)."""
    big_s, v = kernel_branch(res), solution_vector(res)
    if not np.any(big_s):
        raise ValueError("the kernel branch is empty: no phase reference for the solution")
    phase = np.exp(-1j * (np.angle(big_s[np.argmax(np.abs(big_s))]) % np.pi))
    return big_s * phase / np.linalg.norm(big_s), v * phase / np.linalg.norm(v)


def _exact_solution(problem) -> np.ndarray:
    from qntk_compile.classical import reference as R

    return np.linalg.solve(R.padded_sparsified_kernel_matrix(problem), problem.y)


def _unit(v: np.ndarray) -> list[float]:
    """A real vector normalised, its signs kept."""
    v = np.asarray(v, dtype=float)
    return [float(x) for x in v / np.linalg.norm(v)]


def read_out(res) -> dict[str, Any]:
    """Readout of a simulated ``SparsifiedNTK`` (see the module docstring); the solution
    ``solution_simulated`` (normalised, global phase removed) when the state was kept."""
    joint = res.marginal("ancilla", "flag", "qlsa_ancilla")  # [ancilla, flag, qlsa_ancilla]
    m = joint[:, 0, 0]
    p_flags = float(m.sum())
    p_readout = float(m[0] / p_flags) if p_flags > 0 else math.nan
    scratch = [name for name in res.registers if name not in _NOT_SCRATCH]
    scratch_leak = 1.0 - res.probability_zero(*scratch) if scratch else 0.0
    out = {
        "p_readout_simulated": p_readout,
        "sign_simulated": sign(p_readout - 0.5),
        "p_success_simulated": 2.0 * res.probability_zero("flag") - 1.0,
        "p_flags_simulated": p_flags,
        "qlsa_success_probability": 2.0 * res.probability_zero("qlsa_ancilla") - 1.0,
        "leak_simulated": max(0.0, scratch_leak),
    }
    if res.state is not None:
        big_s, v = signed_branches(res)
        out["kernel_simulated"] = [float(x) for x in big_s.real]
        out["solution_simulated"] = [float(x) for x in v.real]
        out["solution_imaginary_norm"] = float(np.linalg.norm(v.imag))
    return out


def combine(readout: Mapping[str, Any], ref: Mapping[str, Any]) -> dict[str, Any]:
    """The simulated S and V with their common sign fixed so that S agrees with the reference's
    kernel amplitudes (``kernel_sign_overlap`` = ⟨S|c̄⟩ > 0 after the fix), and
    ``solution_fidelity``: |⟨V̂|x̂⟩|² with the exact ``K̃⁻¹y``."""
    if "solution_simulated" not in readout:
        return {}
    from qntk_compile.assembly.sparsified import state_fidelity

    big_s, v = np.asarray(readout["kernel_simulated"]), np.asarray(readout["solution_simulated"])
    sgn = 1.0 if float(big_s @ np.asarray(ref["kernel_reference"])) >= 0 else -1.0
    return {
        "kernel_simulated": [float(x) for x in sgn * big_s],
        "solution_simulated": [float(x) for x in sgn * v],
        "kernel_sign_overlap": float(sgn * big_s @ np.asarray(ref["kernel_reference"])),
        "solution_fidelity": state_fidelity(v, np.asarray(ref["solution_exact"])),
    }


def _ideal(problem, bloq) -> dict[str, float]:
    """p_readout and the QLSA success with the exact K̃, labels and kernel (same polynomial)."""
    from qntk_compile.classical import reference as R

    poly = bloq.solution.polynomial
    kt = R.padded_sparsified_kernel_matrix(problem)
    lam, vec = np.linalg.eigh(kt / bloq.solution.block_encoding.alpha)
    y = problem.y / np.linalg.norm(problem.y)
    v = vec @ (poly(lam) * (vec.T @ y)) if poly is not None else None
    k = R.test_kernel_vector(problem)
    q = float(k @ k) / problem.n_padded
    vv = float(v @ v)
    cross = float(k @ v) / math.sqrt(problem.n_padded)
    return {
        "p_readout_ideal": (q + vv + 2 * cross) / (2 * (q + vv)),
        "qlsa_success_probability_ideal": vv,
    }


def reference(problem, *, data_access: str = "qrom", qlsa_degree: int | None = None) -> dict:
    """Same-discretisation and exact predictions of the quantities of :func:`read_out`."""
    from qntk_compile.assembly.sparsified import discretised_sparsified_reference, state_fidelity
    from qntk_compile.classical import reference as R
    from qntk_compile.classical.discretised_reference import reference_for_problem

    bloq = _build(problem, data_access=data_access, qlsa_degree=qlsa_degree)
    ref = discretised_sparsified_reference(problem, bloq)
    kern = reference_for_problem(problem)
    exact = _exact_solution(problem)
    poly = bloq.solution.polynomial
    return {
        "p_readout_reference": ref.p_readout,
        **_ideal(problem, bloq),
        "sign_reference": ref.sign_exact,
        "sign_discretised": ref.sign,
        "p_success_reference": kern.p_success,
        "p_success_ideal": kern.p_success_ideal,
        "p_flags_reference": ref.p_flags,
        "qlsa_success_probability_reference": ref.qlsa_success,
        "leak_reference": kern.leak,
        "solution_exact": _unit(exact),
        "solution_reference": _unit(ref.solution.real),
        "kernel_reference": _unit(kern.kernel_mean),
        "qlsa_relative_error": None if poly is None else float(poly.error),
        "solution_fidelity_reference": state_fidelity(ref.solution, exact),
        "solution_fidelity_implemented_block": ref.fidelity,
        "kappa": ref.kappa,
        "kappa_eff": ref.kappa_eff,
        "alpha": ref.alpha,
        "qlsa_degree": int(bloq.qlsa_degree),
        "qlsa_method": None if poly is None else poly.method,
        "sparsified_prediction_exact": float(R.sparsified_prediction(problem)),
        "diagonal_prediction_exact": float(R.diagonal_prediction(problem)),
    }


def format_text(result: Mapping[str, Any]) -> str:
    """The human-readable output of ``qntk-compile simulate --variant sparsified``."""
    r = result
    rows = (
        ("p_readout", "p_readout_simulated", "p_readout_reference", "p_readout_ideal"),
        ("p_success (P/n)", "p_success_simulated", "p_success_reference", "p_success_ideal"),
        ("Pr(both flags 0)", "p_flags_simulated", "p_flags_reference", None),
        (
            "QLSA success",
            "qlsa_success_probability",
            "qlsa_success_probability_reference",
            "qlsa_success_probability_ideal",
        ),
        ("solution fidelity", "solution_fidelity", "solution_fidelity_reference", None),
    )
    lines = [
        f"SparsifiedNTK on {r['dataset']}: n={r['n']} (padded {r['n_padded']}), "
        f"d={r['d']} (padded {r['d_padded']}), depth L={r['depth']}",
        "knobs: " + ", ".join(f"{k}={v}" for k, v in r["knobs"].items()),
        f"QLSA: kappa(K~)={r['kappa']:.4g}, alpha={r['alpha']:.4g}, "
        f"kappa_eff={r['kappa_eff']:.4g}, {r['qlsa_method']} polynomial of degree "
        f"{r['qlsa_degree']}",
        f"circuit: {r['qubits']} qubits, {r['gates']} gates ({r['toffoli_like']} Toffoli-like, "
        f"{r['rotations']} rotations; QECGatesCost {r['toffoli_like_cost']} / "
        f"{r['rotations_cost']}, match={r['counts_match_cost']})",
        f"simulator: {r['simulator']}, {r['seconds']:.2f} s (build {r['build_seconds']:.2f} s)",
        f"{'':22}{'simulated':>12}{'discretised':>13}{'ideal':>10}",
    ]
    for label, sim, ref, ideal in rows:
        if r.get(sim) is None:
            continue
        tail = f"{r[ideal]:>10.6f}" if ideal else ""
        lines.append(f"{label:22}{r[sim]:>12.6f}{r[ref]:>13.6f}{tail}")
    lines.append(
        f"sign: simulated {r['sign_simulated']:+d}, discretised {r['sign_discretised']:+d}, "
        f"exact sparsified NTK {r['sign_reference']:+d} (exact diagonal NTK "
        f"{sign(r['diagonal_prediction_exact']):+d})"
    )
    return "\n".join(lines)


SPARSIFIED_SIMULATION = SimulationVariant(
    name="sparsified",
    build=_build,
    read_out=read_out,
    reference=reference,
    knobs=(
        "amplitude_bits",
        "phase_bits",
        "median_copies",
        "kernel_bits",
        "delta_hat",
        "sparsity",
        "qlsa_epsilon",
        "sparsity_pattern",
        "pattern_seed",
    ),
    # small enough to simulate at n = 4 (<= 30 qubits, seconds); qlsa_epsilon: from the margin
    # (qntk_compile.simulation.budget.qlsa_component) unless given
    knob_defaults={
        "amplitude_bits": 4,
        "phase_bits": 2,
        "median_copies": 1,
        "kernel_bits": 4,
        "sparsity": 3,
        "sparsity_pattern": "circulant",
        "pattern_seed": 0,
    },
    options={"data_access": "qrom", "qlsa_degree": None},
    title="SparsifiedNTK",
    format_text=format_text,
    return_state=True,
    combine=combine,
    # sphere d = 2, seed 18, depth 3: kappa_eff 2.7, K~^-1 y far from y (fidelity 0.93)
    instance_defaults={"seed": 18, "depth": 3},
)

register_simulation_variant(SPARSIFIED_SIMULATION)
