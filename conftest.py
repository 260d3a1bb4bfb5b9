"""Root pytest configuration.

* Qualtran's ``bloq_autotester`` fixture is made available to our tests.
* ``tests/benchmarks`` is excluded from the default run; pass ``--benchmarks`` to run it:
  ``python -m pytest tests/benchmarks --benchmarks``.
"""

from pathlib import Path

pytest_plugins = ["qualtran.conftest"]

_BENCHMARKS = Path(__file__).parent / "tests" / "benchmarks"


def pytest_addoption(parser):
    parser.addoption(
        "--benchmarks",
        action="store_true",
        default=False,
        help="also collect tests/benchmarks (pytest-benchmark timings, not run by default)",
    )


def pytest_ignore_collect(collection_path, config):
    if config.getoption("--benchmarks"):
        return None
    path = Path(collection_path)
    if path == _BENCHMARKS or _BENCHMARKS in path.parents:
        return True
    return None
