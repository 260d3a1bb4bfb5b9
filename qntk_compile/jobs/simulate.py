"""Simulate one variant of Algorithm 1 on a problem and set it beside its references.

:func:`simulate_problem` looks the variant up in the registry of
:mod:`qntk_compile.variants.registry`, builds its gate-level bloq for the problem, simulates it as
a state vector (:func:`qntk_compile.simulation.runner.simulate_bloq`: qsim when installed, Cirq
otherwise; refused before anything is flattened when too wide or too many gates), and returns one
JSON-ready dict: the circuit's size and gate census (checked against ``QECGatesCost``), the
variant's ``read_out`` of the final state and its ``reference`` predictions. ``qntk-compile
simulate`` is a thin wrapper around it. See ``docs/simulation.md``.
"""

from __future__ import annotations

import time
from typing import Any

from qntk_compile.variants.registry import get_simulation_variant

__all__ = ["DEFAULT_MAX_GATES", "DEFAULT_MAX_QUBITS", "DEFAULT_MAX_SECONDS", "simulate_problem"]

DEFAULT_MAX_QUBITS = 30
DEFAULT_MAX_GATES = 50_000
#: Refuse a state-vector stage predicted to take longer (``--max-seconds``).
DEFAULT_MAX_SECONDS = 600.0


def simulate_problem(
    problem,
    *,
    variant: str = "diagonal",
    simulator: str | None = None,
    max_qubits: int | None = DEFAULT_MAX_QUBITS,
    max_gates: int | None = DEFAULT_MAX_GATES,
    memory_bytes: int | None = None,
    max_seconds: float | None = None,
    progress=None,
    **options: Any,
) -> dict[str, Any]:
    """Build ``variant``'s circuit for ``problem``, simulate it, compare with the references.

    ``options`` are the variant's build options (diagonal: ``data_access``,
    ``amplification_rounds``); one it does not take raises ``ValueError``. ``max_seconds``
    refuses a state-vector stage predicted to take longer; ``progress`` (a text stream) gets
    one line per stage that takes over a second.
    """
    from qualtran.resource_counting import QECGatesCost, get_cost_value

    from qntk_compile.simulation.runner import simulate_bloq

    v = get_simulation_variant(variant)
    opts = v.resolve_options(options)
    t0 = time.perf_counter()
    bloq = v.build(problem, **opts)
    res = simulate_bloq(
        bloq,
        simulator=simulator,
        max_qubits=max_qubits,
        max_gates=max_gates,
        memory_bytes=memory_bytes,
        max_seconds=max_seconds,
        progress=progress,
        return_state=v.return_state,
        allow_opaque=v.allow_opaque,
    )
    readout = v.read_out(res)
    ref = v.reference(problem, **opts)
    derived = v.combine(readout, ref) if v.combine is not None else {}
    cost = get_cost_value(bloq, QECGatesCost())
    toffoli_cost = cost.and_bloq + cost.toffoli + cost.cswap
    census = res.census
    total = time.perf_counter() - t0
    return {
        "variant": v.name,
        "n": problem.n,
        "n_padded": problem.n_padded,
        "d": problem.d,
        "d_padded": problem.d_padded,
        "depth": problem.depth,
        "knobs": {**{k: getattr(problem, k) for k in v.knobs}, **opts},
        "simulator": res.simulator,
        "qubits": res.qubits,
        "seconds": res.seconds,
        "build_seconds": res.build_seconds,
        "total_seconds": total,
        "gates": census.gates,
        "toffoli_like": census.toffoli_like,
        "rotations": census.rotations,
        "t_gates": census.t,
        "toffoli_like_cost": int(toffoli_cost),
        "rotations_cost": int(cost.rotation),
        "counts_match_cost": bool(
            census.toffoli_like == toffoli_cost and census.rotations == cost.rotation
        ),
        **readout,
        **ref,
        **derived,
        "ancilla_leak": res.ancilla_leak,
        "norm": res.norm,
        "predicted_seconds": res.plan.predicted_seconds,
        **(res.cache.as_dict() if res.cache else {}),
    }
