"""A resource-report job as a library object: :class:`ReportRequest`.

``qntk-compile report`` is argparse plus ``ReportRequest.from_options(vars(args))`` and
:meth:`ReportRequest.run`. :meth:`~ReportRequest.from_options` does everything that can fail
before the costing starts, cheapest first: the output directory (writable, not clobbered), the
flags or the ``--params`` file, the knobs of the variant, the physical assumptions, and only then
the data set's analysis (seconds) with the κ_eff and depth defaults it implies. Every error is a
one-line ``ValueError`` naming the flag; nothing is written before :meth:`~ReportRequest.run`.

Options are the flag names with ``_`` (``n``, ``d``, ``variant``, ``data_access``,
``post_selection``, every knob, ``dataset``, ``dataset_sizes``, ``params``, ``depth``,
``sparsity``, ``kappa``, ``qlsa_epsilon``, ``flops``, ``physical_error_rate``,
``cycle_time_us``, ``error_budget``, ``failure_probability``, ``qram_model``, ``out``,
``force``, ``no_plots``), each a string or number as a user writes it; missing ones take their
defaults.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from qntk_compile.data.problem import next_power_of_two
from qntk_compile.jobs.output import check_output_dir
from qntk_compile.jobs.report_inputs import (
    budget_kernel,
    data_model_from_dataset,
    failure_probability_arg,
    load_dataset,
    num_arg,
    parse_n,
    read_params,
)
from qntk_compile.progress import Stages
from resource_estimates.variants.registry import BASELINE_KNOBS, KNOB_SPECS, VARIANTS, get_variant

__all__ = [
    "DEFAULT_DATASET",
    "DEFAULT_DATASET_SIZES",
    "DEFAULT_N",
    "DEFAULTS",
    "ReportRequest",
    "circuit_knobs",
    "flag_names",
]

DEFAULT_DATASET = "mnist-8-9"  # the paper's task (Figs. 1, 2, S1, S3)
DEFAULT_DATASET_SIZES = "16:512"  # the paper's sizes
DEFAULT_N = "2**30"
DEFAULTS = {"d": 64, "variant": "diagonal", "data_access": "qrom", "post_selection": "repeat"}
_BASE_FLAGS = ("n", "d", "variant", "data_access", "post_selection", "depth", *BASELINE_KNOBS)


def circuit_knobs() -> dict[str, Any]:
    """The knobs of all registered variants that are not classical-baseline inputs (one CLI
    flag each), in registration order."""
    out = {}
    for v in VARIANTS.values():
        for k in v.knob_names:
            if k not in BASELINE_KNOBS:
                out.setdefault(k, KNOB_SPECS[k])
    return out


def flag_names() -> tuple[str, ...]:
    """Parameters settable by a flag or by ``--params`` (the knobs of every variant)."""
    return (*_BASE_FLAGS, *circuit_knobs())


def _flag(name: str) -> str:
    return f"--{name.replace('_', '-')}"


def _checked_variant(name: Any) -> str:
    if not isinstance(name, str):
        raise ValueError(f"--variant: expected a name, got {name!r}")
    try:
        get_variant(name)  # fails early (before any data analysis) if not available
    except ValueError as exc:
        raise ValueError(f"--variant: {exc}") from None
    return name


def _knob_values(values: Mapping[str, Any], variant: str) -> dict[str, Any]:
    """The variant's circuit knobs from flags or ``--params`` (defaults left to the variant)."""
    v = get_variant(variant)
    knobs = {}
    for name in circuit_knobs():
        if values.get(name) is None:
            continue
        if name not in v.knob_names:
            raise ValueError(f"{_flag(name)}: not a knob of variant {variant!r}")
        spec = KNOB_SPECS[name]
        value = num_arg(
            values[name], _flag(name), spec.kind, minimum=spec.minimum, maximum=spec.cli_maximum
        )
        try:
            knobs[name] = spec.validate(value)
        except ValueError as exc:
            raise ValueError(f"{_flag(name)}: {str(exc).removeprefix(name + ' ')}") from None
        _check_concrete(name, value)
    return knobs


