"""Controlled Hadamard as R_y(−π/4) · CNOT · R_y(π/4): two T-like rotations and one CNOT."""

from functools import cached_property

import numpy as np
from attrs import frozen
from qualtran import Bloq, BloqBuilder, BloqDocSpec, QBit, Signature, SoquetT, bloq_example
from qualtran.bloqs.basic_gates import CNOT, Ry
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

#: R_y(−π/4) X R_y(π/4) = H and R_y(−π/4) R_y(π/4) = I.
_ANGLE = np.pi / 4


@frozen
class ControlledHadamard(Bloq):
    r"""The Hadamard gate on `target` controlled by `ctrl` (on $|1\rangle$), at gate level.

    $$ \mathrm{CH} = \bigl(I \otimes R_y(-\pi/4)\bigr)\,\mathrm{CNOT}\,
       \bigl(I \otimes R_y(\pi/4)\bigr), $$
    because $R_y(-\pi/4)\,X\,R_y(\pi/4) = (X + Z)/\sqrt2 = H$ and
    $R_y(-\pi/4) R_y(\pi/4) = I$ (the target is unchanged when `ctrl` $= 0$). No global phase.

    Qualtran 0.7's `CHadamard` has no decomposition (its `QECGatesCost` of 2 rotations and
    4 Cliffords is an estimate); this bloq is the same unitary with a real decomposition:
    2 single-qubit rotations by $\pm\pi/4$ (each a T gate up to Cliffords, counted as T by
    `QECGatesCost`) and 1 CNOT. It is self-adjoint.

    Registers:
        ctrl: the control qubit.
        target: the qubit the Hadamard acts on when `ctrl` $= 1$.

    References:
        [Elementary gates for quantum computation](https://arxiv.org/abs/quant-ph/9503016).
        Barenco, Bennett, Cleve, DiVincenzo, Margolus, Shor, Sleator, Smolin, Weinfurter. 1995.
        Lemma 5.1 (a controlled single-qubit $W = A X B$ with $AB = I$ from one CNOT).
    """

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(ctrl=QBit(), target=QBit())

    def build_composite_bloq(self, bb: BloqBuilder, ctrl: SoquetT, target: SoquetT):
        target = bb.add(Ry(angle=_ANGLE), q=target)
        ctrl, target = bb.add(CNOT(), ctrl=ctrl, target=target)
        target = bb.add(Ry(angle=-_ANGLE), q=target)
        return {"ctrl": ctrl, "target": target}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {Ry(angle=_ANGLE): 1, CNOT(): 1, Ry(angle=-_ANGLE): 1}

    def adjoint(self) -> "ControlledHadamard":
        return self

    def __str__(self) -> str:
        return "ControlledHadamard"


@bloq_example
def _controlled_hadamard() -> ControlledHadamard:
    controlled_hadamard = ControlledHadamard()
    return controlled_hadamard


@bloq_example
def _controlled_hadamard_symb() -> ControlledHadamard:
    # no size parameter: the "symbolic" example is the gate itself (its cost is a constant)
    controlled_hadamard_symb = ControlledHadamard()
    return controlled_hadamard_symb


_CONTROLLED_HADAMARD_DOC = BloqDocSpec(
    bloq_cls=ControlledHadamard,
    import_line="from bloqs.state_preparation.controlled_hadamard import ControlledHadamard",
    examples=[_controlled_hadamard, _controlled_hadamard_symb],
)
