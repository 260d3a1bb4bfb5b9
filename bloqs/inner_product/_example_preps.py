"""Small real-amplitude state preparations for the examples and tests of this package.

`ToyRowPrep` maps |i>|0> -> |i>|x_i> for a small real matrix (rows x_i, signs allowed) with a
binary tree of multiplexed Ry rotations, each multiplexor decomposed into Ry + CNOT by the Gray-code
construction of Möttönen et al. (quant-ph/0407010). Its controlled version is the same circuit with
the control qubit as one more multiplexor control (angles 0 on the ctrl = 0 branch), so tensor
simulation and costing both work (Qualtran's generic ``Controlled`` does not cost multi-controlled
rotations). It is exponential in the index and target sizes (one rotation per tree node and
row) and exact (no angle quantization): an independent loader for the tests, not a scalable one.
The `@bloq_example`s of this package use the real loaders of `bloqs.state_preparation`
(`loader_example_preps`, `loader_symbolic_preps`).
"""

from functools import cached_property

import attrs
import numpy as np
import sympy
from qualtran import Bloq, BloqBuilder, CtrlSpec, QAny, QBit, Register, Signature
from qualtran.bloqs.basic_gates import CNOT, Ry
from qualtran.symbolics import SymbolicInt

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled


def _tree_angles(vec: np.ndarray, level: int) -> np.ndarray:
    """Ry angles of `level` for all prefixes (length 2**level)."""
    t = int(np.log2(len(vec)))
    blocks = vec.reshape(2**level, 2, 2 ** (t - level - 1))
    if level == t - 1:
        return 2 * np.arctan2(blocks[:, 1, 0], blocks[:, 0, 0])
    left = np.linalg.norm(blocks[:, 0, :], axis=1)
    right = np.linalg.norm(blocks[:, 1, :], axis=1)
    return 2 * np.arctan2(right, left)


def _gray(i: int) -> int:
    return i ^ (i >> 1)


def multiplexor_thetas(alphas: np.ndarray) -> np.ndarray:
    """Gray-code Ry angles theta with alpha_j = sum_i (-1)^{popcount(j & g_i)} theta_i."""
    size = len(alphas)
    mat = np.array(
        [[(-1) ** bin(j & _gray(i)).count("1") for i in range(size)] for j in range(size)]
    )
    return mat.T @ alphas / size


