"""QSVT of any block encoding: U, U† and projector phases alternating; encodes p(A/α)."""

from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import attrs
import numpy as np
import sympy
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Hadamard
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.bloqs.reflections.prepare_identity import PrepareIdentity
from qualtran.bloqs.state_preparation.black_box_prepare import BlackBoxPrepare
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import Shaped, SymbolicFloat, SymbolicInt, is_symbolic

from bloqs.linear_systems.projector_phase import ZeroProjectorPhase
from bloqs.linear_systems.qsp_phases import qsvt_phases

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator


def as_phases(v) -> tuple[float, ...] | Shaped:
    return v if isinstance(v, Shaped) else tuple(float(x) for x in v)


def _identity_signal_state(be: BlockEncoding) -> bool:
    return isinstance(be.signal_state.prepare, PrepareIdentity)


@attrs.frozen
class QSVT(BlockEncoding):
    r"""Quantum singular value transformation: a block encoding of $\mathrm{Re}\,p(A/\alpha)$.

    For an odd degree-$d$ polynomial given by reflection-convention phases
    $\psi_1, \dots, \psi_d$ (see `qsvt_phases`), the circuit is, in time order,
    $$
    H_q,\ U,\ \Pi_{\psi_d},\ U^\dagger,\ \Pi_{\psi_{d-1}},\ U,\ \dots,\ U,\ \Pi_{\psi_1},\ H_q
    $$
    with $U$ = `block_encoding` ($(d+1)/2$ calls), $U^\dagger$ ($(d-1)/2$ calls) — exactly $d$
    queries, none of them controlled — and $\Pi_\psi$ = `ZeroProjectorPhase` (phase
    $e^{\pm i\psi(2\Pi - 1)}$ on "the encoding's ancilla is zero", sign by the extra qubit $q$).
    On each singular-vector pair the sequence is
    $e^{i\psi_1 Z}R(\sigma)\cdots e^{i\psi_d Z}R(\sigma)$
    with $R(\sigma) = [[\sigma, \sqrt{1-\sigma^2}], [\sqrt{1-\sigma^2}, -\sigma]]$, whose
    $\langle 0|\cdot|0\rangle$ is $P(\sigma)$; $q$ in $|+\rangle$ averages $\pm\Phi$, so
    $\langle 0|_{anc}\langle 0|_q\,\mathrm{QSVT}\,|0\rangle_{anc}|0\rangle_q
    = \mathrm{Re}P^{(SV)}(A/\alpha)$ (for Hermitian $A$ and odd $P$: $\mathrm{Re}P(A/\alpha)$).

    The `ancilla` register is the encoding's ancilla followed by $q$; success (the block) is
    "`ancilla` and `resource` all zero". The encoding's signal state must be $|0\rangle$
    (PrepareIdentity).

    **Signal space.** A Qualtran `BlockEncoding`'s block is read with `ancilla` AND `resource` in
    $|0\rangle$ (Qualtran's own `LinearCombination` tests contract the resource with
    `IntState(0)` / `IntEffect(0)`): its PREPARE's junk lives in `resource`, and the encoding leaves
    weight in "ancilla = 0, resource $\ne$ 0". So $\Pi$ here is
    $|0\rangle\langle 0|_{ancilla} \otimes |0\rangle\langle 0|_{resource}$: every projector
    phase zero-tests both registers. (Reflecting about `ancilla` alone, as Qualtran 0.7's
    `ChebyshevPolynomial` does, computes a different polynomial whenever that weight is non-zero.)
    For an encoding whose `resource` always returns to $|0\rangle$ the two agree. The `resource`
    register must start in $|0\rangle$; on success it ends there too.

    Args:
        block_encoding: any Qualtran `BlockEncoding` of $A$ (normalisation $\alpha$), with ≥ 1
            ancilla bit.
        phases: $\psi_1..\psi_d$ (tuple of floats, $d$ odd), or `Shaped((d,))` for costing only.

    Registers:
        system: the encoding's system register.
        ancilla: the encoding's ancilla bits, then the extra qubit $q$ (all zero on success).
        resource: the encoding's resource register (present only if it has one); part of the
            signal space (starts in zero; zero on success).

    References:
        [Quantum singular value transformation and beyond](https://arxiv.org/abs/1806.01838).
        Gilyén, Su, Low, Wiebe (2019). Theorem 17 and Corollary 18 (odd $d$: $(d+1)/2$ $U$,
        $(d-1)/2$ $U^\dagger$).

        [Grand Unification of Quantum Algorithms](https://arxiv.org/abs/2105.02859).
        Martyn, Rossi, Tan, Chuang (2021). Theorem 2 and Figure 4.
    """

    block_encoding: BlockEncoding
    phases: tuple[float, ...] | Shaped = attrs.field(converter=as_phases)

    def __attrs_post_init__(self):
        d = self.degree
        if not is_symbolic(d) and (d < 1 or d % 2 == 0):
            raise ValueError(f"QSVT needs an odd number of phases >= 1, got {d}")
        if isinstance(self.phases, tuple) and not np.all(np.isfinite(self.phases)):
            raise ValueError("QSVT phases must be finite")
        m = self.block_encoding.ancilla_bitsize
        if not is_symbolic(m) and m < 1:
            raise ValueError("QSVT needs a block encoding with at least one ancilla bit")
        if not _identity_signal_state(self.block_encoding):
            raise ValueError("QSVT needs a block encoding whose signal state is |0> (identity)")

    @classmethod
    def from_chebyshev(cls, block_encoding: BlockEncoding, coefficients: Sequence[float]) -> "QSVT":
        """QSVT for the odd real polynomial Σ c_k T_k (sup |p| < 1), phases found offline."""
        return cls(block_encoding, qsvt_phases(coefficients))

    @classmethod
    def from_degree(cls, block_encoding: BlockEncoding, degree: SymbolicInt) -> "QSVT":
        """Costing only: a degree-`degree` QSVT with unspecified (symbolic) phases."""
        return cls(block_encoding, Shaped((degree,)))

    @property
    def degree(self) -> SymbolicInt:
        return self.phases.shape[0] if isinstance(self.phases, Shaped) else len(self.phases)

    @property
    def queries(self) -> SymbolicInt:
        """Calls to the block encoding (U and U† together): exactly the degree d."""
        return self.degree

    @property
    def system_bitsize(self) -> SymbolicInt:
        return self.block_encoding.system_bitsize

    @property
    def ancilla_bitsize(self) -> SymbolicInt:
        return self.block_encoding.ancilla_bitsize + 1

    @property
    def resource_bitsize(self) -> SymbolicInt:
        return self.block_encoding.resource_bitsize

    @property
    def alpha(self) -> SymbolicFloat:
        return 1

    @property
    def epsilon(self) -> SymbolicFloat:
        return self.block_encoding.epsilon * self.degree

    @property
    def signal_state(self) -> BlackBoxPrepare:
        return BlackBoxPrepare(PrepareIdentity.from_bitsizes([self.ancilla_bitsize]))

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(
            system=QAny(self.system_bitsize),
            ancilla=QAny(self.ancilla_bitsize),
            resource=QAny(self.resource_bitsize),  # absent if 0
        )

    @property
    def signal_bitsize(self) -> SymbolicInt:
        """Bits the projector Π tests for zero: the encoding's ancilla and resource."""
        return self.block_encoding.ancilla_bitsize + self.block_encoding.resource_bitsize

    def _phase_bloq(self, angle) -> ZeroProjectorPhase:
        return ZeroProjectorPhase(self.signal_bitsize, angle)

    def projector_phase(self, angle) -> ZeroProjectorPhase:
        """The projector-controlled phase e^{±iψ(2Π−1)} on (encoding ancilla ⊗ resource, q)."""
        return self._phase_bloq(angle)

    def _add_phase(self, bb: BloqBuilder, angle, inner: dict, q: SoquetT) -> SoquetT:
        """Apply Π(angle) on `inner['ancilla']` (+ `inner['resource']`, if any) and q."""
        be = self.block_encoding
        r = be.resource_bitsize
        if r == 0:
            inner["ancilla"], q = bb.add(self._phase_bloq(angle), ancilla=inner["ancilla"], qubit=q)
            return q
        a_bits, r_bits = bb.split(inner["ancilla"]), bb.split(inner["resource"])
        joined = bb.join(np.concatenate([a_bits, r_bits]), dtype=QAny(self.signal_bitsize))
        joined, q = bb.add(self._phase_bloq(angle), ancilla=joined, qubit=q)
        bits = bb.split(joined)
        m = len(a_bits)
        inner["ancilla"] = bb.join(bits[:m], dtype=be.signature.get_left("ancilla").dtype)
        inner["resource"] = bb.join(bits[m:], dtype=be.signature.get_left("resource").dtype)
        return q

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if isinstance(self.phases, Shaped) or is_symbolic(
            self.ancilla_bitsize, self.signal_bitsize
        ):
            raise DecomposeTypeError(f"cannot decompose {self} with symbolic phases or sizes")
        be = self.block_encoding
        bits = bb.split(soqs.pop("ancilla"))
        anc = bb.join(bits[:-1], dtype=be.signature.get_left("ancilla").dtype)
        q = bb.add(Hadamard(), q=bits[-1])
        inner = {**soqs, "ancilla": anc}
        for k, psi in enumerate(self.phases[::-1]):
            inner |= bb.add_d(be if k % 2 == 0 else be.adjoint(), **inner)
            q = self._add_phase(bb, psi, inner, q)
        q = bb.add(Hadamard(), q=q)
        anc_bits = bb.split(inner.pop("ancilla"))
        inner["ancilla"] = bb.join(
            np.concatenate([anc_bits, [q]]), dtype=QAny(self.ancilla_bitsize)
        )
        return inner

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        d = self.degree
        counts: Counter = Counter()
        counts[self.block_encoding] += (d + 1) // 2
        counts[self.block_encoding.adjoint()] += (d - 1) // 2
        counts[Hadamard()] += 2
        if isinstance(self.phases, Shaped):
            counts[self._phase_bloq(ssa.new_symbol("psi"))] += d
        else:
            for psi in self.phases:
                counts[self._phase_bloq(psi)] += 1
        return {k: v for k, v in counts.items() if is_symbolic(v) or v > 0}

    def __str__(self):
        return f"QSVT_{self.degree}[{self.block_encoding}]"


