"""Tensor-contraction helpers for block encodings (small instances only)."""

import numpy as np
from qualtran import BloqBuilder


def block_of(block_encoding) -> np.ndarray:
    """⟨0|_anc U |0⟩_anc, contracting U with its ancilla allocated in |0⟩ (n × n)."""
    k, a = int(block_encoding.system_bitsize), int(block_encoding.ancilla_bitsize)
    bb = BloqBuilder()
    system = bb.add_register("system", k)
    ancilla = bb.allocate(a)
    system, ancilla = bb.add(block_encoding, system=system, ancilla=ancilla)
    v = bb.finalize(system=system, ancilla=ancilla).flatten().tensor_contract()
    n = 2**k
    return v.reshape(n, 2**a, n)[:, 0, :]
