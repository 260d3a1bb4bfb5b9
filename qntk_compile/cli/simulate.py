"""``qntk-compile simulate``: run the gate-level ``DiagonalNTK`` circuit on a small instance.

What is simulated is the flattened decomposition of the very ``DiagonalNTK`` bloq that
``qntk-compile report`` costs (:func:`qntk_compile.assembly.build_diagonal_ntk`), converted to
Cirq and run as a state vector (:mod:`qntk_compile.simulation`; qsimcirq when installed, Cirq
otherwise). The output sits beside

* the **discretised reference** (:mod:`qntk_compile.discretised_reference`), which applies the
  circuit's own finite precision (amplitude, phase, median and kernel bits) classically and
  predicts ``p_readout``, ``p_success`` and the garbage leak exactly; and
* the **exact** diagonal-NTK prediction of :mod:`qntk_compile.reference` (its sign is
  ``sign_reference``).

Readout convention (Algorithm 1 lines 7–12, Lemma III.7):
``p_readout = Pr(ancilla = 0 | flag = 0)``, ``sign = sign(p_readout − 1/2)``;
``p_success = 2·Pr(flag = 0) − 1`` estimates ``P/n``.

Data: ``--dataset sphere`` (``--d`` dimensions) or ``--dataset digits-A-B`` (scikit-learn's 8×8
digits, 64 features) with ``--n`` training rows and seed ``--seed``; or ``--data FILE.npz`` with
arrays ``X`` (n × d), ``y`` (±1, or any two values: smaller → −1, larger → +1) and ``x_test``
(d, or k × d with ``--test-index``).
``--features K`` projects rows and the test point onto the top-K principal directions of the
training rows (centred PCA, classical preprocessing); the default ``auto`` does so with K = 2
when the data have more than 4 features (64-feature digits: the 64-dimensional loaders make the
circuit far too deep to simulate), ``none`` never does. The JSON reports ``features`` and
``d_original``.

Errors (bad files, wrong keys or shapes, non-finite values, circuits too wide for ``--max-qubits``
or for the available memory, or with more than ``--max-gates`` gates) are one line on stderr with
exit code 2, raised before anything is flattened or allocated.
"""

from __future__ import annotations

import json
import math
import sys
import time
from typing import Any

import numpy as np

from qntk_compile.cli import CliError
from qntk_compile.datasets import read_npz

COMMAND = "simulate"
HELP = "Simulate the gate-level DiagonalNTK circuit on a small instance; compare with references."

VARIANTS = ("diagonal",)
DEFAULT_N = 4
DEFAULT_KNOBS = {"amplitude_bits": 4, "phase_bits": 3, "median_copies": 1, "kernel_bits": 4}
#: ``--features auto``: data with more than AUTO_MAX_FEATURES features are projected to
#: AUTO_FEATURES principal directions.
AUTO_MAX_FEATURES = 4
AUTO_FEATURES = 2
DEFAULT_MAX_QUBITS = 30
DEFAULT_MAX_GATES = 50_000
DEFAULT_MAX_SECONDS = 600.0


