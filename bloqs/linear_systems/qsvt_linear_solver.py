"""QLSA by QSVT: |0⟩ → prepare |y⟩ → p(A/α) by QSVT, p(x) ≈ scale/x; flag = "ancilla all zero"."""

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
    Side,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.bloqs.mcmt import MultiControlX
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import HasLength, Shaped, SymbolicInt, is_symbolic

from bloqs.linear_systems.inverse_polynomials import (
    InversePolynomial,
    chebyshev_degree,
    chebyshev_inverse_polynomial,
    check_kappa_epsilon,
    cks_inverse_polynomial,
    minimax_inverse_polynomial,
    neumann_inverse_polynomial,
    neumann_terms,
)
from bloqs.linear_systems.qsvt import QSVT, as_phases

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator


def inverse_polynomial(
    method: str, kappa_eff: float, epsilon: float, degree: int | None = None, **window
) -> InversePolynomial:
    """The odd p(x) ≈ scale/x for `method` 'chebyshev' (the minimax polynomial in closed form),
    'minimax' (the LP fit), 'cks', 'neumann' (needs center, gamma) or 'auto': the smaller of the
    Neumann series (on the given window, else on [1/κ_eff, 1]; ties to Neumann) and the
    Chebyshev polynomial — the same rule as `qlsa_degree`, which costs it."""
    if method == "auto":
        if degree is not None:
            raise ValueError("method 'auto' chooses the degree itself; pass a method with degree")
        if not window:
            check_kappa_epsilon(kappa_eff, epsilon)
            window = {"center": (kappa_eff + 1) / (2 * kappa_eff), "gamma": 0.0}
            window["gamma"] = (kappa_eff - 1) / (kappa_eff + 1)
        d_neumann = 2 * neumann_terms(window["gamma"], epsilon) - 1
        if d_neumann <= chebyshev_degree(kappa_eff, epsilon):
            return inverse_polynomial("neumann", kappa_eff, epsilon, **window)
        return inverse_polynomial("chebyshev", kappa_eff, epsilon)
    if method == "chebyshev":
        poly = chebyshev_inverse_polynomial(kappa_eff, epsilon)
        if degree is not None and degree != poly.degree:
            raise ValueError(f"the optimal (Chebyshev) degree here is {poly.degree}, not {degree}")
        return poly
    if method == "minimax":
        return minimax_inverse_polynomial(kappa_eff, epsilon, degree=degree)
    if method == "cks":
        poly = cks_inverse_polynomial(kappa_eff, epsilon)
        if degree is not None and degree != poly.degree:
            raise ValueError(f"the CKS degree here is {poly.degree}, not {degree}")
        return poly
    if method == "neumann":
        return neumann_inverse_polynomial(window["center"], window["gamma"], epsilon, degree)
    raise ValueError(
        f"method must be 'auto', 'chebyshev', 'minimax', 'cks' or 'neumann', got {method!r}"
    )


