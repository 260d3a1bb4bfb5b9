"""The Hadamard-test sign readout of Re<s|y> (Lemma III.7) and a wrapper giving two preparations
one signature.

May import bloqs.inner_product, bloqs.state_preparation and bloqs.specialized_ctrl.
"""
