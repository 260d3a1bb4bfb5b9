"""The ``qntk-compile`` command line.

Each subcommand is a module of this package that defines::

    COMMAND: str                      # the subcommand's name
    HELP: str                         # one line for ``qntk-compile --help``
    def add_arguments(parser): ...    # argparse arguments
    def run(args) -> int: ...         # the work; returns the exit code

Modules are discovered, so adding a subcommand touches only its own module. The top layer: it may
import everything below it (mainly :mod:`qntk_compile.jobs`, where the work is), and nothing
imports it; a subcommand module is argparse plus one call. Every user error
(``ValueError``, ``FileNotFoundError``, ``FileExistsError``, ``CliError``, bad arguments) is printed
as one line on stderr and exits with code 2; no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

EXIT_USAGE = 2


class CliError(Exception):
    """A user-facing error: printed as one line, exit code 2."""


class _OneLineParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise CliError(f"{self.prog}: {message}")


class _DataAccessChoices(Sequence):
    """``choices`` of ``--data-access``: the one list
    ``bloqs.state_preparation.kp_tree.DATA_ACCESS_KINDS``, imported on first use (that module
    imports Qualtran, which ``--help`` and ``analyze`` do not need). Give the argument a
    ``metavar`` so argparse does not list the choices while building the parser."""

    def _kinds(self) -> tuple[str, ...]:
        from bloqs.state_preparation.kp_tree import DATA_ACCESS_KINDS

        return tuple(DATA_ACCESS_KINDS)

    def __getitem__(self, i):
        return self._kinds()[i]

    def __len__(self) -> int:
        return len(self._kinds())

    def __contains__(self, x) -> bool:
        return x in self._kinds()

    def __iter__(self):
        return iter(self._kinds())


def data_access_choices() -> Sequence[str]:
    """The data accesses a loader can use, for argparse ``choices`` (see
    :class:`_DataAccessChoices`)."""
    return _DataAccessChoices()


def _subcommand_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "COMMAND") and hasattr(module, "run"):
            yield module


def build_parser() -> argparse.ArgumentParser:
    from qntk_compile import __version__

    parser = _OneLineParser(
        prog="qntk-compile",
        description="Compile, simulate and cost the quantum NTK algorithm (Zlokapa, Neven, Lloyd).",
    )
    parser.add_argument("--version", action="version", version=f"qntk-compile {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLineParser)
    for module in _subcommand_modules():
        cmd = sub.add_parser(module.COMMAND, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def _fail(message: str) -> int:
    line = " ".join(str(message).split())
    print(f"error: {line}" if not line.startswith("qntk-compile") else line, file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (also usable from tests)."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if getattr(args, "_run", None) is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return int(args._run(args) or 0)
    except (CliError, ValueError, FileNotFoundError, FileExistsError, IsADirectoryError) as exc:
        return _fail(str(exc))
    except MemoryError as exc:
        return _fail(f"out of memory: {exc}")
    except KeyboardInterrupt:
        return _fail("interrupted")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
