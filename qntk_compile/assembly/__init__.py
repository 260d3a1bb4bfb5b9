"""Problem → bloqs: the diagonal and the sparsified NTK built from concrete data (angle tables,
loaders, entry oracles), ready to simulate.

May import :mod:`qntk_compile.classical`, :mod:`qntk_compile.data`, :mod:`qntk_compile.kernel` and
``bloqs``; never the simulation, the variants or the CLI. The names of the module this package
replaced (``qntk_compile.assembly``, now :mod:`qntk_compile.assembly.diagonal`) still resolve here,
with a ``DeprecationWarning``.
"""

from bloqs.moved import forward_to

__getattr__ = forward_to("qntk_compile.assembly", "qntk_compile.assembly.diagonal")
