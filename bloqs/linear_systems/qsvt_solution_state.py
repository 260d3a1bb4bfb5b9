"""|0⟩ → prepare |b⟩ → QSVT p(A/α)|b⟩, with a hand-written controlled version for Hadamard tests."""

from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING

import attrs
import numpy as np
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Hadamard, Rz
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import Shaped, SymbolicInt, is_symbolic

from bloqs.linear_systems.inverse_polynomials import InversePolynomial
from bloqs.linear_systems.qsvt import QSVT, as_phases
from bloqs.specialized_ctrl import controlled_with_reg, ctrl_system_from_is_controlled

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

#: Register of the system (the solution's index) and of the QSVT ancilla (all zero = success).
SYSTEM = "index"
QLSA_ANCILLA = "qlsa_ancilla"


@attrs.frozen
class QSVTSolutionState(Bloq):
    r"""Prepare $|b\rangle$ on `index`, then apply $p(A/\alpha)$ by QSVT: the QLSA state.

    From $|0\rangle_{index}|0\rangle_{qlsa\_ancilla}$ this gives
    $p(A/\alpha)|b\rangle|0\rangle + |\perp\rangle$, where $|\perp\rangle$ has `qlsa_ancilla`
    $\ne 0$; with $p(x) \approx \mathrm{scale}/x$ the success branch (`qlsa_ancilla` all zero) is
    $\approx \mathrm{scale}\,\alpha A^{-1}|b\rangle$ (Algorithm 1 line 17: solve
    $\tilde K|v\rangle = |y\rangle$). It is `QSVTLinearSolver` without the success qubit: the
    success flag *is* "`qlsa_ancilla` all zero", which a Hadamard-test readout needs as a
    register that is zero on the other branch too.

    **Controlled version** (`is_controlled=True`, register `ctrl`), written by hand: the
    preparation is controlled (its own hand-written controlled version), every projector phase
    $\Pi_\psi$ is controlled (the zero test is computed either way; only $R_z(2\psi)$ takes the
    control, as $R_z(\psi)\,\mathrm{CNOT}\,R_z(-\psi)\,\mathrm{CNOT}$), and of the $d$ block-
    encoding calls **only the first $U$ is controlled** (the block encoding's own controlled
    version). Proof: with `ctrl` = 1 this is the QSVT circuit. With `ctrl` = 0 the phases are the
    identity and the remaining calls, in time order, are $U^\dagger, U, U^\dagger, \ldots, U$
    ($(d-1)/2$ pairs, $d$ odd), whose product is $U U^\dagger \cdots U U^\dagger = I$; the two
    Hadamards on the QSVT's extra qubit then cancel. So `ctrl` = 0 is the identity exactly, at
    the price of one controlled $U$ and $2d$ extra CNOTs and $d$ extra rotations.

    Args:
        block_encoding: a `BlockEncoding` of $A$ with signal state $|0\rangle$ and no resource
            register; when controlled, `block_encoding.controlled()` must be hand-written
            (e.g. `WeightedSparseBlockEncoding`).
        prepare: $|0\rangle \to |b\rangle$ on its single register `index`
            (e.g. `bloqs.ntk.diagonal_ntk.LabelState`), with a hand-written controlled version.
        phases: the QSVT phases (tuple, odd length), or `Shaped((d,))` for costing only.
        polynomial: the `InversePolynomial` they implement (None when symbolic).
        is_controlled: add a `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        index: the system register, starts in $|0\rangle$.
        qlsa_ancilla: the QSVT's ancilla (the encoding's, then the extra qubit); starts in
            $|0\rangle$; all zero on success.

    References:
        [Quantum singular value transformation and beyond](https://arxiv.org/abs/1806.01838).
        Gilyén, Su, Low, Wiebe (2019). Theorem 17, Corollary 69 (matrix inversion).

        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021. Algorithm 1
        lines 16–18 (the QLSA state and the readout that needs it controlled).
    """

    block_encoding: BlockEncoding
    prepare: Bloq
    phases: tuple[float, ...] | Shaped = attrs.field(converter=as_phases)
    polynomial: InversePolynomial | None = None
    is_controlled: bool = False

    def __attrs_post_init__(self):
        names = [r.name for r in self.prepare.signature]
        if names != [SYSTEM]:
            raise ValueError(f"prepare must have the single register {SYSTEM!r}, got {names}")
        n, n_be = self.prepare.signature.n_qubits(), self.block_encoding.system_bitsize
        if not is_symbolic(n, n_be) and n != n_be:
            raise ValueError(f"prepare acts on {n} qubits, the block encoding on {n_be}")
        r = self.block_encoding.resource_bitsize
        if not is_symbolic(r) and r != 0:
            raise ValueError(
                f"QSVTSolutionState needs a block encoding without a resource register (got {r} "
                "bits): its success test is qlsa_ancilla alone; use QSVT or QSVTLinearSolver"
            )
        if self.polynomial is not None and self.polynomial.degree != self.qsvt.degree:
            raise ValueError("polynomial degree and number of phases differ")

    @cached_property
    def qsvt(self) -> QSVT:
        return QSVT(self.block_encoding, self.phases)

    @property
    def degree(self) -> SymbolicInt:
        return self.qsvt.degree

    @property
    def ancilla_bits(self) -> SymbolicInt:
        return self.qsvt.ancilla_bitsize

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [
            Register(SYSTEM, QAny(self.block_encoding.system_bitsize)),
            Register(QLSA_ANCILLA, QAny(self.ancilla_bits)),
        ]
        return Signature(regs)

    @cached_property
    def _prepare(self) -> tuple[Bloq, str | None]:
        return controlled_with_reg(self.prepare) if self.is_controlled else (self.prepare, None)

    @cached_property
    def _controlled_encoding(self) -> tuple[Bloq, str]:
        return controlled_with_reg(self.block_encoding)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        prep, pname = self._prepare
        out = bb.add_d(prep, **{SYSTEM: soqs[SYSTEM]}, **({pname: soqs["ctrl"]} if pname else {}))
        system = out[SYSTEM]
        if not self.is_controlled:
            system, anc = bb.add(self.qsvt, system=system, ancilla=soqs[QLSA_ANCILLA])
            return {SYSTEM: system, QLSA_ANCILLA: anc}
        if isinstance(self.phases, Shaped) or is_symbolic(self.ancilla_bits):
            raise DecomposeTypeError(f"cannot decompose {self} with symbolic phases or sizes")
        ctrl = out[pname]
        be = self.block_encoding
        be_anc_dtype = be.signature.get_left("ancilla").dtype
        bits = bb.split(soqs[QLSA_ANCILLA])
        anc, q = bb.join(bits[:-1], dtype=be_anc_dtype), bb.add(Hadamard(), q=bits[-1])
        cbe, cname = self._controlled_encoding
        zero_test = self.qsvt.projector_phase(0.0).zero_test
        for k, psi in enumerate(self.phases[::-1]):
            if k == 0:
                ctrl, system, anc = bb.add(cbe, **{cname: ctrl}, system=system, ancilla=anc)
            else:
                system, anc = bb.add(be if k % 2 == 0 else be.adjoint(), system=system, ancilla=anc)
            abits, q = bb.add(zero_test, controls=bb.split(anc), target=q)
            q = bb.add(Rz(psi), q=q)
            ctrl, q = bb.add(CNOT(), ctrl=ctrl, target=q)
            q = bb.add(Rz(-psi), q=q)
            ctrl, q = bb.add(CNOT(), ctrl=ctrl, target=q)
            abits, q = bb.add(zero_test, controls=abits, target=q)
            anc = bb.join(abits, dtype=be_anc_dtype)
        q = bb.add(Hadamard(), q=q)
        all_bits = np.concatenate([bb.split(anc), [q]])
        return {
            "ctrl": ctrl,
            SYSTEM: system,
            QLSA_ANCILLA: bb.join(all_bits, dtype=QAny(self.ancilla_bits)),
        }

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        prep = self._prepare[0]
        if not self.is_controlled:
            return {prep: 1, self.qsvt: 1}
        d, be = self.degree, self.block_encoding
        counts: Counter = Counter()
        counts[prep] += 1
        counts[self._controlled_encoding[0]] += 1
        counts[be] += (d + 1) // 2 - 1
        counts[be.adjoint()] += (d - 1) // 2
        counts[Hadamard()] += 2
        counts[self.qsvt.projector_phase(0.0).zero_test] += 2 * d
        counts[CNOT()] += 2 * d
        if isinstance(self.phases, Shaped):
            psi = ssa.new_symbol("psi")
            counts[Rz(psi)] += d
            counts[Rz(-psi)] += d
        else:
            for psi in self.phases:
                counts[Rz(psi)] += 1
                counts[Rz(-psi)] += 1
        return {k: v for k, v in counts.items() if is_symbolic(v) or v > 0}

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self):
        return f"{'C' if self.is_controlled else ''}QSVTSolutionState(d={self.degree})"


