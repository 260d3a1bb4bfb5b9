"""Gate-level state-vector simulation of any Qualtran bloq.

The pipeline:

1. **Flatten** the bloq's decomposition recursively down to the gates that Qualtran's
   ``QECGatesCost`` counts as atoms (``And``, ``Toffoli``, ``TwoBitCSwap``, T gates, rotations,
   Cliffords, measurements, bookkeeping). Flattening stops exactly there, so every operation of
   the simulated circuit is one item of the cost model: :func:`gate_census` counts the Toffoli-like
   gates and rotations of the *simulated* circuit, and tests compare them with
   ``get_cost_value(bloq, QECGatesCost())`` (which is computed from the call graphs).
2. **Convert** the flat composite bloq to a Cirq circuit, allocating the ancillas of ``And``,
   QROM, adders ... with ``cirq.GreedyQubitManager(prefix=..., maximize_reuse=True)`` (otherwise
   qubit counts explode).
3. **Check width**: the number of qubits is known before any state vector exists. A circuit
   whose complex64 state vector (times a working-memory factor) does not fit into the available
   memory, or is wider than ``max_qubits``, is refused with a one-line
   :class:`SimulationTooLargeError` (a ``ValueError``) that names the qubits and the bytes.
4. **Run** with ``qsimcirq`` when installed (≈ 10× on deep circuits, ``docs/simulation.md``),
   ``cirq.Simulator(dtype=complex64)`` otherwise. Qualtran's ``And``/``And†`` pair is simulated
   by its unitary equivalent: ``And`` is a Toffoli onto a fresh |0> target, and ``And†`` (which
   Qualtran compiles to an X-basis measurement plus a classically controlled CZ) is the same
   Toffoli, equal to the measurement-based uncomputation on every state where the target holds the
   AND of the controls (the only states on which ``And†`` is defined). This keeps the simulation a
   single deterministic state vector, which qsim requires. If the target does *not* hold the AND,
   the Toffoli leaves it dirty instead of collapsing it; that shows up in
   :attr:`SimulationResult.ancilla_leak`.
5. **Read out** marginal probabilities of named registers (:meth:`SimulationResult.marginal`) and
   the probability that the internal ancillas did not return to |0>
   (:attr:`SimulationResult.ancilla_leak`).

Register values are read as Qualtran reads them: big-endian bits of the register (for array
registers, the elements in row-major order, each big-endian).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from qualtran import Bloq, Side

from qntk_compile.simulation.circuit_build import build_circuit
from qntk_compile.simulation.circuit_cache import CacheStats
from qntk_compile.simulation.gate_census import (
    GateCensus,
    flatten_for_simulation,
    gate_census,
    is_qec_atom,
)
from qntk_compile.simulation.memory import (
    SimulationTooLargeError,
    available_memory_bytes,
    check_width,
    state_vector_bytes,
)

__all__ = [
    "SimulationTooLargeError",
    "GateCensus",
    "SimulationResult",
    "is_qec_atom",
    "flatten_for_simulation",
    "gate_census",
    "build_circuit",
    "state_vector_bytes",
    "available_memory_bytes",
    "check_width",
    "default_simulator",
    "simulate_bloq",
]

# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


def default_simulator() -> str:
    """``"qsim"`` if ``qsimcirq`` is importable, else ``"cirq"``."""
    try:
        import qsimcirq  # noqa: F401
    except ImportError:
        return "cirq"
    return "qsim"


def _bits_of(value: int, n: int) -> list[int]:
    return [(int(value) >> (n - 1 - j)) & 1 for j in range(n)]


@dataclass
class SimulationResult:
    """The final state of a simulated bloq.

    Attributes:
        qubits: width of the simulated circuit.
        seconds: wall time of the state-vector simulation only.
        build_seconds: wall time of flattening and converting to Cirq.
        simulator: ``"qsim"`` or ``"cirq"``.
        census: operation counts of the simulated circuit (:class:`GateCensus`).
        registers: output register name -> its qubit positions in :attr:`probabilities`.
        ancilla_positions: positions of all other qubits (ancillas allocated by the conversion and
            qubits of registers consumed by the bloq); they should end in |0>.
        probabilities: probabilities over the ``qubits`` computational basis states, qubit 0 most
            significant (output-register qubits first, in signature order, then the ancillas).
        state: the complex64 state vector in the same order if ``return_state=True``, else ``None``.
        cache: what the circuit cache did
        (:class:`~qntk_compile.simulation.circuit_cache.CacheStats`;
            ``None`` with ``build_method="reference"``).
        plan: the :class:`~qntk_compile.simulation.state_vector.StateVectorPlan` (options, predicted
            seconds, memory floor).
    """

    qubits: int
    seconds: float
    build_seconds: float
    simulator: str
    census: GateCensus
    registers: dict[str, tuple[int, ...]]
    ancilla_positions: tuple[int, ...]
    probabilities: np.ndarray
    state: np.ndarray | None = None
    cache: CacheStats | None = None
    plan: object | None = None

    @property
    def gates(self) -> int:
        return self.census.gates

    def _tensor(self) -> np.ndarray:
        return self.probabilities.reshape((2,) * self.qubits)

    def marginal_bits(self, positions: Sequence[int]) -> np.ndarray:
        """Probabilities of the qubits at ``positions`` (in that order), as a flat array indexed by
        the big-endian integer of their bits."""
        positions = list(positions)
        if not positions:
            return np.array([float(self.probabilities.sum())])
        rest = tuple(i for i in range(self.qubits) if i not in set(positions))
        marg = self._tensor().sum(axis=rest) if rest else self._tensor()
        # ``marg`` axes are the kept qubits in increasing position order; reorder to ``positions``.
        kept = sorted(positions)
        marg = np.transpose(marg, [kept.index(p) for p in positions])
        return np.asarray(marg, dtype=np.float64).reshape(-1)

    def marginal(self, *names: str) -> np.ndarray:
        """Joint probabilities of the named output registers' values.

        Returns an array of shape ``(2**bits(names[0]), 2**bits(names[1]), ...)``; entry
        ``[v0, v1, ...]`` is the probability that register ``names[j]`` holds the value ``vj``.
        """
        unknown = [n for n in names if n not in self.registers]
        if unknown:
            raise ValueError(f"no output register named {unknown}; have {sorted(self.registers)}")
        positions = [p for n in names for p in self.registers[n]]
        shape = tuple(1 << len(self.registers[n]) for n in names)
        return self.marginal_bits(positions).reshape(shape)

    def probability_zero(self, *names: str) -> float:
        """Probability that all the named registers read 0."""
        positions = [p for n in names for p in self.registers[n]]
        return float(self.marginal_bits(positions)[0])

    @property
    def ancilla_leak(self) -> float:
        """Probability that some ancilla did not return to |0> (0 for a clean circuit)."""
        if not self.ancilla_positions:
            return 0.0
        return max(0.0, 1.0 - float(self.marginal_bits(self.ancilla_positions)[0]))

    @property
    def norm(self) -> float:
        return float(self.probabilities.sum())


def simulate_bloq(
    bloq: Bloq,
    initial: Mapping[str, int | Sequence[int]] | None = None,
    *,
    simulator: str | None = None,
    max_qubits: int | None = None,
    memory_bytes: int | None = None,
    allow_opaque: bool = False,
    return_state: bool = False,
    threads: int | None = None,
    max_gates: int | None = None,
    build_method: str = "cached",
    fusion: int | None = None,
    max_seconds: float | None = None,
    progress: TextIO | None = None,
) -> SimulationResult:
    """Simulate ``bloq``'s flattened decomposition on a computational basis input.

    Args:
        bloq: any Qualtran bloq whose decomposition reaches ``QECGatesCost`` atoms.
        initial: values of the left registers (default 0). An array register takes a sequence of
            values (row-major) or one integer over all its bits.
        simulator: ``"qsim"``, ``"cirq"`` or ``None`` (:func:`default_simulator`).
        max_qubits: refuse wider circuits.
        memory_bytes: memory budget (default: what the machine has available now).
        allow_opaque: simulate even if some leaf bloqs are not gate level (they are then simulated
            through their own Cirq unitary); by default that is an error.
        return_state: keep the final state vector in :attr:`SimulationResult.state`.
        threads: qsim threads (default: the fastest measured on this machine, see
            :mod:`qntk_compile.simulation.sv_cost_model` — on a loaded machine more threads than
            free cores make qsim several times slower).
        fusion: qsim ``max_fused_gate_size`` (default: the fastest measured on this machine).
        max_gates: refuse, before flattening, a bloq whose ``QECGatesCost`` (T + Toffoli + CSwap +
            And + Clifford + rotation; ``And†`` counts once, as a Clifford) exceeds this many
            gates — flattening and simulating take minutes per ~10^4 gates.
        build_method: ``"cached"`` or ``"reference"`` (see :func:`build_circuit`).
        max_seconds: refuse (:class:`~qntk_compile.simulation.state_vector.TimeLimitError`, a
            :class:`SimulationTooLargeError`) a circuit whose predicted state-vector time
            (:func:`~qntk_compile.simulation.state_vector.plan_state_vector`) exceeds this, before
            running.
        progress: a stream for stage lines (build, predicted and measured state-vector time);
            on a terminal the build shows a live counter. ``None``: silent.

    Raises:
        SimulationTooLargeError: the circuit is too wide; raised before any state is allocated.
        ValueError: bad register names or values, or non-gate-level leaves.
    """
    from qualtran.symbolics import is_symbolic

    sim_name = simulator or default_simulator()
    if sim_name not in ("qsim", "cirq"):
        raise ValueError(f"simulator must be 'qsim' or 'cirq', not {sim_name!r}")
    lower = (
        sum(int(r.total_bits()) for r in bloq.signature if r.side != Side.RIGHT)
        if not is_symbolic(*[r.total_bits() for r in bloq.signature])
        else None
    )
    if lower is None:
        raise ValueError("cannot simulate a bloq with symbolic register sizes")
    check_width(lower, max_qubits=max_qubits, memory_bytes=memory_bytes)
    # Qualtran's peak-width estimate (cheap, from the call graph). The greedy Cirq allocation has
    # never been narrower than it in our measurements, so a bloq whose estimate is too wide is
    # refused before the (possibly long) flattening.
    try:
        from qualtran.resource_counting import QubitCount, get_cost_value

        estimate = get_cost_value(bloq, QubitCount())
    except Exception:  # noqa: BLE001 - an estimate that cannot be computed is just skipped
        estimate = None
    if estimate is not None and not is_symbolic(estimate):
        check_width(
            int(estimate),
            max_qubits=max_qubits,
            memory_bytes=memory_bytes,
            what="Qualtran's QubitCount estimates the circuit needs",
        )
    if max_gates is not None:
        from qualtran.resource_counting import QECGatesCost, get_cost_value

        c = get_cost_value(bloq, QECGatesCost())
        gates = c.t + c.toffoli + c.cswap + c.and_bloq + c.clifford + c.rotation
        if not is_symbolic(gates) and gates > max_gates:
            width = ""
            if estimate is not None and not is_symbolic(estimate):
                width = (
                    f" on about {int(estimate)} qubits (a complex64 state vector of "
                    f"{state_vector_bytes(int(estimate)):,} bytes)"
                )
            raise SimulationTooLargeError(
                f"circuit has about {int(gates):,} gates (QECGatesCost){width}, more than the "
                f"limit of {int(max_gates):,} gates; not simulated"
            )

    from qntk_compile.progress import Progress
    from qntk_compile.simulation import state_vector as sv

    t0 = time.perf_counter()
    bar = Progress(None, label="build: sub-bloqs converted", stream=progress, delay=1.0)
    if progress is None:
        bar.enabled = False
    built = build_circuit(
        bloq,
        allow_opaque=allow_opaque,
        method=build_method,
        on_template=lambda t: bar.advance(note=f"({type(t.bloq).__name__})"),
    )
    bar.close()
    build_seconds = time.perf_counter() - t0
    n_qubits = len(built.qubits)
    check_width(n_qubits, max_qubits=max_qubits, memory_bytes=memory_bytes)

    initial = dict(initial or {})
    unknown = set(initial) - set(built.in_quregs)
    if unknown:
        raise ValueError(
            f"no input register named {sorted(unknown)}; have {sorted(built.in_quregs)}"
        )
    position = {q: i for i, q in enumerate(built.qubits)}
    bits = [0] * n_qubits
    for name, value in initial.items():
        qs = np.asarray(built.in_quregs[name])
        bitsize = qs.shape[-1]
        flat_qs = qs.reshape(-1, bitsize)
        values = np.atleast_1d(np.asarray(value, dtype=object)).reshape(-1)
        if values.size == 1 and flat_qs.shape[0] > 1:
            seq = _bits_of(int(values[0]), flat_qs.size)
        elif values.size == flat_qs.shape[0]:
            seq = [b for v in values for b in _bits_of(int(v), bitsize)]
        else:
            raise ValueError(
                f"register {name!r} takes {flat_qs.shape[0]} values, not {values.size}"
            )
        for v in values:
            if int(v) < 0 or (values.size > 1 and int(v) >= (1 << bitsize)):
                raise ValueError(f"value {v} does not fit register {name!r} ({bitsize} bits)")
        if values.size == 1 and int(values[0]) >= (1 << flat_qs.size):
            raise ValueError(f"value {values[0]} does not fit register {name!r}")
        for q, b in zip(flat_qs.reshape(-1), seq, strict=True):
            bits[position[q]] = b
    initial_index = int("".join(map(str, bits)), 2) if n_qubits else 0

    plan = sv.plan_state_vector(built.circuit, n_qubits, sim_name, threads=threads, fusion=fusion)
    sv.check_time(plan, max_seconds)
    if build_seconds > 1.0:
        hits = f", cache hit rate {built.cache.hit_rate:.1%}" if built.cache else ""
        sv.stage_line(
            progress,
            f"build: {build_seconds:.1f} s, {n_qubits} qubits, {built.census.gates:,} gates{hits}",
        )
    if plan.predicted_seconds > 1.0:
        sv.stage_line(progress, sv.predicted_line(plan))
    t1 = time.perf_counter()
    psi, _ = sv.run_state_vector(built.circuit, built.qubits, initial_index, plan)
    probs = (psi.real.astype(np.float64) ** 2) + (psi.imag.astype(np.float64) ** 2)
    state = np.array(psi, dtype=np.complex64) if return_state else None
    del psi
    seconds = time.perf_counter() - t1
    if seconds > 1.0:
        sv.stage_line(progress, f"state vector: {seconds:.1f} s")

    out_positions = {
        name: tuple(position[q] for q in np.asarray(qs).reshape(-1))
        for name, qs in built.out_quregs.items()
    }
    used = {p for ps in out_positions.values() for p in ps}
    ancillas = tuple(i for i in range(n_qubits) if i not in used)
    return SimulationResult(
        qubits=n_qubits,
        seconds=seconds,
        build_seconds=build_seconds,
        simulator=sim_name,
        census=built.census,
        registers=out_positions,
        ancilla_positions=ancillas,
        probabilities=probs,
        state=state,
        cache=built.cache,
        plan=plan,
    )
