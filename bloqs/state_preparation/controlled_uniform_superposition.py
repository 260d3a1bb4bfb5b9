"""Uniform superposition over n basis states, controlled by one qubit, at gate level."""

from functools import cached_property

import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.arithmetic import LessThanConstant
from qualtran.bloqs.basic_gates import Hadamard, Rz
from qualtran.bloqs.mcmt import And, MultiAnd
from qualtran.bloqs.state_preparation import PrepareUniformSuperposition
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import HasLength, SymbolicInt, acos, bit_length, floor, is_symbolic, log2

from bloqs.state_preparation.controlled_hadamard import ControlledHadamard


@frozen
class ControlledUniformSuperposition(Bloq):
    r"""$|c\rangle|0\rangle \mapsto |c\rangle \bigl(\tfrac{1}{\sqrt n}\sum_{l<n} |l\rangle\bigr)^c$
    up to a phase on the $c = 1$ branch: the uniform superposition over the first $n$ basis
    states of `target`, controlled by `ctrl` (on $|1\rangle$).

    The construction of Babbush et al. (Fig. 12) for $n = L \cdot 2^K$ ($L$ odd), as in
    Qualtran's `PrepareUniformSuperposition(n, cvs=(1,))` (the same unitary), with its first
    layer of controlled Hadamards made gate level (`ControlledHadamard`, Qualtran 0.7's
    `CHadamard` has no decomposition):

    1. `ControlledHadamard` (ctrl → each target bit);
    2. if $L > 1$, one round of amplitude amplification on the $\lceil\log_2 L\rceil$ high
       bits $x$: `LessThanConstant`$(x < L)$ into an ancilla, $R_z(\theta)$ on it, uncompute;
       $H$ on $x$; an `And`/`MultiAnd` of ($x = 0$, ctrl $= 1$), $R_z(\theta)$ on its target,
       uncompute; $H$ on $x$, with $\theta = \arccos(1 - 2^{\lfloor\log_2 L\rfloor}/L)$.

    Only the action on `target` $= 0$ is specified (it is a state preparation).

    Args:
        n: number of basis states, $n \ge 2$.

    Registers:
        ctrl: the control qubit.
        target: $\lceil\log_2 n\rceil$ qubits, big-endian.

    References:
        [Encoding Electronic Spectra in Quantum Circuits with Linear T
        Complexity](https://arxiv.org/abs/1805.03662). Babbush, Gidney, Berry, Wiebe, McClean,
        Paler, Fowler, Neven. 2018. Fig. 12.
    """

    n: SymbolicInt

    def __attrs_post_init__(self):
        n = self.n
        if not is_symbolic(n) and (isinstance(n, bool) or not isinstance(n, int) or n < 2):
            raise ValueError(f"n must be an integer >= 2 (got {n!r})")

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(ctrl=QBit(), target=QAny(bit_length(self.n - 1)))

    @cached_property
    def _k_l_logl(self) -> tuple[SymbolicInt, SymbolicInt, SymbolicInt]:
        """$K$, $L$ and $\\lceil\\log_2 L\\rceil$ of $n = L 2^K$ (symbolic n: $K = 0$)."""
        return PrepareUniformSuperposition(self.n).k_l_logL()

    @cached_property
    def _theta(self):
        _, el, _ = self._k_l_logl
        return acos(1 - (2 ** floor(log2(el))) / el)

    def _and(self, log_l: SymbolicInt) -> Bloq:
        if not is_symbolic(log_l) and log_l == 1:
            return And(0, 1)
        cvs = HasLength(log_l + 1) if is_symbolic(log_l) else (0,) * int(log_l) + (1,)
        return MultiAnd(cvs=cvs)

    def build_composite_bloq(self, bb: BloqBuilder, ctrl: SoquetT, target: SoquetT):
        if is_symbolic(self.n):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        bits = list(bb.split(target))
        for i, b in enumerate(bits):
            ctrl, bits[i] = bb.add(ControlledHadamard(), ctrl=ctrl, target=b)
        _, el, log_l = (int(v) for v in self._k_l_logl)
        if log_l > 0:
            anc = bb.allocate(1)
            x = bb.join(np.array(bits[:log_l]), dtype=QUInt(log_l))
            x, anc = bb.add(LessThanConstant(log_l, el), x=x, target=anc)
            anc = bb.add(Rz(self._theta), q=anc)
            x, anc = bb.add(LessThanConstant(log_l, el).adjoint(), x=x, target=anc)
            bb.free(anc)
            high = [bb.add(Hadamard(), q=q) for q in bb.split(x)]
            ctrl, high = self._add_phase_on_zero(bb, ctrl, high, log_l)
            bits[:log_l] = [bb.add(Hadamard(), q=q) for q in high]
        return {"ctrl": ctrl, "target": bb.join(np.array(bits))}

    def _add_phase_on_zero(self, bb: BloqBuilder, ctrl, high: list, log_l: int):
        """$R_z(\\theta)$ on the And of (high bits all 0, ctrl = 1), computed and uncomputed."""
        and_bloq = self._and(log_l)
        ctrls = np.array([*high, ctrl])
        if isinstance(and_bloq, And):
            ctrls, t = bb.add(and_bloq, ctrl=ctrls)
            t = bb.add(Rz(self._theta), q=t)
            ctrls = bb.add(and_bloq.adjoint(), ctrl=ctrls, target=t)
        else:
            ctrls, junk, t = bb.add(and_bloq, ctrl=ctrls)
            t = bb.add(Rz(self._theta), q=t)
            ctrls = bb.add(and_bloq.adjoint(), ctrl=ctrls, junk=junk, target=t)
        return ctrls[-1], list(ctrls[:-1])

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        _, el, log_l = self._k_l_logl
        counts: dict[Bloq, SymbolicInt] = {ControlledHadamard(): bit_length(self.n - 1)}
        if is_symbolic(log_l) or log_l > 0:
            lt = LessThanConstant(log_l, el)
            and_bloq = self._and(log_l)
            counts.update(
                {
                    lt: 1,
                    lt.adjoint(): 1,
                    Rz(self._theta): 2,
                    Hadamard(): 2 * log_l,
                    and_bloq: 1,
                    and_bloq.adjoint(): 1,
                }
            )
        return counts

    def __str__(self) -> str:
        return f"CUniform({self.n})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _controlled_uniform_superposition() -> ControlledUniformSuperposition:
    controlled_uniform_superposition = ControlledUniformSuperposition(n=5)
    return controlled_uniform_superposition


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _controlled_uniform_superposition_symb() -> ControlledUniformSuperposition:
    n = sympy.Symbol("n", positive=True, integer=True)
    controlled_uniform_superposition_symb = ControlledUniformSuperposition(n=n)
    return controlled_uniform_superposition_symb


_CONTROLLED_UNIFORM_SUPERPOSITION_DOC = BloqDocSpec(
    bloq_cls=ControlledUniformSuperposition,
    import_line=(
        "from bloqs.state_preparation.controlled_uniform_superposition import "
        "ControlledUniformSuperposition"
    ),
    examples=[_controlled_uniform_superposition, _controlled_uniform_superposition_symb],
)
