"""The exact classical reference of Algorithm 1 (K, K̃, predictions, post-selection and readout
quantities, the same-discretisation reference of the circuits) and the premises analysis behind
``qntk-compile analyze``.

May import :mod:`qntk_compile.data`, :mod:`qntk_compile.kernel`, :mod:`qntk_compile.progress` and
``bloqs`` (for the block-encoding condition); never the simulation, the variants or the CLI.
"""