@bloq_example(generalizer=ignore_split_join)
def _qsvt() -> QSVT:
    from qualtran.bloqs.basic_gates import Hadamard as _H
    from qualtran.bloqs.block_encoding import Unitary

    # Unitary(H) with one (idle) ancilla bit: the block is H/1, a block encoding of Hadamard.
    be = Unitary(_H(), ancilla_bitsize=1)
    qsvt = QSVT(be, phases=(0.3, -0.2, 0.3))
    return qsvt


@bloq_example(generalizer=ignore_split_join)
def _qsvt_lcu() -> QSVT:
    from qualtran.bloqs.basic_gates import Identity, ZGate
    from qualtran.bloqs.block_encoding import LinearCombination, Unitary

    # 0.6 I + 0.3 Z as an LCU (1 ancilla bit, 6 resource bits: the PREPARE's junk); the block is
    # read with ancilla AND resource zero, A/α = diag(1, 0.25) at lambd_bits = 2.
    lcu = LinearCombination((Unitary(Identity()), Unitary(ZGate())), (0.6, 0.3), lambd_bits=2)
    qsvt_lcu = QSVT(lcu, phases=(0.3, -0.2, 0.3))
    return qsvt_lcu


@bloq_example(generalizer=ignore_split_join)
def _qsvt_symb() -> QSVT:
    from qualtran.bloqs.basic_gates import Hadamard as _H
    from qualtran.bloqs.block_encoding import Unitary

    d = sympy.Symbol("d", positive=True, integer=True)
    qsvt_symb = QSVT.from_degree(Unitary(_H(), ancilla_bitsize=1), d)
    return qsvt_symb


_QSVT_DOC = BloqDocSpec(
    bloq_cls=QSVT,
    import_line="from bloqs.linear_systems.qsvt import QSVT",
    examples=(_qsvt, _qsvt_lcu, _qsvt_symb),
)
