"""Well-normalised sparse block encoding: diagonal in slot 0, weighted diffusion, α = d + (s−1)o."""

from dataclasses import dataclass
from functools import cached_property

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CSwap, Swap
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.bloqs.block_encoding.sparse_matrix import EntryOracle, RowColumnOracle, SparseMatrix
from qualtran.bloqs.reflections.prepare_identity import PrepareIdentity
from qualtran.bloqs.state_preparation.black_box_prepare import BlackBoxPrepare
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicFloat, SymbolicInt, is_symbolic

from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle
from bloqs.block_encoding.signed_entry_oracle import SignedTableEntryOracle
from bloqs.block_encoding.stored_pattern_oracle import StoredPatternRowColumnOracle
from bloqs.block_encoding.weighted_diffusion import WeightedSlotDiffusion
from bloqs.specialized_ctrl import controlled_with_reg, ctrl_system_from_is_controlled

#: Registers of Qualtran's `EntryOracle` interface (plus a hand-written control).
_ENTRY_REGISTERS = ("q", "i", "j", "ctrl")


@frozen
class WeightedSparseBlockEncoding(BlockEncoding):
    r"""Block encoding of a symmetric $s$-sparse matrix $A$ with $\alpha = d + (s - 1)\,o$.

    $d = \max_j |A_{jj}|$, $o = \max_{i \ne j} |A_{ij}|$. The sparsity pattern has the diagonal
    in slot 0 of every row; the slot superposition is weighted, $w_0 = d/\alpha$ on slot 0 and
    $o/\alpha$ on each of the $s - 1$ others (`WeightedSlotDiffusion`), and the entry oracle
    holds $A_{jj}/d$ on the diagonal and $A_{ij}/o$ off it. With the circuit of the sparse
    block encoding (Lin 2022, Sec. 6.5)
    $$ U = D^\dagger\, O_\nu^\dagger\, \mathrm{SWAP}\, O_A\, O_\nu\, D , $$
    the element $\langle 0, i| U |0, j\rangle$ is the product of the column weight, the entry and
    the row weight: $w_0 A_{jj}/d = A_{jj}/\alpha$ on the diagonal, $(o/\alpha) A_{ij}/o =
    A_{ij}/\alpha$ off it. So the block is $A/\alpha$ exactly (up to the entry precision).

    For the sparsified NTK $\tilde K = K_{11}(I + E)$ (equal diagonal, $e_{\max} =
    \max|E_{ij}|$): $\alpha = K_{11} W$, $W = 1 + (s - 1) e_{\max}$, the block is $(I + E)/W$ and
    $\kappa_{\rm eff} = \alpha/\lambda_{\min}(\tilde K) \le (1 + \gamma)/(1 - \gamma)$,
    $\gamma = (s - 1) e_{\max}$ (Gershgorin). Uniform diffusion (Qualtran's `SparseMatrix`)
    has $\alpha = s \max|A_{ij}|$, i.e. $\kappa_{\rm eff} \approx s\,\kappa$ for a nearly
    diagonal $A$; see `block_encoding_condition`.

    **Signs.** The entry is applied once (on the column side only), as an $R_y(2\arccos a)$
    amplitude, so negative entries need no phase; the block of a real symmetric $A$ is real
    symmetric. (The Hermitian variant with $\sqrt{A_{ij}}$ on both sides would need $\pm i$
    phases for negative entries.) The pattern must be symmetric **including filler slots**, so
    the inverse row oracle only sees columns it can map back: then every free in the circuit is
    clean and $U$ is unitary on all states the QSVT visits.

    `.adjoint()` returns this class with `is_adjoint=True` (the reversed circuit, itself a
    block encoding of $A^T = A$ with the same α). The QSVT never controls the block encoding;
    a hand-written controlled version (`is_controlled=True`, register `ctrl`) controls only
    the entry oracle and the SWAP: with `ctrl` = 0 the rest is $D^\dagger O_\nu^\dagger
    O_\nu D = I$ (on the inputs a QSVT feeds it: ancilla in $|0\rangle$).

    **Entry oracles with work registers.** An entry oracle may have THRU registers besides
    `q`, `i`, `j` (e.g. the `scratch` of the computed kernel-entry oracle, which must start in
    $|0\rangle$): they are appended to `ancilla`, so the block is taken with them in
    $|0\rangle$ too.

    Args:
        row_col_oracle: ν oracle (a `RowColumnOracle`, diagonal in slot 0, symmetric), used for
            both the column and the row side.
        entry_oracle: entry oracle with the normalised entries ($A_{jj}/d$, $A_{ij}/o$).
        diagonal_scale: $d > 0$.
        off_diagonal_scale: $o \ge 0$.
        eps: precision of the encoding, $\|A - \alpha\,\mathrm{block}\|$.
        is_adjoint: whether this is $U^\dagger$.
        is_controlled: add a `ctrl` qubit (identity when it is $|0\rangle$).

    Registers:
        ctrl: (only if `is_controlled`) the control qubit.
        system: the $\log_2 n$-qubit system.
        ancilla: $\log_2 n + 2$ qubits: the entry flag, the slot flag $[l \ne 0]$, the slot
            register (signal state $|0\rangle$); then the entry oracle's work registers, if any.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021. Algorithm 1
        lines 13–16, Supplementary Sections II B (κ of the sparsified NTK by Gershgorin) and
        III C (the oracle $P_A$).

        [Lecture Notes on Quantum Algorithms for Scientific
        Computation](https://arxiv.org/abs/2201.08309). Lin Lin. 2022. Section 6.5 (block
        encoding of a sparse matrix).
    """

    row_col_oracle: RowColumnOracle
    entry_oracle: EntryOracle
    diagonal_scale: SymbolicFloat
    off_diagonal_scale: SymbolicFloat
    eps: SymbolicFloat = 0.0
    is_adjoint: bool = False
    is_controlled: bool = False

    def __attrs_post_init__(self):
        if self.row_col_oracle.system_bitsize != self.entry_oracle.system_bitsize:
            raise ValueError("the ν oracle and the entry oracle must have the same system_bitsize")
        d, o = self.diagonal_scale, self.off_diagonal_scale
        if not is_symbolic(d) and not (np.isfinite(d) and d > 0):
            raise ValueError(f"diagonal_scale must be finite and > 0 (got {d!r})")
        if not is_symbolic(o) and not (np.isfinite(o) and o >= 0):
            raise ValueError(f"off_diagonal_scale must be finite and >= 0 (got {o!r})")
        s = self.row_col_oracle.num_nonzero
        if not is_symbolic(s) and s < 2:
            raise ValueError(f"the pattern needs s >= 2 slots (got {s})")

    @classmethod
    def from_matrix(
        cls, matrix, row_col_oracle: RowColumnOracle, entry_bitsize: int
    ) -> "WeightedSparseBlockEncoding":
        """From a symmetric matrix whose nonzeros lie in the oracle's pattern (`nu(j, l)`)."""
        a, _ = _check_matrix_on_pattern(matrix, row_col_oracle)
        n = len(a)
        d = float(np.max(np.abs(np.diag(a))))
        if d == 0:
            raise ValueError("the diagonal of the matrix must not be all zero")
        off = a - np.diag(np.diag(a))
        o = float(np.max(np.abs(off)))
        entries = np.diag(np.diag(a)) / d + (off / o if o > 0 else 0.0)
        entry = SignedTableEntryOracle(n.bit_length() - 1, entry_bitsize, entries)
        s = int(row_col_oracle.num_nonzero)
        step = np.pi / 2**entry_bitsize
        eps = (d + (s - 1) * o) * max(step / 2, 1 - np.cos(step))
        return cls(row_col_oracle, entry, d, o, eps)

    @classmethod
    def from_sizes(
        cls,
        system_bitsize: SymbolicInt,
        num_nonzero: SymbolicInt,
        entry_bitsize: SymbolicInt,
        diagonal_scale: SymbolicFloat = 1.0,
        off_diagonal_scale: SymbolicFloat | None = None,
        pattern: str = "stored",
    ) -> "WeightedSparseBlockEncoding":
        """Costing from sizes: `pattern` 'stored' (pseudorandom, table + binary search) or
        'circulant' (arithmetic); the table entry oracle. Scales default to d = 1, o = symbol."""
        if pattern == "stored":
            oracle = StoredPatternRowColumnOracle.from_sizes(system_bitsize, num_nonzero)
        elif pattern == "circulant":
            oracle = CirculantBandRowColumnOracle(system_bitsize, num_nonzero)
        else:
            raise ValueError(f"pattern must be 'stored' or 'circulant' (got {pattern!r})")
        if off_diagonal_scale is None:
            off_diagonal_scale = sympy.Symbol("e_max", positive=True)
        entry = SignedTableEntryOracle(system_bitsize, entry_bitsize)
        return cls(oracle, entry, diagonal_scale, off_diagonal_scale)

    @cached_property
    def signature(self) -> Signature:
        ctrl = {"ctrl": QBit()} if self.is_controlled else {}
        return Signature.build_from_dtypes(
            **ctrl, system=QAny(self.system_bitsize), ancilla=QAny(self.ancilla_bitsize)
        )

    @cached_property
    def entry_work_registers(self) -> tuple[Register, ...]:
        """The entry oracle's registers besides `q`, `i`, `j` (appended to `ancilla`)."""
        return tuple(r for r in self.entry_oracle.signature if r.name not in _ENTRY_REGISTERS)

    @property
    def system_bitsize(self) -> SymbolicInt:
        return self.row_col_oracle.system_bitsize

    @property
    def ancilla_bitsize(self) -> SymbolicInt:
        return self.system_bitsize + 2 + sum(r.total_bits() for r in self.entry_work_registers)

    @property
    def resource_bitsize(self) -> SymbolicInt:
        return 0

    @property
    def num_nonzero(self) -> SymbolicInt:
        return self.row_col_oracle.num_nonzero

    @property
    def alpha(self) -> SymbolicFloat:
        return self.diagonal_scale + (self.num_nonzero - 1) * self.off_diagonal_scale

    @property
    def epsilon(self) -> SymbolicFloat:
        return self.eps

    @property
    def signal_state(self) -> BlackBoxPrepare:
        return BlackBoxPrepare(PrepareIdentity.from_bitsizes([self.ancilla_bitsize]))

    @cached_property
    def diffusion(self) -> WeightedSlotDiffusion:
        return WeightedSlotDiffusion(
            self.num_nonzero, self.system_bitsize, self.diagonal_scale / self.alpha
        )

    def adjoint(self) -> "WeightedSparseBlockEncoding":
        return attrs.evolve(self, is_adjoint=not self.is_adjoint)

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    @cached_property
    def _entry_and_swap(self) -> tuple[tuple, tuple]:
        """(entry oracle, its control register name or None), (swap bloq, its registers)."""
        k = self.system_bitsize
        if self.is_controlled:
            return controlled_with_reg(self.entry_oracle), (CSwap(k), ("ctrl", "x", "y"))
        return (self.entry_oracle, None), (Swap(k), (None, "x", "y"))

    def build_composite_bloq(self, bb: BloqBuilder, system: SoquetT, ancilla: SoquetT, **ctrl):
        if is_symbolic(self.system_bitsize, self.num_nonzero, self.alpha, self.ancilla_bitsize):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        if self.is_adjoint:
            forward = self.adjoint().decompose_bloq().adjoint()
            outs = bb.add_from(forward, system=system, ancilla=ancilla, **ctrl)
            return dict(zip([r.name for r in self.signature], outs, strict=True))
        k = int(self.system_bitsize)
        bits = bb.split(ancilla)
        q, f, l = bits[0], bits[1], bb.join(bits[2 : 2 + k])
        work, start = {}, 2 + k
        for reg in self.entry_work_registers:
            size = int(reg.total_bits())
            work[reg.name] = bb.join(bits[start : start + size], dtype=reg.dtype)
            start += size
        (entry, entry_ctrl), (swap, (swap_ctrl, x, y)) = self._entry_and_swap
        f, l = bb.add(self.diffusion, flag=f, slot=l)
        l, system = bb.add(self.row_col_oracle, l=l, i=system)
        extra = {entry_ctrl: ctrl["ctrl"]} if entry_ctrl else {}
        out = bb.add_d(entry, q=q, i=l, j=system, **work, **extra)
        q, l, system = out.pop("q"), out.pop("i"), out.pop("j")
        if entry_ctrl:
            ctrl["ctrl"] = out.pop(entry_ctrl)
        out_swap = bb.add_d(
            swap, **{x: l, y: system}, **({swap_ctrl: ctrl["ctrl"]} if swap_ctrl else {})
        )
        l, system = out_swap[x], out_swap[y]
        if swap_ctrl:
            ctrl["ctrl"] = out_swap[swap_ctrl]
        l, system = bb.add(self.row_col_oracle.adjoint(), l=l, i=system)
        f, l = bb.add(self.diffusion.adjoint(), flag=f, slot=l)
        work_bits = [
            bb.split(out[r.name]) if r.total_bits() > 1 else [out[r.name]]
            for r in self.entry_work_registers
        ]
        anc = np.concatenate([[q, f], bb.split(l), *work_bits])
        return {"system": system, "ancilla": bb.join(anc), **ctrl}

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        (entry, _), (swap, _) = self._entry_and_swap
        return {
            self.diffusion: 1,
            self.row_col_oracle: 1,
            entry.adjoint() if self.is_adjoint else entry: 1,
            swap: 1,
            self.row_col_oracle.adjoint(): 1,
            self.diffusion.adjoint(): 1,
        }

    def __str__(self) -> str:
        dagger = "†" if self.is_adjoint else ""
        c = "C" if self.is_controlled else ""
        return f"{c}B[WeightedSparse(s={self.num_nonzero})]{dagger}"


