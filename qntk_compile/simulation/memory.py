"""Memory of a state-vector simulation: its size from the width alone, and the one-line refusal
(:class:`SimulationTooLargeError`) of a width that does not fit, raised before anything is built
or allocated. Imports nothing heavy, so a command can refuse an impossible size at once.
"""

from __future__ import annotations

import os

__all__ = [
    "BYTES_PER_AMPLITUDE",
    "MEMORY_FACTOR",
    "SimulationTooLargeError",
    "available_memory_bytes",
    "check_width",
    "state_vector_bytes",
]

#: Bytes of one complex64 amplitude.
BYTES_PER_AMPLITUDE = 8
#: Working memory a simulation needs, in units of one complex64 state vector: the state itself,
#: the simulator's scratch copy, and the float probabilities derived from it.
MEMORY_FACTOR = 3


class SimulationTooLargeError(ValueError):
    """A circuit too wide for the memory (or for ``max_qubits``); raised before allocating."""


def state_vector_bytes(qubits: int) -> int:
    """Bytes of one complex64 state vector over ``qubits`` qubits."""
    return BYTES_PER_AMPLITUDE * (1 << int(qubits))


def available_memory_bytes() -> int:
    """``MemAvailable`` of ``/proc/meminfo`` (physical memory when that is not readable)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - exotic platforms
        return 8 * 1024**3


def check_width(
    qubits: int,
    *,
    max_qubits: int | None = None,
    memory_bytes: int | None = None,
    what: str = "circuit needs",
) -> None:
    """Raise :class:`SimulationTooLargeError` if ``qubits`` cannot be simulated.

    Args:
        qubits: width of the circuit.
        max_qubits: optional hard cap on the width.
        memory_bytes: memory to plan with (default: :func:`available_memory_bytes`). The simulation
            needs ``MEMORY_FACTOR`` complex64 state vectors.
        what: how the message introduces the width (e.g. an estimate).
    """
    need = MEMORY_FACTOR * state_vector_bytes(qubits)
    if max_qubits is not None and qubits > max_qubits:
        raise SimulationTooLargeError(
            f"{what} {qubits} qubits, more than the limit of {max_qubits} "
            f"(a complex64 state vector of {state_vector_bytes(qubits):,} bytes); "
            "not simulated"
        )
    avail = available_memory_bytes() if memory_bytes is None else int(memory_bytes)
    if need > avail:
        raise SimulationTooLargeError(
            f"{what} {qubits} qubits: simulating it takes {need:,} bytes "
            f"({MEMORY_FACTOR} complex64 state vectors of {state_vector_bytes(qubits):,} bytes) "
            f"but only {avail:,} bytes are available; not simulated"
        )
