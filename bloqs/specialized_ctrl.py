"""`get_ctrl_system` for the bloqs of this package that have a hand-written controlled version.

Such a bloq has an attrs field `is_controlled: bool` that adds a 1-qubit register `ctrl` (active on
$|1\rangle$). `ctrl_system_from_is_controlled` hooks that version into Qualtran through
`qualtran.bloqs.mcmt.specialized_ctrl.get_ctrl_system_1bit_cv_from_bloqs`, so that
`bloq.controlled()` (single control, `CtrlSpec()`) returns `attrs.evolve(bloq,
is_controlled=True)`; multi-qubit controls are reduced to one qubit first, other specs fall back
to Qualtran's generic `Controlled`. Use it as

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)
"""

import attrs
from qualtran import Bloq, CtrlSpec
from qualtran.bloqs.mcmt.specialized_ctrl import get_ctrl_system_1bit_cv_from_bloqs

CTRL_REGISTER = "ctrl"


def ctrl_system_from_is_controlled(bloq: Bloq, ctrl_spec: CtrlSpec):
    """The control system of `bloq`, whose controlled version is `is_controlled=True` (`ctrl`)."""
    return get_ctrl_system_1bit_cv_from_bloqs(
        bloq,
        ctrl_spec,
        current_ctrl_bit=1 if bloq.is_controlled else None,
        bloq_with_ctrl=attrs.evolve(bloq, is_controlled=True),
        ctrl_reg_name=CTRL_REGISTER,
    )


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