def _example_parts():
    from bloqs.block_encoding.weighted_sparse_block_encoding import (
        WeightedSparseBlockEncoding,
        example_matrix,
    )
    from bloqs.state_preparation.label_state import LabelState
    from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

    matrix, oracle = example_matrix()
    be = WeightedSparseBlockEncoding.from_matrix(matrix, oracle, entry_bitsize=6)
    label = LabelState(VectorAmplitudeLoader.from_vector([1.0, -1.0, 1.0, 1.0], amplitude_bits=4))
    return matrix, be, label


@bloq_example(generalizer=ignore_split_join)
def _qsvt_solution_state() -> QSVTSolutionState:
    from bloqs.linear_systems.inverse_polynomials import minimax_inverse_polynomial
    from bloqs.linear_systems.qsp_phases import qsvt_phases

    _, be, label = _example_parts()
    poly = minimax_inverse_polynomial(kappa=2.5, epsilon=0.1)
    qsvt_solution_state = QSVTSolutionState(
        be, label, qsvt_phases(poly.chebyshev_coefficients), poly
    )
    return qsvt_solution_state


@bloq_example(generalizer=ignore_split_join)
def _qsvt_solution_state_symb() -> QSVTSolutionState:
    _, be, label = _example_parts()
    d = sympy.Symbol("d", positive=True, integer=True)
    qsvt_solution_state_symb = QSVTSolutionState(be, label, Shaped((d,)))
    return qsvt_solution_state_symb


_QSVT_SOLUTION_STATE_DOC = BloqDocSpec(
    bloq_cls=QSVTSolutionState,
    import_line="from bloqs.linear_systems.qsvt_solution_state import QSVTSolutionState",
    examples=(_qsvt_solution_state, _qsvt_solution_state_symb),
)
