"""Data-dependent quantities of the job: measured on a data set, given, or extrapolated.

Three numbers of Algorithm 1 depend on the data, not on the circuit (and a fourth on the data of
the sparsified variant):

* the post-selection success probability p = P/n (Algorithm 1 step 4; P = Σ k_i²), whose inverse
  n/P is the paper's post-selection measurement count;
* the readout overlap ⟨k*|v⟩ (steps 11 and 19), whose inverse square is the shot count;
* the separability δ (which sets the depth L_conv = 8 ln(n/δ)/μ and k_max);
* optionally the condition number κ of the sparsified kernel matrix K̃ (Suppl. Fig. S3a; the
  QLSA of the sparsified variant and the CG baseline scale with it), when it was measured
  (``analyze`` rows carry ``kappa_sparsified``) or given; and the condition number the QLSA sees,
  κ_eff = α/λ_min(K̃) of the weighted block encoding (rows carry ``kappa_eff``), with the
  encoding's normalisation α/K̃₁₁ (``alpha_over_k11``), both extrapolated like κ.

Each is a :class:`DataQuantity` marked ``"measured"`` (from ``qntk-compile analyze`` on a data set
at that n), ``"extrapolated"`` (a fit to the measured sizes evaluated at a larger n), or ``"user"``
(given in a params file or on the command line).

Extrapolation laws: δ(n) = a1·n^(−a2), the power law of the paper (Suppl. Sec. IV, Fig. S1); the
counts n/P and 1/⟨k*|v⟩² (and κ) by the power law c·n^α fitted in log-log space, which is the
conservative choice: the paper reports them as O(log n) (Fig. 1), and the log-law fit
a + b·ln n is recorded beside every extrapolated value for comparison. Extrapolated counts and κ
are clamped to ≥ 1 (probabilities ≤ 1), and this is said in the detail.

Bands: every extrapolated quantity carries a 95 % band (``low``, ``high``) from a residual
bootstrap of its fit (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993, §9.5): the
fitted law plus resampled residuals of the measured points, refitted
:data:`BAND_REPLICATES` times with a fixed seed (deterministic), evaluated at n; the 2.5 and 97.5
percentiles, clamped like the value. A quantity measured at n, or given by the user, has no band.
:meth:`DataModel.at_band_end` gives the model whose values are one end of every band
(``"favourable"``: higher P/n and |⟨k*|v⟩|, larger δ, smaller κ; ``"unfavourable"``: the other end),
which the report uses to show what its job cost, error budget and crossover become.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "BAND_ENDS",
    "BAND_REPLICATES",
    "DataQuantity",
    "DataModel",
    "STATUSES",
    "fit_power",
    "fit_log",
]

STATUSES = ("measured", "extrapolated", "user")
#: Residual-bootstrap replicates of a band (seed 0).
BAND_REPLICATES = 1000
#: The two ends of the bands, for :meth:`DataModel.at_band_end`.
BAND_ENDS = ("favourable", "unfavourable")
#: Which end of each quantity's band makes the job cheaper (True: the high end).
_HIGH_IS_FAVOURABLE = {
    "success_probability": True,
    "readout_overlap": True,
    "delta": True,
    "kappa": False,
    "kappa_eff": False,
    "alpha_over_k11": False,
}


@dataclass(frozen=True)
class DataQuantity:
    """A data-dependent number with its provenance."""

    value: float
    status: str
    detail: str = ""
    low: float | None = None
    high: float | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if not math.isfinite(self.value):
            raise ValueError(f"data quantity must be finite, got {self.value!r}")
        if (self.low is None) != (self.high is None):
            raise ValueError("a band needs both low and high")

    def as_dict(self) -> dict[str, Any]:
        out = {"value": self.value, "status": self.status, "detail": self.detail}
        if self.low is not None:
            out["band"] = {"low": self.low, "high": self.high, "method": "residual bootstrap 95%"}
        return out


def fit_power(ns: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least squares of log y = log c + α log n; returns (c, α)."""
    lx, ly = np.log(np.asarray(ns, float)), np.log(np.asarray(ys, float))
    alpha, logc = np.polyfit(lx, ly, 1)
    return float(math.exp(logc)), float(alpha)


