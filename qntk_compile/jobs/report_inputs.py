"""Inputs of a resource report from text: sizes, a ``--params`` file, a data set.

The parsing and validation behind ``qntk-compile report`` (a thin argparse wrapper,
:mod:`qntk_compile.cli.report`), usable from Python: :func:`parse_n` reads ``2**30``,
``2**10,2**20`` or ``2**10:2**40``; :func:`read_params` reads a ``--params`` JSON file with
the keys of :func:`params_keys` of its variant (and optionally those of
:data:`OPTIONAL_PARAMS_KEYS`); :func:`data_model_from_dataset` measures the data-dependent
quantities with :func:`qntk_compile.classical.analysis.analyze` (the readout overlap the variant
needs); :func:`budget_kernel` is the normalised NTK the report's error budget needs
(``resource_estimates`` does not import ``qntk_compile``, so the report is handed it). Every
error is a one-line ``ValueError`` naming the flag.
"""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qntk_compile.data.problem import next_power_of_two
from resource_estimates.variants.registry import BASELINE_KNOBS, get_variant

__all__ = [
    "OPTIONAL_PARAMS_KEYS",
    "PARAMS_KEYS",
    "BudgetKernel",
    "budget_kernel",
    "failure_probability_arg",
    "measured_from_dataset",
    "data_model_from_dataset",
    "load_dataset",
    "MAX_INT_EXPONENT",
    "int_expr",
    "num_arg",
    "params_keys",
    "parse_n",
    "read_params",
]

_PARAMS_HEAD = ("n", "d", "variant", "data_access")
_PARAMS_TAIL = (
    "post_selection",
    "success_probability",
    "readout_overlap",
    "delta",
    "depth",
    *BASELINE_KNOBS,
)


def params_keys(variant: str = "diagonal") -> tuple[str, ...]:
    """Keys of a ``--params`` file for ``variant``, all required, no others: the sizes, the
    variant's knobs, the post-selection mode, the data-dependent quantities and the classical
    baseline's inputs."""
    knobs = [k for k in get_variant(variant).knob_names if k not in BASELINE_KNOBS]
    return (*_PARAMS_HEAD, *knobs, *_PARAMS_TAIL)


#: Keys of a ``--params`` file of the default (diagonal) variant.
PARAMS_KEYS = params_keys("diagonal")
#: Keys a ``--params`` file may have besides :func:`params_keys` (``null`` = the default).
OPTIONAL_PARAMS_KEYS = ("failure_probability", "e_max")


def failure_probability_arg(value: Any, name: str = "--failure-probability") -> float | None:
    """P of the error budget: a number in (0, 1) (``None`` stays ``None``: the default)."""
    if value is None:
        return None
    p = num_arg(value, name, float)
    if not 0 < p < 1:
        raise ValueError(f"{name}: must be in (0, 1), got {value!r}")
    return p


@dataclass(frozen=True)
class BudgetKernel:
    """The normalised NTK of the error budget: ρ ↦ clip(k̂(ρ)/k̂(1 − δ̂), −1, 1) for ``depth``
    hidden layers (:func:`qntk_compile.kernel.ntk.ntk_normalized`; k_max = k̂(1 − δ̂) as in
    :class:`qntk_compile.data.problem.Problem`). ``cache_key`` lets the budget reuse its
    tabulation (``KernelSensitivity.from_kernel``)."""

    depth: int
    delta_hat: float
    k_max: float

    @property
    def cache_key(self) -> tuple:
        return ("normalised_ntk", self.depth, self.delta_hat, self.k_max)

    def __call__(self, rho):
        import numpy as np

        from qntk_compile.kernel.ntk import ntk_normalized

        return np.clip(ntk_normalized(rho, self.depth) / self.k_max, -1.0, 1.0)


def budget_kernel(depth: int, delta_hat: float) -> BudgetKernel:
    """The :class:`BudgetKernel` of ``depth`` and δ̂ (checked: δ̂ in (0, 1], k̂(1 − δ̂) > 0)."""
    from qntk_compile.kernel.ntk import ntk_normalized

    if not (isinstance(delta_hat, (int, float)) and 0 < delta_hat <= 1):
        raise ValueError(f"delta must be in (0, 1], got {delta_hat!r}")
    k_max = float(ntk_normalized(1.0 - delta_hat, depth))
    if not k_max > 0:
        raise ValueError(f"k(1 - delta) must be positive, got {k_max!r} (delta = {delta_hat})")
    return BudgetKernel(int(depth), float(delta_hat), k_max)


