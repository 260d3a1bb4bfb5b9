"""Canonical amplitude estimation (Brassard, Høyer, Mosca, Tapp 2002, Thm 12) writing a phase
register, plus the analytic output distribution and the error bound of Lemma III.2."""

from functools import cached_property
from typing import TYPE_CHECKING

import attrs
import numpy as np
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Hadamard, OnEach
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.amplitude_estimation.grover_iterate import (
    CTRL,
    GroverIterate,
    as_tuple,
    validate_state_prep,
)
from bloqs.amplitude_estimation.inverse_qft import TextbookInverseQFT

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

PHASE = "phase"


def ae_estimate(y, phase_bits: int):
    r"""The estimate $\tilde p = \sin^2(\pi y / 2^m)$ read from phase-register value(s) `y`."""
    return np.sin(np.pi * np.asarray(y) / 2**phase_bits) ** 2


def ae_phase_distribution(p: float, phase_bits: int) -> np.ndarray:
    r"""Exact distribution of the phase register of canonical AE for success probability `p`.

    With $\sin^2\theta = p$, $A|0\rangle$ is an equal-weight superposition of the eigenvectors of
    $Q$ with eigenphases $2\pi\omega_\pm$, $\omega_+ = \theta/\pi$, $\omega_- = 1 - \theta/\pi$
    (Brassard et al. 2002, proof of Thm 11), so $\Pr(y) = \tfrac12 F(\omega_+ - y/M) +
    \tfrac12 F(\omega_- - y/M)$ with the Fejér kernel $F(\delta) = \sin^2(M\pi\delta) /
    (M^2\sin^2(\pi\delta))$ ($F = 1$ at integer $\delta$), $M = 2^m$.
    """
    if not 0 <= p <= 1:
        raise ValueError(f"ae_phase_distribution: p must be in [0, 1], got {p}")
    big_m = 2**phase_bits
    theta = np.arcsin(np.sqrt(p))
    y = np.arange(big_m)

    def fejer(delta):
        num = np.sin(big_m * np.pi * delta) ** 2
        den = big_m**2 * np.sin(np.pi * delta) ** 2
        close = np.isclose(np.sin(np.pi * delta), 0.0, atol=1e-12)
        return np.where(close, 1.0, num / np.where(close, 1.0, den))

    w = theta / np.pi
    return 0.5 * fejer(w - y / big_m) + 0.5 * fejer(1 - w - y / big_m)


def ae_error_bound(p: float, phase_bits: SymbolicInt):
    r"""Lemma III.2 / Brassard et al. Thm 12 with $M = 2^m$:
    $|\tilde p - p| \le 2\pi\sqrt{p(1-p)}/M + \pi^2/M^2$, holding with probability $\ge 8/\pi^2$."""
    big_m = 2**phase_bits
    return 2 * np.pi * np.sqrt(p * (1 - p)) / big_m + np.pi**2 / big_m**2


AE_SUCCESS_PROBABILITY = 8 / np.pi**2
"""Lower bound on the probability that the error bound of `ae_error_bound` holds."""