def fit_log(ns: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least squares of y = a + b ln n; returns (a, b)."""
    b, a = np.polyfit(np.log(np.asarray(ns, float)), np.asarray(ys, float), 1)
    return float(a), float(b)


def _check_rows(ns, ys, name):
    ns = [float(v) for v in ns]
    ys = [float(v) for v in ys]
    if len(ns) != len(ys) or len(ns) < 1:
        raise ValueError(f"{name}: need measured values")
    if any(not (math.isfinite(v) and v > 0) for v in ns + ys):
        raise ValueError(f"{name}: measured values must be positive and finite")
    return ns, ys


@dataclass(frozen=True)
class _Series:
    """Measured values of one quantity at several n (a count ≥ 1 or δ ∈ (0, 1])."""

    name: str
    ns: tuple[float, ...]
    ys: tuple[float, ...]

    def band(self, n: int, minimum: float | None, maximum: float | None) -> tuple[float, float]:
        """95 % residual-bootstrap band of the power-law fit at n (clamped like the value)."""
        lx, ly = np.log(np.asarray(self.ns)), np.log(np.asarray(self.ys))
        alpha, logc = np.polyfit(lx, ly, 1)
        fitted = logc + alpha * lx
        resid = ly - fitted
        rng = np.random.default_rng(0)
        idx = rng.integers(0, len(resid), size=(BAND_REPLICATES, len(resid)))
        ys = fitted[None, :] + resid[idx]
        A = np.vstack([lx, np.ones_like(lx)])
        coef = np.linalg.lstsq(A.T, ys.T, rcond=None)[0]  # (2, B)
        vals = np.exp(coef[1] + coef[0] * math.log(n))
        lo, hi = (float(v) for v in np.percentile(vals, [2.5, 97.5]))
        if minimum is not None:
            lo, hi = max(lo, minimum), max(hi, minimum)
        if maximum is not None:
            lo, hi = min(lo, maximum), min(hi, maximum)
        return lo, hi

    def at(self, n: int, minimum: float | None, maximum: float | None) -> tuple[float, str, str]:
        if float(n) in self.ns:
            return self.ys[self.ns.index(float(n))], "measured", f"measured at n={n}"
        if len(set(self.ns)) < 2:
            raise ValueError(f"{self.name}: measured at one size only, cannot extrapolate to n={n}")
        c, alpha = fit_power(self.ns, self.ys)
        value = c * float(n) ** alpha
        detail = f"power law {c:.4g}*n^{alpha:.4f} fitted to n={_fmt_ns(self.ns)}"
        if self.name != "delta":
            a, b = fit_log(self.ns, self.ys)
            detail += f"; log law {a:.4g}+{b:.4g}*ln(n) would give {a + b * math.log(n):.4g}"
        if minimum is not None and value < minimum:
            value, detail = minimum, detail + f"; clamped to {minimum}"
        if maximum is not None and value > maximum:
            value, detail = maximum, detail + f"; clamped to {maximum}"
        return value, "extrapolated", detail


def _finite_kappa(x: Any) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x >= 1


def _fmt_ns(ns) -> str:
    return ",".join(str(int(v)) for v in ns)


#: (DataModel key, analyze row key, name) of the optional quantities ≥ 1 of the sparsified K̃.
_KAPPA_SERIES = (
    ("kappa", "kappa_sparsified", "kappa"),
    ("kappa_eff", "kappa_eff", "kappa_eff"),
    ("alpha_over_k11", "alpha_over_k11", "alpha/K~_11"),
)
_KAPPA_MEANING = {
    "kappa": "sparsified kernel matrix",
    "kappa_eff": "alpha/lambda_min(K~), weighted block encoding",
    "alpha_over_k11": "weighted block encoding normalisation / K~_11",
}


@dataclass(frozen=True)
class DataModel:
    """Source of the data-dependent quantities at any n.

    Build with :meth:`from_values` (user numbers, same at every n) or :meth:`from_rows` (rows of
    ``qntk-compile analyze``: ``n_padded``, ``delta``, ``post_selection_count_median``,
    ``readout_count_diagonal_median``, ``readout_count_sparsified_median``).
    """

    source: str
    values: Mapping[str, float] | None = None
    series: Mapping[str, _Series] | None = None
    band_end: str | None = None

    def at_band_end(self, end: str) -> DataModel:
        """This model with every banded quantity at one end of its band (``"favourable"`` or
        ``"unfavourable"``; see the module docstring). Unbanded quantities are unchanged."""
        if end not in BAND_ENDS:
            raise ValueError(f"band end must be one of {BAND_ENDS}, got {end!r}")
        return dataclasses.replace(self, band_end=end)

    @classmethod
    def from_values(
        cls,
        success_probability: float,
        readout_overlap: float,
        delta: float,
        kappa: float | None = None,
        kappa_eff: float | None = None,
        e_max: float | None = None,
    ) -> DataModel:
        """User numbers (the same at every n). ``e_max`` = max_{i≠j} |K̃_ij|/K̃₁₁ of the sparsified
        kernel matrix, in [0, 1): the sparsified report then costs its QLSA at the Gershgorin
        bound κ_eff ≤ (1+γ)/(1−γ), γ = (s−1)·e_max, when no κ_eff is given."""
        if not 0 < success_probability <= 1:
            raise ValueError(f"success_probability must be in (0, 1], got {success_probability!r}")
        if not 0 < abs(readout_overlap) <= 1:
            raise ValueError(
                f"readout_overlap must be in [-1, 1], nonzero, got {readout_overlap!r}"
            )
        if not 0 < delta <= 1:
            raise ValueError(f"delta must be in (0, 1], got {delta!r}")
        values = {
            "success_probability": float(success_probability),
            "readout_overlap": float(readout_overlap),
            "delta": float(delta),
        }
        if kappa is not None:
            if not (math.isfinite(kappa) and kappa >= 1):
                raise ValueError(f"kappa must be >= 1 and finite, got {kappa!r}")
            values["kappa"] = float(kappa)
        if kappa_eff is not None:
            if not (math.isfinite(kappa_eff) and kappa_eff >= max(1.0, kappa or 1.0)):
                raise ValueError(
                    f"kappa_eff must be finite and >= max(1, kappa), got {kappa_eff!r}"
                )
            values["kappa_eff"] = float(kappa_eff)
        if e_max is not None:
            if not (math.isfinite(e_max) and 0 <= e_max < 1):
                raise ValueError(f"e_max must be in [0, 1), got {e_max!r}")
            values["e_max"] = float(e_max)
        return cls(source="user", values=values)

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]], source: str, readout: str = "diagonal"):
        """From ``analyze`` rows; ``readout`` is ``"diagonal"`` or ``"sparsified"``."""
        key = f"readout_count_{readout}_median"
        usable = [r for r in rows if r.get("post_selection_count_median") and r.get(key)]
        if not usable:
            raise ValueError(f"{source}: no measured post-selection/readout counts (test points?)")
        ns = [r["n_padded"] for r in usable]
        series = {
            "post_selection_count": _Series(
                "post-selection count",
                *_check_rows(ns, [r["post_selection_count_median"] for r in usable], "n/P"),
            ),
            "readout_count": _Series(
                "readout count", *_check_rows(ns, [r[key] for r in usable], "1/<k*|v>^2")
            ),
            "delta": _Series("delta", *_check_rows(ns, [r["delta"] for r in usable], "delta")),
        }
        for key, row_key, name in _KAPPA_SERIES:
            known = [r for r in usable if _finite_kappa(r.get(row_key))]
            if known and len(known) == len(usable):  # at every measured size
                series[key] = _Series(
                    name,
                    *_check_rows([r["n_padded"] for r in known], [r[row_key] for r in known], name),
                )
        series = {k: _Series(v.name, tuple(v.ns), tuple(v.ys)) for k, v in series.items()}
        return cls(source=source, series=series)

    def at(self, n: int) -> dict[str, DataQuantity]:
        """``success_probability``, ``readout_overlap``, ``delta`` (and ``kappa``, ``kappa_eff``,
        ``alpha_over_k11`` when known) at n."""
        if self.values is not None:
            return {
                k: DataQuantity(v, "user", f"given ({self.source})") for k, v in self.values.items()
            }
        assert self.series is not None

        def band(key, status, minimum, maximum):
            if status != "extrapolated":
                return None, None
            return self.series[key].band(n, minimum, maximum)

        post, s1, d1 = self.series["post_selection_count"].at(n, 1.0, None)
        read, s2, d2 = self.series["readout_count"].at(n, 1.0, None)
        delta, s3, d3 = self.series["delta"].at(n, None, 1.0)
        src = f" ({self.source}; n/P = {post:.6g})"
        p_lo, p_hi = band("post_selection_count", s1, 1.0, None)
        r_lo, r_hi = band("readout_count", s2, 1.0, None)
        out = {
            "success_probability": DataQuantity(
                1.0 / post,
                s1,
                d1 + src,
                None if p_hi is None else 1.0 / p_hi,
                None if p_lo is None else 1.0 / p_lo,
            ),
            "readout_overlap": DataQuantity(
                1.0 / math.sqrt(read),
                s2,
                d2 + f" ({self.source}; 1/<k*|v>^2 = {read:.6g})",
                None if r_hi is None else 1.0 / math.sqrt(r_hi),
                None if r_lo is None else 1.0 / math.sqrt(r_lo),
            ),
            "delta": DataQuantity(
                delta, s3, d3 + f" ({self.source})", *band("delta", s3, None, 1.0)
            ),
        }
        for key, _, _ in _KAPPA_SERIES:
            if key in self.series:
                value, status, detail = self.series[key].at(n, 1.0, None)
                out[key] = DataQuantity(
                    value,
                    status,
                    detail + f" ({self.source}; {_KAPPA_MEANING[key]})",
                    *band(key, status, 1.0, None),
                )
        if self.band_end is not None:
            out = {k: _at_end(k, q, self.band_end) for k, q in out.items()}
        return out


def _at_end(key: str, q: DataQuantity, end: str) -> DataQuantity:
    """``q`` moved to one end of its band (unchanged without a band)."""
    if q.low is None:
        return q
    high = _HIGH_IS_FAVOURABLE.get(key, True) == (end == "favourable")
    value = q.high if high else q.low
    return DataQuantity(value, q.status, q.detail + f"; {end} end of its band", q.low, q.high)
