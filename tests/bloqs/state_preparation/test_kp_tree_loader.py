"""`KPTreeLoader`: the row and vector loaders are one tree implementation."""

import numpy as np
import pytest
from qualtran.resource_counting import QECGatesCost, get_cost_value

from bloqs.state_preparation.kp_tree_loader import KPTreeLoader
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader


@pytest.mark.parametrize(
    "method",
    ["signature", "build_composite_bloq", "build_call_graph", "my_static_costs", "adjoint"],
)
def test_one_implementation(method):
    assert getattr(RowAmplitudeLoader, method) is getattr(KPTreeLoader, method)
    assert getattr(VectorAmplitudeLoader, method) is getattr(KPTreeLoader, method)


def test_rows_index_and_constant_level():
    row = RowAmplitudeLoader.from_sizes(8, 4, 3)
    vec = VectorAmplitudeLoader.from_sizes(4, 3)
    assert (row.rows, row.has_index, row.index_bits, row.first_query_level) == (8, True, 3, 0)
    assert (vec.rows, vec.has_index, vec.index_bits, vec.first_query_level) == (1, False, 0, 1)
    assert [r.name for r in vec.signature] == ["target"]
    assert [r.name for r in row.controlled().signature] == ["ctrl", "index", "target"]


def test_vector_equals_the_matching_level_queries_of_a_row_loader():
    """Level l of a vector loader queries a table of 2^l words, of a row loader n * 2^l."""
    x = np.array([0.5, -0.1, 0.3, 0.2])
    vec = VectorAmplitudeLoader.from_vector(x, 3)
    row = RowAmplitudeLoader.from_matrix(np.stack([x, x]), 3)
    assert vec.access(1)[0].data_shape == (2,)
    assert row.access(1)[0].data_shape == (4,) and row.access(0)[0].data_shape == (2,)
    # same tree, one more level of queries in the row loader (level 0 is a constant in a vector)
    gv, gr = get_cost_value(vec, QECGatesCost()), get_cost_value(row, QECGatesCost())
    assert gv.rotation == gr.rotation and gv.and_bloq < gr.and_bloq
