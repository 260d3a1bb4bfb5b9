"""SparsifiedNTK: construction checks, costs from sizes, bad input."""

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle
from bloqs.block_encoding.stored_pattern_oracle import StoredPatternRowColumnOracle
from bloqs.linear_systems.inverse_polynomials import qlsa_degree
from bloqs.ntk.sparsified_ntk import SparsifiedNTK, _example_problem, _sparsified_ntk

KNOBS = dict(amplitude_bits=3, phase_bits=2, median_copies=1, kernel_bits=3)


def test_example_decomposes_and_counts():
    b = _sparsified_ntk.make()
    assert_valid_bloq_decomposition(b)
    assert_equivalent_bloq_counts(b, [ignore_split_join, ignore_alloc_free])
    assert b.kappa >= 1 and b.kappa_eff >= 1
    assert {r.name for r in b.signature} == {"index", "flag", "scratch", "qlsa_ancilla", "ancilla"}


def test_from_sizes_queries_are_the_qlsa_degree_and_costing_is_symbolic():
    n = sympy.Symbol("n", positive=True, integer=True)
    b = SparsifiedNTK.from_sizes(n, 4, 5, 4, 3, 6, 7, 3.0, 0.01)
    assert b.qlsa_degree == qlsa_degree(3.0, 0.01)[0] == 15  # Chebyshev 15 < Neumann 41
    cost = get_cost_value(b, QECGatesCost())
    assert n in sympy.sympify(cost.and_bloq).free_symbols
    for nv in (2**10, 2**20, 2**40):
        c = get_cost_value(
            SparsifiedNTK.from_sizes(nv, 4, 5, 4, 3, 6, 7, 3.0, 0.01), QECGatesCost()
        )
        assert int(sympy.sympify(cost.and_bloq).subs({n: nv})) == c.and_bloq
    assert get_cost_value(
        SparsifiedNTK.from_sizes(2**40, 4, 5, 4, 3, 6, 7, 3.0, 0.01), QubitCount()
    )


def test_from_sizes_degree_follows_kappa_eff_deep_ntk_regime_is_degree_one():
    sizes = (2**20, 4, 5, 4, 3, 6, 7)
    deep = SparsifiedNTK.from_sizes(*sizes, 1.000001, 0.01, kappa_eff=1.00005)
    assert deep.qlsa_degree == 1 and deep.kappa == 1.000001 and deep.kappa_eff == 1.00005
    far = SparsifiedNTK.from_sizes(*sizes, 1.0, 0.01, kappa_eff=8.0)
    assert far.qlsa_degree == qlsa_degree(8.0, 0.01)[0] and qlsa_degree(8.0, 0.01)[1] == "chebyshev"
    assert SparsifiedNTK.from_sizes(*sizes, 2.0, 0.01).kappa_eff == 2.0  # lower bound: kappa
    k, e = sympy.symbols("kappa_eff epsilon", positive=True)
    symb = SparsifiedNTK.from_sizes(*sizes, 1.0, e, kappa_eff=k)
    assert isinstance(symb.qlsa_degree, sympy.Min)
    assert symb.qlsa_degree.subs({k: 1.00005, e: 0.01}) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(kappa=0.5), "kappa"),
        (dict(kappa_eff=1.5), "kappa_eff must be >= kappa"),
        (dict(kappa_eff=0.5), "kappa"),
        (dict(qlsa_epsilon=0.0), "qlsa_epsilon"),
        (dict(qlsa_epsilon=1.5), "qlsa_epsilon"),
        (dict(sparsity=64, n=32), "sparsity"),
    ],
)
def test_from_sizes_bad_input(change, message):
    kw = dict(
        n=32,
        d=4,
        amplitude_bits=4,
        phase_bits=3,
        median_copies=1,
        kernel_bits=4,
        sparsity=3,
        kappa=2.0,
        qlsa_epsilon=0.1,
    )
    kw.update(change)
    with pytest.raises(ValueError, match=message):
        SparsifiedNTK.from_sizes(**kw)


def _from_data(**change):
    X, y, x_test, table, kt, nu = _example_problem()
    kw = dict(
        X=X,
        y=y,
        x_test=x_test,
        angle_table=table,
        kernel_matrix=kt,
        row_col_oracle=nu,
        qlsa_epsilon=0.1,
        **KNOBS,
    )
    kw.update(change)
    return SparsifiedNTK.from_data(**kw)


def test_from_data_bad_input():
    kt = _example_problem()[4]
    asym = kt.copy()
    asym[0, 1] = 0.1
    with pytest.raises(ValueError, match="symmetric"):
        _from_data(kernel_matrix=asym)
    with pytest.raises(ValueError, match="asymmetric"):  # an asymmetric ν pattern
        StoredPatternRowColumnOracle.from_columns([(0, 1, 2), (1, 2, 3), (2, 3, 0), (3, 0, 1)])
    with pytest.raises(ValueError, match="exceeds"):
        _from_data(row_col_oracle=StoredPatternRowColumnOracle.from_sizes(2, 5))
    with pytest.raises(ValueError, match="qlsa_epsilon"):
        _from_data(qlsa_epsilon=1.0)
    bad = kt.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="finite"):
        _from_data(kernel_matrix=bad)
    indefinite = kt.copy()
    indefinite[0, 3] = indefinite[3, 0] = -1.5
    with pytest.raises(ValueError, match="positive definite"):
        _from_data(kernel_matrix=indefinite)
    with pytest.raises(ValueError):  # angle table entries outside [0, 2^kernel_bits)
        _from_data(angle_table=(0, 9, 9, 9))
    with pytest.raises(ValueError, match="relative error"):  # degree too low for epsilon
        _from_data(qlsa_degree=1, qlsa_epsilon=1e-3)
    off_pattern = kt.copy()
    off_pattern[0, 2] = off_pattern[2, 0] = 0.1
    with pytest.raises(ValueError, match="outside the sparsity pattern"):
        _from_data(kernel_matrix=off_pattern, row_col_oracle=CirculantBandRowColumnOracle(2, 3))
