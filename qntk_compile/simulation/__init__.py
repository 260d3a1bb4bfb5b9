"""Gate-level simulation: flatten a bloq, build its Cirq circuit once per distinct sub-bloq
(:mod:`~qntk_compile.simulation.circuit_cache`), size and time the state vector before allocating
it (:mod:`~qntk_compile.simulation.sv_cost_model`), run Cirq or qsim
(:mod:`~qntk_compile.simulation.runner`), count the gates, and plan knobs from the error budget
(:mod:`~qntk_compile.simulation.budget`).

May import :mod:`qntk_compile.classical`, :mod:`qntk_compile.kernel`, :mod:`qntk_compile.progress`,
``resource_estimates`` and ``bloqs``; never the variants, the jobs or the CLI. The names of the
module this package replaced (``qntk_compile.simulation``, now
:mod:`qntk_compile.simulation.runner`) still resolve here, with a ``DeprecationWarning``.
"""

from bloqs.moved import forward_to

__getattr__ = forward_to("qntk_compile.simulation", "qntk_compile.simulation.runner")
