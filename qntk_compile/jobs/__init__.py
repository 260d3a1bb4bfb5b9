"""The library behind each command: a request object per job that parses its inputs (flags,
params files, data), validates them before any heavy work, and runs the job.

May import every other subpackage of ``qntk_compile``, ``resource_estimates`` and ``bloqs``; only
:mod:`qntk_compile.cli` imports it.
"""
