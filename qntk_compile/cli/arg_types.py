"""argparse ``type=`` parsers shared by the subcommands: one-line errors naming what was
expected."""

from __future__ import annotations

import argparse

from resource_estimates.variants import KNOB_SPECS

__all__ = ["features_arg", "knob_type", "nonneg_int", "number", "positive_int"]


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def knob_type(name: str):
    """The flag's parser: by the knob's kind (``KNOB_SPECS``), ``str`` for other Problem knobs
    (e.g. ``sparsity_pattern``); ranges are checked by
    :class:`qntk_compile.data.problem.Problem`."""
    spec = KNOB_SPECS.get(name)
    if spec is None:
        return nonneg_int if name == "pattern_seed" else str
    return positive_int if spec.kind is int else number


def features_arg(text: str) -> int | str:
    t = str(text).strip().lower()
    if t in ("auto", "none"):
        return t
    try:
        v = int(t)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, 'auto' or 'none', got {text!r}"
        ) from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def nonneg_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {v}")
    return v
