r"""Kerenidis–Prakash amplitude loader for one real vector: $|0\rangle \to |x\rangle$."""

import attrs
import numpy as np
import sympy
from qualtran import Bloq, BloqDocSpec, bloq_example
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt

from bloqs.state_preparation.kp_tree import (
    check_amplitude_bits,
    check_power_of_two,
    kp_tree_angles,
    normalize_data_access,
    validate_real_vectors,
)
from bloqs.state_preparation.kp_tree_loader import KPTreeLoader


@attrs.frozen
class VectorAmplitudeLoader(KPTreeLoader, Bloq):
    r"""Amplitude-encode one real vector: $|0\rangle \to |x\rangle = \sum_j x_j/\|x\|\,|j\rangle$.

    The single-vector case of `RowAmplitudeLoader` (the same Kerenidis–Prakash tree,
    `bloqs.state_preparation.kp_tree_loader.KPTreeLoader`, with one row and no `index`; same
    angle encoding and data-access options): used for the test point $|x^*\rangle$ and for the label
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
    supported for `"qrom"`, `"bucket_brigade"` and `"one_hot_decoder"`.

    Args:
        d: vector length (power of two, $\geq 2$).
        amplitude_bits: $b$, bits per stored angle.
        data_access: one of `kp_tree.DATA_ACCESS_KINDS` (`"qrom"`, `"select_swap"`,
            `"bucket_brigade"`, `"one_hot_decoder"`) or the class (`QROM`, `SelectSwapQROM`,
            `BucketBrigadeQRAM`, `OneHotDecoderQRAM`).
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

    @property
    def rows(self) -> SymbolicInt:
        return 1

    def _check_sizes(self) -> None:
        check_power_of_two(self.d, "d (vector length)")

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
