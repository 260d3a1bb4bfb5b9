"""Algorithm 1, lines 7-12: the diagonal-NTK prediction sign(<k*|y>) by a Hadamard-test readout."""

from functools import cached_property

import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Adjoint,
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.mcmt.specialized_ctrl import AdjointWithSpecializedCtrl
from qualtran.resource_counting import (
    BloqCountDictT,
    GateCounts,
    SympySymbolAllocator,
)
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.amplitude_estimation.amplitude_estimation import AmplitudeEstimation
from bloqs.amplitude_estimation.grover_iterate import GroverIterate
from bloqs.arithmetic.function_lookup import FunctionLookup
from bloqs.arithmetic.median import CoherentMedian
from bloqs.encoding.arccos_rotation import ArccosRotation
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from bloqs.ntk.amplified_test_kernel import AmplifiedTestKernel
from bloqs.ntk.kernel_entry import KernelEntry
from bloqs.ntk.prepare_test_kernel import PrepareTestKernel
from bloqs.ntk.step_partition import StepClassifier, step_costs, step_partition, steps_by_bloq
from bloqs.readout.hadamard_readout import HadamardTestReadout
from bloqs.readout.idle_registers import WithIdleRegisters
from bloqs.state_preparation.label_state import LabelState
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

#: The Algorithm-1 steps of `DiagonalNTK.steps()` / `step_costs()`, in circuit order.
STEPS = (
    "data loading",
    "inner-product test",
    "amplitude estimation",
    "median",
    "kernel lookup",
    "arccos rotation",
    "amplitude amplification",
    "label state",
    "readout",
)


