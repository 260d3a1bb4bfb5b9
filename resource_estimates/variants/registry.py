"""Variants of Algorithm 1 as plug-ins of the resource report, and the knobs they take.

A :class:`Variant` is everything the report needs to know about one variant (diagonal NTK,
sparsified NTK, ...): its precision knobs (names, defaults, formula symbols, meanings and
validation, :class:`Knob`), how its knobs become the sizes of its sizes-only bloq
(:meth:`Variant.sizes`), the bloq itself (``build``), the partition of the bloq into
Algorithm-1 steps (``classifier`` for :func:`bloqs.ntk.step_partition.step_partition`), the
readout overlap its job needs (``readout``), the number of coherent runs of the whole job
(``job_factor``) and the markdown summary line of its parameters (``summary``).

Register one with :func:`register_variant`; ``qntk-compile report --variant NAME`` and
:func:`resource_estimates.report.build_report` then cost it with no other edit. Every knob is
declared once, in :data:`KNOB_SPECS` (defaults included); a variant lists the names it takes.

This module is light (no Qualtran import), so the command line can read the registry when it
builds its parser; the diagonal variant imports its bloqs only when one is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from qualtran import Bloq

__all__ = [
    "BASELINE_KNOBS",
    "KNOB_SPECS",
    "Knob",
    "PLANNED_VARIANTS",
    "VARIANTS",
    "Variant",
    "default_job_factor",
    "default_summary",
    "get_variant",
    "knob_symbol",
    "register_variant",
    "unregister_variant",
    "variant_names",
]


@dataclass(frozen=True)
class Knob:
    """A precision knob of a variant.

    Attributes:
        name: parameter name (``amplitude_bits``); the CLI flag is ``--amplitude-bits``.
        default: value when not given.
        symbol: name of its sympy symbol in the formulas (``b_a``).
        meaning: what it is, for ``formulas.symbols`` of the report.
        help: CLI help text (the default is appended).
        kind: ``int`` or ``float``.
        minimum: smallest allowed value (inclusive unless ``open_interval``).
        maximum: largest allowed value (``None``: no bound; exclusive when ``open_interval``).
        open_interval: both bounds exclusive (e.g. a precision in (0, 1)).
        odd: the value must be odd.
        alternative: a second valid value, at which the report verifies fitted formulas.
        cli_maximum: largest value the CLI accepts (guards absurd circuit sizes); at least the
            error budget's search bounds (``error_budget.optimiser.SEARCH_BOUNDS``), so the
            knobs the budget picks can be asked for.
    """

    name: str
    default: int | float
    symbol: str
    meaning: str
    help: str
    kind: type = int
    minimum: float = 1
    maximum: float | None = None
    open_interval: bool = False
    odd: bool = False
    alternative: int | float | None = None
    cli_maximum: float | None = None

    def validate(self, value: Any) -> int | float:
        """``value`` if valid, else a one-line ``ValueError``."""
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{self.name} must be an integer, got {value!r}")
        elif isinstance(value, bool) or not (
            isinstance(value, (int, float)) and math.isfinite(value)
        ):
            raise ValueError(f"{self.name} must be a finite number, got {value!r}")
        if self.open_interval:
            if not self.minimum < value < self.maximum:
                raise ValueError(
                    f"{self.name} must be in ({self.minimum:g}, {self.maximum:g}), got {value!r}"
                )
        else:
            if value < self.minimum:
                raise ValueError(f"{self.name} must be >= {self.minimum:g}, got {value!r}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{self.name} must be <= {self.maximum:g}, got {value!r}")
        if self.odd and value % 2 == 0:
            raise ValueError(f"{self.name} must be odd, got {value}")
        return value

    def sympy_symbol(self):
        """The formula symbol (positive; integer for integer knobs)."""
        import sympy

        if self.kind is int:
            return sympy.Symbol(self.symbol, positive=True, integer=True)
        return sympy.Symbol(self.symbol, positive=True)


#: Every knob of every variant, declared once (defaults, symbols, meanings, validation).
KNOB_SPECS: dict[str, Knob] = {
    k.name: k
    for k in (
        Knob(
            "amplitude_bits", 8, "b_a", "angle bits of the Kerenidis-Prakash loader",
            "angle bits of the loaders", alternative=6, cli_maximum=64,
        ),
        Knob(
            "phase_bits", 6, "m", "amplitude-estimation phase register",
            "amplitude-estimation phase bits m", alternative=4, cli_maximum=64,
        ),
        Knob(
            "median_copies", 3, "k", "copies of amplitude estimation for the coherent median",
            "copies k of AE for the median, odd", odd=True, alternative=5, cli_maximum=255,
        ),
        Knob(
            "kernel_bits", 8, "b_k", "bits of the arccos angle of the kernel value",
            "bits of the arccos kernel angle", alternative=6, cli_maximum=64,
        ),
        Knob(
            "sparsity", 16, "s", "nonzeros per row of the sparsified kernel matrix",
            "s of the CG baseline", alternative=8,
        ),
        Knob(
            "kappa", 1.0, "kappa", "condition number of the sparsified kernel matrix",
            "condition number of the CG baseline", kind=float, alternative=2.0,
        ),
        Knob(
            "qlsa_epsilon", 0.01, "epsilon", "precision of the linear-system solver",
            "solver precision", kind=float, minimum=0, maximum=1, open_interval=True,
            alternative=0.001,
        ),
    )
}  # fmt: skip

#: Knobs that are also inputs of the classical baselines (top-level report parameters): a
#: variant that takes one shares the single value with the baselines.
BASELINE_KNOBS = ("sparsity", "kappa", "qlsa_epsilon")


def default_job_factor(values: Mapping[str, Any], mode: str) -> Any:
    """Coherent runs of the whole job: readout shots 1/⟨k*|v⟩² × runs per post-selection success.

    ``values`` holds ``success_probability``, ``readout_overlap`` and the variant's knobs
    (numbers, or sympy symbols for the job formula); ``mode`` is the post-selection mode.
    """
    from resource_estimates.logical.counts import post_selection_runs, readout_shots

    return readout_shots(values["readout_overlap"]) * post_selection_runs(
        values["success_probability"], mode
    )


def default_summary(variant: Variant, parameters: Mapping[str, Any]) -> list[str]:
    """The markdown line of a report's parameters: sizes, data access, knobs, post-selection."""
    P = parameters
    n = P["n"]
    n_text = f"{n:,}" if abs(n) < 10**15 else f"{n:.3e}"
    knobs = "".join(f"{k} = {P[k]}, " for k in variant.knob_names)
    return [
        f"n = {n_text} (2^{int(math.log2(n))}), d = {P['d']}, data access "
        f"`{P['data_access']}`, {knobs}post-selection `{P['post_selection']}`."
    ]


