"""Textbook inverse quantum Fourier transform with a call graph exact for symbolic sizes."""

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
    QUInt,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CZPowGate, Hadamard, TwoBitSwap
from qualtran.symbolics import SymbolicInt, is_symbolic

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator


@attrs.frozen
class TextbookInverseQFT(Bloq):
    r"""Inverse QFT $|y\rangle \to M^{-1/2}\sum_k e^{-2\pi i\, yk/M}|k\rangle$, $M = 2^m$.

    The adjoint of the textbook circuit of Nielsen & Chuang (§5.1): the bit reversal (⌊m/2⌋
    swaps) first, then for each qubit from the least significant up, the controlled phases
    $CZ^{-1/2^{d}}$ (`CZPowGate`) from the qubits at distance $d \ge 1$ below it, then a
    Hadamard. The register is big-endian (`q[0]` most significant), as in `QUInt`.

    Qualtran's `QFTTextBook(n).adjoint()` implements the same map, but its call graph for a
    symbolic `n` is not the one of its concrete decompositions (it counts ⌊n/2⌋ copies of the
    largest phase gradient instead of $n(n-1)/2$ two-qubit phases), so symbolic and concrete
    costs of amplitude estimation would disagree; this bloq's call graph is exact for every size:
    $m$ Hadamards, $m(m-1)/2$ `CZPowGate`s (each an `And` pair and one Z-rotation in
    `QECGatesCost`; exact angles $\pi/2^d$ for concrete $m$) and ⌊m/2⌋ swaps. For the few phase
    bits amplitude estimation uses, this $O(m^2)$ term is negligible beside its $2^m - 1$ Grover
    iterates.

    Args:
        bitsize: the number $m$ of qubits (symbolic allowed).

    Registers:
        q: the register transformed in place (`QUInt(m)`, big-endian).

    References:
        [Quantum Computation and Quantum Information](https://doi.org/10.1017/CBO9780511976667).
        Nielsen, Chuang (2010). Section 5.1, Fig. 5.1.
    """

    bitsize: SymbolicInt

    def __attrs_post_init__(self):
        if not is_symbolic(self.bitsize) and (
            int(self.bitsize) != self.bitsize or self.bitsize < 1
        ):
            raise ValueError(
                f"TextbookInverseQFT: bitsize must be an integer >= 1, got {self.bitsize}"
            )

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(q=QUInt(self.bitsize))

    def build_composite_bloq(self, bb: BloqBuilder, q: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.bitsize):
            raise DecomposeTypeError(f"{self} has a symbolic size")
        m = int(self.bitsize)
        qs = bb.split(q)
        for i in range(m // 2):
            qs[i], qs[m - 1 - i] = bb.add(TwoBitSwap(), x=qs[i], y=qs[m - 1 - i])
        for i in reversed(range(m)):
            for k in reversed(range(i + 1, m)):
                qs[k], qs[i] = bb.add(
                    CZPowGate(exponent=-1.0 / 2 ** (k - i)), q=np.array([qs[k], qs[i]])
                )
            qs[i] = bb.add(Hadamard(), q=qs[i])
        return {"q": bb.join(qs, dtype=QUInt(m))}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        m = self.bitsize
        if not is_symbolic(m):
            return self.decompose_bloq().build_call_graph(ssa)
        return {
            Hadamard(): m,
            CZPowGate(exponent=ssa.new_symbol("t")): m * (m - 1) / 2,
            TwoBitSwap(): sympy.floor(m / 2),
        }

    def __str__(self):
        return "QFT†"


@bloq_example
def _textbook_inverse_qft() -> TextbookInverseQFT:
    textbook_inverse_qft = TextbookInverseQFT(3)
    return textbook_inverse_qft


@bloq_example
def _textbook_inverse_qft_symb() -> TextbookInverseQFT:
    m = sympy.Symbol("m", positive=True, integer=True)
    textbook_inverse_qft_symb = TextbookInverseQFT(m)
    return textbook_inverse_qft_symb


_TEXTBOOK_INVERSE_QFT_DOC = BloqDocSpec(
    bloq_cls=TextbookInverseQFT,
    import_line="from bloqs.amplitude_estimation.inverse_qft import TextbookInverseQFT",
    examples=(_textbook_inverse_qft, _textbook_inverse_qft_symb),
)
