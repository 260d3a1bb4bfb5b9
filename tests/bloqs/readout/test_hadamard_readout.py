"""HadamardTestReadout (Lemma III.7) and WithIdleRegisters: simulated vs ideal."""

import numpy as np
import pytest
import sympy
from qualtran import QAny, QBit, Register
from qualtran.bloqs.bookkeeping import Allocate
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.inner_product._example_preps import ToyRowPrep, example_symbolic_preps
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from bloqs.readout.hadamard_readout import (
    _HADAMARD_TEST_READOUT_DOC,
    HadamardTestReadout,
    _hadamard_test_readout,
)
from bloqs.readout.idle_registers import (
    _WITH_IDLE_REGISTERS_DOC,
    WithIdleRegisters,
    _with_idle_registers,
)
from tests.bloqs.amplitude_estimation.helpers import (
    assert_doc_examples_ok,
    generalize_data_angles,
    substitute,
)

FLAG = (Register("flag", QBit()),)


def _unit(rng, d):
    v = rng.normal(size=d)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("target_bits", [1, 2, 3])
def test_readout_probability(seed, target_bits):
    rng = np.random.default_rng(100 + seed)
    d = 2**target_bits
    s, y = _unit(rng, d), _unit(rng, d)
    for yy in (y, -y):  # both signs of the overlap
        bloq = HadamardTestReadout(
            ToyRowPrep.from_matrix(s[None]), ToyRowPrep.from_matrix(yy[None])
        )
        out = bloq.tensor_contract()[:, 0].reshape(d, 2)  # (target, ancilla)
        np.testing.assert_allclose(out, 0.5 * np.stack([s + yy, s - yy], axis=1), atol=1e-10)
        p0 = np.sum(np.abs(out[:, 0]) ** 2)
        assert abs(p0 - (1 + s @ yy) / 2) < 1e-10


def test_readout_with_flag_and_idle_wrapper():
    """|s> with a flag (here a Hadamard-test state), |y> padded with flag = |0>."""
    rng = np.random.default_rng(3)
    a, b, y = _unit(rng, 4), _unit(rng, 4), _unit(rng, 4)
    prep_s = HadamardTestOverlap(ToyRowPrep.from_matrix(a[None]), ToyRowPrep.from_matrix(b[None]))
    prep_y = WithIdleRegisters(ToyRowPrep.from_matrix(y[None]), FLAG)
    bloq = HadamardTestReadout(prep_s, prep_y)
    out = bloq.tensor_contract()[:, 0].reshape(4, 2, 2)  # (target, flag, ancilla)
    s_state = 0.5 * np.stack([a + b, a - b], axis=1)  # (target, flag)
    overlap = np.sum(s_state[:, 0] * y)
    p0 = np.sum(np.abs(out[:, :, 0]) ** 2)
    assert abs(p0 - (1 + overlap) / 2) < 1e-10
    assert abs(overlap - (a + b) @ y / 2) < 1e-12


def test_idle_wrapper_controlled_and_adjoint():
    bloq = _with_idle_registers.make()
    u = bloq.tensor_contract()
    inner = bloq.bloq.tensor_contract()
    np.testing.assert_allclose(u, np.kron(inner, np.eye(2)), atol=1e-12)
    cu = bloq.controlled().tensor_contract()
    np.testing.assert_allclose(cu[4:, 4:], u, atol=1e-12)
    np.testing.assert_allclose(cu[:4, :4], np.eye(4), atol=1e-12)
    np.testing.assert_allclose(bloq.adjoint().tensor_contract(), u.conj().T, atol=1e-12)
    assert bloq.controlled().bloq == bloq.bloq.controlled()


def test_decompositions_and_counts():
    for bloq in (_hadamard_test_readout.make(), _with_idle_registers.make()):
        assert_valid_bloq_decomposition(bloq)
        assert_equivalent_bloq_counts(bloq)


def test_symbolic_cost_matches_concrete():
    t = sympy.Symbol("t", positive=True, integer=True)
    _, prep = example_symbolic_preps()
    symb = get_cost_value(HadamardTestReadout(prep, prep), QECGatesCost()).asdict()
    symb_idle = get_cost_value(WithIdleRegisters(prep, FLAG), QECGatesCost()).asdict()
    rng = np.random.default_rng(1)
    for tb in (1, 2, 3):
        prep_s = ToyRowPrep.from_matrix(rng.normal(size=(1, 2**tb)))
        prep_y = ToyRowPrep.from_matrix(rng.normal(size=(1, 2**tb)))
        conc = HadamardTestReadout(prep_s, prep_y)
        cc = get_cost_value(conc, QECGatesCost(), generalizer=generalize_data_angles).asdict()
        assert cc == substitute(symb, {t: tb})
        ci = get_cost_value(
            WithIdleRegisters(prep_s, FLAG), QECGatesCost(), generalizer=generalize_data_angles
        ).asdict()
        assert ci == substitute(symb_idle, {t: tb})


def test_bad_inputs():
    s = ToyRowPrep.from_matrix([[1.0, 0.0]])
    wide = ToyRowPrep.from_matrix([[1.0, 0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="same registers"):
        HadamardTestReadout(WithIdleRegisters(s, FLAG), s)
    with pytest.raises(ValueError, match="qubits"):
        HadamardTestReadout(s, wide)
    with pytest.raises(ValueError, match="THRU"):
        HadamardTestReadout(s, Allocate(QAny(1)))
    with pytest.raises(ValueError, match="already a register"):
        WithIdleRegisters(s, (Register("target", QBit()),))
    with pytest.raises(ValueError, match="ancilla"):
        a = WithIdleRegisters(s, (Register("ancilla", QBit()),))
        HadamardTestReadout(a, a)


@pytest.mark.parametrize("doc", [_HADAMARD_TEST_READOUT_DOC, _WITH_IDLE_REGISTERS_DOC])
def test_bloq_examples(doc):
    assert_doc_examples_ok(doc)
