"""One run's counts are stored on disk and read back (resource_estimates.costing.concrete)."""

import pytest

from resource_estimates.costing import concrete
from resource_estimates.costing.parameters import ReportParameters
from resource_estimates.logical import formula_cache


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("QNTK_COMPILE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(formula_cache, "_MEMORY", {})
    return tmp_path


def test_run_counts_equal_the_bloqs_and_are_read_back(fresh_cache, monkeypatch):
    params = ReportParameters(n=2**8, d=16)
    first = {n: concrete.run_counts(params, "unit_cost", n) for n in (2**6, 2**8)}
    for n, run in first.items():
        assert run == concrete.concrete_costs(params, "unit_cost", n, steps=False)[1]
    assert list(fresh_cache.glob("run_counts-*.json"))
    monkeypatch.setattr(formula_cache, "_MEMORY", {})  # a new process reads the file

    def no_costing(*a, **k):
        raise AssertionError("costed again")

    monkeypatch.setattr(concrete, "concrete_costs", no_costing)
    for n, run in first.items():
        assert concrete.run_counts(params, "unit_cost", n) == run
    with pytest.raises(AssertionError, match="costed again"):  # other knobs: another key
        concrete.run_counts(params.replace(phase_bits=7), "unit_cost", 2**6)


def test_cache_keeps_the_order_of_a_stored_section(fresh_cache, monkeypatch):
    formula_cache.store("order", "k", {"b": 1, "a": {"z": 2, "y": 3}})
    monkeypatch.setattr(formula_cache, "_MEMORY", {})
    back = formula_cache.load("order", "k")
    assert list(back) == ["b", "a"] and list(back["a"]) == ["z", "y"]
