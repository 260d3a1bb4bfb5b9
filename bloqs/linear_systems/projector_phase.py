"""Projector-controlled phase e^{iψ(2Π−1)} on 'ancilla is zero', signed by one extra qubit."""

from functools import cached_property
from typing import TYPE_CHECKING

import attrs
import numpy as np
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Rz
from qualtran.bloqs.mcmt import MultiControlX
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import HasLength, SymbolicFloat, SymbolicInt, is_symbolic

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator


@attrs.frozen
class ZeroProjectorPhase(Bloq):
    r"""Apply $e^{i\psi(-1)^q(2\Pi-1)}$, $\Pi = |0\rangle\langle 0|_{ancilla}$, with `qubit` = q.

    The projector-controlled phase of QSVT (Gilyén, Su, Low & Wiebe, arXiv:1806.01838, 2019,
    Sec. 3: projector-controlled phase with one ancilla qubit): the zero-test of `ancilla` is
    computed into `qubit` by a multi-controlled NOT with zero controls, `qubit` is rotated by
    $R_z(2\psi) = e^{-i\psi Z}$, and the NOT is undone. With `qubit` = 0 this is
    $e^{i\psi(2\Pi-1)}$, with `qubit` = 1 it is $e^{-i\psi(2\Pi-1)}$: a `qubit` prepared in
    $|+\rangle$ runs the sequences for $\Phi$ and $-\Phi$ at once, whose average is the real
    part of the QSVT polynomial
    (Martyn, Rossi, Tan & Chuang, arXiv:2105.02859, 2021, Sec. III).

    Args:
        ancilla_bitsize: bits m of the projected register (≥ 1).
        angle: the phase ψ (radians).

    Registers:
        ancilla: the register whose all-zero state defines Π (unchanged).
        qubit: the extra qubit (unchanged; selects the sign of ψ).

    References:
        [Quantum singular value transformation and beyond](https://arxiv.org/abs/1806.01838).
        Gilyén, Su, Low, Wiebe (2019). Section 3 (projector-controlled phase).

        [Grand Unification of Quantum Algorithms](https://arxiv.org/abs/2105.02859).
        Martyn, Rossi, Tan, Chuang (2021). Section III (real part with one extra qubit).
    """

    ancilla_bitsize: SymbolicInt
    angle: SymbolicFloat

    def __attrs_post_init__(self):
        if not is_symbolic(self.ancilla_bitsize) and self.ancilla_bitsize < 1:
            raise ValueError(f"ancilla_bitsize must be >= 1, got {self.ancilla_bitsize}")
        if not is_symbolic(self.angle) and not np.isfinite(self.angle):
            raise ValueError(f"angle must be finite, got {self.angle}")

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(ancilla=QAny(self.ancilla_bitsize), qubit=QBit())

    @cached_property
    def zero_test(self) -> MultiControlX:
        if is_symbolic(self.ancilla_bitsize):
            return MultiControlX(cvs=HasLength(self.ancilla_bitsize))
        return MultiControlX(cvs=(0,) * int(self.ancilla_bitsize))

    def build_composite_bloq(
        self, bb: BloqBuilder, ancilla: SoquetT, qubit: SoquetT
    ) -> dict[str, SoquetT]:
        if is_symbolic(self.ancilla_bitsize):
            raise DecomposeTypeError(f"cannot decompose symbolic {self}")
        bits = bb.split(ancilla)
        bits, qubit = bb.add(self.zero_test, controls=bits, target=qubit)
        qubit = bb.add(Rz(2 * self.angle), q=qubit)
        bits, qubit = bb.add(self.zero_test, controls=bits, target=qubit)
        return {"ancilla": bb.join(bits, dtype=QAny(self.ancilla_bitsize)), "qubit": qubit}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return {self.zero_test: 2, Rz(2 * self.angle): 1}

    def my_tensors(self, incoming, outgoing):
        """The diagonal unitary directly (used by `tensor_contract(full_flatten=False)`; tested
        equal to the decomposition's tensor)."""
        import cirq

        # private Qualtran API: qualtran 0.7 orders a unitary's tensor indices for `my_tensors`
        # only in private helpers (this is what its own Cirq-gate bloqs call)
        from qualtran.cirq_interop._cirq_to_bloq import _my_tensors_from_gate

        if is_symbolic(self.ancilla_bitsize, self.angle):
            raise NotImplementedError(f"no tensor for symbolic {self}")
        m = int(self.ancilla_bitsize)
        zero = np.zeros(2**m)
        zero[0] = 1  # ancilla = 0 → +1, else −1; qubit = 0 → +1, 1 → −1 (qubit is the last bit)
        sign = np.outer(2 * zero - 1, [1, -1]).ravel()
        gate = cirq.DiagonalGate(list(sign * float(self.angle)))
        return _my_tensors_from_gate(gate, self.signature, incoming=incoming, outgoing=outgoing)

    def adjoint(self) -> "ZeroProjectorPhase":
        return attrs.evolve(self, angle=-self.angle)

    def __str__(self):
        return f"Π-phase({self.angle})"


@bloq_example(generalizer=ignore_split_join)
def _zero_projector_phase() -> ZeroProjectorPhase:
    zero_projector_phase = ZeroProjectorPhase(ancilla_bitsize=2, angle=0.3)
    return zero_projector_phase


@bloq_example(generalizer=ignore_split_join)
def _zero_projector_phase_symb() -> ZeroProjectorPhase:
    zero_projector_phase_symb = ZeroProjectorPhase(
        ancilla_bitsize=sympy.Symbol("m", positive=True, integer=True), angle=sympy.Symbol("psi")
    )
    return zero_projector_phase_symb


_ZERO_PROJECTOR_PHASE_DOC = BloqDocSpec(
    bloq_cls=ZeroProjectorPhase,
    import_line="from bloqs.linear_systems.projector_phase import ZeroProjectorPhase",
    examples=(_zero_projector_phase, _zero_projector_phase_symb),
)
