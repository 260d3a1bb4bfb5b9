"""Data-dependent quantities: measured, extrapolated by power laws, or given."""

import math

import pytest

from resource_estimates.data_model import DataModel, DataQuantity, fit_log, fit_power

ROWS = [
    {
        "n_padded": 16,
        "delta": 0.08,
        "post_selection_count_median": 4.0,
        "readout_count_diagonal_median": 10.0,
    },
    {
        "n_padded": 64,
        "delta": 0.04,
        "post_selection_count_median": 8.0,
        "readout_count_diagonal_median": 20.0,
    },
    {
        "n_padded": 256,
        "delta": 0.02,
        "post_selection_count_median": 16.0,
        "readout_count_diagonal_median": 40.0,
    },
]


def test_fits_recover_exact_laws():
    ns = [16, 64, 256]
    c, a = fit_power(ns, [3 * n**0.5 for n in ns])
    assert c == pytest.approx(3) and a == pytest.approx(0.5)
    a0, b0 = fit_log(ns, [2 + 5 * math.log(n) for n in ns])
    assert a0 == pytest.approx(2) and b0 == pytest.approx(5)


def test_measured_and_extrapolated():
    m = DataModel.from_rows(ROWS, "toy")
    at64 = m.at(64)
    assert {v.status for v in at64.values()} == {"measured"}
    assert at64["success_probability"].value == pytest.approx(1 / 8)
    assert at64["readout_overlap"].value == pytest.approx(1 / math.sqrt(20))
    big = m.at(2**20)
    assert {v.status for v in big.values()} == {"extrapolated"}
    # n/P = 2^(1/2 log2 n) ... = 1 * n^0.5 exactly; delta = 0.32 n^-0.5
    assert 1 / big["success_probability"].value == pytest.approx(2**10)
    assert big["delta"].value == pytest.approx(0.32 * 2**-10)
    assert "log law" in big["success_probability"].detail
    assert "power law" in big["delta"].detail


def test_clamping_and_user_values():
    rows = [
        dict(r, post_selection_count_median=v) for r, v in zip(ROWS, [8.0, 4.0, 2.0], strict=True)
    ]
    tiny = DataModel.from_rows(rows, "decreasing").at(2**30)
    assert tiny["success_probability"].value == 1.0
    assert "clamped" in tiny["success_probability"].detail
    u = DataModel.from_values(0.5, -0.25, 0.01).at(2**40)
    assert u["readout_overlap"] == DataQuantity(-0.25, "user", "given (user)")
    for bad in [(0, 0.1, 0.1), (0.5, 0, 0.1), (0.5, 0.1, 2)]:
        with pytest.raises(ValueError):
            DataModel.from_values(*bad)
    with pytest.raises(ValueError):
        DataQuantity(1.0, "guessed")
    with pytest.raises(ValueError):
        DataModel.from_rows([{"n_padded": 16}], "empty")
    with pytest.raises(ValueError, match="one size"):
        DataModel.from_rows(ROWS[:1], "one").at(2**20)


def test_kappa_measured_extrapolated_given_or_absent():
    rows = [dict(r, kappa_sparsified=1.0 + 0.5 / r["n_padded"]) for r in ROWS]
    m = DataModel.from_rows(rows, "test")
    q = m.at(64)["kappa"]
    assert q.status == "measured" and q.value == pytest.approx(1.0 + 0.5 / 64)
    far = m.at(2**30)["kappa"]
    assert far.status == "extrapolated" and far.value >= 1.0
    assert "kappa" not in DataModel.from_rows(ROWS, "test").at(64)  # not measured: absent
    partial = [dict(ROWS[0], kappa_sparsified=None), *rows[1:]]
    assert "kappa" not in DataModel.from_rows(partial, "test").at(64)  # not at every size
    assert DataModel.from_values(0.1, 0.2, 0.01, kappa=3.0).at(8)["kappa"].value == 3.0
    assert "kappa" not in DataModel.from_values(0.1, 0.2, 0.01).at(8)
    with pytest.raises(ValueError, match="kappa"):
        DataModel.from_values(0.1, 0.2, 0.01, kappa=0.5)
