"""QSVT on Qualtran's gate-level `SparseMatrix` encoding (contains `And`s; never controlled)."""

import numpy as np
import pytest
from qualtran.bloqs.block_encoding.sparse_matrix import (
    ExplicitEntryOracle,
    SparseMatrix,
    SymmetricBandedRowColumnOracle,
)

from bloqs.linear_systems.qsp_phases import qsvt_matrix_function
from bloqs.linear_systems.qsvt import QSVT


@pytest.mark.slow
def test_qsvt_of_sparse_matrix_equals_polynomial_of_its_block():
    data = np.array(
        [[0.9, 0.3, 0, 0.2], [0.3, 0.8, 0.1, 0], [0, 0.1, 0.7, 0.25], [0.2, 0, 0.25, 0.95]]
    )
    band = SymmetricBandedRowColumnOracle(2, bandsize=1)
    be = SparseMatrix(band, band, ExplicitEntryOracle(2, data=data, entry_bitsize=8), eps=0)
    m = be.ancilla_bitsize
    block = be.tensor_contract().reshape(4, 2**m, 4, 2**m)[:, 0, :, 0]
    np.testing.assert_allclose(block * be.alpha, data, atol=0.02)  # 8-bit entries
    qsvt = QSVT(be, (0.3, -0.5, 0.3))
    got = qsvt.tensor_contract().reshape(4, 2 ** (m + 1), 4, 2 ** (m + 1))[:, 0, :, 0]
    np.testing.assert_allclose(got, qsvt_matrix_function(qsvt.phases, block), atol=1e-10)
    assert qsvt.queries == 3
