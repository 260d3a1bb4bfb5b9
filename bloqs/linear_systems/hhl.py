"""HHL on any block encoding: phase estimation of the walk R₀U†R₀U, arcsin eigenvalue inversion."""

import math
from functools import cached_property
from typing import TYPE_CHECKING

import attrs
import numpy as np
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Hadamard, ZGate
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.bloqs.mcmt import MultiControlZ
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import HasLength, SymbolicFloat, SymbolicInt, ceil, is_symbolic

from bloqs.amplitude_estimation.inverse_qft import TextbookInverseQFT
from bloqs.arithmetic.function_lookup import FunctionLookup
from bloqs.state_preparation.angle_register_ry import AngleRegisterRy

if TYPE_CHECKING:
    from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator


def hhl_phase_bits(kappa: SymbolicFloat, epsilon: SymbolicFloat) -> SymbolicInt:
    """t = ⌈log2(πκ/ε)⌉: phase resolution 2π/2^t gives |δλ| ≤ π/2^t ≤ ε/κ (λ = cos(θ/2))."""
    if is_symbolic(kappa, epsilon):
        return ceil(sympy.log(sympy.pi * kappa / epsilon, 2))
    if not (kappa >= 1 and 0 < epsilon < 1):
        raise ValueError(f"need kappa >= 1 and epsilon in (0, 1), got {kappa}, {epsilon}")
    return max(1, math.ceil(math.log2(math.pi * kappa / epsilon)))


def hhl_queries(phase_bits: SymbolicInt) -> SymbolicInt:
    """Block-encoding calls of `HHL`: 2^t − 1 walks (2 calls each), and the same to uncompute."""
    return 4 * (2**phase_bits - 1)


def _check_encoding(be: BlockEncoding) -> None:
    m = be.ancilla_bitsize
    if not is_symbolic(m) and m < 1:
        raise ValueError("the walk needs a block encoding with at least one ancilla bit")


@attrs.frozen
class ControlledBlockEncodingWalk(Bloq):
    r"""Controlled walk $W = R_0 U^\dagger R_0 U$, $R_0 = 2\Pi - 1$; the encoding uncontrolled.

    On each singular pair of $A/\alpha$ (the 2-d invariant spaces of QSVT, Gilyén, Su, Low & Wiebe,
    arXiv:1806.01838, 2019, Sec. 3) $W$ acts as $(Z R(\sigma))^2$, a rotation by
    $2\arccos\sigma$: for Hermitian positive-definite $A$ the eigenphases of $W$ on
    $|0\rangle_{anc}|v_\lambda\rangle$ are $\pm 2\arccos(\lambda/\alpha)$ ($R_0$ reflects about
    `ancilla` and `resource` zero: the encoding's whole signal space). Two queries a step and
    valid for any $U$ (the one-query qubitization walk $R_0 U$ needs $U^2 = I$).
    Only the two reflections are controlled: with `ctrl` = 0 what remains is $U^\dagger U = I$.
    Controlled $R_0$ = `MultiControlZ` (zero controls on `ancilla`, target `ctrl`) then Z(`ctrl`).

    Args:
        block_encoding: any `BlockEncoding` (≥ 1 ancilla bit, signal state |0⟩).

    Registers:
        ctrl: control qubit.
        system, ancilla, resource: the encoding's registers (resource only if present).

    References:
        [Quantum singular value transformation and beyond](https://arxiv.org/abs/1806.01838).
        Gilyén, Su, Low, Wiebe (2019). Section 3.2 (alternating phase modulation).

        [Hamiltonian Simulation by Qubitization](https://arxiv.org/abs/1610.06546).
        Low, Chuang (2019). Lemma 10 (the walk's eigenphases ±arccos).
    """

    block_encoding: BlockEncoding

    def __attrs_post_init__(self):
        _check_encoding(self.block_encoding)

    @cached_property
    def signature(self) -> Signature:
        be = self.block_encoding
        return Signature.build_from_dtypes(
            ctrl=QBit(),
            system=QAny(be.system_bitsize),
            ancilla=QAny(be.ancilla_bitsize),
            resource=QAny(be.resource_bitsize),
        )

    @cached_property
    def zero_test(self) -> MultiControlZ:
        """Zero test of the whole signal space: `ancilla` and `resource` (the block is
        ⟨0|U|0⟩ on both; reflecting about `ancilla` alone is wrong on encodings such as
        Qualtran's `LinearCombination`, which leave weight in ancilla = 0, resource ≠ 0)."""
        be = self.block_encoding
        m = be.ancilla_bitsize + be.resource_bitsize
        return MultiControlZ(cvs=HasLength(m) if is_symbolic(m) else (0,) * int(m))

    def _controlled_reflection(self, bb: BloqBuilder, ctrl, soqs: dict) -> tuple:
        be = self.block_encoding
        names = [n for n in ("ancilla", "resource") if n in soqs]
        parts = [bb.split(soqs[n]) for n in names]
        bits, ctrl = bb.add(self.zero_test, controls=np.concatenate(parts), target=ctrl)
        ctrl = bb.add(ZGate(), q=ctrl)
        out, start = dict(soqs), 0
        for name, part in zip(names, parts, strict=True):
            size = len(part)
            dtype = QAny(be.ancilla_bitsize if name == "ancilla" else be.resource_bitsize)
            out[name] = bb.join(bits[start : start + size], dtype=dtype)
            start += size
        return ctrl, out

    def build_composite_bloq(self, bb: BloqBuilder, ctrl: SoquetT, **soqs) -> dict[str, SoquetT]:
        be = self.block_encoding
        if is_symbolic(be.ancilla_bitsize):
            raise DecomposeTypeError(f"cannot decompose symbolic {self}")
        for part in (be, be.adjoint()):
            soqs |= bb.add_d(part, **soqs)
            ctrl, soqs = self._controlled_reflection(bb, ctrl, soqs)
        return {"ctrl": ctrl, **soqs}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        be = self.block_encoding
        return {be: 1, be.adjoint(): 1, self.zero_test: 2, ZGate(): 2}

    def __str__(self):
        return f"C-Walk[{self.block_encoding}]"


