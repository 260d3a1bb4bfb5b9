"""A whole-job error budget: the knobs that meet a failure probability P at the least T-count.

Given P (the probability that the job outputs the wrong sign),
:func:`resource_estimates.error_budget.optimiser.optimise` chooses

* the precision knobs ``amplitude_bits``, ``phase_bits``, ``median_copies``, ``kernel_bits``,
* the rotation-synthesis error per rotation ``rotation_epsilon`` (one value for every rotation,
  the same ε the physical models must use),
* with a linear solver (sparsified NTK, ``has_qlsa``) its relative error ``qlsa_epsilon`` (Δo 2ε,
  the label error amplified by 2κ_eff(1+ε)/(1−ε); cost through the QLSA degree) and
* the readout shots,

minimising the job's T-count ``shots × runs per shot × T(run)``, where T(run) comes from the
existing costing (the run's Toffoli, T and rotation counts for those knobs: see
:func:`formula_run_costs`; 4 T per Toffoli, :func:`~resource_estimates.error_budget.model.rotation_t_count`
per rotation), subject to the error model of :mod:`resource_estimates.error_budget.model`: the
systematic errors leave a positive readout margin, and the readout's Hoeffding failure plus the
surface code's share is ≤ P. ``budget_optimiser.uniform_split`` gives every systematic
component the same share of half the margin; :func:`fixed_defaults` evaluates today's fixed
knobs (8, 6, 3, 8 with Qualtran's 11 T per rotation at ε = 10⁻³ and 1/o² shots).
:func:`error_budget_section` returns all three as one JSON-ready dict for the report.
Derivation: ``docs/error_budget.md``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from resource_estimates.error_budget import model as em
from resource_estimates.error_budget.knob_costs import FIXED_DEFAULTS, RunCosts, formula_run_costs
from resource_estimates.logical.counts import T_PER_ROTATION, T_PER_TOFFOLI, post_selection_runs

__all__ = [
    "KNOBS",
    "FIXED_DEFAULTS",
    "MARGIN_COMPONENTS",
    "BudgetProblem",
    "Configuration",
    "formula_run_costs",
    "evaluate",
    "check_target",
    "readout_budget",
    "uniform_share",
    "fixed_defaults",
    "error_budget_section",
]

KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
#: Qualtran's default synthesis: 11 T per rotation, the mixed-fallback model at ε = 1e-3.
DEFAULT_ROTATION_EPSILON = 1e-3
#: Systematic components (they consume the readout margin), with their knob.
MARGIN_COMPONENTS = {
    "loader": "amplitude_bits",
    "amplitude_estimation": "phase_bits",
    "median": "median_copies",
    "kernel_table": "kernel_bits",
    "rotation_synthesis": "rotation_epsilon",
    "qlsa": "qlsa_epsilon",
}


@dataclass(frozen=True)
class BudgetProblem:
    """Everything the budget depends on at one n.

    Attributes:
        n, d: padded sizes.
        success_probability: post-selection success probability q = P/n (data model).
        overlap: readout overlap o = ⟨k*|v⟩ (data model).
        sensitivity: the kernel's sensitivity (:class:`~error_model.KernelSensitivity`).
        run_costs: (toffoli, t, rotation) per run as a function of the knobs.
        post_selection: ``"repeat"`` or ``"amplitude_amplification"``.
        rotation_model: T per rotation as a function of ε (``error_model.ROTATION_MODELS``).
        surface_code_share: share of P given to the surface code's logical failure (the T-count
            does not depend on it; the physical models' code distance grows with log(1/share)).
        logical_failure_per_run: the physical model's per-run logical error, if known.
        has_qlsa: the variant solves a linear system (sparsified NTK): adds the ``qlsa``
            component, whose ε the run costs must accept as the keyword ``qlsa_epsilon``
            (a float or an array); the readout's |v⟩ is then the solver's normalised output.
        qlsa_kappa: κ_eff of that solve (the label loader's error is amplified by
            :func:`~error_model.qlsa_label_gain`).
    """

    n: int
    d: int
    success_probability: float
    overlap: float
    sensitivity: em.KernelSensitivity
    run_costs: RunCosts
    post_selection: str = "repeat"
    rotation_model: str = "ross_selinger"
    surface_code_share: float = 0.1
    logical_failure_per_run: float | None = None
    has_qlsa: bool = False
    qlsa_kappa: float = 1.0
    _eta_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        em.check_probability("success probability", self.success_probability, closed_right=True)
        if not (math.isfinite(self.overlap) and 0 < abs(self.overlap) <= 1):
            raise ValueError(f"readout overlap must be in [-1, 1], nonzero, got {self.overlap!r}")
        em.check_probability("surface_code_share", self.surface_code_share)
        if self.rotation_model not in em.ROTATION_MODELS:
            raise ValueError(f"rotation model must be one of {em.ROTATION_MODELS}")

    @classmethod
    def from_report(
        cls,
        params: Any,
        data: Any,
        kernel,
        qram: str = "unit_cost",
        **options: Any,
    ) -> BudgetProblem:
        """The budget of a report: ``params`` a ``ReportParameters`` (n, d, variant, data access,
        post-selection), ``data`` its ``DataModel`` (q and o at n), ``kernel`` the vectorised
        ρ ↦ clip(k̂(ρ)/k̂(1 − δ̂), −1, 1) at the report's depth and δ̂ (``qntk_compile.kernel.ntk``);
        ``options``: the other fields (rotation model, surface-code share, ...)."""
        from resource_estimates.variants.registry import get_variant

        dq = data.at(params.n)
        names = get_variant(params.variant).knob_names
        variant_knobs = {
            k: params.knobs[k] if k in params.knobs else getattr(params, k)
            for k in names
            if k not in KNOBS
        }
        if options.get("has_qlsa"):
            kappa_eff = variant_knobs.get("kappa_eff", variant_knobs.get("kappa", 1.0))
            options.setdefault("qlsa_kappa", float(kappa_eff))
        return cls(
            n=params.n,
            d=params.d,
            success_probability=dq["success_probability"].value,
            overlap=dq["readout_overlap"].value,
            sensitivity=em.KernelSensitivity.from_kernel(kernel),
            run_costs=formula_run_costs(
                params.n, params.d, params.variant, params.data_access, qram, variant_knobs
            ),
            post_selection=params.post_selection,
            **options,
        )

    @property
    def runs_per_shot(self) -> float:
        return float(post_selection_runs(self.success_probability, self.post_selection))

    def shells(self) -> tuple[np.ndarray, list]:
        """Rows grouped by |k_i| into shells [2^-(j+1), 2^-j] down to 10⁻³·√q, plus the rest:
        (shares w_j, ρ intervals of each shell)."""
        key = ("shells",)
        if key not in self._eta_cache:
            q, sens = self.success_probability, self.sensitivity
            edges = [1.0]
            while edges[-1] > 1e-3 * math.sqrt(q):
                edges.append(edges[-1] / 2)
            shares, intervals = [], []
            for hi, lo in itertools.pairwise(edges):
                shares.append(min(1.0, q / lo**2))
                intervals.append(sens.shell(lo, hi))
            shares.append(1.0)
            intervals.append(sens.shell(-edges[-1], edges[-1]))
            self._eta_cache[key] = (np.array(shares), intervals)
        return self._eta_cache[key]

    def smooth_terms(self, amplitude_bits: int, phase_bits: int) -> dict[str, np.ndarray]:
        """Loader and AE moduli per shell (see :meth:`shells`)."""
        key = ("smooth", amplitude_bits, phase_bits)
        if key not in self._eta_cache:
            sens = self.sensitivity
            width = 2 * em.loader_state_error(amplitude_bits, self.d)
            _, intervals = self.shells()
            # AE estimates the *loaded* inner product, up to ``width`` from the row's own ρ
            widened = [
                tuple((max(a - width, -1.0), min(b + width, 1.0)) for a, b in iv)
                for iv in intervals
            ]
            self._eta_cache[key] = {
                "loader": sens.rho_moduli(width, intervals),
                "phase": sens.phase_moduli(phase_bits, widened),
            }
        return self._eta_cache[key]

    def eta(self, amplitude_bits, phase_bits, uniform=0.0, parts=("loader", "phase")):
        """(η_num, η_norm) of the given smooth parts plus a per-row ``uniform`` error (which may
        be an array)."""
        t = self.smooth_terms(amplitude_bits, phase_bits)
        shares, _ = self.shells()
        moduli = sum(t[p] for p in parts)
        num, norm = em.shell_row_error(moduli, shares, 0.0)
        return num + uniform, norm + uniform

    def uniform_error(self, median_copies, kernel_bits) -> float:
        tab = em.kernel_table_error(kernel_bits)
        return tab + em.median_failure(median_copies) * (1.0 - self.sensitivity.k_min + tab)

    def label_error(self, amplitude_bits, qlsa_epsilon=0.0):
        """Error of the state |v⟩ the Hadamard test reads from the label loader: ‖Ỹ − Y‖, and
        with a QLSA that error through the solver (×:func:`~error_model.qlsa_label_gain`)."""
        e = em.loader_state_error(amplitude_bits, self.n)
        return e * em.qlsa_label_gain(self.qlsa_kappa, qlsa_epsilon) if self.has_qlsa else e

    def overlap_error(self, eta, label_error, state_error, qlsa_epsilon=0.0):
        """Δo for ``eta`` = (η_num, η_norm) (see :func:`error_model.overlap_error_bound`), plus
        the QLSA's 2ε (:func:`error_model.qlsa_state_error`)."""
        q, o = self.success_probability, self.overlap
        bound = em.overlap_error_bound(eta[0], eta[1], label_error, state_error, q, o)
        return bound + em.qlsa_state_error(qlsa_epsilon) if self.has_qlsa else bound