def _positive_int(text: str) -> int:
    import argparse

    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


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
        choices=VARIANTS,
        default="diagonal",
        help="which Algorithm-1 circuit to simulate (default diagonal: DiagonalNTK)",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument(
        "--dataset",
        metavar="NAME",
        help="built-in data set: 'sphere' (default) or 'digits-A-B' (e.g. digits-8-9)",
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
    parser.add_argument(
        "--amplitude-bits",
        type=_positive_int,
        default=DEFAULT_KNOBS["amplitude_bits"],
        help=f"angle bits of the amplitude loaders (default {DEFAULT_KNOBS['amplitude_bits']})",
    )
    parser.add_argument(
        "--phase-bits",
        type=_positive_int,
        default=DEFAULT_KNOBS["phase_bits"],
        help=f"amplitude-estimation phase bits m (default {DEFAULT_KNOBS['phase_bits']})",
    )
    parser.add_argument(
        "--median-copies",
        type=_positive_int,
        default=DEFAULT_KNOBS["median_copies"],
        help=f"copies k of AE for the median, odd (default {DEFAULT_KNOBS['median_copies']})",
    )
    parser.add_argument(
        "--kernel-bits",
        type=_positive_int,
        default=DEFAULT_KNOBS["kernel_bits"],
        help=f"bits of the arccos kernel angle (default {DEFAULT_KNOBS['kernel_bits']})",
    )
    parser.add_argument(
        "--delta-hat",
        type=float,
        default=None,
        help="separability estimate giving k_max = k(1 - delta_hat) (default: the data's delta)",
    )
    parser.add_argument(
        "--data-access",
        choices=("qrom", "select_swap", "bucket_brigade"),
        default="qrom",
        help="data-access bloq of the loaders (default qrom)",
    )
    parser.add_argument(
        "--amplification-rounds",
        type=_nonneg_int,
        default=0,
        metavar="R",
        help="Grover rounds on the kernel flag (AmplifiedTestKernel); default 0 (post-selection)",
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
    k = args.features
    if k == "auto":
        k = AUTO_FEATURES if d_original > AUTO_MAX_FEATURES else None
    elif k == "none":
        k = None
    if k is not None:
        X, x_test = project_features(X, x_test, k)
    return X, y, x_test, name, {"features": k, "d_original": d_original}


def project_features(X: np.ndarray, x_test: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Centred PCA: subtract the training mean and project rows and test point onto the top-``k``
    principal directions of the training rows. ``k`` may not exceed ``min(n, d)``."""
    n, d = X.shape
    if k > min(n, d):
        raise CliError(f"--features {k}: at most min(n, d) = {min(n, d)}")
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    basis = vt[:k].T
    return (X - mean) @ basis, (x_test - mean) @ basis


# --------------------------------------------------------------------------------------------
# The simulation
# --------------------------------------------------------------------------------------------


def simulate_problem(
    problem,
    *,
    simulator: str | None = None,
    max_qubits: int | None = DEFAULT_MAX_QUBITS,
    max_gates: int | None = DEFAULT_MAX_GATES,
    memory_bytes: int | None = None,
    data_access: str = "qrom",
    amplification_rounds: int = 0,
    max_seconds: float | None = None,
    progress=None,
) -> dict[str, Any]:
    """Build ``DiagonalNTK`` for ``problem``, simulate it, compare with the references.

    Returns a JSON-ready dict (see the module docstring and ``docs/simulation.md``).
    """
    from qualtran.resource_counting import QECGatesCost, get_cost_value

    from qntk_compile import reference as R
    from qntk_compile.assembly import SCRATCH_EXCLUDED, build_diagonal_ntk
    from qntk_compile.discretised_reference import reference_for_problem
    from qntk_compile.simulation import simulate_bloq

    t0 = time.perf_counter()
    bloq = build_diagonal_ntk(
        problem, data_access=data_access, amplification_rounds=amplification_rounds
    )
    res = simulate_bloq(
        bloq,
        simulator=simulator,
        max_qubits=max_qubits,
        max_gates=max_gates,
        memory_bytes=memory_bytes,
        max_seconds=max_seconds,
        progress=progress,
    )
    joint = res.marginal("ancilla", "flag")  # [ancilla, flag]
    p_flag0 = float(joint[0, 0] + joint[1, 0])
    p_readout = float(joint[0, 0] / p_flag0) if p_flag0 > 0 else math.nan
    scratch = [name for name in res.registers if name not in SCRATCH_EXCLUDED]
    scratch_leak = 1.0 - res.probability_zero(*scratch) if scratch else 0.0

    ref = reference_for_problem(problem, amplification_rounds=amplification_rounds)
    exact = float(R.diagonal_prediction(problem))
    cost = get_cost_value(bloq, QECGatesCost())
    toffoli_cost = cost.and_bloq + cost.toffoli + cost.cswap
    census = res.census
    total = time.perf_counter() - t0

    def sign(x: float) -> int:
        return 0 if abs(x) <= 1e-12 else (1 if x > 0 else -1)

    out = {
        "variant": "diagonal",
        "n": problem.n,
        "n_padded": problem.n_padded,
        "d": problem.d,
        "d_padded": problem.d_padded,
        "depth": problem.depth,
        "knobs": {
            "amplitude_bits": problem.amplitude_bits,
            "phase_bits": problem.phase_bits,
            "median_copies": problem.median_copies,
            "kernel_bits": problem.kernel_bits,
            "delta_hat": problem.delta_hat,
            "data_access": data_access,
            "amplification_rounds": amplification_rounds,
        },
        "simulator": res.simulator,
        "qubits": res.qubits,
        "seconds": res.seconds,
        "build_seconds": res.build_seconds,
        "total_seconds": total,
        "gates": census.gates,
        "toffoli_like": census.toffoli_like,
        "rotations": census.rotations,
        "t_gates": census.t,
        "toffoli_like_cost": int(toffoli_cost),
        "rotations_cost": int(cost.rotation),
        "counts_match_cost": bool(
            census.toffoli_like == toffoli_cost and census.rotations == cost.rotation
        ),
        "p_readout_simulated": p_readout,
        "p_readout_reference": ref.p_readout,
        "p_readout_ideal": ref.p_readout_ideal,
        "sign_simulated": sign(p_readout - 0.5),
        "sign_reference": sign(exact),
        "sign_discretised": ref.sign,
        "p_success_simulated": 2.0 * p_flag0 - 1.0,
        "p_success_reference": ref.p_success,
        "p_success_ideal": ref.p_success_ideal,
        "leak_simulated": max(0.0, scratch_leak),
        "leak_reference": ref.leak,
        "ancilla_leak": res.ancilla_leak,
        "norm": res.norm,
        "diagonal_prediction_exact": exact,
        "predicted_seconds": res.plan.predicted_seconds,
        **(res.cache.as_dict() if res.cache else {}),
    }
    return out


def _finite(x):
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def format_text(result: dict[str, Any]) -> str:
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


def run(args) -> int:
    from qntk_compile.problem import Problem

    X, y, x_test, name, prep = load_instance(args)
    depth: int | str = args.depth
    try:
        depth = int(depth)
    except ValueError:
        pass
    knobs = {
        "amplitude_bits": args.amplitude_bits,
        "phase_bits": args.phase_bits,
        "median_copies": args.median_copies,
        "kernel_bits": args.kernel_bits,
    }
    if args.delta_hat is not None:
        knobs["delta_hat"] = args.delta_hat
    problem = Problem.from_arrays(X, y, x_test, depth=depth, **knobs)
    simulator = None if args.simulator == "auto" else args.simulator
    result = simulate_problem(
        problem,
        simulator=simulator,
        max_qubits=args.max_qubits,
        max_gates=args.max_gates,
        data_access=args.data_access,
        amplification_rounds=args.amplification_rounds,
        max_seconds=args.max_seconds,
        progress=sys.stderr,
    )
    result = {"dataset": name, **prep, **result}
    if args.json:
        print(json.dumps(_finite(result)))
    else:
        print(format_text(result))
    return 0
