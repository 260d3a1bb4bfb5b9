import numpy as np
import pytest
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.testing import assert_valid_bloq_decomposition

from bloqs.ntk.renamed_registers import (
    RenamedRegisters,
    _renamed_registers,
    _renamed_registers_symb,
)
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)


def test_same_unitary_new_names():
    bloq = _renamed_registers.make()
    inner = bloq.bloq
    assert [r.name for r in bloq.signature] == ["j", "target"]
    assert [r.name for r in inner.signature] == ["index", "target"]
    np.testing.assert_allclose(bloq.tensor_contract(), inner.tensor_contract(), atol=1e-9)
    assert_valid_bloq_decomposition(bloq)
    assert get_cost_value(bloq, QECGatesCost()) == get_cost_value(inner, QECGatesCost())
    assert get_cost_value(bloq, QubitCount()) == get_cost_value(inner, QubitCount())


def test_controlled_uses_the_loaders_controlled_version():
    bloq = _renamed_registers.make()
    cbloq = bloq.controlled()
    assert isinstance(cbloq, RenamedRegisters)
    assert cbloq.bloq == bloq.bloq.controlled()
    assert [r.name for r in cbloq.signature] == ["ctrl", "j", "target"]
    u = bloq.tensor_contract()
    cu = cbloq.tensor_contract()
    dim = u.shape[0]
    np.testing.assert_allclose(cu[:dim, :dim], np.eye(dim), atol=1e-9)
    np.testing.assert_allclose(cu[dim:, dim:], u, atol=1e-9)


def test_adjoint_is_the_inverse():
    bloq = _renamed_registers.make()
    adj = bloq.adjoint()
    assert isinstance(adj, RenamedRegisters)
    np.testing.assert_allclose(adj.tensor_contract() @ bloq.tensor_contract(), np.eye(4), atol=1e-9)


def test_examples():
    assert_example_counts_pass(_renamed_registers)
    assert_symbolic_example_cost_is_symbolic(_renamed_registers_symb)


def test_bad_renames_are_value_errors():
    row = RowAmplitudeLoader.from_sizes(4, 2, 3)
    with pytest.raises(ValueError, match="no register"):
        RenamedRegisters(row, {"row": "j"})
    with pytest.raises(ValueError, match="clash"):
        RenamedRegisters(row, {"index": "target"})
    assert RenamedRegisters(row, {"index": "j"}) == RenamedRegisters(row, [("index", "j")])
