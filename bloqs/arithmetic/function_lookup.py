"""Lookup table |x>|z> -> |x>|z XOR f(x)> for any classical function f on in_bitsize bits."""

from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.data_loading.qrom import QROM
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import Shaped, SymbolicInt, is_symbolic


def _positive_size(name: str, value: SymbolicInt) -> SymbolicInt:
    if is_symbolic(value):
        return value
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer or a sympy expression, got {value!r}")
    return int(value)


def _table_converter(table) -> tuple[int, ...] | Shaped:
    if isinstance(table, Shaped):
        return table
    arr = np.asarray(table)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"table must be a non-empty 1-D sequence, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError("table entries must be finite integers")
    elif arr.dtype.kind not in "iub":
        raise ValueError(f"table entries must be integers, got dtype {arr.dtype}")
    return tuple(int(v) for v in arr)


@frozen
class FunctionLookup(Bloq):
    r"""Tabulated classical function: $|x\rangle|z\rangle \mapsto |x\rangle|z \oplus f(x)\rangle$.

    With $z = 0$ this is the map $|x\rangle|0\rangle \mapsto |x\rangle|f(x)\rangle$ of the proof of
    Theorem III.5 ("there exists a unitary V: Σ|x,0> -> Σ|x,f(x)> for any classical function f"),
    realised as a table lookup: any f on `in_bitsize` bits, given as its table of all
    $2^{\text{in\_bitsize}}$ values, is loaded by Qualtran's `QROM` (unary iteration). The
    classical work that produces the table (e.g. phase → ρ = cos 2πφ → k̂(ρ)/k_max → arccos angle,
    depth L included) costs nothing quantum.

    The output is XORed in, so the bloq is its own inverse (`adjoint()` returns itself): the same
    lookup uncomputes $f(x)$.

    Costs: one `QROM` over $N = 2^{\text{in\_bitsize}}$ items, i.e. $N - 2$ Ands (Babbush et al.
    2018, unary iteration) for a generic table, independent of `out_bitsize` (the data is written
    with CNOTs). This is what the sizes-only form (`from_sizes`, table = `Shaped`) counts. For a
    concrete table Qualtran costs the actual unary-iteration circuit, which prunes branches whose
    data coincide, so a structured table can cost less (a constant table costs 0): the sizes-only
    count is an upper bound.

    Args:
        table: the $2^{\text{in\_bitsize}}$ values $f(0), f(1), \ldots$, integers in
            $[0, 2^{\text{out\_bitsize}})$; or `Shaped((N,))` for a sizes-only bloq.
        in_bitsize: bits of the input register x.
        out_bitsize: bits of the output register y.

    Registers:
        x: input, `QUInt(in_bitsize)`, unchanged.
        y: output, `QUInt(out_bitsize)`, XORed with f(x).

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Supplementary proof of Theorem III.5 (the map V for a classical function f).

        [Encoding Electronic Spectra in Quantum Circuits with Linear T
        Complexity](https://arxiv.org/abs/1805.03662). Babbush et al. 2018. Fig. 1a (QROM).
    """

    table: tuple[int, ...] | Shaped = field(converter=_table_converter)
    in_bitsize: SymbolicInt = field(converter=lambda v: _positive_size("in_bitsize", v))
    out_bitsize: SymbolicInt = field(converter=lambda v: _positive_size("out_bitsize", v))

    def __attrs_post_init__(self):
        if isinstance(self.table, Shaped):
            return
        if not is_symbolic(self.in_bitsize) and len(self.table) != 2**self.in_bitsize:
            raise ValueError(
                f"table has {len(self.table)} entries, expected 2**in_bitsize = "
                f"{2**self.in_bitsize}"
            )
        if not is_symbolic(self.out_bitsize):
            lo, hi = min(self.table), max(self.table)
            if lo < 0 or hi >= 2**self.out_bitsize:
                raise ValueError(
                    f"table entries must lie in [0, 2**out_bitsize = {2**self.out_bitsize}), "
                    f"got range [{lo}, {hi}]"
                )

    @classmethod
    def from_sizes(cls, in_bitsize: SymbolicInt, out_bitsize: SymbolicInt) -> "FunctionLookup":
        """A lookup with unknown contents, for costing (table = `Shaped((2**in_bitsize,))`)."""
        return cls(Shaped((2**in_bitsize,)), in_bitsize, out_bitsize)

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [Register("x", QUInt(self.in_bitsize)), Register("y", QUInt(self.out_bitsize))]
        )

    @cached_property
    def qrom(self) -> QROM:
        """The `QROM` this lookup decomposes into (registers `selection`, `target0_`)."""
        if isinstance(self.table, Shaped):
            return QROM.build_from_bitsize(
                (2**self.in_bitsize,), (self.out_bitsize,), selection_bitsizes=(self.in_bitsize,)
            )
        return QROM.build_from_data(
            np.array(self.table, dtype=int), target_bitsizes=(self.out_bitsize,)
        )

    def adjoint(self) -> "FunctionLookup":
        return self

    def on_classical_vals(self, x, y) -> dict:
        if isinstance(self.table, Shaped):
            raise NotImplementedError("a sizes-only FunctionLookup has no table to evaluate")
        return {"x": x, "y": int(y) ^ self.table[int(x)]}

    def build_composite_bloq(self, bb: BloqBuilder, x: SoquetT, y: SoquetT) -> dict[str, SoquetT]:
        if isinstance(self.table, Shaped) or is_symbolic(self.in_bitsize, self.out_bitsize):
            raise DecomposeTypeError(f"Cannot decompose sizes-only {self}")
        x, y = bb.add(self.qrom, selection=x, target0_=y)
        return {"x": x, "y": y}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self.qrom: 1}

    def __str__(self) -> str:
        kind = "sizes" if isinstance(self.table, Shaped) else "table"
        return f"FunctionLookup({kind}, {self.in_bitsize}->{self.out_bitsize})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _function_lookup() -> FunctionLookup:
    # f(x) = x^2 mod 8 on 3 bits
    function_lookup = FunctionLookup(
        table=[(x * x) % 8 for x in range(8)], in_bitsize=3, out_bitsize=3
    )
    return function_lookup


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _function_lookup_symb() -> FunctionLookup:
    m, b = sympy.symbols("m b", positive=True, integer=True)
    function_lookup_symb = FunctionLookup.from_sizes(m, b)
    return function_lookup_symb


_FUNCTION_LOOKUP_DOC = BloqDocSpec(
    bloq_cls=FunctionLookup,
    import_line="from bloqs.arithmetic.function_lookup import FunctionLookup",
    examples=[_function_lookup, _function_lookup_symb],
)
