"""HadamardTestOverlap: simulated decomposition vs the ideal Hadamard-test state (Theorem III.5)."""

import numpy as np
import pytest
import sympy
from qualtran import QAny, Register, Side, Signature
from qualtran.bloqs.basic_gates import Hadamard
from qualtran.bloqs.bookkeeping import Allocate
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import generalize_rotation_angle
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.inner_product._example_preps import ToyRowPrep, example_symbolic_preps
from bloqs.inner_product.hadamard_test import (
    _HADAMARD_TEST_OVERLAP_DOC,
    HadamardTestOverlap,
    _hadamard_test_overlap,
)
from tests.bloqs.amplitude_estimation.helpers import assert_doc_examples_ok


def _unit_rows(rng, n, d):
    x = rng.normal(size=(n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("target_bits", [1, 2])
def test_overlap_state_and_probability(seed, target_bits):
    rng = np.random.default_rng(seed)
    d = 2**target_bits
    rows = _unit_rows(rng, 2, d)
    x = _unit_rows(rng, 1, d)[0]
    rows[1] = -rows[1] if rows[1] @ x > 0 else rows[1]  # a negative overlap in every instance
    rows[0] = -rows[0] if rows[0] @ x < 0 else rows[0]  # and a positive one
    bloq = HadamardTestOverlap(ToyRowPrep.from_matrix(rows), ToyRowPrep.from_matrix(x[None]))
    u = bloq.tensor_contract()  # registers: index (1), target, flag (1)
    for i in range(2):
        out = u[:, i * 2 * d].reshape(2, d, 2)
        assert np.allclose(out[1 - i], 0, atol=1e-10)  # index unchanged
        ideal = 0.5 * np.stack([rows[i] + x, rows[i] - x], axis=1)  # (target, flag), eq. 24
        np.testing.assert_allclose(out[i], ideal, atol=1e-10)
        p1 = np.sum(np.abs(out[i][:, 1]) ** 2)
        assert abs(p1 - (1 - rows[i] @ x) / 2) < 1e-10
    assert rows[0] @ x > 0 > rows[1] @ x


def test_adjoint_is_inverse():
    bloq = _hadamard_test_overlap.make()
    u = bloq.tensor_contract()
    np.testing.assert_allclose(bloq.adjoint().tensor_contract(), u.conj().T, atol=1e-10)


@pytest.mark.parametrize("example", [_hadamard_test_overlap])
def test_decomposition_and_counts(example):
    bloq = example.make()
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq)


def test_call_graph_lists_controlled_preps():
    bloq = _hadamard_test_overlap.make()
    _, sigma = bloq.call_graph()
    assert sigma[Hadamard()] == 2
    assert bloq.prep_a.controlled() in bloq.build_call_graph(None)


def test_symbolic_cost_matches_concrete():
    symb = HadamardTestOverlap(*example_symbolic_preps())
    t = symb.target_bitsize
    cost = get_cost_value(symb, QECGatesCost()).asdict()
    rng = np.random.default_rng(11)
    for tb in (1, 2, 3):
        conc = HadamardTestOverlap(
            ToyRowPrep.from_matrix(_unit_rows(rng, 2, 2**tb)),
            ToyRowPrep.from_matrix(_unit_rows(rng, 1, 2**tb)),
        )
        cc = get_cost_value(conc, QECGatesCost(), generalizer=generalize_rotation_angle).asdict()
        assert cc == {k: int(sympy.sympify(v).subs(t, tb)) for k, v in cost.items()}


def test_bad_inputs():
    a = ToyRowPrep.from_matrix(np.eye(2))
    b = ToyRowPrep.from_matrix([[1.0, 0.0]])
    wide = ToyRowPrep.from_matrix([[1.0, 0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="qubits"):
        HadamardTestOverlap(a, wide)
    with pytest.raises(ValueError, match="missing from prep_a"):
        HadamardTestOverlap(b, a)
    with pytest.raises(ValueError, match="no 'target'"):
        HadamardTestOverlap(a, Hadamard())
    with pytest.raises(ValueError, match="THRU"):
        HadamardTestOverlap(a, Allocate(QAny(1)))
    with pytest.raises(ValueError, match="flag"):
        HadamardTestOverlap(HadamardTestOverlap(a, b), b)
    with pytest.raises(ValueError):
        ToyRowPrep.from_matrix([[0.0, 0.0]])


def test_signature_order():
    bloq = _hadamard_test_overlap.make()
    assert [r.name for r in bloq.signature] == ["index", "target", "flag"]
    assert bloq.signature == Signature(
        [*bloq.prep_a.signature, Register("flag", bloq.signature.get_left("flag").dtype)]
    )
    assert all(r.side == Side.THRU for r in bloq.signature)


@pytest.mark.parametrize("doc", [_HADAMARD_TEST_OVERLAP_DOC])
def test_bloq_examples(doc):
    assert_doc_examples_ok(doc)