@attrs.frozen
class ToyRowPrep(Bloq):
    r"""$|i\rangle|0\rangle \to |i\rangle|x_i\rangle$ for a small real matrix (rows unit norm).

    `rows` None gives a sizes-only instance (costs only, `target_bitsize` may be symbolic).

    Args:
        index_bitsize: qubits of `index` (0: no `index` register, a single vector).
        target_bitsize: qubits of `target`.
        rows: the rows (2**index_bitsize tuples of 2**target_bitsize floats) or None.
        is_controlled: the hand-written controlled version (`ctrl` register).

    Registers:
        ctrl: control qubit (only when `is_controlled`).
        index: row index (only when `index_bitsize` > 0), unchanged.
        target: |0> -> |x_i>.

    References:
        [Transformation of quantum states using uniformly controlled rotations](
        https://arxiv.org/abs/quant-ph/0407010). Möttönen, Vartiainen, Bergholm, Salomaa (2004).
    """

    index_bitsize: int
    target_bitsize: SymbolicInt
    rows: tuple | None = None
    is_controlled: bool = False

    @classmethod
    def from_matrix(cls, mat) -> "ToyRowPrep":
        mat = np.atleast_2d(np.asarray(mat, dtype=float))
        n, d = mat.shape
        if mat.ndim != 2 or n & (n - 1) or d & (d - 1) or d < 2:
            raise ValueError(f"ToyRowPrep: shape {mat.shape} must be (2^a, 2^b) with 2^b >= 2")
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        if not np.all(np.isfinite(mat)) or np.any(norms == 0):
            raise ValueError("ToyRowPrep: rows must be finite and non-zero")
        mat = mat / norms
        return cls(
            int(np.log2(mat.shape[0])),
            int(np.log2(mat.shape[1])),
            tuple(tuple(float(v) for v in r) for r in mat),
        )

    @cached_property
    def signature(self) -> Signature:
        regs = []
        if self.is_controlled:
            regs.append(Register("ctrl", QBit()))
        if self.index_bitsize:
            regs.append(Register("index", QAny(self.index_bitsize)))
        regs.append(Register("target", QAny(self.target_bitsize)))
        return Signature(regs)

    @cached_property
    def n_ctrl(self) -> int:
        return int(self.is_controlled) + self.index_bitsize

    def build_composite_bloq(self, bb: BloqBuilder, **soqs):
        if self.rows is None:
            from qualtran import DecomposeTypeError

            raise DecomposeTypeError("sizes-only ToyRowPrep")
        mat = np.array(self.rows)
        controls = []
        if self.is_controlled:
            controls.append(soqs["ctrl"])
        if self.index_bitsize:
            controls.extend(bb.split(soqs["index"]))
        tq = list(bb.split(soqs["target"]))
        for level in range(self.target_bitsize):
            per_row = np.array([_tree_angles(r, level) for r in mat]).reshape(-1)
            if self.is_controlled:
                per_row = np.concatenate([np.zeros_like(per_row), per_row])
            ctl = controls + tq[:level]
            k = len(ctl)
            thetas = multiplexor_thetas(per_row)
            for i in range(2**k):
                tq[level] = bb.add(Ry(float(thetas[i])), q=tq[level])
                if k:
                    changed = _gray(i) ^ _gray((i + 1) % 2**k)
                    pos = k - 1 - (changed.bit_length() - 1)
                    ctl[pos], tq[level] = bb.add(CNOT(), ctrl=ctl[pos], target=tq[level])
            n_c = len(controls)
            controls, tq[:level] = ctl[:n_c], ctl[n_c:]
        out = {"target": bb.join(np.array(tq), dtype=QAny(self.target_bitsize))}
        if self.is_controlled:
            out["ctrl"] = controls[0]
            controls = controls[1:]
        if self.index_bitsize:
            out["index"] = bb.join(np.array(controls), dtype=QAny(self.index_bitsize))
        return out

    def build_call_graph(self, ssa):
        if self.rows is not None:
            return self.decompose_bloq().build_call_graph(ssa)
        n_rot = 2**self.n_ctrl * (2**self.target_bitsize - 1)
        n_cnot = n_rot - (1 if self.n_ctrl == 0 else 0)
        return {Ry(ssa.new_symbol("theta")): n_rot, CNOT(): n_cnot}

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self):
        return f"ToyRowPrep{'[C]' if self.is_controlled else ''}"


def example_row_and_vector_preps(n_rows: int = 2, target_bits: int = 1, seed: int = 7):
    """A row loader (`index`, `target`) and a vector loader (`target`) for random real data."""
    rng = np.random.default_rng(seed)
    mat = rng.normal(size=(n_rows, 2**target_bits))
    vec = rng.normal(size=(1, 2**target_bits))
    return ToyRowPrep.from_matrix(mat), ToyRowPrep.from_matrix(vec)


def example_symbolic_preps(index_bitsize: int = 1):
    """Sizes-only row and vector loaders with a symbolic number `t` of target qubits."""
    t = sympy.Symbol("t", positive=True, integer=True)
    return ToyRowPrep(index_bitsize, t), ToyRowPrep(0, t)


def loader_example_preps(n: int = 2, d: int = 2, amplitude_bits: int = 3, seed: int = 7):
    """The loaders of Algorithm 1 on random data: `RowAmplitudeLoader` (rows x_i) and
    `VectorAmplitudeLoader` (test point x*)."""
    from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
    from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

    rng = np.random.default_rng(seed)
    return (
        RowAmplitudeLoader.from_matrix(rng.normal(size=(n, d)), amplitude_bits),
        VectorAmplitudeLoader.from_vector(rng.normal(size=d), amplitude_bits),
    )


def loader_symbolic_preps():
    """Sizes-only loaders with symbolic n, d and amplitude_bits b."""
    from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
    from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

    n, d, b = sympy.symbols("n d b", positive=True, integer=True)
    return RowAmplitudeLoader.from_sizes(n, d, b), VectorAmplitudeLoader.from_sizes(d, b)
