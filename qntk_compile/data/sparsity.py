"""Sparsity maps ν for the sparsified NTK K̃ (Algorithm 1, SparsifiedNTK; Suppl. Secs. III C, V).

A sparse-access oracle ``P_A`` of a quantum linear-systems algorithm needs ``ν : [n] × [s] → [n]``,
the column index of the ``l``-th nonzero entry of row ``j`` (Childs, Kothari & Somma 2017; the
paper's Section III C). In Qualtran this is a ``RowColumnOracle``: ``|l⟩|j⟩ → |ν(j, l)⟩|j⟩``, which
must be a permutation of ``l ∈ [s]`` for each ``j``, i.e. ``ν(j, ·)`` injective. Two maps are
provided, both symmetric (``k ∈ ν(j, ·) ⇔ j ∈ ν(k, ·)``) with the diagonal always on:

* :class:`PseudorandomPattern` — the paper's pattern (Suppl. Sec. V): every row ``j`` draws
  ``m_j ~ Binomial(n, 2·ln(n)/n)`` column indices uniformly at random (seeded); indices below
  the diagonal are discarded, the rest reflected to make the pattern symmetric; the diagonal is
  always on.
  Our cap: at most ``s`` nonzeros per row (diagonal included) — candidate pairs are accepted in a
  seeded random order while both rows have room. Optionally pairs of different classes are dropped
  (``labels``) and pairs whose kernel magnitude lies below a percentile estimated on a small subset
  are dropped (:meth:`PseudorandomPattern.thresholded`). Rows may have fewer than ``s`` nonzeros;
  ``ν(j, l)`` for the missing slots returns distinct *filler* columns whose K̃ entry is zero
  (:meth:`is_structural` tells them apart), so ``ν(j, ·)`` stays injective. Evaluating ν needs the
  stored sorted lists (a one-off O(n log n) classical cost, as in the paper).
* :class:`CirculantPattern` — ``ν(j, l) = (j + c_l) mod n`` for an offset set ``{c_l}`` that is
  closed under negation mod n and contains 0: exactly ``s`` nonzeros in every row, computable by a
  modular adder on ``log2 n`` qubits (this is what makes ``P_A`` cost polylog n).

Both expose ``n``, ``s`` (nonzeros per row of ν), ``nu(j, l)``, ``columns(j)`` (the structural
nonzero columns, sorted), ``column_lists()``, ``nu_table()`` (``n × s`` array of ν) and ``mask()``
(``n × n`` boolean structural pattern), ``max_nonzeros`` (largest structural row count).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import attrs
import numpy as np

__all__ = [
    "CirculantPattern",
    "PseudorandomPattern",
    "circulant_pattern",
    "pseudorandom_pattern",
    "default_sparsity",
    "symmetric_offsets",
]


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum} (got {value!r})")
    return int(value)


def default_sparsity(n: int) -> int:
    """Default cap ``s = 2·⌈ln n⌉ + 1`` (the pattern's expected 2 ln n off-diagonals + diagonal),
    at most ``n``."""
    n = _check_int("n", n, 1)
    return min(n, 2 * math.ceil(math.log(n)) + 1) if n > 1 else 1


def symmetric_offsets(n: int, s: int) -> tuple[int, ...]:
    """The offset set ``0, 1, −1, 2, −2, …`` (mod n) with exactly ``s`` distinct elements.

    For even ``s`` the self-inverse offset ``n/2`` is included (needs even n). Closed under
    negation mod n by construction.
    """
    n = _check_int("n", n, 1)
    s = _check_int("sparsity", s, 1)
    if s > n:
        raise ValueError(f"sparsity s={s} exceeds n={n}")
    k = (s - 1) // 2
    offsets = [0]
    for c in range(1, k + 1):
        offsets += [c % n, (-c) % n]
    if s % 2 == 0:
        if n % 2:
            raise ValueError(f"an even sparsity s={s} needs an even n for a symmetric offset set")
        offsets.append(n // 2)
    if len(set(offsets)) != s:
        raise ValueError(f"cannot build {s} distinct symmetric offsets mod {n}")
    return tuple(offsets)


class _PatternMixin:
    n: int
    s: int

    def nu(self, j: int, l: int) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_jl(self, j, l):
        if not (0 <= int(j) < self.n):
            raise ValueError(f"row index j={j} out of range [0, {self.n})")
        if not (0 <= int(l) < self.s):
            raise ValueError(f"slot index l={l} out of range [0, {self.s})")

    def nu_table(self) -> np.ndarray:
        """``n × s`` integer array, entry ``[j, l] = ν(j, l)``."""
        return np.array([[self.nu(j, l) for l in range(self.s)] for j in range(self.n)], dtype=int)

    def column_lists(self) -> tuple[tuple[int, ...], ...]:
        """The structural nonzero columns of every row (sorted)."""
        return tuple(self.columns(j) for j in range(self.n))

    def mask(self) -> np.ndarray:
        """``n × n`` boolean structural pattern (symmetric, diagonal on)."""
        m = np.zeros((self.n, self.n), dtype=bool)
        for j, cols in enumerate(self.column_lists()):
            m[j, list(cols)] = True
        return m

    @property
    def max_nonzeros(self) -> int:
        """Largest number of structural nonzeros in a row."""
        return max(len(c) for c in self.column_lists())


@attrs.frozen
class CirculantPattern(_PatternMixin):
    """``ν(j, l) = (j + c_l) mod n`` with a negation-closed offset set containing 0.

    Args:
        n: matrix size (rows), ≥ 1.
        offsets: distinct offsets mod n, closed under negation, containing 0.
    """

    n: int
    offsets: tuple[int, ...] = attrs.field(converter=lambda o: tuple(int(c) for c in o))

    def __attrs_post_init__(self):
        _check_int("n", self.n, 1)
        if len(self.offsets) == 0:
            raise ValueError("offsets must not be empty")
        reduced = {c % self.n for c in self.offsets}
        if len(reduced) != len(self.offsets):
            raise ValueError(f"offsets must be distinct mod n={self.n} (got {self.offsets})")
        if 0 not in reduced:
            raise ValueError("offsets must contain 0 (the diagonal is always on)")
        if any((-c) % self.n not in reduced for c in reduced):
            raise ValueError(f"offsets must be closed under negation mod n (got {self.offsets})")

    @classmethod
    def from_sparsity(cls, n: int, s: int) -> CirculantPattern:
        """The band-like circulant pattern with offsets ``0, ±1, ±2, …`` (and n/2 for even s)."""
        return cls(n=n, offsets=symmetric_offsets(n, s))

    @property
    def s(self) -> int:
        return len(self.offsets)

    def nu(self, j: int, l: int) -> int:
        self._check_jl(j, l)
        return (int(j) + self.offsets[int(l)]) % self.n

    def columns(self, j: int) -> tuple[int, ...]:
        return tuple(sorted((int(j) + c) % self.n for c in self.offsets))

    def is_structural(self, j: int, l: int) -> bool:
        self._check_jl(j, l)
        return True


def _as_columns(cols) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(sorted(int(c) for c in row)) for row in cols)


@attrs.frozen
class PseudorandomPattern(_PatternMixin):
    """The paper's pseudorandom symmetric pattern (Suppl. Sec. V), capped at ``s`` per row.

    Build it with :meth:`from_seed`. Fields: ``n``, ``s`` (cap = slots of ν), ``rows`` (sorted
    structural columns of every row), ``seed``.
    """

    n: int
    s: int
    rows: tuple[tuple[int, ...], ...] = attrs.field(converter=_as_columns)
    seed: int | None = None

    def __attrs_post_init__(self):
        _check_int("n", self.n, 1)
        _check_int("sparsity", self.s, 1)
        if self.s > self.n:
            raise ValueError(f"sparsity s={self.s} exceeds n={self.n}")
        if len(self.rows) != self.n:
            raise ValueError(f"rows must have n={self.n} entries (got {len(self.rows)})")
        for j, cols in enumerate(self.rows):
            if j not in cols:
                raise ValueError(f"row {j}: the diagonal must be on")
            if len(set(cols)) != len(cols) or any(not 0 <= c < self.n for c in cols):
                raise ValueError(f"row {j}: columns must be distinct and in [0, {self.n})")
            if len(cols) > self.s:
                raise ValueError(f"row {j} has {len(cols)} nonzeros > s={self.s}")
            for c in cols:
                if j not in self.rows[c]:
                    raise ValueError(f"pattern not symmetric at ({j}, {c})")

    @classmethod
    def from_seed(
        cls,
        n: int,
        s: int | None = None,
        seed: int = 0,
        labels: Sequence[float] | None = None,
        rate: float | None = None,
    ) -> PseudorandomPattern:
        """Draw the pattern.

        Args:
            n: matrix size.
            s: cap on nonzeros per row including the diagonal (default :func:`default_sparsity`).
            seed: pseudorandom seed (the pattern is a deterministic function of n, s, seed, labels).
            labels: if given (length n), pairs with different labels are dropped (cross-class
                zeroing); entries equal to 0 (padding rows) couple to nothing.
            rate: draw probability per index (default ``2·ln(n)/n``, capped at 1).
        """
        n = _check_int("n", n, 1)
        s = default_sparsity(n) if s is None else _check_int("sparsity", s, 1)
        seed = _check_int("pattern_seed", seed, 0)
        if s > n:
            raise ValueError(f"sparsity s={s} exceeds n={n}")
        if rate is None:
            rate = min(1.0, 2.0 * math.log(n) / n) if n > 1 else 0.0
        if not (isinstance(rate, numbers.Real) and 0.0 <= rate <= 1.0):
            raise ValueError(f"rate must be in [0, 1] (got {rate!r})")
        lab = None
        if labels is not None:
            lab = np.asarray(labels, dtype=float)
            if lab.shape != (n,) or not np.all(np.isfinite(lab)):
                raise ValueError(f"labels must be a finite vector of length n={n}")
        rng = np.random.default_rng(seed)
        pairs = []
        for j in range(n):
            m = rng.binomial(n, rate)
            draws = rng.integers(0, n, size=m)
            for k in draws:
                k = int(k)
                if k <= j:  # keep the upper triangle only (k > j); reflected below
                    continue
                if lab is not None and (lab[j] != lab[k] or lab[j] == 0):
                    continue
                pairs.append((j, k))
        pairs = sorted(set(pairs))
        order = rng.permutation(len(pairs))
        rows = [{j} for j in range(n)]
        for idx in order:
            j, k = pairs[idx]
            if len(rows[j]) < s and len(rows[k]) < s:
                rows[j].add(k)
                rows[k].add(j)
        return cls(n=n, s=s, rows=tuple(tuple(r) for r in rows), seed=seed)

    def thresholded(
        self, values: np.ndarray, percentile: float, sample: int = 16, seed: int = 0
    ) -> PseudorandomPattern:
        """Drop pairs whose ``|values[j, k]|`` lies below a percentile of off-diagonal magnitudes.

        The percentile is estimated from a seeded subset of ``sample`` rows (the paper uses 16),
        as in Suppl. Sec. V B.
        """
        values = np.asarray(values, dtype=float)
        if values.shape != (self.n, self.n) or not np.all(np.isfinite(values)):
            raise ValueError(f"values must be a finite {self.n}×{self.n} matrix")
        if not (isinstance(percentile, numbers.Real) and 0.0 <= percentile <= 100.0):
            raise ValueError(f"percentile must be in [0, 100] (got {percentile!r})")
        sample = min(_check_int("sample", sample, 2), self.n)
        idx = np.sort(np.random.default_rng(seed).choice(self.n, size=sample, replace=False))
        sub = np.abs(values[np.ix_(idx, idx)])
        off = sub[~np.eye(sample, dtype=bool)]
        cut = float(np.percentile(off, percentile))
        rows = []
        for j, cols in enumerate(self.rows):
            rows.append(tuple(c for c in cols if c == j or abs(values[j, c]) >= cut))
        # keep symmetry even if values is not exactly symmetric
        keep = [set(r) for r in rows]
        for j in range(self.n):
            keep[j] = {c for c in keep[j] if j in keep[c]}
        return PseudorandomPattern(
            n=self.n, s=self.s, rows=tuple(tuple(r) for r in keep), seed=self.seed
        )

    def columns(self, j: int) -> tuple[int, ...]:
        if not (0 <= int(j) < self.n):
            raise ValueError(f"row index j={j} out of range [0, {self.n})")
        return self.rows[int(j)]

    def _filled(self, j: int) -> tuple[int, ...]:
        cols = self.rows[j]
        if len(cols) == self.s:
            return cols
        used = set(cols)
        extra = []
        c = j
        while len(cols) + len(extra) < self.s:
            c = (c + 1) % self.n
            if c not in used:
                extra.append(c)
                used.add(c)
        return cols + tuple(extra)

    def nu(self, j: int, l: int) -> int:
        """Column of the ``l``-th slot of row ``j``: structural columns (sorted) first, then
        distinct filler columns (zero entries in K̃) so that ``ν(j, ·)`` is injective."""
        self._check_jl(j, l)
        return self._filled(int(j))[int(l)]

    def is_structural(self, j: int, l: int) -> bool:
        self._check_jl(j, l)
        return int(l) < len(self.rows[int(j)])


def circulant_pattern(n: int, s: int) -> CirculantPattern:
    """Shorthand for :meth:`CirculantPattern.from_sparsity`."""
    return CirculantPattern.from_sparsity(n, s)


def pseudorandom_pattern(n: int, s: int | None = None, seed: int = 0, **kw) -> PseudorandomPattern:
    """Shorthand for :meth:`PseudorandomPattern.from_seed`."""
    return PseudorandomPattern.from_seed(n, s, seed=seed, **kw)
