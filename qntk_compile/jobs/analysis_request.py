"""A premises-analysis job as a library object: :class:`AnalysisRequest`.

``qntk-compile analyze`` is argparse plus ``AnalysisRequest.from_options(vars(args))`` and
:meth:`AnalysisRequest.run`. :meth:`~AnalysisRequest.from_options` checks every option and the
output directory (not created yet: nothing is written before the results exist) and loads the
data set; :meth:`~AnalysisRequest.run` measures the premises with
:func:`qntk_compile.classical.analysis.analyze` (one progress line per size) and writes
``analyze.json`` (and ``analyze.png``) into ``out``. Every error is a one-line ``ValueError``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from qntk_compile.jobs.analysis_output import plot
from qntk_compile.jobs.output import check_output_dir
from qntk_compile.jobs.sizes import parse_sizes
from qntk_compile.progress import Stages

__all__ = ["DEFAULT_DATASET", "DEFAULT_N", "OUTPUT_FILES", "AnalysisRequest"]

OUTPUT_FILES = ("analyze.json", "analyze.png")
DEFAULT_N = "16:256"
DEFAULT_DATASET = "digits-8-9"


def _depth(text: Any) -> int | str:
    t = str(text).strip().lower()
    if t in ("conv", "lconv", "conv/10", "lconv/10"):
        return t
    try:
        v = int(t)
    except ValueError:
        raise ValueError(
            f"--depth: expected an integer >= 1, 'conv' or 'conv/10' (got {text!r})"
        ) from None
    if v < 1:
        raise ValueError(f"--depth: must be >= 1 (got {v})")
    return v


def _classes(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        a, b = (float(p) for p in str(text).split(","))
    except ValueError:
        raise ValueError(f"--classes: expected two labels A,B (got {text!r})") from None
    if a == b:
        raise ValueError("--classes: the two labels must differ")
    return (a, b)


class _LineProgress:
    """``analyze``'s progress as one line per size (on any stream, terminal or log)."""

    def __init__(self, stages: Stages, total: int):
        self.stages, self.total, self.done = stages, total, 0
        self._start = time.monotonic()

    def advance(self, steps: int = 1, note: str = "") -> None:
        self.done += steps
        elapsed = time.monotonic() - self._start
        self.stages.line(f"{self.done}/{self.total} sizes done ({note}, {elapsed:.1f} s)")


@dataclass(frozen=True)
class AnalysisRequest:
    """A validated analysis job (see the module docstring).

    Attributes:
        dataset: the loaded data set.
        sizes: the training-set sizes to analyse.
        depth: an integer depth, ``"conv"`` or ``"conv/10"``.
        sparsity: the sparsity cap s (``None``: 2⌈ln n⌉ + 1).
        pattern_seed: seed of the pseudorandom sparsity pattern.
        out: the output directory (``None``: print only).
    """

    dataset: Any
    sizes: tuple[int, ...]
    depth: int | str = "conv/10"
    sparsity: int | None = None
    pattern_seed: int = 0
    out: Path | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> AnalysisRequest:
        """Check the options (the ``analyze`` flags with ``_``), the output directory, and load
        the data set."""
        from qntk_compile.data import datasets

        sizes = parse_sizes(options.get("n") or DEFAULT_N)
        depth = _depth(options.get("depth") or "conv/10")
        classes = _classes(options.get("classes"))
        for name in ("seed", "pattern_seed"):
            if (options.get(name) or 0) < 0:
                raise ValueError(f"--{name.replace('_', '-')}: must be >= 0")
        for name in ("n_test", "sparsity"):
            if options.get(name) is not None and options[name] < 1:
                raise ValueError(f"--{name.replace('_', '-')}: must be >= 1")
        data = options.get("data")
        if options.get("labels") and not data:
            raise ValueError("--labels needs --data")
        if options.get("classes") and not data:
            raise ValueError("--classes applies to --data files")
        out = options.get("out")
        if out is not None:
            out = check_output_dir(out, force=bool(options.get("force")), allow_empty=True)
        dataset = datasets.load(
            None if data else (options.get("dataset") or DEFAULT_DATASET),
            data,
            n=max(sizes),
            d=options.get("d") or 10,
            seed=options.get("seed") or 0,
            n_test=options.get("n_test"),
            classes=classes,
            labels_path=options.get("labels"),
        )
        return cls(
            dataset=dataset,
            sizes=tuple(sizes),
            depth=depth,
            sparsity=options.get("sparsity"),
            pattern_seed=options.get("pattern_seed") or 0,
            out=out,
        )

    def run(self, stream: TextIO | None = None) -> tuple[dict[str, Any], list[Path]]:
        """(the analysis result, the files written); progress lines go to ``stream``."""
        from qntk_compile.classical.analysis import analyze

        stages = Stages("analyze", stream)
        result = analyze(
            self.dataset,
            list(self.sizes),
            depth=self.depth,
            sparsity=self.sparsity,
            pattern_seed=self.pattern_seed,
            progress=_LineProgress(stages, len(self.sizes)),
        )
        written: list[Path] = []
        if self.out is not None:
            try:
                self.out.mkdir(parents=True, exist_ok=True)
                path = self.out / "analyze.json"
                path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
                written.append(path)
                if plot(result, self.out / "analyze.png"):
                    written.append(self.out / "analyze.png")
            except OSError as exc:
                reason = exc.strerror or exc
                raise ValueError(f"--out: cannot write to {self.out}: {reason}") from exc
        return result, written
