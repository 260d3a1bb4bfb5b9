"""`resource_estimates.published.qram`: router vs decoder vs QROM, each beside its published
kind."""

import time

import pytest
import sympy

from bloqs.state_preparation.kp_tree import DATA_ACCESS_KINDS
from resource_estimates.published.qram import bucket_brigade_figures, data_access_figures

NS = sympy.Symbol("N", positive=True, integer=True)
FIELDS = ("toffoli_like", "cswap", "and", "qubits", "toffoli_depth")


@pytest.mark.parametrize("N", [16, 256, 2**20])
def test_router_decoder_qrom_at_three_sizes(N):
    n, b = N.bit_length() - 1, 1
    bb = bucket_brigade_figures(N, b)
    dec = data_access_figures("one_hot_decoder", N, b)
    qrom = data_access_figures("qrom", N, b)
    rows = [f"{f['kind']} " + str([f[k] for k in FIELDS]) for f in (bb, dec, qrom)]
    print(f"\nN={N}: " + " | ".join(rows))
    assert (bb["toffoli_like"], bb["cswap"], bb["and"]) == (4 * N - 4 - 2 * n, 4 * N - 4 - 2 * n, 0)
    assert (bb["qubits"], bb["toffoli_depth"]) == (n + b + 2 * N, 4 * n - 2)
    assert (bb["routers"], bb["routers_active_per_query"]) == (N - 1, n)
    assert (dec["toffoli_like"], dec["cswap"], dec["toffoli_depth"]) == (N - 2, 0, n - 1)
    assert dec["qubits"] == n + b + N + N // 4 and dec["routers"] is None
    assert qrom["toffoli_like"] == dec["toffoli_like"] != bb["toffoli_like"]
    assert qrom["toffoli_depth"] == N - 2 and not qrom["toffoli_depth_exact"]
    # each form beside the published figure of its own kind
    assert bb["published"]["t_count"] == 21 * N - 28 and "1902.01329" in bb["published"]["source"]
    assert dec["published"]["toffoli"] == qrom["published"]["toffoli"] == N - 2
    assert "1805.03662" in dec["published"]["source"]


# Qualtran's SelectSwapQROM picks its block size differently for a sympy N (its formula is not
# the concrete count at small N), so the check covers the other kinds.
@pytest.mark.parametrize("kind", [k for k in DATA_ACCESS_KINDS if k != "select_swap"])
def test_symbolic_figures_equal_concrete(kind):
    symb = data_access_figures(kind, NS, 3)
    for N in (4, 64, 1024):
        conc = data_access_figures(kind, N, 3)
        for key in FIELDS + ("t_count", "clifford", "routers", "routers_active_per_query"):
            if conc[key] is None:
                assert symb[key] is None
                continue
            assert sympy.sympify(symb[key]).subs(NS, N) == conc[key], (kind, key)


def test_bucket_brigade_figures_are_formulas_and_fast():
    f = bucket_brigade_figures(NS, 2)
    n = sympy.ceiling(sympy.log(NS, 2))
    assert f["toffoli_depth"] == 4 * n - 2 and f["routers_active_per_query"] == n
    t0 = time.perf_counter()
    big = bucket_brigade_figures(2**40, 16)
    assert time.perf_counter() - t0 < 2.0  # nothing is enumerated
    assert big["routers_active_per_query"] == 40


def test_bad_kind():
    with pytest.raises(ValueError, match="data_access"):
        data_access_figures("fanout", 16)
