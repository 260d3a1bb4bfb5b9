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
    Soquet,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Hadamard, XGate

from bloqs.specialized_ctrl import controlled_with_reg

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

TARGET = "target"
FLAG = "flag"


def check_thru(bloq: Bloq, what: str) -> None:
    """Raise ValueError unless every register of `bloq` is a THRU register."""
    for reg in bloq.signature:
        if reg.side != Side.THRU:
            raise ValueError(f"{what}: register {reg.name!r} of {bloq} must be THRU (in and out)")


def check_shared_registers(
    prep_a: Bloq, prep_b: Bloq, what: str, names: tuple[str, str] = ("prep_a", "prep_b")
) -> None:
    """Raise ValueError unless every register of `prep_b` is a register of `prep_a` of equal size.

    `names` are the argument names used in the error messages.
    """
    regs_a = {r.name: r for r in prep_a.signature}
    for reg in prep_b.signature:
        ra = regs_a.get(reg.name)
        if ra is None:
            raise ValueError(f"{what}: {names[1]} register {reg.name!r} is missing from {names[0]}")
        if ra.total_bits() != reg.total_bits() or ra.shape != reg.shape:
            raise ValueError(
                f"{what}: register {reg.name!r} has {ra.total_bits()} qubits in {names[0]} but "
                f"{reg.total_bits()} in {names[1]}"
            )


def add_hadamard_test(
    bb: BloqBuilder,
    qubit: Soquet,
    ctrl_a: tuple[Bloq, str],
    ctrl_b: tuple[Bloq, str],
    soqs: dict[str, SoquetT],
) -> tuple[dict[str, SoquetT], Soquet]:
    r"""Add H; `prep_a` controlled on `qubit` = 0; `prep_b` controlled on `qubit` = 1; H.

    `ctrl_a`, `ctrl_b` are `controlled_with_reg(prep_a)`, `controlled_with_reg(prep_b)`; the
    control on 0 is X·C-prep_a·X. `soqs` holds the registers of `prep_a`; `prep_b` acts on those
    of its own registers. From $|0\rangle$ on `qubit` this gives
    $\tfrac12\big(|0\rangle(|a\rangle + |b\rangle) + |1\rangle(|a\rangle - |b\rangle)\big)$.
    Shared by `HadamardTestOverlap` and `bloqs.readout.hadamard_readout.HadamardTestReadout`;
    callees in `hadamard_test_counts`. Returns (registers of `prep_a`, `qubit`).
    """
    qubit = bb.add(Hadamard(), q=qubit)
    qubit = bb.add(XGate(), q=qubit)
    ca, ca_name = ctrl_a
    out = bb.add_d(ca, **{ca_name: qubit}, **soqs)
    qubit = bb.add(XGate(), q=out.pop(ca_name))
    cb, cb_name = ctrl_b
    b_names = [r.name for r in cb.signature if r.name != cb_name]
    out_b = bb.add_d(cb, **{cb_name: qubit}, **{n: out[n] for n in b_names})
    qubit = bb.add(Hadamard(), q=out_b.pop(cb_name))
    out.update(out_b)
    return out, qubit


def hadamard_test_counts(ctrl_a: tuple[Bloq, str], ctrl_b: tuple[Bloq, str]) -> dict[Bloq, int]:
    """Callees of `add_hadamard_test`: 2 H, 2 X and the two controlled preparations."""
    counts: Counter = Counter({Hadamard(): 2, XGate(): 2})
    counts[ctrl_a[0]] += 1
    counts[ctrl_b[0]] += 1
    return dict(counts)


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
        check_shared_registers(self.prep_a, self.prep_b, "HadamardTestOverlap")

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
        flag = soqs.pop(FLAG)
        out, flag = add_hadamard_test(bb, flag, self._ctrl_a, self._ctrl_b, soqs)
        return {**out, FLAG: flag}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return hadamard_test_counts(self._ctrl_a, self._ctrl_b)

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
