"""The classical reference that applies the circuit's own discretisation to the diagonal NTK.

The exact reference (:mod:`qntk_compile.classical.reference`) says what Algorithm 1 *should*
output. A gate-level simulation of ``DiagonalNTK`` with a few bits of precision is not supposed to
match it exactly: every precision knob moves the answer. This module predicts the simulated numbers
**exactly** (to floating point), by pushing the same finite-precision steps through classical
probability calculus:

1. **Amplitude loading** (``amplitude_bits`` = b_a): each row ``x_i`` and the test point ``x*`` are
   loaded by the Kerenidis–Prakash rotation tree whose angles are rounded to ``b_a``-bit integers
   (:func:`loaded_state`, convention of ``bloqs.state_preparation.kp_tree``: internal levels
   ``θ = 2π·a/2^b_a`` with ``cos(θ/2) = √(W(p0)/W(p))``, leaf level ``θ = 4π·a/2^b_a`` with
   ``θ = 2·atan2(v_p1, v_p0)``, which also carries the signs).
2. **Hadamard test** (Theorem III.5, eqs. 24–25): ``p_i = (1 − ⟨x̃*|x̃_i⟩)/2`` for the *loaded*
   states.
3. **Amplitude estimation** (``phase_bits`` = m, Brassard et al. 2002, quant-ph/0005055,
   Thms 11–12): the exact phase distribution ``Pr(y) = ½F(ω − y/M) + ½F(1 − ω − y/M)``,
   ``sin²(πω) = p``, ``M = 2^m``, Fejér kernel ``F(δ) = sin²(Mπδ)/(M² sin²(πδ))``
   (:func:`ae_phase_distribution`).
4. **Fold and coherent median** (``median_copies`` = k, Lemma III.3). For ``k > 1``
   ``PrepareTestKernel`` first folds every phase, ``y -> min(y, M − y)`` (AE returns ``y`` and
   ``M − y`` with equal weight; both mean the same ``p̃``), then takes the median of the ``k``
   folded values. The copies are independent, so the median register holds the median of ``k``
   i.i.d. folded integers: ``Pr(med ≤ v) = Σ_{j ≥ (k+1)/2} C(k, j) F(v)^j (1 − F(v))^(k−j)``
   (:func:`fold_distribution`, :func:`median_distribution`). For ``k = 1`` there is no fold and no
   median (the table is symmetric, ``a(y) = a(M − y)``, so folding would change nothing).
5. **Table + rotation** (``kernel_bits`` = b, Lemma III.4): phase ``y`` → angle integer ``a(y)``
   (:func:`qntk_compile.kernel.table.kernel_angle_table`) → flag amplitude ``cos θ_y``,
   ``θ_y = π·a(y)/2^b``.
6. **Uncomputation and readout** (Algorithm 1 lines 7–12, Lemma III.7). Everything but the flag is
   uncomputed by running the kernel preparation ``U`` backwards. For row ``i`` the scratch
   registers then return to |0> with amplitude ``c̄_i = E_y[cos θ_y]`` on flag 0 and
   ``s̄_i = E_y[sin θ_y]`` on flag 1 (``E`` over the median's distribution), because
   ``⟨0|U†(Σ_y c_y Π_y)U|0⟩ = Σ_y Pr(y) c_y``. The rest of the flag-0 weight,
   ``q_i − c̄_i²`` with ``q_i = E_y[cos² θ_y]``, stays in the scratch registers: that is the
   **garbage leak**, not a bug — it vanishes only when the median is deterministic. The readout
   ancilla's 1-branch holds the label state ``|Y⟩`` (loaded with the same rounding) with flag 0 and
   clean scratch, so only ``c̄`` interferes with it::

       Pr(flag = 0)                 = (Q + 1)/2,                 Q = (1/N) Σ_i q_i
       p_readout = Pr(anc = 0 | flag = 0) = (Q + 1 + 2 Σ_i c̄_i Y_i/√N) / (2(Q + 1))
       p_success = 2·Pr(flag = 0) − 1 = Q                        (the discretised P/n)
       leak      = Pr(scratch ≠ 0)  = (1/2N) Σ_i (1 − c̄_i² − s̄_i²)

   with ``N = n_padded`` (the index register is in uniform superposition over all rows, padding
   rows included). ``sign(p_readout − ½) = sign(Σ_i c̄_i Y_i)``.

With infinitely many bits the formulas reduce to the ideal ones of
:mod:`qntk_compile.classical.reference`: ``c̄_i = q_i^(1/2) = k_i``, ``Q = P/N``, ``p_readout =
(P/N + 1 + 2⟨k, y⟩/N)/(2(P/N + 1))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from qntk_compile.kernel.ntk import ntk_value
from qntk_compile.kernel.table import angle_to_kernel, kernel_angle_table

if TYPE_CHECKING:  # pragma: no cover
    from qntk_compile.data.problem import Problem

__all__ = [
    "loaded_state",
    "ae_phase_distribution",
    "amplification_scales",
    "fold_distribution",
    "median_distribution",
    "DiscretisedReference",
    "discretised_diagonal_reference",
    "reference_for_problem",
]


# --------------------------------------------------------------------------------------------
# 1. Amplitude loading with rounded angles
# --------------------------------------------------------------------------------------------


def loaded_state(v, amplitude_bits: int) -> np.ndarray:
    """The real state the Kerenidis–Prakash tree with ``amplitude_bits``-bit angles prepares.

    ``v`` is a real vector of power-of-two length (normalised here; a zero vector is an error).
    Returns the unit vector of amplitudes actually produced (see the module docstring, step 1).
    """
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or v.size < 2 or v.size & (v.size - 1):
        raise ValueError(f"loaded_state: need a vector of power-of-two length >= 2, got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("loaded_state: vector has non-finite entries")
    nrm = float(np.linalg.norm(v))
    if nrm == 0.0:
        raise ValueError("loaded_state: zero vector")
    if isinstance(amplitude_bits, bool) or int(amplitude_bits) != amplitude_bits:
        raise ValueError(f"amplitude_bits must be an integer (got {amplitude_bits!r})")
    b = int(amplitude_bits)
    if b < 1:
        raise ValueError(f"amplitude_bits must be >= 1 (got {b})")
    v = v / nrm
    levels = v.size.bit_length() - 1
    grid = 1 << b
    amps = np.ones(1)
    for level in range(levels):
        blocks = v.reshape(1 << level, -1)  # row p: the entries under prefix p
        half = blocks.shape[1] // 2
        if level == levels - 1:
            theta = np.mod(2.0 * np.arctan2(blocks[:, 1], blocks[:, 0]), 4.0 * np.pi)
            span = 4.0 * np.pi
        else:
            w = np.sum(blocks**2, axis=1)
            w0 = np.sum(blocks[:, :half] ** 2, axis=1)
            ratio = np.divide(w0, w, out=np.ones_like(w), where=w > 0)
            theta = 2.0 * np.arccos(np.sqrt(np.clip(ratio, 0.0, 1.0)))
            span = 2.0 * np.pi
        a = np.mod(np.rint(theta / span * grid), grid)
        th = a * span / grid
        new = np.empty(2 * amps.size)
        new[0::2] = amps * np.cos(th / 2.0)
        new[1::2] = amps * np.sin(th / 2.0)
        amps = new
    return amps


# --------------------------------------------------------------------------------------------
# 2-4. Amplitude estimation and median distributions
# --------------------------------------------------------------------------------------------


def _fejer(delta: np.ndarray, big_m: int) -> np.ndarray:
    s = np.sin(np.pi * delta)
    small = np.abs(s) < 1e-12
    num = np.sin(big_m * np.pi * delta) ** 2
    den = (big_m**2) * np.where(small, 1.0, s) ** 2
    return np.where(small, 1.0, num / den)


def ae_phase_distribution(p: float, phase_bits: int) -> np.ndarray:
    """Exact distribution of canonical AE's ``phase_bits``-bit output for success probability ``p``.

    ``Pr(y) = ½F(ω − y/M) + ½F(1 − ω − y/M)`` with ``sin²(πω) = p`` (Brassard et al. 2002, proof
    of Thm 11). ``p = 0`` gives ``y = 0`` and ``p = 1`` gives ``y = M/2`` with certainty.
    """
    if not (math.isfinite(p) and -1e-12 <= p <= 1 + 1e-12):
        raise ValueError(f"p must be in [0, 1] (got {p!r})")
    m = int(phase_bits)
    if m < 1:
        raise ValueError(f"phase_bits must be >= 1 (got {phase_bits!r})")
    big_m = 1 << m
    omega = math.asin(math.sqrt(min(max(p, 0.0), 1.0))) / math.pi
    y = np.arange(big_m) / big_m
    pmf = 0.5 * _fejer(omega - y, big_m) + 0.5 * _fejer(1.0 - omega - y, big_m)
    return pmf / pmf.sum()


def fold_distribution(pmf) -> np.ndarray:
    """Distribution of ``min(y, M − y)`` for ``y ~ pmf`` over ``0..M−1`` (same length ``M``)."""
    pmf = np.asarray(pmf, dtype=np.float64)
    big_m = pmf.size
    y = np.arange(big_m)
    folded = np.zeros(big_m)
    np.add.at(folded, np.minimum(y, (big_m - y) % big_m), pmf)
    return folded


def median_distribution(pmf, copies: int) -> np.ndarray:
    """Distribution of the median of ``copies`` (odd) i.i.d. draws from ``pmf`` over 0..len−1."""
    pmf = np.asarray(pmf, dtype=np.float64)
    if isinstance(copies, bool) or int(copies) != copies or copies < 1 or copies % 2 == 0:
        raise ValueError(f"copies must be an odd integer >= 1 (got {copies!r})")
    k = int(copies)
    cdf = np.clip(np.cumsum(pmf), 0.0, 1.0)
    cdf[-1] = 1.0
    h = (k + 1) // 2
    at_most = np.zeros_like(cdf)
    for j in range(h, k + 1):
        at_most += math.comb(k, j) * cdf**j * (1.0 - cdf) ** (k - j)
    return np.diff(np.concatenate([[0.0], at_most]))


# --------------------------------------------------------------------------------------------
# 5-6. Kernel values, readout
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscretisedReference:
    """What the gate-level ``DiagonalNTK`` simulation should give (module docstring).

    Attributes:
        p_readout: ``Pr(ancilla = 0 | flag = 0)`` of the discretised circuit.
        p_success: ``Q = 2·Pr(flag = 0) − 1``, the discretised post-selection probability P/n.
        leak: ``Pr(scratch registers ≠ 0)`` at the end (garbage the uncomputation cannot clear).
        sign: ``sign(p_readout − 1/2)`` (+1, −1, or 0).
        p_readout_ideal, p_success_ideal, sign_ideal: the same with exact loading, exact inner
            products and exact kernels ``k_i`` (no discretisation at all).
        p_hadamard: ``(1 − ⟨x̃*|x̃_i⟩)/2`` per row, for the loaded states.
        median_pmf: ``(N, 2^m)`` distribution of the phase value the table is applied to, per
            row (the median of the folded phases for ``k > 1``, the raw phase for ``k = 1``).
        kernel_mean, kernel_square: ``c̄_i = E[cos θ]`` and ``q_i = E[cos² θ]`` per row.
        kernel_sine_mean: ``s̄_i = E[sin θ]`` per row (flag-1 amplitude with clean scratch).
        kernel_ideal: exact ``k_i = clip(k̂(x*·x_i)/k_max, −1, 1)`` per row.
        label_state: the loaded label state ``|Y⟩`` (unit vector over the N rows).
        angle_table: the phase → angle-integer table.
    """

    p_readout: float
    p_success: float
    leak: float
    sign: int
    p_readout_ideal: float
    p_success_ideal: float
    sign_ideal: int
    p_hadamard: np.ndarray
    median_pmf: np.ndarray
    kernel_mean: np.ndarray
    kernel_square: np.ndarray
    kernel_sine_mean: np.ndarray
    kernel_ideal: np.ndarray
    label_state: np.ndarray
    angle_table: np.ndarray

    def as_dict(self) -> dict:
        return {
            "p_readout": self.p_readout,
            "p_success": self.p_success,
            "leak": self.leak,
            "sign": self.sign,
            "p_readout_ideal": self.p_readout_ideal,
            "p_success_ideal": self.p_success_ideal,
            "sign_ideal": self.sign_ideal,
        }


def _sign(x: float, tol: float = 1e-12) -> int:
    return 0 if abs(x) <= tol else (1 if x > 0 else -1)


def amplification_scales(success: float, rounds: int) -> tuple[float, float]:
    """Scales ``(g, b)`` of the good (flag 0) and bad parts after ``rounds`` Grover rounds.

    With ``sin²θ = success`` and ``Q = −A S0 A† Sχ`` (Brassard et al. 2002, Thm 2),
    ``Q^r A|0> = sin((2r+1)θ)|G> + cos((2r+1)θ)|B>``: every good component is multiplied by
    ``g = sin((2r+1)θ)/sin θ`` and every bad one by ``b = cos((2r+1)θ)/cos θ``.
    """
    if rounds == 0:
        return 1.0, 1.0
    theta = math.asin(math.sqrt(min(max(success, 0.0), 1.0)))
    g = math.sin((2 * rounds + 1) * theta) / math.sin(theta) if theta > 0 else 2 * rounds + 1.0
    c = math.cos(theta)
    b = math.cos((2 * rounds + 1) * theta) / c if c > 1e-15 else 0.0
    return g, b


def _readout(
    kbar: np.ndarray, q: np.ndarray, label: np.ndarray, g: float = 1.0
) -> tuple[float, float]:
    big_n = kbar.size
    big_q = g * g * float(np.sum(q)) / big_n
    cross = g * float(np.dot(kbar, label)) / math.sqrt(big_n)
    return (big_q + 1.0 + 2.0 * cross) / (2.0 * (big_q + 1.0)), big_q


def discretised_diagonal_reference(
    X,
    y,
    x_test,
    *,
    depth: int,
    k_max: float,
    amplitude_bits: int,
    phase_bits: int,
    median_copies: int,
    kernel_bits: int,
    label_amplitude_bits: int | None = -1,
    amplification_rounds: int = 0,
) -> DiscretisedReference:
    """The discretised prediction for ``DiagonalNTK`` on the (already padded) arrays.

    Args:
        X: ``(N, D)`` training rows, ``N`` and ``D`` powers of two (rows are normalised here).
        y: ``(N,)`` labels (±1, 0 for padding rows).
        x_test: ``(D,)`` test point.
        depth, k_max: the NTK depth and normalisation ``k̂(1 − δ̂)``.
        amplitude_bits, phase_bits, median_copies, kernel_bits: the precision knobs.
        label_amplitude_bits: rounding of the label state's loader: ``-1`` (default) means the
            same ``amplitude_bits``; ``None`` means an exact label state ``y/‖y‖``.
        amplification_rounds: ``r`` Grover rounds on the kernel flag (``DiagonalNTK`` with an
            ``AmplifiedTestKernel``): the flag-0 part of the kernel branch is scaled by
            ``g = sin((2r+1)θ)/sin θ`` and the flag-1 part by ``cos((2r+1)θ)/cos θ``,
            ``sin²θ = Q`` (:func:`amplification_scales`); ``p_success`` becomes ``g²Q``.
            The ideal values stay those of the unamplified readout.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    x_test = np.asarray(x_test, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],) or x_test.shape != (X.shape[1],):
        raise ValueError(f"shapes do not match: X {X.shape}, y {y.shape}, x_test {x_test.shape}")
    if isinstance(amplification_rounds, bool) or int(amplification_rounds) != amplification_rounds:
        raise ValueError(f"amplification_rounds must be an integer (got {amplification_rounds!r})")
    amplification_rounds = int(amplification_rounds)
    if amplification_rounds < 0:
        raise ValueError(f"amplification_rounds must be >= 0 (got {amplification_rounds})")
    if (
        isinstance(median_copies, bool)
        or int(median_copies) != median_copies
        or median_copies < 1
        or median_copies % 2 == 0
    ):
        raise ValueError(f"median_copies must be an odd integer >= 1 (got {median_copies!r})")
    big_n = X.shape[0]
    table = kernel_angle_table(depth, k_max, phase_bits, kernel_bits)
    cos_y = angle_to_kernel(table, kernel_bits)
    sin_y = np.sqrt(np.clip(1.0 - cos_y**2, 0.0, 1.0))  # θ ∈ [0, π): sin θ ≥ 0

    star = loaded_state(x_test, amplitude_bits)
    rows = np.array([loaded_state(x, amplitude_bits) for x in X])
    overlaps = np.clip(rows @ star, -1.0, 1.0)
    p_had = (1.0 - overlaps) / 2.0
    ae = [ae_phase_distribution(p, phase_bits) for p in p_had]
    if median_copies > 1:
        med = np.array([median_distribution(fold_distribution(d), median_copies) for d in ae])
    else:
        med = np.array(ae)
    kbar = med @ cos_y
    q = med @ (cos_y**2)
    sbar = med @ sin_y
    if label_amplitude_bits is None:
        label = y / np.linalg.norm(y)
    else:
        bits = amplitude_bits if label_amplitude_bits == -1 else label_amplitude_bits
        label = loaded_state(y, bits)
    g, b_scale = amplification_scales(float(np.sum(q)) / big_n, amplification_rounds)
    p_read, big_q = _readout(kbar, q, label, g)
    leak_good = float(np.sum(np.clip(q - kbar**2, 0.0, None))) / big_n
    leak_bad = float(np.sum(np.clip(1.0 - q - sbar**2, 0.0, None))) / big_n
    leak = (g * g * leak_good + b_scale * b_scale * leak_bad) / 2.0

    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    rho = np.clip(Xn @ (x_test / np.linalg.norm(x_test)), -1.0, 1.0)
    k_ideal = np.clip(np.asarray(ntk_value(rho, depth), dtype=np.float64) / k_max, -1.0, 1.0)
    p_ideal, q_ideal = _readout(k_ideal, k_ideal**2, y / np.linalg.norm(y))
    return DiscretisedReference(
        p_readout=float(p_read),
        p_success=float(big_q),
        leak=leak,
        sign=_sign(p_read - 0.5),
        p_readout_ideal=float(p_ideal),
        p_success_ideal=float(q_ideal),
        sign_ideal=_sign(p_ideal - 0.5),
        p_hadamard=p_had,
        median_pmf=med,
        kernel_mean=kbar,
        kernel_square=q,
        kernel_sine_mean=sbar,
        kernel_ideal=k_ideal,
        label_state=label,
        angle_table=table,
    )


def reference_for_problem(problem: Problem, **overrides) -> DiscretisedReference:
    """:func:`discretised_diagonal_reference` for a :class:`~qntk_compile.data.problem.Problem`.

    ``k_max = k̂(1 − δ̂)`` with the problem's ``delta_hat``; ``overrides`` are passed on.
    """
    kwargs = dict(
        depth=problem.depth,
        k_max=float(ntk_value(1.0 - problem.delta_hat, problem.depth)),
        amplitude_bits=problem.amplitude_bits,
        phase_bits=problem.phase_bits,
        median_copies=problem.median_copies,
        kernel_bits=problem.kernel_bits,
    )
    kwargs.update(overrides)
    return discretised_diagonal_reference(problem.X, problem.y, problem.x_test, **kwargs)
