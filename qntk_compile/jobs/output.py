"""The output directory of a job, checked before any work: never clobbered without ``--force``,
and writable (a job that would fail to write its results fails at once, in one line)."""

from __future__ import annotations

import tempfile
from pathlib import Path

__all__ = ["check_output_dir"]


def check_output_dir(
    path: str | Path, force: bool = False, flag: str = "--out", allow_empty: bool = False
) -> Path:
    """``path`` as a ``Path`` if a job may write its files there, else a one-line ``ValueError``.

    A directory that exists is refused unless ``force`` (or, with ``allow_empty``, unless it is
    empty); a file in its place always. Writability
    is tried, not inferred from permission bits (which do not bind root, and say nothing of
    read-only file systems or ``/proc``): a temporary file is created and removed again in the
    directory itself, or in its nearest existing ancestor when it does not exist yet.
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{flag}: {out} exists and is not a directory")
    if out.exists() and not force:
        if not allow_empty:
            raise ValueError(f"{flag}: {out} exists; use --force to overwrite")
        if any(out.iterdir()):
            raise ValueError(f"{flag}: {out} is not empty; use --force to write into it")
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise ValueError(f"{flag}: cannot create {out}: {probe} is not a directory")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise ValueError(f"{flag}: {out} is not writable ({exc.strerror or exc})") from None
    return out