#: Largest integer accepted by :func:`int_expr` (and so the upper bound on ``--n``): 2**200 is far
#: beyond any training set and keeps every cost (a float, n times a polylog) far from overflow.
MAX_INT_EXPONENT = 200


def int_expr(text: str, what: str) -> int:
    """An integer written as ``1073741824``, ``2**30`` or ``2^30`` (no other expressions), at most
    ``2**MAX_INT_EXPONENT`` in absolute value."""
    t = str(text).strip().replace("^", "**")
    not_int = f"{what}: expected an integer such as 1024 or 2**30, got {text!r}"
    too_large = (
        f"{what}: {text!r} is above the upper bound on {what}, 2**{MAX_INT_EXPONENT} "
        "(a guard far below float overflow of the costs)"
    )
    if len(t) > 400:
        raise ValueError(too_large if t.isdigit() else not_int)
    try:
        node = ast.parse(t, mode="eval").body
    except SyntaxError:
        raise ValueError(not_int) from None

    def ev(nd):
        if (
            isinstance(nd, ast.Constant)
            and isinstance(nd.value, int)
            and not isinstance(nd.value, bool)
        ):
            return nd.value
        if isinstance(nd, ast.BinOp) and isinstance(nd.op, ast.Pow):
            base, exp = ev(nd.left), ev(nd.right)
            if exp < 0:
                raise ValueError(not_int)
            if abs(base) > 1 and exp > MAX_INT_EXPONENT:
                raise ValueError(too_large)
            return base**exp
        if isinstance(nd, ast.UnaryOp) and isinstance(nd.op, ast.USub):
            return -ev(nd.operand)
        if isinstance(nd, ast.BinOp) and isinstance(nd.op, ast.Mult):
            return ev(nd.left) * ev(nd.right)
        raise ValueError(not_int)

    value = ev(node)  # every ValueError it raises is one of the two messages above
    if abs(value) > 2**MAX_INT_EXPONENT:
        raise ValueError(too_large)
    return value


def parse_n(text: str) -> list[int]:
    """``2**30`` (one size), ``2**10,2**20`` (a list) or ``2**10:2**40`` (every power of two in
    the range). Sizes must be >= 2."""
    text = str(text).strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 2:
            raise ValueError(f"--n: a sweep is LO:HI, e.g. 2**10:2**40, got {text!r}")
        lo, hi = (int_expr(p, "--n") for p in parts)
        if lo < 2 or hi < lo:
            raise ValueError(f"--n: need 2 <= LO <= HI, got {text!r}")
        k0 = math.ceil(math.log2(lo))
        sizes = [2**k for k in range(k0, hi.bit_length()) if lo <= 2**k <= hi]
        if not sizes:
            raise ValueError(f"--n: no power of two in {text!r}")
    else:
        sizes = [int_expr(p, "--n") for p in text.split(",") if p.strip()]
    if not sizes:
        raise ValueError("--n: no size given")
    if min(sizes) < 2:
        raise ValueError(f"--n: sizes must be >= 2, got {min(sizes)}")
    return sorted(set(sizes))


def num_arg(value, name: str, kind=int, minimum=None, maximum=None, strict_max=False):
    if value is None:
        return None
    if kind is int:
        if isinstance(value, bool):
            raise ValueError(f"{name}: expected an integer, got {value!r}")
        if isinstance(value, int):
            v = value
        elif isinstance(value, str):
            v = int_expr(value, name)
        else:
            raise ValueError(f"{name}: expected an integer, got {value!r}")
    else:
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: expected a number, got {value!r}") from None
        if not math.isfinite(v):
            raise ValueError(f"{name}: must be finite, got {value!r}")
    if minimum is not None and v < minimum:
        raise ValueError(f"{name}: must be >= {minimum}, got {v}")
    if maximum is not None and (v >= maximum if strict_max else v > maximum):
        raise ValueError(f"{name}: must be {'<' if strict_max else '<='} {maximum}, got {v}")
    return v


