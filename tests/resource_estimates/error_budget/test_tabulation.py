"""Kernel tabulations are reused across budgets (resource_estimates.error_budget.tabulation)."""

import numpy as np
import pytest

from qntk_compile.jobs.report_inputs import budget_kernel
from resource_estimates.error_budget import model as em
from resource_estimates.error_budget import tabulation


class Counting:
    """A kernel that counts its evaluations (optionally with a cache_key)."""

    def __init__(self, slope, key=None):
        self.slope, self.calls = slope, 0
        if key is not None:
            self.cache_key = key

    def __call__(self, rho):
        self.calls += 1
        return np.clip(self.slope * np.asarray(rho), -1.0, 1.0)


def test_a_kernel_with_a_cache_key_is_tabulated_once():
    k = Counting(0.5, key=("test", "once", 0.5))
    a = em.KernelSensitivity.from_kernel(k)
    b = em.KernelSensitivity.from_kernel(k)
    assert a is b and k.calls == 1
    assert a.k(0.5) == pytest.approx(0.25)


def test_identical_values_share_a_tabulation_and_different_kernels_do_not():
    a = em.KernelSensitivity.from_kernel(Counting(0.3))
    b = em.KernelSensitivity.from_kernel(Counting(0.3))
    c = em.KernelSensitivity.from_kernel(Counting(0.7))
    assert a is b and c is not a
    assert c.k(1.0) == pytest.approx(0.7) and a.k(1.0) == pytest.approx(0.3)


def test_the_budget_kernel_has_a_key_by_value_and_the_cache_is_bounded():
    k1, k2 = budget_kernel(12, 0.01), budget_kernel(12, 0.01)
    assert k1 == k2 and k1.cache_key == k2.cache_key != budget_kernel(12, 0.02).cache_key
    assert em.KernelSensitivity.from_kernel(k1) is em.KernelSensitivity.from_kernel(k2)
    for i in range(tabulation.CACHE_SIZE + 3):
        em.KernelSensitivity.from_kernel(Counting(0.01 * (i + 1)))
    assert len(tabulation._KEPT) <= 2 * tabulation.CACHE_SIZE
    grid = tabulation.grid()
    assert not grid.flags.writeable and grid[0] == -1.0 and grid[-1] == 1.0


def test_bad_kernels_are_still_refused():
    with pytest.raises(ValueError, match="non-decreasing"):
        em.KernelSensitivity.from_kernel(lambda r: -0.5 * np.asarray(r))
    with pytest.raises(ValueError, match="finite"):
        em.KernelSensitivity.from_kernel(lambda r: np.full(np.shape(r), np.nan))
