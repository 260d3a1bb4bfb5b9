"""Algorithm 1, lines 13-20: the sparsified-NTK prediction sign(<k*|K̃⁻¹|y>) by QLSA + readout."""

from functools import cached_property

import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    QAny,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import Shaped, SymbolicFloat, SymbolicInt, is_symbolic

from bloqs.block_encoding.stored_pattern_oracle import StoredPatternRowColumnOracle
from bloqs.block_encoding.weighted_sparse_block_encoding import WeightedSparseBlockEncoding
from bloqs.linear_systems.inverse_polynomials import minimax_inverse_polynomial, qlsa_degree
from bloqs.linear_systems.qsp_phases import qsvt_phases
from bloqs.linear_systems.qsvt_linear_solver import inverse_polynomial
from bloqs.linear_systems.qsvt_solution_state import QLSA_ANCILLA, QSVTSolutionState
from bloqs.ntk.computed_entry_oracle import ComputedKernelEntryOracle
from bloqs.ntk.prepare_test_kernel import PrepareTestKernel
from bloqs.readout.hadamard_readout import HadamardTestReadout
from bloqs.readout.idle_registers import WithIdleRegisters
from bloqs.state_preparation.label_state import LabelState
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader


def _check_qlsa_knobs(kappa, epsilon) -> None:
    if not is_symbolic(kappa) and not (np.isfinite(float(kappa)) and kappa >= 1):
        raise ValueError(f"kappa must be a finite number >= 1 (got {kappa})")
    if not is_symbolic(epsilon) and not (np.isfinite(float(epsilon)) and 0 < epsilon < 1):
        raise ValueError(f"qlsa_epsilon must lie in (0, 1) (got {epsilon})")


def implemented_block(block_encoding: WeightedSparseBlockEncoding) -> np.ndarray:
    """The block ⟨0|U|0⟩ = K̃_impl/α the table-oracle encoding implements (classically, from the
    rounded angles): w_0·Ã_jj on the diagonal, (o/α)·Ã_ij off it, Ã the encoded entries."""
    entry = block_encoding.entry_oracle
    if not hasattr(entry, "encoded_entries") or entry.entries is None:
        raise ValueError("implemented_block needs a concrete table entry oracle")
    enc = entry.encoded_entries()
    n, oracle = enc.shape[0], block_encoding.row_col_oracle
    mask = np.zeros((n, n), dtype=bool)
    for j in range(n):
        mask[j, [oracle.nu(j, l) for l in range(int(oracle.num_nonzero))]] = True
    alpha, d, o = (
        block_encoding.alpha,
        block_encoding.diagonal_scale,
        block_encoding.off_diagonal_scale,
    )
    weights = np.where(np.eye(n, dtype=bool), d / alpha, o / alpha)
    return np.where(mask, weights * enc, 0.0)