def _default_sizes(n: Any, d: Any, data_access: str, knobs: Mapping[str, Any]) -> dict[str, Any]:
    return {"n": n, "d": d, "data_access": data_access, **knobs}


@dataclass(frozen=True)
class Variant:
    """A costable variant of Algorithm 1 (a plug-in of the report; see the module docstring).

    Attributes:
        name: CLI name (``diagonal``).
        build: ``build(**sizes)`` → the bloq of one coherent run from sizes only, where ``sizes``
            is what :meth:`sizes` returns; must accept sympy symbols for ``n`` and the knobs in
            ``symbolic_knobs``.
        knob_names: the knobs it takes, in report order: names of :data:`KNOB_SPECS` or of
            ``own_knobs``.
        own_knobs: :class:`Knob` specs of knobs no other variant has; :func:`register_variant`
            adds them to :data:`KNOB_SPECS` (so the CLI grows a flag for each).
        classifier: ``classifier(bloq)`` → the :class:`bloqs.ntk.step_partition.StepClassifier`
            that partitions ``bloq`` (the built bloq of one run) into Algorithm-1 steps with the
            generic walker :func:`bloqs.ntk.step_partition.step_partition`.
        steps_fn: instead of a classifier, ``steps_fn(bloq)`` → a partition
            ``{step: {bloq: calls}}`` or a direct-callee → step map (with ``step_names``).
        step_names: step names in report order when ``steps_fn`` is given.
        symbolic_knobs: knobs kept symbolic in the formulas (the others are fixed at their
            values).
        description: one line for reports.
        readout: the readout overlap the job needs: ``diagonal`` (⟨k*|y⟩) or ``sparsified``
            (⟨k*|K̃⁻¹y⟩); the data model measures that one.
        job_factor: ``job_factor(values, mode)`` → coherent runs of the whole job
            (:func:`default_job_factor`); must accept sympy symbols.
        summary: ``summary(variant, parameters)`` → markdown lines (:func:`default_summary`).
        size_map: ``size_map(n, d, data_access, knobs)`` → keyword arguments of ``build``.
        error_components: the error components of its whole-job error budget (names of
            ``resource_estimates.error_budget.budget.MARGIN_COMPONENTS`` plus ``readout`` and
            ``surface_code``; ``qlsa`` when it solves a linear system); empty: the report has no
            error budget for it (``error_budget.status = "not_modelled"``).
        qlsa_degree: ``qlsa_degree(kappa, epsilon)`` → the degree of its linear solver's
            polynomial (block-encoding queries per run) when it solves a linear system: the one
            function the bloq's degree and the error budget's cost of ε both read.
        extra_sections: ``extra_sections(params, data)`` → ``{section: JSON-ready dict}``, extra
            top-level sections of the report that only this variant has (e.g. ``qlsa``); their
            names must not clash with the report's own sections.
        extra_markdown: ``extra_markdown(report)`` → markdown lines rendering those sections in
            ``report.md`` (after the published figures).
    """

    name: str
    build: Callable[..., Bloq]
    knob_names: tuple[str, ...] = ()
    own_knobs: tuple[Knob, ...] = ()
    classifier: Callable[[Bloq], Any] | None = None
    steps_fn: Callable[[Bloq], Any] | None = None
    step_names: tuple[str, ...] = ()
    symbolic_knobs: tuple[str, ...] = ()
    description: str = ""
    readout: str = "diagonal"
    job_factor: Callable[[Mapping[str, Any], str], Any] = default_job_factor
    summary: Callable[[Variant, Mapping[str, Any]], list[str]] = default_summary
    size_map: Callable[..., dict[str, Any]] = field(default=_default_sizes)
    error_components: tuple[str, ...] = ()
    qlsa_degree: Callable[[Any, Any], Any] | None = None
    extra_sections: Callable[[Any, Any], dict[str, Any]] | None = None
    extra_markdown: Callable[[Mapping[str, Any]], list[str]] | None = None

    def __post_init__(self):
        own = {k.name for k in self.own_knobs}
        unknown = [k for k in self.knob_names if k not in KNOB_SPECS and k not in own]
        if unknown:
            raise ValueError(
                f"variant {self.name!r}: unknown knob(s) {', '.join(unknown)}; declare them in "
                "resource_estimates.variants.registry.KNOB_SPECS or in own_knobs"
            )
        extra = [k for k in self.symbolic_knobs if k not in self.knob_names]
        if extra:
            raise ValueError(f"variant {self.name!r}: symbolic knobs {extra} are not its knobs")
        if self.classifier is None and self.steps_fn is None:
            raise ValueError(f"variant {self.name!r}: give a step classifier or steps_fn")

    def spec(self, name: str) -> Knob:
        """The :class:`Knob` of one of this variant's knobs."""
        for k in self.own_knobs:
            if k.name == name:
                return k
        return KNOB_SPECS[name]

    @property
    def knobs(self) -> tuple[Knob, ...]:
        return tuple(self.spec(k) for k in self.knob_names)

    def defaults(self) -> dict[str, int | float]:
        return {k: self.spec(k).default for k in self.knob_names}

    def resolve_knobs(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The variant's knobs: ``given`` validated, defaults for the rest; unknown names raise."""
        given = dict(given or {})
        unknown = sorted(k for k in given if k not in self.knob_names)
        if unknown:
            known = ", ".join(self.knob_names) or "none"
            raise ValueError(
                f"unknown knob(s) {', '.join(unknown)} for variant {self.name!r}; known: {known}"
            )
        return {
            k: self.spec(k).validate(given[k]) if k in given else self.spec(k).default
            for k in self.knob_names
        }

    def sizes(self, params: Any, n: Any = None) -> dict[str, Any]:
        """Keyword arguments of ``build`` for report parameters ``params`` (at ``n`` if given)."""
        return self.size_map(
            params.n if n is None else n, params.d, params.data_access, dict(params.knobs)
        )

    def step_partition(self, bloq: Bloq) -> tuple[Any, tuple[str, ...]]:
        """(partition of ``bloq`` into steps, step names in report order)."""
        if self.steps_fn is not None:
            return self.steps_fn(bloq), self.step_names
        from bloqs.ntk.step_partition import step_partition

        classifier = self.classifier(bloq)
        return step_partition(bloq, classifier), tuple(classifier.order)

    def steps(self, bloq: Bloq) -> Any:
        """The step partition of ``bloq`` (see :meth:`step_partition`)."""
        return self.step_partition(bloq)[0]


VARIANTS: dict[str, Variant] = {}

#: Variants announced but not implemented yet: name → module that will hold them.
PLANNED_VARIANTS: dict[str, str] = {}


def register_variant(variant: Variant | str, factory: Callable[[], Variant] | None = None) -> None:
    """Make ``variant`` available to reports and the CLI (``register_variant(Variant(...))``).

    The older form ``register_variant(name, factory)`` is accepted too (the factory is called
    now).
    """
    if isinstance(variant, str):
        if factory is None:
            raise ValueError("register_variant(name, factory) needs a factory")
        name, variant = variant, factory()
        if variant.name != name:
            raise ValueError(f"factory of {name!r} built variant {variant.name!r}")
    if not isinstance(variant, Variant):
        raise TypeError(f"expected a Variant, got {type(variant).__name__}")
    for k in variant.own_knobs:
        if k.name in KNOB_SPECS and KNOB_SPECS[k.name] != k:
            raise ValueError(f"variant {variant.name!r}: knob {k.name!r} is declared differently")
    for k in variant.own_knobs:
        KNOB_SPECS[k.name] = k
    VARIANTS[variant.name] = variant


def unregister_variant(name: str) -> None:
    """Remove a variant and the knobs only it declared (tests register toy variants and remove
    them again)."""
    variant = VARIANTS.pop(name, None)
    if variant is None:
        return
    still = {k for v in VARIANTS.values() for k in v.knob_names}
    for k in variant.own_knobs:
        if k.name not in still:
            KNOB_SPECS.pop(k.name, None)


def knob_symbol(name: str):
    """The sympy symbol of a knob in the formulas."""
    return KNOB_SPECS[name].sympy_symbol()


def get_variant(name: str) -> Variant:
    if name in VARIANTS:
        return VARIANTS[name]
    if name in PLANNED_VARIANTS:
        raise ValueError(f"variant {name!r} is not available yet ({PLANNED_VARIANTS[name]})")
    known = ", ".join(sorted(VARIANTS)) or "none"
    raise ValueError(f"unknown variant {name!r}; available: {known}")


def variant_names() -> Sequence[str]:
    """Registered variants, then the planned ones (for help texts)."""
    return [*VARIANTS, *(k for k in PLANNED_VARIANTS if k not in VARIANTS)]
