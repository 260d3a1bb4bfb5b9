"""Hand-written controlled versions: WeightedSparseBlockEncoding and SignedTableEntryOracle."""

import numpy as np
import pytest
from qualtran import BloqBuilder
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.block_encoding.signed_entry_oracle import _signed_table_entry_oracle
from bloqs.block_encoding.weighted_sparse_block_encoding import _weighted_sparse_block_encoding


def _unitary(bloq):
    bb = BloqBuilder()
    regs = {r.name: bb.add_register(r.name, int(r.total_bits())) for r in bloq.signature}
    out = bb.add_d(bloq, **regs)
    return bb.finalize(**out).flatten().tensor_contract()


@pytest.mark.parametrize(
    "make", [_weighted_sparse_block_encoding.make, _signed_table_entry_oracle.make]
)
def test_controlled_is_identity_off_and_the_bloq_on(make):
    bloq = make()
    cbloq = bloq.controlled()
    assert cbloq.signature.get_left("ctrl").total_bits() == 1
    u, cu = _unitary(bloq), _unitary(cbloq)
    dim = u.shape[0]
    # inputs the circuits use: for the block encoding, ancilla in its signal state |0> (on other
    # inputs the slot register can hold values >= s, where And† is not defined)
    names = {r.name for r in bloq.signature}
    anc = int(bloq.signature.get_left("ancilla").total_bits()) if "ancilla" in names else 0
    cols = np.arange(0, dim, 2**anc)
    np.testing.assert_allclose(cu[:dim, cols], np.eye(dim)[:, cols], atol=1e-6)
    np.testing.assert_allclose(cu[dim:, dim + cols], u[:, cols], atol=1e-6)
    np.testing.assert_allclose(cu[dim:, cols], 0, atol=1e-6)


@pytest.mark.parametrize(
    "make", [_weighted_sparse_block_encoding.make, _signed_table_entry_oracle.make]
)
def test_controlled_decomposition_and_counts(make):
    cbloq = make().controlled()
    assert_valid_bloq_decomposition(cbloq)
    assert_equivalent_bloq_counts(cbloq, [ignore_split_join, ignore_alloc_free])
    assert_equivalent_bloq_counts(cbloq.adjoint(), [ignore_split_join, ignore_alloc_free])
