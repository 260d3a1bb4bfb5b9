"""``qntk-compile reproduce``: the paper's Figs. 1a, 1b, 2a, 2b, S1, S2, S3 on MNIST 8 vs 9.

A thin wrapper: :func:`qntk_compile.jobs.reproduction.reproduce` measures,
:func:`qntk_compile.jobs.reproduction_output.write_outputs` writes the PNGs, ``reproduce.json`` and
``reproduce.md`` (the claims table, also printed on stdout). Progress lines go to stderr.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qntk_compile.cli import CliError
from qntk_compile.cli.analyze import parse_sizes
from qntk_compile.jobs.reproduction import (
    PAPER_SIZES,
    PAPER_SPHERE_SIZES,
    QUICK_SIZES,
    QUICK_SPHERE_SIZES,
    ReproduceRequest,
    reproduce,
)
from qntk_compile.jobs.reproduction_output import OUTPUT_FILES, markdown_table, write_outputs

COMMAND = "reproduce"
HELP = (
    "Re-measure the paper's Figs. 1a, 1b, 2a, 2b, S1, S2, S3 (MNIST 8 vs 9) and compare each "
    "claim with it."
)


def _sizes_text(sizes) -> str:
    return ",".join(str(n) for n in sizes)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--out", metavar="DIR", default="reproduce", help="output directory (default reproduce/)"
    )
    parser.add_argument(
        "--force", action="store_true", help="allow --out to be a non-empty directory"
    )
    parser.add_argument(
        "--dataset", default="mnist-8-9", metavar="NAME", help="data set (default mnist-8-9)"
    )
    parser.add_argument(
        "--n",
        default=None,
        metavar="SIZES",
        help=f"training-set sizes (default {_sizes_text(PAPER_SIZES)}, the paper's)",
    )
    parser.add_argument(
        "--sphere-n",
        default=None,
        metavar="SIZES",
        help=f"sizes of the d=10 sphere in Fig. S1 (default {_sizes_text(PAPER_SPHERE_SIZES)})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"small run (n = {_sizes_text(QUICK_SIZES)}, 200 bootstrap replicates; seconds)",
    )
    parser.add_argument("--replicates", type=int, default=None, help="bootstrap replicates (1000)")
    parser.add_argument("--seed", type=int, default=0, help="data shuffling seed (0)")


def _prepare_out(out: str, force: bool) -> Path:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise CliError(f"--out: {path} exists and is not a directory")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise CliError(f"--out: {path} is not empty; use --force to replace the reproduce files")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--out: cannot create {path}: {exc.strerror or exc}") from exc
    return path


def run(args) -> int:
    sizes = parse_sizes(args.n) if args.n else (QUICK_SIZES if args.quick else PAPER_SIZES)
    sphere = (
        parse_sizes(args.sphere_n)
        if args.sphere_n
        else (QUICK_SPHERE_SIZES if args.quick else PAPER_SPHERE_SIZES)
    )
    replicates = args.replicates if args.replicates is not None else (200 if args.quick else 1000)
    if args.seed < 0:
        raise CliError("--seed: must be >= 0")
    request = ReproduceRequest(
        dataset=args.dataset,
        sizes=tuple(sizes),
        sphere_sizes=tuple(sphere),
        replicates=replicates,
        delta_repeats=5 if args.quick else 20,
        seed=args.seed,
    )
    out = _prepare_out(args.out, args.force)
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f} s] {msg}", file=sys.stderr, flush=True)

    result, matrices = reproduce(request, log=log)
    try:
        written = write_outputs(result, matrices, out)
    except OSError as exc:
        raise CliError(f"--out: cannot write to {out}: {exc.strerror or exc}") from exc
    missing = [f for f in OUTPUT_FILES if f not in written]
    log(
        f"wrote {', '.join(written)} to {out}"
        + (f" (no matplotlib: {', '.join(missing)} not drawn)" if missing else "")
    )
    try:
        print(markdown_table(result), end="")
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = None
    return 0


__all__ = ["COMMAND", "HELP", "add_arguments", "run"]
