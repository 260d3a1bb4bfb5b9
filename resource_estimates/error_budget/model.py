"""How each precision knob of Algorithm 1 moves the readout, and hence the sign it outputs.

The derivation, with its sources, is ``docs/error_budget.md``. In short, for the diagonal NTK:

* every **systematic** error (loader angle bits, amplitude-estimation phase bits, the median's
  residual failure, kernel-table bits, rotation synthesis, the QLSA's ε) moves each shot's
  readout probability by a bounded amount; the bound on the normalised overlap ``⟨k*|v⟩`` that the
  Hadamard test estimates is :func:`overlap_error_bound`;
* the **readout shots** then fail to give the right sign with probability at most
  ``exp(−S·o_eff²/2)`` (Hoeffding; Lemma III.7 gives the shots' ±1 outcomes mean ``o``), where
  ``o_eff = |o| − Δo`` is the margin left (:func:`readout_failure`);
* the **surface code** fails (any logical error anywhere in the job) with probability
  ``runs × p_L(run)``, a separate share of the failure probability.

Per row ``i`` the amplitude the circuit writes, ``c̄_i = E[cos θ]``, is within

    η = ω_ρ(2·e_load(d)) + ω_AE(2^m) + e_table(b_k) + β_k·(1 − k_min + e_table)

of the exact ``k_i``, with ``e_load`` the loader's state error (:func:`loader_state_error`),
``ω_ρ``/``ω_AE`` the kernel's modulus of continuity in ρ and in the AE phase
(:class:`KernelSensitivity`), ``e_table`` the table rounding (:func:`kernel_table_error`) and
``β_k`` the median's failure (:func:`median_failure`). This module is pure numerics: it imports
neither ``qntk_compile`` nor Qualtran.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from resource_estimates.error_budget import tabulation

__all__ = [
    "AE_SUCCESS",
    "ROTATION_MODELS",
    "median_failure",
    "loader_state_error",
    "kernel_table_error",
    "KernelSensitivity",
    "row_error_bound",
    "shell_row_error",
    "overlap_error_bound",
    "flag_readout_bias_bound",
    "readout_failure",
    "readout_shots_for",
    "binomial_sign_failure",
    "rotation_t_count",
    "rotation_epsilon_for",
    "qlsa_state_error",
    "qlsa_label_gain",
]

#: Success probability of one canonical amplitude estimation (Brassard et al. 2002, Thm 12).
AE_SUCCESS = 8 / math.pi**2

#: Rotation-synthesis cost models: T gates per rotation at precision ε.
ROTATION_MODELS = ("ross_selinger", "mixed_fallback")


def check_probability(name: str, x: float, closed_right: bool = False) -> float:
    x = float(x)
    ok = math.isfinite(x) and (0 < x <= 1 if closed_right else 0 < x < 1)
    if not ok:
        interval = "(0, 1]" if closed_right else "(0, 1)"
        raise ValueError(f"{name} must be in {interval}, got {x!r}")
    return x


def median_failure(copies: int, alpha: float = AE_SUCCESS) -> float:
    """Probability that the median of ``copies`` i.i.d. AE outputs is outside the good window.

    Lemma III.3: the median is good when more than half the copies are good, so it fails with the
    exact binomial tail ``P[Bin(k, 1 − α) ≥ (k + 1)/2]`` (k odd). ``k = 1`` is a single AE.
    """
    if isinstance(copies, bool) or int(copies) != copies or copies < 1 or copies % 2 == 0:
        raise ValueError(f"median copies must be an odd integer >= 1, got {copies!r}")
    k = int(copies)
    bad = 1.0 - check_probability("alpha", alpha, closed_right=True)
    return float(
        sum(math.comb(k, j) * bad**j * (1 - bad) ** (k - j) for j in range((k + 1) // 2, k + 1))
    )


def loader_state_error(bits: int, length: int) -> float:
    """Bound on ‖ψ̃ − ψ‖ for the Kerenidis–Prakash tree over ``length`` (2^L) entries, b-bit angles.

    Internal levels round θ ∈ [0, 2π) to a grid of 2π/2^b (θ/2 moves ≤ π/2^(b+1)); the leaf level
    rounds θ ∈ [0, 4π) to 4π/2^b (θ/2 moves ≤ π/2^b). A real rotation by φ̃ instead of φ is
    |φ̃ − φ|-close in operator norm, and errors of a product add: ``π(L + 1)/2^(b+1)``.
    """
    if isinstance(bits, bool) or int(bits) != bits or bits < 1:
        raise ValueError(f"loader bits must be an integer >= 1, got {bits!r}")
    if int(length) != length or length < 2:
        raise ValueError(f"loader length must be an integer >= 2, got {length!r}")
    levels = math.ceil(math.log2(length))
    return math.pi * (levels + 1) / 2 ** (int(bits) + 1)


def kernel_table_error(kernel_bits: int) -> float:
    """Largest change of a kernel value by the b-bit arccos angle table: ``sin(π/2^(b+1))``.

    θ = arccos k rounded to the grid π/2^b moves by ≤ π/2^(b+1); |cos| is 1-Lipschitz and
    steepest at π/2, a grid point.
    """
    if isinstance(kernel_bits, bool) or int(kernel_bits) != kernel_bits or kernel_bits < 1:
        raise ValueError(f"kernel_bits must be an integer >= 1, got {kernel_bits!r}")
    return math.sin(math.pi / 2 ** (int(kernel_bits) + 1))


#: The search grid of :func:`_zoom_max` on [0, 1] (uniform, and geometric towards both ends down
#: to 1e-15) and the zoom grid, computed once (a report evaluates thousands of moduli).
_UNIT_GEO = np.geomspace(1e-15, 1.0, 769)
_UNIT_GRID = np.unique(np.concatenate([np.linspace(0.0, 1.0, 1025), _UNIT_GEO, 1.0 - _UNIT_GEO]))
_UNIT_ZOOM = np.linspace(0.0, 1.0, 513)


def _zoom_max_many(fn: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray):
    """:func:`_zoom_max` of many intervals [lo_i, hi_i] (all hi_i > lo_i) at once: the same
    grids, one row each."""
    rows = np.arange(lo.size)
    xs = np.clip(lo[:, None] + (hi - lo)[:, None] * _UNIT_GRID, lo[:, None], hi[:, None])
    best = np.full(lo.size, -math.inf)
    active = np.ones(lo.size, dtype=bool)
    for _ in range(4):
        vals = fn(xs)
        j = np.argmax(vals, axis=1)
        best = np.where(active, np.maximum(best, vals[rows, j]), best)
        a = xs[rows, np.maximum(j - 1, 0)]
        b = xs[rows, np.minimum(j + 1, xs.shape[1] - 1)]
        active &= b > a
        if not active.any():
            break
        xs = a[:, None] + (b - a)[:, None] * _UNIT_ZOOM
    return best


def _zoom_max(fn: Callable[[np.ndarray], np.ndarray], lo: float, hi: float) -> float:
    """Maximum of ``fn`` on [lo, hi]: a grid uniform in x and geometric towards both ends (every
    scale down to 1e-15 of the interval), then three zooms around the best point."""
    if hi <= lo:
        return float(fn(np.array([lo]))[0])
    xs = np.clip(lo + (hi - lo) * _UNIT_GRID, lo, hi)
    best = -math.inf
    for _ in range(4):
        vals = fn(xs)
        j = int(np.argmax(vals))
        best = max(best, float(vals[j]))
        a, b = xs[max(j - 1, 0)], xs[min(j + 1, xs.size - 1)]
        if b <= a:
            break
        xs = a + (b - a) * _UNIT_ZOOM
    return best


@dataclass(frozen=True)
class KernelSensitivity:
    """How much the normalised, clipped kernel ``k(ρ) = clip(k̂(ρ)/k_max, −1, 1)`` can move.

    Build with :meth:`from_kernel` from any vectorised callable ρ ↦ k(ρ) that is non-decreasing on
    [−1, 1] (the NTK of the paper is; checked). The kernel is tabulated once on ~2·10⁵ points
    (geometric in 1 − ρ down to 10⁻¹⁶, so the steep region next to ρ = 1 − δ̂ is resolved) and
    interpolated. ``ω_ρ(w) = sup |k(ρ + w) − k(ρ)|`` and
    ``ω_AE(M) = sup |k(cos 2πω') − k(cos 2πω)|`` over ``|ω' − ω| ≤ 1/M``, both over the
    rows in given ρ intervals (:meth:`shell`), are maximised numerically (grid + zoom); a 1 %
    margin is added.
    """

    rho_grid: np.ndarray
    k_grid: np.ndarray
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_kernel(cls, kernel: Callable[[np.ndarray], np.ndarray]) -> KernelSensitivity:
        """Tabulate ``kernel`` (checked: finite, in [−1, 1], non-decreasing).

        Tabulations are reused (the last :data:`~tabulation.CACHE_SIZE`, with the moduli they
        have computed): a kernel with a ``cache_key`` attribute (hashable; equal only for the
        same function, e.g. ``("ntk", depth, δ̂)``) is not even re-evaluated, any other one is
        when its values on the grid are identical."""
        key = getattr(kernel, "cache_key", None)
        found = None if key is None else tabulation.recall(("key", key))
        if found is not None:
            return found
        rho = tabulation.grid()
        vals = np.asarray(kernel(rho), dtype=float)
        if vals.shape != rho.shape or not np.all(np.isfinite(vals)):
            raise ValueError("kernel must map an array of rho to finite values of the same shape")
        if np.any(vals < -1 - 1e-12) or np.any(vals > 1 + 1e-12):
            raise ValueError("kernel values must lie in [-1, 1] (normalised by k_max and clipped)")
        if np.any(np.diff(vals) < -1e-9):
            raise ValueError("kernel must be non-decreasing in rho on [-1, 1]")
        digest = ("values", hashlib.sha256(vals.tobytes()).hexdigest())
        found = tabulation.recall(digest) or cls(rho_grid=rho, k_grid=np.maximum.accumulate(vals))
        if key is not None:
            tabulation.remember(("key", key), found)
        return tabulation.remember(digest, found)

    @property
    def k_min(self) -> float:
        return float(self.k_grid[0])

    def k(self, rho) -> np.ndarray:
        """The tabulated kernel at ``rho`` (clipped to [−1, 1])."""
        return np.interp(np.clip(rho, -1.0, 1.0), self.rho_grid, self.k_grid)

    def rho_interval(self, k_lo: float, k_hi: float) -> tuple[float, float] | None:
        """[ρ_lo, ρ_hi]: the tabulated ρ with k_lo ≤ k(ρ) ≤ k_hi (``None`` if there are none)."""
        lo = int(np.searchsorted(self.k_grid, k_lo, side="left"))
        hi = int(np.searchsorted(self.k_grid, k_hi, side="right")) - 1
        if hi < lo:
            return None
        # the table is discrete: widen to the neighbouring grid points
        return float(self.rho_grid[max(lo - 1, 0)]), float(
            self.rho_grid[min(hi + 1, self.rho_grid.size - 1)]
        )

    def shell(self, k_lo: float, k_hi: float) -> tuple[tuple[float, float], ...]:
        """ρ intervals of the rows with k_lo ≤ |k(ρ)| ≤ k_hi (both signs)."""
        parts = [self.rho_interval(k_lo, k_hi), self.rho_interval(-k_hi, -k_lo)]
        return tuple(p for p in parts if p is not None)

    def rho_modulus(self, width: float, intervals=((-1.0, 1.0),)) -> float:
        """``ω_ρ(width)``: largest kernel change for an inner-product error ≤ ``width`` at a row
        with ρ in one of ``intervals`` (default: every row)."""
        return float(self.rho_moduli(width, [intervals])[0])

    def rho_moduli(self, width: float, shells) -> np.ndarray:
        """:meth:`rho_modulus` of each entry of ``shells`` (each a tuple of ρ intervals), all
        maximised in one vectorised search."""
        if width <= 0:
            return np.zeros(len(shells))

        def window(r_lo, r_hi):
            lo, hi = max(r_lo - width, -1.0), min(r_hi, 1.0 - width)
            edge = (max(r_lo - width, -1.0), min(r_hi + width, 1.0))
            return lo, hi, edge

        return self._moduli(
            ("rho", float(width)), shells, window, self.k, lambda r: self.k(r + width) - self.k(r)
        )

    def phase_modulus(self, phase_bits: int, intervals=((-1.0, 1.0),)) -> float:
        """``ω_AE(2^m)``: largest kernel change for an AE phase error ≤ 1/2^m (one grid step) at a
        row with ρ in one of ``intervals`` (default: every row)."""
        return float(self.phase_moduli(phase_bits, [intervals])[0])

    def phase_moduli(self, phase_bits: int, shells) -> np.ndarray:
        """:meth:`phase_modulus` of each entry of ``shells``: a rigorous bound for the tabulated
        kernel, by cells of a fixed phase grid G on [0, 1/2].

        g(ω) = k(cos 2πω) is non-increasing on [0, 1/2] (and even, 1-periodic, so a window
        reaching past 1/2 changes g by no more than up to 1/2). A pair ω ≤ ω' ≤ ω + w with ω in
        the cell [G_i, G_(i+1)] has g(ω) − g(ω') ≤ g(G_i) − g(min(G_(i+1) + w, 1/2)). Rows with
        ρ in [ρ_lo, ρ_hi] have phases in [acos ρ_hi, acos ρ_lo]/2π; the smaller phase of a pair
        lies within w below that range, so the cells from there up to the range's top are
        maximised over (one ``reduceat`` pass for all intervals). 1 % is added for the
        tabulation, as for the ρ moduli.
        """
        w = 1.0 / 2 ** int(phase_bits)
        out = np.zeros(len(shells))
        todo = [
            i
            for i, iv in enumerate(shells)
            if ("phase", int(phase_bits), tuple(iv)) not in self._cache
        ]
        if todo:
            grid, _ = self._phase_grid()
            cells = self._phase_cells(int(phase_bits))
            owner, los, his = [], [], []
            for i in todo:
                for r_lo, r_hi in shells[i]:
                    owner.append(i)
                    los.append(math.acos(min(max(r_hi, -1.0), 1.0)) / (2 * math.pi) - w)
                    his.append(math.acos(min(max(r_lo, -1.0), 1.0)) / (2 * math.pi))
            lo = np.maximum(np.searchsorted(grid, np.array(los), side="right") - 1, 0)
            hi = np.minimum(np.searchsorted(grid, np.array(his), side="right") - 1, cells.size - 1)
            hi = np.maximum(hi, lo)
            bounds = np.unique(np.concatenate([lo, hi + 1, [0]]))
            bounds = bounds[bounds < cells.size]
            seg = np.maximum.reduceat(cells, bounds)
            a = np.searchsorted(bounds, lo)
            b = np.searchsorted(bounds, hi, side="right")
            best = {i: 0.0 for i in todo}
            for i, x, y in zip(owner, a, b, strict=True):
                best[i] = max(best[i], float(np.max(seg[x:y])))
            for i in todo:
                self._cache[("phase", int(phase_bits), tuple(shells[i]))] = 1.01 * best[i]
        for i, iv in enumerate(shells):
            out[i] = self._cache[("phase", int(phase_bits), tuple(iv))]
        return out

    def _phase_cells(self, phase_bits: int) -> np.ndarray:
        """Per cell [G_i, G_(i+1)] of the phase grid: g(G_i) − g(min(G_(i+1) + w, 1/2)), w the
        window of ``phase_bits`` (float32 rounded up; cached per window)."""
        key = ("phase_cells", phase_bits)
        if key not in self._cache:
            grid, gvals = self._phase_grid()
            w = 1.0 / 2**phase_bits
            far = self.k(np.cos(2 * math.pi * np.minimum(grid[1:] + w, 0.5)))
            cells = np.maximum(gvals[:-1] - far, 0.0)
            self._cache[key] = np.nextafter(cells.astype(np.float32), np.float32(np.inf))
        return self._cache[key]

    def _phase_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """The fixed phase grid G (geometric towards 0 and 1/2, where the kernel is steep — ρ = ±1
        —, plus uniform)
        and g = k(cos 2πG), made non-increasing."""
        key = ("phase_grid",)
        if key not in self._cache:
            geo = np.geomspace(1e-10, 0.25, 150_000)
            grid = np.unique(
                np.concatenate([[0.0, 0.5], geo, 0.5 - geo, np.linspace(0.0, 0.5, 4097)])
            )
            gvals = np.minimum.accumulate(self.k(np.cos(2 * math.pi * grid)))
            self._cache[key] = (grid, gvals)
        return self._cache[key]

    def _moduli(self, kind: tuple, shells, window, fn_edge, fn) -> np.ndarray:
        """Per shell: 1.01 × the largest ``fn`` over its intervals' search windows
        (``window(r_lo, r_hi)`` → (lo, hi, (a, b))); a window with hi ≤ lo is bounded by
        ``fn_edge(b) − fn_edge(a)`` instead. Cached per (kind, shell)."""
        out = np.zeros(len(shells))
        todo: list[tuple[int, float, float]] = []
        edge_val: dict[int, float] = {}
        for i, intervals in enumerate(shells):
            key = (*kind, tuple(intervals))
            if key in self._cache:
                out[i] = self._cache[key]
                continue
            edge_val[i] = 0.0
            for r_lo, r_hi in intervals:
                lo, hi, (a, b) = window(r_lo, r_hi)
                if hi <= lo:
                    v = float(fn_edge(np.array([b]))[0] - fn_edge(np.array([a]))[0])
                    edge_val[i] = max(edge_val[i], v)
                else:
                    todo.append((i, lo, hi))
        best = dict(edge_val)
        if todo:
            idx = np.array([t[0] for t in todo])
            vals = _zoom_max_many(
                fn, np.array([t[1] for t in todo]), np.array([t[2] for t in todo])
            )
            for i, v in zip(idx, vals, strict=True):
                best[int(i)] = max(best[int(i)], float(v))
        for i, v in best.items():
            self._cache[(*kind, tuple(shells[i]))] = out[i] = 1.01 * v
        return out


def row_error_bound(
    sensitivity: KernelSensitivity,
    d: int,
    amplitude_bits: int,
    phase_bits: int,
    median_copies: int,
    kernel_bits: int,
) -> dict[str, float]:
    """Per-row bound on ``|c̄_i − k_i|`` valid for every row, by knob (keys ``loader``,
    ``phase``, ``table``, ``median``; ``total`` is their sum)."""
    e_tab = kernel_table_error(kernel_bits)
    out = {
        "loader": sensitivity.rho_modulus(2 * loader_state_error(amplitude_bits, d)),
        "phase": sensitivity.phase_modulus(phase_bits),
        "table": e_tab,
        "median": median_failure(median_copies) * (1.0 - sensitivity.k_min + e_tab),
    }
    out["total"] = sum(out.values())
    return out


def shell_row_error(moduli, shares, uniform) -> tuple:
    """(η_num, η_norm) from per-shell bounds: rows grouped by |k_i| into shells, shell j holding a
    share ``w_j`` ≤ min(1, q/k_j²) of the n rows (k_j its lower edge: P = Σ k_i² ≥ n_j k_j²) with
    error ≤ ``moduli[j] + uniform``.

    ``η_num = Σ_j moduli_j·√w_j + uniform`` bounds ``Σ_i |Δc̄_i||Ỹ_i|/√n`` (Cauchy–Schwarz in
    each shell, ‖Ỹ‖ = 1) and ``η_norm = Σ_j moduli_j·w_j + uniform`` bounds ``Σ_i |Δc̄_i|/n``.
    """
    m = np.asarray(moduli, dtype=float)
    w = np.asarray(shares, dtype=float)
    return float(np.sum(m * np.sqrt(w))) + uniform, float(np.sum(m * w)) + uniform


def overlap_error_bound(
    eta_num, eta_norm, label_error: float, state_error, q: float, overlap: float
):
    """Bound on ``|õ − o|`` for the Hadamard test of the post-selected kernel state (Lemma III.7).

    Args:
        eta_num: bound on ``Σ_i |Δc̄_i||Ỹ_i|/√n`` (:meth:`BudgetProblem.row_bounds` of
            :mod:`~resource_estimates.error_budget.budget`; a per-row bound η serves).
        eta_norm: bound on ``Σ_i |Δc̄_i|/n`` (ditto).
        label_error: ‖Ỹ − Y‖ of the loaded label state.
        state_error: norm error of the whole run's state (rotation synthesis: R·ε).
        q: post-selection success probability P/n.
        overlap: the exact overlap o = ⟨k*|v⟩.

    Returns ``inf`` when the errors can swamp the post-selected branch (no bound). The η's and
    ``state_error`` may be arrays (broadcast); the result is then an array.
    """
    eta_num = np.asarray(eta_num, dtype=float)
    eta_norm = np.asarray(eta_norm, dtype=float)
    state_error = np.asarray(state_error, dtype=float)
    sq = math.sqrt(q)
    d_norm = sq - np.sqrt(np.maximum(q - 2 * eta_norm, 0.0)) + state_error
    d_num = eta_num + sq * label_error + state_error
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(d_norm < sq, (d_num + abs(overlap) * d_norm) / (sq - d_norm), np.inf)
    return float(out) if out.ndim == 0 else out


def flag_readout_bias_bound(
    eta_num: float, eta_norm: float, label_error: float, q: float, overlap: float
) -> float:
    """Lower bound on |p − 1/2| of ``DiagonalNTK``'s flag-interference readout (no synthesis
    error): ``p − 1/2 = X/(Q + 1)``, ``X`` within ``η_num + √q·‖ΔY‖`` of ``o√q``, ``Q`` within
    ``2η_norm`` of q. Zero when the bound does not fix the sign."""
    x0 = abs(overlap) * math.sqrt(q)
    return max(x0 - eta_num - math.sqrt(q) * label_error, 0.0) / (1.0 + q + 2 * eta_norm)


def readout_failure(shots: float, margin: float) -> float:
    """Hoeffding bound on a wrong sign from ``shots`` ±1 outcomes of mean ≥ ``margin``:
    ``exp(−S·margin²/2)`` (1 when the margin is not positive)."""
    if margin <= 0:
        return 1.0
    return math.exp(-shots * margin * margin / 2)


def readout_shots_for(failure: float, margin: float) -> int:
    """Fewest shots with ``exp(−S·margin²/2) ≤ failure``, odd (no ties)."""
    check_probability("readout failure", failure)
    if not margin > 0:
        raise ValueError(f"readout margin must be positive, got {margin!r}")
    s = max(1, math.ceil(2 * math.log(1 / failure) / (margin * margin)))
    return s if s % 2 else s + 1


def binomial_sign_failure(shots: int, p_right: float) -> float:
    """Exact probability that at most half of ``shots`` (odd) Bernoulli(p_right) shots are right
    (the binomial CDF, summed in log space)."""
    s = int(shots)
    if s < 1 or s % 2 == 0:
        raise ValueError(f"shots must be an odd integer >= 1, got {shots!r}")
    p = min(max(float(p_right), 0.0), 1.0)
    if p in (0.0, 1.0):
        return 1.0 if p == 0.0 else 0.0
    j = np.arange(s // 2 + 1)
    log_comb = np.concatenate([[0.0], np.cumsum(np.log((s - j[1:] + 1) / j[1:]))])
    logs = log_comb + j * math.log(p) + (s - j) * math.log1p(-p)
    top = float(np.max(logs))
    return float(min(1.0, math.exp(top) * np.sum(np.exp(logs - top))))


def rotation_t_count(epsilon: float, model: str = "ross_selinger") -> float:
    """T gates to synthesise one arbitrary rotation to operator-norm error ε.

    ``"ross_selinger"``: ``3·log2(1/ε)`` (Ross, Selinger 2016, arXiv:1403.2975, leading term).
    ``"mixed_fallback"``: ``0.53·log2(1/ε) + 5.3`` (Kliuchnikov et al. 2022 as used by Beverland
    et al. 2022, arXiv:2211.07629; Qualtran's ``BeverlandEtAlRotationCost``).
    """
    eps = check_probability("rotation epsilon", epsilon)
    if model == "ross_selinger":
        return 3 * math.log2(1 / eps)
    if model == "mixed_fallback":
        return 0.53 * math.log2(1 / eps) + 5.3
    raise ValueError(f"unknown rotation model {model!r}; choose one of {ROTATION_MODELS}")


def rotation_epsilon_for(t_per_rotation: float, model: str = "ross_selinger") -> float:
    """The ε a given T budget per rotation buys (inverse of :func:`rotation_t_count`)."""
    if model == "ross_selinger":
        return 2.0 ** (-t_per_rotation / 3)
    if model == "mixed_fallback":
        return 2.0 ** (-(t_per_rotation - 5.3) / 0.53)
    raise ValueError(f"unknown rotation model {model!r}; choose one of {ROTATION_MODELS}")


def qlsa_state_error(epsilon):
    """Bound on ‖ṽ − v‖ of the normalised QLSA output from the polynomial's relative error ε:
    ``2ε`` (``docs/error_budget.md`` §4). ε may be an array."""
    return 2 * np.asarray(epsilon, dtype=float) if np.ndim(epsilon) else 2 * float(epsilon)


def qlsa_label_gain(kappa_eff: float, epsilon) -> float:
    """Factor by which the QLSA amplifies the label state's error ‖Ỹ − Y‖ in its normalised
    output: ``2κ_eff(1 + ε)/(1 − ε)`` (``docs/error_budget.md`` §4)."""
    eps = np.asarray(epsilon, dtype=float)
    out = 2 * float(kappa_eff) * (1 + eps) / (1 - eps)
    return float(out) if out.ndim == 0 else out
