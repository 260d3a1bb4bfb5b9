"""Every public bloq has a BloqDocSpec, a concrete and a `_symb` example, and a docs page."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from qualtran import Bloq, BloqDocSpec

import bloqs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "bloqs"


def _public_modules():
    for info in pkgutil.walk_packages(bloqs.__path__, prefix="bloqs."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield importlib.import_module(info.name)


def _doc_specs() -> dict[type, BloqDocSpec]:
    specs = {}
    for module in _public_modules():
        for value in vars(module).values():
            if isinstance(value, BloqDocSpec):
                specs[value.bloq_cls] = value
    return specs


def _public_bloq_classes() -> list[type]:
    classes = set()
    for module in _public_modules():
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Bloq)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                classes.add(value)
    return sorted(classes, key=lambda c: c.__name__)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def test_snake_case_of_class_names():
    assert _snake("BucketBrigadeQRAM") == "bucket_brigade_qram"
    assert _snake("TextbookInverseQFT") == "textbook_inverse_qft"
    assert _snake("HadamardTestOverlap") == "hadamard_test_overlap"


@pytest.mark.parametrize("cls", _public_bloq_classes(), ids=lambda c: c.__name__)
def test_bloq_has_doc_spec_examples_and_page(cls):
    spec = _doc_specs().get(cls)
    assert spec is not None, f"{cls.__name__} has no BloqDocSpec"
    names = [ex.name for ex in spec.examples]
    assert any(n.endswith("_symb") for n in names), f"{cls.__name__}: no _symb example ({names})"
    assert any(not n.endswith("_symb") for n in names), f"{cls.__name__}: no concrete example"
    page = DOCS / f"{_snake(cls.__name__)}.md"
    assert page.is_file(), f"{cls.__name__}: missing {page}"
    assert f"`{cls.__name__}`" in page.read_text()
