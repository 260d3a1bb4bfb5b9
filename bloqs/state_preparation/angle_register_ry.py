"""Ry rotation of one qubit by an angle held in a register, by bitwise controlled rotations."""

from collections import Counter
from functools import cached_property

import attrs
import numpy as np
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    Register,
    Signature,
    Soquet,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Ry
from qualtran.bloqs.mcmt import And
from qualtran.bloqs.mcmt.specialized_ctrl import (
    AdjointWithSpecializedCtrl,
    SpecializeOnCtrlBit,
)
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicFloat, SymbolicInt, is_symbolic

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled


def _bit_angle(angle_range: SymbolicFloat, angle_bits: SymbolicInt, weight_log2: int) -> float:
    """Half-angle of the rotation attached to the angle bit of weight ``2**weight_log2``."""
    return float(angle_range) * 2.0**weight_log2 / 2.0 ** int(angle_bits) / 2.0


def add_bit_conjugated_ry(
    bb: BloqBuilder, *, bit: Soquet, q: Soquet, ctrl: Soquet | None, angle: float
) -> tuple[Soquet, Soquet, Soquet | None]:
    r"""Add $X^t R_y(\varphi) X^t$ on `q` ($\varphi$ = `angle`), i.e. $R_y((-1)^t \varphi)$.

    $t$ is the angle bit `bit`, or $\mathrm{ctrl} \wedge \mathrm{bit}$ when `ctrl` is given
    (computed by an `And` into a temporary qubit and uncomputed by measurement). This is the
    per-bit step shared by `AngleRegisterRy` and `bloqs.encoding.arccos_rotation.ArccosRotation`.
    Cost: 1 rotation and 2 CNOTs, plus `And` and `And`$^\dagger$ with `ctrl`
    (`bit_conjugation_counts`). Returns the new (bit, q, ctrl) soquets.
    """
    if ctrl is not None:
        (ctrl, bit), t = bb.add(And(), ctrl=[ctrl, bit])
    else:
        t = bit
    t, q = bb.add(CNOT(), ctrl=t, target=q)
    q = bb.add(Ry(angle=angle), q=q)
    t, q = bb.add(CNOT(), ctrl=t, target=q)
    if ctrl is not None:
        ctrl, bit = bb.add(And().adjoint(), ctrl=[ctrl, bit], target=t)
    else:
        bit = t
    return bit, q, ctrl


def bit_conjugation_counts(num_bits: SymbolicInt, is_controlled: bool) -> Counter[Bloq]:
    """Callees of `num_bits` calls of `add_bit_conjugated_ry`, without the rotations."""
    counts: Counter[Bloq] = Counter({CNOT(): 2 * num_bits})
    if is_controlled:
        counts[And()] += num_bits
        counts[And().adjoint()] += num_bits
    return counts


