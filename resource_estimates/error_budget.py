"""A whole-job error budget: the knobs that meet a failure probability P at the least T-count.

Given P (the probability that the job outputs the wrong sign), :func:`optimise` chooses

* the precision knobs ``amplitude_bits``, ``phase_bits``, ``median_copies``, ``kernel_bits``,
* the rotation-synthesis error per rotation ``rotation_epsilon`` (one value for every rotation,
  the same ε the physical models must use) and
* the readout shots,

minimising the job's T-count ``shots × runs per shot × T(run)``, where T(run) comes from the
existing costing (the run's Toffoli, T and rotation counts for those knobs: see
:func:`formula_run_costs`; 4 T per Toffoli, :func:`~resource_estimates.error_model.rotation_t_count`
per rotation), subject to the error model of :mod:`resource_estimates.error_model`: the
systematic errors leave a positive readout margin, and the readout's Hoeffding failure plus the
surface code's share is ≤ P. :func:`uniform_split` gives every systematic component the same
share of half the margin; :func:`fixed_defaults` evaluates today's fixed knobs (8, 6, 3, 8 with
Qualtran's 11 T per rotation at ε = 10⁻³ and 1/o² shots). :func:`error_budget_section` returns
all three as one JSON-ready dict for the report. Derivation: ``docs/error_budget.md``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from resource_estimates import error_model as em
from resource_estimates.logical import T_PER_ROTATION, T_PER_TOFFOLI, post_selection_runs

__all__ = [
    "KNOBS",
    "FIXED_DEFAULTS",
    "MARGIN_COMPONENTS",
    "BudgetProblem",
    "Configuration",
    "formula_run_costs",
    "evaluate",
    "optimise",
    "uniform_split",
    "fixed_defaults",
    "error_budget_section",
]

KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
FIXED_DEFAULTS = {"amplitude_bits": 8, "phase_bits": 6, "median_copies": 3, "kernel_bits": 8}
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
_SEARCH = {
    "amplitude_bits": (6, 48),  # the fitted cost form is verified from 6 bits
    "phase_bits": (4, 40),
    "median_copies": (1, 201),
    "kernel_bits": (1, 48),
}
_LOG2_INV_EPS = np.arange(1.0, 96.0, 0.25)

#: (toffoli, t, rotation) of one coherent run, vectorised over median copies and kernel bits.
RunCosts = Callable[[int, int, np.ndarray, np.ndarray], tuple[Any, Any, Any]]


#: The run's cost is fitted once per (variant, access, QRAM model, d, n) — building the bloq at
#: each knob value takes ~1 s and its kernel table has 2^m entries (~2^m/10⁴ s) — as exact
#: bilinear forms in (1, b_a) × (2^m, m², m, 1) and verified at other knob values; see _fitted.
_FIT_POINTS = tuple((ba, m) for ba in (8, 9) for m in (9, 10, 11, 12))
_CHECK_POINTS = ((6, 9), (24, 10), (10, 13), (8, 4))


def _basis(ba: int, m: int) -> list[int]:
    return [f * g for f in (1, ba) for g in (2**m, m * m, m, 1)]


def _coefficients(variant, data_access, qram, d, n, amplitude_bits, phase_bits) -> tuple:
    """The run's (toffoli, t, rotation) as polynomials in (k, b_k): tuples of
    ((power of k, power of b_k), coefficient), at n."""
    return _at(_fitted(variant, data_access, qram, d, n), amplitude_bits, phase_bits)


def _at(model: tuple, amplitude_bits: int, phase_bits: int) -> tuple:
    basis = _basis(amplitude_bits, phase_bits)
    out = []
    for field_coefs in model:
        terms = []
        for mon, coef in sorted(field_coefs.items()):
            v = sum(c * b for c, b in zip(coef, basis, strict=True))
            if v:
                terms.append((mon, v))
        out.append(tuple(terms))
    return tuple(out)


@lru_cache(maxsize=32)
def _built(variant, data_access, qram, d, n, amplitude_bits, phase_bits) -> tuple:
    """The run's cost polynomials from the report's symbolic formulas (bloq built at these
    knobs)."""
    import sympy

    from resource_estimates import report  # late: report will import this module

    knobs = {**FIXED_DEFAULTS, "amplitude_bits": amplitude_bits, "phase_bits": phase_bits}
    run, _ = report.symbolic_costs(variant, data_access, qram, d, knobs)
    k, bk = report.SYMBOLS["median_copies"], report.SYMBOLS["kernel_bits"]
    out = []
    for f in ("toffoli", "t", "rotation"):
        expr = sympy.sympify(getattr(run, f)).xreplace({report.SYMBOLS["n"]: n})
        poly = sympy.Poly(sympy.expand(sympy.simplify(expr)), k, bk)
        out.append(tuple(sorted((mon, int(c)) for mon, c in poly.terms())))
    return tuple(out)


@lru_cache(maxsize=16)
def _fitted(variant, data_access, qram, d, n) -> tuple:
    """Per cost field, monomial of (k, b_k) → its 8 coefficients on :func:`_basis`, solved
    exactly from the formulas at :data:`_FIT_POINTS` and checked at :data:`_CHECK_POINTS`
    (``ValueError`` on any mismatch: the cost is then not of this form)."""
    import sympy

    args = (variant, data_access, qram, d, n)
    fits = {pt: _built(*args, *pt) for pt in _FIT_POINTS}
    mat = sympy.Matrix([_basis(*pt) for pt in _FIT_POINTS])
    model = []
    for i in range(3):
        mons = sorted({mon for f in fits.values() for mon, _ in f[i]})
        coefs = {}
        for mon in mons:
            ys = sympy.Matrix([dict(fits[pt][i]).get(mon, 0) for pt in _FIT_POINTS])
            sol = mat.LUsolve(ys)
            if any(not v.is_Integer for v in sol):
                raise ValueError("run cost is not an integer bilinear form in b_a and 2^m, m², m")
            coefs[mon] = tuple(int(v) for v in sol)
        model.append(coefs)
    model = tuple(model)
    for pt in _CHECK_POINTS:
        got = _at(model, *pt)
        if got != _built(*args, *pt):
            raise ValueError(f"fitted run cost does not match the formula at (b_a, m) = {pt}")
    return model


def _poly_eval(terms: tuple, k: np.ndarray, bk: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(k, bk).shape)
    for (pk, pb), c in terms:
        out = out + float(c) * k**pk * bk**pb
    return out


def formula_run_costs(
    n: int, d: int, variant: str = "diagonal", data_access: str = "qrom", qram: str = "unit_cost"
) -> RunCosts:
    """Run costs from the report's cached symbolic formulas (:func:`report.symbolic_costs`)
    with n substituted (never enumerates n), fitted once as an exact form in the amplitude and
    phase bits and verified at other values (:func:`_fitted`)."""

    def costs(amplitude_bits, phase_bits, median_copies, kernel_bits):
        polys = _coefficients(
            variant, data_access, qram, int(d), int(n), int(amplitude_bits), int(phase_bits)
        )
        k = np.asarray(median_copies, dtype=float)
        bk = np.asarray(kernel_bits, dtype=float)
        return tuple(_poly_eval(p, k, bk) for p in polys)

    return costs


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
            component, whose ε the run costs must accept as the keyword ``qlsa_epsilon``.
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
    _eta_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        em._check_prob("success probability", self.success_probability, closed_right=True)
        if not (math.isfinite(self.overlap) and 0 < abs(self.overlap) <= 1):
            raise ValueError(f"readout overlap must be in [-1, 1], nonzero, got {self.overlap!r}")
        em._check_prob("surface_code_share", self.surface_code_share)
        if self.rotation_model not in em.ROTATION_MODELS:
            raise ValueError(f"rotation model must be one of {em.ROTATION_MODELS}")

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
            self._eta_cache[key] = {
                "loader": np.array([sens.rho_modulus(width, iv) for iv in intervals]),
                "phase": np.array([sens.phase_modulus(phase_bits, iv) for iv in intervals]),
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

    def label_error(self, amplitude_bits) -> float:
        return em.loader_state_error(amplitude_bits, self.n)

    def overlap_error(self, eta, label_error, state_error, qlsa_epsilon=0.0):
        """Δo for ``eta`` = (η_num, η_norm) (see :func:`error_model.overlap_error_bound`)."""
        q, o = self.success_probability, self.overlap
        return em.overlap_error_bound(eta[0], eta[1], label_error, state_error, q, o) + qlsa_epsilon


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
    label = problem.label_error(ba)
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
        alone["qlsa"] = qeps
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


def _check_target(p: float) -> float:
    if (
        isinstance(p, bool)
        or not isinstance(p, (int, float))
        or not (math.isfinite(p) and 0 < p < 1)
    ):
        raise ValueError(f"failure probability must be in (0, 1), got {p!r}")
    return float(p)


def _readout_budget(problem: BudgetProblem, target: float, runs_hint: float = 0.0) -> float:
    if problem.logical_failure_per_run is None:
        return target * (1 - problem.surface_code_share)
    return target - runs_hint * problem.logical_failure_per_run


def _grid(values, fixed_value=None):
    return [fixed_value] if fixed_value is not None else list(values)


def _best_inner(problem, target, ba, m, fixed) -> dict | None:
    """Best (median_copies, kernel_bits, rotation ε, shots) for fixed (amplitude_bits,
    phase_bits): a coarse grid, then a fine one around its best point; ``None`` if no choice
    leaves a margin."""
    k_hi, bk_lo, bk_hi = _SEARCH["median_copies"][1], *_SEARCH["kernel_bits"]
    coarse = (range(1, k_hi + 1, 6), range(bk_lo, bk_hi + 1, 3), _LOG2_INV_EPS[::4])
    best = _grid_best(problem, target, ba, m, fixed, *coarse)
    if best is None:
        return None
    k0, b0, l0 = best["median_copies"], best["kernel_bits"], -math.log2(best["rotation_epsilon"])
    fine = (
        [k for k in range(k0 - 6, k0 + 7, 2) if 1 <= k <= k_hi],
        [b for b in range(b0 - 3, b0 + 4) if bk_lo <= b <= bk_hi],
        _LOG2_INV_EPS[np.abs(_LOG2_INV_EPS - l0) <= 1.0],
    )
    return _grid_best(problem, target, ba, m, fixed, *fine)


def _grid_best(problem, target, ba, m, fixed, k_values, bk_values, log2_inv_eps) -> dict | None:
    ks = _grid(k_values, fixed.get("median_copies"))
    bks = _grid(bk_values, fixed.get("kernel_bits"))
    eps_grid = (
        np.array([fixed["rotation_epsilon"]])
        if "rotation_epsilon" in fixed
        else 2.0 ** -np.asarray(log2_inv_eps, dtype=float)
    )
    kk, bb = np.meshgrid(np.array(ks, float), np.array(bks, float), indexing="ij")
    qeps, extra = 0.0, {}
    if problem.has_qlsa:  # the hook: its uniform share (no costable variant has a QLSA yet)
        qeps = float(fixed.get("qlsa_epsilon", _uniform_share(problem)))
        extra = {"qlsa_epsilon": qeps}
    tof, t, rot = problem.run_costs(ba, m, kk, bb, **extra)
    tab = np.array([em.kernel_table_error(b) for b in bks])[None, :]
    beta = np.array([em.median_failure(k) for k in ks])[:, None]
    uniform = tab + beta * (1.0 - problem.sensitivity.k_min + tab)
    eta_num, eta_norm = problem.eta(ba, m, uniform)
    label = problem.label_error(ba)
    eta = (np.asarray(eta_num)[..., None], np.asarray(eta_norm)[..., None])
    do = problem.overlap_error(eta, label, rot[..., None] * eps_grid, qeps)
    margin = abs(problem.overlap) - do
    t_rot = np.array([em.rotation_t_count(e, problem.rotation_model) for e in eps_grid])
    run_t = t[..., None] + T_PER_TOFFOLI * tof[..., None] + rot[..., None] * t_rot
    p_read = _readout_budget(problem, target)
    if "readout_shots" in fixed:
        shots = np.full(margin.shape, float(fixed["readout_shots"]))
        ok = (margin > 0) & (np.exp(-shots * np.maximum(margin, 0) ** 2 / 2) <= p_read)
    else:
        if p_read <= 0:
            return None
        with np.errstate(divide="ignore"):
            shots = np.ceil(2 * math.log(1 / p_read) / np.where(margin > 0, margin, np.nan) ** 2)
        shots = shots + (shots % 2 == 0)
        ok = margin > 0
    cost = np.where(ok, shots * problem.runs_per_shot * run_t, np.inf)
    if not np.isfinite(cost).any():
        return None
    i, j, e = np.unravel_index(int(np.nanargmin(cost)), cost.shape)
    return {
        **extra,
        "amplitude_bits": ba,
        "phase_bits": m,
        "median_copies": ks[i],
        "kernel_bits": bks[j],
        "rotation_epsilon": float(eps_grid[e]),
        "readout_shots": float(shots[i, j, e]),
        "_cost": float(cost[i, j, e]),
    }


def optimise(
    problem: BudgetProblem, target: float = 0.01, fixed: Mapping[str, Any] | None = None
) -> Configuration:
    """The knobs of least job T-count with failure ≤ ``target``; ``fixed`` knobs are kept.

    Amplitude and phase bits (one cost formula each) by local search from the uniform split's
    values; median copies, kernel bits, rotation ε and shots exhaustively on a grid for each.
    Raises a one-line ``ValueError`` if the fixed knobs cannot meet the target.
    """
    target = _check_target(target)
    fixed = _check_fixed(fixed)
    _check_fixed_alone(problem, target, fixed)
    start = _uniform_knobs(problem, target, fixed)
    point = (start["amplitude_bits"], start["phase_bits"])
    seen: dict[tuple[int, int], dict | None] = {}

    def value(pt):
        if pt not in seen:
            seen[pt] = _best_inner(problem, target, pt[0], pt[1], fixed)
        return math.inf if seen[pt] is None else seen[pt]["_cost"]

    while True:
        moves = [
            (point[0] + da, point[1] + dm)
            for da, dm in itertools.product((-1, 0, 1), repeat=2)
            if (da == 0 or "amplitude_bits" not in fixed) and (dm == 0 or "phase_bits" not in fixed)
        ]
        moves = [
            p
            for p in moves
            if _SEARCH["amplitude_bits"][0] <= p[0] <= _SEARCH["amplitude_bits"][1]
            and _SEARCH["phase_bits"][0] <= p[1] <= _SEARCH["phase_bits"][1]
        ]
        best = min(moves, key=value)
        if value(best) >= value(point):
            break
        point = best
    if seen.get(point) is None:
        raise ValueError(_infeasible_message(problem, target, fixed))
    knobs = {k: v for k, v in seen[point].items() if not k.startswith("_")}
    return evaluate(problem, knobs, target=target)


def _check_fixed(fixed: Mapping[str, Any] | None) -> dict[str, Any]:
    fixed = dict(fixed or {})
    allowed = set(KNOBS) | {"rotation_epsilon", "readout_shots"}
    for name, v in fixed.items():
        if name not in allowed:
            raise ValueError(f"unknown knob {name!r}; choose from {sorted(allowed)}")
        if name == "rotation_epsilon":
            em._check_prob("rotation_epsilon", v)
        elif isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    if fixed.get("median_copies", 1) % 2 == 0:
        raise ValueError(f"median_copies must be odd, got {fixed['median_copies']}")
    return fixed


def _check_fixed_alone(problem: BudgetProblem, target: float, fixed: Mapping[str, Any]) -> None:
    """Fail fast when one fixed knob's error alone (every other error zero) exhausts the margin."""
    err, o = problem.overlap_error, abs(problem.overlap)
    alone = {}
    if "median_copies" in fixed:
        med = em.median_failure(fixed["median_copies"]) * (1.0 - problem.sensitivity.k_min)
        alone["median_copies"] = err((med, med), 0.0, 0.0)
    if "kernel_bits" in fixed:
        tab = em.kernel_table_error(fixed["kernel_bits"])
        alone["kernel_bits"] = err((tab, tab), 0.0, 0.0)
    if "amplitude_bits" in fixed:
        ba = fixed["amplitude_bits"]
        alone["amplitude_bits"] = err(problem.eta(ba, 6, parts=("loader",)), 0.0, 0.0)
    if "phase_bits" in fixed:
        alone["phase_bits"] = err(problem.eta(8, fixed["phase_bits"], parts=("phase",)), 0.0, 0.0)
    for name, value in alone.items():
        if value >= o:
            raise ValueError(_infeasible_message(problem, target, {name: fixed[name]}))


