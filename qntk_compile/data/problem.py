"""A validated, immutable QNTK problem: training set, labels, one test point, depth and knobs.

:meth:`Problem.from_arrays` is the only way in. It

1. validates (one-line ``ValueError`` naming the field) — non-finite values, wrong shapes, zero
   rows, labels not ±1, ``n < 2``, a zero or wrong-length test point, duplicated (or antipodal)
   training points (``δ = 0``), a depth that is not an integer ≥ 1, negative / non-integer / out of
   range knobs, an even ``median_copies``;
2. normalises every row and the test point to the unit sphere (the paper's Assumption I.2, Eq. 1);
3. computes the separability ``δ = min_{i≠j} 1 − |x_i·x_j|`` over the real rows (Def. I.1);
4. pads ``d`` and ``n`` to powers of two.

**Padding semantics.**

* *Features*: ``d`` is padded to ``d_padded`` by appending zero features (inner products unchanged).
  If ``n`` needs padding, ``d_padded`` is the next power of two ≥ ``d + 1``, so at least one zero
  feature exists (this may double ``d_padded`` when ``d`` is already a power of two).
* *Rows*: ``n`` is padded to ``n_padded`` (next power of two) with copies of the unit vector
  ``e_{d_padded−1}`` — the last, always-zero feature — carrying label ``0``. Padding rows are valid
  unit vectors (the quantum loaders reject zero rows) that are **orthogonal to every real row and to
  the test point**, so their test-kernel value is ``k̂(0)/k_max`` (tiny at NTK depth); their label 0
  removes them from ``⟨k*|y⟩`` (they never change the sign of a prediction). They are excluded from
  ``δ``, from accuracies and from every reference prediction. In the padded sparsified system the
  padding rows are *decoupled*: their only nonzero ``K̃`` entry is the diagonal
  (``K̃_pad = K̃ ⊕ k̂(1)·I``), so ``K̃_pad⁻¹ y`` is ``K̃⁻¹ y`` followed by zeros.

**Depth.** ``depth=None`` (default) means ``⌈L_conv/10⌉`` with ``L_conv = 8·ln(n/δ)/μ`` — the depth
the paper's experiments use (main text, "Fully-connected neural network"); ``depth="conv"`` means
``⌈L_conv⌉`` (the provable regime); an integer ≥ 1 is used as given. ``n`` here is the real
training-set size.

**Knobs** (names shared with the bloqs and the CLI, see ``docs/dev/interfaces.md``): see
:data:`DEFAULT_KNOBS`. ``delta_hat=None`` means the training set's own δ (so ``k_max = k̂(1 − δ)``),
``sparsity=None`` means :func:`qntk_compile.data.sparsity.default_sparsity` of ``n_padded``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import attrs
import numpy as np

from qntk_compile.data.sparsity import default_sparsity
from qntk_compile.kernel.ntk import convergence_depth, default_depth
from resource_estimates.variants.registry import KNOB_SPECS

__all__ = ["DEFAULT_KNOBS", "Problem", "next_power_of_two", "separability"]

#: Default precision knobs (the circuit knobs' defaults are those of
#: :data:`resource_estimates.variants.registry.KNOB_SPECS`). ``delta_hat`` / ``sparsity`` ``None``
#: are resolved per problem.
DEFAULT_KNOBS: dict[str, Any] = {
    **{
        k: KNOB_SPECS[k].default
        for k in ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
    },
    "delta_hat": None,
    "sparsity": None,
    "pattern_seed": 0,
    "qlsa_epsilon": KNOB_SPECS["qlsa_epsilon"].default,
    "sparsity_pattern": "circulant",
}

_INT_KNOBS = {  # name: minimum
    "amplitude_bits": 1,
    "phase_bits": 1,
    "median_copies": 1,
    "kernel_bits": 1,
    "pattern_seed": 0,
}
_PATTERNS = ("circulant", "pseudorandom")
_DUPLICATE_TOL = 1e-12


def next_power_of_two(k: int) -> int:
    """Smallest power of two ≥ k (k ≥ 1)."""
    return 1 << max(0, int(k) - 1).bit_length()


def _check_finite_array(name: str, arr) -> np.ndarray:
    if arr is None:
        raise ValueError(f"{name}: is required (got None)")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name}: must be real (got complex values)")
    try:
        a = np.asarray(arr, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not a numeric array ({exc})") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains NaN or inf")
    return a


def separability(X: np.ndarray) -> tuple[float, tuple[int, int]]:
    """``δ = min_{i≠j} 1 − |x_i·x_j|`` of unit rows, and the closest pair ``(i, j)``.

    Computed blockwise (memory O(n·block)).
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    if n < 2:
        raise ValueError("separability needs at least 2 rows")
    best, pair = math.inf, (0, 1)
    block = max(1, min(n, 2_000_000 // max(n, 1)))
    for start in range(0, n, block):
        g = np.abs(X[start : start + block] @ X.T)
        for r in range(g.shape[0]):
            g[r, start + r] = -np.inf
        idx = np.unravel_index(np.argmax(g), g.shape)
        val = 1.0 - float(g[idx])
        if val < best:
            best, pair = val, (start + int(idx[0]), int(idx[1]))
    return max(best, 0.0), pair


def _validate_knob(name: str, value):
    if name in _INT_KNOBS:
        lo = _INT_KNOBS[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
            raise ValueError(f"{name} must be an integer >= {lo} (got {value!r})")
        value = int(value)
        if name == "median_copies" and value % 2 == 0:
            raise ValueError(f"median_copies must be odd (got {value})")
        return value
    if name == "qlsa_epsilon":
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
            or not 0 < value < 1
        ):
            raise ValueError(f"qlsa_epsilon must be in (0, 1) (got {value!r})")
        return float(value)
    if name == "delta_hat":
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
            or not 0 < value <= 1
        ):
            raise ValueError(f"delta_hat must be in (0, 1] (got {value!r})")
        return float(value)
    if name == "sparsity":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"sparsity must be an integer >= 1 (got {value!r})")
        return int(value)
    if name == "sparsity_pattern":
        if value not in _PATTERNS:
            raise ValueError(f"sparsity_pattern must be one of {_PATTERNS} (got {value!r})")
        return value
    raise ValueError(f"unknown knob {name!r}; known: {', '.join(sorted(DEFAULT_KNOBS))}")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


