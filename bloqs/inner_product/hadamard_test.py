"""Hadamard-test overlap of two real state preparations (Theorem III.5, eqs. 24-25)."""

from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING

import attrs
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    QBit,
    Register,
    Side,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Hadamard, XGate

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

TARGET = "target"
FLAG = "flag"


def controlled_with_reg(bloq: Bloq) -> tuple[Bloq, str]:
    """`bloq.controlled()` (control on |1>) and the name of its new control register.

    Goes through `Bloq.controlled`, so bloqs that hook a hand-written controlled version into
    `get_ctrl_system` (the data loaders, `GroverIterate`, ...) get it here.
    """
    cbloq = bloq.controlled()
    names = {r.name for r in bloq.signature}
    new = [r for r in cbloq.signature if r.name not in names]
    if len(new) != 1 or new[0].total_bits() != 1:
        raise ValueError(f"{bloq}.controlled() must add exactly one 1-qubit control register")
    return cbloq, new[0].name


def check_thru(bloq: Bloq, what: str) -> None:
    """Raise ValueError unless every register of `bloq` is a THRU register."""
    for reg in bloq.signature:
        if reg.side != Side.THRU:
            raise ValueError(f"{what}: register {reg.name!r} of {bloq} must be THRU (in and out)")


@attrs.frozen
class HadamardTestOverlap(Bloq):
    r"""Hadamard test of two real states: `flag` is 1 with probability $(1 - \langle a|b\rangle)/2$.

    Implements the inner-product step of Theorem III.5 (eqs. 24-25) of Zlokapa, Neven & Lloyd:
    starting from $|0\rangle_{flag}|0\rangle_{target}$ (and any value $|i\rangle$ of the
    registers that only `prep_a` has, e.g. the row `index`),

    1. `flag` $\to$ H;
    2. `prep_a` controlled on `flag` = 0 (an X-conjugated control-on-1 version);
    3. `prep_b` controlled on `flag` = 1;
    4. `flag` $\to$ H,

    giving $\tfrac12|i\rangle\big(|0\rangle(|a_i\rangle + |b\rangle) + |1\rangle(|a_i\rangle -
    |b\rangle)\big)$. For real $|a_i\rangle, |b\rangle$ the flag is 1 with probability
    $p_i = (1 - \langle a_i|b\rangle)/2$, which keeps the sign of the overlap
    $\rho_i = \langle a_i|b\rangle$ (for complex states: $(1 - \mathrm{Re}\langle a_i|b\rangle)/2$).
    Written as $|i\rangle(\sqrt{p_i}|v_i, 1\rangle + \sqrt{1-p_i}|g_i, 0\rangle)$ this is the
    algorithm $A$ of eq. 25 that amplitude estimation runs on.

    The controlled preparations are obtained with `prep.controlled()` (control on |1>), so any
    hand-written controlled version hooked into `get_ctrl_system` is used; the control-on-0 of
    `prep_a` is X·C-prep_a·X (two Cliffords), which works for every bloq whose control-on-1
    version works.

    Args:
        prep_a: preparation of $|a_i\rangle$ on `target`; may have further registers (e.g.
            `index`) that it only reads. In Algorithm 1: the row loader $|i\rangle|0\rangle \to
            |i\rangle|x_i\rangle$.
        prep_b: preparation of $|b\rangle$ on `target`; its registers must be a subset of
            `prep_a`'s with the same types (shared registers are passed to both). In Algorithm 1:
            the test-point loader $|0\rangle \to |x^*\rangle$.

    Registers:
        (registers of prep_a): in the order of `prep_a.signature`; `target` starts in |0>, the
            others (e.g. `index`) pass through.
        flag: the test qubit (starts in |0>).

    References:
        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd (2021). Supplementary Theorem
        III.5, eqs. 24-25.

        [q-means: A quantum algorithm for unsupervised machine learning](
        https://arxiv.org/abs/1812.03584). Kerenidis, Landman, Luongo, Prakash (2019). Lemma 4.1
        (inner-product estimation by a controlled preparation and a Hadamard test).
    """

    prep_a: Bloq
    prep_b: Bloq

    def __attrs_post_init__(self):
        check_thru(self.prep_a, "HadamardTestOverlap")
        check_thru(self.prep_b, "HadamardTestOverlap")
        regs_a = {r.name: r for r in self.prep_a.signature}
        regs_b = {r.name: r for r in self.prep_b.signature}
        for name, regs in (("prep_a", regs_a), ("prep_b", regs_b)):
            if TARGET not in regs:
                raise ValueError(f"HadamardTestOverlap: {name} has no {TARGET!r} register")
            if FLAG in regs:
                raise ValueError(f"HadamardTestOverlap: {name} already has a {FLAG!r} register")
        for name, reg in regs_b.items():
            if name not in regs_a:
                raise ValueError(
                    f"HadamardTestOverlap: prep_b register {name!r} is missing from prep_a"
                )
            ra = regs_a[name]
            if ra.total_bits() != reg.total_bits() or ra.shape != reg.shape:
                raise ValueError(
                    f"HadamardTestOverlap: register {name!r} has {ra.total_bits()} qubits in "
                    f"prep_a but {reg.total_bits()} in prep_b"
                )

    @cached_property
    def signature(self) -> Signature:
        return Signature([*self.prep_a.signature, Register(FLAG, QBit())])

    @cached_property
    def target_bitsize(self):
        return self.prep_a.signature.get_left(TARGET).total_bits()

    @cached_property
    def _ctrl_a(self) -> tuple[Bloq, str]:
        return controlled_with_reg(self.prep_a)

    @cached_property
    def _ctrl_b(self) -> tuple[Bloq, str]:
        return controlled_with_reg(self.prep_b)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        flag = bb.add(Hadamard(), q=soqs.pop(FLAG))
        flag = bb.add(XGate(), q=flag)
        ca, ca_name = self._ctrl_a
        out = bb.add_d(ca, **{ca_name: flag}, **soqs)
        flag = bb.add(XGate(), q=out.pop(ca_name))
        cb, cb_name = self._ctrl_b
        b_names = [r.name for r in self.prep_b.signature]
        out_b = bb.add_d(cb, **{cb_name: flag}, **{n: out[n] for n in b_names})
        flag = bb.add(Hadamard(), q=out_b.pop(cb_name))
        out.update(out_b)
        return {**out, FLAG: flag}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        counts: Counter = Counter({Hadamard(): 2, XGate(): 2})
        counts[self._ctrl_a[0]] += 1
        counts[self._ctrl_b[0]] += 1
        return dict(counts)

    def __str__(self):
        return "HadamardTestOverlap"


@bloq_example
def _hadamard_test_overlap() -> HadamardTestOverlap:
    from bloqs.inner_product._example_preps import loader_example_preps

    prep_a, prep_b = loader_example_preps(n=2, d=2)
    hadamard_test_overlap = HadamardTestOverlap(prep_a, prep_b)
    return hadamard_test_overlap


@bloq_example
def _hadamard_test_overlap_symb() -> HadamardTestOverlap:
    from bloqs.inner_product._example_preps import loader_symbolic_preps

    prep_a, prep_b = loader_symbolic_preps()
    hadamard_test_overlap_symb = HadamardTestOverlap(prep_a, prep_b)
    return hadamard_test_overlap_symb


_HADAMARD_TEST_OVERLAP_DOC = BloqDocSpec(
    bloq_cls=HadamardTestOverlap,
    import_line="from bloqs.inner_product.hadamard_test import HadamardTestOverlap",
    examples=(_hadamard_test_overlap, _hadamard_test_overlap_symb),
)
