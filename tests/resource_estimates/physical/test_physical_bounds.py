"""Every physical model answers in bounded time: out-of-range inputs and hanging calls.

Issue 8 §3: ``report`` at d = 1024, n = 2^40 hung inside ``qdk.estimator.LogicalCounts.estimate``
(10^18 CCZ a run). Each model now returns ``status = "ok"`` or a reasoned non-ok status quickly.
"""

import os
import time

import pytest

from resource_estimates.data_model import DataModel
from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical import microsoft as msft
from resource_estimates.physical.bounded_call import (
    CallFailed,
    CallTimeout,
    call_with_timeout,
    can_bound,
)
from resource_estimates.physical.models import (
    STATUSES,
    beverland,
    gidney_fowler,
    gidney_fowler_from_error_budget,
    microsoft,
    msft_logical_counts,
    qdk_available,
)
from resource_estimates.physical.msft_range import (
    MSFT_QUBIT_MODELS,
    U64_MAX,
    msft_range_reason,
    msft_runtime_lower_bound_ns,
)
from resource_estimates.report import ReportParameters, build_report

needs_qdk = pytest.mark.skipif(not qdk_available(), reason="qdk (physical extra) not installed")
needs_fork = pytest.mark.skipif(not can_bound(), reason="no os.fork on this platform")

#: The counts of one run that hung for > 10 min (report --params, d = 1024, n = 2^40, circuit
#: QRAM): 10^18 CCZ and measurements on 127 logical qubits (qdk 1.33 does not return on them).
HANGING = LogicalCounts(toffoli=10**18, t=9290, rotation=62811, measurement=10**18, qubits=127)


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


# --- the time-limited call -----------------------------------------------------------------


def _add(a, b):
    return {"sum": a + b}


def _raise():
    raise ValueError("bad\ninput")


def _sleep_then_pid(seconds):
    time.sleep(seconds)
    return os.getpid()


def _die():
    os._exit(3)


@needs_fork
def test_call_with_timeout_returns_raises_and_kills():
    assert call_with_timeout(_add, (2, 3), 5.0) == {"sum": 5}
    with pytest.raises(CallFailed, match="ValueError: bad input"):
        call_with_timeout(_raise, (), 5.0)
    with pytest.raises(CallFailed, match="died"):
        call_with_timeout(_die, (), 5.0)
    t0 = time.perf_counter()
    with pytest.raises(CallTimeout, match="0.3 s"):
        call_with_timeout(_sleep_then_pid, (30,), 0.3)
    assert time.perf_counter() - t0 < 3
    with pytest.raises(ValueError):
        call_with_timeout(_add, (1, 2), 0)


@needs_fork
def test_timed_out_child_is_gone(monkeypatch):
    pids = []
    real_fork = os.fork

    def record_fork():
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", record_fork)
    with pytest.raises(CallTimeout):
        call_with_timeout(_sleep_then_pid, (30,), 0.2)
    (pid,) = pids
    with pytest.raises(ProcessLookupError):  # killed and reaped: no such process any more
        os.kill(pid, 0)


# --- the Microsoft estimator -----------------------------------------------------------------


@needs_qdk
def test_msft_hanging_counts_are_out_of_range_without_a_call(monkeypatch):
    def must_not_run(*args):
        raise AssertionError("the estimator was called")

    monkeypatch.setattr(msft, "_msft_estimate", must_not_run)
    got, seconds = _timed(microsoft, HANGING)
    assert got["status"] == "out_of_range" and "u64" in got["message"]
    assert "not called" in got["message"] and "physical_qubits" not in got
    assert seconds < 1.0
    # Past the runtime bound only (few qubits, so qubits x depth fits in u64).
    lc = msft_logical_counts(LogicalCounts(toffoli=10**16, qubits=1))
    assert "runtime >= " in msft_range_reason(lc, "qubit_gate_ns_e3", 0.01)
    assert microsoft(LogicalCounts(toffoli=10**16, qubits=1))["status"] == "out_of_range"
    # Inputs past u64.
    assert "input range" in microsoft(LogicalCounts(toffoli=2**64, qubits=1))["message"]


@needs_qdk
@needs_fork
def test_msft_real_hang_is_stopped_by_the_time_limit(monkeypatch):
    # Without the range check, the estimator itself hangs on these counts; the forked call
    # stops it after the (injected, tiny) time limit and the result says so.
    monkeypatch.setattr(msft, "msft_range_reason", lambda *args: None)
    got, seconds = _timed(microsoft, HANGING, timeout_s=1.0)
    assert got["status"] == "timeout", got
    assert "1 s" in got["message"] and "physical_qubits" not in got
    assert seconds < 5.0


