r"""Row-indexed Kerenidis–Prakash amplitude loader $|i\rangle|0\rangle \to |i\rangle|x_i\rangle$."""

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
class RowAmplitudeLoader(KPTreeLoader, Bloq):
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
    $N$ words), `"select_swap"` (Qualtran `SelectSwapQROM`, dirty-ancilla QROAM),
    `"bucket_brigade"` (`bloqs.qram.bucket_brigade.BucketBrigadeQRAM`, routers and a bus) or
    `"one_hot_decoder"` (`bloqs.qram.one_hot_decoder.OneHotDecoderQRAM`). Summed over levels the
    tables hold $n(d-1)$ words, so the QROM form costs $2(n(d-1) - 2\log_2 d)$ `And`s plus
    $\log_2 d\,(b+1)$ rotations.

    **Controlled version** (`is_controlled=True`, register `ctrl`; what `bloq.controlled()`
    returns): only the rotations are controlled (the queries compute and uncompute), costing $b$
    extra `And`s per level. With `ctrl` = 0 the target stays $|0\rangle$.

    Sizes may be symbolic (`from_sizes`): with an integer $d$ the levels are listed; with a sympy
    $d$ the per-level query costs are summed in closed form (supported for `"qrom"`,
    `"bucket_brigade"` and `"one_hot_decoder"`; `"select_swap"` needs an integer $d$ since its
    block size changes with the level).

    The tree itself (signature, decomposition, call graph, qubit count, controlled version) is
    `bloqs.state_preparation.kp_tree_loader.KPTreeLoader`, shared with `VectorAmplitudeLoader`.

    Args:
        n: number of rows (power of two, $\geq 2$).
        d: row length (power of two, $\geq 2$).
        amplitude_bits: $b$, bits of each stored angle.
        data_access: one of `kp_tree.DATA_ACCESS_KINDS` (`"qrom"`, `"select_swap"`,
            `"bucket_brigade"`, `"one_hot_decoder"`) or the class (`QROM`, `SelectSwapQROM`,
            `BucketBrigadeQRAM`, `OneHotDecoderQRAM`).
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

    @property
    def rows(self) -> SymbolicInt:
        return self.n

    def _check_sizes(self) -> None:
        check_power_of_two(self.n, "n (number of rows)")
        check_power_of_two(self.d, "d (row length)")

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
