"""Circulant (cyclic band) sparsity oracle ν(j, l) = (j + c_l) mod n, diagonal in slot 0."""

from functools import cached_property

import sympy
from attrs import frozen
from qualtran import BloqBuilder, BloqDocSpec, DecomposeTypeError, QUInt, SoquetT, bloq_example
from qualtran.bloqs.arithmetic import Add, AddK, LessThanConstant
from qualtran.bloqs.basic_gates import XGate
from qualtran.bloqs.block_encoding.sparse_matrix import RowColumnOracle
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic


@frozen
class CirculantBandRowColumnOracle(RowColumnOracle):
    r"""Cyclic band pattern $\nu(j, l) = (j + c_l) \bmod n$ as a `RowColumnOracle`.

    $|l\rangle|j\rangle \mapsto |\nu(j, l)\rangle|j\rangle$ for $l \in [s]$, $s = 2B + 1$, with
    the offsets in increasing cyclic order
    $$ c_l = l \ (0 \le l \le B), \qquad c_l = l - s \bmod n \ (B < l < s), $$
    i.e. slots $0, 1, \dots, B$ hold offsets $0, 1, \dots, B$ and slots $B+1, \dots, 2B$ hold
    $-B, \dots, -1$. The pattern is symmetric ($k \in \nu(j,\cdot) \Leftrightarrow
    j \in \nu(k,\cdot)$) and **the diagonal is slot 0**, which the weighted diffusion of
    `WeightedSparseBlockEncoding` needs (Qualtran's `SymmetricBandedRowColumnOracle` has the same
    pattern but puts the diagonal in slot $B$, so it is not reused).

    Decomposition (all on $\log_2 n$ qubits, polylog $n$): a flag $f = [l > B]$
    (`LessThanConstant(B + 1)` and an X), $l \mathrel{+}= n - s$ controlled on $f$ (a controlled
    `AddK`), $f$ uncomputed from the new value ($f = [c_l \ge n - B]$, valid because $n \ge s$
    makes $[0, B]$ and $[n - B, n)$ disjoint), then $l \mathrel{+}= j$ (`Add`, mod $n$). The
    oracle is exact on its domain $l \in [s]$ (the register type says so); other inputs of the
    slot register are never produced by the block encodings that call it.

    Args:
        system_bitsize: $\log_2 n$, bits of the row index (and of the output column index).
        num_nonzero: $s$, odd, $1 \le s \le n$. Even $s$ (offset $n/2$) is not supported: use
            `StoredPatternRowColumnOracle.from_columns` for any other offset set.

    Registers:
        l: in: slot $l \in [s]$; out: column $\nu(j, l)$.
        i: the row index $j$, unchanged.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021. Supplementary
        Section III C (the map ν and the sparse-access oracle $P_A$).

        [Quantum linear systems algorithm with exponentially improved dependence on
        precision](https://arxiv.org/abs/1511.02306). Childs, Kothari, Somma. 2017. Section 1
        (sparse access $|j, l\rangle \mapsto |j, \nu(j, l)\rangle$).
    """

    system_bitsize: SymbolicInt
    num_nonzero: SymbolicInt

    def __attrs_post_init__(self):
        if is_symbolic(self.system_bitsize) or is_symbolic(self.num_nonzero):
            return
        k, s = self.system_bitsize, self.num_nonzero
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"system_bitsize must be an integer >= 1 (got {k!r})")
        if isinstance(s, bool) or not isinstance(s, int) or s < 1 or s % 2 == 0:
            raise ValueError(f"num_nonzero must be an odd integer >= 1 (got {s!r})")
        if s > 2**k:
            raise ValueError(f"sparsity s={s} exceeds n={2**k}")

    @cached_property
    def band(self) -> SymbolicInt:
        """$B = (s - 1)/2$, the number of offsets on each side of the diagonal."""
        return (self.num_nonzero - 1) // 2

    def nu(self, j: int, l: int) -> int:
        """Classical ν(j, l) (the map this oracle computes)."""
        n, s = 2 ** int(self.system_bitsize), int(self.num_nonzero)
        if not (0 <= j < n and 0 <= l < s):
            raise ValueError(f"(j, l)=({j}, {l}) out of range [0, {n}) x [0, {s})")
        return (j + (l if l <= self.band else l - s)) % n

    @cached_property
    def _parts(self):
        k, s = self.system_bitsize, self.num_nonzero
        dtype = QUInt(k)
        return (
            LessThanConstant(k, self.band + 1),
            AddK(dtype, 2**k - s).controlled(),
            LessThanConstant(k, 2**k - self.band),
            Add(dtype, dtype),
        )

    def build_composite_bloq(self, bb: BloqBuilder, l: SoquetT, i: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.system_bitsize) or is_symbolic(self.num_nonzero):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        lt_low, cadd, lt_high, add = self._parts
        f = bb.allocate(1)
        l, f = bb.add(lt_low, x=l, target=f)
        f = bb.add(XGate(), q=f)  # f = [l > B]
        f, l = bb.add(cadd, ctrl=f, x=l)  # l -> c_l
        l, f = bb.add(lt_high, x=l, target=f)  # f ^= [c_l < n - B] = not f
        f = bb.add(XGate(), q=f)
        bb.free(f)
        i, l = bb.add(add, a=i, b=l)
        return {"l": l, "i": i}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        lt_low, cadd, lt_high, add = self._parts
        return {lt_low: 1, lt_high: 1, XGate(): 2, cadd: 1, add: 1}

    def __str__(self) -> str:
        return f"CirculantBand(s={self.num_nonzero})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _circulant_band_row_column_oracle() -> CirculantBandRowColumnOracle:
    circulant_band_row_column_oracle = CirculantBandRowColumnOracle(system_bitsize=3, num_nonzero=5)
    return circulant_band_row_column_oracle


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _circulant_band_row_column_oracle_symb() -> CirculantBandRowColumnOracle:
    k, s = sympy.symbols("k s", positive=True, integer=True)
    circulant_band_row_column_oracle_symb = CirculantBandRowColumnOracle(
        system_bitsize=k, num_nonzero=s
    )
    return circulant_band_row_column_oracle_symb


_CIRCULANT_BAND_ROW_COLUMN_ORACLE_DOC = BloqDocSpec(
    bloq_cls=CirculantBandRowColumnOracle,
    import_line="from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle",
    examples=[_circulant_band_row_column_oracle, _circulant_band_row_column_oracle_symb],
)
