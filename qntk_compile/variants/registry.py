"""Variants of Algorithm 1 as plug-ins of the simulation, and their registry.

A :class:`SimulationVariant` is everything :func:`qntk_compile.jobs.simulate.simulate_problem` and
``qntk-compile simulate`` need to run one variant on a small instance: how a
:class:`~qntk_compile.data.problem.Problem` becomes its gate-level bloq (``build``), what is read
from the simulated state (``read_out``), and the classical predictions to set beside it
(``reference``). Register one with :func:`register_simulation_variant`; the ``--variant``
choices of ``qntk-compile simulate`` are the registered names.

The costing side of a variant (knobs, sizes-only bloq, job factor) is
:class:`resource_estimates.variants.registry.Variant`, registered separately under the same name.

This module is light (no Qualtran import) so the command line can read the registry when it
builds its parser; the diagonal variant (:mod:`qntk_compile.variants.diagonal`) imports its
bloqs only when it builds one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from qualtran import Bloq

    from qntk_compile.simulation.runner import SimulationResult

__all__ = [
    "SIMULATION_VARIANTS",
    "SimulationVariant",
    "get_simulation_variant",
    "register_simulation_variant",
    "unregister_simulation_variant",
]


def _generic_text(result: Mapping[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in result.items())


@dataclass(frozen=True)
class SimulationVariant:
    """A simulable variant of Algorithm 1 (a plug-in of ``simulate``; see the module docstring).

    Attributes:
        name: CLI name (``diagonal``); the same name as its costing ``Variant``.
        build: ``build(problem, **options)`` → the gate-level bloq of one coherent run for the
            problem's data and knobs.
        read_out: ``read_out(result)`` → JSON-ready quantities measured on the simulated state
            (a :class:`qntk_compile.simulation.runner.SimulationResult`), e.g.
            ``p_readout_simulated``.
        reference: ``reference(problem, **options)`` → JSON-ready classical predictions of the
            same quantities (discretised and exact).
        knobs: the :class:`~qntk_compile.data.problem.Problem` knobs the circuit uses, reported
        under
            ``knobs`` of the result.
        knob_defaults: defaults of those knobs for a small simulable instance (the
            ``simulate`` command's flag defaults).
        options: build options with their defaults (e.g. ``data_access``); ``simulate`` passes
            the options a variant declares and refuses the others.
        title: name of the circuit in text output (``DiagonalNTK``).
        format_text: ``format_text(result)`` → the human-readable output of ``simulate``.
        return_state: keep the final state vector for ``read_out`` (``result.state``).
        allow_opaque: simulate leaf bloqs without a decomposition through their own Cirq
            unitary (e.g. a controlled Hadamard) instead of refusing the circuit.
        combine: ``combine(read_out, reference)`` → quantities that need both (e.g. the
            fidelity of a simulated state with a classical one), or ``None``.
        instance_defaults: ``seed`` and ``depth`` of the default built-in instance (the sphere
            data set) when the user gives neither ``--data`` nor ``--dataset`` (default: seed 0,
            depth ``conv/10``).
    """

    name: str
    build: Callable[..., Bloq]
    read_out: Callable[[SimulationResult], dict[str, Any]]
    reference: Callable[..., dict[str, Any]]
    knobs: tuple[str, ...] = ()
    knob_defaults: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    format_text: Callable[[Mapping[str, Any]], str] = _generic_text
    return_state: bool = False
    allow_opaque: bool = False
    combine: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]] | None = None
    instance_defaults: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "knob_defaults", MappingProxyType(dict(self.knob_defaults)))
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(
            self, "instance_defaults", MappingProxyType(dict(self.instance_defaults))
        )
        extra = sorted(set(self.knob_defaults) - set(self.knobs))
        if extra:
            raise ValueError(f"simulation variant {self.name!r}: defaults for non-knobs {extra}")

    def resolve_options(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The build options: ``given`` over the defaults; an option the variant does not take
        raises a one-line ``ValueError``."""
        unknown = sorted(k for k in given if k not in self.options)
        if unknown:
            known = ", ".join(self.options) or "none"
            raise ValueError(
                f"variant {self.name!r} takes no option {', '.join(unknown)} (its options: {known})"
            )
        return {**self.options, **given}


SIMULATION_VARIANTS: dict[str, SimulationVariant] = {}


def register_simulation_variant(variant: SimulationVariant) -> None:
    """Make ``variant`` available to :func:`~qntk_compile.jobs.simulate.simulate_problem` and to
    ``qntk-compile simulate --variant NAME``."""
    if not isinstance(variant, SimulationVariant):
        raise TypeError(f"expected a SimulationVariant, got {type(variant).__name__}")
    SIMULATION_VARIANTS[variant.name] = variant


def unregister_simulation_variant(name: str) -> None:
    """Remove a variant (tests register toy variants and remove them again)."""
    SIMULATION_VARIANTS.pop(name, None)


def get_simulation_variant(name: str) -> SimulationVariant:
    if name not in SIMULATION_VARIANTS:
        known = ", ".join(sorted(SIMULATION_VARIANTS)) or "none"
        raise ValueError(f"unknown simulation variant {name!r}; available: {known}")
    return SIMULATION_VARIANTS[name]
