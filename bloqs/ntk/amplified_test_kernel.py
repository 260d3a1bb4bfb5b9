r"""Making the test-kernel preparation succeed: repeat until success or amplitude amplification.

`PrepareTestKernel` succeeds (flag 0) with probability $P/n$. Repeat-until-success costs
`repeat_until_success_runs` = $n/P$ expected runs; `AmplifiedTestKernel` amplifies the flag-0
branch with $\approx(\pi/4)\sqrt{n/P}$ Grover rounds (`amplitude_amplification_rounds`).
"""

import math
from functools import cached_property

import sympy
from attrs import evolve, frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QBit,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicFloat, SymbolicInt, is_symbolic

from bloqs.amplitude_estimation.grover_iterate import GroverIterate
from bloqs.ntk.prepare_test_kernel import PrepareTestKernel, example_prepare_test_kernel
from bloqs.specialized_ctrl import ctrl_system_from_is_controlled

__all__ = [
    "AmplifiedTestKernel",
    "amplified_success_probability",
    "amplitude_amplification_rounds",
    "repeat_until_success_runs",
]


# -------------------------------------------------------------------- succeeding: costs
def repeat_until_success_runs(n: SymbolicInt, P: SymbolicFloat) -> SymbolicFloat:
    """Expected number of `PrepareTestKernel` runs until `flag` = 0 is measured: n/P.

    The success probability of one run is P/n with P = Σ_i k_i² (data-dependent, Lemma III.4);
    the number of runs is geometric with mean n/P. P is a parameter (from the data, e.g.
    `qntk_compile.classical.reference.post_selection_probability`, or a model of it).
    """
    if not is_symbolic(n, P):
        if not (P > 0 and n > 0 and P <= n):
            raise ValueError(f"need 0 < P <= n, got P={P}, n={n}")
    return n / P


def amplitude_amplification_rounds(n: SymbolicInt, P: SymbolicFloat) -> SymbolicInt:
    r"""Grover rounds that amplify success probability $p = P/n$ closest to 1:
    $r = \lfloor \pi/(4\theta) \rfloor$, $\sin^2\theta = p$ (Brassard et al. 2002, Thm 2; leaves
    failure probability $\le p$). Asymptotically $(\pi/4)\sqrt{n/P}$. Symbolic inputs give the
    leading term $(\pi/4)\sqrt{n/P}$."""
    if is_symbolic(n, P):
        return sympy.pi / 4 * sympy.sqrt(n / P)
    if not (P > 0 and n > 0 and P <= n):
        raise ValueError(f"need 0 < P <= n, got P={P}, n={n}")
    theta = math.asin(math.sqrt(P / n))
    return max(0, math.floor(math.pi / (4 * theta)))


def amplified_success_probability(n: float, P: float, rounds: int) -> float:
    """Success probability sin²((2r + 1)θ) after r amplification rounds, sin²θ = P/n."""
    theta = math.asin(math.sqrt(P / n))
    return math.sin((2 * rounds + 1) * theta) ** 2


@frozen
class AmplifiedTestKernel(Bloq):
    r"""`PrepareTestKernel` followed by `rounds` amplitude-amplification rounds on `flag` = 0.

    $Q^r A|0\rangle$ with $A$ = `PrepareTestKernel` and $Q = -A S_0 A^\dagger S_\chi$
    (`GroverIterate` with good value `flag` = 0 and *no* passthrough: the index superposition is
    part of the amplified state). With $r = \lfloor\pi/(4\theta)\rfloor$, $\sin^2\theta = P/n$
    (`amplitude_amplification_rounds`) the flag is 0 with probability $\ge 1 - P/n$; the cost is
    $2r + 1 \approx (\pi/2)\sqrt{n/P}$ calls to $A$ or $A^\dagger$, against $n/P$ expected runs
    for repeat-until-success. P is data-dependent: pass it (or the rounds) in.

    **Controlled version** (`is_controlled=True`; `bloq.controlled()`): the controlled
    `PrepareTestKernel` followed by r controlled Grover iterates (whose $A$, $A^\dagger$ are
    uncontrolled: with ctrl = 0 they cancel). Used by the amplified `DiagonalNTK` readout.

    Args:
        prepare: the (uncontrolled) `PrepareTestKernel`.
        rounds: number r of Grover rounds (symbolic allowed).
        is_controlled: add a `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`).
        index, flag, scratch: as for `PrepareTestKernel`.

    References:
        [Quantum Amplitude Amplification and Estimation](https://arxiv.org/abs/quant-ph/0005055).
        Brassard, Høyer, Mosca, Tapp. 2002. Theorems 2-3.
    """

    prepare: PrepareTestKernel
    rounds: SymbolicInt
    is_controlled: bool = False

    def __attrs_post_init__(self):
        if not is_symbolic(self.rounds) and (int(self.rounds) != self.rounds or self.rounds < 0):
            raise ValueError(f"rounds must be a non-negative integer, got {self.rounds!r}")
        if self.prepare.is_controlled:
            raise ValueError("AmplifiedTestKernel needs the uncontrolled PrepareTestKernel")

    @classmethod
    def from_success_probability(cls, prepare: PrepareTestKernel, P: SymbolicFloat):
        """Rounds from P = Σ k_i² (n is taken from the row loader)."""
        n = getattr(prepare.row_loader, "n", 2**prepare.index_bits)
        rounds = amplitude_amplification_rounds(n, P)
        if is_symbolic(rounds):
            rounds = sympy.ceiling(rounds)
        return cls(prepare, rounds)

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        return Signature([*regs, *self.prepare.signature])

    @cached_property
    def iterate(self) -> GroverIterate:
        return GroverIterate(
            self.prepare,
            good_register="flag",
            good_value=0,
            passthrough=(),
            is_controlled=self.is_controlled,
        )

    @cached_property
    def first(self) -> PrepareTestKernel:
        return evolve(self.prepare, is_controlled=self.is_controlled)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.rounds):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        soqs = bb.add_d(self.first, **soqs)
        for _ in range(int(self.rounds)):
            soqs = bb.add_d(self.iterate, **soqs)
        return soqs

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        counts: dict[Bloq, SymbolicInt] = {self.first: 1}
        if is_symbolic(self.rounds) or self.rounds > 0:
            counts[self.iterate] = self.rounds
        return counts

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        return f"{'C' if self.is_controlled else ''}AmplifiedTestKernel(r={self.rounds})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _amplified_test_kernel() -> AmplifiedTestKernel:
    amplified_test_kernel = AmplifiedTestKernel(example_prepare_test_kernel(), rounds=1)
    return amplified_test_kernel


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _amplified_test_kernel_symb() -> AmplifiedTestKernel:
    n, d, ba, m, b, P = sympy.symbols("n d b_a m b P", positive=True)
    amplified_test_kernel_symb = AmplifiedTestKernel.from_success_probability(
        PrepareTestKernel.from_sizes(n, d, ba, m, 1, b), P
    )
    return amplified_test_kernel_symb


_AMPLIFIED_TEST_KERNEL_DOC = BloqDocSpec(
    bloq_cls=AmplifiedTestKernel,
    import_line="from bloqs.ntk.amplified_test_kernel import AmplifiedTestKernel",
    examples=[_amplified_test_kernel, _amplified_test_kernel_symb],
)
