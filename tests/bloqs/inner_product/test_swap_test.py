"""SwapTest: simulated flag probability vs (1 - |<a|b>|^2)/2."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import TwoBitCSwap
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import generalize_rotation_angle, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.inner_product._example_preps import ToyRowPrep, example_symbolic_preps
from bloqs.inner_product.swap_test import _SWAP_TEST_DOC, SwapTest, _swap_test
from tests.bloqs.amplitude_estimation.helpers import assert_doc_examples_ok


def _unit_rows(rng, n, d):
    x = rng.normal(size=(n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("target_bits", [1, 2])
def test_swap_probability(seed, target_bits):
    rng = np.random.default_rng(50 + seed)
    d = 2**target_bits
    rows, x = _unit_rows(rng, 2, d), _unit_rows(rng, 1, d)[0]
    bloq = SwapTest(ToyRowPrep.from_matrix(rows), ToyRowPrep.from_matrix(x[None]))
    u = bloq.tensor_contract()  # (index, target, target_b, flag)
    for i in range(2):
        out = u[:, i * d * d * 2].reshape(2, d, d, 2)
        assert np.allclose(out[1 - i], 0, atol=1e-10)
        ab = np.outer(rows[i], x)
        ideal = 0.5 * np.stack([ab + ab.T, ab - ab.T], axis=2)  # (target, target_b, flag)
        np.testing.assert_allclose(out[i], ideal, atol=1e-10)
        p1 = np.sum(np.abs(out[i][..., 1]) ** 2)
        assert abs(p1 - (1 - (rows[i] @ x) ** 2) / 2) < 1e-10


def test_decomposition_counts_and_symbolic():
    bloq = _swap_test.make()
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, ignore_split_join)
    symb = SwapTest(*example_symbolic_preps())
    cost = get_cost_value(symb, QECGatesCost()).asdict()
    t = symb.target_bitsize
    rng = np.random.default_rng(0)
    for tb in (1, 2, 3):
        conc = SwapTest(
            ToyRowPrep.from_matrix(_unit_rows(rng, 2, 2**tb)),
            ToyRowPrep.from_matrix(_unit_rows(rng, 1, 2**tb)),
        )
        cc = get_cost_value(conc, QECGatesCost(), generalizer=generalize_rotation_angle).asdict()
        assert cc == {k: int(sympy.sympify(v).subs(t, tb)) for k, v in cost.items()}
        assert cc["cswap"] == tb
    _, sigma = bloq.call_graph()
    assert sigma[TwoBitCSwap()] == 1


def test_bad_inputs():
    a = ToyRowPrep.from_matrix(np.eye(2))
    b = ToyRowPrep.from_matrix([[1.0, 0.0]])
    wide = ToyRowPrep.from_matrix([[1.0, 0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="qubits"):
        SwapTest(a, wide)
    with pytest.raises(ValueError, match="missing from prep_a"):
        SwapTest(b, a)
    with pytest.raises(ValueError, match="flag"):
        SwapTest(SwapTest(a, b), b)


@pytest.mark.parametrize("doc", [_SWAP_TEST_DOC])
def test_bloq_examples(doc):
    assert_doc_examples_ok(doc)