@attrs.frozen
class QSVTLinearSolver(Bloq):
    r"""Prepare $p(A/\alpha)|y\rangle$ with $p(x) \approx \mathrm{scale}/x$, flagged on success.

    `prepare` maps $|0\rangle \to |y\rangle$ on `system`, then `QSVT(block_encoding, phases)`
    applies the odd polynomial $p$, and a zero-controlled NOT writes "all of `ancilla` and
    `resource` is zero" (the encoding's whole signal space, see `QSVT`) into `success`.
    Conditioned on `success` = 1 the system holds
    $p(A/\alpha)|y\rangle / \lVert p(A/\alpha)|y\rangle\rVert
    \approx A^{-1}|y\rangle/\lVert\cdot\rVert$,
    with probability $\lVert p(A/\alpha)|y\rangle\rVert^2 \approx \mathrm{scale}^2
    \lVert (A/\alpha)^{-1} y\rVert^2$. The block encoding is queried exactly $d$ = degree times.

    The polynomial (see `inverse_polynomials`) is the minimax (Chebyshev, closed form) polynomial
    for $1/x$ on $[1/\kappa_{eff}, 1]$, its LP fit, the Childs–Kothari–Somma series, or the odd
    Neumann series for $A/\alpha = c(I + E)$ (degree 1
    when $2\lVert E\rVert/(1+\lVert E\rVert^2) \le \epsilon$).

    Args:
        block_encoding: any `BlockEncoding` of $A$ (Hermitian for $A^{-1}$; in general
            $p^{(SV)}$ gives the pseudo-inverse $A^{+}$ direction).
        prepare: a bloq with one THRU register of the system's size, $|0\rangle \to |y\rangle$.
        phases: QSVT phases (tuple), or `Shaped((d,))` for costing only.
        polynomial: the `InversePolynomial` the phases implement (None when symbolic).

    Registers:
        system: starts in $|0\rangle$; holds the (unnormalised) solution.
        ancilla: the QSVT's ancilla (starts and, on success, ends in zero).
        resource: the encoding's resource register (present only if it has one); starts in
            zero and is zero on success.
        success: the flag, 1 on success.

    References:
        [Quantum singular value transformation and beyond](https://arxiv.org/abs/1806.01838).
        Gilyén, Su, Low, Wiebe (2019). Corollary 69 (matrix inversion by QSVT).

        [Quantum linear systems algorithm with exponentially improved dependence on precision](
        https://arxiv.org/abs/1511.02306). Childs, Kothari, Somma (2017). Lemmas 17–19.
    """

    block_encoding: BlockEncoding
    prepare: Bloq
    phases: tuple[float, ...] | Shaped = attrs.field(converter=as_phases)
    polynomial: InversePolynomial | None = None

    def __attrs_post_init__(self):
        regs = list(self.prepare.signature)
        if len(regs) != 1 or regs[0].side != Side.THRU:
            raise ValueError("prepare must have exactly one THRU register (the system)")
        n, n_be = regs[0].total_bits(), self.block_encoding.system_bitsize
        if not is_symbolic(n, n_be) and n != n_be:
            raise ValueError(f"prepare acts on {n} qubits, the block encoding on {n_be}")
        if self.polynomial is not None and self.polynomial.degree != self.qsvt.degree:
            raise ValueError("polynomial degree and number of phases differ")

    @classmethod
    def from_polynomial(
        cls, block_encoding: BlockEncoding, prepare: Bloq, polynomial: InversePolynomial
    ) -> "QSVTLinearSolver":
        qsvt = QSVT.from_chebyshev(block_encoding, polynomial.chebyshev_coefficients)
        return cls(block_encoding, prepare, qsvt.phases, polynomial)

    @classmethod
    def from_degree(
        cls, block_encoding: BlockEncoding, prepare: Bloq, degree: SymbolicInt
    ) -> "QSVTLinearSolver":
        """Costing only (symbolic phases)."""
        return cls(block_encoding, prepare, Shaped((degree,)))

    @cached_property
    def qsvt(self) -> QSVT:
        return QSVT(self.block_encoding, self.phases)

    @property
    def degree(self) -> SymbolicInt:
        return self.qsvt.degree

    @property
    def queries(self) -> SymbolicInt:
        """Block-encoding calls (U and U†): the degree."""
        return self.qsvt.queries

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(
            system=QAny(self.qsvt.system_bitsize),
            ancilla=QAny(self.qsvt.ancilla_bitsize),
            resource=QAny(self.qsvt.resource_bitsize),
            success=QBit(),
        )

    @cached_property
    def flag_bloq(self) -> MultiControlX:
        """Zero test of the QSVT's `ancilla` and `resource` bits (the success subspace)."""
        m = self.qsvt.ancilla_bitsize + self.qsvt.resource_bitsize
        return MultiControlX(cvs=HasLength(m) if is_symbolic(m) else (0,) * int(m))

    def build_composite_bloq(
        self, bb: BloqBuilder, success: SoquetT, **soqs: SoquetT
    ) -> dict[str, SoquetT]:
        if is_symbolic(self.qsvt.ancilla_bitsize) or isinstance(self.phases, Shaped):
            raise DecomposeTypeError(f"cannot decompose symbolic {self}")
        (reg,) = self.prepare.signature
        if reg.shape:  # e.g. a register of qubits: feed the system's bits
            bits = bb.add(self.prepare, **{reg.name: bb.split(soqs["system"])})
            soqs["system"] = bb.join(np.asarray(bits), dtype=QAny(self.qsvt.system_bitsize))
        else:
            soqs["system"] = bb.add(self.prepare, **{reg.name: soqs["system"]})
        soqs |= bb.add_d(self.qsvt, **soqs)
        a_bits = bb.split(soqs["ancilla"])
        r_bits = bb.split(soqs["resource"]) if "resource" in soqs else []
        bits, success = bb.add(
            self.flag_bloq, controls=np.concatenate([a_bits, r_bits]), target=success
        )
        m = len(a_bits)
        soqs["ancilla"] = bb.join(bits[:m], dtype=QAny(self.qsvt.ancilla_bitsize))
        if "resource" in soqs:
            soqs["resource"] = bb.join(bits[m:], dtype=QAny(self.qsvt.resource_bitsize))
        return {**soqs, "success": success}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return {self.prepare: 1, self.qsvt: 1, self.flag_bloq: 1}

    def __str__(self):
        return f"QSVTLinearSolver(d={self.degree})"


def _example_encoding_and_prep():
    from qualtran.bloqs.basic_gates import Hadamard, Ry
    from qualtran.bloqs.block_encoding import Unitary

    return Unitary(Hadamard(), ancilla_bitsize=1), Ry(0.7)


@bloq_example(generalizer=ignore_split_join)
def _qsvt_linear_solver() -> QSVTLinearSolver:
    from bloqs.linear_systems.inverse_polynomials import minimax_inverse_polynomial

    be, prep = _example_encoding_and_prep()  # A = Hadamard: kappa = 1, eigenvalues ±1
    poly = minimax_inverse_polynomial(kappa=1.5, epsilon=1e-2)
    qsvt_linear_solver = QSVTLinearSolver.from_polynomial(be, prep, poly)
    return qsvt_linear_solver


@bloq_example(generalizer=ignore_split_join)
def _qsvt_linear_solver_symb() -> QSVTLinearSolver:
    be, prep = _example_encoding_and_prep()
    d = sympy.Symbol("d", positive=True, integer=True)
    qsvt_linear_solver_symb = QSVTLinearSolver.from_degree(be, prep, d)
    return qsvt_linear_solver_symb


_QSVT_LINEAR_SOLVER_DOC = BloqDocSpec(
    bloq_cls=QSVTLinearSolver,
    import_line="from bloqs.linear_systems.qsvt_linear_solver import QSVTLinearSolver",
    examples=(_qsvt_linear_solver, _qsvt_linear_solver_symb),
)
