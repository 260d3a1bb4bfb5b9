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
:func:`formula_run_costs`; 4 T per Toffoli,
:func:`~resource_estimates.error_budget.model.rotation_t_count` per rotation), subject to the error
model of :mod:`resource_estimates.error_budget.model`: the systematic errors leave a positive
readout margin, and the readout's Hoeffding failure plus the surface code's share is ≤ P.
``budget_optimiser.uniform_split`` gives every systematic component the same share of half the
margin; :func:`fixed_defaults` evaluates today's fixed knobs (8, 6, 3, 8, rotations at ε = 10⁻³ and
1/o² shots) in the *same* rotation model as the optimum (``BudgetProblem.rotation_model``), so
"defaults vs optimised" compares like with like.
:func:`resource_estimates.error_budget.section.error_budget_section` returns all three as one
JSON-ready dict for the report. Derivation: ``docs/error_budget.md``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from resource_estimates.error_budget import model as em
from resource_estimates.error_budget import row_bounds as rb
from resource_estimates.error_budget.knob_costs import FIXED_DEFAULTS, RunCosts, formula_run_costs
from resource_estimates.logical.counts import T_PER_TOFFOLI, post_selection_runs

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
    "readout_failure",
    "PARTS",
    "uniform_share",
    "fixed_defaults",
]

KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
#: The per-row error parts of :meth:`BudgetProblem.row_bounds`.
PARTS = ("loader", "phase", "median", "table")
#: Ratio k_hi/k_lo of the shells rows are grouped into by |k_i| (√2: a shell's share cap
#: q/k_lo² is at most 2× its rows' own Σ k_i²/(n k_lo²)).
SHELL_RATIO = math.sqrt(2.0)
#: The fixed defaults' rotation-synthesis error (their T per rotation comes from the problem's
#: rotation model, the one the optimum is costed in).
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
        label_flatness: max_i |Y_i|·√n of the readout vector (1 for ±1 labels on every row,
            √(n/n_labelled) with zero-label padding rows): the rows' errors then enter the
            overlap with their share of the rows, not its square root. ``None``: no such bound
            (the sparsified variant reads the QLSA's solution, which need not be flat).
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
    label_flatness: float | None = 1.0
    _eta_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        em.check_probability("success probability", self.success_probability, closed_right=True)
        if not (math.isfinite(self.overlap) and 0 < abs(self.overlap) <= 1):
            raise ValueError(f"readout overlap must be in [-1, 1], nonzero, got {self.overlap!r}")
        em.check_probability("surface_code_share", self.surface_code_share)
        if self.label_flatness is not None and not self.label_flatness >= 1:
            raise ValueError(f"label_flatness must be >= 1 or None, got {self.label_flatness!r}")
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
        ``options``: the other fields (rotation model, surface-code share, ...; a ready
        ``sensitivity`` instead of ``kernel``, which may then be ``None``)."""
        from resource_estimates.variants.registry import get_variant

        dq = data.at(params.n)
        names = get_variant(params.variant).knob_names
        variant_knobs = {
            k: params.knobs[k] if k in params.knobs else getattr(params, k)
            for k in names
            if k not in KNOBS
        }
        if options.get("has_qlsa"):
            options.setdefault("label_flatness", None)
            kappa_eff = variant_knobs.get("kappa_eff", variant_knobs.get("kappa", 1.0))
            options.setdefault("qlsa_kappa", float(kappa_eff))
        sens = options.pop("sensitivity", None) or em.KernelSensitivity.from_kernel(kernel)
        return cls(
            n=params.n,
            d=params.d,
            success_probability=dq["success_probability"].value,
            overlap=dq["readout_overlap"].value,
            sensitivity=sens,
            run_costs=formula_run_costs(
                params.n, params.d, params.variant, params.data_access, qram, variant_knobs
            ),
            post_selection=params.post_selection,
            **options,
        )

    @property
    def runs_per_shot(self) -> float:
        return float(post_selection_runs(self.success_probability, self.post_selection))

    def shells(self) -> tuple[np.ndarray, np.ndarray, list]:
        """Rows grouped by |k_i| into shells [k_lo, k_hi] with k_hi/k_lo = ``SHELL_RATIO`` down to
        10⁻³·√q, plus the rest [0, 10⁻³·√q]: (k_lo, k_hi, ρ intervals of each shell)."""
        key = ("shells",)
        if key not in self._eta_cache:
            q, sens = self.success_probability, self.sensitivity
            edges = [1.0]
            while edges[-1] > 1e-3 * math.sqrt(q):
                edges.append(edges[-1] / SHELL_RATIO)
            lo, hi, intervals = [], [], []
            for top, bottom in itertools.pairwise(edges):
                lo.append(bottom)
                hi.append(top)
                intervals.append(sens.shell(bottom, top))
            lo.append(0.0)
            hi.append(edges[-1])
            intervals.append(sens.shell(-edges[-1], edges[-1]))
            self._eta_cache[key] = (np.array(lo), np.array(hi), intervals)
        return self._eta_cache[key]

    def smooth_terms(self, amplitude_bits: int, phase_bits: int, parts=PARTS) -> dict:
        """Per shell: the loader modulus ``loader`` (J,) and the AE moduli ``phase`` (J, m) at
        phase windows 2^s/M, s = 0..m−1 (the last one is half the circle: every phase); zeros
        for the parts not asked for."""
        sens = self.sensitivity
        width = 2 * em.loader_state_error(amplitude_bits, self.d)
        _, _, intervals = self.shells()
        out = {"loader": np.zeros(len(intervals)), "phase": np.zeros((len(intervals), 1))}
        if "loader" in parts:
            key = ("loader", amplitude_bits)
            if key not in self._eta_cache:
                self._eta_cache[key] = sens.rho_moduli(width, intervals)
            out["loader"] = self._eta_cache[key]
        if "phase" in parts or "median" in parts:
            key = ("phase", amplitude_bits, phase_bits)
            if key not in self._eta_cache:
                # AE estimates the *loaded* inner product, up to ``width`` from the row's own ρ
                widened = [
                    tuple((max(a - width, -1.0), min(b + width, 1.0)) for a, b in iv)
                    for iv in intervals
                ]
                phase = np.stack(
                    [sens.phase_moduli(phase_bits - s, widened) for s in range(phase_bits)],
                    axis=-1,
                )
                self._eta_cache[key] = np.maximum.accumulate(phase, axis=-1)
            out["phase"] = self._eta_cache[key]
        return out

    def row_bounds(self, amplitude_bits, phase_bits, median_copies, kernel_bits, parts=PARTS):
        """Bounds of the per-row errors summed over the rows, by shell LP
        (:func:`~resource_estimates.error_budget.row_bounds.share_lp_max`), for the error ``parts``
        switched on (``loader``, ``phase``, ``median``, ``table``). ``median_copies`` and
        ``kernel_bits`` may be arrays (broadcast together). Returns (N1, C, ΔQ): the numerator's
        kernel-error term N1 ≥ Σ_i |c̄_i − k_i||Y_i|/√n, the coefficient C of the label error in
        Σ_i |c̄_i − k_i||Ỹ_i − Y_i|/√n ≤ C·e_Y, and ΔQ ≥ |Q − q| (``docs/error_budget.md`` §3)."""
        t = self.smooth_terms(amplitude_bits, phase_bits, parts)
        lo, hi, _ = self.shells()
        q = self.success_probability
        ks = np.asarray(median_copies, dtype=float)
        bk = np.asarray(kernel_bits, dtype=float)
        shape = np.broadcast_shapes(ks.shape, bk.shape)
        ks, bk = np.broadcast_to(ks, shape), np.broadcast_to(bk, shape)
        tab = np.sin(math.pi / 2.0 ** (bk + 1)) if "table" in parts else np.zeros(shape)
        fixed = tab[..., None] + (t["loader"] if "loader" in parts else 0.0)  # (..., J)
        a = t["phase"]
        a0 = a[:, 0] if "phase" in parts else np.zeros(a.shape[0])
        if "median" in parts:
            t1, t2 = rb.tail_charge(a, ks)
        else:
            t1 = t2 = np.zeros((*shape, a.shape[0]))
        ea = a0 + t1
        e1 = fixed + ea
        e2 = fixed**2 + 2 * fixed * ea + a0**2 + t2
        a_lp = lo**2
        norm = rb.share_lp_max(2 * hi * e1 + e2, a_lp, q)
        if self.label_flatness is None:  # Cauchy–Schwarz per shell with ‖Ỹ_shell‖ ≤ 1
            cap = np.minimum(1.0, q / np.where(a_lp > 0, a_lp, 1.0))
            cap = np.where(a_lp > 0, cap, 1.0)
            return np.sum(e1 * np.sqrt(cap), axis=-1), 0.0, norm
        num = self.label_flatness * rb.share_lp_max(e1, a_lp, q)
        cross = np.sqrt(rb.share_lp_max(e1 * e1, a_lp, q))
        return num, cross, norm

    def label_error(self, amplitude_bits, qlsa_epsilon=0.0):
        """Error of the state |v⟩ the Hadamard test reads from the label loader: ‖Ỹ − Y‖, and
        with a QLSA that error through the solver (×:func:`~error_model.qlsa_label_gain`)."""
        e = em.loader_state_error(amplitude_bits, self.n)
        return e * em.qlsa_label_gain(self.qlsa_kappa, qlsa_epsilon) if self.has_qlsa else e

    def margin(self, bounds, label_error, state_error=0.0, qlsa_epsilon=0.0):
        """Smallest |õ| for ``bounds`` = (N1, C, ΔQ) of :meth:`row_bounds` (arrays broadcast),
        the label error e_Y, the run's state error s and (QLSA) the solver's 2ε."""
        n1, cross, dq = bounds
        q = self.success_probability
        d_num = n1 + (math.sqrt(q) + cross) * label_error
        qlsa = em.qlsa_state_error(qlsa_epsilon) if self.has_qlsa else 0.0
        x0 = abs(self.overlap) * math.sqrt(q)
        return rb.readout_margin(x0, d_num, dq, q, state_error, qlsa)

    def overlap_error(self, bounds, label_error, state_error=0.0, qlsa_epsilon=0.0):
        """Δo = |o| − (smallest |õ|): the margin the systematic errors use (``inf`` when they
        can flip the sign)."""
        m = self.margin(bounds, label_error, state_error, qlsa_epsilon)
        out = np.where(np.asarray(m) > 0, abs(self.overlap) - np.asarray(m), np.inf)
        return float(out) if out.ndim == 0 else out

    def alone(self, name: str, knobs: Mapping[str, Any], state_error: float = 0.0) -> float:
        """Δo of one systematic component alone (every other error zero)."""
        ba, m, k, bk = (int(knobs.get(x, d)) for x, d in zip(KNOBS, (48, 40, 201, 64), strict=True))
        qeps = float(knobs.get("qlsa_epsilon", 0.0)) if self.has_qlsa else 0.0
        zero = (0.0, 0.0, 0.0)
        if name == "loader":
            b = self.row_bounds(ba, m, k, bk, ("loader",))
            return self.overlap_error(b, self.label_error(ba, qeps))
        if name == "amplitude_estimation":
            return self.overlap_error(self.row_bounds(ba, m, k, bk, ("phase",)), 0.0)
        if name == "median":
            return self.overlap_error(self.row_bounds(ba, m, k, bk, ("median",)), 0.0)
        if name == "kernel_table":
            return self.overlap_error(self.row_bounds(ba, m, k, bk, ("table",)), 0.0)
        if name == "rotation_synthesis":
            return self.overlap_error(zero, 0.0, state_error)
        if name == "qlsa":
            return float(em.qlsa_state_error(qeps))
        raise ValueError(f"unknown component {name!r}")


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
    margin = problem.margin(problem.row_bounds(ba, m, k, bk), label, rot * eps, qeps)
    total_do = abs(problem.overlap) - margin if margin > 0 else math.inf
    p_read = readout_failure(shots, margin)
    names = [c for c in MARGIN_COMPONENTS if c != "qlsa" or problem.has_qlsa]
    alone = {c: problem.alone(c, knobs, rot * eps) for c in names}
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


def readout_failure(shots: float, margin: float) -> float:
    """Failure bound of a majority over ``shots`` ±1 outcomes of mean ≥ ``margin``: the exact
    binomial tail at that margin (shots made odd downwards), never above Hoeffding's."""
    if not margin > 0:
        return 1.0
    hoeffding = em.readout_failure(shots, margin)
    odd = math.floor(shots)
    odd = odd if odd % 2 else odd - 1
    if odd < 1:
        return hoeffding
    return min(hoeffding, float(rb.binomial_sign_failure(odd, (1 + margin) / 2)))


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
    """Today's fixed knobs (8, 6, 3, 8, or the four given in ``knobs``, e.g. a user's; rotations
    at ε = 1e-3 in the problem's rotation model, as the optimum; 1/o² shots; a QLSA at
    ``qlsa_epsilon``): their job T-count, failure bound, whether they meet ``target`` and which
    components break it (a component breaks the budget when it alone, every other error zero and
    shots unlimited — or, for the readout, with every systematic error zero — cannot meet the
    target)."""
    target = check_target(target)
    shots = 1.0 / problem.overlap**2
    chosen = {k: (knobs or FIXED_DEFAULTS)[k] for k in KNOBS}
    knobs = {**chosen, "rotation_epsilon": DEFAULT_ROTATION_EPSILON, "readout_shots": shots}
    if problem.has_qlsa:
        knobs["qlsa_epsilon"] = float(qlsa_epsilon)
    conf = evaluate(problem, knobs, target=target)
    o = abs(problem.overlap)
    breaking = [
        name
        for name, c in conf.components.items()
        if c["kind"] == "overlap_margin" and c["allocated"] >= o
    ]
    if readout_failure(shots, o) > readout_budget(problem, target):
        breaking.append("readout")
    out = conf.as_dict()
    out["meets_target"] = bool(conf.failure_probability <= target and conf.overlap_error < o)
    out["breaking_components"] = breaking
    return out
