"""A variant of Algorithm 1 costed at given report parameters: the parameters and their
symbols (:mod:`~resource_estimates.costing.parameters`), concrete logical counts of the sizes-only
bloq (:mod:`~resource_estimates.costing.concrete`) and symbolic formulas in n and the knobs
(:mod:`~resource_estimates.costing.formulas`).

May import :mod:`resource_estimates.variants`, :mod:`resource_estimates.physical`,
:mod:`resource_estimates.published`, :mod:`resource_estimates.logical`,
:mod:`resource_estimates.data_model` and ``bloqs``; the error budget and the report build on it.
"""