@attrs.frozen(eq=False)
class Problem:
    """A validated QNTK instance (see the module docstring for padding and defaults).

    Attributes:
        X: ``(n_padded, d_padded)`` unit rows (real rows first, then padding rows).
        y: ``(n_padded,)`` labels, ±1 for real rows, 0 for padding rows.
        x_test: ``(d_padded,)`` unit test point.
        n, n_padded, d, d_padded: real and padded sizes (powers of two when padded).
        depth: NTK depth L ≥ 1.
        delta: separability of the real rows.
        closest_pair: the real rows attaining δ.
        amplitude_bits, phase_bits, median_copies, kernel_bits, delta_hat, sparsity,
        pattern_seed, qlsa_epsilon, sparsity_pattern: knobs (all resolved, no ``None``).
    """

    X: np.ndarray
    y: np.ndarray
    x_test: np.ndarray
    n: int
    n_padded: int
    d: int
    d_padded: int
    depth: int
    delta: float
    closest_pair: tuple[int, int]
    amplitude_bits: int
    phase_bits: int
    median_copies: int
    kernel_bits: int
    delta_hat: float
    sparsity: int
    pattern_seed: int
    qlsa_epsilon: float
    sparsity_pattern: str

    @classmethod
    def from_arrays(cls, X, y, x_test, depth: int | str | None = None, **knobs) -> Problem:
        """Validate, normalise and pad. ``knobs`` are the names of :data:`DEFAULT_KNOBS`."""
        X = _check_finite_array("X", X)
        if X.ndim != 2:
            raise ValueError(f"X: must be a 2-D array (n × d), got shape {X.shape}")
        n, d = X.shape
        if n < 2:
            raise ValueError(f"X: need at least 2 training rows (n={n})")
        if d < 1:
            raise ValueError("X: need at least 1 feature (d=0)")
        norms = np.linalg.norm(X, axis=1)
        zero = np.flatnonzero(norms <= 1e-300)
        if zero.size:
            raise ValueError(f"X: row {int(zero[0])} is zero (cannot be normalised)")
        Xn = X / norms[:, None]

        y = _check_finite_array("y", y)
        if y.ndim != 1 or y.shape[0] != n:
            raise ValueError(f"y: shape {y.shape} does not match X with n={n} rows")
        bad = np.flatnonzero((y != 1.0) & (y != -1.0))
        if bad.size:
            raise ValueError(f"y: labels must be -1 or +1 (y[{int(bad[0])}] = {y[bad[0]]!r})")

        x_test = _check_finite_array("x_test", x_test)
        if x_test.ndim != 1 or x_test.shape[0] != d:
            raise ValueError(f"x_test: shape {x_test.shape} does not match d={d}")
        tnorm = float(np.linalg.norm(x_test))
        if tnorm <= 1e-300:
            raise ValueError("x_test: is the zero vector (cannot be normalised)")
        xt = x_test / tnorm

        delta, pair = separability(Xn)
        if delta <= _DUPLICATE_TOL:
            raise ValueError(
                f"X: rows {pair[0]} and {pair[1]} are duplicated (or antipodal) after "
                f"normalisation, separability delta = 0"
            )

        for name in knobs:
            if name not in DEFAULT_KNOBS:
                raise ValueError(
                    f"unknown knob {name!r}; known: {', '.join(sorted(DEFAULT_KNOBS))}"
                )
        values = {k: _validate_knob(k, knobs.get(k, v)) for k, v in DEFAULT_KNOBS.items()}

        if depth is None:
            depth = default_depth(n, delta)
        elif isinstance(depth, str):
            if depth.lower() in ("conv", "lconv"):
                depth = max(1, math.ceil(convergence_depth(n, delta) - 1e-9))
            elif depth.lower() in ("conv/10", "lconv/10"):
                depth = default_depth(n, delta)
            else:
                raise ValueError(
                    f"depth must be an integer >= 1, 'conv' or 'conv/10' (got {depth!r})"
                )
        elif isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 1:
            raise ValueError(f"depth must be an integer >= 1 (got {depth!r})")
        depth = int(depth)

        n_pad = next_power_of_two(n)
        d_pad = next_power_of_two(d + 1) if n_pad > n else next_power_of_two(d)
        Xp = np.zeros((n_pad, d_pad))
        Xp[:n, :d] = Xn
        if n_pad > n:
            Xp[n:, d_pad - 1] = 1.0
        yp = np.zeros(n_pad)
        yp[:n] = y
        xtp = np.zeros(d_pad)
        xtp[:d] = xt

        if values["delta_hat"] is None:
            values["delta_hat"] = float(delta)
        if values["sparsity"] is None:
            values["sparsity"] = default_sparsity(n_pad)
        if values["sparsity"] > n_pad:
            raise ValueError(f"sparsity must be <= n_padded={n_pad} (got {values['sparsity']})")

        return cls(
            X=_readonly(Xp),
            y=_readonly(yp),
            x_test=_readonly(xtp),
            n=int(n),
            n_padded=int(n_pad),
            d=int(d),
            d_padded=int(d_pad),
            depth=depth,
            delta=float(delta),
            closest_pair=(int(pair[0]), int(pair[1])),
            **values,
        )

    # convenience views ---------------------------------------------------------------------
    @property
    def X_real(self) -> np.ndarray:
        """The ``n`` real unit rows (padded features included, they are zero)."""
        return self.X[: self.n]

    @property
    def y_real(self) -> np.ndarray:
        return self.y[: self.n]

    @property
    def knobs(self) -> dict[str, Any]:
        """All knobs as a dict (resolved values)."""
        return {k: getattr(self, k) for k in DEFAULT_KNOBS}

    def with_test_point(self, x_test) -> Problem:
        """The same problem with another test point (validated and normalised the same way)."""
        x_test = _check_finite_array("x_test", x_test)
        if x_test.ndim != 1 or x_test.shape[0] not in (self.d, self.d_padded):
            raise ValueError(f"x_test: shape {x_test.shape} does not match d={self.d}")
        if x_test.shape[0] == self.d_padded and np.any(x_test[self.d :] != 0):
            raise ValueError("x_test: padding features must be zero")
        tnorm = float(np.linalg.norm(x_test))
        if tnorm <= 1e-300:
            raise ValueError("x_test: is the zero vector (cannot be normalised)")
        xt = np.zeros(self.d_padded)
        xt[: x_test.shape[0]] = x_test / tnorm
        return attrs.evolve(self, x_test=_readonly(xt))

    def with_knobs(self, **knobs) -> Problem:
        """The same problem with some knobs (or ``depth``) changed, validated again."""
        changes = {}
        for k, v in knobs.items():
            if k == "depth":
                if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
                    raise ValueError(f"depth must be an integer >= 1 (got {v!r})")
                changes[k] = int(v)
                continue
            v = _validate_knob(k, v)
            if v is None:
                v = self.delta if k == "delta_hat" else default_sparsity(self.n_padded)
            changes[k] = v
        if changes.get("sparsity", self.sparsity) > self.n_padded:
            raise ValueError(f"sparsity must be <= n_padded={self.n_padded}")
        return attrs.evolve(self, **changes)

    def summary(self) -> dict[str, Any]:
        """JSON-friendly description (sizes, depth, δ, knobs)."""
        return {
            "n": self.n,
            "n_padded": self.n_padded,
            "d": self.d,
            "d_padded": self.d_padded,
            "depth": self.depth,
            "delta": self.delta,
            **self.knobs,
        }
