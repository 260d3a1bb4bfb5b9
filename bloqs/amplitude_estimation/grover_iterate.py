"""Grover iterate Q = -A S_0 A^dagger S_chi of amplitude estimation, with a hand-written controlled
version (only the two reflections take the control)."""

from collections.abc import Sequence
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
from qualtran.bloqs.basic_gates import CZ, XGate, ZGate
from qualtran.bloqs.reflections.prepare_identity import PrepareIdentity
from qualtran.bloqs.reflections.reflection_using_prepare import ReflectionUsingPrepare

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled

if TYPE_CHECKING:
    from qualtran import AddControlledT
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator

CTRL = "ctrl"


def as_tuple(v) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    return tuple(v)


def validate_state_prep(
    state_prep: Bloq, good_register: str, good_value: int, passthrough: Sequence[str], who: str
) -> None:
    """Shared checks of `GroverIterate` and `AmplitudeEstimation` (one-line ValueErrors)."""
    regs = {r.name: r for r in state_prep.signature}
    for reg in state_prep.signature:
        if reg.side != Side.THRU:
            raise ValueError(f"{who}: register {reg.name!r} of state_prep must be THRU")
        if reg.shape != ():
            raise ValueError(f"{who}: register {reg.name!r} of state_prep must not be an array")
    if good_register not in regs:
        raise ValueError(
            f"{who}: good_register {good_register!r} is not a register of {state_prep}"
        )
    if good_register in passthrough:
        raise ValueError(f"{who}: good_register {good_register!r} cannot be a passthrough register")
    if regs[good_register].total_bits() != 1:
        raise ValueError(f"{who}: good_register {good_register!r} must be a single qubit")
    if good_value not in (0, 1):
        raise ValueError(f"{who}: good_value must be 0 or 1, got {good_value!r}")
    if CTRL in regs:
        raise ValueError(f"{who}: state_prep must not have a register named {CTRL!r}")


