"""Rotate a flag qubit by the angle held in a register (Lemma III.4, amplitude encoding)."""

import math
from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QBit,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Ry
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled
from bloqs.state_preparation.angle_register_ry import add_bit_conjugated_ry, bit_conjugation_counts


def _positive_bits(value: SymbolicInt) -> SymbolicInt:
    if is_symbolic(value):
        return value
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"kernel_bits must be a positive integer, got {value!r}")
    return int(value)


def angle_integer(k: float | np.ndarray, kernel_bits: int) -> np.ndarray:
    """The integer a in [0, 2^b) whose angle θ = π·a/2^b has cos θ closest to k (round in angle).

    a = round(arccos(k)/π · 2^b), clipped to 2^b − 1 (θ = π, i.e. k = −1, is not representable:
    the nearest representable value is cos(π(1 − 2^−b))). This is the encoding ArccosRotation
    expects; `qntk_compile.kernel.table` builds its tables the same way.
    """
    k = np.asarray(k, dtype=float)
    if not np.all(np.isfinite(k)) or np.any(np.abs(k) > 1):
        raise ValueError("kernel values must be finite and in [-1, 1]")
    a = np.rint(np.arccos(k) / np.pi * 2**kernel_bits).astype(int)
    return np.minimum(a, 2**kernel_bits - 1)


@frozen
class ArccosRotation(Bloq):
    r"""Rotate `flag` so that its $|0\rangle$ amplitude is $\cos(\pi a / 2^b)$, $a$ in `angle`.

    $$ |a\rangle|0\rangle \mapsto |a\rangle\left(\cos\theta_a|0\rangle + \sin\theta_a|1\rangle
       \right), \qquad \theta_a = \pi a / 2^b, \quad a \in [0, 2^b). $$

    This is the amplitude encoding of Lemma III.4: a register holding
    $a = \mathrm{round}(\arccos(k)/\pi \cdot 2^b)$ gives amplitude $k$ on $|0\rangle$, **signs
    included**, because $\theta \in [0, \pi)$ covers $\cos\theta \in (-1, 1]$ (the arccos of a
    negative $k$ is larger than $\pi/2$). This folds the paper's "additional rotation controlled on
    the sign of $k_i$" into the angle: one rotation register, no sign bit. Precision: the amplitude
    is within $\pi/2^{b+1}$ of $k$ (half an angle step; $\cos$ is 1-Lipschitz). $k = -1$ is not
    representable; the table clips it to $a = 2^b - 1$.

    Decomposition (bitwise controlled-$R_y$): $R_y(\phi)$ with $\phi = 2\theta$ is a product of
    $R_y(2\pi 2^j / 2^b)$ over the set bits $j$ of $a$. Each controlled $R_y(\phi_j)$ is
    $R_y(\phi_j/2)\,\mathrm{CNOT}\,R_y(-\phi_j/2)\,\mathrm{CNOT}$ (the CNOT from bit $j$ to `flag`
    flips the sign of the second rotation). Per bit: 2 single-qubit rotations, 2 CNOTs, no
    Toffolis. The top bit's rotations are $R_y(\pm\pi/2)$ (Clifford) and the next bit's are
    $R_y(\pm\pi/4)$ (one T each), so for $b \ge 2$: $2(b-2)$ arbitrary rotations + 2 T.

    Controlled version (`is_controlled=True`, register `ctrl`, used by
    `bloq.controlled()` through `get_ctrl_system`): the CNOTs become CNOTs from
    $\mathrm{And}(\mathrm{ctrl}, a_j)$, computed into a temporary qubit and uncomputed by
    measurement; with ctrl = 0 the two half-rotations cancel. Extra cost: $b$ Ands.

    A phase-gradient implementation (Gidney 2018) would use an adder ($b - 2$ Toffolis) and a
    catalytic phase-gradient register instead of $2b$ rotations; the bitwise form is used here
    because it is simulable without a resource state.

    Args:
        kernel_bits: $b$, bits of the angle register.
        is_controlled: add a `ctrl` qubit; the rotation happens only when it is $|1\rangle$.

    Registers:
        ctrl: control qubit (only when `is_controlled`).
        angle: `QUInt(kernel_bits)` holding $a$, unchanged.
        flag: the rotated qubit.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Supplementary Lemma III.4 (amplitude encoding) and Algorithm 1, line 4.

        [Elementary gates for quantum computation](https://arxiv.org/abs/quant-ph/9503016).
        Barenco et al. 1995. Lemma 5.4 (controlled rotation from two rotations and two CNOTs).
    """

    kernel_bits: SymbolicInt = field(converter=_positive_bits)
    is_controlled: bool = False

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [Register("angle", QUInt(self.kernel_bits)), Register("flag", QBit())]
        return Signature(regs)

    def bit_angle(self, j: int) -> float:
        """Ry angle φ_j = 2π·2^j/2^b contributed by bit j (weight 2^j) of `angle`."""
        return 2 * math.pi * 2**j / 2**self.kernel_bits

    def adjoint(self) -> Bloq:
        return _ArccosRotationAdjoint(self)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.kernel_bits):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        return _build(bb, self, soqs, sign=1)

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return _call_graph(self, ssa, sign=1)

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        return f"{'C' if self.is_controlled else ''}ArccosRotation({self.kernel_bits})"


