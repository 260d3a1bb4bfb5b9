"""Classical baselines: operation counts, machine model, crossover search."""

import math

import pytest
import sympy

from resource_estimates.published.classical import (
    MachineModel,
    cg_iterations,
    cg_sparse_flops,
    classical_costs,
    crossover_n,
    diagonal_ntk_flops,
    exact_ntk_flops,
    memory_bytes,
)


def test_exact_counts_leading_terms():
    n, d, L = 1000, 64, 10
    k = 2 * d + 10 * L
    assert exact_ntk_flops(n, d, L) == pytest.approx(n**2 * k + n**3 / 3 + 2 * n**2 + n * k + 2 * n)
    # O(n^2 d + n^3): doubling n multiplies by ~8 once n >> d.
    assert exact_ntk_flops(2**20, 4, 1) / exact_ntk_flops(2**19, 4, 1) == pytest.approx(8, rel=1e-3)


def test_cg_and_diagonal():
    assert cg_iterations(4.0, 0.01) == math.ceil(2 * math.log(200))
    n, d, L, s = 2**10, 64, 5, 20
    it = cg_iterations(1.5, 1e-3)
    k = 2 * d + 50
    assert (
        cg_sparse_flops(n, d, L, s, 1.5, 1e-3)
        == n * s * k + it * (2 * n * s + 10 * n) + n * k + 2 * n
    )
    assert diagonal_ntk_flops(n, d, L) == n * k + 2 * n
    # The symbolic formula agrees with the numbers.
    sn, sd = sympy.symbols("n d", positive=True)
    assert diagonal_ntk_flops(sn, sd, L).subs({sn: n, sd: d}) == n * k + 2 * n
    assert exact_ntk_flops(sn, sd, L).subs({sn: 30, sd: 2}) == pytest.approx(
        exact_ntk_flops(30, 2, L)
    )


def test_classical_costs_and_memory():
    m = MachineModel(flops_per_second=1e9, memory_bytes=1e9)
    c = classical_costs(2**20, 64, 10, 40, 1.2, 1e-3, m)
    assert c["diagonal"]["seconds"] == pytest.approx(c["diagonal"]["flops"] / 1e9)
    assert not c["exact"]["fits_in_memory"]  # 8 n^2 = 8.8e12 bytes
    assert c["exact"]["memory_bytes"] == memory_bytes("exact", 2**20, 64)
    assert c["cg_sparse"]["iterations"] == cg_iterations(1.2, 1e-3)
    assert c["exact"]["seconds"] > c["cg_sparse"]["seconds"] > c["diagonal"]["seconds"]
    with pytest.raises(ValueError):
        classical_costs(1, 4, 1, 1, 1.0, 0.1)
    with pytest.raises(ValueError):
        classical_costs(8, 4, 1, 1, 0.5, 0.1)
    with pytest.raises(ValueError):
        MachineModel(flops_per_second=0)
    with pytest.raises(ValueError):
        memory_bytes("magic", 4, 4)


def test_crossover():
    # quantum 1e3 * log2(n)^2 s, classical n s: first power of two where quantum wins.
    q = lambda n: 1e3 * math.log2(n) ** 2  # noqa: E731
    c = lambda n: float(n)  # noqa: E731
    got = crossover_n(q, c)
    k = int(math.log2(got))
    assert q(got) < c(got) and q(2 ** (k - 1)) >= c(2 ** (k - 1))
    assert crossover_n(lambda n: 2.0 * n, c) is None
    assert crossover_n(lambda n: None, c) is None
