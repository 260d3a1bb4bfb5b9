"""qntk-compile: turns a QNTK problem into bloqs, simulates small instances, and runs the jobs.

The top floor of the project: it may import ``resource_estimates`` and ``bloqs``, which never
import it. Its subpackages, lowest first (a subpackage imports only those below it; the import
contracts in ``pyproject.toml`` check this in the test suite):

* :mod:`qntk_compile.progress` — progress lines on stderr (no project imports);
* :mod:`qntk_compile.kernel` — the NTK of the erf network and its tables (pure math);
* :mod:`qntk_compile.data` — data sets, the ``Problem``, sparsity maps ν;
* :mod:`qntk_compile.classical` — the exact classical reference and the premises analysis;
* :mod:`qntk_compile.assembly` — problem → bloqs built from data (diagonal, sparsified);
* :mod:`qntk_compile.simulation` — gate-level simulation (circuit build, state vector, census);
* :mod:`qntk_compile.variants` — the simulation variant registry and its plug-ins;
* :mod:`qntk_compile.jobs` — one library request object per job (report, simulate, analyze);
* :mod:`qntk_compile.cli` — argparse and one call into ``jobs`` per subcommand.

Modules that lived at the top level before the split still import from their old paths, with a
``DeprecationWarning`` (``docs/dev/architecture.md`` lists the moves).
"""

from bloqs.moved import alias_moved_modules

__version__ = "0.1.0"

#: old module path → new module path (the split into subpackages)
MOVED_MODULES = {
    "qntk_compile.analysis": "qntk_compile.classical.analysis",
    "qntk_compile.assembly": "qntk_compile.assembly.diagonal",
    "qntk_compile.circuit_build": "qntk_compile.simulation.circuit_build",
    "qntk_compile.circuit_cache": "qntk_compile.simulation.circuit_cache",
    "qntk_compile.datasets": "qntk_compile.data.datasets",
    "qntk_compile.diagonal_variant": "qntk_compile.variants.diagonal",
    "qntk_compile.discretised_reference": "qntk_compile.classical.discretised_reference",
    "qntk_compile.features": "qntk_compile.data.features",
    "qntk_compile.gate_census": "qntk_compile.simulation.gate_census",
    "qntk_compile.kernel_table": "qntk_compile.kernel.table",
    "qntk_compile.ntk": "qntk_compile.kernel.ntk",
    "qntk_compile.problem": "qntk_compile.data.problem",
    "qntk_compile.reference": "qntk_compile.classical.reference",
    "qntk_compile.report_inputs": "qntk_compile.jobs.report_inputs",
    "qntk_compile.simulate": "qntk_compile.jobs.simulate",
    "qntk_compile.simulation": "qntk_compile.simulation.runner",
    "qntk_compile.simulation_budget": "qntk_compile.simulation.budget",
    "qntk_compile.sparsified": "qntk_compile.assembly.sparsified",
    "qntk_compile.sparsified_variant": "qntk_compile.variants.sparsified",
    "qntk_compile.sparsity": "qntk_compile.data.sparsity",
    "qntk_compile.state_vector": "qntk_compile.simulation.state_vector",
    "qntk_compile.sv_cost_model": "qntk_compile.simulation.sv_cost_model",
    "qntk_compile.variants": "qntk_compile.variants.registry",
}

alias_moved_modules(MOVED_MODULES)