@needs_qdk
@needs_fork
def test_msft_injected_slow_estimator_times_out(monkeypatch):
    monkeypatch.setattr(msft, "_msft_estimate", lambda *args: time.sleep(30))
    got, seconds = _timed(microsoft, LogicalCounts(toffoli=10**6, qubits=100), timeout_s=0.3)
    assert got["status"] == "timeout" and seconds < 3.0
    for bad in (0, -1.0, float("nan"), float("inf"), "5"):
        with pytest.raises(ValueError, match="timeout_s"):
            microsoft(LogicalCounts(toffoli=10, qubits=3), timeout_s=bad)


@needs_qdk
def test_msft_estimator_failure_is_error_status(monkeypatch):
    def fails(*args):
        raise RuntimeError("estimator broke")

    monkeypatch.setattr(msft, "_msft_estimate", fails)
    got = microsoft(LogicalCounts(toffoli=10**6, qubits=100))
    assert got["status"] == "error" and "estimator broke" in got["message"]


@needs_qdk
@pytest.mark.parametrize("qubit", sorted(MSFT_QUBIT_MODELS))
def test_msft_runtime_lower_bound_is_below_the_estimate(qubit):
    # The bound must never exceed what the estimator computes where it is in range, or the range
    # check would refuse answerable inputs; it is tight (same distance) without rotations.
    ratios = []
    for nq in (1, 127, 5000):
        for ccz in (10, 10**6, 10**12):
            for rot in (0, 1000):
                counts = LogicalCounts(toffoli=ccz, t=7, rotation=rot, measurement=ccz, qubits=nq)
                lc = msft_logical_counts(counts)
                if msft_range_reason(lc, qubit, 0.01):  # µs qubits: 10^12 CCZ take > 584 years
                    assert ccz == 10**12 and "_us_" in qubit
                    continue
                data = msft._msft_estimate(lc, 0.01, qubit)
                runtime = data["physicalCounts"]["runtime"]
                bound = msft_runtime_lower_bound_ns(lc, qubit, 0.01)
                assert 0 < bound <= runtime, (nq, ccz, rot, bound, runtime)
                ratios.append(runtime / bound)
    assert min(ratios) < 1.5  # tight in some cases: the table matches the estimator's models


def test_msft_lower_bound_unknown_qubit_model_gives_no_bound():
    lc = msft_logical_counts(LogicalCounts(toffoli=10**6, qubits=10))
    assert msft_runtime_lower_bound_ns(lc, "my_qubit", 0.01) == 0
    lc = msft_logical_counts(LogicalCounts(toffoli=10**19, qubits=10**6))
    assert "qubits x depth" in msft_range_reason(lc, "my_qubit", 0.01)  # model-independent
    assert U64_MAX == 2**64 - 1


# --- the Qualtran models -----------------------------------------------------------------------


@pytest.mark.parametrize("model", [gidney_fowler, gidney_fowler_from_error_budget, beverland])
def test_qualtran_models_answer_fast_at_any_count(model):
    for counts in (
        HANGING,
        LogicalCounts(toffoli=10**300, t=1, qubits=10**300),
        LogicalCounts(toffoli=10**400, qubits=10),
    ):
        got, seconds = _timed(model, counts)
        assert got["status"] in STATUSES and seconds < 2.0
        assert (got["status"] == "ok") == ("message" not in got)
        assert got["status"] != "ok" or counts is HANGING  # Beverland: floats go to 10^18
    huge = model(LogicalCounts(toffoli=10**400, qubits=10))
    assert huge["status"] == "out_of_range" and "float range" in huge["message"]
    assert "physical_qubits" not in huge and "source" in huge and "assumptions" in huge


# --- the report ------------------------------------------------------------------------------


def test_report_at_d1024_n2_40_answers_every_model():
    data = DataModel.from_values(success_probability=0.01, readout_overlap=0.2, delta=1e-3)
    report, seconds = _timed(build_report, ReportParameters(n=2**40, d=1024), data)
    assert seconds < 60
    statuses = {}
    for qram in ("circuit", "unit_cost"):
        for name, res in report["physical"][qram]["run"].items():
            assert res["status"] in STATUSES
            assert (res["status"] == "ok") == ("message" not in res), res
            statuses[qram, name] = res["status"]
    # ≈ 10^18 Toffolis a run under circuit QRAM: past every factory grid and the estimator's range.
    assert report["logical"]["circuit"]["run"]["toffoli"] > 10**17
    assert statuses["circuit", "gidney_fowler"] == "no_valid_factory"
    if qdk_available():
        assert statuses["circuit", "microsoft"] == "out_of_range"
        assert statuses["unit_cost", "microsoft"] == "ok"
    assert statuses["unit_cost", "gidney_fowler"] == "ok"
