r"""`QRAMBase`: what the read-only QRAM circuits of `bloqs.qram` share.

A query over $N = 2^n$ classical cells of $b$ bits, $|x\rangle|t\rangle \to |x\rangle|t \oplus
D_x\rangle$: the words (or only their number, `Shaped((N,))`, for costing), the input checks, the
`ctrl`/`address`/`target` registers, the classical action, the memory compiled into CNOTs from
one-hot leaf signals, and the hand-written controlled version. The circuits themselves are in
`bucket_brigade.py` (`BucketBrigadeQRAM`, routers and a bus) and `one_hot_decoder.py`
(`OneHotDecoderQRAM`, a parallel address decoder).

Like Qualtran's `QROMBase` this is a mixin, not a `Bloq`: a concrete class derives from it and
from `Bloq` and adds its decomposition and costs.
"""

import numbers
from functools import cached_property

import attrs
import numpy as np
import sympy
from qualtran import (
    BloqBuilder,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Signature,
)
from qualtran.bloqs.basic_gates import CNOT
from qualtran.symbolics import Shaped, SymbolicInt, is_symbolic

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled


def log2_cells(N: SymbolicInt) -> SymbolicInt:
    """$n = \\log_2 N$ (a sympy `ceiling(log(N, 2))` for a symbolic $N$)."""
    if is_symbolic(N):
        return sympy.ceiling(sympy.log(N, 2))
    return int(N).bit_length() - 1


def _check_size(N: SymbolicInt) -> None:
    if is_symbolic(N):
        return
    if int(N) != N or int(N) < 2 or (int(N) & (int(N) - 1)) != 0:
        raise ValueError(f"the number of cells N must be a power of two >= 2, got {N}")


def _words_from_array(data) -> tuple[int, ...]:
    arr = np.asarray(data)
    if arr.ndim != 1:
        raise ValueError(f"QRAM data must be 1D, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError("QRAM words must be finite integers")
    elif arr.dtype.kind not in "iu":
        raise ValueError(f"QRAM words must be integers, got dtype {arr.dtype}")
    return tuple(int(w) for w in arr)


@attrs.frozen
class QRAMBase:
    """Fields, checks, registers and classical action of a read-only QRAM query.

    Args:
        data_or_shape: the $N$ words (tuple of ints), or `Shaped((N,))` for costing only.
        target_bitsize: $b$, bits per word.
        is_controlled: add the 1-qubit `ctrl` register.
    """

    data_or_shape: tuple[int, ...] | Shaped
    target_bitsize: SymbolicInt
    is_controlled: bool = False

    def __attrs_post_init__(self):
        _check_size(self.N)
        b = self.target_bitsize
        if not is_symbolic(b) and (int(b) != b or int(b) < 1):
            raise ValueError(f"target_bitsize must be a positive integer, got {b}")
        if isinstance(self.data_or_shape, Shaped):
            return
        data = self.data_or_shape
        if not isinstance(data, tuple):
            raise ValueError(
                "data_or_shape must be a tuple of words or Shaped((N,)) "
                f"(got {type(data).__name__}; use build_from_data for arrays)"
            )
        if any(isinstance(w, bool) or not isinstance(w, numbers.Integral) for w in data):
            raise ValueError("QRAM words must be finite integers")
        if any(w < 0 for w in data):
            raise ValueError("QRAM words must be non-negative integers")
        if not is_symbolic(b) and any(w >= 2 ** int(b) for w in data):
            raise ValueError(f"a QRAM word is wider than target_bitsize={b} bits")

    @classmethod
    def build_from_data(cls, data, target_bitsize: int):
        """Concrete words (simulable). `data`: 1D array of non-negative integers."""
        return cls(_words_from_array(data), target_bitsize)

    @classmethod
    def build_from_bitsize(cls, N: SymbolicInt, target_bitsize: SymbolicInt):
        """Sizes only (int or sympy), for costing: nothing is enumerated."""
        return cls(Shaped((N,)), target_bitsize)

    @property
    def N(self) -> SymbolicInt:
        if isinstance(self.data_or_shape, Shaped):
            return self.data_or_shape.shape[0]
        return len(self.data_or_shape)

    @property
    def address_bitsize(self) -> SymbolicInt:
        return log2_cells(self.N)

    @property
    def has_data(self) -> bool:
        return not isinstance(self.data_or_shape, Shaped)

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [
            Register("address", QUInt(self.address_bitsize)),
            Register("target", QAny(self.target_bitsize)),
        ]
        return Signature(regs)

    def on_classical_vals(self, **vals):
        if not self.has_data:
            raise NotImplementedError(f"{self} has no data")
        out = dict(vals)
        if not self.is_controlled or int(vals["ctrl"]) == 1:
            out["target"] = int(vals["target"]) ^ self.data_or_shape[int(vals["address"])]
        return out

    def split_registers(self, bb: BloqBuilder, soqs: dict) -> tuple[list, list, object]:
        """The address and target registers as lists of qubits, and `ctrl` (or `None`).

        Raises `DecomposeTypeError` for a bloq built from sizes (it has no gates to write).
        """
        if not self.has_data or is_symbolic(self.target_bitsize):
            raise DecomposeTypeError(f"Cannot decompose {self} built from sizes")
        return list(bb.split(soqs["address"])), list(bb.split(soqs["target"])), soqs.get("ctrl")

    def join_registers(self, bb: BloqBuilder, addr: list, tgt: list, ctrl) -> dict:
        out = {
            "address": bb.join(np.asarray(addr), dtype=QUInt(self.address_bitsize)),
            "target": bb.join(np.asarray(tgt), dtype=QAny(self.target_bitsize)),
        }
        if self.is_controlled:
            out["ctrl"] = ctrl
        return out

    def write_data(self, bb: BloqBuilder, leaves: list, tgt: list) -> None:
        """The memory: one CNOT from leaf signal $x$ into target bit $j$ per 1-bit of $D_x$."""
        b = int(self.target_bitsize)
        for x, word in enumerate(self.data_or_shape):
            for j in range(b):
                if (word >> (b - 1 - j)) & 1:
                    leaves[x], tgt[j] = bb.add(CNOT(), ctrl=leaves[x], target=tgt[j])

    def data_cnots(self) -> SymbolicInt:
        """CNOTs of `write_data`: the 1-bits of the data ($bN$, the worst case, from sizes)."""
        if self.has_data:
            return sum(bin(w).count("1") for w in self.data_or_shape)
        return self.N * self.target_bitsize

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self):
        return self

    def __str__(self):
        c = "C" if self.is_controlled else ""
        return f"{c}{type(self).__name__}(N={self.N}, b={self.target_bitsize})"
