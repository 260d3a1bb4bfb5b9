"""What our figures are set beside: published formulas and figures (QROM, QROAM, bucket
brigade, amplitude estimation, rotation synthesis, surface code; :mod:`~.figures`), published
linear-system solvers (:mod:`~.qlsa`), data-access figures of every QRAM form (:mod:`~.qram`)
and the classical baselines with their machine model (:mod:`~.classical`).

May import :mod:`resource_estimates.logical` and ``bloqs``. The names of the module this package
replaced (``resource_estimates.published``, now :mod:`resource_estimates.published.figures`)
still resolve here, with a ``DeprecationWarning``.
"""

from bloqs.moved import forward_to

__getattr__ = forward_to("resource_estimates.published", "resource_estimates.published.figures")
