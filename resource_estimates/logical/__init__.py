"""Logical costs of a bloq: gate and qubit counts under both QRAM models
(:mod:`~resource_estimates.logical.counts`), the cost keys that count them
(:mod:`~resource_estimates.logical.cost_keys`), the on-disk formula cache and JSON-ready numbers
and formula strings (:mod:`~resource_estimates.logical.formatting`).

The lowest costing layer: imports only ``bloqs`` (and Qualtran). The names of the module this
package replaced (``resource_estimates.logical``, now :mod:`resource_estimates.logical.counts`)
still resolve here, with a ``DeprecationWarning``.
"""

from bloqs.moved import forward_to

__getattr__ = forward_to("resource_estimates.logical", "resource_estimates.logical.counts")
