"""A gate-level simulation job as a library object: :class:`SimulationRequest`.

``qntk-compile simulate`` is argparse plus ``SimulationRequest.from_options(vars(args))`` and
:meth:`SimulationRequest.run`. :meth:`~SimulationRequest.from_options` loads the instance (a
built-in data set or a ``.npz`` file), and refuses a size it cannot simulate *before* any work
that grows with n: the circuit's width is known from n and d alone (Qualtran's ``QubitCount`` of
the variant's sizes-only bloq, the estimate the simulation itself checks first), so
``--n 1048576`` is refused in seconds, not after the O(n²) separability of the problem. Then it
builds the :class:`~qntk_compile.data.problem.Problem` and, with ``failure_probability``, plans
the knobs with the error model. Every error is a one-line ``ValueError``.

The sparsified variant: its default instance is the variant's ``instance_defaults`` (sphere,
seed 18, depth 3: κ_eff 2.7, a solve that matters); an indefinite K̃ (or implemented block) is
refused in one line naming its smallest eigenvalue (the QSVT inverts on [1/κ_eff, 1] only); the
QLSA's ε, unless given, comes from the readout margin
(:func:`qntk_compile.simulation.budget.qlsa_component`), with or without
``--failure-probability``; the component is the result's ``qlsa_plan``.

Test points: ``test_index`` k picks the k-th held-out point; the training rows never depend on k.
For a built-in data set the held-out points are its first test row and then the rows after the n
training rows (drawn from the same shuffled pool, never trained on); for a file, the rows of its
``x_test``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from qntk_compile.data.datasets import read_npz
from qntk_compile.data.features import choose_features, project_features
from qntk_compile.data.problem import next_power_of_two
from qntk_compile.jobs.simulate import (
    DEFAULT_MAX_GATES,
    DEFAULT_MAX_QUBITS,
    DEFAULT_MAX_SECONDS,
    simulate_problem,
)
from qntk_compile.simulation.budget import (
    BUDGET_KNOBS,
    qlsa_component,
    simulation_knobs,
    sparsified_simulation_knobs,
)
from qntk_compile.simulation.memory import check_width
from qntk_compile.variants import SIMULATION_VARIANTS, get_simulation_variant

__all__ = [
    "DEFAULT_N",
    "SimulationRequest",
    "choose_qlsa_epsilon",
    "knob_flags",
    "load_instance",
    "plan_text",
    "read_user_npz",
]

DEFAULT_N = 4
#: build options of the variants that have a flag
OPTION_NAMES = ("data_access", "amplification_rounds")


def knob_flags() -> dict[str, Any]:
    """{knob: default} for one flag per knob of the registered simulation variants (the default
    shown when every variant that takes the knob agrees on it)."""
    out: dict[str, Any] = {}
    for v in SIMULATION_VARIANTS.values():
        for k in v.knobs:
            if k == "delta_hat":
                continue
            d = v.knob_defaults.get(k)
            out[k] = d if k not in out or out[k] == d else None
    return out


def read_user_npz(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y in ±1, x_test as k × d) from a ``.npz`` file with arrays ``X``, ``y``, ``x_test``;
    any two label values map to −1 (smaller) and +1 (larger)."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    if p.is_dir():
        raise IsADirectoryError(f"{p}: is a directory, expected a .npz file")
    if p.suffix.lower() != ".npz":
        raise ValueError(f"{p}: simulate reads .npz files with arrays X, y, x_test")
    arrs = read_npz(p, required=("X", "y", "x_test"))
    for k, v in arrs.items():
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{p}: array '{k}' contains NaN or inf")
    X, y, xt = (arrs[k].astype(float) for k in ("X", "y", "x_test"))
    if X.ndim != 2:
        raise ValueError(f"{p}: X must be 2-D (n x d), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"{p}: y has shape {y.shape}, expected ({X.shape[0]},)")
    if xt.ndim not in (1, 2) or xt.shape[-1] != X.shape[1]:
        raise ValueError(
            f"{p}: x_test has shape {xt.shape}, expected ({X.shape[1]},) or (k, {X.shape[1]})"
        )
    values = np.unique(y)
    if not set(values.tolist()) <= {-1.0, 1.0}:
        if len(values) != 2:
            raise ValueError(f"{p}: labels y must be binary (found {len(values)} distinct values)")
        y = np.where(y == values[1], 1.0, -1.0)  # smaller -> -1, larger -> +1
    return X, y, np.atleast_2d(xt)


def load_instance(options: Mapping[str, Any]):
    """(X, y, x_test, name, preprocessing facts) from the options ``data``/``dataset``, ``n``,
    ``d``, ``seed``, ``test_index``, ``features`` (see the module docstring for test points)."""
    k = int(options.get("test_index") or 0)
    n = options.get("n")
    if options.get("data") is not None:
        X, y, X_test = read_user_npz(options["data"])
        if n is not None:
            if n > X.shape[0]:
                raise ValueError(f"--n {n} exceeds the {X.shape[0]} rows of {options['data']}")
            X, y = X[:n], y[:n]
        name = str(options["data"])
        if k >= X_test.shape[0]:
            raise ValueError(f"--test-index {k}: only {X_test.shape[0]} test point(s)")
        x_test = X_test[k]
    else:
        from qntk_compile.data import datasets

        n = DEFAULT_N if n is None else n
        # the sphere's pool holds n + k rows: the first n are the training rows for every k
        ds = datasets.load(
            options.get("dataset") or "sphere",
            n=n + k,
            d=options.get("d") or 2,
            seed=options.get("seed") or 0,
            n_test=1,
        )
        X, y = ds.training(n)
        if k == 0:
            x_test = np.asarray(ds.X_test)[0]
        elif n + k - 1 < len(ds.X_pool):
            x_test = np.asarray(ds.X_pool)[n + k - 1]
        else:
            held_out = 1 + len(ds.X_pool) - n
            raise ValueError(f"--test-index {k}: only {held_out} held-out point(s) at n = {n}")
        name = ds.name
    d_original = int(X.shape[1])
    features = choose_features(options.get("features") or "auto", d_original)
    if features is not None:
        X, x_test = project_features(X, x_test, features)
    return X, y, x_test, name, {"features": features, "d_original": d_original}


def check_size(variant: str, n: int, d: int, knobs: Mapping[str, Any], options, limits) -> None:
    """Refuse (one line) a width that cannot be simulated, from n and d alone: Qualtran's
    ``QubitCount`` of the costing variant's sizes-only bloq (a variant without a costing
    plug-in is checked later, on its data-built bloq)."""
    from qualtran.resource_counting import QubitCount, get_cost_value

    from resource_estimates.variants import KNOB_SPECS, VARIANTS

    costing = VARIANTS.get(variant)
    if costing is None:
        return
    values = {k: knobs.get(k, KNOB_SPECS[k].default) for k in costing.knob_names}
    if any(v is None for v in values.values()):
        return
    n_pad, d_pad = next_power_of_two(n), next_power_of_two(d)
    access = options.get("data_access") or "qrom"
    bloq = costing.build(**costing.size_map(n_pad, d_pad, access, values))
    width = get_cost_value(bloq, QubitCount())
    check_width(
        int(width),
        max_qubits=limits.get("max_qubits"),
        what=f"at n = {n} (padded {n_pad}), d = {d}: Qualtran's QubitCount estimates the "
        "circuit needs",
    )


def qlsa_text(q: Mapping[str, Any]) -> str:
    """One line: the QLSA component (ε, where it came from, degree, bound against the margin)."""
    return (
        f"QLSA: epsilon={q['qlsa_epsilon']:.4g} (from the {q['epsilon_from']}), kappa_eff="
        f"{q['kappa_eff']:.4g}, {q['qlsa_method']} degree {q['qlsa_degree']}, relative error <= "
        f"{q['relative_error']:.3g}: overlap moves <= {q['overlap_error_bound']:.3g} vs margin "
        f"|o| = {abs(q['overlap']):.4g} ({'sign safe' if q['sign_safe'] else 'SIGN NOT SAFE'})"
    )


def plan_text(plan: Mapping[str, Any]) -> str:
    """One line: the knobs the error budget chose, the shots and the failure bound."""
    knobs = ", ".join(f"{k}={plan[k]}" for k in BUDGET_KNOBS)
    kept = f" (kept: {', '.join(plan['fixed_by_user'])})" if plan["fixed_by_user"] else ""
    if plan.get("readout_shots") is None:
        return (
            f"error budget: P = {plan['target']:g}: {knobs}{kept}; overlap error <= "
            f"{plan['overlap_error']:.4g} < |o| = {abs(plan['overlap']):.4g}; readout: "
            f"{plan['readout']}; {qlsa_text(plan['qlsa'])}"
        )
    return (
        f"error budget: P = {plan['target']:g}: {knobs}{kept}; {plan['readout_shots']:,} readout "
        f"shots; |p_readout - 1/2| >= {plan['bias_bound']:.4g}; predicted failure probability "
        f"<= {plan['failure_bound']:.3g}"
    )


@dataclass(frozen=True)
class SimulationRequest:
    """A validated simulation job (see the module docstring).

    Attributes:
        problem: the problem to simulate (knobs included).
        variant: the simulation variant's name.
        name: the data set's name (or the file).
        preprocessing: ``features`` and ``d_original``.
        plan: the error budget's plan (``failure_probability`` given), else ``None``.
        qlsa: the sparsified variant's QLSA component (ε from the margin), else ``None``.
        plan_only: stop after the plan.
        options: the variant's build options.
        simulator: ``"qsim"``, ``"cirq"`` or ``None`` (the default simulator).
        limits: ``max_qubits``, ``max_gates``, ``max_seconds``.
    """

    problem: Any
    variant: str
    name: str
    preprocessing: dict[str, Any]
    plan: dict[str, Any] | None = None
    qlsa: dict[str, Any] | None = None
    plan_only: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    simulator: str | None = None
    limits: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> SimulationRequest:
        """Validate the options (the ``simulate`` flags with ``_``) and build the problem."""
        from qntk_compile.data.problem import Problem

        variant = get_simulation_variant(options.get("variant") or "diagonal")
        p_target = options.get("failure_probability")
        if options.get("plan_only") and p_target is None:
            raise ValueError("--plan-only: needs --failure-probability")
        if p_target is not None and variant.name not in ("diagonal", "sparsified"):
            raise ValueError(f"--failure-probability: no error model for variant {variant.name!r}")
        if options.get("data") is None and options.get("dataset") is None:
            defaults = {
                k: v for k, v in variant.instance_defaults.items() if options.get(k) is None
            }
            options = {**options, **defaults}
        knobs = {}
        for k in knob_flags():
            value = options.get(k)
            if value is not None and k not in variant.knobs:
                raise ValueError(f"--{k.replace('_', '-')}: not a knob of variant {variant.name!r}")
            if value is None:
                value = variant.knob_defaults.get(k)
            if value is not None:
                knobs[k] = value
        if options.get("delta_hat") is not None:
            knobs["delta_hat"] = options["delta_hat"]
        limits = {
            "max_qubits": options.get("max_qubits", DEFAULT_MAX_QUBITS),
            "max_gates": options.get("max_gates", DEFAULT_MAX_GATES),
            "max_seconds": options.get("max_seconds", DEFAULT_MAX_SECONDS),
        }
        build_options = {k: options[k] for k in OPTION_NAMES if options.get(k) is not None}
        X, y, x_test, name, prep = load_instance(options)
        # before any work that grows with n (the problem's O(n^2) separability): the width at
        # these knobs; a plan's knobs are never below the simulation defaults, so with a
        # failure probability this is a lower bound on the planned circuit's width (a plan that
        # is only printed is not simulated, so it is not checked)
        if not options.get("plan_only"):
            check_size(variant.name, X.shape[0], X.shape[1], knobs, build_options, limits)
        depth: int | str = options.get("depth") or "conv/10"
        try:
            depth = int(depth)
        except ValueError:
            pass
        problem = Problem.from_arrays(X, y, x_test, depth=depth, **knobs)
        plan = qlsa = None
        fixed = {k: options[k] for k in BUDGET_KNOBS if options.get(k) is not None}
        try:
            if variant.name == "sparsified":
                problem, qlsa, plan = _sparsified_knobs(problem, options, p_target, fixed)
            elif p_target is not None:
                plan = simulation_knobs(problem, p_target, fixed)
                problem = problem.with_knobs(**{k: plan[k] for k in BUDGET_KNOBS})
        except ValueError as exc:
            if p_target is None or "indefinite" in str(exc):
                raise
            raise ValueError(f"--failure-probability: {exc}") from None
        simulator = options.get("simulator")
        return cls(
            problem=problem,
            variant=variant.name,
            name=name,
            preprocessing=prep,
            plan=plan,
            qlsa=qlsa,
            plan_only=bool(options.get("plan_only")),
            options=build_options,
            simulator=None if simulator in (None, "auto") else simulator,
            limits=limits,
        )

    def run(self, stream: TextIO | None = None) -> dict[str, Any]:
        """Simulate (or, with :attr:`plan_only`, only plan); the result as a JSON-ready dict.
        Stage lines go to ``stream``."""
        head = {"dataset": self.name, **self.preprocessing}
        if self.plan_only:
            return {**head, "n": self.problem.n, "error_budget": self.plan}
        try:
            result = simulate_problem(
                self.problem,
                variant=self.variant,
                simulator=self.simulator,
                progress=stream,
                **self.limits,
                **self.options,
            )
        except ValueError as exc:
            if self.plan is None:
                raise
            raise ValueError(f"{plan_text(self.plan)}; {exc}") from None
        result = {**head, **result}
        if self.qlsa is not None:
            result["qlsa_plan"] = self.qlsa
        if self.plan is not None:
            result["error_budget"] = self.plan
        return result

    def text(self, result: Mapping[str, Any], as_json: bool = False) -> str:
        """The result as the command prints it (text of the variant, or one JSON object)."""
        from qntk_compile.classical.analysis import json_ready

        if as_json:
            return json.dumps(json_ready(result))
        if self.plan_only:
            return f"{result['dataset']}: n={result['n']}\n{plan_text(result['error_budget'])}"
        text = get_simulation_variant(result["variant"]).format_text(result)
        if self.plan is not None:
            return f"{text}\n{plan_text(self.plan)}"
        return text if self.qlsa is None else f"{text}\n{qlsa_text(self.qlsa)}"


def choose_qlsa_epsilon(problem, given: float | None):
    """(problem with the QLSA ε, its ``qlsa`` component); a one-line refusal of an indefinite K̃."""
    from qntk_compile.assembly.sparsified import solver_spectrum
    from qntk_compile.classical.reference import readout_overlap

    spec = solver_spectrum(problem)
    if spec["lambda_min"] <= 0 or spec["lambda_min_block"] <= 0:
        raise ValueError(
            f"--variant sparsified: K~ is indefinite at depth {problem.depth} (smallest "
            f"eigenvalue {spec['lambda_min']:.4g}; of the implemented block K~/alpha "
            f"{spec['lambda_min_block']:.4g}): the QLSA inverts on [1/kappa_eff, 1] only; "
            "use a deeper NTK (--depth)"
        )
    q = qlsa_component(readout_overlap(problem, "sparsified"), spec["kappa_eff"], given)
    return problem.with_knobs(qlsa_epsilon=q["qlsa_epsilon"]), q


def _sparsified_knobs(problem, options, p_target, fixed):
    """(problem, qlsa component, plan or None) of the sparsified variant: ε from the margin
    (or the user's); with a failure probability the four knobs from
    :func:`~qntk_compile.simulation.budget.sparsified_simulation_knobs`, planned at κ_eff of the
    block at the chosen kernel bits (planned again, at most twice, while it grows)."""
    problem, qlsa = choose_qlsa_epsilon(problem, options.get("qlsa_epsilon"))
    if p_target is None:
        return problem, qlsa, None
    kappa = qlsa["kappa_eff"]
    for _ in range(3):
        plan = sparsified_simulation_knobs(problem, p_target, fixed, kappa, qlsa["qlsa_epsilon"])
        chosen = problem.with_knobs(**{k: plan[k] for k in BUDGET_KNOBS})
        chosen, qlsa = choose_qlsa_epsilon(chosen, qlsa["qlsa_epsilon"])
        if qlsa["kappa_eff"] <= kappa * (1 + 1e-9):
            break
        kappa = qlsa["kappa_eff"]
    else:
        raise ValueError(f"kappa_eff did not settle ({kappa:.4g}) while planning the knobs")
    qlsa["epsilon_from"] = "margin" if options.get("qlsa_epsilon") is None else "user"
    return chosen, qlsa, {**plan, "qlsa": qlsa, "kappa_eff_planned": kappa}
