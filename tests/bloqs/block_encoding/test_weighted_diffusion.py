"""WeightedSlotDiffusion: the prepared state, its adjoint, counts."""

import numpy as np
import pytest
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.block_encoding.weighted_diffusion import (
    WeightedSlotDiffusion,
    _weighted_slot_diffusion,
    _weighted_slot_diffusion_symb,
)
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)


@pytest.mark.parametrize(
    "s, k, w0", [(2, 2, 0.3), (3, 2, 0.5), (4, 2, 0.25), (5, 3, 0.6), (7, 3, 0.1)]
)
def test_prepared_state(s, k, w0):
    bloq = WeightedSlotDiffusion(s, k, w0)
    u = bloq.tensor_contract()
    col = u[:, 0]  # registers flag, slot (flag most significant)
    assert np.isclose(col[0], np.sqrt(w0))
    off = col[2**k + 1 : 2**k + s]
    np.testing.assert_allclose(np.abs(off), np.sqrt((1 - w0) / (s - 1)), atol=1e-9)
    # Qualtran's PrepareUniformSuperposition leaves one phase on the flag = 1 branch; it is
    # the same for every off-diagonal slot (and cancels between D and D† in a block encoding)
    np.testing.assert_allclose(off, off[0], atol=1e-9)
    assert np.isclose(np.sum(np.abs(col) ** 2), 1)
    np.testing.assert_allclose(u.conj().T @ u, np.eye(len(u)), atol=1e-9)
    np.testing.assert_allclose(bloq.adjoint().tensor_contract() @ u, np.eye(len(u)), atol=1e-9)


@pytest.mark.parametrize(
    "bloq", [_weighted_slot_diffusion.make(), WeightedSlotDiffusion(2, 1, 0.5)]
)
def test_decomposition_and_call_graph(bloq):
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, [ignore_split_join, ignore_alloc_free])


@pytest.mark.parametrize(
    "args, message",
    [
        ((1, 2, 0.5), "num_nonzero"),
        ((5, 2, 0.5), "too small"),
        ((3, 2, 0.0), "diagonal_weight"),
        ((3, 2, 1.5), "diagonal_weight"),
        ((3, 2, float("nan")), "diagonal_weight"),
    ],
)
def test_bad_input_one_line_error(args, message):
    with pytest.raises(ValueError, match=message) as info:
        WeightedSlotDiffusion(*args)
    assert "\n" not in str(info.value)


def test_bloq_examples():
    assert_example_counts_pass(_weighted_slot_diffusion)
    assert_symbolic_example_cost_is_symbolic(_weighted_slot_diffusion_symb)
