"""The sparsified NTK (Algorithm 1, lines 13–20) as a costing variant of the report.

* Bloq: ``bloqs.ntk.sparsified_ntk.SparsifiedNTK.from_sizes`` (sizes only, any n): the test
  kernel, the label state, the weighted sparse block encoding of K̃ (stored pseudorandom ν
  pattern, computed kernel-entry oracle) and the QSVT of an odd polynomial ≈ 1/x of degree
  ``qlsa_degree(kappa_eff, qlsa_epsilon)`` (the smaller of the Neumann and the optimal
  Chebyshev closed forms), read out by a Hadamard test.
* Knobs: the diagonal ones plus ``sparsity`` (s), ``kappa`` (κ(K̃)) and ``qlsa_epsilon`` (ε),
  shared with the classical CG baseline, and ``kappa_eff`` (κ_eff, this variant's own knob).
  ``median_copies``, ``kernel_bits``, κ_eff and ε stay symbolic in the formulas.
* κ vs κ_eff: the QLSA is costed at the condition number the solver sees, κ_eff = α/λ_min(K̃) of
  the weighted block encoding = κ(K̃)·α/λ_max(K̃) ≥ κ(K̃) (≤ (1+γ)/(1−γ), γ = (s−1)·e_max,
  Gershgorin); the CG baseline at κ(K̃). ``qntk-compile analyze`` measures both at every n and
  the report extrapolates them; with only κ(K̃) known the CLI costs at the lower bound
  κ_eff = κ(K̃) and the ``qlsa`` section says so.
* Steps: :func:`bloqs.ntk.sparsified_step_classifier.sparsified_step_classifier`.
* Readout overlap ⟨k*|K̃⁻¹y⟩ (``readout="sparsified"``). Job factor: readout shots 1/⟨k*|v⟩² ×
  post-selection runs of the joint success ``p · p_qlsa`` (kernel flag and QLSA flag), with the
  worst-case QLSA success ``p_qlsa = (max_abs/κ)²`` (:func:`qlsa_success_probability`).
* Extra report section ``qlsa`` (:func:`qlsa_section`): κ(K̃), α and κ_eff side by side, the
  degree and queries of our QSVT, and the published solvers at the same κ_eff and ε.

* Error budget: the diagonal components (the kernel pipeline is the same) plus ``qlsa``
  (``docs/error_budget.md`` §4); the cost of ε through :func:`costed_qlsa_degree`.

Registered by :mod:`resource_estimates.variants.registry`; the bloqs are imported only when one is
built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from resource_estimates.variants.registry import Knob, Variant, default_summary, register_variant

if TYPE_CHECKING:  # pragma: no cover
    from qualtran import Bloq

__all__ = [
    "SPARSIFIED",
    "costed_qlsa_degree",
    "gershgorin_kappa_eff",
    "kappa_eff_provenance",
    "qlsa_section",
    "qlsa_success_probability",
    "sparsified_job_factor",
]


KAPPA_EFF_KNOB = Knob(
    "kappa_eff", 1.0, "kappa_eff",
    "condition number the QLSA sees: alpha/lambda_min(K~) of the weighted block encoding",
    "kappa_eff = alpha/lambda_min(K~) >= kappa(K~), the condition number the QLSA is costed at; "
    "default: measured by analyze on --dataset, else the lower bound --kappa",
    kind=float, alternative=2.0,
)  # fmt: skip


def costed_qlsa_degree(kappa_eff: Any, epsilon: Any) -> Any:
    """Degree of the QLSA polynomial the report costs at κ_eff and relative error ε (= block-
    encoding queries per run): ``bloqs.linear_systems.inverse_polynomials.qlsa_degree`` with its
    default method, as ``SparsifiedNTK.from_sizes`` builds it. The error budget's cost of ε reads
    the degree through this function (``Variant.qlsa_degree``). Accepts sympy symbols."""
    from bloqs.linear_systems.inverse_polynomials import qlsa_degree

    return qlsa_degree(kappa_eff, epsilon)[0]


def _build_sparsified(**sizes) -> Bloq:
    from bloqs.ntk.sparsified_ntk import SparsifiedNTK

    return SparsifiedNTK.from_sizes(**sizes)


def _sparsified_classifier(bloq: Bloq):
    from bloqs.ntk.sparsified_step_classifier import sparsified_step_classifier

    return sparsified_step_classifier(bloq)


def qlsa_success_probability(kappa_eff: Any) -> Any:
    """Worst-case success probability of one QSVT solve: (max_abs/κ_eff)².

    The polynomial p(x) ≈ scale/x is bounded by max_abs = 0.9 on [-1, 1], so scale ≈ max_abs/κ_eff
    and the success probability ‖p(A/α)|y⟩‖² = scale²·‖(A/α)⁻¹y‖² ≥ scale² (‖A/α‖ ≤ 1); equality
    when y lies along the top eigenvector. Accepts sympy symbols.
    """
    import sympy
    from qualtran.symbolics import is_symbolic

    from bloqs.linear_systems.inverse_polynomials import DEFAULT_MAX_ABS

    if is_symbolic(kappa_eff):  # exact in the job formula: 81/100 rather than 0.81
        return (sympy.Rational(str(DEFAULT_MAX_ABS)) / kappa_eff) ** 2
    return (DEFAULT_MAX_ABS / kappa_eff) ** 2


def sparsified_job_factor(values: Mapping[str, Any], mode: str) -> Any:
    """Coherent runs of the whole job: readout shots 1/⟨k*|v⟩² × post-selection runs of the joint
    success p·p_qlsa (kernel flag and QLSA flag, :func:`qlsa_success_probability`)."""
    from resource_estimates.logical.counts import post_selection_runs, readout_shots

    p = values["success_probability"] * qlsa_success_probability(values["kappa_eff"])
    return readout_shots(values["readout_overlap"]) * post_selection_runs(p, mode)


def _summary(variant: Variant, parameters: Mapping[str, Any]) -> list[str]:
    return [
        *default_summary(variant, parameters),
        "The QLSA is costed at kappa_eff = alpha/lambda_min(K~) of the weighted block encoding "
        "(>= kappa(K~)), with the smaller of the Neumann and Childs-Kothari-Somma degrees; see "
        "the QLSA section.",
    ]


def _provenance(data, n, key, value) -> dict[str, Any] | None:
    dq = data.at(n)
    if key in dq and dq[key].value == value:
        return dq[key].as_dict()
    return None


def gershgorin_kappa_eff(sparsity: int, e_max: float) -> float:
    """Upper bound (1+γ)/(1−γ), γ = (s−1)·e_max, on κ_eff = α/λ_min(K̃) of the weighted block
    encoding (equal diagonal K̃₁₁, off-diagonal entries ≤ e_max·K̃₁₁; Gershgorin). One-line
    ``ValueError`` when γ ≥ 1 (no bound: K̃ may be singular)."""
    gamma = (sparsity - 1) * e_max
    if not (math.isfinite(gamma) and 0 <= gamma < 1):
        raise ValueError(
            f"Gershgorin bound needs gamma = (s-1)*e_max in [0, 1), got {gamma!r} "
            f"(s={sparsity}, e_max={e_max})"
        )
    return (1 + gamma) / (1 - gamma)


def kappa_eff_provenance(params, data) -> dict[str, Any]:
    """Where the costed κ_eff comes from: ``measured``/``extrapolated`` (analyze on a data set),
    ``gershgorin_bound`` (from s and a given e_max), ``lower_bound`` (equal to κ(K̃): nothing
    better known, κ_eff ≥ κ(K̃)), or ``user``."""
    value = params.knobs["kappa_eff"]
    found = _provenance(data, params.n, "kappa_eff", value)
    if found is not None:
        return found
    dq = data.at(params.n)
    if "e_max" in dq:
        e_max, s = dq["e_max"].value, params.sparsity
        gamma = (s - 1) * e_max
        if gamma < 1 and value == gershgorin_kappa_eff(s, e_max):
            return {
                "value": value,
                "status": "gershgorin_bound",
                "detail": f"upper bound (1+gamma)/(1-gamma), gamma = (s-1)*e_max = {gamma:.6g} "
                f"(s = {s}, e_max = {e_max:g} {dq['e_max'].detail})",
            }
    if value == params.kappa:
        return {
            "value": value,
            "status": "lower_bound",
            "detail": "kappa_eff not measured or given: costed at its lower bound kappa(K~) "
            "(kappa_eff = kappa(K~)*alpha/lambda_max(K~) >= kappa(K~)); the Gershgorin upper "
            "bound is (1+gamma)/(1-gamma), gamma = (s-1)*e_max",
        }
    return {"value": value, "status": "user", "detail": "given (kappa_eff knob)"}


def _degrees(kappa_eff, eps) -> dict[str, Any]:
    from bloqs.linear_systems.inverse_polynomials import MINIMAX_MAX_KAPPA, qlsa_degree

    methods = ("neumann", "chebyshev", "cks")
    out: dict[str, Any] = {m: qlsa_degree(kappa_eff, eps, m)[0] for m in methods}
    if kappa_eff <= MINIMAX_MAX_KAPPA:
        out["minimax"] = qlsa_degree(kappa_eff, eps, "minimax")[0]
    else:
        out["minimax"] = None
        out["minimax_note"] = f"not fitted: kappa_eff > {MINIMAX_MAX_KAPPA:g} (slow LP)"
    return out


def _amplified(kappa_eff, eps) -> dict[str, Any]:
    """The costed amplification option: fixed-point AA of the QSVT solver (optimal Chebyshev
    degree) to success >= 2/3 (``resource_estimates.logical.qlsa_amplification``)."""
    from resource_estimates.logical.qlsa_amplification import (
        DEFAULT_SUCCESS,
        amplified_qsvt_queries,
    )

    amp = amplified_qsvt_queries(float(kappa_eff), float(eps))
    return {
        "method": "fixed-point amplitude amplification (Yoder, Low, Chuang 2014, arXiv:1409.3305)",
        "success": DEFAULT_SUCCESS,
        "degree": amp["degree"],
        "calls": amp["calls"],
        "queries": amp["queries"],
        "a_min": amp["a_min"],
        "note": "option, not in the job cost (the job post-selects); queries = degree*calls "
        "for success >= 2/3 for every y",
    }


def qlsa_section(params, data) -> dict[str, Any]:
    """The ``qlsa`` section: κ(K̃), α and κ_eff side by side (with provenance), our QSVT's degree
    (method chosen by `qlsa_degree`, the degree of every method beside it) and queries, and the
    published solvers at the same κ_eff and ε (:func:`qlsa_comparison`)."""
    import sympy

    from bloqs.linear_systems.inverse_polynomials import qlsa_degree
    from resource_estimates.logical.formatting import formula_strings, json_number
    from resource_estimates.published.qlsa import qlsa_comparison
    from resource_estimates.variants.registry import knob_symbol

    kappa, eps, s = params.kappa, params.qlsa_epsilon, params.sparsity
    kappa_eff = params.knobs["kappa_eff"]
    degree, method = qlsa_degree(kappa_eff, eps)
    k_sym, e_sym = knob_symbol("kappa_eff"), knob_symbol("qlsa_epsilon")
    e_max, s_sym = sympy.Symbol("e_max", positive=True), knob_symbol("sparsity")
    comparison = qlsa_comparison(kappa_eff, eps)
    alpha = {
        "value_over_k11": f"1 + {s - 1}*e_max",
        "formula": formula_strings(1 + (s_sym - 1) * e_max),
        "meaning": (
            "normalisation of the weighted block encoding in units of K~_11 (equal "
            "diagonal): d + (s-1)*o with o = e_max*K~_11 the largest off-diagonal entry; "
            "kappa_eff <= (1+gamma)/(1-gamma), gamma = (s-1)*e_max (Gershgorin)"
        ),
    }
    dq = data.at(params.n)
    if "alpha_over_k11" in dq:  # measured/extrapolated by analyze on a data set
        alpha["data"] = dq["alpha_over_k11"].as_dict()
    kappa_given = _provenance(data, params.n, "kappa", kappa)
    return {
        "qlsa": {
            "kappa": kappa_given or {"value": kappa, "status": "user", "detail": "given (kappa)"},
            "kappa_eff": kappa_eff_provenance(params, data),
            "kappa_eff_model": (
                "the QLSA is costed at the condition number the solver sees, kappa_eff = "
                "alpha/lambda_min(K~) = kappa(K~)*alpha/lambda_max(K~) >= kappa(K~) for the "
                "weighted block encoding; the CG baseline at kappa(K~)"
            ),
            "alpha": alpha,
            "epsilon": eps,
            "sparsity": s,
            "ours": {
                "method": method,
                "degree": json_number(degree),
                "queries_per_run": json_number(degree),
                "degrees": _degrees(kappa_eff, eps),
                "degree_formula": formula_strings(qlsa_degree(k_sym, e_sym, method)[0]),
                "degree_formula_method": method,
                "success_probability_worst_case": qlsa_success_probability(kappa_eff),
                "amplified": _amplified(kappa_eff, eps),
                "note": (
                    "QSVT of an odd polynomial ~ 1/x on [1/kappa_eff, 1] of degree "
                    "qlsa_degree(kappa_eff, epsilon): the smaller of the Neumann closed form "
                    "(eta^(K+1) <= eps, eta = (kappa_eff^2-1)/(kappa_eff^2+1)) and the optimal "
                    "odd degree for relative error eps, "
                    "2*ceil(acosh(1/eps)/acosh((kappa_eff^2+1)/(kappa_eff^2-1)))-1 (Chebyshev "
                    "min-max polynomial, Saad 2003 Sec. 6.11.3; equal to the LP minimax degree "
                    "beside, when fitted); CKS (arXiv:1511.02306 Lemma 19) beside for "
                    "comparison; a run calls the block encoding degree times (one of them "
                    "controlled); no amplitude amplification"
                ),
            },
            "published": {
                "unit": comparison["unit"],
                "kappa": comparison["kappa"],
                "epsilon": comparison["epsilon"],
                "solvers": {
                    k: {**v, "queries": json_number(v["queries"])}
                    for k, v in comparison["solvers"].items()
                },
            },
        }
    }


def _qlsa_markdown(report: Mapping[str, Any]) -> list[str]:
    q = report["qlsa"]
    ours = q["ours"]
    alpha = q["alpha"]["value_over_k11"]
    if "data" in q["alpha"]:
        alpha = f"{q['alpha']['data']['value']:.10g} ({q['alpha']['data']['status']})"
    degrees = ", ".join(
        f"{k} {v}" for k, v in ours["degrees"].items() if not k.endswith("_note") and v
    )
    lines = [
        "## Quantum linear-system solver (QLSA)",
        "",
        "| kappa(K~) | alpha / K~_11 | kappa_eff (costed) | epsilon | s |",
        "|---|---|---|---|---|",
        f"| {q['kappa']['value']:.6g} ({q['kappa']['status']}) | {alpha} "
        f"| {q['kappa_eff']['value']:.6g} ({q['kappa_eff']['status']}) | {q['epsilon']:g} "
        f"| {q['sparsity']} |",
        "",
        f"kappa_eff: {q['kappa_eff_model']}; {q['kappa_eff']['detail']}.",
        "",
        f"Ours: degree {ours['degree']} by {ours['method']} = block-encoding queries per run "
        f"(degree $${ours['degree_formula']['latex']}$$, {ours['degree_formula_method']} closed "
        f"form), worst-case success probability {ours['success_probability_worst_case']:.3g}. "
        f"Degrees by method: {degrees}.",
        "",
        f"Published solvers at the same kappa_eff and epsilon ({q['published']['unit']}):",
        "",
        "| solver | queries | formula | source | note |",
        "|---|---|---|---|---|",
    ]
    for name, v in q["published"]["solvers"].items():
        queries = v["queries"]
        text = f"{queries:,}" if isinstance(queries, int) else f"{float(queries):.4g}"
        lines.append(f"| {name} | {text} | {v['formula']} | {v['source']} | {v['note']} |")
    return lines


SPARSIFIED = Variant(
    name="sparsified",
    build=_build_sparsified,
    knob_names=(
        "amplitude_bits",
        "phase_bits",
        "median_copies",
        "kernel_bits",
        "sparsity",
        "kappa",
        "qlsa_epsilon",
        "kappa_eff",
    ),
    own_knobs=(KAPPA_EFF_KNOB,),
    classifier=_sparsified_classifier,
    # amplitude_bits and phase_bits stay concrete for the reason given in diagonal_variant
    symbolic_knobs=("median_copies", "kernel_bits", "qlsa_epsilon", "kappa_eff"),
    description=(
        "Algorithm 1 lines 13-20 (SparsifiedNTK): PrepareTestKernel on one branch of a "
        "Hadamard test, on the other the label state and the QSVT of an odd polynomial ~ 1/x "
        "(Neumann or Childs-Kothari-Somma degree at kappa_eff) of a weighted sparse block "
        "encoding of K~ (stored pseudorandom pattern nu, "
        "computed kernel-entry oracle); one coherent run = one readout shot with post-selection "
        "on the kernel flag and the QLSA flag."
    ),
    readout="sparsified",
    job_factor=sparsified_job_factor,
    summary=_summary,
    error_components=(
        "loader",
        "amplitude_estimation",
        "median",
        "kernel_table",
        "rotation_synthesis",
        "qlsa",
        "readout",
        "surface_code",
    ),
    qlsa_degree=costed_qlsa_degree,
    extra_sections=qlsa_section,
    extra_markdown=_qlsa_markdown,
)

register_variant(SPARSIFIED)