@attrs.frozen
class AngleRegisterRy(Bloq):
    r"""Rotate qubit `q` by $R_y(\theta_k)$, $\theta_k = \Theta k / 2^b$, for $k$ held in `angle`.

    Maps $|k\rangle|\psi\rangle \mapsto |k\rangle R_y(\Theta k/2^b)|\psi\rangle$ where
    $\Theta$ is `angle_range` (e.g. $2\pi$ or $4\pi$) and $b$ = `angle_bits`. This is the rotation
    step of the Kerenidis–Prakash loaders in this package.

    **Construction (bitwise controlled rotations, no phase-gradient register).** With
    $\varphi_j = \Theta 2^j / 2^{b+1}$ the decomposition is one uncontrolled
    $R_y(\sum_j \varphi_j)$ followed, for every angle bit $c_j$, by
    $\mathrm{CNOT}(c_j \to q)\,R_y(-\varphi_j)\,\mathrm{CNOT}(c_j \to q)$. Since
    $X R_y(-\varphi) X = R_y(\varphi)$, bit $c_j$ contributes $\pm\varphi_j$ and the total angle
    is $2\sum_{c_j = 1}\varphi_j = \Theta k/2^b$ exactly. Cost: $b + 1$ single-qubit rotations and
    $2b$ CNOTs, no Toffolis and no ancilla. (The phase-gradient alternative costs $b - 2$
    Toffolis plus a reusable $b$-qubit phase-gradient state; we keep the bitwise form so the
    loaders simulate without a resource register.)

    **Controlled version** (`is_controlled=True`, register `ctrl`): each CNOT is replaced by an
    `And(ctrl, c_j)` into a temporary qubit, two CNOTs from it, and the measurement-based
    `And` uncompute. With `ctrl` = 0 the bit rotations sum to $-\sum_j\varphi_j$ and cancel the
    first rotation: identity. Cost: $b$ `And` (4 T each), $b + 1$ rotations, 1 ancilla.
    `bloq.controlled()` returns this version (hooked in through `get_ctrl_system`).

    Args:
        angle_bits: $b$, width of the angle register.
        angle_range: $\Theta$; the angle register value $k$ means $\Theta k / 2^b$.
        is_controlled: whether a 1-qubit `ctrl` register gates the rotation.

    Registers:
        ctrl: (only if `is_controlled`) control qubit, active on $|1\rangle$.
        angle: $b$-bit angle register $k$ (big-endian), unchanged.
        q: the rotated qubit.

    References:
        [Elementary gates for quantum computation](https://arxiv.org/abs/quant-ph/9503016).
        Barenco et al. 1995. Lemma 5.1 (controlled-$U$ from two CNOTs and single-qubit gates).

        [Trading T-gates for dirty qubits in state preparation and unitary synthesis](
        https://arxiv.org/abs/1812.00954). Low, Kliuchnikov, Schaeffer 2018 (the phase-gradient
        alternative, not used here).
    """

    angle_bits: SymbolicInt
    angle_range: SymbolicFloat = 4 * np.pi
    is_controlled: bool = False

    def __attrs_post_init__(self):
        if not is_symbolic(self.angle_bits) and int(self.angle_bits) < 1:
            raise ValueError(f"angle_bits must be >= 1, got {self.angle_bits}")

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [Register("angle", QAny(self.angle_bits)), Register("q", QBit())]
        return Signature(regs)

    def _half_angles(self) -> list[float]:
        """phi_j for the angle bits in big-endian order (bits[0] is the most significant)."""
        b = int(self.angle_bits)
        return [_bit_angle(self.angle_range, b, b - 1 - idx) for idx in range(b)]

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.angle_bits, self.angle_range):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        phis = self._half_angles()
        q = soqs["q"]
        bits = bb.split(soqs["angle"])
        ctrl = soqs.get("ctrl")
        q = bb.add(Ry(angle=float(sum(phis))), q=q)
        for idx, phi in enumerate(phis):
            bits[idx], q, ctrl = add_bit_conjugated_ry(
                bb, bit=bits[idx], q=q, ctrl=ctrl, angle=-phi
            )
        out = {"angle": bb.join(bits, dtype=QAny(self.angle_bits)), "q": q}
        if self.is_controlled:
            out["ctrl"] = ctrl
        return out

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        b = self.angle_bits
        counts = bit_conjugation_counts(b, self.is_controlled)
        if is_symbolic(b, self.angle_range):
            counts[Ry(angle=ssa.new_symbol("phi"))] += b + 1
        else:
            phis = self._half_angles()
            counts[Ry(angle=float(sum(phis)))] += 1
            for phi in phis:
                counts[Ry(angle=-phi)] += 1
        return counts

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self) -> Bloq:
        return AdjointWithSpecializedCtrl(self, SpecializeOnCtrlBit.ONE)

    def __str__(self):
        return f"{'C' if self.is_controlled else ''}AngleRy({self.angle_bits})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _angle_register_ry() -> AngleRegisterRy:
    angle_register_ry = AngleRegisterRy(angle_bits=3)
    return angle_register_ry


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _angle_register_ry_symb() -> AngleRegisterRy:
    angle_register_ry_symb = AngleRegisterRy(angle_bits=sympy.Symbol("b", positive=True))
    return angle_register_ry_symb


_ANGLE_REGISTER_RY_DOC = BloqDocSpec(
    bloq_cls=AngleRegisterRy,
    examples=(_angle_register_ry, _angle_register_ry_symb),
)
