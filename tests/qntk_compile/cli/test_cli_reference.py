"""``docs/cli.md`` is generated from the parser and must be current."""

from qntk_compile.cli import build_parser
from qntk_compile.cli._reference import DOC_PATH, main, render


def test_docs_cli_md_is_current():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `python -m qntk_compile.cli._reference --write`"
    )


def test_every_subcommand_and_option_is_documented():
    text = render()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(sub.choices) >= {"analyze", "report", "simulate"}
    for name, p in sub.choices.items():
        assert f"## {name}" in text
        for action in p._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help"):
                    assert f"`{opt}" in text, (name, opt)


def test_check_mode(capsys):
    assert main(["--check"]) == 0
    assert main([]) == 0
    assert "# Command-line reference" in capsys.readouterr().out
