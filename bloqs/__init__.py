"""Reusable Qualtran bloqs for the steps of the quantum NTK algorithm (Algorithm 1).

The ground floor: imports only qualtran, cirq, numpy, sympy and attrs — no files, data sets or
CLI, and never ``resource_estimates`` or ``qntk_compile``. One subpackage per step
(``qram``, ``state_preparation``, ``inner_product``, ``amplitude_estimation``, ``arithmetic``,
``encoding``, ``block_encoding``, ``linear_systems``, ``readout``) and ``ntk`` for Algorithm 1
itself, which composes them; no cycles between them (checked by the import contracts).
"""

from bloqs.moved import alias_moved_modules

#: old module path → new module path
MOVED_MODULES = {
    "bloqs.block_encoding.computed_entry_oracle": "bloqs.ntk.computed_entry_oracle",
}

alias_moved_modules(MOVED_MODULES)
