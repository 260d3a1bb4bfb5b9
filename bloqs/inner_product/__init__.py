"""Inner products of two state preparations: the Hadamard test (Theorem III.5) and the swap test.

May import bloqs.state_preparation (examples only) and bloqs.specialized_ctrl.
"""
