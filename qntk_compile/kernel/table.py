"""The classical table that turns an amplitude-estimation phase into a kernel rotation angle.

Algorithm 1 line 3 applies the NTK to the inner product held in a register. Theorem III.5 of
Zlokapa, Neven & Lloyd (arXiv:2107.09200, 2021) does this with a classical function evaluated
coherently (``V: Σ_x |x, 0> -> Σ_x |x, f(x)>``), and Lemma III.4 then needs ``arccos k_i`` as a
rotation angle. Both steps are classical functions of the ``m``-bit phase register, so we tabulate
their composition once, classically, over the ``2^m`` phase values::

    phase y  ->  p̃ = sin²(π·y/2^m)                (canonical amplitude estimation, Brassard et
                                                    al. 2002, quant-ph/0005055, Thm 12)
             ->  ρ = 1 − 2·p̃ = cos(2π·y/2^m)       (Hadamard test: p = (1 − x*·x_i)/2, Thm III.5)
             ->  k = clip(k̂(ρ)/k_max, −1, 1)        (Theorem III.5, k_max = k̂(1 − δ̂))
             ->  a = round(arccos(k)·2^b/π)         (the angle integer, b = ``kernel_bits``)

and load it with a QROM-style lookup (``bloqs.arithmetic.function_lookup.FunctionLookup``).
The depth ``L`` of the network enters only through this table, so it costs nothing quantum.

**Angle convention** (that of ``bloqs.encoding.arccos_rotation.ArccosRotation``): a ``b``-bit angle
register holding the integer ``a`` rotates the flag by ``θ = π·a/2^b`` so that the flag's |0>
amplitude is ``cos θ``. ``a`` ranges over ``0 .. 2^b − 1``, i.e. ``θ ∈ [0, π)``: ``k = 1`` is exact
(``a = 0``), ``k = −1`` (``θ = π``) is not representable and is clipped to ``a = 2^b − 1``
(``cos θ = −cos(π/2^b)``). Rounding ``θ`` to the grid moves it by at most ``π/2^(b+1)``; since
``π/2`` is a grid point, the worst case is next to it and ``k`` moves by at most
``sin(π/2^(b+1)) ≤ π/2^(b+1)`` (:func:`kernel_table_error`).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from qntk_compile.kernel.ntk import ntk_value

__all__ = [
    "MAX_TABLE_BITS",
    "phase_to_probability",
    "phase_to_inner_product",
    "kernel_max",
    "kernel_ratio_table",
    "kernel_angle_table",
    "angle_to_kernel",
    "kernel_table_error",
]


#: The most bits a table's index or angle may have (2^30 float64 entries are already 8 GiB).
MAX_TABLE_BITS = 30


def _as_bits(value, name: str, minimum: int = 1, maximum: int = MAX_TABLE_BITS) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer (got {value!r})")
    if not minimum <= int(value) <= maximum:
        raise ValueError(f"{name} must be in [{minimum}, {maximum}] (got {value})")
    return int(value)


def phase_to_probability(phase_bits: int) -> np.ndarray:
    """``p̃(y) = sin²(π·y/2^m)`` for every phase integer ``y`` (canonical AE estimate)."""
    m = _as_bits(phase_bits, "phase_bits")
    y = np.arange(1 << m, dtype=np.float64)
    return np.sin(np.pi * y / (1 << m)) ** 2


def phase_to_inner_product(phase_bits: int) -> np.ndarray:
    """``ρ(y) = 1 − 2·p̃(y) = cos(2π·y/2^m)`` for every phase integer ``y``."""
    m = _as_bits(phase_bits, "phase_bits")
    y = np.arange(1 << m, dtype=np.float64)
    return np.cos(2.0 * np.pi * y / (1 << m))


def kernel_max(depth: int, delta_hat: float) -> float:
    """``k_max = k̂(1 − δ̂)``, the normalisation of Theorem III.5."""
    if (
        isinstance(delta_hat, bool)
        or not isinstance(delta_hat, numbers.Real)
        or not math.isfinite(delta_hat)
        or not 0.0 < delta_hat <= 2.0
    ):
        raise ValueError(f"delta_hat must be in (0, 2] (got {delta_hat!r})")
    return float(ntk_value(1.0 - float(delta_hat), depth))


def _check_k_max(k_max) -> float:
    if (
        isinstance(k_max, bool)
        or not isinstance(k_max, numbers.Real)
        or not math.isfinite(k_max)
        or k_max <= 0
    ):
        raise ValueError(f"k_max must be a positive finite number (got {k_max!r})")
    return float(k_max)


def kernel_ratio_table(depth: int, k_max: float, phase_bits: int) -> np.ndarray:
    """``k(y) = clip(k̂(ρ(y))/k_max, −1, 1)`` for every phase integer ``y`` (before rounding)."""
    k_max = _check_k_max(k_max)
    rho = np.clip(phase_to_inner_product(phase_bits), -1.0, 1.0)
    return np.clip(np.asarray(ntk_value(rho, depth), dtype=np.float64) / k_max, -1.0, 1.0)


def kernel_angle_table(depth: int, k_max: float, phase_bits: int, kernel_bits: int) -> np.ndarray:
    """The angle integers ``a(y)`` for ``y = 0 .. 2^phase_bits − 1`` (see the module docstring).

    Args:
        depth: NTK depth ``L`` (number of hidden layers, ≥ 0).
        k_max: normalisation ``k̂(1 − δ̂)`` (> 0); see :func:`kernel_max`.
        phase_bits: ``m``, width of the amplitude-estimation phase register.
        kernel_bits: ``b``, width of the angle register.

    Returns:
        ``int64`` array of length ``2^m`` with entries in ``[0, 2^b − 1]``.
    """
    b = _as_bits(kernel_bits, "kernel_bits")
    k = kernel_ratio_table(depth, k_max, phase_bits)
    a = np.rint(np.arccos(k) * (1 << b) / np.pi).astype(np.int64)
    return np.clip(a, 0, (1 << b) - 1)


def angle_to_kernel(angles, kernel_bits: int) -> np.ndarray:
    """The kernel value a rotation by the angle integer(s) realises: ``cos(π·a/2^b)``."""
    b = _as_bits(kernel_bits, "kernel_bits")
    a = np.asarray(angles)
    if a.size and (np.any(a < 0) or np.any(a >= (1 << b))):
        raise ValueError(f"angle integers must lie in [0, {(1 << b) - 1}]")
    return np.cos(np.pi * a.astype(np.float64) / (1 << b))


def kernel_table_error(kernel_bits: int) -> float:
    """Largest ``|cos(π·a(k)/2^b) − k|`` over ``k ∈ [−cos(π/2^b), 1]``: ``sin(π/2^(b+1))``.

    The worst case is ``θ`` half a grid step from ``π/2`` (a grid point for ``b ≥ 1``):
    ``|cos(π/2) − cos(π/2 + π/2^(b+1))|``.

    (Values ``k < −cos(π/2^b)`` are additionally clipped to ``−cos(π/2^b)``.)
    """
    b = _as_bits(kernel_bits, "kernel_bits")
    return math.sin(math.pi / (1 << (b + 1)))
