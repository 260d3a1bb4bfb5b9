"""Signed entry oracle by table: a flag rotated so its |0⟩ amplitude is A_ij ∈ [−1, 1]."""

from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.block_encoding.sparse_matrix import EntryOracle
from qualtran.bloqs.data_loading import QROM
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.encoding.arccos_rotation import ArccosRotation, angle_integer
from bloqs.specialized_ctrl import ctrl_system_from_is_controlled


def _as_entries(data) -> tuple[tuple[float, ...], ...] | None:
    if data is None:
        return None
    arr = np.asarray(data, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"entries must be a square 2-D array (got shape {arr.shape})")
    return tuple(tuple(float(x) for x in row) for row in arr)


@frozen
class SignedTableEntryOracle(EntryOracle):
    r"""Entry oracle $|0\rangle|i\rangle|j\rangle \mapsto (A_{ij}|0\rangle + \sqrt{1 - A_{ij}^2}
    |1\rangle)|i\rangle|j\rangle$ for **signed** $A_{ij} \in [-1, 1]$, from a table.

    The angle $\theta_{ij} = \arccos A_{ij} \in [0, \pi]$ is stored as the $b$-bit integer
    $a_{ij} = \mathrm{round}(\theta_{ij}/\pi \cdot 2^b)$, clipped to $2^b - 1$ so that
    $A_{ij} = -1$ does not wrap to $+1$; the flag is rotated by $R_y(2\pi a_{ij}/2^b)$, whose
    $|0\rangle$ amplitude is $\cos(\pi a_{ij}/2^b)$. Negative entries need no extra sign gate
    ($\theta > \pi/2$). Precision: $|\cos(\pi a_{ij}/2^b) - A_{ij}| \le \pi/2^{b+1}$ (rounded
    angle; at $A = -1$ the error is $1 - \cos(\pi/2^b)$).

    Decomposition: QROM of the $n^2$ angle words on $(i, j)$ into a $b$-qubit register,
    `ArccosRotation(b)` on the flag, the same QROM to unload. Qualtran's `ExplicitEntryOracle`
    is not used: it accepts entries in $[0, 1]$ only and truncates the angle. This table form is
    for small instances (its QROM has $n^2$ words); large instances compute the entries.

    Args:
        system_bitsize: $\log_2 n$.
        entry_bitsize: $b$, bits of the stored angle.
        entries: the $n \times n$ matrix $A$ (finite, in $[-1, 1]$), or `None` (from sizes:
            costs only).
        is_controlled: add a `ctrl` qubit; only the rotation takes the control (the QROM
            computes and uncomputes the angle either way), so with `ctrl` = 0 this is identity.

    Registers:
        ctrl: (only if `is_controlled`) the control qubit.
        q: the flag; its $|0\rangle$ amplitude becomes $A_{ij}$.
        i: row index (unchanged).
        j: column index (unchanged).

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021. Supplementary
        Lemma III.4 (amplitude encoding by an arccos rotation) and Section III C (the entry
        part of $P_A$).

        [Lecture Notes on Quantum Algorithms for Scientific
        Computation](https://arxiv.org/abs/2201.08309). Lin Lin. 2022. Section 6.5 (entry
        oracle of a sparse block encoding).
    """

    system_bitsize: SymbolicInt
    entry_bitsize: SymbolicInt
    entries: tuple[tuple[float, ...], ...] | None = field(default=None, converter=_as_entries)
    is_controlled: bool = False

    @cached_property
    def signature(self) -> Signature:
        ctrl = {"ctrl": QBit()} if self.is_controlled else {}
        k = self.system_bitsize
        return Signature.build_from_dtypes(**ctrl, q=QBit(), i=QAny(k), j=QAny(k))

    def __attrs_post_init__(self):
        k, b = self.system_bitsize, self.entry_bitsize
        if not is_symbolic(k) and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            raise ValueError(f"system_bitsize must be an integer >= 1 (got {k!r})")
        if not is_symbolic(b) and (isinstance(b, bool) or not isinstance(b, int) or b < 1):
            raise ValueError(f"entry_bitsize must be an integer >= 1 (got {b!r})")
        if self.entries is None:
            return
        if is_symbolic(k) or is_symbolic(b):
            raise ValueError("entries need concrete system_bitsize and entry_bitsize")
        arr = np.asarray(self.entries)
        if arr.shape != (2**k, 2**k):
            raise ValueError(f"entries must be {2**k} x {2**k} (got {arr.shape})")
        if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > 1):
            raise ValueError("entries must be finite and in [-1, 1]")

    @classmethod
    def from_entries(cls, entries, entry_bitsize: int) -> "SignedTableEntryOracle":
        """From an n × n array (n a power of two ≥ 2)."""
        arr = np.asarray(entries, dtype=float)
        n = arr.shape[0] if arr.ndim == 2 else 0
        if n < 2 or n & (n - 1):
            raise ValueError(f"entries must be n x n with n a power of two >= 2 (got {arr.shape})")
        return cls(n.bit_length() - 1, entry_bitsize, arr)

    @property
    def precision(self) -> float:
        """Largest |encoded − A_ij| for any entry: π/2^(b+1)."""
        return float(np.pi / 2 ** (self.entry_bitsize + 1))

    def encoded_entries(self) -> np.ndarray:
        """The amplitudes the circuit produces: cos(π·a_ij/2^b)."""
        a = angle_integer(np.asarray(self.entries), int(self.entry_bitsize))
        return np.cos(np.pi * a / 2 ** int(self.entry_bitsize))

    @cached_property
    def table(self) -> QROM:
        k, b = self.system_bitsize, self.entry_bitsize
        if self.entries is None:
            return QROM.build_from_bitsize((2**k, 2**k), (b,))
        data = angle_integer(np.asarray(self.entries), int(b))
        return QROM.build_from_data(data, target_bitsizes=(int(b),))

    @property
    def rotation(self) -> ArccosRotation:
        return ArccosRotation(self.entry_bitsize, is_controlled=self.is_controlled)

    def build_composite_bloq(
        self, bb: BloqBuilder, q: SoquetT, i: SoquetT, j: SoquetT, **ctrl: SoquetT
    ) -> dict[str, SoquetT]:
        if self.entries is None:
            raise DecomposeTypeError(f"Cannot decompose {self} without entries")
        b = int(self.entry_bitsize)
        angle = bb.allocate(dtype=QUInt(b))
        i, j, angle = bb.add(self.table, selection0=i, selection1=j, target0_=angle)
        out = bb.add_d(self.rotation, angle=angle, flag=q, **ctrl)
        angle, q = out.pop("angle"), out.pop("flag")
        i, j, angle = bb.add(self.table, selection0=i, selection1=j, target0_=angle)
        bb.free(angle)
        return {"q": q, "i": i, "j": j, **out}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self.table: 2, self.rotation: 1}

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        c = "C" if self.is_controlled else ""
        return f"{c}SignedTableEntry(b={self.entry_bitsize})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _signed_table_entry_oracle() -> SignedTableEntryOracle:
    entries = [[1.0, -0.5], [-0.5, -1.0]]
    signed_table_entry_oracle = SignedTableEntryOracle.from_entries(entries, entry_bitsize=4)
    return signed_table_entry_oracle


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _signed_table_entry_oracle_symb() -> SignedTableEntryOracle:
    k, b = sympy.symbols("k b", positive=True, integer=True)
    signed_table_entry_oracle_symb = SignedTableEntryOracle(system_bitsize=k, entry_bitsize=b)
    return signed_table_entry_oracle_symb


_SIGNED_TABLE_ENTRY_ORACLE_DOC = BloqDocSpec(
    bloq_cls=SignedTableEntryOracle,
    import_line="from bloqs.block_encoding.signed_entry_oracle import SignedTableEntryOracle",
    examples=[_signed_table_entry_oracle, _signed_table_entry_oracle_symb],
)