def _check_matrix_on_pattern(matrix, oracle: RowColumnOracle) -> tuple[np.ndarray, np.ndarray]:
    """The matrix as an array and the pattern mask; one-line ValueError on bad input."""
    a = np.asarray(matrix, dtype=float)
    k = oracle.system_bitsize
    if is_symbolic(k) or a.shape != (2**k, 2**k):
        raise ValueError(f"matrix must be n x n with n = 2^system_bitsize (got {a.shape})")
    if not np.all(np.isfinite(a)):
        raise ValueError("matrix entries must be finite")
    if not np.allclose(a, a.T, rtol=0, atol=1e-12 * max(1.0, float(np.max(np.abs(a))))):
        raise ValueError("matrix must be symmetric")
    if not callable(getattr(oracle, "nu", None)):
        raise ValueError(f"the ν oracle {oracle} must provide the classical map nu(j, l)")
    n, s = len(a), int(oracle.num_nonzero)
    mask = np.zeros((n, n), dtype=bool)
    for j in range(n):
        if oracle.nu(j, 0) != j:
            raise ValueError(f"the ν oracle must put the diagonal in slot 0 (row {j})")
        mask[j, [oracle.nu(j, l) for l in range(s)]] = True
    if np.any(a[~mask] != 0):
        raise ValueError("the matrix has nonzero entries outside the sparsity pattern")
    return a, mask


