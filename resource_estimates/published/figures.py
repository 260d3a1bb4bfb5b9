"""Published resource figures for the primitives of the QNTK algorithm (docs/published_figures.md).

Each function returns the figure *as published*, with its source in the docstring, so that reports
and tests can print our compiled counts beside them. All functions accept ``SymbolicInt`` /
``SymbolicFloat`` arguments (Python numbers or sympy expressions) and never enumerate their sizes.

Sources:

* Babbush, Gidney, Berry, Wiebe, McClean, Paler, Fowler, Neven, *Encoding Electronic Spectra in
  Quantum Circuits with Linear T Complexity*, PRX 8, 041015 (2018),
  [arXiv:1805.03662](https://arxiv.org/abs/1805.03662), Sec. III.A (unary iteration).
* Berry, Gidney, Motta, McClean, Babbush, *Qubitization of Arbitrary Basis Quantum Chemistry
  Leveraging Sparsity and Low Rank Factorization*, Quantum 3, 208 (2019),
  [arXiv:1902.02134](https://arxiv.org/abs/1902.02134), Appendix A (QROAM, clean ancilla).
* Di Matteo, Gheorghiu, Mosca, *Fault-Tolerant Resource Estimation of Quantum Random-Access
  Memories*, IEEE Trans. Quantum Eng. 1, 4500213 (2020),
  [arXiv:1902.01329](https://arxiv.org/abs/1902.01329) (bucket-brigade QRAM in Clifford+T).
* Brassard, Høyer, Mosca, Tapp, *Quantum Amplitude Amplification and Estimation* (2000),
  [quant-ph/0005055](https://arxiv.org/abs/quant-ph/0005055), Theorem 12.
* Gidney, *Halving the cost of quantum addition*, Quantum 2, 74 (2018),
  [arXiv:1709.06648](https://arxiv.org/abs/1709.06648) (phase-gradient rotations, b − 2 Toffolis).
* Ross, Selinger, *Optimal ancilla-free Clifford+T approximation of z-rotations* (2016),
  [arXiv:1403.2975](https://arxiv.org/abs/1403.2975) (≈ 3·log2(1/ε) T per rotation).
* Costa, An, Sanders, Su, Babbush, Berry, *Optimal scaling quantum linear systems solver via
  discrete adiabatic theorem*, PRX Quantum 3, 040303 (2022),
  [arXiv:2111.08152](https://arxiv.org/abs/2111.08152).
* Dalzell, *A shortcut to an optimal quantum linear system solver* (2024),
  [arXiv:2406.12086](https://arxiv.org/abs/2406.12086).
* Gidney, Fowler, *Efficient magic state factories with a catalyzed |CCZ> -> 2|T> transformation*,
  Quantum 3, 135 (2019), [arXiv:1812.01238](https://arxiv.org/abs/1812.01238); the spreadsheet
  case reproduced by Qualtran's
  ``qualtran/surface_code/gidney_fowler_model_test.py::test_vs_spreadsheet``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from qualtran.symbolics import SymbolicFloat, SymbolicInt, ceil, is_symbolic, ln, log2, pi, ssqrt

__all__ = [
    "PublishedFigure",
    "qrom_unary_iteration_toffolis",
    "qroam_clean_toffolis",
    "qroam_clean_optimal_block_size",
    "bucket_brigade_di_matteo",
    "BucketBrigadeFigures",
    "amplitude_estimation_error_bound",
    "amplitude_estimation_success_probability",
    "phase_gradient_rotation_toffolis",
    "ross_selinger_t_count",
    "qlsa_costa_queries",
    "COSTA_CONSTANT_BOUND",
    "qlsa_dalzell_queries",
    "GIDNEY_FOWLER_REGRESSION_CASE",
    "CITATIONS",
]

#: Short citation strings by key; reports quote these.
CITATIONS: dict[str, str] = {
    "qrom": "Babbush et al. 2018, arXiv:1805.03662 (unary iteration)",
    "qroam_clean": "Berry et al. 2019, arXiv:1902.02134 (QROAM, clean ancilla)",
    "bucket_brigade": "Di Matteo, Gheorghiu, Mosca 2020, arXiv:1902.01329",
    "amplitude_estimation": "Brassard, Hoyer, Mosca, Tapp 2000, quant-ph/0005055, Theorem 12",
    "phase_gradient": "Gidney 2018, arXiv:1709.06648 (phase-gradient addition)",
    "ross_selinger": "Ross, Selinger 2016, arXiv:1403.2975",
    "qlsa_costa": "Costa et al. 2022, arXiv:2111.08152 (discrete adiabatic QLSA)",
    "qlsa_dalzell": "Dalzell 2024, arXiv:2406.12086",
    "gidney_fowler": "Gidney, Fowler 2019, arXiv:1812.01238; Qualtran test_vs_spreadsheet",
    "beverland": "Beverland et al. 2022, arXiv:2211.07629",
}


@dataclass(frozen=True)
class PublishedFigure:
    """A published number with its source, for side-by-side printing."""

    quantity: str
    value: object
    source: str


def qrom_unary_iteration_toffolis(n_items: SymbolicInt, num_controls: int = 0) -> SymbolicInt:
    """Toffoli count of a QROM read of ``n_items`` entries by unary iteration.

    Babbush et al. 2018 (arXiv:1805.03662, Sec. III.A and Fig. 7): iterating over L items costs
    L − 1 Toffolis with one control qubit (4L − 4 T gates), and L − 2 without a control (the first
    And of the iteration is removed). The data-writing CNOTs are Clifford and cost no Toffolis.

    Args:
        n_items: N, the number of items (any ``SymbolicInt``, N ≥ 2).
        num_controls: 0 or 1.

    Returns:
        N − 2 (no control) or N − 1 (one control).

    The figure of Qualtran's ``QROM`` and of ``bloqs.qram.one_hot_decoder.OneHotDecoderQRAM``
    (the same iteration tree evaluated breadth-first); it is not a bucket-brigade figure.
    """
    if num_controls not in (0, 1):
        raise ValueError(f"num_controls must be 0 or 1, got {num_controls!r}")
    return n_items - 2 + num_controls


def qroam_clean_toffolis(n_items: SymbolicInt, bitsize: SymbolicInt, block_size: SymbolicInt):
    """Toffoli count of a clean-ancilla QROAM (select-swap) read.

    Berry et al. 2019 (arXiv:1902.02134, Appendix A, Eq. A3 and Fig. 11): ⌈N/K⌉ + b(K − 1)
    Toffolis for N items of b bits with K = 2^k parallel copies (the unary iteration over ⌈N/K⌉
    blocks plus the controlled swaps of the swap network), using b·K qubits.

    Args:
        n_items: N.
        bitsize: b, bits per item.
        block_size: K, number of items read in parallel (a power of two in practice).
    """
    return ceil(n_items / block_size) + bitsize * (block_size - 1)


def qroam_clean_optimal_block_size(n_items: SymbolicInt, bitsize: SymbolicInt) -> SymbolicFloat:
    """The K minimising ⌈N/K⌉ + b(K − 1) when the ceiling is ignored: K* = √(N/b).

    Berry et al. 2019 (arXiv:1902.02134, Appendix A); the cost at K* is ≈ 2√(N·b).
    """
    return ssqrt(n_items / bitsize)


@dataclass(frozen=True)
class BucketBrigadeFigures:
    """Clifford+T figures of a bucket-brigade QRAM (Di Matteo, Gheorghiu, Mosca 2020).

    Attributes:
        t_count: 21N − 28 (both layouts).
        t_depth_serial: 3N − 4 with n + 2N + 5 qubits.
        qubits_serial: n + 2N + 5.
        t_depth_parallel: 2n − 1 with 8N qubits (the T-depth-optimised layout).
        qubits_parallel: 8N.
    """

    t_count: SymbolicInt
    t_depth_serial: SymbolicInt
    qubits_serial: SymbolicInt
    t_depth_parallel: SymbolicInt
    qubits_parallel: SymbolicInt


def bucket_brigade_di_matteo(address_bits: SymbolicInt) -> BucketBrigadeFigures:
    """Published Clifford+T cost of one bucket-brigade QRAM query over N = 2^n cells.

    Di Matteo, Gheorghiu, Mosca 2020 (arXiv:1902.01329, Sec. IV, Table I): T-count 21N − 28,
    T-depth 3N − 4 using n + 2N + 5 qubits in the serial (low-width) layout; T-depth 2n − 1 using
    8N qubits in the parallel layout. Here n is the number of address bits and N = 2^n.

    A router architecture (address bits stored in routers, routing by controlled swaps, a bus):
    the figure to set beside ``bloqs.qram.bucket_brigade.BucketBrigadeQRAM``, not beside a
    decoder or a QROM (those are compared with :func:`qrom_unary_iteration_toffolis`).

    Args:
        address_bits: n = log2 N (≥ 1).
    """
    if not is_symbolic(address_bits) and address_bits < 1:
        raise ValueError(f"address_bits must be >= 1, got {address_bits!r}")
    big_n = 2**address_bits
    return BucketBrigadeFigures(
        t_count=21 * big_n - 28,
        t_depth_serial=3 * big_n - 4,
        qubits_serial=address_bits + 2 * big_n + 5,
        t_depth_parallel=2 * address_bits - 1,
        qubits_parallel=8 * big_n,
    )


def amplitude_estimation_error_bound(
    p: SymbolicFloat, evaluations: SymbolicInt, k: SymbolicInt = 1
) -> SymbolicFloat:
    """Additive error bound of canonical amplitude estimation.

    Brassard, Høyer, Mosca, Tapp (quant-ph/0005055, Theorem 12): with M evaluations of the Grover
    iterate (M = 2^m for an m-bit phase register), the estimate p̃ of p = sin²(πθ) satisfies

        |p̃ − p| ≤ 2πk·√(p(1 − p))/M + k²π²/M²

    with probability ≥ 8/π² for k = 1 and ≥ 1 − 1/(2(k − 1)) for k ≥ 2.

    Args:
        p: the probability being estimated, in [0, 1].
        evaluations: M.
        k: the multiple of the error bound (≥ 1).
    """
    if not is_symbolic(p) and not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p!r}")
    return 2 * pi(p) * k * ssqrt(p * (1 - p)) / evaluations + k**2 * pi(p) ** 2 / evaluations**2


def amplitude_estimation_success_probability(k: SymbolicInt = 1) -> SymbolicFloat:
    """Success probability of the bound of Theorem 12 (quant-ph/0005055): 8/π² for k = 1,
    1 − 1/(2(k − 1)) for k ≥ 2."""
    if is_symbolic(k):
        return sympy.Piecewise((8 / sympy.pi**2, sympy.Eq(k, 1)), (1 - 1 / (2 * (k - 1)), True))
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k!r}")
    if k == 1:
        return 8 / pi(k) ** 2
    return 1 - 1 / (2 * (k - 1))


def phase_gradient_rotation_toffolis(bits: SymbolicInt) -> SymbolicInt:
    """Toffolis of a Z rotation by a b-bit angle via addition into a phase-gradient register.

    Gidney 2018 (arXiv:1709.06648) addition, as used by Qualtran's ``AddIntoPhaseGrad``: b − 2
    Toffolis for a b-bit angle (the two least significant bits need none), given a reusable
    b-qubit phase-gradient state.
    """
    return bits - 2


def ross_selinger_t_count(epsilon: SymbolicFloat) -> SymbolicFloat:
    """T gates to synthesise one arbitrary Z rotation to precision ε (Ross–Selinger).

    Ross, Selinger 2016 (arXiv:1403.2975): 3·log2(1/ε) + O(log log(1/ε)) T gates; the leading
    term ≈ 3·log2(1/ε) is returned.
    """
    if not is_symbolic(epsilon) and not 0 < epsilon < 1:
        raise ValueError(f"epsilon must be in (0, 1), got {epsilon!r}")
    return 3 * log2(1 / epsilon)


#: Upper bound on the constant C of the discrete-adiabatic QLSA (Costa et al. 2022).
COSTA_CONSTANT_BOUND = 58_617


def qlsa_costa_queries(
    kappa: SymbolicFloat, epsilon: SymbolicFloat, constant: SymbolicFloat = COSTA_CONSTANT_BOUND
) -> SymbolicFloat:
    """Block-encoding queries of the discrete-adiabatic QLSA: κ·(C + ln(2/ε)), C ≤ 58,617.

    Costa et al. 2022 (arXiv:2111.08152), the bound on the number of walk steps with the
    filtering stage; C = 58,617 is their (loose) upper bound on the constant.
    """
    return kappa * (constant + ln(2 / epsilon))


def qlsa_dalzell_queries(kappa: SymbolicFloat, epsilon: SymbolicFloat) -> SymbolicFloat:
    """Block-encoding queries of Dalzell's QLSA: ≈ 56κ + 1.05·κ·ln(1/ε).

    Dalzell 2024 (arXiv:2406.12086), the leading-order query count of the shortcut solver.
    """
    if is_symbolic(kappa, epsilon):
        return 56 * kappa + sympy.Rational(105, 100) * kappa * ln(1 / epsilon)
    return 56 * kappa + 1.05 * kappa * ln(1 / epsilon)


#: Qualtran's Gidney–Fowler regression ("spreadsheet") case: inputs and published outputs.
GIDNEY_FOWLER_REGRESSION_CASE: dict[str, object] = {
    "inputs": {
        "t_count": 10**8,
        "toffoli_count": 10**8,
        "n_algo_qubits": 100,
        "error_budget": 0.01,
        "physical_error_rate": 1e-3,
        "cycle_time_us": 1.0,
    },
    "physical_qubits": 400_204,
    "duration_hours": 7.53,
    "failure_probability": 0.0084,
    "source": CITATIONS["gidney_fowler"],
}
