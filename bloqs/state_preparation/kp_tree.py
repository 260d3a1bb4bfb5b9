"""The Kerenidis–Prakash binary tree shared by the row and vector amplitude loaders.

A real unit vector $v$ of length $d = 2^m$ is loaded qubit by qubit (most significant first). At
level $l$ the first $l$ target qubits hold a prefix $p$; the angle $\theta(p)$ with
$\\cos(\theta/2) = \\sqrt{W(p0)/W(p)}$, $W(p) = \\sum_{j \\succ p} v_j^2$, rotates qubit $l$. At the
leaf level ($l = m - 1$) the angle is $2\\,\\mathrm{atan2}(v_{p1}, v_{p0})$, which also writes the
signs of the entries (range $[0, 4\\pi)$, since $R_y$ has period $4\\pi$).

Angles are stored as $b$-bit integers $k$ (`amplitude_bits`): internal levels use
$\theta = 2\\pi k / 2^b$ (one bit is unused as $\theta \\le \\pi$), the leaf level
$\theta = 4\\pi k / 2^b$. Rounding error per angle $\\le \\pi / 2^b$ (internal) or $2\\pi / 2^b$
(leaf).

This module holds the classical angle computation, the data-access factory
(`DATA_ACCESS_KINDS`: `"qrom"`, `"select_swap"`, `"bucket_brigade"`, `"one_hot_decoder"`) and the
level-by-level builder; the tree loader built from them is `kp_tree_loader.KPTreeLoader`, the
bloqs are in `row_amplitude_loader.py` and `vector_amplitude_loader.py`.

References:
    [Quantum Recommendation Systems](https://arxiv.org/abs/1603.08675).
    Kerenidis, Prakash 2016. Section 5.1 and Theorem 5.1 (binary-tree data structure).

    [Creating superpositions that correspond to efficiently integrable probability
    distributions](https://arxiv.org/abs/quant-ph/0208112). Grover, Rudolph 2002.
"""

import numbers
from collections import Counter
from collections.abc import Sequence

import numpy as np
import sympy
from qualtran import Bloq, BloqBuilder, QAny, Soquet
from qualtran.bloqs.basic_gates import XGate
from qualtran.bloqs.data_loading import QROM, SelectSwapQROM
from qualtran.resource_counting import QubitCount, SympySymbolAllocator, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic, smax

from bloqs.qram.bucket_brigade import BucketBrigadeQRAM
from bloqs.qram.one_hot_decoder import OneHotDecoderQRAM
from bloqs.state_preparation.angle_register_ry import AngleRegisterRy

#: The data-access kinds, the single list the loaders, the report and the CLI offer:
#: `"qrom"` (Qualtran `QROM`, unary iteration), `"select_swap"` (Qualtran `SelectSwapQROM`),
#: `"bucket_brigade"` (`bloqs.qram.bucket_brigade.BucketBrigadeQRAM`, routers and a bus),
#: `"one_hot_decoder"` (`bloqs.qram.one_hot_decoder.OneHotDecoderQRAM`, parallel decoder).
DATA_ACCESS_KINDS = ("qrom", "select_swap", "bucket_brigade", "one_hot_decoder")

_KIND_OF_CLASS = {
    "QROM": "qrom",
    "SelectSwapQROM": "select_swap",
    "BucketBrigadeQRAM": "bucket_brigade",
    "OneHotDecoderQRAM": "one_hot_decoder",
}

INTERNAL_RANGE = 2 * np.pi
LEAF_RANGE = 4 * np.pi


def normalize_data_access(kind) -> str:
    """Accept a kind name or the bloq class (`QROM`, `SelectSwapQROM`, `BucketBrigadeQRAM`,
    `OneHotDecoderQRAM`)."""
    if isinstance(kind, type):
        name = kind.__name__
        if name in _KIND_OF_CLASS:
            return _KIND_OF_CLASS[name]
        raise ValueError(f"data_access must be one of {DATA_ACCESS_KINDS}, got class {name}")
    if isinstance(kind, str):
        return kind.lower().replace("-", "_")
    return kind


def check_data_access(kind: str) -> str:
    if kind not in DATA_ACCESS_KINDS:
        raise ValueError(f"data_access must be one of {DATA_ACCESS_KINDS}, got {kind!r}")
    return kind


def check_amplitude_bits(amplitude_bits: SymbolicInt) -> None:
    if is_symbolic(amplitude_bits):
        return
    if int(amplitude_bits) != amplitude_bits or int(amplitude_bits) < 1:
        raise ValueError(f"amplitude_bits must be a positive integer, got {amplitude_bits}")


