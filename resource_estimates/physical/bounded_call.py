"""Run a function in a forked child process and give up on it after a time limit.

A call into compiled code (the Microsoft estimator is Rust) cannot be interrupted from a Python
thread; a child process can be killed. :func:`call_with_timeout` forks (copy-on-write, so the
child needs no imports and starts in milliseconds), runs the function there, sends its
JSON-serialisable result back through a pipe, and kills the child if no answer arrives in time.

Where ``os.fork`` does not exist (Windows) the function runs in this process without a bound;
callers keep their own input-range checks in front of it for that case.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

__all__ = ["CallTimeout", "CallFailed", "call_with_timeout", "can_bound"]


class CallTimeout(Exception):
    """The function gave no answer within the time limit (its process was killed)."""


class CallFailed(Exception):
    """The function raised in the child process, or the child died without an answer."""


def can_bound() -> bool:
    """Whether calls can be bounded in time on this platform (``os.fork`` exists)."""
    return hasattr(os, "fork")


def _child(fn: Callable[..., Any], args: tuple, write_fd: int) -> None:
    try:
        payload = {"ok": fn(*args)}
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never raised here
        payload = {"error": f"{type(exc).__name__}: {' '.join(str(exc).split())}"}
    try:
        data = json.dumps(payload).encode()
    except (TypeError, ValueError) as exc:
        data = json.dumps({"error": f"result is not JSON-serialisable: {exc}"}).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(write_fd, view) :]
    os.close(write_fd)


def _read_until_eof(fd: int, deadline: float) -> bytes | None:
    """Everything written to ``fd`` until EOF, or None when the deadline passes first."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def call_with_timeout(fn: Callable[..., Any], args: tuple, timeout_s: float) -> Any:
    """``fn(*args)`` evaluated in a forked child, its result returned within ``timeout_s``.

    Raises:
        CallTimeout: no answer within ``timeout_s`` seconds; the child has been killed.
        CallFailed: ``fn`` raised (the message names the exception) or the child died.
    """
    if not (timeout_s > 0):
        raise ValueError(f"timeout_s must be > 0, got {timeout_s!r}")
    if not can_bound():
        return fn(*args)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into the caller's stack
        code = 0
        try:
            os.close(read_fd)
            _child(fn, args, write_fd)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    data = None
    try:
        data = _read_until_eof(read_fd, time.monotonic() + timeout_s)
    finally:
        os.close(read_fd)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if data is None:
        raise CallTimeout(f"no answer within {timeout_s:g} s")
    if not data:
        raise CallFailed("the child process died without an answer")
    payload = json.loads(data)
    if "error" in payload:
        raise CallFailed(payload["error"])
    return payload["ok"]
