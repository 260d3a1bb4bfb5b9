"""Benchmark: ``qntk-compile analyze`` on digits 8 vs 9 for n = 16 … 256 (prints the figures).

Run with ``python -m pytest tests/benchmarks/test_analyze_benchmark.py --benchmarks -s``.
"""

import pytest

from qntk_compile.cli.analyze import analyze, format_table
from qntk_compile.data import datasets

SIZES = [16, 32, 64, 128, 256]


@pytest.mark.parametrize("task", ["digits-8-9", "digits-0-1"])
def test_analyze_digits_benchmark(benchmark, task):
    ds = datasets.load(task, seed=0)
    result = benchmark.pedantic(analyze, args=(ds, SIZES), rounds=3, iterations=1)
    print()
    print(format_table(result))
    for r in result["sizes"]:
        print(
            f"  n={r['n']:>4}: L={r['depth']}, L_conv={r['L_conv']:.0f}, "
            f"kappa(K)={r['kappa_exact']:.10f}, kappa(K~)={r['kappa_sparsified']:.10f}, "
            f"kappa(K~ circulant)={r['kappa_circulant']:.10f}, "
            f"max|K_ij|/K_11={r['offdiag_max']:.3g}, {r['seconds']:.2f} s"
        )
    rows = result["sizes"]
    assert [r["n"] for r in rows] == SIZES
    assert rows[-1]["kappa_sparsified"] <= rows[0]["kappa_sparsified"]
