"""Swap test of two state preparations: flag is 1 with probability (1 - |<a|b>|^2)/2."""

from functools import cached_property
from typing import TYPE_CHECKING

import attrs
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QBit,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Hadamard, TwoBitCSwap
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import is_symbolic

from bloqs.inner_product.hadamard_test import FLAG, TARGET, check_shared_registers, check_thru

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

TARGET_B = "target_b"


@attrs.frozen
class SwapTest(Bloq):
    r"""Swap test: `flag` is 1 with probability $(1 - |\langle a|b\rangle|^2)/2$.

    Prepares $|a_i\rangle$ on `target` with `prep_a` and $|b\rangle$ on a second register
    `target_b` with `prep_b`, then H on `flag`, a controlled swap of `target` and `target_b`
    (one Toffoli-like `TwoBitCSwap` per qubit) and H on `flag`:
    $\Pr[\text{flag} = 1] = (1 - |\langle a_i|b\rangle|^2)/2$. Unlike `HadamardTestOverlap` it
    needs no controlled preparations, but it loses the sign of the overlap, which the NTK of
    Algorithm 1 needs (Theorem III.5 uses the Hadamard-test form); it is here for users who only
    need $|\langle a|b\rangle|$. The output registers hold an entangled state (no uncomputation of
    the two preparations).

    Args:
        prep_a: preparation of $|a_i\rangle$ on `target`; registers other than `target` (e.g.
            `index`) are only read (controls).
        prep_b: preparation of $|b\rangle$ on its own `target` (renamed `target_b` here); its
            other registers must also be registers of `prep_a` and are shared (read by both).

    Registers:
        (registers of prep_a): in the order of `prep_a.signature` (`target` starts in |0>).
        target_b: the second copy register (starts in |0>).
        flag: the test qubit (starts in |0>).

    References:
        [Quantum fingerprinting](https://arxiv.org/abs/quant-ph/0102001). Buhrman, Cleve,
        Watrous, de Wolf (2001). The swap test.

        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd (2021). Supplementary Theorem
        III.5 (the inner-product step; the sign-keeping form is `HadamardTestOverlap`).
    """

    prep_a: Bloq
    prep_b: Bloq

    def __attrs_post_init__(self):
        check_thru(self.prep_a, "SwapTest")
        check_thru(self.prep_b, "SwapTest")
        regs_a = {r.name: r for r in self.prep_a.signature}
        regs_b = {r.name: r for r in self.prep_b.signature}
        for name, regs in (("prep_a", regs_a), ("prep_b", regs_b)):
            if TARGET not in regs:
                raise ValueError(f"SwapTest: {name} has no {TARGET!r} register")
            for bad in (FLAG, TARGET_B):
                if bad in regs:
                    raise ValueError(f"SwapTest: {name} already has a {bad!r} register")
        check_shared_registers(self.prep_a, self.prep_b, "SwapTest")

    @cached_property
    def target_bitsize(self):
        return self.prep_a.signature.get_left(TARGET).total_bits()

    @cached_property
    def signature(self) -> Signature:
        tb = self.prep_b.signature.get_left(TARGET)
        return Signature(
            [*self.prep_a.signature, Register(TARGET_B, tb.dtype), Register(FLAG, QBit())]
        )

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.target_bitsize):
            raise DecomposeTypeError(f"{self} has a symbolic target size")
        a_names = [r.name for r in self.prep_a.signature]
        out = bb.add_d(self.prep_a, **{n: soqs[n] for n in a_names})
        b_in = {r.name: out[r.name] for r in self.prep_b.signature if r.name != TARGET}
        b_out = bb.add_d(self.prep_b, **b_in, **{TARGET: soqs[TARGET_B]})
        target_b = b_out.pop(TARGET)
        out.update(b_out)
        flag = bb.add(Hadamard(), q=soqs[FLAG])
        xs, ys = bb.split(out[TARGET]), bb.split(target_b)
        for k in range(int(self.target_bitsize)):
            flag, xs[k], ys[k] = bb.add(TwoBitCSwap(), ctrl=flag, x=xs[k], y=ys[k])
        out[TARGET] = bb.join(xs, dtype=self.prep_a.signature.get_left(TARGET).dtype)
        target_b = bb.join(ys, dtype=self.prep_b.signature.get_left(TARGET).dtype)
        flag = bb.add(Hadamard(), q=flag)
        return {**out, TARGET_B: target_b, FLAG: flag}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        counts: dict[Bloq, int] = {Hadamard(): 2, TwoBitCSwap(): self.target_bitsize}
        counts[self.prep_a] = counts.get(self.prep_a, 0) + 1
        counts[self.prep_b] = counts.get(self.prep_b, 0) + 1
        return counts

    def __str__(self):
        return "SwapTest"


@bloq_example(generalizer=ignore_split_join)
def _swap_test() -> SwapTest:
    from bloqs.inner_product._example_preps import loader_example_preps

    prep_a, prep_b = loader_example_preps(n=2, d=2)
    swap_test = SwapTest(prep_a, prep_b)
    return swap_test


@bloq_example
def _swap_test_symb() -> SwapTest:
    from bloqs.inner_product._example_preps import loader_symbolic_preps

    prep_a, prep_b = loader_symbolic_preps()
    swap_test_symb = SwapTest(prep_a, prep_b)
    return swap_test_symb


_SWAP_TEST_DOC = BloqDocSpec(
    bloq_cls=SwapTest,
    import_line="from bloqs.inner_product.swap_test import SwapTest",
    examples=(_swap_test, _swap_test_symb),
)