@frozen
class SparsifiedNTK(Bloq):
    r"""The sparsified-NTK prediction (Algorithm 1, lines 13–20): Hadamard-test readout of the
    test kernel against the QLSA solution $|v\rangle \propto \tilde K^{-1}|y\rangle$.

    `HadamardTestReadout(kernel, solution)`:

    - ancilla-0 branch: `PrepareTestKernel` (registers `index`, `flag`, `scratch`; line 14),
      with `qlsa_ancilla` idle in $|0\rangle$;
    - ancilla-1 branch: `QSVTSolutionState` — the label state $|y\rangle$ (line 16, $P_B$) and the
      QSVT of an odd $p(x) \approx \mathrm{scale}/x$ on a block encoding of $\tilde K$
      (`WeightedSparseBlockEncoding` with the ν oracle and an entry oracle, line 15, $P_A$;
      line 17), with `flag` and `scratch` idle in $|0\rangle$.

    Both flags mean success when zero: `flag` = 0 (kernel post-selection) and `qlsa_ancilla` =
    0 (QLSA success). Before the final Hadamard the state is
    $\tfrac1{\sqrt2}(|0\rangle|S\rangle + |1\rangle|V\rangle)$ with
    $\Pi|S\rangle = \tfrac{1}{\sqrt n}\sum_i \bar k_i|i\rangle$ (+ the kernel garbage in `scratch`)
    and $\Pi|V\rangle = p(\tilde K/\alpha)|y\rangle$, Π = "both flags zero". Post-selecting Π:

    $$ p_{readout} = \Pr(a{=}0 \mid \Pi) = \frac{\|\Pi S\|^2 + \|\Pi V\|^2
       + 2\langle \Pi S|\Pi V\rangle}{2(\|\Pi S\|^2 + \|\Pi V\|^2)}, $$

    so $\mathrm{sign}(p_{readout} - \tfrac12) = \mathrm{sign}\langle k^*|\tilde K^{-1}|y\rangle$
    (line 19; scale > 0), read out without knowing the norms.

    **Controlled preparations.** The readout controls both branches; `PrepareTestKernel` and
    `LabelState` have hand-written controlled versions, and `QSVTSolutionState`'s controlled
    version controls the preparation, the projector phases and only the *first* block-encoding
    call (`WeightedSparseBlockEncoding.controlled()` controls the entry rotation and the SWAP):
    with the control off the remaining $U^\dagger U$ pairs cancel exactly.

    Args:
        prepare: the (uncontrolled) `PrepareTestKernel`.
        solution: the (uncontrolled) `QSVTSolutionState` on register `index`.
        kappa: κ(K̃) (classical, for reports; symbolic or None).
        kappa_eff: the κ the solver sees, 1/λ_min of the implemented block (None if unknown).

    Registers:
        index: $\log_2 n$ qubits (start in $|0\rangle$).
        flag: kernel success flag (measure; success = 0).
        scratch: `PrepareTestKernel`'s AE registers (start in $|0\rangle$).
        qlsa_ancilla: the QSVT ancilla (measure; success = all zero).
        ancilla: the readout qubit (measure it).

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Algorithm 1 (lines 13–20), Supplementary Sections III C (QLSP) and D (Lemma III.7).

        [Quantum singular value transformation and beyond](https://arxiv.org/abs/1806.01838).
        Gilyén, Su, Low, Wiebe (2019). Corollary 69 (matrix inversion by QSVT).
    """

    prepare: PrepareTestKernel
    solution: QSVTSolutionState
    kappa: SymbolicFloat | None = None
    kappa_eff: SymbolicFloat | None = None

    def __attrs_post_init__(self):
        if self.prepare.is_controlled or self.solution.is_controlled:
            raise ValueError("SparsifiedNTK needs the uncontrolled preparations")
        a, b = self.prepare.index_bits, self.solution.block_encoding.system_bitsize
        if not is_symbolic(a, b) and a != b:
            raise ValueError(f"the kernel has {a} index qubits but the solver {b}")

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_data(
        cls,
        X,
        y,
        x_test,
        angle_table,
        kernel_matrix,
        row_col_oracle,
        amplitude_bits: int,
        phase_bits: int,
        median_copies: int,
        kernel_bits: int,
        qlsa_epsilon: float,
        data_access: str = "qrom",
        qlsa_degree: int | None = None,
    ) -> "SparsifiedNTK":
        """Concrete: rows X (n × d), labels y, x_test, the phase → angle table of the test
        kernel, the sparsified K̃ (n × n, symmetric positive definite, nonzeros on the
        pattern of `row_col_oracle`, diagonal in slot 0), its table entry oracle at
        `kernel_bits`. The polynomial: `inverse_polynomial("auto")` on [1/κ_eff, 1] (the smaller
        of Neumann and the optimal Chebyshev polynomial, the degree `qlsa_degree` costs),
        κ_eff = 1/λ_min of the implemented block; `qlsa_degree` forces a minimax degree (a
        ValueError if it cannot reach `qlsa_epsilon`)."""
        _check_qlsa_knobs(1.0, qlsa_epsilon)
        k = np.asarray(kernel_matrix, dtype=float)
        s = row_col_oracle.num_nonzero
        if k.ndim == 2 and not is_symbolic(s) and s > k.shape[0]:
            raise ValueError(f"sparsity s={s} exceeds n={k.shape[0]}")
        y = np.asarray(y, dtype=float)
        if y.shape != (k.shape[0],) or not np.all(np.isfinite(y)) or not np.any(y):
            raise ValueError(f"y must be {k.shape[0]} finite labels, not all zero")
        be = WeightedSparseBlockEncoding.from_matrix(k, row_col_oracle, kernel_bits)
        lam = np.linalg.eigvalsh(implemented_block(be))
        if lam[0] <= 0:
            raise ValueError(f"the encoded K̃ is not positive definite (λ_min = {lam[0]:.3g})")
        kappa_eff = float(1 / lam[0])
        if qlsa_degree is None:
            poly = inverse_polynomial("auto", kappa_eff, qlsa_epsilon)
        else:
            poly = minimax_inverse_polynomial(kappa_eff, qlsa_epsilon, degree=qlsa_degree)
        label = LabelState(
            VectorAmplitudeLoader.from_vector(y, amplitude_bits, data_access=data_access)
        )
        solution = QSVTSolutionState(be, label, qsvt_phases(poly.chebyshev_coefficients), poly)
        prepare = PrepareTestKernel.from_data(
            X,
            x_test,
            angle_table,
            amplitude_bits,
            phase_bits,
            median_copies,
            kernel_bits,
            data_access,
        )
        eig = np.linalg.eigvalsh(k)
        return cls(prepare, solution, float(eig[-1] / eig[0]), kappa_eff)

    @classmethod
    def from_sizes(
        cls,
        n: SymbolicInt,
        d: SymbolicInt,
        amplitude_bits: SymbolicInt,
        phase_bits: SymbolicInt,
        median_copies: SymbolicInt,
        kernel_bits: SymbolicInt,
        sparsity: SymbolicInt,
        kappa: SymbolicFloat,
        qlsa_epsilon: SymbolicFloat,
        data_access: str = "qrom",
        kappa_eff: SymbolicFloat | None = None,
    ) -> "SparsifiedNTK":
        """Sizes only (ints or sympy symbols), for costing; never enumerates n. `kappa` is κ(K̃);
        `kappa_eff` the condition number the solver sees, α/λ_min(K̃) ≥ κ(K̃) for the weighted
        encoding (≤ (1+γ)/(1−γ), γ = (s−1)·e_max); None costs at the lower bound κ(K̃). The QSVT
        degree (= the queries to the block encoding) is `qlsa_degree(kappa_eff, qlsa_epsilon)`:
        the smaller of the Neumann and the optimal (Chebyshev) closed forms (a sympy ``Min`` when
        symbolic). K̃'s entries by the computed oracle, ν by the stored pattern."""
        _check_qlsa_knobs(kappa, qlsa_epsilon)
        if kappa_eff is None:
            kappa_eff = kappa
        _check_qlsa_knobs(kappa_eff, qlsa_epsilon)
        if not is_symbolic(kappa, kappa_eff) and kappa_eff < kappa:
            raise ValueError(f"kappa_eff must be >= kappa = {kappa} (got {kappa_eff})")
        if not is_symbolic(n, sparsity) and not 2 <= sparsity <= n:
            raise ValueError(f"sparsity must be in [2, n={n}] (got {sparsity})")
        prepare = PrepareTestKernel.from_sizes(
            n, d, amplitude_bits, phase_bits, median_copies, kernel_bits, data_access
        )
        entry = ComputedKernelEntryOracle.from_sizes(
            n, d, amplitude_bits, phase_bits, median_copies, kernel_bits, data_access
        )
        nu = StoredPatternRowColumnOracle.from_sizes(entry.system_bitsize, sparsity)
        be = WeightedSparseBlockEncoding(nu, entry, 1.0, sympy.Symbol("e_max", positive=True))
        label = LabelState(VectorAmplitudeLoader.from_sizes(n, amplitude_bits, data_access))
        degree, _ = qlsa_degree(kappa_eff, qlsa_epsilon)
        solution = QSVTSolutionState(be, label, Shaped((degree,)))
        return cls(prepare, solution, kappa, kappa_eff)

    # ---------------------------------------------------------------- parts
    @property
    def qlsa_degree(self) -> SymbolicInt:
        """Queries to the block encoding of K̃."""
        return self.solution.degree

    @cached_property
    def kernel_state(self) -> WithIdleRegisters:
        return WithIdleRegisters(
            self.prepare, (Register(QLSA_ANCILLA, QAny(self.solution.ancilla_bits)),)
        )

    @cached_property
    def solution_state(self) -> WithIdleRegisters:
        return WithIdleRegisters(self.solution, self.prepare.flag_and_scratch)

    @cached_property
    def readout(self) -> HadamardTestReadout:
        return HadamardTestReadout(self.kernel_state, self.solution_state)

    @cached_property
    def signature(self) -> Signature:
        return self.readout.signature

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        return bb.add_d(self.readout, **soqs)

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self.readout: 1}

    def __str__(self) -> str:
        return f"SparsifiedNTK(d={self.qlsa_degree})"