def inversion_angle_table(phase_bits: int, angle_bits: int, kappa: float) -> tuple[int, ...]:
    """k(y) with Ry(2π k/2^b) = Ry(2 arcsin(min(1, (1/κ)/λ_y))), λ_y = |cos(π y/2^t)|."""
    lam = np.abs(np.cos(np.pi * np.arange(2**phase_bits) / 2**phase_bits))
    with np.errstate(divide="ignore"):
        ratio = np.where(lam > 1e-12, np.minimum(1.0, (1 / kappa) / np.maximum(lam, 1e-300)), 0.0)
    theta = 2 * np.arcsin(ratio)  # in [0, π]
    k = np.rint(theta / (2 * np.pi) * 2**angle_bits).astype(int) % 2**angle_bits
    return tuple(int(v) for v in k)


@attrs.frozen
class HHL(Bloq):
    r"""HHL: prepare $|y\rangle$, estimate the walk's phase, rotate a flag by $\arcsin(C/\lambda)$.

    Harrow, Hassidim & Lloyd (arXiv:0811.3171, 2009) on a block encoding: `prepare` makes
    $|y\rangle$; phase estimation with $t$ = `phase_bits` bits of the controlled walk
    `ControlledBlockEncodingWalk` ($W^{2^k}$ controlled by phase bit $k$; eigenphases
    $\pm\theta$, $\theta = 2\arccos(\lambda/\alpha)$) and `TextbookInverseQFT`; a
    `FunctionLookup` writes the angle $2\arcsin(\min(1, C/\lambda_y))$, $C = 1/\kappa$,
    $\lambda_y = |\cos(\pi y/2^t)|$ into a $b$-bit register, `AngleRegisterRy` rotates `flag`,
    and the lookup and the phase estimation are undone. On `flag` = 1 and `phase` = 0 the
    system holds
    $\propto \sum_\lambda (C/\lambda)\beta_\lambda|v_\lambda\rangle = C(A/\alpha)^{-1}|y\rangle$
    (exactly when every $\theta/2\pi$ is a multiple of $2^{-t}$; otherwise up to the usual phase
    estimation error, $t$ = `hhl_phase_bits`(κ, ε) = ⌈log2(πκ/ε)⌉ for relative error ε in λ).

    Queries: $4(2^t - 1)$ (`hhl_queries`), i.e. $O(\kappa/\epsilon)$, against the QSVT's
    $O(\kappa\log(\kappa/\epsilon))$.

    Args:
        block_encoding: `BlockEncoding` of Hermitian positive-definite $A$ (α normalises).
        prepare: one-register bloq $|0\rangle\to|y\rangle$ on the system.
        phase_bits: $t$.
        angle_bits: $b$, bits of the rotation angle.
        kappa: κ_eff = α/λ_min (sets $C = 1/\kappa$); symbolic for costing.

    Registers:
        system, ancilla, resource: as the encoding (system starts in |0⟩).
        phase: `QUInt(t)`, zero on success. angle: `QAny(b)`, returned to zero.
        flag: `QBit`, 1 on success.

    References:
        [Quantum algorithm for linear systems of equations](https://arxiv.org/abs/0811.3171).
        Harrow, Hassidim, Lloyd (2009). Section II (phase estimation, controlled rotation).
    """

    block_encoding: BlockEncoding
    prepare: Bloq
    phase_bits: SymbolicInt
    angle_bits: SymbolicInt
    kappa: SymbolicFloat

    def __attrs_post_init__(self):
        _check_encoding(self.block_encoding)
        if not is_symbolic(self.kappa) and not (np.isfinite(self.kappa) and self.kappa >= 1):
            raise ValueError(f"kappa must be a finite number >= 1, got {self.kappa}")
        for name in ("phase_bits", "angle_bits"):
            v = getattr(self, name)
            if not is_symbolic(v) and v < 1:
                raise ValueError(f"{name} must be >= 1, got {v}")
        (reg,) = self.prepare.signature
        if not is_symbolic(reg.total_bits(), self.block_encoding.system_bitsize) and (
            reg.total_bits() != self.block_encoding.system_bitsize
        ):
            raise ValueError("prepare and the block encoding act on different system sizes")

    @property
    def queries(self) -> SymbolicInt:
        return hhl_queries(self.phase_bits)

    @cached_property
    def signature(self) -> Signature:
        be = self.block_encoding
        return Signature.build_from_dtypes(
            system=QAny(be.system_bitsize),
            ancilla=QAny(be.ancilla_bitsize),
            resource=QAny(be.resource_bitsize),
            phase=QUInt(self.phase_bits),
            angle=QAny(self.angle_bits),
            flag=QBit(),
        )

    @cached_property
    def walk(self) -> ControlledBlockEncodingWalk:
        return ControlledBlockEncodingWalk(self.block_encoding)

    @cached_property
    def lookup(self) -> FunctionLookup:
        if is_symbolic(self.phase_bits, self.angle_bits, self.kappa):
            return FunctionLookup.from_sizes(self.phase_bits, self.angle_bits)
        table = inversion_angle_table(int(self.phase_bits), int(self.angle_bits), self.kappa)
        return FunctionLookup(table, self.phase_bits, self.angle_bits)

    @cached_property
    def rotation(self) -> AngleRegisterRy:
        return AngleRegisterRy(self.angle_bits, angle_range=2 * np.pi)

    def _walks(self, bb, phase_bits, soqs, walk):
        t = len(phase_bits)
        for j in range(t):  # bit j (big-endian) has weight 2^(t-1-j)
            for _ in range(2 ** (t - 1 - j)):
                soqs = bb.add_d(walk, ctrl=phase_bits[j], **soqs)
                phase_bits[j] = soqs.pop("ctrl")
        return soqs

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.phase_bits, self.angle_bits, self.kappa):
            raise DecomposeTypeError(f"cannot decompose symbolic {self}")
        phase, angle, flag = soqs.pop("phase"), soqs.pop("angle"), soqs.pop("flag")
        (reg,) = self.prepare.signature
        if reg.shape:
            bits = bb.add(self.prepare, **{reg.name: bb.split(soqs["system"])})
            soqs["system"] = bb.join(np.asarray(bits), dtype=QAny(reg.total_bits()))
        else:
            soqs["system"] = bb.add(self.prepare, **{reg.name: soqs["system"]})
        t = int(self.phase_bits)
        pbits = [bb.add(Hadamard(), q=q) for q in bb.split(phase)]
        soqs = self._walks(bb, pbits, soqs, self.walk)
        phase = bb.add(TextbookInverseQFT(t), q=bb.join(np.asarray(pbits), dtype=QUInt(t)))
        phase, angle = bb.add(self.lookup, x=phase, y=angle)
        angle, flag = bb.add(self.rotation, angle=angle, q=flag)
        phase, angle = bb.add(self.lookup, x=phase, y=angle)
        phase = bb.add(TextbookInverseQFT(t).adjoint(), q=phase)
        pbits = list(bb.split(phase))
        soqs = self._walks(bb, pbits, soqs, self.walk.adjoint())
        pbits = [bb.add(Hadamard(), q=q) for q in pbits]
        phase = bb.join(np.asarray(pbits), dtype=QUInt(t))
        return {**soqs, "phase": phase, "angle": angle, "flag": flag}

    def build_call_graph(self, ssa: "SympySymbolAllocator") -> "BloqCountDictT":
        t = self.phase_bits
        return {
            self.prepare: 1,
            Hadamard(): 2 * t,
            self.walk: 2**t - 1,
            self.walk.adjoint(): 2**t - 1,
            TextbookInverseQFT(t): 1,
            TextbookInverseQFT(t).adjoint(): 1,
            self.lookup: 2,
            self.rotation: 1,
        }

    def __str__(self):
        return f"HHL(t={self.phase_bits})"


