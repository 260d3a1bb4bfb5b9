"""The closed-form widths of ``resource_estimates.logical.counts.arithmetic_width`` equal Qualtran's
``QubitCount`` of the decompositions (report qubit counts use them instead of decomposing)."""

import pytest
from qualtran import CtrlSpec, QAny, QInt, QUInt
from qualtran.bloqs.arithmetic import Add
from qualtran.bloqs.arithmetic.comparison import LinearDepthGreaterThan
from qualtran.bloqs.basic_gates import CSwap, Swap
from qualtran.bloqs.mcmt import MultiAnd, MultiControlX
from qualtran.bloqs.mcmt.ctrl_spec_and import CtrlSpecAnd
from qualtran.resource_counting import QubitCount, get_cost_value

from resource_estimates.logical.counts import CircuitQubits, UnitCostQRAMQubits, arithmetic_width


def _bloqs(k):
    yield Add(QUInt(k), QUInt(k))
    yield LinearDepthGreaterThan(k)
    yield LinearDepthGreaterThan(k, signed=True)
    yield Swap(k)
    yield CSwap(k)
    yield MultiControlX((0,) * k)
    yield MultiControlX(tuple(j % 2 for j in range(k)))
    yield CtrlSpecAnd(CtrlSpec(qdtypes=QAny(k), cvs=0))
    yield CtrlSpecAnd(CtrlSpec(qdtypes=QUInt(k), cvs=1))
    if k >= 3:
        yield MultiAnd((1,) * k)
        yield MultiAnd(tuple(j % 2 for j in range(k)))


@pytest.mark.parametrize("k", [2, 3, 4, 7, 12, 21])
def test_closed_form_equals_decomposition(k):
    for bloq in _bloqs(k):
        want = get_cost_value(bloq, QubitCount())
        assert arithmetic_width(bloq) == want, bloq
        assert get_cost_value(bloq, CircuitQubits()) == want
        assert get_cost_value(bloq, UnitCostQRAMQubits()) == want


def test_other_bloqs_are_not_shortcut():
    assert arithmetic_width(Add(QInt(4), QInt(4))) is None
    assert arithmetic_width(Add(QUInt(3), QUInt(5))) is None