def _example_problem():
    from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle
    from bloqs.ntk.kernel_entry import linear_kernel_table

    X = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [-0.8, 0.6]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    x_test = np.array([0.8, 0.6])
    kt = np.array(
        [[1.0, 0.3, 0.0, -0.2], [0.3, 1.0, 0.25, 0.0], [0.0, 0.25, 1.0, 0.3], [-0.2, 0.0, 0.3, 1.0]]
    )
    return X, y, x_test, linear_kernel_table(2, 3), kt, CirculantBandRowColumnOracle(2, 3)


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _sparsified_ntk() -> SparsifiedNTK:
    from bloqs.ntk.sparsified_ntk import _example_problem

    X, y, x_test, table, kt, nu = _example_problem()
    sparsified_ntk = SparsifiedNTK.from_data(
        X,
        y,
        x_test,
        table,
        kt,
        nu,
        amplitude_bits=3,
        phase_bits=2,
        median_copies=1,
        kernel_bits=3,
        qlsa_epsilon=0.1,
    )
    return sparsified_ntk


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _sparsified_ntk_symb() -> SparsifiedNTK:
    n, d, ba, m, b, s = sympy.symbols("n d b_a m b s", positive=True, integer=True)
    kappa, eps = sympy.symbols("kappa epsilon", positive=True)
    sparsified_ntk_symb = SparsifiedNTK.from_sizes(n, d, ba, m, 3, b, s, kappa, eps)
    return sparsified_ntk_symb


_SPARSIFIED_NTK_DOC = BloqDocSpec(
    bloq_cls=SparsifiedNTK,
    import_line="from bloqs.ntk.sparsified_ntk import SparsifiedNTK",
    examples=[_sparsified_ntk, _sparsified_ntk_symb],
)
