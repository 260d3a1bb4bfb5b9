"""`OneHotDecoderQRAM`: a parallel form of unary iteration, beside unary-iteration QROM.

Reads at every address, controlled version, decomposition and symbolic costs: see
`test_qram_reads.py` (shared with `BucketBrigadeQRAM`).
"""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.data_loading import QROM
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import (
    assert_equivalent_bloq_counts,
    assert_equivalent_bloq_example_counts,
    assert_valid_bloq_decomposition,
)

from bloqs.qram.one_hot_decoder import (
    OneHotDecoderQRAM,
    _one_hot_decoder_qram,
    _one_hot_decoder_qram_symb,
)
from bloqs.qram.toffoli_depth import ToffoliDepth
from bloqs.state_preparation.kp_tree import data_access_bloq
from resource_estimates.published.figures import qrom_unary_iteration_toffolis

GEN = [ignore_split_join, ignore_alloc_free]


@pytest.mark.parametrize("N", [4, 16, 256, 2**20])
@pytest.mark.parametrize("controlled", [False, True])
def test_beside_unary_iteration_qrom(N, controlled):
    """Same Toffoli count as unary iteration (Babbush et al. 2018: N - 2, N - 1 controlled) and
    as Qualtran's QROM; Toffoli-depth n - 1 against QROM's serial N - 2; more qubits."""
    bloq, aname, tname = data_access_bloq("one_hot_decoder", N, 3)
    assert isinstance(bloq, OneHotDecoderQRAM) and (aname, tname) == ("address", "target")
    qrom = QROM.build_from_bitsize((N,), (3,), num_controls=int(controlled))
    if controlled:
        bloq = bloq.controlled()
    gc, gq = get_cost_value(bloq, QECGatesCost()), get_cost_value(qrom, QECGatesCost())
    published = qrom_unary_iteration_toffolis(N, int(controlled))
    assert gc.and_bloq == gq.and_bloq == published
    assert gc.cswap == gc.toffoli == 0
    n = N.bit_length() - 1
    assert get_cost_value(bloq, ToffoliDepth()) == n - 1 + int(controlled)
    assert get_cost_value(qrom, ToffoliDepth()) == published  # serial bound, sizes only
    qubits = get_cost_value(bloq, QubitCount())
    assert qubits == int(controlled) + n + 3 + N + N // 4 > get_cost_value(qrom, QubitCount())


def test_examples():
    ex = _one_hot_decoder_qram()
    assert_valid_bloq_decomposition(ex)
    assert_equivalent_bloq_counts(ex, generalizer=GEN)
    assert_equivalent_bloq_example_counts(_one_hot_decoder_qram)
    N = sympy.Symbol("N", positive=True, integer=True)
    assert get_cost_value(_one_hot_decoder_qram_symb(), QECGatesCost()).and_bloq == N - 2


def test_decomposition_has_no_routers():
    bloq = OneHotDecoderQRAM.build_from_data(np.arange(16) % 8, 3)
    names = {type(inst.bloq).__name__ for inst in bloq.decompose_bloq().bloq_instances}
    assert "And" in names and not names & {"TwoBitCSwap", "TwoBitSwap"}
