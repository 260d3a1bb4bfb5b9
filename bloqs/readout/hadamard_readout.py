"""Hadamard-test readout of Re<s|y> for two controlled preparations (Lemma III.7)."""

from functools import cached_property
from typing import TYPE_CHECKING

import attrs
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    QBit,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)

from bloqs.inner_product.hadamard_test import (
    add_hadamard_test,
    check_shared_registers,
    check_thru,
    controlled_with_reg,
    hadamard_test_counts,
)

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

ANCILLA = "ancilla"


@attrs.frozen
class HadamardTestReadout(Bloq):
    r"""Sign readout: `ancilla` is 0 with probability $(1 + \mathrm{Re}\langle s|y\rangle)/2$.

    The inner-product estimation of Lemma III.7 (Zlokapa, Neven & Lloyd): from
    $|0\rangle_{ancilla}|0\rangle$,

    1. `ancilla` $\to$ H;
    2. `prep_s` controlled on `ancilla` = 0 (X · C-prep_s · X);
    3. `prep_y` controlled on `ancilla` = 1;
    4. `ancilla` $\to$ H,

    gives $\tfrac12\big(|0\rangle(|s\rangle + |y\rangle) + |1\rangle(|s\rangle - |y\rangle)\big)$:
    `ancilla` = 0 with probability $p = (1 + \mathrm{Re}\langle s|y\rangle)/2$, so the sign of
    $\langle s|y\rangle$ (the NTK prediction) is the sign of $p - 1/2$; $m$ shots estimate
    $\langle s|y\rangle = 2p - 1$ with standard deviation $\sqrt{(1 - \langle s|y\rangle^2)/m}
    \le 1/\sqrt m$.

    $|s\rangle$ and $|y\rangle$ are the full output states of the two preparations on the same
    registers. In Algorithm 1, `prep_s` = `PrepareTestKernel` (registers `index`, `flag`; the
    flag-0 branch carries $\sum_i k_i|i\rangle$, so $\langle s|y\rangle$ picks that branch only)
    and `prep_y` = the label-state loader $|0\rangle \to \sum_i y_i|i\rangle/\sqrt n$, which has
    no `flag`: wrap it as `WithIdleRegisters(label_loader, (Register('flag', QBit()),))`
    (`bloqs.readout.idle_registers`) so it prepares $|y\rangle|0\rangle_{flag}$.

    The controlled preparations come from `prep.controlled()` (control on |1>), so hand-written
    controlled versions hooked into `get_ctrl_system` are used.

    Args:
        prep_s: preparation of $|s\rangle$ (all registers THRU, starting in |0>).
        prep_y: preparation of $|y\rangle$ with the same registers (names and sizes).

    Registers:
        (registers of prep_s): in the order of `prep_s.signature`.
        ancilla: the readout qubit (starts in |0>; measure it).

    References:
        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd (2021). Supplementary Lemma III.7.
    """

    prep_s: Bloq
    prep_y: Bloq

    def __attrs_post_init__(self):
        check_thru(self.prep_s, "HadamardTestReadout")
        check_thru(self.prep_y, "HadamardTestReadout")
        regs_s = {r.name: r for r in self.prep_s.signature}
        regs_y = {r.name: r for r in self.prep_y.signature}
        if set(regs_s) != set(regs_y):
            raise ValueError(
                "HadamardTestReadout: prep_s and prep_y must have the same registers, got "
                f"{sorted(regs_s)} and {sorted(regs_y)} (wrap the smaller one in "
                "WithIdleRegisters)"
            )
        check_shared_registers(
            self.prep_s, self.prep_y, "HadamardTestReadout", ("prep_s", "prep_y")
        )
        if ANCILLA in regs_s:
            raise ValueError(f"HadamardTestReadout: the preparations already use {ANCILLA!r}")

    @cached_property
    def signature(self) -> Signature:
        return Signature([*self.prep_s.signature, Register(ANCILLA, QBit())])

    @cached_property
    def _ctrl_s(self) -> tuple[Bloq, str]:
        return controlled_with_reg(self.prep_s)

    @cached_property
    def _ctrl_y(self) -> tuple[Bloq, str]:
        return controlled_with_reg(self.prep_y)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        # the circuit of HadamardTestOverlap, with the test qubit named `ancilla`
        anc = soqs.pop(ANCILLA)
        soqs, anc = add_hadamard_test(bb, anc, self._ctrl_s, self._ctrl_y, soqs)
        return {**soqs, ANCILLA: anc}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return hadamard_test_counts(self._ctrl_s, self._ctrl_y)

    def __str__(self):
        return "HadamardTestReadout"


@bloq_example
def _hadamard_test_readout() -> HadamardTestReadout:
    from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

    prep_s = VectorAmplitudeLoader.from_vector([0.5, -0.5, 0.5, 0.5], amplitude_bits=3)
    prep_y = VectorAmplitudeLoader.from_vector([0.5, 0.5, 0.5, 0.5], amplitude_bits=3)
    hadamard_test_readout = HadamardTestReadout(prep_s, prep_y)
    return hadamard_test_readout


@bloq_example
def _hadamard_test_readout_symb() -> HadamardTestReadout:
    from bloqs.inner_product._example_preps import loader_symbolic_preps

    _, prep = loader_symbolic_preps()
    hadamard_test_readout_symb = HadamardTestReadout(prep, prep)
    return hadamard_test_readout_symb


_HADAMARD_TEST_READOUT_DOC = BloqDocSpec(
    bloq_cls=HadamardTestReadout,
    import_line="from bloqs.readout.hadamard_readout import HadamardTestReadout",
    examples=(_hadamard_test_readout, _hadamard_test_readout_symb),
)
