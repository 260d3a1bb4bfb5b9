"""Quantum linear-systems solvers over any Qualtran `BlockEncoding` (QSVT, Neumann, HHL).

May import bloqs.amplitude_estimation, bloqs.arithmetic, bloqs.block_encoding,
bloqs.state_preparation and bloqs.specialized_ctrl; never bloqs.ntk.
"""
