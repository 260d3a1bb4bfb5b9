"""Reusable Qualtran bloqs for the steps of the quantum NTK algorithm (Algorithm 1).

This package imports only qualtran, cirq, numpy, sympy and attrs: no files, data sets or CLI.
"""
