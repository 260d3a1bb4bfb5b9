"""Wrap a bloq with extra registers it leaves untouched (to give two preparations one signature)."""

from functools import cached_property
from typing import TYPE_CHECKING

import attrs
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    QBit,
    Register,
    Side,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.mcmt.specialized_ctrl import get_ctrl_system_1bit_cv_from_bloqs

from bloqs.specialized_ctrl import controlled_with_reg

if TYPE_CHECKING:
    from qualtran import AddControlledT
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator


def _as_regs(v) -> tuple[Register, ...]:
    return (v,) if isinstance(v, Register) else tuple(v)


@attrs.frozen
class WithIdleRegisters(Bloq):
    r"""`bloq` on its own registers, plus `idle` registers that pass through unchanged.

    Used to give two state preparations the same signature, e.g. for the sign readout the
    label-state loader $|0\rangle \to |y\rangle$ (register `index`) next to `PrepareTestKernel`
    (registers `index`, `flag`): `WithIdleRegisters(label_loader, (Register('flag', QBit()),))`
    prepares $|y\rangle|0\rangle_{flag}$, the state the readout compares with.

    Costs exactly what `bloq` costs. Its controlled version wraps `bloq.controlled()` (so a
    hand-written controlled version of `bloq` is used; the idle registers stay uncontrolled),
    and its adjoint wraps `bloq.adjoint()`.

    Args:
        bloq: the wrapped bloq (all registers THRU).
        idle: the extra registers (THRU, names not in `bloq`).

    Registers:
        (registers of bloq): unchanged order.
        (idle registers): after them, untouched.

    References:
        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd (2021). Supplementary Lemma III.7
        (the readout compares $|s\rangle$ and $|y\rangle$ on the same registers).
    """

    bloq: Bloq
    idle: tuple[Register, ...] = attrs.field(converter=_as_regs)

    def __attrs_post_init__(self):
        names = {r.name for r in self.bloq.signature}
        for reg in (*self.bloq.signature, *self.idle):
            if reg.side != Side.THRU:
                raise ValueError(f"WithIdleRegisters: register {reg.name!r} must be THRU")
        for reg in self.idle:
            if reg.name in names:
                raise ValueError(f"WithIdleRegisters: {reg.name!r} is already a register of bloq")
        if len({r.name for r in self.idle}) != len(self.idle):
            raise ValueError("WithIdleRegisters: idle register names must be distinct")

    @cached_property
    def signature(self) -> Signature:
        return Signature([*self.bloq.signature, *self.idle])

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        inner = {r.name: soqs.pop(r.name) for r in self.bloq.signature}
        soqs.update(bb.add_d(self.bloq, **inner))
        return soqs

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return {self.bloq: 1}

    def adjoint(self) -> "WithIdleRegisters":
        return WithIdleRegisters(self.bloq.adjoint(), self.idle)

    def get_ctrl_system(self, ctrl_spec: CtrlSpec) -> tuple[Bloq, "AddControlledT"]:
        cbloq, name = controlled_with_reg(self.bloq)
        return get_ctrl_system_1bit_cv_from_bloqs(
            self,
            ctrl_spec,
            current_ctrl_bit=None,
            bloq_with_ctrl=WithIdleRegisters(cbloq, self.idle),
            ctrl_reg_name=name,
        )

    def __str__(self):
        return f"{self.bloq}+idle"


@bloq_example
def _with_idle_registers() -> WithIdleRegisters:
    from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

    with_idle_registers = WithIdleRegisters(
        VectorAmplitudeLoader.from_vector([0.6, -0.8], amplitude_bits=3),
        (Register("flag", QBit()),),
    )
    return with_idle_registers


@bloq_example
def _with_idle_registers_symb() -> WithIdleRegisters:
    from bloqs.inner_product._example_preps import loader_symbolic_preps

    _, prep = loader_symbolic_preps()
    with_idle_registers_symb = WithIdleRegisters(prep, (Register("flag", QBit()),))
    return with_idle_registers_symb


_WITH_IDLE_REGISTERS_DOC = BloqDocSpec(
    bloq_cls=WithIdleRegisters,
    import_line="from bloqs.readout.idle_registers import WithIdleRegisters",
    examples=(_with_idle_registers, _with_idle_registers_symb),
)
