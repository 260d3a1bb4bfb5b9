"""What a report depends on: :class:`ReportParameters`, the formula symbols and their meanings.

The variant's precision knobs are carried generically in ``ReportParameters.knobs`` and
validated by the variant (:meth:`resource_estimates.variants.registry.Variant.resolve_knobs`); their
defaults, symbols and meanings are declared once, in
:data:`resource_estimates.variants.registry.KNOB_SPECS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any

import sympy

from bloqs.state_preparation import kp_tree
from resource_estimates.logical.counts import POST_SELECTION_MODES, QRAM_MODELS
from resource_estimates.physical import models as physical
from resource_estimates.published import classical
from resource_estimates.variants.registry import BASELINE_KNOBS, KNOB_SPECS, get_variant

SCHEMA = "qntk-compile-report/1"
#: The data accesses a report can cost, as at import; validation reads the one list,
#: ``bloqs.state_preparation.kp_tree.DATA_ACCESS_KINDS``, each time.
DATA_ACCESS = kp_tree.DATA_ACCESS_KINDS
GATE_FIELDS = ("toffoli", "t", "clifford", "rotation", "measurement", "queries")

#: Symbols of the formulas that are not knobs (``n``, ``d`` and the data-dependent ones).
BASE_SYMBOLS: dict[str, sympy.Symbol] = {
    "n": sympy.Symbol("n", positive=True, integer=True),
    "d": sympy.Symbol("d", positive=True, integer=True),
    "success_probability": sympy.Symbol("p", positive=True),
    "readout_overlap": sympy.Symbol("o", positive=True),
}
BASE_SYMBOL_MEANING = {
    "n": "training-set size (padded to a power of two)",
    "d": "feature dimension (padded to a power of two)",
    "p": "post-selection success probability P/n (data-dependent)",
    "o": "readout overlap <k*|v> (data-dependent)",
}
#: Symbols of the formulas: the base ones and one per knob of :data:`KNOB_SPECS`.
SYMBOLS: dict[str, sympy.Symbol] = {
    **BASE_SYMBOLS,
    **{name: k.sympy_symbol() for name, k in KNOB_SPECS.items()},
}
SYMBOL_MEANING = {
    **BASE_SYMBOL_MEANING,
    **{k.symbol: f"{name}: {k.meaning}" for name, k in KNOB_SPECS.items()},
}


def symbols_of(variant_name: str) -> dict[str, str]:
    """{symbol: meaning} of a variant's formulas (``n``, ``p``, ``o`` and its knobs)."""
    variant = get_variant(variant_name)
    out = {k: v for k, v in BASE_SYMBOL_MEANING.items() if k != "d"}
    for k in variant.knobs:
        out[k.symbol] = f"{k.name}: {k.meaning}"
    return out


def check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def is_pow2(x: int) -> bool:
    return x >= 1 and x & (x - 1) == 0


