"""The paper's computed entry oracle P_A: kernel entries k(x_i·x_j) computed from the data."""

from functools import cached_property

import attrs
import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.block_encoding.sparse_matrix import EntryOracle
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt

from bloqs.ntk.kernel_entry import KernelEntry
from bloqs.specialized_ctrl import ctrl_system_from_is_controlled

#: Index register names of the entry oracle interface (row, column).
INDEX_NAMES = ("i", "j")


@frozen
class ComputedKernelEntryOracle(EntryOracle):
    r"""Entry oracle $|0\rangle_q|0\rangle_{scratch}|i\rangle|j\rangle \mapsto
    (\bar c_{ij}|0\rangle + \ldots)|i\rangle|j\rangle$ with the kernel entry computed from the
    data, not looked up in an $n^2$ table.

    The oracle $P_A$ of Algorithm 1 line 15 (Supplementary Section III C: "the efficiency of
    computing an NTK element ensures that the procedure $P_A$ requires only logarithmic time"):
    `KernelEntry` on two `RowAmplitudeLoader`s of the same data, index registers named `i` (row)
    and `j` (column), in superposition over $(i, j)$:

    1. Hadamard test of $|x_i\rangle$ and $|x_j\rangle$, $p = (1 - x_i\cdot x_j)/2$;
    2. amplitude estimation (`phase_bits` = m) — k copies and their coherent median;
    3. the classical table phase → angle integer $a$ (`angle_table`), e.g.
       `qntk_compile.kernel.table.kernel_angle_table` with the normalisation the block encoding
       needs: for `WeightedSparseBlockEncoding` the off-diagonal entries are $\tilde K_{ij}/o$,
       so the table holds $\mathrm{clip}(\hat k(\rho)/o, -1, 1)$, which is 1 at $\rho = 1$
       (every $x_i\cdot x_i = 1$ gives phase 0 exactly: the diagonal entry $\tilde K_{ii}/d =
       1$ comes out of the same table);
    4. the flag `q` rotated to $\cos(\pi a/2^b)|0\rangle + \sin(\pi a/2^b)|1\rangle$;
    5. steps 3–1 undone.

    With `scratch` (the AE registers) taken in $|0\rangle$ on both sides, the flag-0 amplitude is
    $\bar c_{ij} = \sum_y \Pr(y \mid i, j)\cos(\pi a(y)/2^b)$: the AE/median average of the
    discretised kernel value; it is exactly $\cos(\pi a(y_{ij})/2^b)$ when AE is sharp (phase on
    the grid). A block encoding that uses this oracle must therefore include `scratch` in its
    ancilla (`WeightedSparseBlockEncoding` does so for any entry oracle with work registers).

    Costs (symbolic in n, d, m, k, b, from `KernelEntry`): $2k(2^{m+1} - 1)$ controlled calls of
    each row loader ($O(\log n)$ depth QRAM queries each), the median, two table lookups of
    $2^m$ words and one `ArccosRotation(b)`: independent of n beyond the loaders' $\log n$.

    Controlled version (`is_controlled=True`, register `ctrl`): only the rotation takes the
    control (`KernelEntry`'s controlled version), so with `ctrl` = 0 it is the identity.

    Args:
        entry: the `KernelEntry` with index registers `i` and `j` (see `from_data` /
            `from_sizes`).
        is_controlled: add a `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        q: the entry flag.
        i: row index ($\log_2 n$ qubits, unchanged).
        j: column index ($\log_2 n$ qubits, unchanged).
        scratch: $k(\log_2 d + 1 + m)$ qubits, start in $|0\rangle$ (the AE registers).

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021. Algorithm 1
        line 15, Supplementary Section III C (the oracle $P_A$), Theorem III.5 and Lemma III.4
        (kernel entry by inner-product test, AE, median and arccos rotation).

        [Lecture Notes on Quantum Algorithms for Scientific
        Computation](https://arxiv.org/abs/2201.08309). Lin Lin. 2022. Section 6.5 (the entry
        oracle interface $O_A$).
    """

    entry: KernelEntry
    is_controlled: bool = False

    def __attrs_post_init__(self):
        names = tuple(r.name for r in self.entry.index_registers)
        if names != INDEX_NAMES:
            raise ValueError(
                f"the kernel entry must expose the index registers {INDEX_NAMES}, got {names}"
            )
        if self.entry.is_controlled:
            raise ValueError("pass the uncontrolled KernelEntry (use is_controlled here)")

    @classmethod
    def from_data(
        cls,
        X,
        angle_table,
        amplitude_bits: int,
        phase_bits: int,
        median_copies: int,
        kernel_bits: int,
        data_access: str = "qrom",
    ) -> "ComputedKernelEntryOracle":
        """Concrete: rows X (n × d, powers of two) and the phase → angle table."""
        return cls(
            KernelEntry.from_data(
                X,
                angle_table,
                amplitude_bits,
                phase_bits,
                median_copies,
                kernel_bits,
                data_access,
                index_names=INDEX_NAMES,
            )
        )

    @classmethod
    def from_sizes(
        cls,
        n: SymbolicInt,
        d: SymbolicInt,
        amplitude_bits: SymbolicInt,
        phase_bits: SymbolicInt,
        median_copies: SymbolicInt,
        kernel_bits: SymbolicInt,
        data_access: str = "qrom",
    ) -> "ComputedKernelEntryOracle":
        """Sizes only (ints or sympy symbols), for costing; never enumerates n."""
        return cls(
            KernelEntry.from_sizes(
                n,
                d,
                amplitude_bits,
                phase_bits,
                median_copies,
                kernel_bits,
                data_access,
                index_names=INDEX_NAMES,
            )
        )

    @property
    def system_bitsize(self) -> SymbolicInt:
        return self.entry.index_registers[0].total_bits()

    @property
    def scratch_bits(self) -> SymbolicInt:
        return self.entry.scratch_bits

    @cached_property
    def signature(self) -> Signature:
        ctrl = {"ctrl": QBit()} if self.is_controlled else {}
        k = self.system_bitsize
        return Signature.build_from_dtypes(
            **ctrl, q=QBit(), i=QAny(k), j=QAny(k), scratch=QAny(self.scratch_bits)
        )

    @cached_property
    def kernel_entry(self) -> KernelEntry:
        return attrs.evolve(self.entry, is_controlled=self.is_controlled)

    def build_composite_bloq(self, bb: BloqBuilder, q: SoquetT, **soqs: SoquetT):
        if not self.entry.decomposable:
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        out = bb.add_d(self.kernel_entry, flag=q, **soqs)
        return {"q": out.pop("flag"), **out}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self.kernel_entry: 1}

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        return f"{'C' if self.is_controlled else ''}ComputedKernelEntry"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _computed_kernel_entry_oracle() -> ComputedKernelEntryOracle:
    import numpy as np

    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    # phase y -> angle integer (m = 2, b = 2): y = 0 (x_i·x_j = 1) -> entry 1, y = 1, 3
    # (x_i·x_j = 0) -> angle 1 (entry cos(π/4)), y = 2 (x_i·x_j = -1) -> angle 3
    computed_kernel_entry_oracle = ComputedKernelEntryOracle.from_data(
        X, angle_table=(0, 1, 3, 1), amplitude_bits=3, phase_bits=2, median_copies=1, kernel_bits=2
    )
    return computed_kernel_entry_oracle


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _computed_kernel_entry_oracle_symb() -> ComputedKernelEntryOracle:
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    computed_kernel_entry_oracle_symb = ComputedKernelEntryOracle.from_sizes(n, d, ba, m, 3, b)
    return computed_kernel_entry_oracle_symb


_COMPUTED_KERNEL_ENTRY_ORACLE_DOC = BloqDocSpec(
    bloq_cls=ComputedKernelEntryOracle,
    import_line="from bloqs.ntk.computed_entry_oracle import ComputedKernelEntryOracle",
    examples=[_computed_kernel_entry_oracle, _computed_kernel_entry_oracle_symb],
)
