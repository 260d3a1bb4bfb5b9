"""Algorithm 1, lines 1-6: coherent preparation of the test-kernel state Σ_i k_i|i> on a flag."""

import math
from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CZ, Hadamard, OnEach, Ry
from qualtran.resource_counting import (
    BloqCountDictT,
    QubitCount,
    SympySymbolAllocator,
    get_cost_value,
)
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import Shaped, SymbolicInt, is_symbolic, smax

from bloqs.amplitude_estimation.amplitude_estimation import AmplitudeEstimation
from bloqs.arithmetic.function_lookup import FunctionLookup
from bloqs.arithmetic.median import CoherentMedian
from bloqs.encoding.arccos_rotation import ArccosRotation
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from bloqs.moved import forward_to
from bloqs.ntk.kernel_entry import (
    KernelEntry,
    angle_table_converter,
    fold_table,  # noqa: F401 (re-exported: the fold is part of this bloq's public story)
    linear_kernel_table,
    odd_copies,
    positive_bits,
)
from bloqs.specialized_ctrl import ctrl_system_from_is_controlled
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader


@frozen
class PrepareTestKernel(Bloq):
    r"""Coherent test-kernel preparation (Algorithm 1, lines 1–6; Theorem III.5, Lemma III.4).

    $$ |0\rangle_{index}|0\rangle_{flag}|0\rangle_{scratch} \mapsto \frac{1}{\sqrt n}\sum_i
       |i\rangle\big(k_i|0\rangle_{flag} + \sqrt{1-k_i^2}\,|1\rangle_{flag}\big)|0\rangle
       + (\text{garbage})$$

    Circuit (everything but the flag is uncomputed; steps 2–6 are one `KernelEntry` of the row
    loader and the test-point loader, property `entry`):

    1. H on every `index` qubit: $\frac{1}{\sqrt n}\sum_i |i\rangle$ (n a power of two);
    2. k = `median_copies` copies of `AmplitudeEstimation(HadamardTestOverlap(row_loader,
       test_loader), phase_bits, passthrough=('index',))`: copy c writes a phase $y_c$ with
       $\tilde p = \sin^2(\pi y_c/2^m)$, $p_i = (1 - x^*\cdot x_i)/2$ (eqs. 24–26);
    3. (k > 1) each phase is folded, $y \mapsto \min(y, 2^m - y)$, by a `FunctionLookup` into a
       fresh register (AE returns $y$ and $2^m - y$ with equal weight; both mean the same
       $\tilde p$), then `CoherentMedian` of the k folded values (Lemma III.3);
    4. `FunctionLookup(angle_table)`: median phase → angle integer $a$ (the caller's table, e.g.
       `qntk_compile.kernel.table.kernel_angle_table`: $\rho = \cos 2\pi y/2^m$ →
       $\hat k(\rho)/k_{max}$ → $a = \mathrm{round}(\arccos(k)/\pi\cdot 2^b)$);
    5. `ArccosRotation`: `flag` $\to \cos\theta_a|0\rangle + \sin\theta_a|1\rangle$ (signs kept);
    6. steps 4, 3, 2 undone in reverse order (lookup again, median adjoint, folds again, AE†).

    **Scratch and garbage.** The AE copies' registers (per copy: the Hadamard-test `target`
    (log d), its flag (1) and the phase (m)) are the THRU register `scratch` of
    $k(\log_2 d + 1 + m)$ qubits, which must start in $|0\rangle$. They are exposed rather than
    allocated and freed inside because they are *not* exactly returned to $|0\rangle$: the
    rotation angle depends on the AE outcome, so AE† cannot fully disentangle it. Per row $i$,
    the flag-0 amplitude with clean scratch is $\bar k_i = \sum_y \Pr_i(y)\cos\theta_{a(y)}$
    (the AE/median distribution), and weight $E[\cos^2\theta] - \bar k_i^2$ stays in the scratch
    (the garbage leak), which vanishes as AE becomes sharp. Exposing `scratch` lets a simulation
    measure that leak (an internal `Free` would silently project it away). The fold/median/angle
    registers are exact functions of the phases and are uncomputed exactly (allocated inside).

    **Success.** `flag` = 0 marks success: post-selecting it gives $|k^*\rangle \propto
    \sum_i k_i|i\rangle$ with probability $P/n$, $P = \sum_i k_i^2$ (data-dependent). Two ways to
    succeed, both costed here: repeat-until-success (`repeat_until_success_runs`: $n/P$ expected
    runs) and amplitude amplification (`AmplifiedTestKernel`, $\approx(\pi/4)\sqrt{n/P}$ rounds).

    **Controlled version** (`is_controlled=True`, register `ctrl`; `bloq.controlled()` returns it):
    only the index Hadamards (each $CH = R_y(\pi/4)\,CZ\,R_y(-\pi/4)$, 2 T) and the rotation
    take the control; AE, median and
    lookups are computed and uncomputed either way, which is the identity when nothing was
    rotated in between.

    Costs (symbolic in n, d and the precisions via `from_sizes`; $k \ge 3$ for the symbolic
    median/fold terms, they are absent for $k = 1$): $k$ AE + $k$ AE† (each one Hadamard test and
    $2^m - 1$ controlled Grover iterates with a Hadamard test and its adjoint each, so
    $2k(2^{m+1} - 1)$ calls of each controlled loader in all), $2k$ fold lookups ($2^m - 2$ Ands
    each), the median and its adjoint ($2k(k-1)m$ Ands + $2k(k-1)m$ one-bit CSwaps), 2 kernel
    lookups ($2^m - 2$ Ands each for a generic table), one `ArccosRotation` ($2(b - 2)$ rotations
    + 2 T; controlled: + b Ands), $\log_2 n$ Hadamards (controlled: $2\log_2 n$ T-like
    $R_y(\pm\pi/4)$).

    Qubits: the sizes-only bloq decomposes into the same circuit as the one built from data
    (its loaders and table are sizes-only sub-bloqs), so Qualtran's `QubitCount` is the true
    peak width, fold/median/angle registers included; with symbolic sizes the entry's peak is
    `KernelEntry.peak_qubits` (exact in n and d).

    Args:
        row_loader: $|i\rangle|0\rangle \to |i\rangle|x_i\rangle$ (`RowAmplitudeLoader`,
            registers `index`, `target`).
        test_loader: $|0\rangle \to |x^*\rangle$ (`VectorAmplitudeLoader`, register `target`).
        phase_bits: m, AE phase register bits.
        median_copies: k, odd number of AE copies (1: no median).
        kernel_bits: b, bits of the arccos angle.
        angle_table: $2^m$ angle integers in $[0, 2^b)$ (phase → angle), or `Shaped((2**m,))`.
        is_controlled: add a `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        index: $\log_2 n$ qubits; $|0\rangle \to$ uniform superposition over rows.
        flag: success flag, $|0\rangle$ amplitude $k_i$ for row $i$.
        scratch: $k(\log_2 d + 1 + m)$ qubits, start in $|0\rangle$; ideally end in $|0\rangle$.
            Layout (big-endian), per copy c: [target | Hadamard-test flag | phase].

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Algorithm 1 (lines 1–6), Supplementary Theorem III.5 (eqs. 22–26), Lemmas III.2–III.4.

        [Quantum Amplitude Amplification and Estimation](https://arxiv.org/abs/quant-ph/0005055).
        Brassard, Høyer, Mosca, Tapp. 2002. Theorems 2–4 (amplification rounds) and 12.
    """

    row_loader: Bloq
    test_loader: Bloq
    phase_bits: SymbolicInt = field(converter=positive_bits("phase_bits"))
    median_copies: SymbolicInt = field(converter=odd_copies)
    kernel_bits: SymbolicInt = field(converter=positive_bits("kernel_bits"))
    angle_table: tuple[int, ...] | Shaped = field(converter=angle_table_converter)
    is_controlled: bool = False

    def __attrs_post_init__(self):
        names = {r.name for r in self.row_loader.signature}
        if not {"index", "target"} <= names:
            raise ValueError("row_loader must have registers 'index' and 'target'")
        if "target" not in {r.name for r in self.test_loader.signature}:
            raise ValueError("test_loader must have a register 'target'")
        # the table: FunctionLookup validates length and range
        _ = self.kernel_lookup

    # ---------------------------------------------------------------- constructors
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
    ) -> "PrepareTestKernel":
        """Sizes only (ints or sympy symbols), for costing; never enumerates n."""
        return cls(
            RowAmplitudeLoader.from_sizes(n, d, amplitude_bits, data_access=data_access),
            VectorAmplitudeLoader.from_sizes(d, amplitude_bits, data_access=data_access),
            phase_bits,
            median_copies,
            kernel_bits,
            Shaped((2**phase_bits,)),
        )

    @classmethod
    def from_data(
        cls,
        X,
        x_test,
        angle_table,
        amplitude_bits: int,
        phase_bits: int,
        median_copies: int,
        kernel_bits: int,
        data_access: str = "qrom",
    ) -> "PrepareTestKernel":
        """Concrete: rows X (n × d, powers of two), test point x_test (d), the phase → angle
        table (2^phase_bits integers in [0, 2^kernel_bits))."""
        X = np.asarray(X, dtype=float)
        x_test = np.asarray(x_test, dtype=float)
        if X.ndim != 2 or x_test.shape != (X.shape[1],):
            raise ValueError(
                f"X must be n × d and x_test of length d; got {X.shape}, {x_test.shape}"
            )
        if not np.all(np.isfinite(x_test)) or not np.any(x_test):
            raise ValueError("x_test must be a finite, non-zero vector")
        return cls(
            RowAmplitudeLoader.from_matrix(X, amplitude_bits, data_access=data_access),
            VectorAmplitudeLoader.from_vector(x_test, amplitude_bits, data_access=data_access),
            phase_bits,
            median_copies,
            kernel_bits,
            angle_table,
        )

    # ---------------------------------------------------------------- parts
    @cached_property
    def index_bits(self) -> SymbolicInt:
        return self.row_loader.signature.get_left("index").total_bits()

    @cached_property
    def target_bits(self) -> SymbolicInt:
        return self.row_loader.signature.get_left("target").total_bits()

    @cached_property
    def entry(self) -> KernelEntry:
        """Steps 2-6: the kernel entry $k(x^* \\cdot x_i)$ of row `index` on `flag`."""
        return KernelEntry(
            self.row_loader,
            self.test_loader,
            self.phase_bits,
            self.median_copies,
            self.kernel_bits,
            self.angle_table,
            is_controlled=self.is_controlled,
        )

    @cached_property
    def copy_bits(self) -> SymbolicInt:
        return self.entry.copy_bits

    @cached_property
    def scratch_bits(self) -> SymbolicInt:
        return self.entry.scratch_bits

    @cached_property
    def flag_and_scratch(self) -> tuple[Register, Register]:
        """`flag` and `scratch`: what the other branch of a Hadamard-test readout against this
        state carries as idle registers."""
        return Register("flag", QBit()), Register("scratch", QAny(self.scratch_bits))

    @property
    def overlap(self) -> HadamardTestOverlap:
        return self.entry.overlap

    @property
    def amplitude_estimation(self) -> AmplitudeEstimation:
        return self.entry.amplitude_estimation

    @property
    def fold_lookup(self) -> FunctionLookup:
        return self.entry.fold_lookup

    @property
    def median(self) -> CoherentMedian:
        return self.entry.median

    @property
    def kernel_lookup(self) -> FunctionLookup:
        return self.entry.kernel_lookup

    @property
    def rotation(self) -> ArccosRotation:
        return self.entry.rotation

    @cached_property
    def index_prep(self) -> Bloq:
        """H on each index qubit (uncontrolled form)."""
        return OnEach(self.index_bits, Hadamard())

    @property
    def uses_median(self) -> bool:
        return self.entry.uses_median

    # ---------------------------------------------------------------- bloq protocol
    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [
            Register("index", QUInt(self.index_bits)),
            Register("flag", QBit()),
            Register("scratch", QAny(self.scratch_bits)),
        ]
        return Signature(regs)

    def my_static_costs(self, cost_key):
        # Without a decomposition (controlled, symbolic index size) the peak is still exact: the
        # index layer acts on this bloq's registers only, and the entry spans all of them.
        if isinstance(cost_key, QubitCount) and self.is_controlled and is_symbolic(self.index_bits):
            return smax(self.signature.n_qubits(), get_cost_value(self.entry, QubitCount()))
        return NotImplemented

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        # Sizes-only loaders and table are sub-bloqs like any other, so the sizes-only bloq has
        # the same wiring (and hence the same QubitCount) as the data-built one. Only the
        # controlled index layer needs the number of index qubits.
        if self.is_controlled and is_symbolic(self.index_bits):
            raise DecomposeTypeError(f"Cannot decompose {self} with a symbolic index size")
        ctrl, index = soqs.pop("ctrl", None), soqs.pop("index")
        # 1. uniform superposition over rows. Controlled: CH = Ry(π/4)·CZ·Ry(-π/4) per qubit
        #    (Ry(π/4) Z Ry(-π/4) = (Z + X)/√2 = H), i.e. 2 T-like gates + 1 CZ.
        if ctrl is None:
            index = bb.add(self.index_prep, q=index)
        else:
            iq = bb.split(index)
            for q in range(len(iq)):
                iq[q] = bb.add(Ry(-math.pi / 4), q=iq[q])
                ctrl, iq[q] = bb.add(CZ(), q1=ctrl, q2=iq[q])
                iq[q] = bb.add(Ry(math.pi / 4), q=iq[q])
            index = bb.join(iq, dtype=QUInt(int(self.index_bits)))
            soqs["ctrl"] = ctrl
        # 2-6. the kernel entry k(x*·x_i) on the flag
        return bb.add_d(self.entry, index=index, **soqs)

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        counts: dict[Bloq, SymbolicInt] = {}
        if self.is_controlled:
            counts[Ry(-math.pi / 4)] = self.index_bits
            counts[CZ()] = self.index_bits
            counts[Ry(math.pi / 4)] = self.index_bits
        else:
            counts[self.index_prep] = 1
        counts[self.entry] = 1
        return counts

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        c = "C" if self.is_controlled else ""
        m, k, b = self.phase_bits, self.median_copies, self.kernel_bits
        return f"{c}PrepareTestKernel(m={m}, k={k}, b={b})"


