"""Benchmark: resource report time vs n, and sizes-only costing vs Qualtran's concrete-data path.

Run with ``python -m pytest tests/benchmarks/test_report_benchmark.py --benchmarks -s``.

Prints the time of ``build_report`` (diagonal variant, both QRAM models, formulas, physical
models, classical baseline; no sweep) at n = 2^10, 2^20, 2^30, 2^40 after one warm-up report
(the n-independent symbolic formulas and sub-bloq costs are computed once per process), and the
largest/smallest ratio (target <= 1.5); then, side by side in one run, costing a QROM of
n = 2^16 items from sizes only (``QROM.build_from_bitsize``, our path) against Qualtran costing
the same QROM built from concrete data (``QROM.build_from_data``), with the ratio.

``test_whole_process_sparsified_vs_diagonal`` times the same command for ``--variant
sparsified`` (s = 57 = 2 ceil(ln 2^40) + 1, kappa = 1, epsilon = 0.01) beside the diagonal one at
n = 2^40, d = 64 (issue 10 target: sparsified <= 1.5 x diagonal), each process with an empty
on-disk cache (a fresh ``QNTK_COMPILE_CACHE_DIR``), so both compute their formulas and error
budget from scratch.

``test_whole_process_report_time`` times the whole command, ``python -m qntk_compile report
--params FILE --out DIR --no-plots`` in a fresh process (imports, analysis-free data, default
sweep 2^10 … 2^40, physical models, writing), at n = 2^40 beside n = 2^10 for d = 64 and 1024
(target ratio <= 1.5; issue 8: d = 1024, n = 2^40 hung > 10 min in the Microsoft estimator).
"""

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from qualtran.bloqs.data_loading import QROM
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value

from resource_estimates.data_model import DataModel
from resource_estimates.report import ReportParameters, build_report

DATA = DataModel.from_values(success_probability=0.01, readout_overlap=0.2, delta=1e-3)


def _report(n):
    return build_report(ReportParameters(n=n, d=64), DATA)


def test_report_time_flat_in_n(benchmark):
    t0 = time.perf_counter()
    _report(2**12)
    warm = time.perf_counter() - t0
    times, repeat = {}, {}
    for k in (10, 20, 30, 40):
        gc.collect()
        gc.disable()  # as timeit does: a collection mid-report is noise, not cost
        try:
            t0 = time.perf_counter()
            _report(2**k)  # first report at this n: its n-dependent sub-bloqs are costed now
            times[k] = time.perf_counter() - t0
            t0 = time.perf_counter()
            _report(2**k)  # again: everything cached except physical/classical/assembly
            repeat[k] = time.perf_counter() - t0
        finally:
            gc.enable()
    benchmark.pedantic(_report, args=(2**40,), rounds=3, iterations=1)
    print(f"\nwarm-up report (formulas + shared sub-bloq costs): {warm:.2f} s")
    for k, t in times.items():
        print(f"report at n = 2^{k}: {t:.3f} s first, {repeat[k]:.3f} s repeated")
    ratio = max(times.values()) / min(times.values())
    print(f"largest/smallest (first reports): {ratio:.2f} (target <= 1.5)")
    assert times[40] <= 2.0


def _cost(bloq):
    return get_cost_value(bloq, QECGatesCost()), get_cost_value(bloq, QubitCount())


def test_sizes_only_vs_concrete_data_qrom_2_16():
    n, bits = 2**16, 8
    t0 = time.perf_counter()
    sizes = _cost(QROM.build_from_bitsize((n,), (bits,)))
    t_sizes = time.perf_counter() - t0
    data = np.random.default_rng(0).integers(0, 2**bits, size=n)
    t0 = time.perf_counter()
    concrete = _cost(QROM.build_from_data(data, target_bitsizes=(bits,)))
    t_data = time.perf_counter() - t0
    print(
        f"\nQROM n = 2^16, {bits} bits: sizes-only {t_sizes * 1e3:.1f} ms, Qualtran from data "
        f"{t_data:.2f} s, ratio {t_data / t_sizes:.0f}x"
    )
    print(f"  Toffoli-like: sizes-only {sizes[0].and_bloq}, from data {concrete[0].and_bloq}")
    # Sizes only = worst case over data (N - 2 Ands); Qualtran's concrete unary iteration skips a
    # few And gates whose branches write nothing, so it can only be lower.
    assert sizes[0].and_bloq == n - 2
    assert 0.99 * sizes[0].and_bloq <= concrete[0].and_bloq <= sizes[0].and_bloq