@attrs.frozen
class AmplitudeEstimation(Bloq):
    r"""Canonical amplitude estimation: `phase` = y with $\tilde p = \sin^2(\pi y/2^m)$.

    For $A|0\rangle = \sqrt{p}\,|v, 1\rangle + \sqrt{1-p}\,|g, 0\rangle$ (Lemma III.2), the
    circuit of Brassard et al. (Thm 12) with $M = 2^m$:

    1. $A$ once on its registers;
    2. H on every `phase` qubit;
    3. controlled $Q^{2^j}$ from the phase qubit of weight $2^j$, $j = 0..m-1$ (the
       hand-written controlled `GroverIterate`, $M - 1$ calls in all);
    4. the inverse QFT on `phase` (`TextbookInverseQFT`).

    Measuring `phase` gives y with $|\tilde p - p| \le 2\pi\sqrt{p(1-p)}/M + \pi^2/M^2$ with
    probability at least $8/\pi^2$ (`ae_error_bound`); the full distribution is
    `ae_phase_distribution`. Here the output stays coherent (Theorem III.5, eq. 26): with
    passthrough registers (default `index`) in a superposition $\sum_i|i\rangle$, the state is
    $\sum_i |i\rangle \sum_y c_{i,y}|y\rangle|\ldots\rangle$ with $|c_{i,y}|^2$ the
    distribution for $p_i$.

    Qualtran's `TextbookQPE` is not reused: it controls the unitary through Cirq's
    `controlled_by` (bypassing the hand-written controlled iterate) and its default inverse QFT
    has a symbolic call graph that disagrees with its concrete one.

    Costs: one $A$ plus $M - 1$ controlled iterates (each $A$, $A^\dagger$, a CZ and a controlled
    reflection about zero over the non-passthrough registers), $m$ Hadamards, and the inverse
    QFT ($m(m-1)/2$ controlled phases).

    Args:
        state_prep: the algorithm $A$ (all registers THRU; non-passthrough ones start in |0>).
        phase_bits: $m \ge 1$, the number of phase qubits (symbolic allowed).
        good_register: the single-qubit register marking good states (default `flag`).
        good_value: its good value (0 or 1, default 1).
        passthrough: registers of $A$ that are not reflected (default `('index',)`; absent names
            are ignored).

    Registers:
        (registers of state_prep): in the order of `state_prep.signature`.
        phase: `QUInt(m)`, big-endian; starts in |0>, ends holding y.

    References:
        [Quantum Amplitude Amplification and Estimation](https://arxiv.org/abs/quant-ph/0005055).
        Brassard, Høyer, Mosca, Tapp (2002). Theorem 12 (and Theorem 11 for the distribution).

        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd (2021). Supplementary Lemma III.2
        (eq. 20) and Theorem III.5 (eq. 26).
    """

    state_prep: Bloq
    phase_bits: SymbolicInt
    good_register: str = "flag"
    good_value: int = 1
    passthrough: tuple[str, ...] = attrs.field(default=("index",), converter=as_tuple)

    def __attrs_post_init__(self):
        if not is_symbolic(self.phase_bits):
            if int(self.phase_bits) != self.phase_bits or self.phase_bits < 1:
                raise ValueError(
                    "AmplitudeEstimation: phase_bits must be an integer >= 1, "
                    f"got {self.phase_bits}"
                )
        validate_state_prep(
            self.state_prep,
            self.good_register,
            self.good_value,
            self.passthrough,
            "AmplitudeEstimation",
        )
        if PHASE in {r.name for r in self.state_prep.signature}:
            raise ValueError(f"AmplitudeEstimation: state_prep already has a {PHASE!r} register")

    @cached_property
    def signature(self) -> Signature:
        return Signature([*self.state_prep.signature, Register(PHASE, QUInt(self.phase_bits))])

    @cached_property
    def controlled_iterate(self) -> GroverIterate:
        """The controlled Grover iterate $C\\text{-}Q$ called $2^m - 1$ times."""
        return GroverIterate(
            self.state_prep,
            good_register=self.good_register,
            good_value=self.good_value,
            passthrough=self.passthrough,
            is_controlled=True,
        )

    @cached_property
    def qft_inv(self) -> TextbookInverseQFT:
        return TextbookInverseQFT(self.phase_bits)

    @cached_property
    def phase_hadamards(self) -> OnEach:
        return OnEach(self.phase_bits, Hadamard(), target_dtype=QUInt(self.phase_bits))

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.phase_bits):
            raise DecomposeTypeError(f"{self} has a symbolic number of phase bits")
        m = int(self.phase_bits)
        phase = soqs.pop(PHASE)
        soqs = bb.add_d(self.state_prep, **soqs)
        phase = bb.add(self.phase_hadamards, q=phase)
        pq = bb.split(phase)
        cq = self.controlled_iterate
        for j in range(m):
            ctrl = pq[m - 1 - j]
            for _ in range(2**j):
                out = bb.add_d(cq, **{CTRL: ctrl}, **soqs)
                ctrl = out.pop(CTRL)
                soqs = out
            pq[m - 1 - j] = ctrl
        phase = bb.join(pq, dtype=QUInt(m))
        phase = bb.add(self.qft_inv, q=phase)
        return {**soqs, PHASE: phase}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return {
            self.state_prep: 1,
            self.phase_hadamards: 1,
            self.controlled_iterate: 2**self.phase_bits - 1,
            self.qft_inv: 1,
        }

    def __str__(self):
        return f"AmplitudeEstimation(m={self.phase_bits})"


@bloq_example(generalizer=ignore_split_join)
def _amplitude_estimation() -> AmplitudeEstimation:
    from bloqs.inner_product._example_preps import loader_example_preps
    from bloqs.inner_product.hadamard_test import HadamardTestOverlap

    prep_a, prep_b = loader_example_preps(n=2, d=2)
    amplitude_estimation = AmplitudeEstimation(HadamardTestOverlap(prep_a, prep_b), phase_bits=3)
    return amplitude_estimation


@bloq_example
def _amplitude_estimation_symb() -> AmplitudeEstimation:
    import sympy

    from bloqs.inner_product._example_preps import loader_symbolic_preps
    from bloqs.inner_product.hadamard_test import HadamardTestOverlap

    m = sympy.Symbol("m", positive=True, integer=True)
    prep_a, prep_b = loader_symbolic_preps()
    amplitude_estimation_symb = AmplitudeEstimation(HadamardTestOverlap(prep_a, prep_b), m)
    return amplitude_estimation_symb


_AMPLITUDE_ESTIMATION_DOC = BloqDocSpec(
    bloq_cls=AmplitudeEstimation,
    import_line="from bloqs.amplitude_estimation.amplitude_estimation import AmplitudeEstimation",
    examples=(_amplitude_estimation, _amplitude_estimation_symb),
)