@dataclass(frozen=True)
class Configuration:
    """Chosen knobs and what they cost and risk."""

    knobs: dict[str, Any]
    job_t_count: float
    run_t_count: float
    failure_probability: float
    overlap_error: float
    components: dict[str, dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "knobs": dict(self.knobs),
            "job_t_count": self.job_t_count,
            "run_t_count": self.run_t_count,
            "failure_probability": self.failure_probability,
            "overlap_error": self.overlap_error,
            "components": self.components,
        }


def _t_per_rotation(problem: BudgetProblem, eps: float, t_per_rotation: float | None) -> float:
    return (
        t_per_rotation
        if t_per_rotation is not None
        else em.rotation_t_count(eps, problem.rotation_model)
    )


def evaluate(
    problem: BudgetProblem,
    knobs: Mapping[str, Any],
    *,
    target: float | None = None,
    t_per_rotation: float | None = None,
) -> Configuration:
    """Failure probability and job T-count of fully specified knobs (``KNOBS`` plus
    ``rotation_epsilon``, ``readout_shots`` and, with a QLSA, ``qlsa_epsilon``).

    ``t_per_rotation`` overrides the rotation model (e.g. Qualtran's 11 T). ``target`` (P) sets
    the surface code's allocation (its share of P); without it the share is of the failure.
    """
    ba, m, k, bk = (int(knobs[x]) for x in KNOBS)
    eps = float(knobs["rotation_epsilon"])
    shots = float(knobs["readout_shots"])
    qeps = float(knobs.get("qlsa_epsilon", 0.0)) if problem.has_qlsa else 0.0
    extra = {"qlsa_epsilon": qeps} if problem.has_qlsa else {}
    tof, t, rot = (float(v) for v in problem.run_costs(ba, m, k, bk, **extra))
    t_rot = _t_per_rotation(problem, eps, t_per_rotation)
    run_t = t + T_PER_TOFFOLI * tof + t_rot * rot
    runs = shots * problem.runs_per_shot
    label = problem.label_error(ba, qeps)
    tab = em.kernel_table_error(bk)
    med = em.median_failure(k) * (1.0 - problem.sensitivity.k_min + tab)
    total_do = problem.overlap_error(problem.eta(ba, m, tab + med), label, rot * eps, qeps)
    margin = abs(problem.overlap) - total_do
    p_read = em.readout_failure(shots, margin)
    zero = (0.0, 0.0)
    alone = {
        "loader": problem.overlap_error(problem.eta(ba, m, parts=("loader",)), label, 0.0),
        "amplitude_estimation": problem.overlap_error(
            problem.eta(ba, m, parts=("phase",)), 0.0, 0.0
        ),
        "median": problem.overlap_error((med, med), 0.0, 0.0),
        "kernel_table": problem.overlap_error((tab, tab), 0.0, 0.0),
        "rotation_synthesis": problem.overlap_error(zero, 0.0, rot * eps),
    }
    if problem.has_qlsa:
        alone["qlsa"] = em.qlsa_state_error(qeps)
    values = {**knobs, "qlsa_epsilon": qeps}
    components: dict[str, dict[str, Any]] = {}
    for name, err in alone.items():
        knob = MARGIN_COMPONENTS[name]
        components[name] = {
            "kind": "overlap_margin",
            "allocated": float(err),
            "knob": knob,
            "value": values[knob],
        }
    components["readout"] = {
        "kind": "probability",
        "allocated": p_read,
        "knob": "readout_shots",
        "value": shots,
    }
    sc_alloc = problem.surface_code_share * (target if target is not None else p_read)
    sc = (
        sc_alloc
        if problem.logical_failure_per_run is None
        else runs * problem.logical_failure_per_run
    )
    components["surface_code"] = {
        "kind": "probability",
        "allocated": sc,
        "knob": "logical_failure_per_run",
        "value": sc / runs,
    }
    return Configuration(
        knobs={**dict(knobs), "t_per_rotation": t_rot},
        job_t_count=runs * run_t,
        run_t_count=run_t,
        failure_probability=min(1.0, p_read + sc),
        overlap_error=float(total_do),
        components=components,
    )