ROOT = Path(__file__).resolve().parents[2]
PARAMS = {
    "variant": "diagonal",
    "data_access": "qrom",
    "amplitude_bits": 8,
    "phase_bits": 6,
    "median_copies": 3,
    "kernel_bits": 8,
    "post_selection": "repeat",
    "success_probability": 0.01,
    "readout_overlap": 0.2,
    "delta": 0.001,
    "depth": 30,
    "sparsity": 43,
    "kappa": 1.0,
    "qlsa_epsilon": 0.01,
}


def _report_process_seconds(
    tmp: Path, n: int, d: int, tag: str, *, empty_cache: bool = False, **changes
) -> float:
    """Seconds of one ``qntk-compile report --params`` process; with ``empty_cache`` its on-disk
    formula/budget cache (``QNTK_COMPILE_CACHE_DIR``) is a fresh empty directory, so nothing a
    previous run computed is read back."""
    params = tmp / f"params_{tag}.json"
    params.write_text(json.dumps({"n": n, "d": d, **PARAMS, **changes}), encoding="utf-8")
    cmd = [sys.executable, "-m", "qntk_compile", "report", "--params", str(params)]
    cmd += ["--out", str(tmp / f"out_{tag}"), "--no-plots"]
    env = dict(os.environ)
    if empty_cache:
        env["QNTK_COMPILE_CACHE_DIR"] = tempfile.mkdtemp(prefix=f"cache_{tag}_", dir=tmp)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    return seconds


def test_whole_process_report_time(benchmark, tmp_path):
    cases = [(k, d) for d in (64, 1024) for k in (10, 40)]
    times: dict[tuple[int, int], list[float]] = {case: [] for case in cases}
    for rnd in range(2):  # interleaved rounds: load from other processes hits every case alike
        for k, d in cases:
            times[k, d].append(_report_process_seconds(tmp_path, 2**k, d, f"{k}_{d}_{rnd}"))
    benchmark.pedantic(
        _report_process_seconds,
        args=(tmp_path, 2**40, 1024, "bench"),
        rounds=1,
        iterations=1,
    )
    print("\nwhole-process `qntk-compile report --params` (best of 2, seconds):")
    ratios = {}
    for d in (64, 1024):
        small, large = min(times[10, d]), min(times[40, d])
        ratios[d] = large / small
        line = f"n = 2^10 {small:6.2f} s, n = 2^40 {large:6.2f} s, ratio {ratios[d]:.2f}"
        print(f"  d = {d:4d}: {line}")
    print("  target ratio <= 1.5")
    assert max(ratios.values()) <= 1.5


def test_whole_process_sparsified_vs_diagonal(benchmark, tmp_path):
    sparsified = {"variant": "sparsified", "sparsity": 57, "kappa_eff": None}  # = kappa
    cases = {"diagonal": {}, "sparsified": sparsified}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for rnd in range(2):  # interleaved rounds: load from other processes hits both alike
        for name, changes in cases.items():
            tag = f"{name}_{rnd}"
            times[name].append(
                _report_process_seconds(tmp_path, 2**40, 64, tag, empty_cache=True, **changes)
            )
    benchmark.pedantic(
        _report_process_seconds,
        args=(tmp_path, 2**40, 64, "bench_sparsified"),
        kwargs={"empty_cache": True, **cases["sparsified"]},
        rounds=1,
        iterations=1,
    )
    best = {name: min(t) for name, t in times.items()}
    ratio = best["sparsified"] / best["diagonal"]
    head = "whole-process `qntk-compile report --params` at n = 2^40, d = 64, empty cache each run"
    print(f"\n{head}:")
    for name, t in times.items():
        print(f"  {name:10s} runs {', '.join(f'{x:.2f}' for x in t)} s, best {best[name]:.2f} s")
    print(f"  sparsified / diagonal (best of 2) = {ratio:.2f} (target <= 1.5)")
    assert ratio <= 1.5