def check_power_of_two(value: SymbolicInt, name: str, minimum: int = 2) -> None:
    if is_symbolic(value):
        return
    v = int(value)
    if v != value or v < minimum or (v & (v - 1)) != 0:
        raise ValueError(f"{name} must be a power of two >= {minimum}, got {value}")


def log2_int(value: SymbolicInt) -> SymbolicInt:
    if is_symbolic(value):
        return sympy.ceiling(sympy.log(value, 2))
    return int(value).bit_length() - 1


def level_range(level: SymbolicInt, num_levels: SymbolicInt) -> float:
    return LEAF_RANGE if level == num_levels - 1 else INTERNAL_RANGE


def level_rotation(
    amplitude_bits: SymbolicInt, level: SymbolicInt, num_levels: SymbolicInt, is_controlled: bool
) -> AngleRegisterRy:
    """The rotation of tree level `level`: range $2\\pi$ (internal levels) or $4\\pi$ (leaf)."""
    return AngleRegisterRy(amplitude_bits, level_range(level, num_levels), is_controlled)


def kp_tree_angles(v: np.ndarray, amplitude_bits: int) -> tuple[tuple[int, ...], ...]:
    """The quantized angle integers of one unit vector, one tuple of length $2^l$ per level."""
    v = np.asarray(v, dtype=float)
    d = len(v)
    m = d.bit_length() - 1
    b = int(amplitude_bits)
    out = []
    for level in range(m):
        block = d >> level
        half = block // 2
        vals = []
        for p in range(2**level):
            seg = v[p * block : (p + 1) * block]
            if level == m - 1:
                theta = 2 * np.arctan2(seg[1], seg[0]) % LEAF_RANGE
            else:
                w = float(np.sum(seg**2))
                w0 = float(np.sum(seg[:half] ** 2))
                theta = 0.0 if w <= 0 else 2 * np.arccos(np.sqrt(min(max(w0 / w, 0.0), 1.0)))
            k = int(np.round(theta / level_range(level, m) * 2**b)) % (2**b)
            vals.append(k)
        out.append(tuple(vals))
    return tuple(out)


def check_angle_words(angles, amplitude_bits: SymbolicInt) -> None:
    """`angles` must be a tuple (one per level) of tuples of integers in $[0, 2^b)$."""
    if not isinstance(angles, tuple) or not all(isinstance(a, tuple) for a in angles):
        raise ValueError("angles must be a tuple of tuples of integers (one tuple per level)")
    for level, words in enumerate(angles):
        if any(isinstance(k, bool) or not isinstance(k, numbers.Integral) for k in words):
            raise ValueError(f"angles of level {level} must be integers")
        if not is_symbolic(amplitude_bits) and any(
            k < 0 or k >= 2 ** int(amplitude_bits) for k in words
        ):
            raise ValueError(
                f"angles of level {level} must lie in [0, 2**amplitude_bits = "
                f"{2 ** int(amplitude_bits)})"
            )


def quantized_tree_state(angles: Sequence[Sequence[int]], amplitude_bits: int) -> np.ndarray:
    """The state the tree prepares from the quantized angles (the circuit's exact output)."""
    m = len(angles)
    amps = np.array([1.0])
    for level, ks in enumerate(angles):
        th = np.asarray(ks, dtype=float) * level_range(level, m) / 2**amplitude_bits
        new = np.empty(2 * len(amps))
        new[0::2] = amps * np.cos(th / 2)
        new[1::2] = amps * np.sin(th / 2)
        amps = new
    return amps


def validate_real_vectors(X: np.ndarray, what: str) -> np.ndarray:
    """Check finiteness, nonzero rows; return the rows normalized (2D array)."""
    X = np.asarray(X)
    if np.iscomplexobj(X):
        raise ValueError(f"{what} must be real")
    X = X.astype(float)
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{what} has non-finite entries (nan or inf)")
    norms = np.linalg.norm(X, axis=-1)
    if np.any(norms == 0):
        bad = np.flatnonzero(np.atleast_1d(norms == 0))
        raise ValueError(f"{what} has zero rows (indices {bad.tolist()}); cannot normalize")
    return X / norms[..., None]