@frozen
class DiagonalNTK(Bloq):
    r"""The diagonal-NTK prediction (Algorithm 1, lines 7–12): Hadamard-test readout of the test
    kernel against the labels.

    `HadamardTestReadout(prepare, label)` with `prepare` = `PrepareTestKernel` (registers `index`,
    `flag`, `scratch`) on the ancilla-0 branch and `label` = the label state $|y\rangle =
    \sum_i y_i|i\rangle/\sqrt n$ (`LabelState` of a `VectorAmplitudeLoader`, wrapped by
    `WithIdleRegisters` so it has the same registers, `flag` and `scratch` untouched) on the
    ancilla-1 branch. Before the final Hadamard:

    $$ \tfrac{1}{\sqrt2}\Big(|0\rangle\big[\tfrac{1}{\sqrt n}\textstyle\sum_i k_i|i\rangle
       |0\rangle_{flag} + (\text{failure part}, flag = 1)\big]
       + |1\rangle|y\rangle|0\rangle_{flag}\Big)|0\rangle_{scratch}. $$

    The $|k^*\rangle$ branch is *unnormalised* (norm² $P/n$, $P = \sum_i k_i^2$): this is Lemma
    III.7 applied to $|s\rangle$ = the whole `PrepareTestKernel` output, whose flag-0 part is
    $\sqrt{P/n}\,|k^*\rangle$. Measuring `ancilla` and `flag`:

    - $\Pr(a{=}0, f{=}0) - \Pr(a{=}1, f{=}0) = \mathrm{Re}\langle s|y\rangle = \sum_i k_i y_i/n$,
      so $\mathrm{sign}\langle k^*|y\rangle$ (the prediction) is read out **without knowing P**;
    - `p_readout` $:= \Pr(a{=}0 \mid f{=}0) = \dfrac{P/n + 1 + 2\langle k, y\rangle/n}
      {2(P/n + 1)}$ (ideal), with $\langle k, y\rangle = \sum_i k_i y_i$;
    - `p_success` $:= P/n = 2\Pr(f{=}0) - 1$.

    With finite precision $k_i$ is replaced by $\bar k_i$, the flag-0/clean-scratch amplitude of
    `PrepareTestKernel` (the AE/median average of $\cos\theta$), and P by the total flag-0 weight
    (garbage included); only the clean-scratch part interferes with $|y\rangle$.

    **Amplified variant** (`amplification_rounds` = r > 0): the ancilla-0 branch runs
    `AmplifiedTestKernel` (r Grover rounds on flag = 0). With $r \approx (\pi/4)\sqrt{n/P}$ the
    branch is $\approx |k^*\rangle|0\rangle_{flag}$, normalised, and `ancilla` = 0 with
    probability $\approx (1 + \langle k^*|y\rangle)/2$, $\langle k^*|y\rangle = \sum_i k_i
    y_i/\sqrt{nP}$ — the paper's Lemma III.7 form — at the cost of $2r+1$ preparations instead
    of repeating the readout $\sim n/P$ times to collect flag-0 shots.

    Args:
        prepare: the `PrepareTestKernel` (uncontrolled; the readout makes it controlled).
        label_loader: $|0\rangle \to |y\rangle$ on a `target` register of $\log_2 n$ qubits
            (`VectorAmplitudeLoader` of the labels).
        amplification_rounds: 0 (default, post-selection readout) or the Grover rounds r.

    Registers:
        index: $\log_2 n$ qubits (start in $|0\rangle$).
        flag: kernel success flag (start in $|0\rangle$; measure it).
        scratch: `PrepareTestKernel`'s AE registers (start in $|0\rangle$; the garbage leak).
        ancilla: the readout qubit (start in $|0\rangle$; measure it).

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Algorithm 1 (lines 7–12), Supplementary Lemma III.7.
    """

    prepare: PrepareTestKernel
    label_loader: Bloq
    amplification_rounds: SymbolicInt = 0

    def __attrs_post_init__(self):
        if self.prepare.is_controlled:
            raise ValueError("DiagonalNTK needs the uncontrolled PrepareTestKernel")
        lb = LabelState(self.label_loader).index_bits
        if not is_symbolic(lb, self.prepare.index_bits) and lb != self.prepare.index_bits:
            raise ValueError(
                f"label loader has {lb} qubits but the index register has {self.prepare.index_bits}"
            )
        r = self.amplification_rounds
        if not is_symbolic(r) and (int(r) != r or r < 0):
            raise ValueError(f"amplification_rounds must be a non-negative integer, got {r!r}")

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
        amplification_rounds: SymbolicInt = 0,
    ) -> "DiagonalNTK":
        """Sizes only (ints or sympy symbols), for costing; never enumerates n."""
        return cls(
            PrepareTestKernel.from_sizes(
                n, d, amplitude_bits, phase_bits, median_copies, kernel_bits, data_access
            ),
            VectorAmplitudeLoader.from_sizes(n, amplitude_bits, data_access=data_access),
            amplification_rounds,
        )

    @classmethod
    def from_data(
        cls,
        X,
        y,
        x_test,
        angle_table,
        amplitude_bits: int,
        phase_bits: int,
        median_copies: int,
        kernel_bits: int,
        data_access: str = "qrom",
        amplification_rounds: int = 0,
    ) -> "DiagonalNTK":
        """Concrete: rows X (n × d), labels y (n, not all zero), test point x_test (d), and the
        phase → angle table (2^phase_bits integers in [0, 2^kernel_bits))."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have one label per row: {y.shape} vs {X.shape[0]} rows")
        if not np.all(np.isfinite(y)) or not np.any(y):
            raise ValueError("labels y must be finite and not all zero")
        return cls(
            PrepareTestKernel.from_data(
                X,
                x_test,
                angle_table,
                amplitude_bits,
                phase_bits,
                median_copies,
                kernel_bits,
                data_access,
            ),
            VectorAmplitudeLoader.from_vector(y, amplitude_bits, data_access=data_access),
            amplification_rounds,
        )

    # ---------------------------------------------------------------- parts
    @cached_property
    def kernel_state(self) -> Bloq:
        """The ancilla-0 preparation: `PrepareTestKernel` or `AmplifiedTestKernel`."""
        r = self.amplification_rounds
        if is_symbolic(r) or r > 0:
            return AmplifiedTestKernel(self.prepare, r)
        return self.prepare

    @cached_property
    def label_state(self) -> WithIdleRegisters:
        return WithIdleRegisters(LabelState(self.label_loader), self.prepare.flag_and_scratch)

    @cached_property
    def readout(self) -> HadamardTestReadout:
        return HadamardTestReadout(self.kernel_state, self.label_state)

    @cached_property
    def signature(self) -> Signature:
        return self.readout.signature

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        return bb.add_d(self.readout, **soqs)

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        return {self.readout: 1}

    # ---------------------------------------------------------------- per-step breakdown
    def step_counts(self) -> dict[str, dict[Bloq, SymbolicInt]]:
        """{step: {bloq: number of calls}}, a partition of this bloq's call graph into the
        Algorithm-1 steps of `STEPS` (symbolic multiplicities; n is never enumerated), by the
        generic walker `bloqs.ntk.step_partition.step_partition` with
        `diagonal_step_classifier`.

        Summing `count × cost(bloq)` over a step gives the step's cost; the steps add up to the
        cost of the whole `DiagonalNTK` (tested). Conventions: the index Hadamards count as
        "data loading"; the Grover reflections, phase Hadamards and inverse QFT as "amplitude
        estimation"; the Hadamard test's own H/X gates as "inner-product test"; the fold lookups
        with the "median"; the readout's H/X gates as "readout".
        """
        return step_partition(self, diagonal_step_classifier(self))

    def steps(self) -> dict[Bloq, str]:
        """{bloq: Algorithm-1 step name} for every bloq `step_counts` attributes to a step."""
        return steps_by_bloq(self.step_counts())

    def step_costs(self) -> dict[str, GateCounts]:
        """{step: QECGatesCost of all its calls} (symbolic for a sizes-only bloq)."""
        return step_costs(self.step_counts())

    def __str__(self) -> str:
        r = self.amplification_rounds
        return "DiagonalNTK" + (f"(amplified r={r})" if is_symbolic(r) or r > 0 else "")


# -------------------------------------------------------------------- step classifier
def _unwrap(bloq: Bloq) -> Bloq:
    while isinstance(bloq, Adjoint | AdjointWithSpecializedCtrl):
        bloq = bloq.subbloq
    return bloq


def diagonal_step_classifier(ntk: DiagonalNTK) -> StepClassifier:
    """The `StepClassifier` of `DiagonalNTK` into the Algorithm-1 steps of `STEPS`."""
    kernel_lookup = ntk.prepare.kernel_lookup

    def step_of(bloq: Bloq, ctx: str) -> str | None:
        """The step that owns `bloq` wholesale, or None to recurse into it."""
        b = _unwrap(bloq)
        if isinstance(b, LabelState | WithIdleRegisters):
            return "label state"
        if isinstance(b, RowAmplitudeLoader | VectorAmplitudeLoader):
            return "label state" if ctx == "label state" else "data loading"
        if isinstance(b, CoherentMedian):
            return "median"
        if isinstance(b, FunctionLookup):
            return "kernel lookup" if b == kernel_lookup else "median"
        if isinstance(b, ArccosRotation):
            return "arccos rotation"
        if isinstance(
            b,
            DiagonalNTK
            | HadamardTestReadout
            | PrepareTestKernel
            | KernelEntry
            | AmplifiedTestKernel
            | AmplitudeEstimation
            | GroverIterate
            | HadamardTestOverlap,
        ):
            return None
        # anything else belongs to the step of its parent
        return ctx

    def context_of(bloq: Bloq, ctx: str) -> str:
        b = _unwrap(bloq)
        if isinstance(b, HadamardTestReadout):
            return "readout"
        if isinstance(b, PrepareTestKernel):
            return "data loading"  # the index Hadamards: uniform superposition over the rows
        if isinstance(b, AmplitudeEstimation):
            return "amplitude estimation"
        if isinstance(b, GroverIterate):
            # Grover iterates of the kernel amplification vs. those inside AE
            return "amplitude amplification" if ctx == "amplification" else "amplitude estimation"
        if isinstance(b, AmplifiedTestKernel):
            return "amplification"
        if isinstance(b, HadamardTestOverlap):
            return "inner-product test"
        return ctx

    return StepClassifier(step_of, context_of, order=STEPS, root_context="readout")


# -------------------------------------------------------------------- examples
@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _diagonal_ntk() -> DiagonalNTK:
    from bloqs.ntk.kernel_entry import linear_kernel_table

    X = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [-0.8, 0.6]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    x_test = np.array([0.8, 0.6])
    diagonal_ntk = DiagonalNTK.from_data(
        X,
        y,
        x_test,
        angle_table=linear_kernel_table(2, 3),
        amplitude_bits=3,
        phase_bits=2,
        median_copies=1,
        kernel_bits=3,
    )
    return diagonal_ntk


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _diagonal_ntk_symb() -> DiagonalNTK:
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    diagonal_ntk_symb = DiagonalNTK.from_sizes(n, d, ba, m, 3, b)
    return diagonal_ntk_symb


_DIAGONAL_NTK_DOC = BloqDocSpec(
    bloq_cls=DiagonalNTK,
    import_line="from bloqs.ntk.diagonal_ntk import DiagonalNTK",
    examples=[_diagonal_ntk, _diagonal_ntk_symb],
)