@frozen
class _ArccosRotationAdjoint(Bloq):
    """Inverse of `ArccosRotation`: the same circuit with negated angles (rotates by −θ_a)."""

    forward: ArccosRotation

    @cached_property
    def signature(self) -> Signature:
        return self.forward.signature

    def adjoint(self) -> Bloq:
        return self.forward

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.forward.kernel_bits):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        return _build(bb, self.forward, soqs, sign=-1)

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return _call_graph(self.forward, ssa, sign=-1)

    def __str__(self) -> str:
        return f"{self.forward}†"


def _build(bb: BloqBuilder, rot: ArccosRotation, soqs: dict, sign: int) -> dict[str, SoquetT]:
    """Rotations Ry(±φ_j/2) around CNOTs; sign=-1 builds the inverse (reversed, negated)."""
    b = int(rot.kernel_bits)
    bits = bb.split(soqs["angle"])  # big-endian: bits[q] has weight 2^(b-1-q)
    flag = soqs["flag"]
    ctrl = soqs.get("ctrl")
    order = range(b) if sign == 1 else reversed(range(b))
    for j in order:
        q = b - 1 - j
        half = rot.bit_angle(j) / 2
        # sign=+1: Ry(h) X^t Ry(-h) X^t in time order;  sign=-1: the inverse, X^t Ry(h) X^t Ry(-h)
        # (t = bit q of `angle`, or ctrl AND bit q in the controlled version)
        if sign == 1:
            flag = bb.add(Ry(half), q=flag)
        bits[q], flag, ctrl = add_bit_conjugated_ry(
            bb, bit=bits[q], q=flag, ctrl=ctrl, angle=-half if sign == 1 else half
        )
        if sign == -1:
            flag = bb.add(Ry(-half), q=flag)
    out = {"angle": bb.join(bits, dtype=QUInt(b)), "flag": flag}
    if ctrl is not None:
        out["ctrl"] = ctrl
    return out


def _call_graph(rot: ArccosRotation, ssa: SympySymbolAllocator, sign: int) -> BloqCountDictT:
    b = rot.kernel_bits
    counts: dict[Bloq, SymbolicInt] = dict(bit_conjugation_counts(b, rot.is_controlled))
    if is_symbolic(b):
        # bits b-1 (Ry(±π/2), Clifford) and b-2 (Ry(±π/4), T) are special; the b-2 others are
        # generic rotations. Valid for b >= 2.
        phi = ssa.new_symbol("phi")
        counts[Ry(math.pi / 2)] = 1
        counts[Ry(-math.pi / 2)] = 1
        counts[Ry(math.pi / 4)] = 1
        counts[Ry(-math.pi / 4)] = 1
        counts[Ry(phi)] = 2 * (b - 2)
        return counts
    for j in range(int(b)):
        half = rot.bit_angle(j) / 2
        for ang in (half, -half):
            counts[Ry(ang)] = counts.get(Ry(ang), 0) + 1
    return counts


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _arccos_rotation() -> ArccosRotation:
    arccos_rotation = ArccosRotation(kernel_bits=3)
    return arccos_rotation


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _arccos_rotation_symb() -> ArccosRotation:
    b = sympy.Symbol("b", positive=True, integer=True)
    arccos_rotation_symb = ArccosRotation(kernel_bits=b)
    return arccos_rotation_symb


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _arccos_rotation_controlled() -> ArccosRotation:
    arccos_rotation_controlled = ArccosRotation(kernel_bits=3).controlled()
    return arccos_rotation_controlled


_ARCCOS_ROTATION_DOC = BloqDocSpec(
    bloq_cls=ArccosRotation,
    import_line="from bloqs.encoding.arccos_rotation import ArccosRotation, angle_integer",
    examples=[_arccos_rotation, _arccos_rotation_symb, _arccos_rotation_controlled],
)
