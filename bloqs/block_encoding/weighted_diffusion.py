"""Weighted slot superposition √w₀|0⟩|0⟩ + √((1−w₀)/(s−1)) Σ_{l=1}^{s−1} |1⟩|l⟩."""

from functools import cached_property

import numpy as np
import sympy
from attrs import frozen
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
from qualtran.bloqs.arithmetic import AddK
from qualtran.bloqs.basic_gates import Ry
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicFloat, SymbolicInt, acos, bit_length, is_symbolic, ssqrt

from bloqs.state_preparation.controlled_uniform_superposition import ControlledUniformSuperposition


@frozen
class WeightedSlotDiffusion(Bloq):
    r"""Prepare the weighted slot state of `WeightedSparseBlockEncoding`.

    $$ |0\rangle|0\rangle \mapsto \sqrt{w_0}\,|0\rangle|0\rangle
       + \sqrt{\tfrac{1 - w_0}{s - 1}} \sum_{l=1}^{s-1} |1\rangle|l\rangle , $$
    `flag` first, then `slot`. Slot 0 (the diagonal of the sparsity pattern) gets weight $w_0$,
    the $s - 1$ off-diagonal slots share the rest uniformly; `flag` $= [l \neq 0]$ is kept (it is
    part of the block encoding's ancilla) so the map needs no comparison to uncompute it.

    Decomposition: $R_y(2 \arccos\sqrt{w_0})$ on `flag`; controlled on `flag`, a uniform
    superposition over $s - 1$ values (`ControlledUniformSuperposition(s - 1)`, the gate-level
    form of Qualtran's `PrepareUniformSuperposition(s - 1, cvs=(1,))`; skipped for $s = 2$) on
    the low $\lceil\log_2(s - 1)\rceil$ bits of `slot`, then $l \mathrel{+}= 1$ (controlled
    `AddK` on the low $\lceil\log_2 s\rceil$ bits). Cost: one rotation, the controlled uniform
    preparation ($O(\log s)$ Toffolis, $2\lceil\log_2(s-1)\rceil$ T and up to 2 rotations) and
    a $\lceil\log_2 s\rceil$-bit controlled constant adder.

    Args:
        num_nonzero: $s \ge 2$, number of slots.
        slot_bitsize: width of `slot` (the system bitsize $\log_2 n$ in a block encoding).
        diagonal_weight: $w_0 \in (0, 1]$.

    Registers:
        flag: 1 qubit, $[l \neq 0]$ after the preparation.
        slot: the slot index $l$.

    References:
        [Lecture Notes on Quantum Algorithms for Scientific
        Computation](https://arxiv.org/abs/2201.08309). Lin Lin. 2022. Section 6.5 (the
        uniform diffusion this one reweights).

        [Encoding Electronic Spectra in Quantum Circuits with Linear T
        Complexity](https://arxiv.org/abs/1805.03662). Babbush et al. 2018. Fig. 12 (uniform
        superposition over a non-power-of-two range).
    """

    num_nonzero: SymbolicInt
    slot_bitsize: SymbolicInt
    diagonal_weight: SymbolicFloat

    def __attrs_post_init__(self):
        s, k, w0 = self.num_nonzero, self.slot_bitsize, self.diagonal_weight
        if not is_symbolic(s) and (isinstance(s, bool) or not isinstance(s, int) or s < 2):
            raise ValueError(f"num_nonzero must be an integer >= 2 (got {s!r})")
        if not is_symbolic(k) and not is_symbolic(s) and (s - 1).bit_length() > k:
            raise ValueError(f"slot_bitsize={k} too small for s={s} slots")
        if not is_symbolic(w0) and not (np.isfinite(w0) and 0 < w0 <= 1):
            raise ValueError(f"diagonal_weight must be in (0, 1] (got {w0!r})")

    @cached_property
    def signature(self) -> Signature:
        return Signature.build_from_dtypes(flag=QBit(), slot=QAny(self.slot_bitsize))

    @cached_property
    def _parts(self):
        s = self.num_nonzero
        rot = Ry(2 * acos(ssqrt(self.diagonal_weight)))
        uniform = ControlledUniformSuperposition(s - 1) if is_symbolic(s) or s > 2 else None
        inc = AddK(QUInt(bit_length(s - 1)), 1).controlled()
        return rot, uniform, inc

    def build_composite_bloq(self, bb: BloqBuilder, flag: SoquetT, slot: SoquetT):
        if is_symbolic(self.num_nonzero, self.slot_bitsize, self.diagonal_weight):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        s, k = int(self.num_nonzero), int(self.slot_bitsize)
        m, mu = (s - 1).bit_length(), (s - 2).bit_length()
        rot, uniform, inc = self._parts
        flag = bb.add(rot, q=flag)
        bits = bb.split(slot)
        if s > 2:
            low = bb.join(bits[k - mu :])
            flag, low = bb.add(uniform, ctrl=flag, target=low)
            bits[k - mu :] = bb.split(low)
        low = bb.join(bits[k - m :], dtype=QUInt(m))
        flag, low = bb.add(inc, ctrl=flag, x=low)
        bits[k - m :] = bb.split(low)
        return {"flag": flag, "slot": bb.join(bits)}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        rot, uniform, inc = self._parts
        counts = {rot: 1, inc: 1}
        if uniform is not None:
            counts[uniform] = 1
        return counts

    def __str__(self) -> str:
        return f"WeightedSlotDiffusion(s={self.num_nonzero})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _weighted_slot_diffusion() -> WeightedSlotDiffusion:
    weighted_slot_diffusion = WeightedSlotDiffusion(
        num_nonzero=5, slot_bitsize=3, diagonal_weight=0.6
    )
    return weighted_slot_diffusion


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _weighted_slot_diffusion_symb() -> WeightedSlotDiffusion:
    s, k = sympy.symbols("s k", positive=True, integer=True)
    w0 = sympy.Symbol("w0", positive=True)
    weighted_slot_diffusion_symb = WeightedSlotDiffusion(
        num_nonzero=s, slot_bitsize=k, diagonal_weight=w0
    )
    return weighted_slot_diffusion_symb


_WEIGHTED_SLOT_DIFFUSION_DOC = BloqDocSpec(
    bloq_cls=WeightedSlotDiffusion,
    import_line="from bloqs.block_encoding.weighted_diffusion import WeightedSlotDiffusion",
    examples=[_weighted_slot_diffusion, _weighted_slot_diffusion_symb],
)