# -------------------------------------------------------------------- examples
def example_prepare_test_kernel() -> PrepareTestKernel:
    """The small concrete `PrepareTestKernel` of the examples: four rows in 2-D, the linear
    kernel, 3 amplitude bits, 2 phase bits, 1 median copy, 3 kernel bits."""
    X = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [-0.8, 0.6]])
    x_test = np.array([0.8, 0.6])
    return PrepareTestKernel.from_data(
        X,
        x_test,
        angle_table=linear_kernel_table(2, 3),
        amplitude_bits=3,
        phase_bits=2,
        median_copies=1,
        kernel_bits=3,
    )


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _prepare_test_kernel() -> PrepareTestKernel:
    prepare_test_kernel = example_prepare_test_kernel()
    return prepare_test_kernel


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _prepare_test_kernel_symb() -> PrepareTestKernel:
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    prepare_test_kernel_symb = PrepareTestKernel.from_sizes(n, d, ba, m, 3, b)
    return prepare_test_kernel_symb


_PREPARE_TEST_KERNEL_DOC = BloqDocSpec(
    bloq_cls=PrepareTestKernel,
    import_line="from bloqs.ntk.prepare_test_kernel import PrepareTestKernel",
    examples=[_prepare_test_kernel, _prepare_test_kernel_symb],
)

#: `AmplifiedTestKernel` and the costs of succeeding moved to `bloqs.ntk.amplified_test_kernel`
__getattr__ = forward_to("bloqs.ntk.prepare_test_kernel", "bloqs.ntk.amplified_test_kernel")