def read_params(path: str) -> dict[str, Any]:
    """The JSON object of ``path`` with exactly the keys of :func:`params_keys` of its
    variant, and optionally those of :data:`OPTIONAL_PARAMS_KEYS`."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"--params: no such file {path}")
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"--params: {path} is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise ValueError(f"--params: {path} must hold a JSON object")
    variant = obj.get("variant", "diagonal")
    if not isinstance(variant, str):
        raise ValueError(f"--variant: expected a name, got {variant!r}")
    try:
        keys = params_keys(variant)
    except ValueError as exc:
        raise ValueError(f"--variant: {exc}") from None
    missing = [k for k in keys if k not in obj]
    extra = sorted(k for k in obj if k not in keys and k not in OPTIONAL_PARAMS_KEYS)
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("unknown " + ", ".join(extra))
        raise ValueError(f"--params: {path}: " + "; ".join(parts))
    return obj


def load_dataset(name: str, d: int | None = None):
    """The data set ``name`` (the sphere in ``d`` dimensions when given; other data sets have a
    fixed d): loading is cheap, so sizes can be checked against it before any analysis."""
    from qntk_compile.data import datasets

    return datasets.load(name, d=d) if name == "sphere" and d is not None else datasets.load(name)


def data_model_from_dataset(
    name: str, sizes_text: str, d: int | None = None, readout: str = "diagonal", dataset=None
):
    """The data-dependent quantities measured by ``analyze`` on ``name`` at ``sizes_text``, and
    the data set's padded d (``dataset``: the already loaded data set).

    The analysis (~10 s for mnist-8-9 at 16..512) is a pure function of the data set's arrays,
    the sizes and the code: its rows are kept in the on-disk cache of
    :mod:`resource_estimates.logical.formula_cache` under a digest of all three."""
    from qntk_compile.classical.analysis import analyze
    from qntk_compile.jobs.sizes import parse_sizes
    from resource_estimates.data_model import DataModel
    from resource_estimates.logical import formula_cache

    ds = load_dataset(name, d) if dataset is None else dataset
    sizes = parse_sizes(sizes_text)
    key = _analysis_key(ds, sizes)
    rows = formula_cache.load(f"analysis-{key}", "rows")
    if rows is None:
        rows = analyze(ds, sizes)["sizes"]
        formula_cache.store(f"analysis-{key}", "rows", rows)
    source = f"analyze on {name}, n = {sizes_text}"
    return DataModel.from_rows(rows, source, readout=readout), next_power_of_two(ds.d)


#: Sizes the measured budget is run at (those of the analysed sizes in this range) and test
#: points per size: bounded so that a cold report spends well under a minute on it (cached after).
MEASURED_SIZES = (32, 128)
MEASURED_TEST_POINTS = 2


def measured_from_dataset(ds, sizes_text: str, target: float):
    """The measured budget (:func:`qntk_compile.classical.measured_budget.measured_growth`) on
    the analysed sizes within :data:`MEASURED_SIZES`, or ``None`` when there is none; kept in the
    on-disk cache under a digest of the data set, the sizes, P and the code."""
    from qntk_compile.classical.measured_budget import measured_growth
    from qntk_compile.jobs.sizes import parse_sizes
    from resource_estimates.logical import formula_cache

    lo, hi = MEASURED_SIZES
    sizes = [s for s in parse_sizes(sizes_text) if lo <= s <= hi and s & (s - 1) == 0]
    if not sizes or not len(ds.X_test):
        return None
    key = _analysis_key(ds, sizes) + f"-{target!r}-{MEASURED_TEST_POINTS}"
    out = formula_cache.load("measured-budget", key)
    if out is None:
        out = measured_growth(ds, sizes, target, test_points=MEASURED_TEST_POINTS)
        out = json.loads(json.dumps(out))  # plain JSON, as read back from the cache
        formula_cache.store("measured-budget", key, out)
    return out


def _analysis_key(ds, sizes) -> str:
    """Digest of a data set's arrays, the sizes and the source of the code the analysis runs
    (``qntk_compile``'s classical, kernel and data packages; the cache file adds the library
    versions and the rest of the code)."""
    import hashlib

    import numpy as np

    h = hashlib.sha256(repr((ds.name, list(sizes))).encode())
    for arr in (ds.X_pool, ds.y_pool, ds.X_test, ds.y_test):
        a = np.ascontiguousarray(arr)
        h.update(repr((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    root = Path(__file__).resolve().parents[1]
    for pkg in ("classical", "kernel", "data"):
        for path in sorted((root / pkg).rglob("*.py")):
            h.update(path.read_bytes())
    return h.hexdigest()[:24]
