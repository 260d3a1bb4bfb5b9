"""Partition a bloq's call graph into the steps of an algorithm, with a classifier per variant.

The walker :func:`step_partition` descends the call graph (``build_call_graph``, symbolic
multiplicities, so ``n`` is never enumerated) from a root bloq. At each bloq the variant's
:class:`StepClassifier` says either which step owns the bloq wholesale (the walk stops there and
the bloq's calls are added to that step) or that the walk goes on into its callees, in a
context the classifier may change (e.g. "inside amplitude estimation"). Steps that are not in
``classifier.order`` are contexts, never owners.

Summing ``calls × cost(bloq)`` over a step gives the step's cost; the steps add up to the cost of
the root when the classifier owns every leaf (tested for each variant).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from attrs import frozen
from qualtran import Bloq
from qualtran.resource_counting import (
    GateCounts,
    QECGatesCost,
    SympySymbolAllocator,
    get_cost_value,
)
from qualtran.symbolics import SymbolicInt

__all__ = ["StepClassifier", "step_costs", "step_partition", "steps_by_bloq"]

StepPartition = dict[str, dict[Bloq, SymbolicInt]]


@frozen
class StepClassifier:
    """How one variant attributes bloqs to the steps of its algorithm.

    Attributes:
        step_of: ``step_of(bloq, ctx)`` → the step that owns ``bloq`` wholesale, or ``None``
            (or a name not in ``order``) to walk into its callees.
        context_of: ``context_of(bloq, ctx)`` → the context in which ``bloq``'s callees are
            classified.
        order: the step names, in report order.
        root_context: the context of the root bloq.
    """

    step_of: Callable[[Bloq, Any], str | None]
    context_of: Callable[[Bloq, Any], Any]
    order: tuple[str, ...]
    root_context: Any = None


def step_partition(root: Bloq, classifier: StepClassifier) -> StepPartition:
    """``{step: {bloq: number of calls}}``, a partition of ``root``'s call graph into the steps
    of ``classifier.order`` (in that order; steps without bloqs are left out)."""
    ssa = SympySymbolAllocator()
    acc: dict[str, dict[Bloq, SymbolicInt]] = defaultdict(lambda: defaultdict(int))
    owners = frozenset(classifier.order)

    def walk(bloq: Bloq, mult: SymbolicInt, ctx: Any) -> None:
        step = classifier.step_of(bloq, ctx)
        if step is not None and step in owners:
            acc[step][bloq] += mult
            return
        new_ctx = classifier.context_of(bloq, ctx)
        for child, n in bloq.build_call_graph(ssa).items():
            walk(child, mult * n, new_ctx)

    walk(root, 1, classifier.root_context)
    return {s: dict(acc[s]) for s in classifier.order if s in acc}


def steps_by_bloq(partition: StepPartition) -> dict[Bloq, str]:
    """``{bloq: step}`` for every bloq of a partition."""
    return {b: s for s, bs in partition.items() for b in bs}


def step_costs(partition: StepPartition) -> dict[str, GateCounts]:
    """``{step: QECGatesCost of all its calls}`` (symbolic for a sizes-only bloq)."""
    out = {}
    for step, bloqs in partition.items():
        total = GateCounts()
        for b, n in bloqs.items():
            total = total + n * get_cost_value(b, QECGatesCost())
        out[step] = total
    return out
