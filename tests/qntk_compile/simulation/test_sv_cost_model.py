"""State-vector cost model (qntk_compile.simulation.sv_cost_model) and stage
(qntk_compile.simulation.state_vector)."""

import math

import cirq
import pytest
from qualtran import QUInt
from qualtran.bloqs.arithmetic import Add

from qntk_compile.simulation import state_vector, sv_cost_model
from qntk_compile.simulation.runner import SimulationTooLargeError, simulate_bloq
from qntk_compile.simulation.sv_cost_model import (
    MachineProfile,
    estimate_passes,
    memory_floor_seconds,
)

try:
    import qsimcirq
except ImportError:  # pragma: no cover - qsimcirq is in the [sim] / [all] extras
    qsimcirq = None

PROFILE = MachineProfile(
    bandwidth=1e10,
    fusion=2,
    threads=1,
    seconds_per_op=1e-5,
    pass_amplitude_seconds={10: 1e-9, 20: 3e-9},
    host="test",
    cpu_count=1,
)
q = cirq.LineQubit.range(6)


def test_estimate_passes_fuses_neighbours_up_to_the_size():
    # Single-qubit gates join the two-qubit gate they touch.
    ops = [cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.X(q[1]), cirq.CNOT(q[0], q[1])]
    assert estimate_passes(ops, 2) == 1
    chain = [cirq.CNOT(q[i], q[i + 1]) for i in range(5)]
    assert estimate_passes(chain, 2) == 5
    assert estimate_passes(chain, 3) == 3  # (0,1,2), (2,3,4) cannot absorb 5 -> 3 blocks
    assert estimate_passes(chain, 6) == 1
    # Controlled gates are applied unfused by qsim: one pass each, and a barrier.
    ctrl = [cirq.ry(0.3).on(q[0]).controlled_by(q[1]), cirq.CNOT(q[0], q[1])]
    assert estimate_passes(ctrl, 4) == 2
    assert estimate_passes([cirq.I(q[0])], 2) == 0
    assert estimate_passes(chain, 0) == 5  # no fusion (Cirq): one pass per operation


def test_memory_floor_and_prediction_formulas():
    assert memory_floor_seconds(16e9, 20, 10) == pytest.approx(2**20 * 16 * 10 / 16e9)
    assert PROFILE.seconds_per_pass_amplitude(15) == pytest.approx(2e-9)
    assert PROFILE.seconds_per_pass_amplitude(30) == pytest.approx(3e-9)  # clamped
    t = sv_cost_model.predict_seconds(PROFILE, 20, 100, 1000)
    assert t == pytest.approx(1e-5 * 1000 + 3e-9 * 100 * 2**20)


def test_machine_profile_is_cached(tmp_path, monkeypatch):
    calls = []

    def fake(**kw):
        calls.append(kw)
        return PROFILE

    monkeypatch.setattr(sv_cost_model, "calibrate", fake)
    a = sv_cost_model.machine_profile("qsim", cache_dir=tmp_path)
    b = sv_cost_model.machine_profile("qsim", cache_dir=tmp_path)
    assert a == b == PROFILE and len(calls) == 1
    assert sv_cost_model.profile_path(tmp_path, "qsim").exists()
    sv_cost_model.profile_path(tmp_path, "qsim").write_text("{not json")
    assert sv_cost_model.machine_profile("qsim", cache_dir=tmp_path) == PROFILE
    assert len(calls) == 2


def test_cache_off_writes_nothing_and_calibrates_once_per_process(tmp_path, monkeypatch):
    calls = []

    def fake(**kw):
        calls.append(kw)
        return PROFILE

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QNTK_COMPILE_CACHE_DIR", "off")
    monkeypatch.setattr(sv_cost_model, "calibrate", fake)
    monkeypatch.setattr(sv_cost_model, "_UNCACHED_PROFILES", {})
    assert sv_cost_model.profile_path(simulator="qsim") is None
    assert sv_cost_model.machine_profile("qsim") == PROFILE
    assert sv_cost_model.machine_profile("qsim") == PROFILE
    assert len(calls) == 1
    assert list(tmp_path.iterdir()) == []  # no directory named "off", no profile file


def test_bandwidth_is_positive_and_finite():
    bw = sv_cost_model.measure_bandwidth(nbytes=1 << 20, repeats=2)
    assert math.isfinite(bw) and bw > 1e6


@pytest.mark.skipif(qsimcirq is None, reason="qsimcirq not installed")
def test_qsim_report_is_read_and_the_estimate_is_close():
    circ = sv_cost_model._synthetic_circuit(12, 300, seed=3)
    passes, simu, wall = sv_cost_model.qsim_fused_gates(circ, sorted(circ.all_qubits()), 3, 1)
    assert passes > 0 and 0 <= simu <= wall
    est = estimate_passes(list(circ.all_operations()), 3)
    assert 0.5 <= est / passes <= 2.0


def test_time_limit_refuses_before_running(monkeypatch):
    monkeypatch.setattr(sv_cost_model, "machine_profile", lambda *a, **k: PROFILE)
    monkeypatch.setattr(
        state_vector, "run_state_vector", lambda *a, **k: pytest.fail("simulated anyway")
    )
    with pytest.raises(state_vector.TimeLimitError, match=r"predicted.*--max-seconds") as e:
        simulate_bloq(Add(QUInt(3)), simulator="cirq", max_seconds=1e-9)
    assert isinstance(e.value, SimulationTooLargeError) and "\n" not in str(e.value)
    with pytest.raises(ValueError, match="max_seconds"):
        simulate_bloq(Add(QUInt(3)), simulator="cirq", max_seconds=0)


def test_plan_and_progress_lines(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sv_cost_model, "machine_profile", lambda *a, **k: PROFILE)
    stream = io.StringIO()
    res = simulate_bloq(Add(QUInt(3)), {"a": 1, "b": 2}, simulator="cirq", progress=stream)
    assert res.plan.simulator == "cirq" and res.plan.fusion == 0
    assert res.plan.passes == res.plan.operations > 0
    assert res.plan.floor_seconds > 0 and res.plan.predicted_seconds > 0
    assert stream.getvalue() == ""  # a sub-second run prints nothing
    big = state_vector.StateVectorPlan("qsim", 30, 10, 10, 4, 1, 1234.0, 10.0, 1e10)
    line = state_vector.predicted_line(big)
    assert "30 qubits" in line and "predicted 1234.0 s" in line and "memory floor" in line


def test_progress_counter_without_total():
    import io

    from qntk_compile.progress import Progress

    buf = io.StringIO()
    with Progress(
        None, label="build: sub-bloqs converted", stream=buf, delay=0.0, enabled=True
    ) as b:
        b.advance(note="(Add)")
        b.advance(note="(QROM)")
    text = buf.getvalue()
    assert "build: sub-bloqs converted 2 (QROM)" in text and "#" not in text


def test_cirq_calibration_fits_positive_coefficients():
    prof = sv_cost_model.calibrate(simulator="cirq", bandwidth=1e10)
    assert prof.fusion == 0 and prof.threads == 1 and prof.bandwidth == 1e10
    assert all(v > 0 for v in prof.pass_amplitude_seconds.values())
    assert sv_cost_model.predict_seconds(prof, 12, 100, 100) > 0
