"""Tests of qntk_compile.data.datasets: determinism, splits, file formats, bad files."""

import gzip
import pickle
import struct

import numpy as np
import pytest

from qntk_compile.data import datasets
from qntk_compile.data.datasets import load, load_file, read_idx, sphere


def test_sphere_uniform_and_deterministic():
    a = sphere(200, d=10, seed=3, n_test=20)
    b = sphere(200, d=10, seed=3, n_test=20)
    c = sphere(200, d=10, seed=4, n_test=20)
    assert np.array_equal(a.X_pool, b.X_pool) and not np.array_equal(a.X_pool, c.X_pool)
    assert a.X_pool.shape == (200, 10) and a.X_test.shape == (20, 10)
    np.testing.assert_allclose(np.linalg.norm(a.X_pool, axis=1), 1)
    assert np.all(a.y_pool == np.where(a.X_pool[:, 0] >= 0, 1, -1))
    # uniform on the sphere: mean ≈ 0, second moment ≈ I/d
    big = sphere(20000, d=10, seed=0, n_test=0).X_pool
    assert np.abs(big.mean(axis=0)).max() < 0.02
    np.testing.assert_allclose(big.T @ big / len(big), np.eye(10) / 10, atol=0.01)


@pytest.mark.parametrize("name, a, b", [("digits-8-9", 8, 9), ("digits-0-1", 0, 1)])
def test_digits_tasks(name, a, b):
    from sklearn.datasets import load_digits

    ds = load(name, seed=1)
    digits = load_digits()
    total = int(np.sum((digits.target == a) | (digits.target == b)))
    assert ds.d == 64
    assert ds.pool_size + ds.X_test.shape[0] + ds.meta["dropped_duplicate"] == total
    assert set(np.unique(ds.y_pool)) == {-1.0, 1.0}
    assert ds.pool_size >= 256
    # every training row is an image of digit a (+1) or b (-1)
    lookup = {tuple(x): t for x, t in zip(digits.data, digits.target, strict=True)}
    for x, lab in zip(ds.X_pool[:20], ds.y_pool[:20], strict=True):
        assert lookup[tuple(x)] == (a if lab == 1 else b)
    # deterministic; test set disjoint from pool; nested training subsets
    again = load(name, seed=1)
    assert np.array_equal(ds.X_pool, again.X_pool)
    pool = {tuple(x) for x in ds.X_pool}
    assert not any(tuple(x) in pool for x in ds.X_test)
    X16, _ = ds.training(16)
    X64, _ = ds.training(64)
    assert np.array_equal(X16, X64[:16])
    with pytest.raises(ValueError, match="exceeds"):
        ds.training(10_000)
    with pytest.raises(ValueError, match="n must"):
        ds.training(1)


def test_npz_and_csv_roundtrip(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5))
    y = np.where(rng.standard_normal(30) > 0, 1.0, -1.0)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    ds = load_file(tmp_path / "d.npz", n_test=5)
    assert ds.pool_size == 25 and ds.X_test.shape == (5, 5)
    assert {tuple(r) for r in np.vstack([ds.X_pool, ds.X_test])} == {tuple(r) for r in X}
    # explicit test points
    np.savez(tmp_path / "t.npz", X=X, y=y, x_test=X[:3] + 0.1, y_test=y[:3])
    dt = load_file(tmp_path / "t.npz")
    assert dt.pool_size == 30 and np.allclose(dt.X_test, X[:3] + 0.1)
    # CSV with header, labels 0/1 mapped to -1/+1
    lab01 = (y > 0).astype(int)
    text = "f0,f1,f2,f3,f4,label\n" + "\n".join(
        ",".join(f"{v:.17g}" for v in row) + f",{lab}" for row, lab in zip(X, lab01, strict=True)
    )
    (tmp_path / "d.csv").write_text(text)
    dc = load_file(tmp_path / "d.csv", n_test=0)
    assert dc.meta["label_mapping"] == {"-1": 0.0, "+1": 1.0}
    got = {tuple(np.round(r, 12)): lab for r, lab in zip(dc.X_pool, dc.y_pool, strict=True)}
    for row, lab in zip(X, y, strict=True):
        assert got[tuple(np.round(row, 12))] == lab


def test_duplicates_and_zero_rows_are_dropped(tmp_path):
    X = np.array([[1.0, 0], [2.0, 0], [0, 1.0], [0, 0], [1.0, 1.0]])
    y = np.array([1.0, 1, -1, 1, -1])
    np.savez(tmp_path / "dup.npz", X=X, y=y)
    ds = load_file(tmp_path / "dup.npz", n_test=0)
    assert ds.pool_size == 3
    assert ds.meta["dropped_duplicate"] == 1 and ds.meta["dropped_zero"] == 1


def _write_idx(path, arr, code=0x08, compress=False):
    header = bytes([0, 0, code, arr.ndim]) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    data = header + arr.astype(">u1").tobytes()
    if compress:
        data = gzip.compress(data)
    path.write_bytes(data)


