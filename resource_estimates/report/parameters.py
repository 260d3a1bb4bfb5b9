"""What a report depends on: :class:`ReportParameters`, the formula symbols and their meanings."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import sympy

from resource_estimates import classical, physical
from resource_estimates.logical import POST_SELECTION_MODES, QRAM_MODELS

SCHEMA = "qntk-compile-report/1"
DATA_ACCESS = ("qrom", "select_swap", "bucket_brigade")
KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
GATE_FIELDS = ("toffoli", "t", "clifford", "rotation", "measurement", "queries")

#: Symbols of the formulas.
SYMBOLS: dict[str, sympy.Symbol] = {
    "n": sympy.Symbol("n", positive=True, integer=True),
    "d": sympy.Symbol("d", positive=True, integer=True),
    "amplitude_bits": sympy.Symbol("b_a", positive=True, integer=True),
    "phase_bits": sympy.Symbol("m", positive=True, integer=True),
    "median_copies": sympy.Symbol("k", positive=True, integer=True),
    "kernel_bits": sympy.Symbol("b_k", positive=True, integer=True),
    "success_probability": sympy.Symbol("p", positive=True),
    "readout_overlap": sympy.Symbol("o", positive=True),
}
SYMBOL_MEANING = {
    "n": "training-set size (padded to a power of two)",
    "d": "feature dimension (padded to a power of two)",
    "b_a": "amplitude_bits: angle bits of the Kerenidis-Prakash loader",
    "m": "phase_bits: amplitude-estimation phase register",
    "k": "median_copies: copies of amplitude estimation for the coherent median",
    "b_k": "kernel_bits: bits of the arccos angle of the kernel value",
    "p": "post-selection success probability P/n (data-dependent)",
    "o": "readout overlap <k*|v> (data-dependent)",
}


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _is_pow2(x: int) -> bool:
    return x >= 1 and x & (x - 1) == 0


@dataclass(frozen=True)
class ReportParameters:
    """Everything a report depends on (besides the data model and the code versions).

    ``n`` and ``d`` are padded sizes (powers of two). ``depth``, ``sparsity``, ``kappa`` and
    ``qlsa_epsilon`` feed the classical baselines (the quantum circuit tabulates the NTK, so the
    depth costs nothing quantum).
    """

    n: int
    d: int
    variant: str = "diagonal"
    data_access: str = "qrom"
    amplitude_bits: int = 8
    phase_bits: int = 6
    median_copies: int = 3
    kernel_bits: int = 8
    post_selection: str = "repeat"
    depth: int = 10
    sparsity: int = 16
    kappa: float = 1.0
    qlsa_epsilon: float = 0.01
    physical: physical.PhysicalAssumptions = field(default_factory=physical.PhysicalAssumptions)
    machine: classical.MachineModel = field(default_factory=classical.MachineModel)
    qram_models: tuple[str, ...] = QRAM_MODELS

    def __post_init__(self):
        _check_int("n", self.n, 2)
        _check_int("d", self.d, 1)
        if not _is_pow2(self.n) or not _is_pow2(self.d):
            raise ValueError(
                f"n and d must be powers of two (padded sizes), got {self.n}, {self.d}"
            )
        for k in ("amplitude_bits", "phase_bits", "kernel_bits"):
            _check_int(k, getattr(self, k), 1)
        _check_int("median_copies", self.median_copies, 1)
        if self.median_copies % 2 == 0:
            raise ValueError(f"median_copies must be odd, got {self.median_copies}")
        _check_int("depth", self.depth, 1)
        _check_int("sparsity", self.sparsity, 1)
        if self.data_access not in DATA_ACCESS:
            raise ValueError(f"unknown data access {self.data_access!r}; choose from {DATA_ACCESS}")
        if self.post_selection not in POST_SELECTION_MODES:
            raise ValueError(
                f"unknown post-selection {self.post_selection!r}; "
                f"choose from {POST_SELECTION_MODES}"
            )
        if (
            not (isinstance(self.kappa, (int, float)) and math.isfinite(self.kappa))
            or self.kappa < 1
        ):
            raise ValueError(f"kappa must be >= 1, got {self.kappa!r}")
        if not 0 < self.qlsa_epsilon < 1:
            raise ValueError(f"qlsa_epsilon must be in (0, 1), got {self.qlsa_epsilon!r}")
        if not self.qram_models or any(m not in QRAM_MODELS for m in self.qram_models):
            raise ValueError(f"qram models must be a non-empty subset of {QRAM_MODELS}")

    def sizes(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "d": self.d,
            "amplitude_bits": self.amplitude_bits,
            "phase_bits": self.phase_bits,
            "median_copies": self.median_copies,
            "kernel_bits": self.kernel_bits,
            "data_access": self.data_access,
        }

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["physical"] = self.physical.as_dict()
        out["machine"] = self.machine.as_dict()
        out["qram_models"] = list(self.qram_models)
        return out
