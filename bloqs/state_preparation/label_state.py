"""The label state |y> of Algorithm 1 (line 9) on the `index` register."""

from functools import cached_property

import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    QBit,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt

from bloqs.specialized_ctrl import controlled_with_reg, ctrl_system_from_is_controlled
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader


@frozen
class LabelState(Bloq):
    r"""The label state $|y\rangle = \sum_i y_i|i\rangle/\|y\|$ loaded on the `index` register.

    Wraps a single-vector loader (register `target`, e.g. `VectorAmplitudeLoader` of the
    length-n label vector) so that it acts on `index`. Controlled version: the loader's
    hand-written one; adjoint: the loader's adjoint.

    Args:
        loader: $|0\rangle \to |y\rangle$ on its `target` register ($\log_2 n$ qubits).
        is_controlled: add a `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`).
        index: $\log_2 n$ qubits, $|0\rangle \to |y\rangle$.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Algorithm 1, line 9.
    """

    loader: Bloq
    is_controlled: bool = False

    def __attrs_post_init__(self):
        names = [r.name for r in self.loader.signature]
        if names != ["target"]:
            raise ValueError(
                f"LabelState: loader must have the single register 'target', got {names}"
            )

    @cached_property
    def index_bits(self) -> SymbolicInt:
        return self.loader.signature.get_left("target").total_bits()

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        return Signature([*regs, Register("index", QUInt(self.index_bits))])

    @cached_property
    def _inner(self) -> tuple[Bloq, str | None]:
        if self.is_controlled:
            return controlled_with_reg(self.loader)
        return self.loader, None

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        inner, cname = self._inner
        kw = {"target": soqs["index"]}
        if cname is not None:
            kw[cname] = soqs["ctrl"]
        out = bb.add_d(inner, **kw)
        res = {"index": out["target"]}
        if cname is not None:
            res["ctrl"] = out[cname]
        return res

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self._inner[0]: 1}

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        return f"{'C' if self.is_controlled else ''}LabelState"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _label_state() -> LabelState:
    label_state = LabelState(
        VectorAmplitudeLoader.from_vector(np.array([1.0, -1.0, -1.0, 1.0]), amplitude_bits=3)
    )
    return label_state


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _label_state_symb() -> LabelState:
    n, b = sympy.symbols("n b", positive=True, integer=True)
    label_state_symb = LabelState(VectorAmplitudeLoader.from_sizes(n, b))
    return label_state_symb


_LABEL_STATE_DOC = BloqDocSpec(
    bloq_cls=LabelState,
    import_line="from bloqs.state_preparation.label_state import LabelState",
    examples=[_label_state, _label_state_symb],
)
