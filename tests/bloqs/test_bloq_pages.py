"""Each bloq page's generated part equals what its ``BloqDocSpec`` renders
(``tests/bloqs/bloq_pages.py``)."""

import pytest

from tests.bloqs.bloq_pages import BEGIN, pages, render
from tests.bloqs.test_docs_complete import _doc_specs

PAGES = pages()


@pytest.mark.parametrize("page", sorted(PAGES), ids=lambda p: p.name)
def test_generated_part_is_current(page):
    assert page.read_text(encoding="utf-8") == PAGES[page], (
        f"{page.name} is stale: run `python -m tests.bloqs.bloq_pages --write`"
    )


def test_render_carries_the_docstring_sections_and_examples():
    spec = next(s for c, s in _doc_specs().items() if c.__name__ == "BucketBrigadeQRAM")
    text = render(spec)
    assert text.startswith(BEGIN)
    assert spec.import_line in text and "#### Registers" in text and "#### References" in text
    assert " - `address`:" in text and " - `target_bitsize`:" in text
    assert all(f"`{ex.name}`" in text for ex in spec.examples)
