"""The example/test loaders: ToyRowPrep prepares the rows it is given; its controlled version."""

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import generalize_rotation_angle
from qualtran.testing import assert_valid_bloq_decomposition

from bloqs.inner_product._example_preps import ToyRowPrep


@pytest.mark.parametrize("shape", [(1, 2), (1, 8), (2, 4), (4, 2)])
def test_rows_prepared_and_controlled(shape):
    rng = np.random.default_rng(sum(shape))
    mat = rng.normal(size=shape)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    prep = ToyRowPrep.from_matrix(mat)
    assert_valid_bloq_decomposition(prep)
    n, d = shape
    u = prep.tensor_contract()
    for i in range(n):
        np.testing.assert_allclose(u[i * d : (i + 1) * d, i * d], mat[i], atol=1e-10)
    cu = prep.controlled().tensor_contract()
    np.testing.assert_allclose(cu[: n * d, : n * d], np.eye(n * d), atol=1e-10)
    np.testing.assert_allclose(cu[n * d :, n * d :], u, atol=1e-10)


def test_sizes_only_cost():
    t = sympy.Symbol("t", positive=True, integer=True)
    symb = get_cost_value(ToyRowPrep(1, t, is_controlled=True), QECGatesCost()).asdict()
    for tb in (1, 2, 3):
        mat = np.ones((2, 2**tb))
        conc = ToyRowPrep.from_matrix(mat).controlled()
        cc = get_cost_value(conc, QECGatesCost(), generalizer=generalize_rotation_angle).asdict()
        assert cc == {k: int(sympy.sympify(v).subs(t, tb)) for k, v in symb.items()}


@pytest.mark.parametrize("bad", [[[0.0, 0.0]], [[1.0, 2.0, 3.0]], [[np.nan, 1.0]], [[1.0]]])
def test_bad(bad):
    with pytest.raises(ValueError):
        ToyRowPrep.from_matrix(bad)
