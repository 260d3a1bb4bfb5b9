"""qntk-compile: problem -> bloqs, classical reference, simulation, CLI."""

__version__ = "0.1.0"
