r"""Norm-state preparation $|0\rangle \to \sum_i \|x_i\| |i\rangle / \|X\|_F$."""

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
from qualtran.resource_counting import (
    BloqCountDictT,
    QubitCount,
    SympySymbolAllocator,
    get_cost_value,
)
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled
from bloqs.state_preparation.kp_tree import (
    check_amplitude_bits,
    check_data_access,
    check_power_of_two,
    kp_tree_angles,
    log2_int,
    normalize_data_access,
)
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader


@attrs.frozen
class NormStatePreparation(Bloq):
    r"""Prepare $|0\rangle \to \frac{1}{\|X\|_F}\sum_i \|x_i\|\,|i\rangle$ on the `index` register.

    The second map of Definition III.1 of the QNTK paper. The vector of row norms (non-negative)
    is loaded with the same Kerenidis–Prakash tree as `VectorAmplitudeLoader` (angles stored with
    `amplitude_bits` bits, any data access of `kp_tree.DATA_ACCESS_KINDS`, bitwise
    controlled $R_y$), so cost, precision and the controlled version are those of
    `VectorAmplitudeLoader` with $d \to n$. Zero rows (e.g. padding rows) get amplitude 0.

    *Why not Qualtran's `StatePreparationViaRotations`:* it does prepare such a state, but it
    needs a caller-supplied phase-gradient register (an extra `phase_bitsize` qubits in a resource
    state that is not part of our interfaces) and it always runs a second, phase-loading pass
    over all $n$ amplitudes (`PRGAViaPhaseGradient` on the whole register), which real
    non-negative norms do not need. Reusing our tree keeps one angle encoding, one precision knob
    and one simulable rotation scheme across the loaders.

    Args:
        n: number of rows (power of two, $\geq 2$).
        amplitude_bits: bits per stored angle.
        data_access: one of `kp_tree.DATA_ACCESS_KINDS` (`"qrom"`, `"select_swap"`,
            `"bucket_brigade"`, `"one_hot_decoder"`).
        angles: the tree angles of the norm vector (from `from_matrix`); `None` from sizes.
        is_controlled: add the `ctrl` register (what `bloq.controlled()` returns).

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        index: $\log_2 n$ qubits, $|0\rangle \to \sum_i \|x_i\| |i\rangle/\|X\|_F$.

    References:
        [A quantum algorithm for training wide and deep classical neural networks](
        https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd 2021.
        Supplementary Definition III.1.

        [Quantum Recommendation Systems](https://arxiv.org/abs/1603.08675).
        Kerenidis, Prakash 2016. Theorem 5.1.
    """

    n: SymbolicInt
    amplitude_bits: SymbolicInt
    data_access: str = attrs.field(default="qrom", converter=normalize_data_access)
    angles: tuple[tuple[int, ...], ...] | None = None
    is_controlled: bool = False

    def __attrs_post_init__(self):
        check_power_of_two(self.n, "n (number of rows)")
        check_amplitude_bits(self.amplitude_bits)
        check_data_access(self.data_access)
        if self.angles is not None:
            _ = self.loader  # validates the angle table (levels, lengths, word range)

    @classmethod
    def from_matrix(
        cls, X, amplitude_bits: int, data_access: str = "qrom"
    ) -> "NormStatePreparation":
        """Build from a real n x d matrix (only the row norms are used)."""
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2D matrix, got shape {X.shape}")
        if np.iscomplexobj(X):
            raise ValueError("X must be real")
        if not np.all(np.isfinite(X)):
            raise ValueError("X has non-finite entries (nan or inf)")
        check_power_of_two(X.shape[0], "n (number of rows)")
        check_amplitude_bits(amplitude_bits)
        norms = np.linalg.norm(X.astype(float), axis=1)
        total = np.linalg.norm(norms)
        if total == 0:
            raise ValueError("X is all zeros: the norm state is undefined")
        angles = kp_tree_angles(norms / total, amplitude_bits)
        return cls(X.shape[0], int(amplitude_bits), data_access, angles)

    @classmethod
    def from_sizes(
        cls, n: SymbolicInt, amplitude_bits: SymbolicInt, data_access: str = "qrom"
    ) -> "NormStatePreparation":
        """Sizes only (int or sympy), for costing."""
        return cls(n, amplitude_bits, data_access, None)

    @cached_property
    def loader(self) -> VectorAmplitudeLoader:
        return VectorAmplitudeLoader(
            self.n, self.amplitude_bits, self.data_access, self.angles, self.is_controlled
        )

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [Register("index", QUInt(log2_int(self.n)))]
        return Signature(regs)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if self.angles is None:
            raise DecomposeTypeError(f"Cannot decompose {self} built from sizes")
        if self.is_controlled:
            ctrl, index = bb.add(self.loader, ctrl=soqs["ctrl"], target=soqs["index"])
            return {"ctrl": ctrl, "index": index}
        return {"index": bb.add(self.loader, target=soqs["index"])}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self.loader: 1}

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, QubitCount) and self.angles is None:
            return get_cost_value(self.loader, QubitCount())
        return NotImplemented

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self) -> Bloq:
        return AdjointWithSpecializedCtrl(self, SpecializeOnCtrlBit.ONE)

    def __str__(self):
        c = "C" if self.is_controlled else ""
        return f"{c}NormStatePreparation(n={self.n}, b={self.amplitude_bits})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _norm_state_preparation() -> NormStatePreparation:
    X = np.array([[0.5, -0.1], [0.0, 0.0], [1.0, 2.0], [-0.3, 0.3]])
    norm_state_preparation = NormStatePreparation.from_matrix(X, amplitude_bits=4)
    return norm_state_preparation


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _norm_state_preparation_symb() -> NormStatePreparation:
    n, b = sympy.symbols("n b", positive=True, integer=True)
    norm_state_preparation_symb = NormStatePreparation.from_sizes(n, b)
    return norm_state_preparation_symb


_NORM_STATE_PREPARATION_DOC = BloqDocSpec(
    bloq_cls=NormStatePreparation,
    examples=(_norm_state_preparation, _norm_state_preparation_symb),
)
