"""Sparse block encodings from the sparsity map ν: row/column oracles, signed entry oracles,
weighted diffusion and the well-normalised `WeightedSparseBlockEncoding`.

May import bloqs.encoding, bloqs.state_preparation and bloqs.specialized_ctrl; the NTK-specific
computed entry oracle lives in bloqs.ntk.
"""
