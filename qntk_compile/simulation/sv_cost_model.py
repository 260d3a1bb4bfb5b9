"""Cost model of the state-vector stage, measured on this machine.

A state-vector simulator streams the whole state through memory once per (fused) gate, so its
time is bounded below by the **memory-traffic floor**

    floor = 2**qubits amplitudes × 16 bytes (read + write one complex64) × passes ÷ bandwidth,

where ``passes`` is the number of gates after qsim's gate fusion (plus controlled gates, which
qsim applies unfused) and ``bandwidth`` is measured with numpy (:func:`measure_bandwidth`: an
in-place update of a 128 MiB complex64 array, read + written bytes per second).

The **prediction** printed before a simulation is

    seconds = seconds_per_op × operations + seconds_per_pass_amplitude(qubits) × passes × 2**qubits

with ``passes`` from :func:`estimate_passes` (a greedy model of qsim's fusion that needs no
simulation) and both coefficients measured once per machine by :func:`calibrate` on synthetic
circuits of the same gate mix (Toffolis, CNOTs, X, Ry, controlled Ry) at a few widths. The
calibration also picks qsim's fusion size and thread count (fastest measured; on a loaded 2-core
machine one thread often beats two). The profile is cached as JSON in
``$QNTK_COMPILE_CACHE_DIR`` (default ``$XDG_CACHE_HOME/qntk-compile`` or
``~/.cache/qntk-compile``; the same directory as the report's caches,
:func:`resource_estimates.logical.formula_cache.cache_dir`), one file per host and CPU count;
:func:`machine_profile` loads it or calibrates (a few seconds, once). With
``QNTK_COMPILE_CACHE_DIR=off`` nothing is written and the profile is calibrated once per process.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import cirq
import numpy as np

from resource_estimates.logical.formula_cache import cache_dir as default_cache_dir

__all__ = [
    "BYTES_PER_AMPLITUDE_PASS",
    "MachineProfile",
    "measure_bandwidth",
    "estimate_passes",
    "qsim_fused_gates",
    "calibrate",
    "machine_profile",
    "predict_seconds",
    "memory_floor_seconds",
    "profile_path",
]

#: Bytes moved per amplitude per pass: one complex64 read and one written.
BYTES_PER_AMPLITUDE_PASS = 16
#: Widths of the calibration circuits (the coefficient is interpolated between them) and their
#: gate counts (more gates on narrow circuits, so that each run lasts long enough to time).
CALIBRATION_QUBITS = (14, 18, 21)
CALIBRATION_GATES = (1500, 500, 200)
#: Fusion sizes tried by the calibration.
FUSION_SIZES = (2, 3, 4)
_PROFILE_VERSION = 1


@dataclass(frozen=True)
class MachineProfile:
    """Measured constants of this machine for the state-vector stage.

    Attributes:
        bandwidth: memory bandwidth in bytes per second (read + written), numpy-measured.
        fusion: qsim ``max_fused_gate_size`` (``f``) chosen by the calibration.
        threads: qsim thread count chosen by the calibration.
        seconds_per_op: Python-side cost per Cirq operation (translation to qsim).
        pass_amplitude_seconds: ``{qubits: seconds per pass per amplitude}`` at the calibration
            widths (passes as counted by :func:`estimate_passes`).
        host: host name the profile was measured on.
        cpu_count: CPUs of that host.
    """

    bandwidth: float
    fusion: int
    threads: int
    seconds_per_op: float
    pass_amplitude_seconds: dict[int, float]
    host: str
    cpu_count: int

    def seconds_per_pass_amplitude(self, qubits: int) -> float:
        """Interpolated (linearly in qubits, constant outside the measured widths)."""
        pts = sorted((int(k), float(v)) for k, v in self.pass_amplitude_seconds.items())
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return float(np.interp(qubits, xs, ys))


def measure_bandwidth(nbytes: int = 128 * 2**20, repeats: int = 3) -> float:
    """Memory bandwidth (bytes read + written per second) of an in-place numpy update."""
    a = np.ones(max(1, nbytes // 8), dtype=np.complex64)
    factor = np.complex64(1.0)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.multiply(a, factor, out=a)
        best = min(best, time.perf_counter() - t0)
    return BYTES_PER_AMPLITUDE_PASS * a.size / max(best, 1e-9)


def _is_unfused(op: cirq.Operation) -> bool:
    """qsim applies ``cirq.ControlledGate`` s as controlled gates, outside its fusion."""
    return isinstance(op.gate, cirq.ControlledGate)


def estimate_passes(ops: Iterable[cirq.Operation], max_fused: int) -> int:
    """Greedy estimate of the gates qsim applies after fusing up to ``max_fused`` qubits.

    Each gate joins the blocks that currently end its qubits if all of them are still open
    (nothing later on any of their qubits) and the union has at most ``max_fused`` qubits;
    otherwise it starts a block. Controlled gates are one pass each. Identities are free.
    """
    last: dict = {}  # qubit -> block id
    blocks: list[set] = []
    unfused = 0
    for op in ops:
        if op.gate == cirq.I or isinstance(op.gate, cirq.IdentityGate):
            continue
        if _is_unfused(op):
            unfused += 1
            for q in op.qubits:
                last[q] = -1  # a barrier on these qubits
            continue
        qs = op.qubits
        ends = {last[q] for q in qs if q in last}
        union = set(qs)
        ok = -1 not in ends
        if ok:
            for b in ends:
                if any(last.get(q) != b for q in blocks[b]):
                    ok = False
                    break
                union |= blocks[b]
        if ok and ends and len(union) <= max_fused:
            keep = min(ends)
            for b in ends:
                if b != keep:
                    blocks[b] = set()
            blocks[keep] = union
            for q in union:
                last[q] = keep
        else:
            blocks.append(set(qs))
            for q in qs:
                last[q] = len(blocks) - 1
    return sum(1 for b in blocks if b) + unfused


def qsim_fused_gates(
    circuit: cirq.Circuit, qubit_order: Sequence[cirq.Qid], fusion: int, threads: int
) -> tuple[int, float, float]:
    """Run qsim once and read its own report: ``(passes, qsim_seconds, wall_seconds)``.

    ``passes`` is qsim's fused-gate count plus its unfused controlled gates; ``qsim_seconds`` its
    simulation time (fusion excluded). qsim prints these on the C-level stdout at verbosity 3,
    which is captured here.
    """
    import qsimcirq

    sim = qsimcirq.QSimSimulator(qsim_options={"t": int(threads), "f": int(fusion), "v": 3})
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            t0 = time.perf_counter()
            sim.simulate(circuit, qubit_order=list(qubit_order))
            wall = time.perf_counter() - t0
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read().decode(errors="replace")
    fused = simu = None
    for line in text.splitlines():
        if "are fused into" in line:
            fused = int(line.split("are fused into")[1].split()[0])
        elif line.startswith("simu time is"):
            simu = float(line.split()[3])
    if fused is None or simu is None:
        raise RuntimeError("qsim did not report its fused gates (qsimcirq changed its output?)")
    unfused = sum(1 for op in circuit.all_operations() if _is_unfused(op))
    return fused + unfused, simu, wall


def _synthetic_circuit(qubits: int, gates: int, seed: int = 0) -> cirq.Circuit:
    """Random local gates in the mix of the DiagonalNTK circuits (Toffolis, CNOTs, X, Ry,
    controlled Ry)."""
    rng = np.random.default_rng(seed)
    q = cirq.LineQubit.range(qubits)
    ops: list[cirq.Operation] = []
    for _ in range(gates):
        i = int(rng.integers(0, qubits - 2))
        a, b, c = (q[j] for j in rng.permutation([i, i + 1, i + 2]))
        r = rng.random()
        if r < 0.3:
            ops.append(cirq.CCX(a, b, c))
        elif r < 0.7:
            ops.append(cirq.CNOT(a, b))
        elif r < 0.8:
            ops.append(cirq.X(a))
        elif r < 0.95:
            ops.append(cirq.ry(float(rng.random())).on(a))
        else:
            ops.append(cirq.ry(float(rng.random())).on(a).controlled_by(b))
    return cirq.Circuit(ops)


def calibrate(
    widths: Sequence[int] = CALIBRATION_QUBITS,
    gates: Sequence[int] = CALIBRATION_GATES,
    fusions: Sequence[int] = FUSION_SIZES,
    bandwidth: float | None = None,
    simulator: str = "qsim",
) -> MachineProfile:
    """Measure bandwidth, pick qsim's fusion size and threads, fit the time coefficients.

    With ``simulator="cirq"`` (no fusion, one thread) only the per-pass coefficient of
    ``cirq.Simulator`` is fitted, on narrower circuits (``passes`` = operations).
    """
    bw = measure_bandwidth() if bandwidth is None else float(bandwidth)
    cpus = os.cpu_count() or 1
    if simulator == "cirq":
        return _calibrate_cirq(bw, cpus)
    import qsimcirq

    # 1. threads (at the largest fusion), then fusion: fastest measured on the widest circuit.
    widest = _synthetic_circuit(widths[-1], gates[-1])
    order = sorted(widest.all_qubits())

    def timed(f: int, t: int) -> float:
        sim = qsimcirq.QSimSimulator(qsim_options={"t": t, "f": f})
        t0 = time.perf_counter()
        sim.simulate(widest, qubit_order=order)
        return time.perf_counter() - t0

    f_max = max(fusions)
    threads = min(sorted({1, cpus}), key=lambda t: timed(f_max, t))
    fusion = min(fusions, key=lambda f: timed(f, threads))
    # 2. per-op and per-pass-amplitude coefficients at each width.
    per_amp: dict[int, float] = {}
    per_op: list[float] = []
    for w, g in zip(widths, gates, strict=True):
        circ = _synthetic_circuit(w, g, seed=w)
        ops = list(circ.all_operations())
        passes = estimate_passes(ops, fusion)
        runs = [qsim_fused_gates(circ, sorted(circ.all_qubits()), fusion, threads) for _ in "ab"]
        simu = min(r[1] for r in runs)
        per_amp[int(w)] = simu / (passes * 2.0**w)
        per_op.append(min(max(0.0, r[2] - r[1]) for r in runs) / len(ops))
    return MachineProfile(
        bandwidth=bw,
        fusion=int(fusion),
        threads=int(threads),
        seconds_per_op=float(np.median(per_op)),
        pass_amplitude_seconds=per_amp,
        host=platform.node(),
        cpu_count=cpus,
    )


def _calibrate_cirq(bandwidth: float, cpus: int) -> MachineProfile:
    per_amp: dict[int, float] = {}
    for w in (10, 14):
        circ = _synthetic_circuit(w, 200, seed=w)
        t0 = time.perf_counter()
        cirq.Simulator(dtype=np.complex64).simulate(circ, qubit_order=sorted(circ.all_qubits()))
        wall = time.perf_counter() - t0
        per_amp[w] = wall / (len(list(circ.all_operations())) * 2.0**w)
    return MachineProfile(
        bandwidth=bandwidth,
        fusion=0,
        threads=1,
        seconds_per_op=0.0,
        pass_amplitude_seconds=per_amp,
        host=platform.node(),
        cpu_count=cpus,
    )


def profile_path(
    cache_dir: str | os.PathLike | None = None, simulator: str = "qsim"
) -> Path | None:
    """Where the profile of this host is cached (``None`` when caching is off)."""
    directory = default_cache_dir() if cache_dir is None else Path(cache_dir)
    if directory is None:
        return None
    name = f"sv-profile-{simulator}-{platform.node() or 'host'}-{os.cpu_count() or 1}cpu.json"
    return directory / name


#: Profiles calibrated in this process while the on-disk cache is off.
_UNCACHED_PROFILES: dict[str, MachineProfile] = {}


def machine_profile(
    simulator: str = "qsim", cache_dir: str | os.PathLike | None = None, refresh: bool = False
) -> MachineProfile:
    """The cached :class:`MachineProfile` of this host and simulator, calibrated (and cached) if
    missing."""
    path = profile_path(cache_dir, simulator)
    if path is None:
        if refresh or simulator not in _UNCACHED_PROFILES:
            _UNCACHED_PROFILES[simulator] = calibrate(simulator=simulator)
        return _UNCACHED_PROFILES[simulator]
    if not refresh and path.exists():
        try:
            raw = json.loads(path.read_text())
            if raw.pop("version", None) == _PROFILE_VERSION:
                raw["pass_amplitude_seconds"] = {
                    int(k): float(v) for k, v in raw["pass_amplitude_seconds"].items()
                }
                return MachineProfile(**raw)
        except (OSError, ValueError, TypeError, KeyError):
            pass  # unreadable or stale: calibrate again
    prof = calibrate(simulator=simulator)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": _PROFILE_VERSION, **asdict(prof)}, indent=1))
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home: the profile is just not cached
    return prof


def predict_seconds(profile: MachineProfile, qubits: int, passes: int, operations: int) -> float:
    """Predicted wall time of the state-vector stage (see the module docstring)."""
    return profile.seconds_per_op * operations + profile.seconds_per_pass_amplitude(
        qubits
    ) * passes * (2.0**qubits)


def memory_floor_seconds(bandwidth: float, qubits: int, passes: int) -> float:
    """Memory-traffic floor: ``2**qubits × 16 bytes × passes ÷ bandwidth``."""
    return BYTES_PER_AMPLITUDE_PASS * (2.0**qubits) * passes / float(bandwidth)
