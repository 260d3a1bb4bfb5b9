r"""Row-indexed Kerenidis–Prakash amplitude loader $|i\rangle|0\rangle \to |i\rangle|x_i\rangle$."""

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
class RowAmplitudeLoader(Bloq):
    r"""Quantum access to the rows of a real matrix: $|i\rangle|0\rangle \to |i\rangle|x_i\rangle$.

    For $X \in \mathbb{R}^{n \times d}$ (rows with signs, each normalized,
    $|x_i\rangle = \sum_j X_{ij}/\|x_i\|\,|j\rangle$) this is the first map of Definition III.1 of
    the QNTK paper, realised with the Kerenidis–Prakash binary tree. For every level
    $l = 0, \dots, \log_2 d - 1$ (target qubit $l$, most significant first):

    1. a data query at address $(i, p)$ — $i$ the `index` register, $p$ the first $l$ target
       qubits — XORs a $b$-bit angle integer into a fresh angle register
       (table of $n 2^l$ words of $b$ = `amplitude_bits` bits);
    2. `AngleRegisterRy` rotates target qubit $l$ by that angle (bitwise controlled $R_y$,
       $b + 1$ rotations, no phase-gradient register);
    3. the same query uncomputes the angle register.

    Internal levels rotate by $2\pi k/2^b$ ($\cos\frac{\theta}{2} = \sqrt{W(p0)/W(p)}$), the leaf
    level by $4\pi k/2^b$ ($\theta = 2\,\mathrm{atan2}(x_{p1}, x_{p0})$), which writes the signs
    of the entries. The output is exact for the quantized angles; the error comes from rounding
    each angle to $b$ bits.

    **Data access** is a parameter: `"qrom"` (Qualtran `QROM`, unary iteration, $N-2$ `And`s for
    $N$ words), `"select_swap"` (Qualtran `SelectSwapQROM`, dirty-ancilla QROAM) or
    `"bucket_brigade"` (`bloqs.qram.BucketBrigadeQRAM`). Summed over levels the tables hold
    $n(d-1)$ words, so the QROM form costs $2(n(d-1) - 2\log_2 d)$ `And`s plus
    $\log_2 d\,(b+1)$ rotations.

    **Controlled version** (`is_controlled=True`, register `ctrl`; what `bloq.controlled()`
    returns): only the rotations are controlled (the queries compute and uncompute), costing $b$
    extra `And`s per level. With `ctrl` = 0 the target stays $|0\rangle$.

    Sizes may be symbolic (`from_sizes`): with an integer $d$ the levels are listed; with a sympy
    $d$ the per-level query costs are summed in closed form (supported for `"qrom"` and
    `"bucket_brigade"`; `"select_swap"` needs an integer $d$ since its block size changes with
    the level).

    Args:
        n: number of rows (power of two, $\geq 2$).
        d: row length (power of two, $\geq 2$).
        amplitude_bits: $b$, bits of each stored angle.
        data_access: `"qrom"`, `"select_swap"` or `"bucket_brigade"` (or the classes `QROM`,
            `SelectSwapQROM`, `BucketBrigadeQRAM`).
        angles: the angle integers, per level a tuple of $n 2^l$ words at address $i 2^l + p$;
            `None` for a bloq built from sizes (costing only).
        is_controlled: add the `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        index: $\log_2 n$ qubits, the row index $i$ (unchanged).
        target: $\log_2 d$ qubits, $|0\rangle \to |x_i\rangle$ (big-endian: entry $j$ is basis
            state $j$).

    References:
        [Quantum Recommendation Systems](https://arxiv.org/abs/1603.08675).
        Kerenidis, Prakash 2016. Theorem 5.1 (binary tree; here the tree's angles are stored).

        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd 2021.
        Supplementary Definition III.1
        and Theorem III.1.

        [Encoding Electronic Spectra in Quantum Circuits with Linear T Complexity](
        https://arxiv.org/abs/1805.03662). Babbush et al. 2018 (QROM by unary iteration).
    """

    n: SymbolicInt
    d: SymbolicInt
    amplitude_bits: SymbolicInt
    data_access: str = attrs.field(default="qrom", converter=normalize_data_access)
    angles: tuple[tuple[int, ...], ...] | None = None
    is_controlled: bool = False

    def __attrs_post_init__(self):
        check_power_of_two(self.n, "n (number of rows)")
        check_power_of_two(self.d, "d (row length)")
        check_amplitude_bits(self.amplitude_bits)
        check_data_access(self.data_access)
        if self.angles is not None:
            check_angle_words(self.angles, self.amplitude_bits)
        if self.angles is not None and (
            len(self.angles) != self.num_levels
            or any(len(a) != int(self.n) * 2**lv for lv, a in enumerate(self.angles))
        ):
            raise ValueError("angles must hold n * 2**l words for each level l")

    @classmethod
    def from_matrix(cls, X, amplitude_bits: int, data_access: str = "qrom") -> "RowAmplitudeLoader":
        """Build from a real n x d matrix (rows are normalized; signs are kept)."""
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2D matrix, got shape {X.shape}")
        n, d = X.shape
        check_power_of_two(n, "n (number of rows)")
        check_power_of_two(d, "d (row length)")
        check_amplitude_bits(amplitude_bits)
        Xn = validate_real_vectors(X, "X")
        per_row = [kp_tree_angles(row, amplitude_bits) for row in Xn]
        m = d.bit_length() - 1
        angles = tuple(tuple(k for row in per_row for k in row[level]) for level in range(m))
        return cls(n, d, int(amplitude_bits), data_access, angles)

    @classmethod
    def from_sizes(
        cls,
        n: SymbolicInt,
        d: SymbolicInt,
        amplitude_bits: SymbolicInt,
        data_access: str = "qrom",
    ) -> "RowAmplitudeLoader":
        """Sizes only (int or sympy), for costing."""
        return cls(n, d, amplitude_bits, data_access, None)

    @property
    def index_bits(self) -> SymbolicInt:
        return log2_int(self.n)

    @property
    def num_levels(self) -> SymbolicInt:
        return log2_int(self.d)

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [
            Register("index", QUInt(self.index_bits)),
            Register("target", QUInt(self.num_levels)),
        ]
        return Signature(regs)

    def access(self, level: SymbolicInt) -> tuple[Bloq, str, str]:
        data = None if self.angles is None else self.angles[level]
        return data_access_bloq(self.data_access, self.n * 2**level, self.amplitude_bits, data=data)

    def rotation(self, level: SymbolicInt) -> AngleRegisterRy:
        return level_rotation(self.amplitude_bits, level, self.num_levels, self.is_controlled)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.n, self.d, self.amplitude_bits):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        ctrl = soqs.get("ctrl")
        idx = list(bb.split(soqs["index"]))
        tgt = list(bb.split(soqs["target"]))
        a = len(idx)
        for level in range(int(self.num_levels)):
            access, aname, tname = self.access(level)
            addr, tgt[level], ctrl = add_tree_level(
                bb,
                access=access,
                address_name=aname,
                target_name=tname,
                address_bits=idx + tgt[:level],
                constant=None,
                rotation=self.rotation(level),
                qubit=tgt[level],
                ctrl=ctrl,
                amplitude_bits=int(self.amplitude_bits),
            )
            idx, tgt[:level] = addr[:a], addr[a:]
        out = {
            "index": bb.join(np.asarray(idx), dtype=QUInt(self.index_bits)),
            "target": bb.join(np.asarray(tgt), dtype=QUInt(self.num_levels)),
        }
        if self.is_controlled:
            out["ctrl"] = ctrl
        return out

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        m = self.num_levels
        counts: Counter[Bloq] = Counter()
        counts[self.rotation(m - 1)] += 1
        if is_symbolic(m):
            counts[self.rotation(0)] += m - 1
            for callee, c in sum_access_over_levels(
                lambda lv: self.access(lv)[0], 0, m - 1
            ).items():
                counts[callee] += 2 * c
            return counts
        for level in range(int(m)):
            if level < m - 1:
                counts[self.rotation(level)] += 1
            counts[self.access(level)[0]] += 2
        return counts

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, QubitCount) and self.angles is None:
            return tree_qubit_count(
                index_bits=self.index_bits,
                num_levels=self.num_levels,
                amplitude_bits=self.amplitude_bits,
                last_access=self.access(self.num_levels - 1)[0],
                is_controlled=self.is_controlled,
            )
        return NotImplemented

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self) -> Bloq:
        return AdjointWithSpecializedCtrl(self, SpecializeOnCtrlBit.ONE)

    def __str__(self):
        c = "C" if self.is_controlled else ""
        return f"{c}RowAmplitudeLoader(n={self.n}, d={self.d}, b={self.amplitude_bits})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _row_amplitude_loader() -> RowAmplitudeLoader:
    X = np.array([[0.5, -0.1, 0.3, 0.2], [-1.0, 0.4, 0.0, 0.7]])
    row_amplitude_loader = RowAmplitudeLoader.from_matrix(X, amplitude_bits=3)
    return row_amplitude_loader


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _row_amplitude_loader_symb() -> RowAmplitudeLoader:
    n, d, b = sympy.symbols("n d b", positive=True, integer=True)
    row_amplitude_loader_symb = RowAmplitudeLoader.from_sizes(n, d, b)
    return row_amplitude_loader_symb


_ROW_AMPLITUDE_LOADER_DOC = BloqDocSpec(
    bloq_cls=RowAmplitudeLoader,
    examples=(_row_amplitude_loader, _row_amplitude_loader_symb),
)