@dataclass(frozen=True, init=False, eq=False)
class ReportParameters:
    """Everything a report depends on (besides the data model and the code versions).

    ``n`` and ``d`` are padded sizes (powers of two). ``knobs`` are the variant's precision knobs
    (defaults filled in, validated by the variant); they may also be given as keyword arguments
    (``ReportParameters(n=..., d=..., amplitude_bits=6)``) and read as attributes
    (``params.amplitude_bits``). ``depth``, ``sparsity``, ``kappa`` and ``qlsa_epsilon`` feed the
    classical baselines (the quantum circuit tabulates the NTK, so the depth costs nothing
    quantum); a variant whose knobs include ``sparsity``, ``kappa`` or ``qlsa_epsilon`` shares
    that one value with the baselines.
    """

    n: int
    d: int
    variant: str
    data_access: str
    knobs: Mapping[str, Any]
    post_selection: str
    depth: int
    sparsity: int
    kappa: float
    qlsa_epsilon: float
    physical: physical.PhysicalAssumptions
    machine: classical.MachineModel
    qram_models: tuple[str, ...]

    def __init__(
        self,
        n: int,
        d: int,
        variant: str = "diagonal",
        data_access: str = "qrom",
        knobs: Mapping[str, Any] | None = None,
        post_selection: str = "repeat",
        depth: int = 10,
        sparsity: int | None = None,
        kappa: float | None = None,
        qlsa_epsilon: float | None = None,
        physical: physical.PhysicalAssumptions | None = None,
        machine: classical.MachineModel | None = None,
        qram_models: tuple[str, ...] = QRAM_MODELS,
        **knob_values: Any,
    ):
        from resource_estimates.physical import models as _physical

        given = dict(knobs or {})
        for k, v in knob_values.items():
            if k in given and given[k] != v:
                raise ValueError(f"knob {k} given twice ({given[k]!r} and {v!r})")
            given[k] = v
        v = get_variant(variant)  # unknown or unavailable variant: one-line ValueError
        baseline = {"sparsity": sparsity, "kappa": kappa, "qlsa_epsilon": qlsa_epsilon}
        for k in BASELINE_KNOBS:
            if k in v.knob_names:  # one value for the circuit and the classical baselines
                if k in given and baseline[k] is not None and given[k] != baseline[k]:
                    raise ValueError(f"{k} given twice ({given[k]!r} and {baseline[k]!r})")
                given.setdefault(k, baseline[k] if baseline[k] is not None else None)
                if given[k] is None:
                    del given[k]
        resolved = v.resolve_knobs(given)
        for k in BASELINE_KNOBS:
            value = resolved.get(k, baseline[k])
            baseline[k] = KNOB_SPECS[k].default if value is None else value
        if "kappa_eff" in resolved and "kappa_eff" not in given:
            # the QLSA's kappa_eff >= kappa(K~): unknown, it is costed at that lower bound
            resolved["kappa_eff"] = max(resolved["kappa_eff"], baseline["kappa"])
        values = {
            "n": n,
            "d": d,
            "variant": variant,
            "data_access": data_access,
            "knobs": MappingProxyType(dict(resolved)),
            "post_selection": post_selection,
            "depth": depth,
            **baseline,
            "physical": physical if physical is not None else _physical.PhysicalAssumptions(),
            "machine": machine if machine is not None else classical.MachineModel(),
            "qram_models": tuple(qram_models),
        }
        for k, val in values.items():
            object.__setattr__(self, k, val)
        self._validate()

    def __getattr__(self, name: str) -> Any:
        # knobs read as attributes (params.amplitude_bits); only called for missing attributes
        if name != "knobs" and not name.startswith("__"):
            knobs = self.__dict__.get("knobs")
            if knobs is not None and name in knobs:
                return knobs[name]
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "knobs": dict(self.knobs)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, MappingProxyType(dict(v)) if k == "knobs" else v)

    def __hash__(self) -> int:
        return hash(repr(self.as_dict()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReportParameters):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def _validate(self) -> None:
        check_int("n", self.n, 2)
        check_int("d", self.d, 1)
        if not is_pow2(self.n) or not is_pow2(self.d):
            raise ValueError(
                f"n and d must be powers of two (padded sizes), got {self.n}, {self.d}"
            )
        check_int("depth", self.depth, 1)
        if "sparsity" in self.knobs and self.sparsity > self.n:
            # a variant whose circuit has s slots per row of an n x n matrix
            raise ValueError(f"sparsity must be <= n = {self.n}, got {self.sparsity}")
        for k in BASELINE_KNOBS:  # the classical baselines' inputs
            KNOB_SPECS[k].validate(getattr(self, k))
        if "kappa_eff" in self.knobs and self.knobs["kappa_eff"] < self.kappa:
            raise ValueError(
                f"kappa_eff must be >= kappa = {self.kappa}, got {self.knobs['kappa_eff']}"
            )
        kinds = kp_tree.DATA_ACCESS_KINDS
        if self.data_access not in kinds:
            raise ValueError(f"unknown data access {self.data_access!r}; choose from {kinds}")
        if self.post_selection not in POST_SELECTION_MODES:
            raise ValueError(
                f"unknown post-selection {self.post_selection!r}; "
                f"choose from {POST_SELECTION_MODES}"
            )
        if not self.qram_models or any(m not in QRAM_MODELS for m in self.qram_models):
            raise ValueError(f"qram models must be a non-empty subset of {QRAM_MODELS}")

    def sizes(self) -> dict[str, Any]:
        """Keyword arguments of the variant's ``build`` (:meth:`Variant.sizes`)."""
        return get_variant(self.variant).sizes(self)

    def replace(self, **changes: Any) -> ReportParameters:
        """A copy with ``changes`` (knobs by name or as ``knobs=``)."""
        kw = {f.name: getattr(self, f.name) for f in fields(self)}
        knobs = dict(kw.pop("knobs"))
        for k in list(changes):
            if k in knobs:
                knobs[k] = changes.pop(k)
        knobs.update(changes.pop("knobs", {}) or {})
        kw.update(changes)
        for k in BASELINE_KNOBS:  # a shared knob: one value
            if k in knobs:
                kw[k] = knobs[k]
        if kw["variant"] != self.variant:
            knobs = {}
        return ReportParameters(**kw, knobs=knobs)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; the knobs are flattened beside the other parameters."""
        out: dict[str, Any] = {
            "n": self.n,
            "d": self.d,
            "variant": self.variant,
            "data_access": self.data_access,
            "post_selection": self.post_selection,
            "depth": self.depth,
            "sparsity": self.sparsity,
            "kappa": self.kappa,
            "qlsa_epsilon": self.qlsa_epsilon,
            **dict(self.knobs),
        }
        out["physical"] = self.physical.as_dict()
        out["machine"] = self.machine.as_dict()
        out["qram_models"] = list(self.qram_models)
        return out


__all__ = [
    "BASE_SYMBOLS",
    "DATA_ACCESS",
    "GATE_FIELDS",
    "SCHEMA",
    "SYMBOLS",
    "SYMBOL_MEANING",
    "ReportParameters",
    "symbols_of",
]
