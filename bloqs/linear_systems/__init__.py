"""Quantum linear-systems solvers over any Qualtran `BlockEncoding` (QSVT, Neumann, HHL)."""