def data_access_bloq(
    kind: str,
    size: SymbolicInt,
    bitsize: SymbolicInt,
    data: Sequence[int] | None = None,
) -> tuple[Bloq, str, str]:
    """A data-access bloq XOR-ing a `bitsize`-bit word into its target.

    Returns (bloq, address register name, target register name). The bloq is its own inverse.
    """
    if kind == "qrom":
        if data is not None:
            b = QROM.build_from_data(np.asarray(data), target_bitsizes=(bitsize,))
        else:
            b = QROM.build_from_bitsize((size,), (bitsize,))
        return b, "selection", "target0_"
    if kind == "select_swap":
        if data is not None:
            b = SelectSwapQROM.build_from_data(np.asarray(data), target_bitsizes=(bitsize,))
        else:
            b = SelectSwapQROM.build_from_bitsize((size,), (bitsize,))
        return b, "selection", "target0_"
    if kind in ("bucket_brigade", "one_hot_decoder"):
        cls = BucketBrigadeQRAM if kind == "bucket_brigade" else OneHotDecoderQRAM
        if data is not None:
            b = cls.build_from_data(np.asarray(data), target_bitsize=bitsize)
        else:
            b = cls.build_from_bitsize(size, bitsize)
        return b, "address", "target"
    raise ValueError(f"data_access must be one of {DATA_ACCESS_KINDS}, got {kind!r}")


def add_tree_level(
    bb: BloqBuilder,
    *,
    access: Bloq | None,
    address_name: str,
    target_name: str,
    address_bits: list,
    constant: int | None,
    rotation: AngleRegisterRy,
    qubit: Soquet,
    ctrl: Soquet | None,
    amplitude_bits: int,
) -> tuple[list, Soquet, Soquet | None]:
    """One level: load the angle (query or constant), rotate `qubit`, unload the angle."""
    angle = bb.allocate(amplitude_bits)

    def _load(address_bits, angle):
        if access is None:
            # a classical constant: X gates on its 1-bits
            abits = bb.split(angle)
            for idx in range(amplitude_bits):
                if (constant >> (amplitude_bits - 1 - idx)) & 1:
                    abits[idx] = bb.add(XGate(), q=abits[idx])
            return address_bits, bb.join(abits, dtype=QAny(amplitude_bits))
        reg = access.signature.get_left(address_name)
        addr = bb.join(np.asarray(address_bits), dtype=reg.dtype)
        out = bb.add_d(access, **{address_name: addr, target_name: angle})
        return list(bb.split(out[address_name])), out[target_name]

    address_bits, angle = _load(address_bits, angle)
    if ctrl is not None:
        ctrl, angle, qubit = bb.add(rotation, ctrl=ctrl, angle=angle, q=qubit)
    else:
        angle, qubit = bb.add(rotation, angle=angle, q=qubit)
    address_bits, angle = _load(address_bits, angle)
    bb.free(angle)
    return address_bits, qubit, ctrl


def sum_access_over_levels(
    make_access, level_lo: SymbolicInt, level_hi: SymbolicInt
) -> Counter[Bloq]:
    """Call graph of $\\sum_{l = lo}^{hi}$ access(l) when `hi` is symbolic.

    The callees of `make_access(l)` (built with a sympy symbol `l`) must not depend on `l`; their
    counts are summed in closed form with `sympy.summation`.
    """
    lsym = sympy.Symbol("_level", integer=True, nonnegative=True)
    access = make_access(lsym)
    callee_counts = access.build_call_graph(SympySymbolAllocator())
    items = callee_counts.items() if isinstance(callee_counts, dict) else callee_counts
    out: Counter[Bloq] = Counter()
    for callee, count in items:
        if lsym.name in repr(callee):
            raise ValueError(
                f"cannot cost {access} over a symbolic number of levels: callee {callee} depends "
                "on the level; give d as an integer"
            )
        total = sympy.summation(sympy.sympify(count), (lsym, level_lo, level_hi))
        out[callee] += sympy.simplify(total)
    return out


def access_ancilla(access: Bloq) -> SymbolicInt:
    """Qubits a data-access bloq uses beyond its registers."""
    return get_cost_value(access, QubitCount()) - access.signature.n_qubits()


def tree_qubit_count(
    *,
    index_bits: SymbolicInt,
    num_levels: SymbolicInt,
    amplitude_bits: SymbolicInt,
    last_access: Bloq | None,
    is_controlled: bool,
) -> SymbolicInt:
    """Peak qubits of a tree loader: registers + angle register + the widest level's ancilla."""
    anc = access_ancilla(last_access) if last_access is not None else 0
    rot_anc = 1 if is_controlled else 0
    return int(is_controlled) + index_bits + num_levels + amplitude_bits + smax(anc, rot_anc)
