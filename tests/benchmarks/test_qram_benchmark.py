"""Benchmark: QRAM costing from sizes (N = 2^10 ... 2^40) and N = 8 simulation, for the bucket
brigade (`BucketBrigadeQRAM`) and the one-hot decoder (`OneHotDecoderQRAM`).

Run with ``python -m pytest tests/benchmarks/test_qram_benchmark.py --benchmarks -s``.
Costing never enumerates the cells, so its time is flat in N.
"""

import time

import numpy as np
import pytest
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value

from bloqs.qram.bucket_brigade import BucketBrigadeQRAM
from bloqs.qram.one_hot_decoder import OneHotDecoderQRAM
from bloqs.qram.toffoli_depth import ToffoliDepth
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from tests.bloqs.state_preparation.sim_utils import simulate_bloq

EXPONENTS = [10, 20, 30, 40]
CLASSES = [BucketBrigadeQRAM, OneHotDecoderQRAM]


def _cost(bloq):
    gc = get_cost_value(bloq, QECGatesCost())
    return gc, get_cost_value(bloq, QubitCount()), get_cost_value(bloq, ToffoliDepth())


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_costing_time_flat_in_N(benchmark, cls):
    times = {}
    print()
    for e in EXPONENTS:
        bloq = cls.build_from_bitsize(2**e, 16)
        t0 = time.perf_counter()
        gc, qubits, depth = _cost(bloq)
        times[e] = time.perf_counter() - t0
        print(
            f"  {cls.__name__:>17} N=2^{e}: Toffoli-like {gc.and_bloq + gc.cswap + gc.toffoli}, "
            f"T {gc.total_t_count()}, qubits {qubits}, Toffoli-depth {depth}: "
            f"{times[e] * 1e3:.2f} ms"
        )
    benchmark.pedantic(_cost, args=(cls.build_from_bitsize(2**40, 16),), rounds=5)
    assert max(times.values()) < 2.0  # flat: milliseconds whatever N


def test_loader_costing_time_flat_in_n(benchmark):
    print()
    for e in EXPONENTS:
        bloq = RowAmplitudeLoader.from_sizes(2**e, 2**10, 12, data_access="bucket_brigade")
        t0 = time.perf_counter()
        gc = get_cost_value(bloq, QECGatesCost())
        q = get_cost_value(bloq, QubitCount())
        print(
            f"  RowAmplitudeLoader(bucket_brigade) n=2^{e}, d=2^10: Toffoli-like "
            f"{gc.and_bloq + gc.cswap + gc.toffoli}, qubits {q}: "
            f"{(time.perf_counter() - t0) * 1e3:.1f} ms"
        )
    benchmark.pedantic(
        get_cost_value,
        args=(RowAmplitudeLoader.from_sizes(2**40, 2**10, 12), QECGatesCost()),
        rounds=3,
    )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_state_vector_simulation_N8(benchmark, cls):
    data = np.array([3, 0, 5, 7, 1, 6, 2, 4])
    bloq = cls.build_from_data(data, 3)

    def run():
        return simulate_bloq(bloq, ("address",))

    psi, leftover, circuit = benchmark.pedantic(run, rounds=3, iterations=1)
    ideal = np.zeros(64)
    ideal[np.arange(8) * 8 + data] = 1 / np.sqrt(8)
    print(
        f"\n  {cls.__name__} N=8, b=3: {len(circuit.all_qubits())} qubits, "
        f"{len(list(circuit.all_operations()))} operations, fidelity "
        f"{abs(np.vdot(ideal, psi)) ** 2:.12f}, mean {benchmark.stats.stats.mean:.3f} s"
    )
    assert abs(np.vdot(ideal, psi)) ** 2 > 1 - 1e-9 and leftover < 1e-9
