"""Sparsity oracle for a stored symmetric pattern (the paper's pseudorandom ν), in place."""

from collections.abc import Sequence
from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QUInt,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.arithmetic import Add
from qualtran.bloqs.arithmetic.comparison import LinearDepthGreaterThan
from qualtran.bloqs.basic_gates import CNOT, Swap, XGate
from qualtran.bloqs.block_encoding.sparse_matrix import RowColumnOracle
from qualtran.bloqs.data_loading import QROM
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, ceil, is_symbolic, log2


def _as_offsets(rows) -> tuple[tuple[int, ...], ...] | None:
    if rows is None:
        return None
    return tuple(tuple(int(c) for c in row) for row in rows)


def _repair(sets: list[set], fillers: set, j: int, k: int | None) -> bool:
    """Stuck at short row j (and short row k, already adjacent, when j lacks one column): swap a
    filler pair (u, v) for (j, u), (j or k, v). Returns whether a swap was made."""
    other = j if k is None else k
    for u, v in sorted(fillers):
        for a, b in ((u, v), (v, u)):
            if a not in sets[j] and a != j and b not in sets[other] and b != other and a != b:
                fillers.discard((u, v))
                sets[u].discard(v)
                sets[v].discard(u)
                for x, y in ((j, a), (other, b)):
                    sets[x].add(y)
                    sets[y].add(x)
                    fillers.add((min(x, y), max(x, y)))
                return True
    return False


def complete_symmetric_pattern(
    rows: Sequence[Sequence[int]], num_nonzero: int
) -> tuple[tuple[int, ...], ...]:
    """Pad a symmetric pattern (diagonal on, ≤ s columns a row) to exactly s columns a row.

    Filler pairs (zero entries of the matrix) are added symmetrically between rows short of ``s``
    that are not yet paired (the shortest row first, joined to the shortest others); when that
    gets stuck, a filler pair (u, v) is swapped for (j, u), (k, v), and a few seeded reshuffles
    follow if that fails too. A block encoding needs the *filled* pattern symmetric: its inverse
    row oracle is applied to every column the forward oracle produced. Raises ``ValueError``
    when no completion is found (a larger ``s`` or another pattern seed then helps).
    """
    n, s = len(rows), int(num_nonzero)
    base = [set(int(c) for c in r) for r in rows]
    if s > n:
        raise ValueError(f"sparsity s={s} exceeds n={n}")
    if any(len(r) > s for r in base):
        raise ValueError(f"a row has more than s={s} columns")
    rng = np.random.default_rng(0)
    for attempt in range(16):
        sets, fillers = [set(r) for r in base], set()
        tie = rng.permutation(n) if attempt else np.arange(n)
        for _ in range(n * s):
            short = sorted(
                (j for j in range(n) if len(sets[j]) < s), key=lambda j: (len(sets[j]), tie[j])
            )
            if not short:
                return tuple(tuple(sorted(r)) for r in sets)
            j = short[0]
            partners = [k for k in short[1:] if k not in sets[j]]
            if partners:
                k = partners[0]
                sets[j].add(k)
                sets[k].add(j)
                fillers.add((min(j, k), max(j, k)))
                continue
            need = s - len(sets[j])
            k = None if need >= 2 else next((x for x in short[1:]), None)
            if (need == 1 and k is None) or not _repair(sets, fillers, j, k):
                break
    raise ValueError(f"cannot complete the pattern symmetrically to s={s} columns a row")


