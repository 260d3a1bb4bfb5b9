"""Feature projection for small simulations: centred PCA onto the top-K principal directions.

A simulated circuit's loaders are ``log2 d`` levels deep; 64-feature data make it far too deep to
simulate, so ``qntk-compile simulate`` projects rows and test point onto a few principal
directions of the training rows (classical preprocessing) unless told not to.
"""

from __future__ import annotations

import numpy as np

__all__ = ["AUTO_FEATURES", "AUTO_MAX_FEATURES", "choose_features", "project_features"]

#: ``features="auto"``: data with more than AUTO_MAX_FEATURES features are projected to
#: AUTO_FEATURES principal directions.
AUTO_MAX_FEATURES = 4
AUTO_FEATURES = 2


def choose_features(setting: int | str, d: int) -> int | None:
    """The number of principal directions for ``setting`` (an integer, ``"auto"`` or
    ``"none"``) and ``d`` features; ``None`` means no projection."""
    if setting == "auto":
        return AUTO_FEATURES if d > AUTO_MAX_FEATURES else None
    if setting == "none":
        return None
    return int(setting)


def project_features(X: np.ndarray, x_test: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Centred PCA: subtract the training mean and project rows and test point onto the top-``k``
    principal directions of the training rows. ``k`` may not exceed ``min(n, d)``."""
    n, d = X.shape
    if k > min(n, d):
        raise ValueError(f"--features {k}: at most min(n, d) = {min(n, d)}")
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    basis = vt[:k].T
    return (X - mean) @ basis, (x_test - mean) @ basis
