"""Physical estimates from logical counts: Qualtran's Gidney–Fowler and Beverland et al. models,
Microsoft's estimator (range-checked, run in a bounded child process), with their assumptions.

May import :mod:`resource_estimates.logical`. The names of the module this package replaced
(``resource_estimates.physical``, now :mod:`resource_estimates.physical.models`) still resolve
here, with a ``DeprecationWarning``.
"""

from bloqs.moved import forward_to

__getattr__ = forward_to("resource_estimates.physical", "resource_estimates.physical.models")