def check_target(p: float) -> float:
    if (
        isinstance(p, bool)
        or not isinstance(p, (int, float))
        or not (math.isfinite(p) and 0 < p < 1)
    ):
        raise ValueError(f"failure probability must be in (0, 1), got {p!r}")
    return float(p)


def readout_budget(problem: BudgetProblem, target: float) -> float:
    """The readout's share of P: all but the surface code's share."""
    return target * (1 - problem.surface_code_share)


def uniform_share(problem: BudgetProblem) -> float:
    names = [c for c in MARGIN_COMPONENTS if c != "qlsa" or problem.has_qlsa]
    return abs(problem.overlap) / (2 * len(names))


def fixed_defaults(
    problem: BudgetProblem,
    target: float = 0.01,
    knobs: Mapping[str, int] | None = None,
    qlsa_epsilon: float = 0.01,
) -> dict[str, Any]:
    """Today's fixed knobs (8, 6, 3, 8, or the four given in ``knobs``, e.g. a user's; 11 T per
    rotation at ε = 1e-3; 1/o² shots; a QLSA at ``qlsa_epsilon``): their job T-count, failure
    bound, whether they meet ``target`` and which components break it (a component breaks the
    budget when it alone, every other error zero and shots unlimited — or, for the readout, with
    every systematic error zero — cannot meet the target)."""
    target = check_target(target)
    shots = 1.0 / problem.overlap**2
    chosen = {k: (knobs or FIXED_DEFAULTS)[k] for k in KNOBS}
    knobs = {**chosen, "rotation_epsilon": DEFAULT_ROTATION_EPSILON, "readout_shots": shots}
    if problem.has_qlsa:
        knobs["qlsa_epsilon"] = float(qlsa_epsilon)
    conf = evaluate(problem, knobs, target=target, t_per_rotation=T_PER_ROTATION)
    o = abs(problem.overlap)
    breaking = [
        name
        for name, c in conf.components.items()
        if c["kind"] == "overlap_margin" and c["allocated"] >= o
    ]
    if em.readout_failure(shots, o) > readout_budget(problem, target):
        breaking.append("readout")
    out = conf.as_dict()
    out["meets_target"] = bool(conf.failure_probability <= target and conf.overlap_error < o)
    out["breaking_components"] = breaking
    return out


