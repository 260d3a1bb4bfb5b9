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
:data:`PARAMS_KEYS`). Without either, the built-in default data set ``digits-8-9`` is analysed.

Every error is one line on stderr with exit code 2, and nothing is written.
"""

from __future__ import annotations

import ast
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from qntk_compile.cli import CliError

COMMAND = "report"
HELP = (
    "Resource report (logical counts per step under circuit and unit-cost QRAM, formulas, "
    "physical estimates, classical baseline) for any n."
)

DEFAULT_DATASET = "digits-8-9"
DEFAULT_DATASET_SIZES = "16:256"
DEFAULT_N = "2**30"

#: Keys of a ``--params`` file, all required, no others.
PARAMS_KEYS = (
    "n",
    "d",
    "variant",
    "data_access",
    "amplitude_bits",
    "phase_bits",
    "median_copies",
    "kernel_bits",
    "post_selection",
    "success_probability",
    "readout_overlap",
    "delta",
    "depth",
    "sparsity",
    "kappa",
    "qlsa_epsilon",
)

_DEFAULTS = {
    "d": 64,
    "variant": "diagonal",
    "data_access": "qrom",
    "amplitude_bits": 8,
    "phase_bits": 6,
    "median_copies": 3,
    "kernel_bits": 8,
    "post_selection": "repeat",
    "kappa": 1.0,
    "qlsa_epsilon": 0.01,
}


def _int_expr(text: str, what: str) -> int:
    """An integer written as ``1073741824``, ``2**30`` or ``2^30`` (no other expressions)."""
    t = str(text).strip().replace("^", "**")
    try:
        node = ast.parse(t, mode="eval").body
    except SyntaxError:
        raise CliError(f"{what}: expected an integer such as 1024 or 2**30, got {text!r}") from None

    def ev(nd):
        if (
            isinstance(nd, ast.Constant)
            and isinstance(nd.value, int)
            and not isinstance(nd.value, bool)
        ):
            return nd.value
        if isinstance(nd, ast.BinOp) and isinstance(nd.op, ast.Pow):
            base, exp = ev(nd.left), ev(nd.right)
            if exp < 0 or exp > 200:
                raise ValueError
            return base**exp
        if isinstance(nd, ast.UnaryOp) and isinstance(nd.op, ast.USub):
            return -ev(nd.operand)
        if isinstance(nd, ast.BinOp) and isinstance(nd.op, ast.Mult):
            return ev(nd.left) * ev(nd.right)
        raise ValueError

    try:
        return ev(node)
    except ValueError:
        raise CliError(f"{what}: expected an integer such as 1024 or 2**30, got {text!r}") from None


def parse_n(text: str) -> list[int]:
    """``2**30`` (one size), ``2**10,2**20`` (a list) or ``2**10:2**40`` (every power of two in
    the range). Sizes must be >= 2."""
    text = str(text).strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 2:
            raise CliError(f"--n: a sweep is LO:HI, e.g. 2**10:2**40, got {text!r}")
        lo, hi = (_int_expr(p, "--n") for p in parts)
        if lo < 2 or hi < lo:
            raise CliError(f"--n: need 2 <= LO <= HI, got {text!r}")
        k0 = math.ceil(math.log2(lo))
        sizes = [2**k for k in range(k0, hi.bit_length()) if lo <= 2**k <= hi]
        if not sizes:
            raise CliError(f"--n: no power of two in {text!r}")
    else:
        sizes = [_int_expr(p, "--n") for p in text.split(",") if p.strip()]
    if not sizes:
        raise CliError("--n: no size given")
    if min(sizes) < 2:
        raise CliError(f"--n: sizes must be >= 2, got {min(sizes)}")
    return sorted(set(sizes))


def _pad(n: int) -> int:
    return 1 << (n - 1).bit_length()


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
        help="variant of Algorithm 1: diagonal (default) or sparsified (when available)",
    )
    g.add_argument(
        "--data-access",
        default=None,
        choices=("qrom", "select_swap", "bucket_brigade"),
        help="data loader of the QRAM reads (default qrom)",
    )
    g.add_argument(
        "--post-selection",
        default=None,
        choices=("repeat", "amplitude_amplification"),
        help="repeat until the kernel flag succeeds (n/P runs, default) or amplitude amplification",
    )
    p = parser.add_argument_group("precision (knob names of docs/dev/interfaces.md)")
    p.add_argument("--amplitude-bits", default=None, help="angle bits of the loaders (default 8)")
    p.add_argument(
        "--phase-bits", default=None, help="amplitude-estimation phase bits m (default 6)"
    )
    p.add_argument(
        "--median-copies", default=None, help="copies k of AE for the median, odd (default 3)"
    )
    p.add_argument(
        "--kernel-bits", default=None, help="bits of the arccos kernel angle (default 8)"
    )
    s = parser.add_argument_group("data-dependent quantities")
    s.add_argument(
        "--dataset",
        default=None,
        help=f"measure P/n, <k*|v>, delta with `analyze` on this data set: sphere, digits-A-B "
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
        help="JSON object with exactly the keys: " + ", ".join(PARAMS_KEYS),
    )
    c = parser.add_argument_group("classical baseline")
    c.add_argument("--depth", default=None, help="NTK depth L (default ceil(L_conv/10) from delta)")
    c.add_argument(
        "--sparsity", default=None, help="s of the CG baseline (default 2 ceil(ln n) + 1)"
    )
    c.add_argument("--kappa", default=None, help="condition number of the CG baseline (default 1)")
    c.add_argument("--qlsa-epsilon", default=None, help="solver precision (default 0.01)")
    c.add_argument("--flops", default=None, help="classical machine flop/s (default 1e12)")
    h = parser.add_argument_group("physical")
    h.add_argument("--physical-error-rate", default=None, help="default 1e-3")
    h.add_argument("--cycle-time-us", default=None, help="surface-code cycle, us (default 1)")
    h.add_argument("--error-budget", default=None, help="failure budget of one run (default 0.01)")
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


def _num_arg(value, name: str, kind=int, minimum=None, maximum=None, strict_max=False):
    if value is None:
        return None
    if kind is int:
        if isinstance(value, bool):
            raise CliError(f"{name}: expected an integer, got {value!r}")
        if isinstance(value, int):
            v = value
        elif isinstance(value, str):
            v = _int_expr(value, name)
        else:
            raise CliError(f"{name}: expected an integer, got {value!r}")
    else:
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise CliError(f"{name}: expected a number, got {value!r}") from None
        if not math.isfinite(v):
            raise CliError(f"{name}: must be finite, got {value!r}")
    if minimum is not None and v < minimum:
        raise CliError(f"{name}: must be >= {minimum}, got {v}")
    if maximum is not None and (v >= maximum if strict_max else v > maximum):
        raise CliError(f"{name}: must be {'<' if strict_max else '<='} {maximum}, got {v}")
    return v


def _read_params(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise CliError(f"--params: no such file {path}")
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CliError(f"--params: {path} is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise CliError(f"--params: {path} must hold a JSON object")
    missing = [k for k in PARAMS_KEYS if k not in obj]
    extra = sorted(k for k in obj if k not in PARAMS_KEYS)
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("unknown " + ", ".join(extra))
        raise CliError(f"--params: {path}: " + "; ".join(parts))
    return obj


_FLAG_OF = {
    "n": "n",
    "d": "d",
    "variant": "variant",
    "data_access": "data_access",
    "amplitude_bits": "amplitude_bits",
    "phase_bits": "phase_bits",
    "median_copies": "median_copies",
    "kernel_bits": "kernel_bits",
    "post_selection": "post_selection",
    "depth": "depth",
    "sparsity": "sparsity",
    "kappa": "kappa",
    "qlsa_epsilon": "qlsa_epsilon",
}


def _resolve(args) -> tuple[Any, Any, list[int], Any]:
    """Validate everything; return (ReportParameters, DataModel, sweep sizes, note lines)."""
    from resource_estimates.classical import MachineModel
    from resource_estimates.data_model import DataModel
    from resource_estimates.physical import PhysicalAssumptions
    from resource_estimates.report import VARIANTS, ReportParameters, default_sweep, get_variant

    notes: list[str] = []
    if args.params and (args.dataset or args.dataset_sizes):
        raise CliError("--params and --dataset are exclusive")
    values: dict[str, Any] = {}
    if args.params:
        given = [f"--{k.replace('_', '-')}" for k in _FLAG_OF if getattr(args, k) is not None]
        if given:
            raise CliError(f"--params sets {', '.join(given)} already; drop the flag(s)")
        values = _read_params(args.params)
    else:
        for k in _FLAG_OF:
            if getattr(args, k) is not None:
                values[k] = getattr(args, k)

    variant = values.get("variant", _DEFAULTS["variant"])
    if variant not in VARIANTS:
        raise CliError(f"--variant: unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    try:
        get_variant(variant)  # fails early (before any data analysis) if not available
    except ValueError as exc:
        raise CliError(f"--variant: {exc}") from None
    n_values = values.get("n", DEFAULT_N)
    if isinstance(n_values, bool) or (args.params and not isinstance(n_values, int)):
        raise CliError(f"n must be an integer, got {n_values!r}")
    sizes = parse_n(str(n_values))
    padded = sorted({_pad(s) for s in sizes})
    if any(_pad(s) != s for s in sizes):
        notes.append(f"n padded to powers of two: {', '.join(str(s) for s in padded)}")
    n = padded[-1]
    sweep = padded if len(padded) > 1 else default_sweep()

    d_flag = _num_arg(values.get("d"), "--d", int, minimum=1)

    knobs = {}
    for k, lo in (
        ("amplitude_bits", 1),
        ("phase_bits", 1),
        ("median_copies", 1),
        ("kernel_bits", 1),
    ):
        v = _num_arg(values.get(k), f"--{k.replace('_', '-')}", int, minimum=lo, maximum=30)
        knobs[k] = _DEFAULTS[k] if v is None else v
    if knobs["median_copies"] % 2 == 0:
        raise CliError(f"--median-copies: must be odd, got {knobs['median_copies']}")

    depth = _num_arg(values.get("depth"), "--depth", int, minimum=1)
    sparsity = _num_arg(values.get("sparsity"), "--sparsity", int, minimum=1)
    if sparsity is None:
        from qntk_compile.sparsity import default_sparsity

        sparsity = default_sparsity(n)
    kappa = _num_arg(values.get("kappa"), "--kappa", float, minimum=1)
    eps = _num_arg(
        values.get("qlsa_epsilon"), "--qlsa-epsilon", float, minimum=0, maximum=1, strict_max=True
    )
    if eps is not None and eps <= 0:
        raise CliError(f"--qlsa-epsilon: must be > 0, got {eps}")
    flops = _num_arg(args.flops, "--flops", float, minimum=1)
    per = _num_arg(
        args.physical_error_rate,
        "--physical-error-rate",
        float,
        minimum=0,
        maximum=1,
        strict_max=True,
    )
    cyc = _num_arg(args.cycle_time_us, "--cycle-time-us", float, minimum=0)
    bud = _num_arg(
        args.error_budget, "--error-budget", float, minimum=0, maximum=1, strict_max=True
    )
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
            _num_arg(values[key], key, float)
        data_model = DataModel.from_values(
            float(values["success_probability"]),
            float(values["readout_overlap"]),
            float(values["delta"]),
        )
    else:
        data_model, d_data = _analyze_dataset(
            args.dataset or DEFAULT_DATASET, args.dataset_sizes or DEFAULT_DATASET_SIZES, d_flag
        )
    if d_flag is None:
        d = d_data or _DEFAULTS["d"]
    elif d_data is not None and _pad(d_flag) != d_data:
        raise CliError(
            f"--d {d_flag} does not match the data set's d = {d_data}; "
            "use --dataset sphere (any d) or --params"
        )
    else:
        d = d_flag
    if _pad(d) != d:
        notes.append(f"d padded to {_pad(d)}")
        d = _pad(d)
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
            kappa=_DEFAULTS["kappa"] if kappa is None else kappa,
            qlsa_epsilon=_DEFAULTS["qlsa_epsilon"] if eps is None else eps,
            physical=PhysicalAssumptions(**phys_kw),
            machine=MachineModel()
            if flops is None
            else MachineModel(
                flops_per_second=flops, name=f"one node, {flops:g} flop/s sustained, 1 TiB memory"
            ),
            qram_models=("circuit", "unit_cost")
            if args.qram_model == "both"
            else (args.qram_model,),
            **knobs,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    return params, data_model, sweep, notes


def _analyze_dataset(name: str, sizes_text: str, d: int | None = None):
    from qntk_compile import datasets
    from qntk_compile.cli.analyze import analyze, parse_sizes
    from resource_estimates.data_model import DataModel

    # the sphere is generated in any dimension: --d sets it; other data sets have a fixed d
    ds = datasets.load(name, d=d) if name == "sphere" and d is not None else datasets.load(name)
    sizes = parse_sizes(sizes_text)
    result = analyze(ds, sizes)
    d_pad = _pad(ds.d)
    return DataModel.from_rows(result["sizes"], f"analyze on {name}, n = {sizes_text}"), d_pad


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
        report = build_report(params, data_model, sweep=rows)
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
    p = report["parameters"]
    print(
        f"qntk-compile report: {report['variant']['name']} NTK, n = 2^{int(math.log2(p['n']))}, "
        f"d = {p['d']}, data access {p['data_access']}"
    )
    data = report["data"]
    print(
        f"  data ({data['source']}): P/n = {data['success_probability']['value']:.3g} "
        f"[{data['success_probability']['status']}], <k*|v> = "
        f"{data['readout_overlap']['value']:.3g} [{data['readout_overlap']['status']}]"
    )
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
    for c in report["conclusions"]:
        print(f"  [{'holds' if c['holds'] else 'fails'}] ({c['qram_model']}) {c['claim']}")
    print(f"  wrote {len(written)} files to {written[0].parent} in {seconds:.1f} s")