@pytest.mark.parametrize("compress", [False, True])
def test_mnist_idx(tmp_path, compress):
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, size=(40, 4, 4))
    labels = np.array([3, 5] * 20)
    suffix = ".gz" if compress else ""
    _write_idx(tmp_path / f"images-idx3-ubyte{suffix}", imgs, compress=compress)
    _write_idx(tmp_path / f"labels-idx1-ubyte{suffix}", labels, compress=compress)
    assert np.array_equal(read_idx(tmp_path / f"images-idx3-ubyte{suffix}"), imgs)
    ds = load_file(
        tmp_path / f"images-idx3-ubyte{suffix}",
        labels_path=tmp_path / f"labels-idx1-ubyte{suffix}",
        classes=(3, 5),
        n_test=10,
    )
    assert ds.d == 16 and ds.pool_size + 10 == 40
    flat = {tuple(r): lab for r, lab in zip(imgs.reshape(40, -1), labels, strict=True)}
    for r, lab in zip(ds.X_pool, ds.y_pool, strict=True):
        assert flat[tuple(r)] == (3 if lab == 1 else 5)


@pytest.mark.parametrize(
    "setup, match",
    [
        (lambda p: np.savez(p / "f.npz", X=np.ones((3, 2))), "must contain arrays 'X' and 'y'"),
        (lambda p: np.savez(p / "f.npz", X=np.array([[1, "a"]], dtype=object), y=[1]), "pickle"),
        (lambda p: np.savez(p / "f.npz", X=np.ones(3), y=np.ones(3)), "2-D"),
        (lambda p: np.savez(p / "f.npz", X=np.ones((3, 2)), y=np.ones(2)), "y has shape"),
        (lambda p: np.savez(p / "f.npz", X=np.full((3, 2), np.nan), y=[1, -1, 1]), "NaN"),
        (lambda p: np.savez(p / "f.npz", X=np.eye(3), y=[1, 2, 3]), "binary"),
        (lambda p: (p / "f.npz").write_bytes(b"garbage"), "not an .npz archive"),
        (
            lambda p: np.save(p / "f.npy", np.ones((4, 3))) or (p / "f.npy").rename(p / "f.npz"),
            "not an .npz",
        ),
        (
            lambda p: (p / "f.npz").write_bytes(pickle.dumps({"X": [[1.0]], "y": [1]})),
            "not an .npz",
        ),
    ],
)
def test_bad_npz(tmp_path, setup, match):
    setup(tmp_path)
    with pytest.raises(ValueError, match=match):
        load_file(tmp_path / "f.npz")


def test_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_file(tmp_path / "missing.npz")
    with pytest.raises(IsADirectoryError):
        load_file(tmp_path)
    (tmp_path / "x.txt").write_text("1,2\n")
    with pytest.raises(ValueError, match="unknown data format"):
        load_file(tmp_path / "x.txt")
    (tmp_path / "bad.csv").write_text("1,2,1\n3,x,1\n")
    with pytest.raises(ValueError, match="line 2 is not numeric"):
        load_file(tmp_path / "bad.csv")
    (tmp_path / "ragged.csv").write_text("1,2,1\n3,1\n")
    with pytest.raises(ValueError, match="columns"):
        load_file(tmp_path / "ragged.csv")
    (tmp_path / "latin1.csv").write_bytes(b"\xff\xfe1,2,1\n")
    with pytest.raises(ValueError, match="latin1.csv: not a UTF-8 text CSV"):
        load_file(tmp_path / "latin1.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ValueError, match="empty"):
        load_file(tmp_path / "empty.csv")
    (tmp_path / "imgs-idx3-ubyte").write_bytes(b"\x01\x02\x03")
    with pytest.raises(ValueError, match="labels file"):
        load_file(tmp_path / "imgs-idx3-ubyte")
    with pytest.raises(ValueError, match="magic"):
        read_idx(tmp_path / "imgs-idx3-ubyte")
    _write_idx(tmp_path / "i-idx3", np.zeros((4, 2, 2)))
    (tmp_path / "l-idx1").write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 5) + bytes(3))
    with pytest.raises(ValueError, match="body"):
        load_file(tmp_path / "i-idx3", labels_path=tmp_path / "l-idx1")
    np.savez(tmp_path / "c.npz", X=np.eye(4), y=[0, 1, 2, 3])
    with pytest.raises(ValueError, match="not both present"):
        load_file(tmp_path / "c.npz", classes=(0, 7))


def test_load_dispatch_errors():
    with pytest.raises(ValueError, match="unknown data set"):
        load("mnist")
    with pytest.raises(ValueError, match="exactly one"):
        load()
    with pytest.raises(ValueError, match="two different digits"):
        load("digits-3-3")
    with pytest.raises(ValueError, match="seed"):
        sphere(10, seed=-1)
    with pytest.raises(ValueError, match="d must"):
        sphere(10, d=1)
    assert "sphere" in datasets.DATASET_NAMES
