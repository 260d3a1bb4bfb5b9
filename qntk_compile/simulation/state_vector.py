"""The state-vector stage of :func:`qntk_compile.simulation.runner.simulate_bloq`: plan, refuse,
run.

:func:`plan_state_vector` chooses qsim's fusion size and thread count from this machine's
measured profile (:func:`qntk_compile.simulation.sv_cost_model.machine_profile`) unless given,
estimates the passes over the state
(:func:`~qntk_compile.simulation.sv_cost_model.estimate_passes`) and predicts the time.
:func:`check_time` refuses a plan whose prediction exceeds a limit with one line naming the
prediction and the ``--max-seconds`` flag. :func:`run_state_vector` runs qsim or Cirq. Stage lines
go to a ``progress`` stream (the CLI passes stderr); see :func:`stage_line`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TextIO

import cirq
import numpy as np

from qntk_compile.simulation import sv_cost_model as cost
from qntk_compile.simulation.memory import SimulationTooLargeError

__all__ = [
    "StateVectorPlan",
    "TimeLimitError",
    "plan_state_vector",
    "check_time",
    "run_state_vector",
    "stage_line",
    "predicted_line",
]


class TimeLimitError(SimulationTooLargeError):
    """The predicted state-vector time exceeds the limit; raised before simulating."""


@dataclass(frozen=True)
class StateVectorPlan:
    """How the state vector will be computed and what it should cost.

    Attributes:
        simulator: ``"qsim"`` or ``"cirq"``.
        qubits: width.
        operations: Cirq operations of the circuit.
        passes: estimated passes over the state (fused gates + controlled gates for qsim,
            operations for Cirq).
        fusion: qsim ``max_fused_gate_size`` (0 for Cirq).
        threads: qsim threads (1 for Cirq).
        predicted_seconds: predicted wall time of the stage.
        floor_seconds: memory-traffic floor ``2**qubits × 16 B × passes ÷ bandwidth``.
        bandwidth: measured memory bandwidth (bytes per second, read + written).
    """

    simulator: str
    qubits: int
    operations: int
    passes: int
    fusion: int
    threads: int
    predicted_seconds: float
    floor_seconds: float
    bandwidth: float

    def as_dict(self) -> dict:
        return asdict(self)


def plan_state_vector(
    circuit: cirq.Circuit,
    qubits: int,
    simulator: str,
    *,
    threads: int | None = None,
    fusion: int | None = None,
    profile: cost.MachineProfile | None = None,
) -> StateVectorPlan:
    """Choose options and predict the time (``profile`` default: this machine's, cached)."""
    prof = profile if profile is not None else cost.machine_profile(simulator)
    ops = [op for op in circuit.all_operations() if not isinstance(op.gate, cirq.IdentityGate)]
    if simulator == "qsim":
        f = int(fusion or prof.fusion or 4)
        t = int(threads or prof.threads or 1)
    else:
        f, t = 0, 1
    passes = cost.estimate_passes(ops, f)
    return StateVectorPlan(
        simulator=simulator,
        qubits=int(qubits),
        operations=len(ops),
        passes=int(passes),
        fusion=f,
        threads=t,
        predicted_seconds=cost.predict_seconds(prof, qubits, passes, len(ops)),
        floor_seconds=cost.memory_floor_seconds(prof.bandwidth, qubits, passes),
        bandwidth=prof.bandwidth,
    )


def _describe(plan: StateVectorPlan) -> str:
    opts = f", fusion {plan.fusion}, {plan.threads} thread(s)" if plan.simulator == "qsim" else ""
    return f"{plan.qubits} qubits, ~{plan.passes:,} passes over the state ({plan.simulator}{opts})"


def check_time(plan: StateVectorPlan, max_seconds: float | None) -> None:
    """Raise :class:`TimeLimitError` if the prediction exceeds ``max_seconds`` (``None`` or
    ``inf``: no limit)."""
    if max_seconds is not None and not max_seconds > 0:
        raise ValueError(f"max_seconds must be > 0, got {max_seconds}")
    if max_seconds is not None and plan.predicted_seconds > max_seconds:
        raise TimeLimitError(
            f"state vector predicted to take {plan.predicted_seconds:,.3g} s ({_describe(plan)}),"
            f" more than the limit of {max_seconds:g} s; not simulated (raise --max-seconds, "
            "or max_seconds, to run it)"
        )


def stage_line(stream: TextIO | None, text: str) -> None:
    """Write one progress line (nothing if ``stream`` is ``None``)."""
    if stream is not None:
        stream.write(text + "\n")
        stream.flush()


def predicted_line(plan: StateVectorPlan) -> str:
    return (
        f"state vector: {_describe(plan)}; predicted {plan.predicted_seconds:.1f} s "
        f"(memory floor {plan.floor_seconds:.1f} s at {plan.bandwidth / 1e9:.1f} GB/s)"
    )


def run_state_vector(
    circuit: cirq.Circuit,
    qubit_order: Sequence[cirq.Qid],
    initial_index: int,
    plan: StateVectorPlan,
) -> tuple[np.ndarray, float]:
    """Final state vector (complex64) and the wall seconds of the simulation."""
    t0 = time.perf_counter()
    if plan.simulator == "qsim":
        import qsimcirq

        sim = qsimcirq.QSimSimulator(qsim_options={"t": plan.threads, "f": plan.fusion})
    else:
        sim = cirq.Simulator(dtype=np.complex64)
    res = sim.simulate(circuit, qubit_order=list(qubit_order), initial_state=initial_index)
    psi = res.final_state_vector
    return psi, time.perf_counter() - t0
