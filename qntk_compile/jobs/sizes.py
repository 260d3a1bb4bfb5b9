"""Lists of training-set sizes as users write them on the command line and in params files."""

from __future__ import annotations

__all__ = ["parse_sizes"]


def parse_sizes(text: str) -> list[int]:
    """``"64"``, ``"16,32,64"``, ``"16:256"`` (doubling from 16 up to 256) or ``"10:50:10"``
    (arithmetic step), sorted and without repeats; ``ValueError`` (one line, naming ``--n``)
    otherwise."""
    text = str(text).strip()
    try:
        parts = [int(p) for p in text.split(":")] if ":" in text else None
        listed = None if parts else [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        parts = listed = None
    if parts is not None and len(parts) == 2:
        lo, hi = parts
        if lo < 2:
            raise ValueError(f"--n: sizes must be >= 2 (got {lo})")
        sizes = []
        while lo <= hi:
            sizes.append(lo)
            lo *= 2
    elif parts is not None and len(parts) == 3:
        lo, hi, step = parts
        if step < 1:
            raise ValueError(f"--n: step must be >= 1 (got {step})")
        sizes = list(range(lo, hi + 1, step))
    elif listed is not None:
        sizes = listed
    else:
        raise ValueError(
            f"--n: expected a size (64), a list (16,32,64) or a range (16:256 or 10:50:10), "
            f"got {text!r}"
        )
    if not sizes:
        raise ValueError(f"--n: the range {text!r} contains no size")
    if min(sizes) < 2:
        raise ValueError(f"--n: sizes must be >= 2 (got {min(sizes)})")
    return sorted(set(sizes))