def _check_concrete(name: str, value: Any) -> None:
    """The report costs the user's knobs on the gate-level circuit, which grows as 2^m (Grover
    iterates of amplitude estimation) and k² (the median's comparators): above
    ``optimised.CONCRETE_MAX`` that takes hours. The error budget's knobs above it are costed from
    fitted forms (the headline's "meets P" row), so they are not lost."""
    from resource_estimates.report.optimised import CONCRETE_MAX

    limit = CONCRETE_MAX.get(name)
    if limit is not None and value > limit:
        raise ValueError(
            f"{_flag(name)}: {value} is above {limit}, the largest at which the report costs "
            "your knobs on the gate-level circuit (minutes; it grows as 2^m and k^2); the error "
            "budget's knobs above that are costed from fitted forms in the headline's 'meets P' row"
        )


def _default_kappa_eff(data: Mapping[str, Any], sparsity: int, kappa: float | None):
    from resource_estimates.variants.sparsified import gershgorin_kappa_eff

    if "kappa_eff" in data and data["kappa_eff"].value >= (kappa or 1.0):
        return data["kappa_eff"].value
    if "e_max" in data:
        try:
            bound = gershgorin_kappa_eff(sparsity, data["e_max"].value)
        except ValueError as exc:
            raise ValueError(f"--params: {exc}") from None
        if bound < (kappa or 1.0):
            raise ValueError(
                f"--params: kappa = {kappa} exceeds the Gershgorin bound {bound:.6g} on kappa_eff "
                f"from s = {sparsity} and e_max (kappa <= kappa_eff <= bound): inconsistent"
            )
        return bound
    return None


def _params_data_model(values: Mapping[str, Any]):
    from resource_estimates.data_model import DataModel

    for key in ("success_probability", "readout_overlap", "delta"):
        if values[key] is None:  # null means "default" for the knobs, but these have none
            raise ValueError(f"--params: {key} must be a number, got null")
        num_arg(values[key], key, float)
    e_max = values.get("e_max")  # largest off-diagonal of K~/K~_11: Gershgorin kappa_eff
    if e_max is not None:
        num_arg(e_max, "e_max", float)
    try:
        return DataModel.from_values(
            float(values["success_probability"]),
            float(values["readout_overlap"]),
            float(values["delta"]),
            e_max=None if e_max is None else float(e_max),
        )
    except ValueError as exc:
        raise ValueError(f"--params: {exc}") from None


def _physical(options: Mapping[str, Any]):
    from resource_estimates.physical.models import PhysicalAssumptions

    def opt(name, **kw):
        return num_arg(options.get(name), _flag(name), float, **kw)

    given = {
        "physical_error_rate": opt("physical_error_rate", minimum=0, maximum=1, strict_max=True),
        "cycle_time_us": opt("cycle_time_us", minimum=0),
        "error_budget": opt("error_budget", minimum=0, maximum=1, strict_max=True),
    }
    try:
        return PhysicalAssumptions(**{k: v for k, v in given.items() if v is not None})
    except ValueError as exc:  # name the flags, not the fields
        text = str(exc).replace("physical_error_rate", "--physical-error-rate")
        raise ValueError(text.replace("error_budget", "--error-budget")) from None


