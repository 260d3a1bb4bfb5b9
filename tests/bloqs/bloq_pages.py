"""The generated part of each bloq's page in ``docs/bloqs/``, rendered from its ``BloqDocSpec``
the way Qualtran renders its bloq reference (import line, the class docstring — Args, Registers,
References — and the bloq examples), between markers at the end of the hand-written page.

    python -m tests.bloqs.bloq_pages --write   # after changing a bloq's docstring or examples

``tests/bloqs/test_bloq_pages.py`` fails when a page's generated part is stale.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from tests.bloqs.test_docs_complete import DOCS, _doc_specs, _snake

BEGIN = "<!-- generated from the BloqDocSpec: python -m tests.bloqs.bloq_pages --write -->"
END = "<!-- end of the generated part -->"


_SECTIONS = {"Args:": "Parameters", "Registers:": "Registers", "References:": "References"}


def _markdown(doc: str) -> str:
    """A Google-style docstring as Markdown, as Qualtran's bloq reference shows it: ``Args:``,
    ``Registers:`` and ``References:`` become headings, ``name: text`` entries list items."""
    out, section = [], None
    for line in doc.splitlines():
        if line.strip() in _SECTIONS:
            section = line.strip()
            out += ["", f"#### {_SECTIONS[section]}"]
            continue
        if section and line.startswith("    "):
            body = line[4:]
            if section != "References:" and not body.startswith(" ") and ":" in body:
                name, _, text = body.partition(":")
                out.append(f" - `{name.strip()}`:{text}")
            else:
                out.append(("   " if section != "References:" else "") + body.strip())
            continue
        if line.strip():
            section = None
        out.append(line)
    return "\n".join(out)


def _import_block(line: str) -> str:
    """The import line as ruff formats it (a parenthesised list: one name a line)."""
    if "(" not in line:
        return line
    head, _, names = line.partition("(")
    items = [n.strip() for n in names.rstrip(")").split(",") if n.strip()]
    return head + "(\n" + "".join(f"    {n},\n" for n in items) + ")"


def render(spec) -> str:
    """The generated Markdown of one ``BloqDocSpec``."""
    cls = spec.bloq_cls
    doc = inspect.cleandoc(cls.__doc__ or "")
    examples = ", ".join(
        f"`{ex.name}` ({'symbolic' if ex.name.endswith('_symb') else 'concrete'})"
        for ex in spec.examples
    )
    lines = [
        BEGIN,
        "",
        f"## Reference: `{cls.__name__}`",
        "",
        "```python",
        _import_block(spec.import_line),
        "```",
        "",
        _markdown(doc),
        "",
        f"Bloq examples (`{cls.__module__}`): {examples}.",
        "",
        END,
    ]
    return "\n".join(lines)


def pages() -> dict[Path, str]:
    """Each page with its generated part replaced (or appended)."""
    out = {}
    for cls, spec in sorted(_doc_specs().items(), key=lambda kv: kv[0].__name__):
        page = DOCS / f"{_snake(cls.__name__)}.md"
        text = page.read_text(encoding="utf-8")
        head = text.split(BEGIN, 1)[0].rstrip() + "\n\n"
        tail = text.split(END, 1)[1] if END in text else "\n"
        out[page] = head + render(spec) + (tail if tail.strip() else "\n")
    return out


if __name__ == "__main__":
    if "--write" in sys.argv:
        for page, text in pages().items():
            page.write_text(text, encoding="utf-8")
        print(f"wrote the generated part of {len(pages())} pages")
