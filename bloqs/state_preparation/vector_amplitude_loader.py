r"""Kerenidis–Prakash amplitude loader for one real vector: $|0\rangle \to |x\rangle$."""

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
    QBit,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import XGate
from qualtran.bloqs.mcmt.specialized_ctrl import (
    AdjointWithSpecializedCtrl,
    SpecializeOnCtrlBit,
)
from qualtran.resource_counting import BloqCountDictT, QubitCount, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled
from bloqs.state_preparation.angle_register_ry import AngleRegisterRy
from bloqs.state_preparation.kp_tree import (
    add_tree_level,
    check_amplitude_bits,
    check_angle_words,
    check_data_access,
    check_power_of_two,
    data_access_bloq,
    kp_tree_angles,
    level_rotation,
    log2_int,
    normalize_data_access,
    sum_access_over_levels,
    tree_qubit_count,
    validate_real_vectors,
)


@attrs.frozen
class VectorAmplitudeLoader(Bloq):
    r"""Amplitude-encode one real vector: $|0\rangle \to |x\rangle = \sum_j x_j/\|x\|\,|j\rangle$.

    The single-vector case of `RowAmplitudeLoader` (same Kerenidis–Prakash tree, same angle
    encoding and data-access options): used for the test point $|x^*\rangle$ and for the label
    state $|y\rangle = \sum_i y_i |i\rangle/\sqrt{n}$ (entries $\pm 1$ or $0$; signs are written
    at the leaf level, zero entries and zero subtrees are exact: $\theta = 0$ or $\pi$).

    Level 0 has no address: its angle is a classical constant, written into the angle register
    with X gates (no query). Level $l \geq 1$ queries a table of $2^l$ words at the address held
    by the first $l$ target qubits, rotates target qubit $l$ (`AngleRegisterRy`) and unqueries.
    With `"qrom"` the cost is $2\sum_{l=1}^{m-1}(2^l - 2) = 2(d - 2m)$ `And`s for $d \geq 4$
    ($m = \log_2 d$) and $m(b + 1)$ rotations.

    **Controlled version** (`is_controlled=True`, register `ctrl`, returned by
    `bloq.controlled()`): only the rotations are controlled ($b$ `And`s per level); with
    `ctrl` = 0 the target stays $|0\rangle$.

    Symbolic sizes (`from_sizes`) cost the constant load at level 0 as $2b$ X gates (an upper
    bound; the concrete count is twice the number of 1-bits of the angle). A sympy $d$ is
    supported for `"qrom"` and `"bucket_brigade"`.

    Args:
        d: vector length (power of two, $\geq 2$).
        amplitude_bits: $b$, bits per stored angle.
        data_access: `"qrom"`, `"select_swap"` or `"bucket_brigade"` (or the classes `QROM`,
            `SelectSwapQROM`, `BucketBrigadeQRAM`).
        angles: angle integers per level (level $l$ has $2^l$ words); `None` from sizes.
        is_controlled: add the `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        target: $\log_2 d$ qubits, $|0\rangle \to |x\rangle$.

    References:
        [Quantum Recommendation Systems](https://arxiv.org/abs/1603.08675).
        Kerenidis, Prakash 2016. Theorem 5.1.

        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd 2021.
        Supplementary Section III.A
        (states $|x\rangle$ and $|y\rangle$).
    """

    d: SymbolicInt
    amplitude_bits: SymbolicInt
    data_access: str = attrs.field(default="qrom", converter=normalize_data_access)
    angles: tuple[tuple[int, ...], ...] | None = None
    is_controlled: bool = False

    def __attrs_post_init__(self):
        check_power_of_two(self.d, "d (vector length)")
        check_amplitude_bits(self.amplitude_bits)
        check_data_access(self.data_access)
        if self.angles is not None:
            check_angle_words(self.angles, self.amplitude_bits)
        if self.angles is not None and (
            len(self.angles) != self.num_levels
            or any(len(a) != 2**lv for lv, a in enumerate(self.angles))
        ):
            raise ValueError("angles must hold 2**l words for each level l")

    @classmethod
    def from_vector(
        cls, x, amplitude_bits: int, data_access: str = "qrom"
    ) -> "VectorAmplitudeLoader":
        """Build from a real vector (normalized here; signs and zeros kept)."""
        x = np.asarray(x)
        if x.ndim != 1:
            raise ValueError(f"x must be a 1D vector, got shape {x.shape}")
        check_power_of_two(len(x), "d (vector length)")
        check_amplitude_bits(amplitude_bits)
        xn = validate_real_vectors(x[None, :], "x")[0]
        return cls(len(x), int(amplitude_bits), data_access, kp_tree_angles(xn, amplitude_bits))

    @classmethod
    def from_sizes(
        cls, d: SymbolicInt, amplitude_bits: SymbolicInt, data_access: str = "qrom"
    ) -> "VectorAmplitudeLoader":
        """Sizes only (int or sympy), for costing."""
        return cls(d, amplitude_bits, data_access, None)

    @property
    def num_levels(self) -> SymbolicInt:
        return log2_int(self.d)

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [Register("target", QUInt(self.num_levels))]
        return Signature(regs)

    def access(self, level: SymbolicInt) -> tuple[Bloq, str, str]:
        data = None if self.angles is None else self.angles[level]
        return data_access_bloq(self.data_access, 2**level, self.amplitude_bits, data=data)

    def rotation(self, level: SymbolicInt) -> AngleRegisterRy:
        return level_rotation(self.amplitude_bits, level, self.num_levels, self.is_controlled)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.d, self.amplitude_bits) or self.angles is None:
            raise DecomposeTypeError(f"Cannot decompose {self} built from sizes")
        ctrl = soqs.get("ctrl")
        tgt = list(bb.split(soqs["target"]))
        for level in range(int(self.num_levels)):
            if level == 0:
                access, aname, tname, const = None, "", "", self.angles[0][0]
            else:
                (access, aname, tname), const = self.access(level), None
            addr, tgt[level], ctrl = add_tree_level(
                bb,
                access=access,
                address_name=aname,
                target_name=tname,
                address_bits=tgt[:level],
                constant=const,
                rotation=self.rotation(level),
                qubit=tgt[level],
                ctrl=ctrl,
                amplitude_bits=int(self.amplitude_bits),
            )
            tgt[:level] = addr
        out = {"target": bb.join(np.asarray(tgt), dtype=QUInt(self.num_levels))}
        if self.is_controlled:
            out["ctrl"] = ctrl
        return out

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        m = self.num_levels
        b = self.amplitude_bits
        counts: Counter[Bloq] = Counter()
        counts[self.rotation(m - 1)] += 1
        if self.angles is not None:
            counts[XGate()] += 2 * bin(self.angles[0][0]).count("1")
        else:
            counts[XGate()] += 2 * b
        if is_symbolic(m):
            counts[self.rotation(0)] += m - 1
            for callee, c in sum_access_over_levels(
                lambda lv: self.access(lv)[0], 1, m - 1
            ).items():
                counts[callee] += 2 * c
            return counts
        for level in range(int(m)):
            if level < m - 1:
                counts[self.rotation(level)] += 1
            if level > 0:
                counts[self.access(level)[0]] += 2
        return counts

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, QubitCount) and self.angles is None:
            return tree_qubit_count(
                index_bits=0,
                num_levels=self.num_levels,
                amplitude_bits=self.amplitude_bits,
                last_access=(
                    None
                    if not is_symbolic(self.num_levels) and self.num_levels == 1
                    else self.access(self.num_levels - 1)[0]
                ),
                is_controlled=self.is_controlled,
            )
        return NotImplemented

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self) -> Bloq:
        return AdjointWithSpecializedCtrl(self, SpecializeOnCtrlBit.ONE)

    def __str__(self):
        c = "C" if self.is_controlled else ""
        return f"{c}VectorAmplitudeLoader(d={self.d}, b={self.amplitude_bits})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _vector_amplitude_loader() -> VectorAmplitudeLoader:
    vector_amplitude_loader = VectorAmplitudeLoader.from_vector(
        np.array([0.5, -0.1, 0.3, 0.2, 0.0, 0.4, -0.6, 0.1]), amplitude_bits=4
    )
    return vector_amplitude_loader


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _vector_amplitude_loader_symb() -> VectorAmplitudeLoader:
    d, b = sympy.symbols("d b", positive=True, integer=True)
    vector_amplitude_loader_symb = VectorAmplitudeLoader.from_sizes(d, b)
    return vector_amplitude_loader_symb


_VECTOR_AMPLITUDE_LOADER_DOC = BloqDocSpec(
    bloq_cls=VectorAmplitudeLoader,
    examples=(_vector_amplitude_loader, _vector_amplitude_loader_symb),
)
