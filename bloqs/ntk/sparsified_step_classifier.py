"""The Algorithm-1 steps of `SparsifiedNTK`: the diagonal steps of the test kernel, the label
state, the block encoding of K̃ and the QLSA, and the readout.

`sparsified_step_classifier(ntk)` is the `StepClassifier` the generic walker
`bloqs.ntk.step_partition.step_partition` uses to split one coherent run of a `SparsifiedNTK`
into the steps of `SPARSIFIED_STEPS`:

- the test-kernel preparation (Algorithm 1 line 14) is split exactly as in `DiagonalNTK` (data
  loading, inner-product test, amplitude estimation, median, kernel lookup, arccos rotation);
- "label state": the loader of |y⟩ (line 16, the oracle P_B), controlled by the readout;
- "block encoding": every call of the block encoding of K̃ (U, U† and the one controlled U of
  the controlled QSVT) wholesale — the ν oracle and its inverse, the weighted slot diffusion,
  the entry oracle (for the computed oracle: its whole kernel-entry pipeline) and the SWAP
  (line 15, the oracle P_A);
- "QLSA": the QSVT's own gates — the projector phases (zero tests, controlled Rz) and the
  signal-qubit Hadamards (line 17);
- "readout": the Hadamard test's own H and X gates (line 19).
"""

from qualtran import Adjoint, Bloq
from qualtran.bloqs.mcmt.specialized_ctrl import AdjointWithSpecializedCtrl

from bloqs.block_encoding.weighted_sparse_block_encoding import WeightedSparseBlockEncoding
from bloqs.linear_systems.qsvt import QSVT
from bloqs.linear_systems.qsvt_solution_state import QSVTSolutionState
from bloqs.ntk.diagonal_ntk import DiagonalNTK, diagonal_step_classifier
from bloqs.ntk.prepare_test_kernel import PrepareTestKernel
from bloqs.ntk.sparsified_ntk import SparsifiedNTK
from bloqs.ntk.step_partition import StepClassifier
from bloqs.readout.hadamard_readout import HadamardTestReadout
from bloqs.readout.idle_registers import WithIdleRegisters
from bloqs.state_preparation.label_state import LabelState

__all__ = ["SPARSIFIED_STEPS", "sparsified_step_classifier"]

#: The Algorithm-1 steps of a `SparsifiedNTK` run, in circuit order.
SPARSIFIED_STEPS = (
    "data loading",
    "inner-product test",
    "amplitude estimation",
    "median",
    "kernel lookup",
    "arccos rotation",
    "label state",
    "block encoding",
    "QLSA",
    "readout",
)


def _unwrap(bloq: Bloq) -> Bloq:
    while isinstance(bloq, Adjoint | AdjointWithSpecializedCtrl):
        bloq = bloq.subbloq
    return bloq


def sparsified_step_classifier(ntk: SparsifiedNTK) -> StepClassifier:
    """The `StepClassifier` of `ntk` into `SPARSIFIED_STEPS`."""
    # the test kernel is the diagonal NTK's: its classifier splits it the same way
    label = ntk.solution.prepare
    loader = label.loader if isinstance(label, LabelState) else label
    kernel = diagonal_step_classifier(DiagonalNTK(ntk.prepare, loader))

    def step_of(bloq: Bloq, ctx: str) -> str | None:
        b = _unwrap(bloq)
        if isinstance(b, WeightedSparseBlockEncoding):
            return "block encoding"
        if isinstance(b, SparsifiedNTK | HadamardTestReadout | QSVTSolutionState | QSVT):
            return None
        if isinstance(b, WithIdleRegisters):
            # the idle-register wrappers of the two branches: walk in (the diagonal classifier
            # would own a wrapper as "label state")
            inner = _unwrap(b.bloq)
            if isinstance(inner, PrepareTestKernel | QSVTSolutionState):
                return None
        return kernel.step_of(bloq, ctx)

    def context_of(bloq: Bloq, ctx: str) -> str:
        b = _unwrap(bloq)
        if isinstance(b, QSVTSolutionState | QSVT):
            return "QLSA"
        if isinstance(b, WithIdleRegisters):
            return ctx
        return kernel.context_of(bloq, ctx)

    return StepClassifier(step_of, context_of, order=SPARSIFIED_STEPS, root_context="readout")