@dataclass(frozen=True)
class ReportRequest:
    """A validated resource-report job (see the module docstring).

    Attributes:
        params: the report's parameters (sizes, variant, knobs, physical and machine models).
        data_model: the data-dependent quantities (measured, given or extrapolated).
        sweep: the sizes of the sweep (``sweep.csv``, the polylog fits).
        budget: the error budget's request (failure probability, knobs kept fixed).
        notes: lines for the user (e.g. sizes padded to powers of two).
        out: the output directory (``None``: build in memory only).
        force: replace an existing ``out``.
        plots: write the PNG plots (matplotlib).
        measure: (data set, sizes text) to run the measured budget on before the report
            (:func:`~qntk_compile.jobs.report_inputs.measured_from_dataset`), or ``None``.
    """

    params: Any
    data_model: Any
    sweep: tuple[int, ...]
    budget: Any
    notes: tuple[str, ...] = ()
    out: Path | None = None
    force: bool = False
    plots: bool = True
    measure: Any = None

    @classmethod
    def from_options(
        cls, options: Mapping[str, Any], stream: TextIO | None = None
    ) -> ReportRequest:
        """Validate ``options`` (see the module docstring) and analyse the data set; progress
        lines go to ``stream``."""
        from resource_estimates.published.classical import MachineModel
        from resource_estimates.report import BudgetRequest, ReportParameters, default_sweep

        out = options.get("out")
        if out is not None:
            out = check_output_dir(out, force=bool(options.get("force")))
        notes: list[str] = []
        params_file = options.get("params")
        if params_file and (options.get("dataset") or options.get("dataset_sizes")):
            raise ValueError("--params and --dataset are exclusive")
        if params_file:
            values = read_params(params_file)
            given = [k for k in flag_names() if options.get(k) is not None]
            in_file = [_flag(k) for k in given if k in values]
            if in_file:
                raise ValueError(f"--params sets {', '.join(in_file)} already; drop the flag(s)")
            if given:  # every other flag is a required key: a knob of another variant
                raise ValueError(
                    f"{', '.join(_flag(k) for k in given)}: not a knob of variant "
                    f"{values.get('variant', DEFAULTS['variant'])!r}, the --params file's "
                    "variant (the file has no such key); drop the flag"
                )
        else:
            values = {k: options[k] for k in flag_names() if options.get(k) is not None}

        variant = _checked_variant(values.get("variant", DEFAULTS["variant"]))
        n_values = values.get("n", DEFAULT_N)
        if isinstance(n_values, bool) or (params_file and not isinstance(n_values, int)):
            raise ValueError(f"n must be an integer, got {n_values!r}")
        n_sizes = parse_n(str(n_values))
        padded = sorted({next_power_of_two(s) for s in n_sizes})
        if any(next_power_of_two(s) != s for s in n_sizes):
            notes.append(f"n padded to powers of two: {', '.join(str(s) for s in padded)}")
        n = padded[-1]
        sweep = padded if len(padded) > 1 else default_sweep()
        d_flag = num_arg(values.get("d"), "--d", int, minimum=1)
        knobs = _knob_values(values, variant)
        p_file = values.get("failure_probability")
        if p_file is not None and options.get("failure_probability") is not None:
            raise ValueError("--params sets --failure-probability already; drop the flag")
        target = failure_probability_arg(
            p_file if p_file is not None else options.get("failure_probability")
        )
        depth = num_arg(values.get("depth"), "--depth", int, minimum=1)
        sparsity = num_arg(values.get("sparsity"), "--sparsity", int, minimum=1)
        if sparsity is None:
            from qntk_compile.data.sparsity import default_sparsity

            sparsity = default_sparsity(n)
        if "sparsity" in get_variant(variant).knob_names and sparsity > n:
            raise ValueError(f"--sparsity: must be <= n = {n} (nonzeros per row), got {sparsity}")
        kappa = num_arg(values.get("kappa"), "--kappa", float, minimum=1)
        eps = num_arg(
            values.get("qlsa_epsilon"),
            "--qlsa-epsilon",
            float,
            minimum=0,
            maximum=1,
            strict_max=True,
        )
        if eps is not None and eps <= 0:
            raise ValueError(f"--qlsa-epsilon: must be > 0, got {eps}")
        flops = num_arg(options.get("flops"), "--flops", float, minimum=1)
        physical = _physical(options)
        qram_model = options.get("qram_model") or "both"

        # The data come last: every cheap check above fails before a data set is analysed.
        dataset = None
        if params_file:
            data_model = _params_data_model(values)
            d = DEFAULTS["d"] if d_flag is None else d_flag
        else:
            name = options.get("dataset") or DEFAULT_DATASET
            dataset = load_dataset(name, d_flag)
            d_data = next_power_of_two(dataset.d)
            if d_flag is not None and next_power_of_two(d_flag) != d_data:
                raise ValueError(
                    f"--d {d_flag} does not match the data set's d = {d_data}; "
                    "use --dataset sphere (any d) or --params"
                )
            d = d_data if d_flag is None else d_flag
        if next_power_of_two(d) != d:
            d = next_power_of_two(d)
            notes.append(f"d padded to {d}")
        if dataset is not None:
            sizes = options.get("dataset_sizes") or DEFAULT_DATASET_SIZES
            with Stages("report", stream).stage(f"analysing {name} at n = {sizes}"):
                data_model, _ = data_model_from_dataset(
                    name, sizes, readout=get_variant(variant).readout, dataset=dataset
                )
        at_n = data_model.at(n)
        if kappa is None and "kappa" in at_n:  # measured by analyze (extrapolated)
            kappa = at_n["kappa"].value
        if "kappa_eff" in get_variant(variant).knob_names and "kappa_eff" not in knobs:
            # alpha/lambda_min(K~) measured by analyze, else the Gershgorin bound from s and a
            # given e_max, else (ReportParameters) the lower bound kappa(K~)
            eff = _default_kappa_eff(at_n, sparsity, kappa)
            if eff is not None:
                knobs["kappa_eff"] = eff
        from qntk_compile.kernel.ntk import default_depth

        depth_for = default_depth if depth is None else None  # the growth table's depth at n
        if depth is None:
            depth = default_depth(n, at_n["delta"].value)
        machine = MachineModel()
        if flops is not None:
            name = f"one node, {flops:g} flop/s sustained, 1 TiB memory"
            machine = MachineModel(flops_per_second=flops, name=name)
        params = ReportParameters(
            n=n,
            d=d,
            variant=variant,
            data_access=values.get("data_access", DEFAULTS["data_access"]),
            post_selection=values.get("post_selection", DEFAULTS["post_selection"]),
            depth=depth,
            sparsity=sparsity,
            kappa=kappa,
            qlsa_epsilon=eps,
            physical=physical,
            machine=machine,
            qram_models=("circuit", "unit_cost") if qram_model == "both" else (qram_model,),
            knobs=knobs,
        )
        budget = BudgetRequest(
            kernel=budget_kernel,
            failure_probability=0.01 if target is None else target,
            fixed={**knobs, **({} if eps is None else {"qlsa_epsilon": eps})},
            explicit=target is not None,
            depth_for=depth_for,
            growth=True,  # the knob-growth table and the verdicts at knobs that meet P
        )
        measure = (dataset, sizes) if dataset is not None and variant == "diagonal" else None
        return cls(
            params=params,
            data_model=data_model,
            sweep=tuple(sweep),
            budget=budget,
            notes=tuple(notes),
            out=out,
            force=bool(options.get("force")),
            plots=not options.get("no_plots"),
            measure=measure,
        )

    def build(self, stream: TextIO | None = None) -> tuple[dict[str, Any], list, Any]:
        """(report, sweep rows, the sizes-only bloq of the first QRAM model), in memory."""
        from resource_estimates.report import build_report, concrete_costs, sweep_rows
        from resource_estimates.report.error_budget_section import budget_infeasibility

        stages = Stages("report", stream)
        # an impossible P is said before the sweep (seconds, not a minute): an error when P was
        # asked for explicitly, else the report is written with an infeasible error budget
        reason = budget_infeasibility(self.params, self.data_model, self.budget)
        if reason is not None and self.budget.explicit:
            raise ValueError(reason)
        if reason is not None:
            stages.line(f"error budget infeasible ({reason}); the report says what would help")
        budget = self.budget
        if self.measure is not None:
            from dataclasses import replace

            from qntk_compile.jobs.report_inputs import measured_from_dataset

            ds, sizes = self.measure
            with stages.stage(f"measuring the budget on {ds.name} (exact reference, n <= 128)"):
                measured = measured_from_dataset(ds, sizes, budget.failure_probability)
            budget = replace(budget, measured=measured)
        with stages.stage(f"costing the sweep over {len(self.sweep)} sizes"):
            rows = sweep_rows(self.params, self.data_model, list(self.sweep))
        with stages.stage(f"building the report at n = 2^{int(math.log2(self.params.n))}"):
            report = build_report(self.params, self.data_model, sweep=rows, error_budget=budget)
            bloq = concrete_costs(
                self.params, self.params.qram_models[0], steps=False, qubits=False
            )[0]
        return report, rows, bloq

    def run(self, stream: TextIO | None = None) -> tuple[dict[str, Any], list[Path]]:
        """Build the report and write it to :attr:`out`; (report, written files)."""
        from resource_estimates.report import write_report

        if self.out is None:
            raise ValueError("--out: no output directory given")
        report, rows, bloq = self.build(stream)
        with Stages("report", stream).stage(f"writing {self.out}"):
            written = write_report(
                report, self.out, force=self.force, sweep=rows, bloq=bloq, plots=self.plots
            )
        return report, written
