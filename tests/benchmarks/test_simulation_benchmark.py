"""Benchmark: end-to-end gate-level simulation of DiagonalNTK with Cirq and with qsimcirq.

Run with ``python -m pytest tests/benchmarks/test_simulation_benchmark.py --benchmarks -s``.

For each instance the bloq is built from the problem, flattened to ``QECGatesCost`` atoms,
converted to Cirq (``GreedyQubitManager``) and simulated; the discretised reference is checked.
Printed per instance and simulator: qubits, gates, build seconds (flatten + convert), state-vector
seconds, end-to-end seconds, and the Cirq/qsim ratios. qsim runs with the default threads
(half the cores) and gate fusion 4 (``qntk_compile.simulation``); Cirq with ``complex64``.
"""

import time

import pytest

from qntk_compile import datasets
from qntk_compile.assembly import build_diagonal_ntk
from qntk_compile.discretised_reference import reference_for_problem
from qntk_compile.problem import Problem
from qntk_compile.simulation import simulate_bloq

INSTANCES = {
    # name: (n, d, seed, knobs)
    "n4-d2-m3 (18 qubits)": (4, 2, 2, dict(amplitude_bits=5, phase_bits=3, kernel_bits=4)),
    "n4-d4-m4 (21 qubits)": (4, 4, 1, dict(amplitude_bits=4, phase_bits=4, kernel_bits=4)),
}
_RESULTS: dict[tuple[str, str], dict] = {}


def _problem(name):
    n, d, seed, knobs = INSTANCES[name]
    ds = datasets.load("sphere", n=n, d=d, seed=seed, n_test=1)
    X, y = ds.training(n)
    return Problem.from_arrays(X, y, ds.X_test[0], depth=3, median_copies=1, **knobs)


def _end_to_end(problem, simulator):
    t0 = time.perf_counter()
    bloq = build_diagonal_ntk(problem)
    res = simulate_bloq(bloq, simulator=simulator)
    total = time.perf_counter() - t0
    joint = res.marginal("ancilla", "flag")
    p_readout = joint[0, 0] / (joint[0, 0] + joint[1, 0])
    return res, total, p_readout


@pytest.mark.parametrize("simulator", ["cirq", "qsim"])
@pytest.mark.parametrize("name", list(INSTANCES))
def test_simulation_time(benchmark, name, simulator):
    if simulator == "qsim":
        pytest.importorskip("qsimcirq")
    problem = _problem(name)
    res, total, p_readout = benchmark.pedantic(
        _end_to_end, args=(problem, simulator), rounds=1, iterations=1
    )
    ref = reference_for_problem(problem)
    assert abs(p_readout - ref.p_readout) < 1e-4
    _RESULTS[(name, simulator)] = dict(
        qubits=res.qubits,
        gates=res.gates,
        build=res.build_seconds,
        sim=res.seconds,
        total=total,
        p_readout=p_readout,
        reference=ref.p_readout,
    )
    print(
        f"\n{name} {simulator}: {res.qubits} qubits, {res.gates} gates, build "
        f"{res.build_seconds:.1f} s, state vector {res.seconds:.2f} s, end to end {total:.1f} s, "
        f"p_readout {p_readout:.6f} (reference {ref.p_readout:.6f})"
    )


def test_print_ratios():
    if not _RESULTS:
        pytest.skip("no timings collected")
    print(
        "\ninstance                | qubits | gates | cirq sim s | qsim sim s | ratio | "
        "cirq e2e s | qsim e2e s | ratio"
    )
    for name in INSTANCES:
        c, q = _RESULTS.get((name, "cirq")), _RESULTS.get((name, "qsim"))
        if not (c and q):
            continue
        print(
            f"{name:23} | {c['qubits']:6} | {c['gates']:5} | {c['sim']:10.2f} | {q['sim']:10.2f} "
            f"| {c['sim'] / q['sim']:5.1f} | {c['total']:10.1f} | {q['total']:10.1f} | "
            f"{c['total'] / q['total']:5.2f}"
        )
