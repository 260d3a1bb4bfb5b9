"""Amplitude encoding of a register value: rotate a flag by the arccos angle it holds (Lemma
III.4).

May import bloqs.state_preparation (the register-angle rotation) and bloqs.specialized_ctrl.
"""
