"""Amplitude estimation (Brassard et al. 2002): the Grover iterate, canonical AE into a phase
register, the inverse QFT.

May import bloqs.inner_product (the Hadamard-test preparations it estimates) and
bloqs.specialized_ctrl.
"""