def _infeasible_message(problem, target, fixed) -> str:
    names = ", ".join(f"{k}={v}" for k, v in sorted(fixed.items())) or "no fixed knobs"
    return (
        f"failure probability {target:g} cannot be met with {names}: the systematic errors use "
        f"the whole readout margin o = {abs(problem.overlap):.3g}"
    )


def _smallest(lo: int, hi: int, ok: Callable[[int], bool], step: int = 1) -> int | None:
    for v in range(lo, hi + 1, step):
        if ok(v):
            return v
    return None


def _uniform_share(problem: BudgetProblem) -> float:
    names = [c for c in MARGIN_COMPONENTS if c != "qlsa" or problem.has_qlsa]
    return abs(problem.overlap) / (2 * len(names))


def _uniform_knobs(problem: BudgetProblem, target: float, fixed: Mapping[str, Any]) -> dict:
    """Each systematic component's error alone ≤ |o|/(2K); the readout keeps the rest."""
    share = _uniform_share(problem)
    err = problem.overlap_error

    def pick(knob, ok, step=1):
        if knob in fixed:
            return fixed[knob]
        lo, hi = _SEARCH[knob]
        v = _smallest(lo, hi, ok, step)
        return hi if v is None else v

    ba = pick(
        "amplitude_bits",
        lambda b: err(problem.eta(b, 6, parts=("loader",)), problem.label_error(b), 0.0) <= share,
    )
    m = pick("phase_bits", lambda v: err(problem.eta(ba, v, parts=("phase",)), 0.0, 0.0) <= share)
    bk = pick("kernel_bits", lambda v: err((em.kernel_table_error(v),) * 2, 0.0, 0.0) <= share)
    span = 1.0 - problem.sensitivity.k_min + em.kernel_table_error(bk)
    k = pick(
        "median_copies", lambda v: err((em.median_failure(v) * span,) * 2, 0.0, 0.0) <= share, 2
    )
    knobs = {"amplitude_bits": ba, "phase_bits": m, "median_copies": k, "kernel_bits": bk}
    extra = {"qlsa_epsilon": share} if problem.has_qlsa else {}
    _, _, rot = (float(v) for v in problem.run_costs(ba, m, k, bk, **extra))
    if "rotation_epsilon" in fixed:
        eps = float(fixed["rotation_epsilon"])
    else:
        eps = next(
            (float(e) for e in 2.0**-_LOG2_INV_EPS if err((0.0, 0.0), 0.0, rot * e) <= share),
            float(2.0 ** -_LOG2_INV_EPS[-1]),
        )
    knobs["rotation_epsilon"] = eps
    if problem.has_qlsa:
        knobs["qlsa_epsilon"] = share
    eta = problem.eta(ba, m, problem.uniform_error(k, bk))
    do = err(eta, problem.label_error(ba), rot * eps, knobs.get("qlsa_epsilon", 0.0))
    margin = abs(problem.overlap) - do
    if "readout_shots" in fixed:
        knobs["readout_shots"] = fixed["readout_shots"]
    elif margin > 0:
        knobs["readout_shots"] = em.readout_shots_for(_readout_budget(problem, target), margin)
    else:
        knobs["readout_shots"] = math.inf
    return knobs


