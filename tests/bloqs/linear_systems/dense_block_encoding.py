"""Test-only block encodings of small dense matrices, and small state preparations."""

from functools import cached_property

import attrs
import cirq
import numpy as np
from qualtran import Bloq, BloqBuilder, QAny, QBit, Register, Signature, SoquetT
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.bloqs.reflections.prepare_identity import PrepareIdentity
from qualtran.bloqs.state_preparation.black_box_prepare import BlackBoxPrepare
from qualtran.cirq_interop._cirq_to_bloq import _my_tensors_from_gate


def random_unitary_dilation(block: np.ndarray, ancilla_bits: int, seed: int) -> np.ndarray:
    """A generic (non-Hermitian) unitary whose top-left N×N block (ancilla 0) is `block`."""
    rng = np.random.default_rng(seed)
    n = block.shape[0]
    big = n * 2**ancilla_bits
    w, s, vh = np.linalg.svd(block)
    assert s.max() <= 1 + 1e-12
    rest = np.sqrt(np.clip(1 - s**2, 0, None))[:, None] * vh  # √(I−B†B) in the SVD basis
    iso = np.linalg.qr(rng.normal(size=(big - n, n)) + 1j * rng.normal(size=(big - n, n)))[0]
    cols = np.vstack([block, iso @ rest])  # big × n, orthonormal columns
    q, _ = np.linalg.qr(np.hstack([cols, rng.normal(size=(big, big - n))]))
    q[:, :n] = cols
    q[:, n:] -= cols @ (cols.conj().T @ q[:, n:])
    q[:, n:] = np.linalg.qr(q[:, n:])[0]
    return q


@attrs.frozen(eq=False)
class DenseUnitaryGate(Bloq):
    """A dense unitary on a register of qubits, simulated as one tensor (a leaf: no decomposition,
    unlike `CirqGateAsBloq(MatrixGate)`, which cirq decomposes into ~100 gates)."""

    unitary: np.ndarray

    @cached_property
    def signature(self):
        n = int(np.log2(self.unitary.shape[0]))
        return Signature([Register("q", QBit(), shape=(n,))])

    def my_tensors(self, incoming, outgoing):
        gate = cirq.MatrixGate(self.unitary)
        return _my_tensors_from_gate(gate, self.signature, incoming=incoming, outgoing=outgoing)

    def adjoint(self) -> "DenseUnitaryGate":
        return DenseUnitaryGate(self.unitary.conj().T)

    def __hash__(self):
        return hash(self.unitary.tobytes())

    def __eq__(self, other):
        return isinstance(other, DenseUnitaryGate) and hash(self) == hash(other)


@attrs.frozen(eq=False)
class DenseBlockEncoding(BlockEncoding):
    """U (a dense unitary on ancilla ⊗ system) with ⟨0|U|0⟩ = A/α. Test-only (a MatrixGate)."""

    unitary: np.ndarray
    n_system: int
    n_ancilla: int
    alpha_value: float = 1.0

    @property
    def alpha(self):
        return self.alpha_value

    @property
    def system_bitsize(self):
        return self.n_system

    @property
    def ancilla_bitsize(self):
        return self.n_ancilla

    @property
    def resource_bitsize(self):
        return 0

    @property
    def epsilon(self):
        return 0

    @property
    def signal_state(self):
        return BlackBoxPrepare(PrepareIdentity.from_bitsizes([self.n_ancilla]))

    @cached_property
    def signature(self):
        return Signature.build_from_dtypes(system=QAny(self.n_system), ancilla=QAny(self.n_ancilla))

    @cached_property
    def gate(self) -> Bloq:
        return DenseUnitaryGate(self.unitary)

    def build_composite_bloq(self, bb: BloqBuilder, system: SoquetT, ancilla: SoquetT):
        qs = np.concatenate([bb.split(ancilla), bb.split(system)])
        qs = bb.add(self.gate, q=qs)
        return {
            "system": bb.join(qs[self.n_ancilla :], dtype=QAny(self.n_system)),
            "ancilla": bb.join(qs[: self.n_ancilla], dtype=QAny(self.n_ancilla)),
        }

    def adjoint(self) -> "DenseBlockEncoding":
        return attrs.evolve(self, unitary=self.unitary.conj().T)

    def __hash__(self):
        return hash((self.unitary.tobytes(), self.n_system, self.n_ancilla))

    def __eq__(self, other):
        return isinstance(other, DenseBlockEncoding) and hash(self) == hash(other)


def dense_block_encoding(matrix: np.ndarray, ancilla_bits: int = 1, seed: int = 0, alpha=None):
    """Block encoding of `matrix` with α = `alpha` (default ‖matrix‖ (spectral) · 1.01)."""
    alpha = 1.01 * np.linalg.norm(matrix, 2) if alpha is None else alpha
    n = int(np.log2(matrix.shape[0]))
    u = random_unitary_dilation(matrix / alpha, ancilla_bits, seed)
    return DenseBlockEncoding(u, n, ancilla_bits, alpha)


def dense_state_prep(vector: np.ndarray) -> Bloq:
    """|0⟩ → |y⟩ for a unit vector y (a MatrixGate whose first column is y)."""
    y = np.asarray(vector, dtype=complex)
    y = y / np.linalg.norm(y)
    q, _ = np.linalg.qr(np.column_stack([y, np.eye(len(y))[:, 1:]]))
    q[:, 0] = y
    return DenseUnitaryGate(q)


@attrs.frozen(eq=False)
class FrozenBlockEncoding(BlockEncoding):
    """`inner` (any BlockEncoding) as one leaf tensor: its unitary contracted once from its own
    decomposition, same signature (system, ancilla, resource), α and signal state. Test-only: it
    lets a many-call circuit (QSVT) over a large gate-level encoding contract in seconds."""

    inner: BlockEncoding
    is_adjoint: bool = False

    @cached_property
    def unitary(self) -> np.ndarray:
        u = _frozen_unitary(self.inner)
        return u.conj().T if self.is_adjoint else u

    alpha = property(lambda self: self.inner.alpha)
    system_bitsize = property(lambda self: self.inner.system_bitsize)
    ancilla_bitsize = property(lambda self: self.inner.ancilla_bitsize)
    resource_bitsize = property(lambda self: self.inner.resource_bitsize)
    epsilon = property(lambda self: self.inner.epsilon)
    signal_state = property(lambda self: self.inner.signal_state)

    @property
    def signature(self):
        return self.inner.signature

    def my_tensors(self, incoming, outgoing):
        gate = cirq.MatrixGate(self.unitary)
        return _my_tensors_from_gate(gate, self.signature, incoming=incoming, outgoing=outgoing)

    def adjoint(self) -> "FrozenBlockEncoding":
        return attrs.evolve(self, is_adjoint=not self.is_adjoint)

    def __hash__(self):
        return hash((self.inner, self.is_adjoint))

    def __eq__(self, other):
        return isinstance(other, FrozenBlockEncoding) and (self.inner, self.is_adjoint) == (
            other.inner,
            other.is_adjoint,
        )


_FROZEN: dict = {}


def _frozen_unitary(bloq: Bloq) -> np.ndarray:
    if bloq not in _FROZEN:
        _FROZEN[bloq] = bloq.tensor_contract()
    return _FROZEN[bloq]
