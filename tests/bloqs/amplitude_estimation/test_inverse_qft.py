"""TextbookInverseQFT vs the inverse DFT matrix; exact symbolic call graph."""

import numpy as np
import pytest
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.amplitude_estimation.inverse_qft import (
    _TEXTBOOK_INVERSE_QFT_DOC,
    TextbookInverseQFT,
    _textbook_inverse_qft_symb,
)
from tests.bloqs.amplitude_estimation.helpers import (
    assert_doc_examples_ok,
    generalize_data_angles,
    substitute,
)


@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_unitary(m):
    big_m = 2**m
    bloq = TextbookInverseQFT(m)
    ref = np.exp(-2j * np.pi * np.outer(np.arange(big_m), np.arange(big_m)) / big_m)
    np.testing.assert_allclose(bloq.tensor_contract(), ref / np.sqrt(big_m), atol=1e-10)
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, ignore_split_join)


def test_symbolic_cost_matches_concrete():
    symb = _textbook_inverse_qft_symb.make()
    cost = get_cost_value(symb, QECGatesCost()).asdict()
    for m in (2, 3, 4, 5):
        cc = get_cost_value(
            TextbookInverseQFT(m), QECGatesCost(), generalizer=generalize_data_angles
        )
        assert cc.asdict() == substitute(cost, {symb.bitsize: m})


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_bad(bad):
    with pytest.raises(ValueError, match="bitsize"):
        TextbookInverseQFT(bad)


@pytest.mark.parametrize("doc", [_TEXTBOOK_INVERSE_QFT_DOC])
def test_bloq_examples(doc):
    assert_doc_examples_ok(doc)