@attrs.frozen
class GroverIterate(Bloq):
    r"""The amplitude-estimation iterate $Q = -A S_0 A^\dagger S_\chi$ (Brassard et al. 2002).

    For a state preparation $A|0\rangle = \sqrt{p}\,|v, 1\rangle + \sqrt{1-p}\,|g, 0\rangle$
    (good = `good_register` equal to `good_value`), $Q$ acts on span$\{A|0\rangle, S_\chi
    A|0\rangle\}$ as a rotation by $2\theta_p$, $\sin^2\theta_p = p$, with eigenvalues
    $e^{\pm 2i\theta_p}$. Here

    - $S_\chi = I - 2\Pi_{good}$: a Z (or XZX for `good_value` = 0) on the good qubit;
    - $-S_0 = 2|0\rangle\langle 0| - I$ on the registers of $A$ that are **not** passthrough,
      implemented by Qualtran's `ReflectionUsingPrepare(PrepareIdentity(regs), global_phase=-1)`
      (= `reflection_around_zero`, but keeping the registers' types; the minus sign of $Q$ is
      folded into the reflection).

    Passthrough registers (default `index`) are neither reflected nor changed: they act as
    controls, so for $A = \sum_i |i\rangle\langle i| \otimes A_i$ the iterate is
    $\sum_i |i\rangle\langle i| \otimes Q_i$ and amplitude estimation runs for every $i$ of a
    superposition (Theorem III.5, eq. 26). $A$ must leave them unchanged.

    **Controlled version** (`is_controlled=True`, register `ctrl`; returned by
    `GroverIterate(...).controlled()` through `get_ctrl_system`):
    $C\text{-}Q = A\,(C\text{-}(-S_0))\,A^\dagger\,(C\text{-}S_\chi)$ exactly (no global phase left
    over: with ctrl = 0 it is $A A^\dagger = I$). Only the two reflections take the control: a CZ
    instead of a Z, and `ctrl` replaces the |1>-ancilla that the uncontrolled reflection uses as
    the target of its multi-controlled Z. So C-Q has exactly the Toffoli-like, T and rotation
    counts of Q (a few Cliffords differ); $A$ and $A^\dagger$ are never controlled.

    Args:
        state_prep: the algorithm $A$; all registers THRU, starting in |0> except passthrough.
        good_register: the single-qubit register marking good states (default `flag`).
        good_value: the value of `good_register` that is good (0 or 1, default 1).
        passthrough: names of registers of $A$ that are not reflected (missing names are
            ignored, so the default `('index',)` also fits an $A$ without `index`).
        is_controlled: the controlled version (adds a `ctrl` register first).

    Registers:
        ctrl: control qubit (only if `is_controlled`).
        (registers of state_prep): in the order of `state_prep.signature`.

    References:
        [Quantum Amplitude Amplification and Estimation](https://arxiv.org/abs/quant-ph/0005055).
        Brassard, Høyer, Mosca, Tapp (2002). Section 2, $Q = -A S_0 A^{-1} S_\chi$.

        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd (2021). Supplementary Lemma III.2
        and Theorem III.5 (eqs. 25-26).
    """

    state_prep: Bloq
    good_register: str = "flag"
    good_value: int = 1
    passthrough: tuple[str, ...] = attrs.field(default=("index",), converter=as_tuple)
    is_controlled: bool = False

    def __attrs_post_init__(self):
        validate_state_prep(
            self.state_prep, self.good_register, self.good_value, self.passthrough, "GroverIterate"
        )

    @cached_property
    def signature(self) -> Signature:
        regs = [Register(CTRL, QBit())] if self.is_controlled else []
        return Signature([*regs, *self.state_prep.signature])

    @cached_property
    def reflected_registers(self) -> tuple[Register, ...]:
        """Registers of A reflected by S_0 (all but the passthrough ones), in signature order."""
        return tuple(r for r in self.state_prep.signature if r.name not in self.passthrough)

    @cached_property
    def reflection(self) -> ReflectionUsingPrepare:
        """$-S_0 = 2|0\\rangle\\langle 0| - I$ on the reflected registers (controlled if needed)."""
        regs = tuple(Register(f"reg{i}_", r.dtype) for i, r in enumerate(self.reflected_registers))
        return ReflectionUsingPrepare(
            PrepareIdentity(regs), global_phase=-1, control_val=1 if self.is_controlled else None
        )

    def _add_s_chi(self, bb: BloqBuilder, soqs: dict[str, SoquetT]) -> None:
        good = soqs[self.good_register]
        if self.good_value == 0:
            good = bb.add(XGate(), q=good)
        if self.is_controlled:
            soqs[CTRL], good = bb.add(CZ(), q1=soqs[CTRL], q2=good)
        else:
            good = bb.add(ZGate(), q=good)
        if self.good_value == 0:
            good = bb.add(XGate(), q=good)
        soqs[self.good_register] = good

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        self._add_s_chi(bb, soqs)
        a_names = [r.name for r in self.state_prep.signature]
        soqs.update(bb.add_d(self.state_prep.adjoint(), **{n: soqs[n] for n in a_names}))
        refl_in = {f"reg{i}_": soqs[r.name] for i, r in enumerate(self.reflected_registers)}
        if self.is_controlled:
            refl_in["control"] = soqs[CTRL]
        refl_out = bb.add_d(self.reflection, **refl_in)
        if self.is_controlled:
            soqs[CTRL] = refl_out.pop("control")
        for i, r in enumerate(self.reflected_registers):
            soqs[r.name] = refl_out[f"reg{i}_"]
        soqs.update(bb.add_d(self.state_prep, **{n: soqs[n] for n in a_names}))
        return soqs

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        counts: dict[Bloq, int] = {
            self.state_prep: 1,
            self.state_prep.adjoint(): 1,
            self.reflection: 1,
        }
        counts[CZ() if self.is_controlled else ZGate()] = 1
        if self.good_value == 0:
            counts[XGate()] = 2
        return counts

    def get_ctrl_system(self, ctrl_spec: CtrlSpec) -> tuple[Bloq, "AddControlledT"]:
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self):
        return f"{'C-' if self.is_controlled else ''}GroverIterate"


@bloq_example
def _grover_iterate() -> GroverIterate:
    from bloqs.inner_product._example_preps import loader_example_preps
    from bloqs.inner_product.hadamard_test import HadamardTestOverlap

    prep_a, prep_b = loader_example_preps(n=2, d=2)
    grover_iterate = GroverIterate(HadamardTestOverlap(prep_a, prep_b))
    return grover_iterate


@bloq_example
def _grover_iterate_symb() -> GroverIterate:
    from bloqs.inner_product._example_preps import loader_symbolic_preps
    from bloqs.inner_product.hadamard_test import HadamardTestOverlap

    prep_a, prep_b = loader_symbolic_preps()
    grover_iterate_symb = GroverIterate(HadamardTestOverlap(prep_a, prep_b), is_controlled=True)
    return grover_iterate_symb


_GROVER_ITERATE_DOC = BloqDocSpec(
    bloq_cls=GroverIterate,
    import_line="from bloqs.amplitude_estimation.grover_iterate import GroverIterate",
    examples=(_grover_iterate, _grover_iterate_symb),
)
