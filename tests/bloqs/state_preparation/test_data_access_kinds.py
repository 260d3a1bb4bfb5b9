"""Every kind of `DATA_ACCESS_KINDS` in the loaders: the right bloq, the right state, its costs."""

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.qram.bucket_brigade import BucketBrigadeQRAM
from bloqs.qram.one_hot_decoder import OneHotDecoderQRAM
from bloqs.state_preparation.kp_tree import (
    DATA_ACCESS_KINDS,
    data_access_bloq,
    kp_tree_angles,
    normalize_data_access,
    quantized_tree_state,
)
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader
from tests.bloqs.state_preparation.sim_utils import simulate_bloq

GEN = [ignore_split_join, ignore_alloc_free]


def test_kinds_and_classes():
    assert DATA_ACCESS_KINDS == ("qrom", "select_swap", "bucket_brigade", "one_hot_decoder")
    assert isinstance(data_access_bloq("bucket_brigade", 8, 2)[0], BucketBrigadeQRAM)
    assert isinstance(data_access_bloq("one_hot_decoder", 8, 2)[0], OneHotDecoderQRAM)
    assert normalize_data_access(OneHotDecoderQRAM) == "one_hot_decoder"
    assert normalize_data_access(BucketBrigadeQRAM) == "bucket_brigade"


def test_one_hot_decoder_row_loader_state():
    X = np.random.default_rng(3).normal(size=(4, 4))
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    bloq = RowAmplitudeLoader.from_matrix(X, 3, data_access="one_hot_decoder")
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, generalizer=GEN)
    psi, leftover, _ = simulate_bloq(bloq, ("index",))
    ideal = np.concatenate([quantized_tree_state(kp_tree_angles(r, 3), 3) for r in Xn]) / 2
    assert leftover < 1e-9 and abs(np.vdot(ideal, psi)) ** 2 > 1 - 1e-9


def test_one_hot_decoder_vector_loader_state():
    x = np.array([0.5, -0.1, 0.3, 0.2, 0.0, 0.4, -0.6, 0.1])
    bloq = VectorAmplitudeLoader.from_vector(x, 4, data_access="one_hot_decoder")
    psi, leftover, _ = simulate_bloq(bloq)
    ideal = quantized_tree_state(kp_tree_angles(x / np.linalg.norm(x), 4), 4)
    assert leftover < 1e-9 and abs(np.vdot(ideal, psi)) ** 2 > 1 - 1e-9


@pytest.mark.parametrize("kind", ["bucket_brigade", "one_hot_decoder"])
def test_loader_symbolic_cost_equals_concrete(kind):
    ns, ds, bs = sympy.symbols("n d b", positive=True, integer=True)
    symb = RowAmplitudeLoader.from_sizes(ns, ds, bs, data_access=kind)
    gs, qs = get_cost_value(symb, QECGatesCost()), get_cost_value(symb, QubitCount())
    for n, d, b in [(2, 2, 3), (4, 4, 3), (2, 8, 2)]:
        conc = RowAmplitudeLoader.from_sizes(n, d, b, data_access=kind)
        gc = get_cost_value(conc, QECGatesCost())
        sub = {ns: n, ds: d, bs: b}
        for field in ("and_bloq", "cswap", "toffoli"):
            assert sympy.simplify(sympy.sympify(getattr(gs, field)).subs(sub)) == getattr(gc, field)
        assert sympy.simplify(sympy.sympify(qs).subs(sub)) == get_cost_value(conc, QubitCount())


def test_bucket_brigade_loader_routes_with_cswaps():
    """A loader on `"bucket_brigade"` pays 2 queries a level of 4N - 4 - 2 log2 N CSWAPs each."""
    n, d = 4, 8
    gc = get_cost_value(RowAmplitudeLoader.from_sizes(n, d, 3, "bucket_brigade"), QECGatesCost())
    queries = [(n * 2**lv, (n * 2**lv).bit_length() - 1) for lv in range(3)]
    assert gc.cswap == 2 * sum(4 * N - 4 - 2 * a for N, a in queries)
    qrom = get_cost_value(RowAmplitudeLoader.from_sizes(n, d, 3, "qrom"), QECGatesCost())
    assert gc.and_bloq + gc.cswap != qrom.and_bloq
