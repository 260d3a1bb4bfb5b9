"""Bands of extrapolated data quantities and the report at both ends of them."""

import math

import pytest

from resource_estimates.data_model import DataModel
from resource_estimates.report import ReportParameters, build_report, report_markdown, sweep_rows
from resource_estimates.report.data_band import annotate_conclusions

NS = [16, 32, 64, 128, 256]


def _rows(noise: float):
    wiggle = [1 + noise * (-1) ** i * (1 + i % 3) for i in range(len(NS))]
    return [
        {
            "n_padded": n,
            "delta": 0.4 * n**-0.3 * w,
            "post_selection_count_median": 2 * n**0.5 * w,
            "readout_count_diagonal_median": 20 * n**0.1 * w,
            "readout_count_sparsified_median": 20 * n**0.1,
            "kappa_eff": 1 + 1e-3 / n,
        }
        for n, w in zip(NS, wiggle, strict=True)
    ]


def test_extrapolated_quantities_carry_an_ordered_band_measured_ones_none():
    m = DataModel.from_rows(_rows(0.1), "test")
    far = m.at(2**30)
    for key in ("success_probability", "readout_overlap", "delta"):
        q = far[key]
        assert q.status == "extrapolated" and q.low < q.value < q.high, key
        assert q.as_dict()["band"]["low"] == q.low
    near = m.at(2**10)
    # the band widens with the distance of the extrapolation
    for key in ("success_probability", "delta"):
        w_far = math.log(far[key].high / far[key].low)
        w_near = math.log(near[key].high / near[key].low)
        assert w_far > w_near > 0
    measured = m.at(64)
    assert all(q.status == "measured" and q.low is None for q in measured.values())
    assert "band" not in measured["delta"].as_dict()
    user = DataModel.from_values(0.1, 0.2, 0.01).at(2**30)
    assert all(q.low is None for q in user.values())


def test_noise_free_power_law_has_a_zero_width_band():
    q = DataModel.from_rows(_rows(0.0), "exact").at(2**30)["success_probability"]
    assert q.low == pytest.approx(q.value, rel=1e-9) and q.high == pytest.approx(q.value, rel=1e-9)


def test_band_ends_move_every_quantity_the_right_way():
    m = DataModel.from_rows(_rows(0.1), "test")
    c, f, u = m.at(2**30), m.at_band_end("favourable").at(2**30), m.at_band_end("unfavourable")
    u = u.at(2**30)
    assert f["success_probability"].value == c["success_probability"].high
    assert u["success_probability"].value == c["success_probability"].low
    assert f["readout_overlap"].value > c["readout_overlap"].value > u["readout_overlap"].value
    assert f["delta"].value > u["delta"].value
    assert f["kappa_eff"].value <= u["kappa_eff"].value
    with pytest.raises(ValueError, match="band end"):
        m.at_band_end("middle")


def test_annotate_conclusions_flags_a_conclusion_that_flips():
    cons = [
        {"qram_model": "q", "claim": "a", "holds": True},
        {"qram_model": "q", "claim": "b", "holds": False},
        {"qram_model": "q", "claim": "c", "holds": True},
    ]
    by_end = {
        "favourable": [{"qram_model": "q", "claim": "a", "holds": True}] * 1
        + [{"qram_model": "q", "claim": "b", "holds": True}],
        "unfavourable": [
            {"qram_model": "q", "claim": "a", "holds": True},
            {"qram_model": "q", "claim": "b", "holds": False},
        ],
    }
    annotate_conclusions(cons, by_end)
    assert cons[0]["within_band"] == "unchanged"
    assert cons[1]["within_band"].startswith("changes (favourable: holds")
    assert cons[2]["within_band"] == "not re-evaluated"
    annotate_conclusions(cons, {})
    assert {c["within_band"] for c in cons} == {"no band"}
    circuit_only = [{"qram_model": "q", "claim": "a", "holds": True, "data": {"statuses": []}}]
    annotate_conclusions(circuit_only, by_end)
    assert circuit_only[0]["within_band"] == "independent of the data"


def test_report_shows_the_band_of_job_cost_and_crossover():
    params = ReportParameters(
        n=2**20, d=64, amplitude_bits=8, phase_bits=6, median_copies=3, kernel_bits=8
    )
    data = DataModel.from_rows(_rows(0.1), "test")
    sweep = sweep_rows(params, data, [2**10, 2**20, 2**30])
    r = build_report(params, data, sweep=sweep)
    band = r["data_band"]
    assert band["status"] == "ok"
    ends = band["ends"]
    f_c, f_f, f_u = (ends[e]["job_factor"] for e in ("central", "favourable", "unfavourable"))
    assert f_f < f_c < f_u
    assert f_c == pytest.approx(float(r["physical"]["unit_cost"]["runs_in_job"]))
    for qram in ("circuit", "unit_cost"):
        toff = [ends[e]["job"][qram]["job_toffoli"] for e in ("favourable", "unfavourable")]
        assert toff[0] < float(r["logical"][qram]["job"]["toffoli"]) < toff[1]
        assert set(ends["favourable"]["crossover"][qram]) == {"diagonal", "cg_sparse", "exact"}
    assert (
        r["data"]["success_probability"]["band"]["low"] < r["data"]["success_probability"]["value"]
    )
    assert all("within_band" in c for c in r["conclusions"])
    assert "## Data bands (95 %)" in report_markdown(r)
    # measured at the report's own n: no band, flagged measured
    r64 = build_report(ReportParameters(n=64, d=64), data)
    assert r64["data"]["delta"]["status"] == "measured"
    assert r64["data_band"]["status"].startswith("no band")
