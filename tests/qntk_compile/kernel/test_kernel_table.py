"""Tests of the phase -> kernel angle table (qntk_compile.kernel.table)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qntk_compile.kernel.ntk import ntk_value
from qntk_compile.kernel.table import (
    angle_to_kernel,
    kernel_angle_table,
    kernel_max,
    kernel_ratio_table,
    kernel_table_error,
    phase_to_inner_product,
    phase_to_probability,
)


def _scalar_table(depth, k_max, m, b):
    """The table written entry by entry with scalar math (independent of the vectorised code)."""
    out = []
    for y in range(2**m):
        p = math.sin(math.pi * y / 2**m) ** 2
        rho = 1.0 - 2.0 * p
        k = float(ntk_value(max(-1.0, min(1.0, rho)), depth)) / k_max
        k = max(-1.0, min(1.0, k))
        a = round(math.acos(k) * 2**b / math.pi)
        out.append(min(a, 2**b - 1))
    return out


@pytest.mark.parametrize("depth,delta_hat,m,b", [(1, 0.1, 3, 4), (3, 0.3, 4, 6), (10, 0.05, 5, 8)])
def test_table_matches_scalar_composition(depth, delta_hat, m, b):
    k_max = kernel_max(depth, delta_hat)
    table = kernel_angle_table(depth, k_max, m, b)
    assert table.dtype == np.int64
    assert table.shape == (2**m,)
    assert list(table) == _scalar_table(depth, k_max, m, b)


def test_phase_maps_are_canonical_ae():
    m = 5
    p = phase_to_probability(m)
    rho = phase_to_inner_product(m)
    np.testing.assert_allclose(rho, 1 - 2 * p, atol=1e-12)
    assert p[0] == 0 and rho[0] == 1
    assert p[2 ** (m - 1)] == pytest.approx(1.0)  # y = M/2 means p = 1, rho = -1
    # AE cannot tell y from M - y: the table is symmetric.
    np.testing.assert_allclose(p[1:], p[1:][::-1], atol=1e-12)


def test_zero_phase_is_full_kernel_and_depth_matters():
    k_max = kernel_max(5, 0.2)
    t5 = kernel_angle_table(5, k_max, 4, 6)
    assert t5[0] == 0  # rho = 1 -> k = k(1)/k_max >= 1 -> clipped to 1 -> angle 0
    t1 = kernel_angle_table(1, kernel_max(1, 0.2), 4, 6)
    assert not np.array_equal(t1, t5)


def test_realised_kernel_within_table_error():
    depth, m, b = 4, 6, 5
    k_max = kernel_max(depth, 0.1)
    ideal = kernel_ratio_table(depth, k_max, m)
    realised = angle_to_kernel(kernel_angle_table(depth, k_max, m, b), b)
    floor = -math.cos(math.pi / 2**b)
    err = np.abs(realised - np.maximum(ideal, floor))
    assert np.max(err) <= kernel_table_error(b) + 1e-12


@settings(max_examples=200, deadline=None)
@given(k=st.floats(-1.0, 1.0), b=st.integers(1, 12))
def test_rounding_error_bound_is_tight_and_holds(k, b):
    a = min(round(math.acos(k) * 2**b / math.pi), 2**b - 1)
    k_clip = max(k, -math.cos(math.pi / 2**b))
    assert abs(float(angle_to_kernel(a, b)) - k_clip) <= kernel_table_error(b) + 1e-12


def test_error_bound_attained():
    b = 3
    # theta exactly half-way between two grid points around pi/2: the worst case.
    theta = math.pi / 2 + math.pi / 2 ** (b + 1)
    k = math.cos(theta)
    a = round(theta * 2**b / math.pi)
    assert abs(float(angle_to_kernel(a, b)) - k) == pytest.approx(kernel_table_error(b))


def test_negative_kernel_sign_is_kept():
    # A tiny k_max makes many ratios clip to +1; a large one keeps negative kernels negative.
    depth, m, b = 1, 4, 8
    k_max = float(ntk_value(1.0, depth))
    realised = angle_to_kernel(kernel_angle_table(depth, k_max, m, b), b)
    ideal = kernel_ratio_table(depth, k_max, m)
    assert np.all(np.sign(realised[np.abs(ideal) > 0.02]) == np.sign(ideal[np.abs(ideal) > 0.02]))
    assert np.any(ideal < 0)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(depth=2, k_max=0.0, phase_bits=3, kernel_bits=3),
        dict(depth=2, k_max=float("nan"), phase_bits=3, kernel_bits=3),
        dict(depth=2, k_max=1.0, phase_bits=0, kernel_bits=3),
        dict(depth=2, k_max=1.0, phase_bits=3, kernel_bits=True),
        dict(depth=2, k_max=1.0, phase_bits=3.5, kernel_bits=3),
        dict(depth=-1, k_max=1.0, phase_bits=3, kernel_bits=3),
    ],
)
def test_bad_arguments_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        kernel_angle_table(**kwargs)


def test_bad_angles_and_delta_hat():
    with pytest.raises(ValueError):
        angle_to_kernel([0, 8], 3)
    with pytest.raises(ValueError):
        kernel_max(3, 0.0)
    with pytest.raises(ValueError):
        kernel_max(3, float("inf"))