@dataclass(frozen=True)
class BlockEncodingCondition:
    """κ(A), and α and κ_eff = α/λ_min(A) for uniform and weighted diffusion, side by side."""

    kappa: float
    lambda_min: float
    lambda_max: float
    alpha_uniform: float
    kappa_eff_uniform: float
    alpha_weighted: float
    kappa_eff_weighted: float
    gamma: float
    kappa_eff_bound: float


def block_encoding_condition(matrix, num_nonzero: int) -> BlockEncodingCondition:
    """Compare the normalisations for a symmetric positive-definite s-sparse matrix.

    uniform (Qualtran's `SparseMatrix`): α = s·max|A_ij|; weighted
    (`WeightedSparseBlockEncoding`): α = d + (s − 1)·o. κ_eff = α/λ_min(A) is what a QLSA on the
    block sees. γ = (s − 1)·o/min_j A_jj and the Gershgorin bound
    κ_eff ≤ (d + (s−1)o)/(min_j A_jj − (s−1)o), which is (1 + γ)/(1 − γ) for an equal diagonal
    (inf when γ ≥ 1).
    """
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or not np.all(np.isfinite(a)):
        raise ValueError(f"matrix must be a finite square array (got shape {a.shape})")
    if not np.allclose(a, a.T, rtol=0, atol=1e-12 * max(1.0, float(np.max(np.abs(a))))):
        raise ValueError("matrix must be symmetric")
    s = int(num_nonzero)
    if not 1 <= s <= len(a):
        raise ValueError(f"num_nonzero must be in [1, n={len(a)}] (got {num_nonzero})")
    eig = np.linalg.eigvalsh(a)
    lo, hi = float(eig[0]), float(eig[-1])
    if lo <= 0:
        raise ValueError(f"matrix must be positive definite (λ_min = {lo:.3g})")
    diag = np.diag(a)
    d = float(np.max(np.abs(diag)))
    o = float(np.max(np.abs(a - np.diag(diag))))
    alpha_u = s * float(np.max(np.abs(a)))
    alpha_w = d + (s - 1) * o
    margin = float(np.min(diag)) - (s - 1) * o
    return BlockEncodingCondition(
        kappa=hi / lo,
        lambda_min=lo,
        lambda_max=hi,
        alpha_uniform=alpha_u,
        kappa_eff_uniform=alpha_u / lo,
        alpha_weighted=alpha_w,
        kappa_eff_weighted=alpha_w / lo,
        gamma=(s - 1) * o / float(np.min(diag)),
        kappa_eff_bound=alpha_w / margin if margin > 0 else float("inf"),
    )


