"""Expose a bloq's registers under other names (so two row loaders with `index` can coexist)."""

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import attrs
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
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


def as_pairs(renames) -> tuple[tuple[str, str], ...]:
    items = renames.items() if isinstance(renames, Mapping) else renames
    pairs = tuple((str(old), str(new)) for old, new in items)
    return tuple(sorted(pairs))


@attrs.frozen
class RenamedRegisters(Bloq):
    r"""`bloq` with some of its registers exposed under new names; the action is unchanged.

    Two preparations that share a register name (e.g. two `RowAmplitudeLoader`s, both with
    `index`) load *different* rows only if their index registers are different wires:
    `RenamedRegisters(row_loader, {'index': 'j'})` is $|j\rangle|0\rangle \to
    |j\rangle|x_j\rangle$ on registers `j`, `target`. Used by `KernelEntry` to compare $x_j$ with
    $x_k$.

    Costs exactly what `bloq` costs (one call). Controlled version: wraps `bloq.controlled()`
    (so a hand-written controlled loader is used), with the same renames; adjoint: wraps
    `bloq.adjoint()`.

    Args:
        bloq: the wrapped bloq (all registers THRU).
        renames: {old name: new name} for some registers of `bloq` (a mapping or pairs); the
            new names must not clash with each other or with the registers kept.

    Registers:
        (registers of bloq): in `bloq`'s order, renamed where `renames` says so.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Supplementary Section III (the NTK entries $k(x_j \cdot x_k)$ compare two loaded rows).
    """

    bloq: Bloq
    renames: tuple[tuple[str, str], ...] = attrs.field(converter=as_pairs)

    def __attrs_post_init__(self):
        names = [r.name for r in self.bloq.signature]
        for reg in self.bloq.signature:
            if reg.side != Side.THRU:
                raise ValueError(f"RenamedRegisters: register {reg.name!r} must be THRU")
        for old, _ in self.renames:
            if old not in names:
                raise ValueError(f"RenamedRegisters: {self.bloq} has no register {old!r}")
        new_names = [self.mapping.get(n, n) for n in names]
        if len(set(new_names)) != len(new_names):
            raise ValueError(f"RenamedRegisters: renames {dict(self.renames)} clash: {new_names}")

    @cached_property
    def mapping(self) -> dict[str, str]:
        """{old name: new name}."""
        return dict(self.renames)

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [attrs.evolve(r, name=self.mapping.get(r.name, r.name)) for r in self.bloq.signature]
        )

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        new_of = {r.name: self.mapping.get(r.name, r.name) for r in self.bloq.signature}
        out = bb.add_d(self.bloq, **{old: soqs[new] for old, new in new_of.items()})
        return {new_of[old]: soq for old, soq in out.items()}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        return {self.bloq: 1}

    def adjoint(self) -> "RenamedRegisters":
        return RenamedRegisters(self.bloq.adjoint(), self.renames)

    def get_ctrl_system(self, ctrl_spec: CtrlSpec) -> tuple[Bloq, "AddControlledT"]:
        cbloq, name = controlled_with_reg(self.bloq)
        if name in self.mapping.values():
            raise ValueError(f"RenamedRegisters: new name {name!r} clashes with the control")
        return get_ctrl_system_1bit_cv_from_bloqs(
            self,
            ctrl_spec,
            current_ctrl_bit=None,
            bloq_with_ctrl=RenamedRegisters(cbloq, self.renames),
            ctrl_reg_name=name,
        )

    def __str__(self):
        return f"{self.bloq}[{','.join(f'{o}->{n}' for o, n in self.renames)}]"


@bloq_example
def _renamed_registers() -> RenamedRegisters:
    from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader

    loader = RowAmplitudeLoader.from_matrix([[1.0, 0.0], [0.6, 0.8]], amplitude_bits=3)
    renamed_registers = RenamedRegisters(loader, {"index": "j"})
    return renamed_registers


@bloq_example
def _renamed_registers_symb() -> RenamedRegisters:
    import sympy

    from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader

    n, d, b = sympy.symbols("n d b", positive=True, integer=True)
    loader = RowAmplitudeLoader.from_sizes(n, d, b)
    renamed_registers_symb = RenamedRegisters(loader, {"index": "k"})
    return renamed_registers_symb


_RENAMED_REGISTERS_DOC = BloqDocSpec(
    bloq_cls=RenamedRegisters,
    import_line="from bloqs.ntk.renamed_registers import RenamedRegisters",
    examples=(_renamed_registers, _renamed_registers_symb),
)
