"""Classical (offline) QSVT phase factors for a real odd polynomial, and their response.

Phases are found in the symmetric Wx convention of Dong, Meng, Whaley & Lin (arXiv:2002.11649,
2021, Sec. 2-4: Newton's method on the (d+1)/2 free symmetric phases, residual at the positive
Chebyshev nodes, initial guess (π/4, 0, ..., 0, π/4)), then converted to the reflection
(projector-phase) convention that the `QSVT` bloq implements (Gilyén, Su, Low & Wiebe,
arXiv:1806.01838, 2019, Thm 17 / Cor 8):

    M_R(x) = e^{iψ_1 Z} R(x) e^{iψ_2 Z} R(x) ... e^{iψ_d Z} R(x),
    R(x) = [[x, √(1-x²)], [√(1-x²), -x]],   Re⟨0|M_R(x)|0⟩ = p(x).

With R(x) = -i e^{iπ/4 Z} W(x) e^{iπ/4 Z} and W(x) = e^{i arccos(x) X}, Wx phases φ_0..φ_d give
ψ_1 = φ_0 + φ_d + (d-1)π/2 and ψ_{j+1} = φ_j - π/2 (j = 1..d-1) with ⟨0|M_R|0⟩ = ⟨0|M_W|0⟩.
"""

import numpy as np
from numpy.polynomial import chebyshev as C


def _wx_response(phases: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """⟨0|e^{iφ_0 Z} W(x) e^{iφ_1 Z} ... W(x) e^{iφ_d Z}|0⟩ for each x (complex)."""
    xs = np.asarray(xs, dtype=float)
    s = np.sqrt(np.clip(1 - xs**2, 0, None))
    # row vector ⟨0| evolved left to right: v ← v · e^{iφZ} · W
    v0 = np.exp(1j * phases[0]) * np.ones_like(xs, dtype=complex)
    v1 = np.zeros_like(v0)
    for phi in phases[1:]:
        v0, v1 = v0 * xs + v1 * 1j * s, v0 * 1j * s + v1 * xs
        v0, v1 = v0 * np.exp(1j * phi), v1 * np.exp(-1j * phi)
    return v0


def reflection_response(phases, xs) -> np.ndarray:
    """⟨0|M_R(x)|0⟩ (complex) for reflection-convention phases ψ_1..ψ_d (ψ_d applied first)."""
    phases = np.asarray(phases, dtype=float)
    xs = np.asarray(xs, dtype=float)
    s = np.sqrt(np.clip(1 - xs**2, 0, None))
    # column vector R|0⟩ first, then e^{iψ_d Z}, R, ..., e^{iψ_1 Z}
    c0, c1 = xs.astype(complex), s.astype(complex)
    for k, psi in enumerate(phases[::-1]):
        c0, c1 = c0 * np.exp(1j * psi), c1 * np.exp(-1j * psi)
        if k < len(phases) - 1:
            c0, c1 = xs * c0 + s * c1, s * c0 - xs * c1
    return c0


def _full_symmetric(half: np.ndarray, degree: int) -> np.ndarray:
    return (
        np.concatenate([half, half[::-1]]) if degree % 2 else np.concatenate([half, half[-2::-1]])
    )


def symmetric_wx_phases(
    chebyshev_coefficients, tol: float = 1e-12, max_iterations: int = 100
) -> np.ndarray:
    """Wx phases φ_0..φ_d with Re⟨0|M_W(x)|0⟩ = Σ_k c_k T_k(x), by Newton's method.

    `chebyshev_coefficients` c_0..c_d must have definite parity (odd here) and sup norm < 1 on
    [-1, 1]. Raises `ValueError` if Newton does not converge to `tol` (residual at the nodes).
    """
    c = np.asarray(chebyshev_coefficients, dtype=float)
    degree = len(c) - 1
    if degree < 1 or degree % 2 == 0 or np.any(c[0::2] != 0):
        raise ValueError("the polynomial must be odd with degree >= 1 (even coefficients zero)")
    n_free = (degree + 1) // 2
    nodes = np.cos((2 * np.arange(1, n_free + 1) - 1) * np.pi / (4 * n_free))
    target = C.chebval(nodes, c)
    half = np.zeros(n_free)
    half[0] = np.pi / 4

    def residual(h):
        return _wx_response(_full_symmetric(h, degree), nodes).real - target

    r = residual(half)
    for _ in range(max_iterations):
        if np.max(np.abs(r)) < tol:
            return _full_symmetric(half, degree)
        step = 1e-7
        jac = np.empty((n_free, n_free))
        for k in range(n_free):
            e = np.zeros(n_free)
            e[k] = step
            jac[:, k] = (residual(half + e) - residual(half - e)) / (2 * step)
        half = half - np.linalg.solve(jac, r)
        r = residual(half)
    if np.max(np.abs(r)) < 10 * tol:
        return _full_symmetric(half, degree)
    raise ValueError(f"QSP phase finding did not converge (residual {np.max(np.abs(r)):.2e})")


def reflection_phases_from_wx(wx_phases) -> np.ndarray:
    """Convert Wx phases φ_0..φ_d to reflection-convention phases ψ_1..ψ_d (same ⟨0|·|0⟩)."""
    phi = np.asarray(wx_phases, dtype=float)
    d = len(phi) - 1
    psi = np.empty(d)
    psi[0] = phi[0] + phi[d] + (d - 1) * np.pi / 2
    psi[1:] = phi[1:d] - np.pi / 2
    return np.mod(psi + np.pi, 2 * np.pi) - np.pi


def qsvt_phases(chebyshev_coefficients, tol: float = 1e-12) -> tuple[float, ...]:
    """Reflection-convention QSVT phases ψ_1..ψ_d for the odd real polynomial Σ c_k T_k."""
    psi = reflection_phases_from_wx(symmetric_wx_phases(chebyshev_coefficients, tol=tol))
    return tuple(float(p) for p in psi)


def qsvt_matrix_function(phases, block) -> np.ndarray:
    """The block the `QSVT` bloq implements: Σ_σ Re P(σ)|w_σ⟩⟨v_σ| for block = Σ σ|w_σ⟩⟨v_σ|.

    P is the reflection-convention response (`reflection_response`) and the SVD is of `block`
    (= A/α); for Hermitian A and odd P this is Re P(A/α).
    """
    w, sigma, vh = np.linalg.svd(np.asarray(block, dtype=complex))
    return (w * reflection_response(phases, np.clip(sigma, 0, 1)).real) @ vh