def uniform_sparse_block_encoding(
    matrix, row_col_oracle: RowColumnOracle, entry_bitsize: int
) -> tuple[SparseMatrix, float]:
    """Qualtran's `SparseMatrix` (uniform diffusion) on the same pattern, for comparison.

    Returns the bloq and a_max = max|A_ij|; its block is A/(s·a_max) (its `alpha` property is s,
    the normalisation of the entries A/a_max it is given).
    """
    a, _ = _check_matrix_on_pattern(matrix, row_col_oracle)
    a_max = float(np.max(np.abs(a)))
    entry = SignedTableEntryOracle(row_col_oracle.system_bitsize, entry_bitsize, a / a_max)
    return SparseMatrix(row_col_oracle, row_col_oracle, entry, eps=0), a_max


def example_matrix() -> tuple[np.ndarray, CirculantBandRowColumnOracle]:
    oracle = CirculantBandRowColumnOracle(system_bitsize=2, num_nonzero=3)
    a = np.array(
        [
            [1.0, -0.2, 0.0, 0.15],
            [-0.2, 1.0, 0.1, 0.0],
            [0.0, 0.1, 1.0, -0.25],
            [0.15, 0.0, -0.25, 1.0],
        ]
    )
    return a, oracle


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _weighted_sparse_block_encoding() -> WeightedSparseBlockEncoding:
    from bloqs.block_encoding.weighted_sparse_block_encoding import example_matrix

    matrix, oracle = example_matrix()
    weighted_sparse_block_encoding = WeightedSparseBlockEncoding.from_matrix(
        matrix, oracle, entry_bitsize=6
    )
    return weighted_sparse_block_encoding


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _weighted_sparse_block_encoding_symb() -> WeightedSparseBlockEncoding:
    k, s, b = sympy.symbols("k s b", positive=True, integer=True)
    weighted_sparse_block_encoding_symb = WeightedSparseBlockEncoding.from_sizes(k, s, b)
    return weighted_sparse_block_encoding_symb


_WEIGHTED_SPARSE_BLOCK_ENCODING_DOC = BloqDocSpec(
    bloq_cls=WeightedSparseBlockEncoding,
    import_line=(
        "from bloqs.block_encoding.weighted_sparse_block_encoding import (\n"
        "    WeightedSparseBlockEncoding, block_encoding_condition, uniform_sparse_block_encoding)"
    ),
    examples=[_weighted_sparse_block_encoding, _weighted_sparse_block_encoding_symb],
)
