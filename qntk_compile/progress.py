"""A small progress bar on stderr for runs longer than a few seconds.

It stays silent for the first ``delay`` seconds (short runs print nothing) and when the stream is
not a terminal (logs and CI stay clean) unless ``enabled=True``. Usage::

    with Progress(total=len(items), label="analyze") as bar:
        for item in items:
            ...
            bar.advance(note=f"n={item}")
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "Stages"]


class Progress:
    """Progress bar ``label [#####.....] k/total note  elapsed`` redrawn in place on ``stream``."""

    def __init__(
        self,
        total: int | None,
        label: str = "",
        stream: TextIO | None = None,
        delay: float = 2.0,
        enabled: bool | None = None,
        width: int = 30,
    ):
        if total is not None and total < 0:
            raise ValueError(f"total must be >= 0 (got {total})")
        self.total = None if total is None else int(total)
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.delay = float(delay)
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.width = int(width)
        self.done = 0
        self.note = ""
        self._start = time.monotonic()
        self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def render(self) -> str:
        """The current bar as a string (without carriage return); a counter without a bar when
        the total is unknown (``total=None``)."""
        elapsed = time.monotonic() - self._start
        note = f" {self.note}" if self.note else ""
        prefix = f"{self.label} " if self.label else ""
        if self.total is None:
            return f"{prefix}{self.done}{note} {elapsed:5.1f}s"
        frac = 1.0 if self.total == 0 else min(1.0, self.done / self.total)
        filled = int(round(frac * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        return f"{prefix}[{bar}] {self.done}/{self.total}{note} {elapsed:5.1f}s"

    def advance(self, steps: int = 1, note: str = "") -> None:
        self.done += int(steps)
        self.note = note
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        if not self._shown and time.monotonic() - self._start < self.delay:
            return
        self._shown = True
        self.stream.write("\r" + self.render() + "\x1b[K")
        self.stream.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._start

    def close(self) -> None:
        """Finish the line (only if the bar was ever shown)."""
        if self._shown:
            self.stream.write("\r" + self.render() + "\x1b[K\n")
            self.stream.flush()
            self._shown = False


class Stages:
    """One line on a stream per stage of a job, so that no command is silent for long: the
    stage's name when it starts and, for a stage that took a second or more, its time when it
    ends. ``stream=None`` is silent. Usage::

        stages = Stages("report", sys.stderr)
        with stages.stage("analysing digits-8-9"):
            ...
    """

    def __init__(self, label: str, stream: TextIO | None = None, min_seconds: float = 1.0):
        self.label = label
        self.stream = stream
        self.min_seconds = float(min_seconds)

    def line(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(f"{self.label}: {text}\n")
            self.stream.flush()

    def stage(self, text: str) -> _Stage:
        return _Stage(self, text)


class _Stage:
    def __init__(self, stages: Stages, text: str):
        self.stages, self.text = stages, text

    def __enter__(self) -> _Stage:
        self.stages.line(f"{self.text} ...")
        self._start = time.monotonic()
        return self

    def __exit__(self, exc_type, *exc) -> None:
        seconds = time.monotonic() - self._start
        if exc_type is None and seconds >= self.stages.min_seconds:
            self.stages.line(f"{self.text}: {seconds:.1f} s")