@frozen
class StoredPatternRowColumnOracle(RowColumnOracle):
    r"""In-place sparsity oracle $|l\rangle|j\rangle \mapsto |\nu(j, l)\rangle|j\rangle$, by table.

    The pattern is stored as, for every row $j$, its $s$ columns as **cyclic offsets**
    $\delta_{j,l} = (\nu(j, l) - j) \bmod n$ sorted increasingly, so $\delta_{j,0} = 0$: the
    diagonal is slot 0 and the offsets of a row are strictly increasing in $l$. This is the
    paper's "sorted data structure" for the pseudorandom pattern (Suppl. Sec. V), with any
    symmetric pattern accepted (`from_columns`). Rows of the table are padded to $2^m$ slots,
    $m = \lceil \log_2 s \rceil$, with the value $n$ (larger than every offset).

    **In-place form (inverse map by binary search).** With $t$ a fresh register:
    1. read $t = \delta_{j,l}$ (QROM on $(j, l)$, $n \cdot 2^m$ words of $\log_2 n + 1$ bits);
    2. erase $l$: $l$ is the rank of $t$ in row $j$'s sorted offsets, the result of the binary
       search "largest $r$ with $\delta_{j,r} \le t$" (bits of $r$ fixed from the most
       significant down, each by one read of $\delta_{j, r'}$ and one comparison). Running that
       search backwards on the register holding $l$ returns it to 0. Step $b$ (least significant
       first): set a flag to $\lnot l_b$, set $l_b = 1$, read $v = \delta_{j,l}$, flag
       $\mathrel{\oplus}= [v > t]$ (which clears it), unread $v$, clear $l_b$. That is
       $\lceil \log_2 s \rceil$ comparisons and $2\lceil \log_2 s \rceil$ reads;
    3. swap $t$ into the (now zero) slot register, release $t$, and add $j$ mod $n$ (`Add`): the
       slot register holds $\nu(j, l)$, on the same qubits as the input.

    Cost: $2\lceil\log_2 s\rceil + 1$ QROM reads (the count under the unit-cost QRAM model),
    each $n \cdot 2^{\lceil \log_2 s \rceil} - 2$ Toffolis by unary iteration (circuit model);
    $\lceil\log_2 s\rceil$ comparators (`LinearDepthGreaterThan`, $\log_2 n + 1$ Toffolis
    each); one $\log_2 n$-bit adder.

    **Choice, and the alternatives.** An inverse *table* $(j, \nu) \mapsto l$ has $n^2$ words
    (QROM cost $n^2$); the binary search needs only the forward table, at
    $(2\lceil\log_2 s\rceil + 1)\, n\, 2^{\lceil\log_2 s\rceil} \approx 2 n s \log_2 s$ Toffolis, so
    it wins for $n \gtrsim 2 s \log_2 s$. Every read uses the same table (address = row and full
    slot register, whose undecided low bits are 0), so the costs are exact as formulas in $n, s$;
    reads of prefix-sized tables ($n \cdot 2^b$ words at step $b$) would save a factor
    $\approx \log_2 s$ in the circuit model but not in query count. Splitting the pattern into
    $s$ matchings makes the row-then-column walk need no inverse at all, but it is not the
    in-place `RowColumnOracle` interface and needs an $s$-edge-colouring of the pattern.

    The pattern must be **symmetric with exactly s columns a row** (fillers included; use
    `complete_symmetric_pattern`): a block encoding applies the inverse oracle to every column
    the forward oracle produced. The oracle is exact on its domain $l \in [s]$.

    Args:
        system_bitsize: $\log_2 n$.
        num_nonzero: $s \ge 2$, slots per row.
        offsets: the $n \times s$ table of sorted cyclic offsets, or `None` (from sizes: costs
            only). Build it with `from_columns`.

    Registers:
        l: in: slot $l \in [s]$; out: column $\nu(j, l)$.
        i: the row index $j$, unchanged.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021. Supplementary
        Sections III C (ν and $P_A$) and V (sorted pattern, binary search on the column index).

        [Encoding Electronic Spectra in Quantum Circuits with Linear T
        Complexity](https://arxiv.org/abs/1805.03662). Babbush et al. 2018. Section III A
        (QROM by unary iteration, $N - 2$ Toffolis).
    """

    system_bitsize: SymbolicInt
    num_nonzero: SymbolicInt
    offsets: tuple[tuple[int, ...], ...] | None = field(default=None, converter=_as_offsets)

    def __attrs_post_init__(self):
        k, s = self.system_bitsize, self.num_nonzero
        if not is_symbolic(k) and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            raise ValueError(f"system_bitsize must be an integer >= 1 (got {k!r})")
        if not is_symbolic(s) and (isinstance(s, bool) or not isinstance(s, int) or s < 2):
            raise ValueError(f"num_nonzero must be an integer >= 2 (got {s!r})")
        if not is_symbolic(k) and not is_symbolic(s) and s > 2**k:
            raise ValueError(f"sparsity s={s} exceeds n={2**k}")
        if self.offsets is None:
            return
        if is_symbolic(k) or is_symbolic(s):
            raise ValueError("offsets need concrete system_bitsize and num_nonzero")
        n = 2**k
        if len(self.offsets) != n or any(len(r) != s for r in self.offsets):
            raise ValueError(f"offsets must be an {n} x {s} table")
        for j, row in enumerate(self.offsets):
            if row[0] != 0 or any(not 0 < d < n for d in row[1:]):
                raise ValueError(f"row {j}: offsets must start at 0 and lie in [1, {n})")
            if any(a >= b for a, b in zip(row[:-1], row[1:], strict=True)):
                raise ValueError(f"row {j}: offsets must be strictly increasing")
        for j, row in enumerate(self.offsets):
            for d in row:
                c = (j + d) % n
                if (j - c) % n not in self.offsets[c]:
                    raise ValueError(f"asymmetric pattern: {c} in row {j} but {j} not in row {c}")

    @classmethod
    def from_columns(cls, columns: Sequence[Sequence[int]]) -> "StoredPatternRowColumnOracle":
        """From the column lists of all rows: n (a power of two) rows of s distinct columns each,
        the diagonal included, symmetric. Slot order is by cyclic offset from the row."""
        n = len(columns)
        if n < 2 or n & (n - 1):
            raise ValueError(f"the number of rows must be a power of two >= 2 (got {n})")
        sizes = {len(c) for c in columns}
        if len(sizes) != 1:
            raise ValueError(f"every row needs the same number of columns (got sizes {sizes})")
        offsets = []
        for j, cols in enumerate(columns):
            cols = [int(c) for c in cols]
            if any(not 0 <= c < n for c in cols) or len(set(cols)) != len(cols):
                raise ValueError(f"row {j}: columns must be distinct and in [0, {n})")
            if j not in cols:
                raise ValueError(f"row {j}: the diagonal must be among the columns")
            offsets.append(tuple(sorted((c - j) % n for c in cols)))
        return cls(n.bit_length() - 1, sizes.pop(), tuple(offsets))

    @classmethod
    def from_sizes(cls, system_bitsize: SymbolicInt, num_nonzero: SymbolicInt):
        """Costing only (no table): any n = 2^system_bitsize, s = num_nonzero."""
        return cls(system_bitsize, num_nonzero, None)

    def nu(self, j: int, l: int) -> int:
        """Classical ν(j, l) = (j + δ_{j,l}) mod n."""
        if self.offsets is None:
            raise ValueError("no stored pattern (built from sizes)")
        n = 2 ** int(self.system_bitsize)
        return (j + self.offsets[j][l]) % n

    @cached_property
    def slot_bitsize(self) -> SymbolicInt:
        """$m = \\lceil \\log_2 s \\rceil$, bits of the slot index read by the table."""
        s = self.num_nonzero
        return ceil(log2(s)) if is_symbolic(s) else (int(s) - 1).bit_length()

    @cached_property
    def value_bitsize(self) -> SymbolicInt:
        """Bits of a stored offset: $\\log_2 n + 1$ (the pad value is n)."""
        return self.system_bitsize + 1

    @cached_property
    def table(self) -> QROM:
        """The QROM of offsets on (row, slot), rows padded with n to 2^m slots."""
        k, m, w = self.system_bitsize, self.slot_bitsize, self.value_bitsize
        if self.offsets is None:
            return QROM.build_from_bitsize((2**k, 2**m), (w,))
        data = np.full((2**k, 2**m), 2**k, dtype=int)
        data[:, : self.num_nonzero] = np.array(self.offsets, dtype=int)
        return QROM.build_from_data(data, target_bitsizes=(w,))

    def build_composite_bloq(self, bb: BloqBuilder, l: SoquetT, i: SoquetT) -> dict[str, SoquetT]:
        if self.offsets is None:
            raise DecomposeTypeError(f"Cannot decompose {self} without a stored pattern")
        k, m, w = int(self.system_bitsize), int(self.slot_bitsize), int(self.value_bitsize)
        qrom = self.table
        lbits = bb.split(l)  # big-endian
        high, slot = list(lbits[: k - m]), bb.join(lbits[k - m :], dtype=QUInt(m))
        t = bb.allocate(w)
        i, slot, t = bb.add(qrom, selection0=i, selection1=slot, target0_=t)
        for b in range(m):  # undo the binary search, least significant bit first
            sbits = bb.split(slot)
            pos = m - 1 - b
            flag = bb.allocate(1)
            sbits[pos], flag = bb.add(CNOT(), ctrl=sbits[pos], target=flag)
            flag = bb.add(XGate(), q=flag)  # flag = not l_b
            flag, sbits[pos] = bb.add(CNOT(), ctrl=flag, target=sbits[pos])  # l_b = 1
            slot = bb.join(sbits, dtype=QUInt(m))
            v = bb.allocate(w)
            i, slot, v = bb.add(qrom, selection0=i, selection1=slot, target0_=v)
            v, t, flag = bb.add(LinearDepthGreaterThan(w), a=v, b=t, target=flag)  # clears flag
            i, slot, v = bb.add(qrom, selection0=i, selection1=slot, target0_=v)
            bb.free(v)
            bb.free(flag)
            sbits = bb.split(slot)
            sbits[pos] = bb.add(XGate(), q=sbits[pos])
            slot = bb.join(sbits, dtype=QUInt(m))
        # the slot register is 0 now: move ν into it (the output stays on the input qubits) and
        # release the scratch register (its pad bit is 0 for a valid slot)
        old = bb.join(np.concatenate([high, bb.split(slot)]), dtype=QUInt(k))
        tbits = bb.split(t)
        low = bb.join(tbits[1:], dtype=QUInt(k))
        low, old = bb.add(Swap(k), x=low, y=old)
        bb.free(bb.join(np.concatenate([tbits[:1], bb.split(low)]), dtype=QUInt(w)))
        i, out = bb.add(Add(QUInt(k), QUInt(k)), a=i, b=old)
        return {"l": out, "i": i}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        k, m, w = self.system_bitsize, self.slot_bitsize, self.value_bitsize
        return {
            self.table: 2 * m + 1,
            LinearDepthGreaterThan(w): m,
            CNOT(): 2 * m,
            XGate(): 2 * m,
            Add(QUInt(k), QUInt(k)): 1,
            Swap(k): 1,
        }

    def __str__(self) -> str:
        return f"StoredPattern(s={self.num_nonzero})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _stored_pattern_row_column_oracle() -> StoredPatternRowColumnOracle:
    from bloqs.block_encoding.stored_pattern_oracle import complete_symmetric_pattern

    rows = [(0, 1, 3), (0, 1, 2), (1, 2), (0, 3)]
    stored_pattern_row_column_oracle = StoredPatternRowColumnOracle.from_columns(
        complete_symmetric_pattern(rows, 3)
    )
    return stored_pattern_row_column_oracle


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _stored_pattern_row_column_oracle_symb() -> StoredPatternRowColumnOracle:
    k, s = sympy.symbols("k s", positive=True, integer=True)
    stored_pattern_row_column_oracle_symb = StoredPatternRowColumnOracle.from_sizes(k, s)
    return stored_pattern_row_column_oracle_symb


_STORED_PATTERN_ROW_COLUMN_ORACLE_DOC = BloqDocSpec(
    bloq_cls=StoredPatternRowColumnOracle,
    import_line=(
        "from bloqs.block_encoding.stored_pattern_oracle import (\n"
        "    StoredPatternRowColumnOracle, complete_symmetric_pattern)"
    ),
    examples=[_stored_pattern_row_column_oracle, _stored_pattern_row_column_oracle_symb],
)