def uniform_split(problem: BudgetProblem, target: float = 0.01) -> Configuration:
    """Every systematic component gets the same share |o|/(2K) of the readout margin (its error
    alone, with the smallest knob meeting it); the readout shots meet the rest of P."""
    target = _check_target(target)
    knobs = _uniform_knobs(problem, target, {})
    if not math.isfinite(knobs["readout_shots"]):
        raise ValueError(_infeasible_message(problem, target, {}))
    return evaluate(problem, knobs, target=target)


def fixed_defaults(problem: BudgetProblem, target: float = 0.01) -> dict[str, Any]:
    """Today's fixed knobs (8, 6, 3, 8; 11 T per rotation at ε = 1e-3; 1/o² shots): their job
    T-count, failure bound, whether they meet ``target`` and which components break it (a
    component breaks the budget when it alone, every other error zero and shots unlimited — or,
    for the readout, with every systematic error zero — cannot meet the target)."""
    target = _check_target(target)
    shots = 1.0 / problem.overlap**2
    knobs = {**FIXED_DEFAULTS, "rotation_epsilon": DEFAULT_ROTATION_EPSILON, "readout_shots": shots}
    if problem.has_qlsa:
        knobs["qlsa_epsilon"] = 0.01
    conf = evaluate(problem, knobs, target=target, t_per_rotation=T_PER_ROTATION)
    o = abs(problem.overlap)
    breaking = [
        name
        for name, c in conf.components.items()
        if c["kind"] == "overlap_margin" and c["allocated"] >= o
    ]
    if em.readout_failure(shots, o) > _readout_budget(problem, target):
        breaking.append("readout")
    out = conf.as_dict()
    out["meets_target"] = bool(conf.failure_probability <= target and conf.overlap_error < o)
    out["breaking_components"] = breaking
    return out


def error_budget_section(problem: BudgetProblem, target: float = 0.01, fixed=None) -> dict:
    """The report's ``error_budget`` section (see ``docs/error_budget.md``, "Report fields")."""
    target = _check_target(target)
    best = optimise(problem, target, fixed)
    uni = uniform_split(problem, target)
    dflt = fixed_defaults(problem, target)
    return {
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
            "fixed_by_user": sorted(_check_fixed(fixed)),
        },
    }