def _example_encoding_and_prep():
    from qualtran.bloqs.basic_gates import Hadamard as _H
    from qualtran.bloqs.basic_gates import Ry
    from qualtran.bloqs.block_encoding import Unitary

    return Unitary(_H(), ancilla_bitsize=1), Ry(0.7)


@bloq_example(generalizer=ignore_split_join)
def _controlled_block_encoding_walk() -> ControlledBlockEncodingWalk:
    be, _ = _example_encoding_and_prep()
    controlled_block_encoding_walk = ControlledBlockEncodingWalk(be)
    return controlled_block_encoding_walk


@bloq_example(generalizer=ignore_split_join)
def _controlled_block_encoding_walk_symb() -> ControlledBlockEncodingWalk:
    from qualtran.bloqs.basic_gates import Hadamard as _H
    from qualtran.bloqs.block_encoding import Unitary

    m = sympy.Symbol("m", positive=True, integer=True)
    controlled_block_encoding_walk_symb = ControlledBlockEncodingWalk(
        Unitary(_H(), ancilla_bitsize=m)
    )
    return controlled_block_encoding_walk_symb


@bloq_example(generalizer=ignore_split_join)
def _hhl() -> HHL:
    be, prep = _example_encoding_and_prep()
    hhl = HHL(be, prep, phase_bits=2, angle_bits=3, kappa=2.0)
    return hhl


@bloq_example(generalizer=ignore_split_join)
def _hhl_symb() -> HHL:
    be, prep = _example_encoding_and_prep()
    t, b, kappa = sympy.symbols("t b kappa", positive=True)
    hhl_symb = HHL(be, prep, phase_bits=t, angle_bits=b, kappa=kappa)
    return hhl_symb


_CONTROLLED_BLOCK_ENCODING_WALK_DOC = BloqDocSpec(
    bloq_cls=ControlledBlockEncodingWalk,
    import_line="from bloqs.linear_systems.hhl import ControlledBlockEncodingWalk",
    examples=(_controlled_block_encoding_walk, _controlled_block_encoding_walk_symb),
)

_HHL_DOC = BloqDocSpec(
    bloq_cls=HHL,
    import_line="from bloqs.linear_systems.hhl import HHL",
    examples=(_hhl, _hhl_symb),
)
