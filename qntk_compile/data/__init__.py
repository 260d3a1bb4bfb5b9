"""The problem's inputs: data sets (built-in and user files), the :class:`Problem` (unit-sphere
rows, ±1 labels, padding, knobs) and the sparsity maps ν.

May import :mod:`qntk_compile.kernel` (default depth) and ``resource_estimates`` (the knob
catalogue); never the reference, the simulation or the CLI.
"""