def json_safe(x: Any) -> Any:
    """Plain Python numbers; a non-finite number (no bound) becomes ``None``."""
    if isinstance(x, Mapping):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, (bool, str)) or x is None:
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if not math.isfinite(x):
        return None
    return int(x) if x == int(x) and abs(x) < 2**53 else x


def error_budget_section(problem: BudgetProblem, target: float = 0.01, fixed=None) -> dict:
    """The report's ``error_budget`` section (see ``docs/error_budget.md``, "Report fields")."""
    from resource_estimates.error_budget.optimiser import (  # cycle
        check_fixed,
        optimise,
        uniform_split,
    )

    target = check_target(target)
    best = optimise(problem, target, fixed)
    uni = uniform_split(problem, target)
    dflt = fixed_defaults(problem, target)
    return json_safe(
        {
            "target": target,
            "total": best.failure_probability,
            "objective": "job T-count",
            "components": best.components,
            "knobs": best.knobs,
            "overlap": {
                "exact": problem.overlap,
                "error_bound": best.overlap_error,
                "left_for_readout": abs(problem.overlap) - best.overlap_error,
            },
            "job_t_count": {
                "optimised": best.job_t_count,
                "uniform_split": uni.job_t_count,
                "fixed_defaults": dflt["job_t_count"],
            },
            "uniform_over_optimised": uni.job_t_count / best.job_t_count,
            "uniform_split": uni.as_dict(),
            "fixed_defaults": dflt,
            "model": {
                "readout": "Hoeffding exp(-S o_eff^2/2) (Lemma III.7)",
                "rotation_model": problem.rotation_model,
                "surface_code_share": problem.surface_code_share,
                "post_selection": problem.post_selection,
                "fixed_by_user": sorted(check_fixed(fixed)),
            },
        }
    )
