r"""Gate-level bucket-brigade QRAM (Giovannetti, Lloyd, Maccone 2008)."""

import numbers
from collections import Counter
from functools import cached_property

import attrs
import numpy as np
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    CtrlSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, TwoBitCSwap, TwoBitSwap, XGate
from qualtran.bloqs.mcmt import And
from qualtran.resource_counting import BloqCountDictT, QubitCount, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import Shaped, SymbolicInt, is_symbolic

from bloqs.qram.toffoli_depth import ToffoliDepth
from bloqs.specialized_ctrl import ctrl_system_from_is_controlled

FORMS = ("t_optimized", "router")


def _log2(N: SymbolicInt) -> SymbolicInt:
    if is_symbolic(N):
        return sympy.ceiling(sympy.log(N, 2))
    return int(N).bit_length() - 1


_FORM_ALIASES = {
    "t_optimized": "t_optimized",
    "t_optimised": "t_optimized",
    "optimized": "t_optimized",
    "optimised": "t_optimized",
    "router": "router",
    "faithful": "router",
}


def _normalize_form(form) -> str:
    key = form.lower().replace("-", "_") if isinstance(form, str) else form
    return _FORM_ALIASES.get(key, form)


def _check_size(N: SymbolicInt) -> None:
    if is_symbolic(N):
        return
    if int(N) != N or int(N) < 2 or (int(N) & (int(N) - 1)) != 0:
        raise ValueError(f"the number of cells N must be a power of two >= 2, got {N}")


@attrs.frozen
class BucketBrigadeQRAM(Bloq):
    r"""Bucket-brigade QRAM query $|x\rangle|t\rangle \to |x\rangle|t \oplus D_x\rangle$.

    $N = 2^n$ cells of $b$ bits, `address` $x$ ($n$ qubits), `target` ($b$ qubits, XOR-ed so the
    bloq is its own inverse). The router tree of $N - 1$ nodes is allocated inside the
    decomposition and returned clean.

    **How the memory is realised.** The cell contents are classical and compiled into gates: at
    leaf $x$, one CNOT from the leaf's signal wire to target bit $j$ for every 1-bit of $D_x$.
    The memory therefore costs only Clifford gates (at most $bN$ CNOTs) and no qubits. If the
    cells were qubits (a writable quantum memory), each leaf would instead need a Toffoli per bit
    (signal AND cell into target): $+bN$ Toffolis and $+bN$ qubits on top of the counts below.

    **Two forms** (`form`):

    * `"router"` — the faithful bucket brigade of Giovannetti–Lloyd–Maccone, in the qubit
      encoding analysed by Hann et al.: every tree node $(k, p)$ has a router qubit and an input
      wire. Address bit $k$ is swapped into the root wire, routed down levels $0..k-1$ (a SWAP
      into the left child wire and a CSWAP controlled by the node's router), and swapped into the
      routers of level $k$. Then the bus (a $|1\rangle$ signal — or the `ctrl` qubit in the
      controlled version) is routed down to leaf $x$, the data CNOTs fire, the bus is routed back
      and the address bits are routed back out in reverse. Cost: $4N - 4 - 2n$ CSWAPs,
      $6N - 6$ SWAPs; $N - 1$ routers and $2N - 1$ wires, of which at most $2N$ are live at
      once: qubits $n + b + 2N$.
    * `"t_optimized"` (default) — the router flags are computed level by level with temporary
      ANDs (unary-iteration style): the one-hot flags of level $k$ are split by address bit $k$
      (child$_1$ = And(parent, $x_k$), child$_0$ = parent $\oplus$ child$_1$ in place), with
      $x_k$ first fanned out to $2^k$ copies by a CNOT tree so all ANDs of a level act in
      parallel. The flags are uncomputed by measurement (`And†`, no T). Cost: $N - 2$ ANDs
      ($N - 1$ controlled), i.e. $4N - 8$ T — the unary-iteration floor — at Toffoli-depth
      $n - 1$ ($n$ controlled); qubits $n + b + N + \lfloor N/4 \rfloor$ ($N$ flags plus the
      address copies still live while the last level's ANDs run).

    Qubit counts are Qualtran's `QubitCount` (sequential min-max over the decomposition); the
    Cirq circuit built with `cirq.GreedyQubitManager(maximize_reuse=True)` uses the same number
    (checked at $N = 8$). Both forms add $+1$ for `ctrl`.

    Toffoli-depth (ASAP over the flattened circuit, And/Toffoli/CSWAP weight 1, And† weight 0;
    checked against the Cirq circuit): `"t_optimized"` $n - 1$ ($n$ controlled); `"router"`
    $4n - 2$ for $n \geq 1$ (address bits pipeline down the tree; routing the bus costs $n$ each
    way). See `bloqs.qram.toffoli_depth.ToffoliDepth`.

    **Controlled version** (`is_controlled=True`, register `ctrl`; what `bloq.controlled()`
    returns): with `ctrl` = 0 the target is untouched. In the router form the bus signal is the
    `ctrl` qubit itself (no extra Toffoli); in the T-optimised form the root flag is `ctrl`
    (one more AND).

    Args:
        data_or_shape: the $N$ words (tuple of ints), or `Shaped((N,))` for costing only.
        target_bitsize: $b$, bits per word.
        form: `"t_optimized"` (alias `"optimized"`) or `"router"` (alias `"faithful"`).
        is_controlled: add the 1-qubit `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        address: $n = \log_2 N$ qubits (big-endian), returned unchanged.
        target: $b$ qubits, XOR-ed with the addressed word.

    References:
        [Quantum random access memory](https://arxiv.org/abs/0708.1879).
        Giovannetti, Lloyd, Maccone 2008. Phys. Rev. Lett. 100, 160501 (bucket-brigade scheme).

        [Resilience of Quantum Random Access Memory to Generic Noise](
        https://arxiv.org/abs/2012.05340). Hann, Lee, Girvin, Jiang 2021 (qubit router circuit).

        [Fault-tolerant resource estimation of quantum random-access memories](
        https://arxiv.org/abs/1902.01329). Di Matteo, Gheorghiu, Mosca 2020 (Clifford+T bucket
        brigade: T-count $21N - 28$, $n + 2N + 5$ qubits; compared in the tests).

        [Encoding Electronic Spectra in Quantum Circuits with Linear T Complexity](
        https://arxiv.org/abs/1805.03662). Babbush et al. 2018 (temporary ANDs, measurement-based
        uncomputation).
    """

    data_or_shape: tuple[int, ...] | Shaped
    target_bitsize: SymbolicInt
    form: str = attrs.field(default="t_optimized", converter=_normalize_form)
    is_controlled: bool = False

    def __attrs_post_init__(self):
        if self.form not in FORMS:
            raise ValueError(f"form must be one of {FORMS}, got {self.form!r}")
        _check_size(self.N)
        b = self.target_bitsize
        if not is_symbolic(b) and (int(b) != b or int(b) < 1):
            raise ValueError(f"target_bitsize must be a positive integer, got {b}")
        if not isinstance(self.data_or_shape, Shaped):
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
    def build_from_data(
        cls, data, target_bitsize: int, form: str = "t_optimized"
    ) -> "BucketBrigadeQRAM":
        """Concrete words (simulable). `data`: 1D array of non-negative integers."""
        arr = np.asarray(data)
        if arr.ndim != 1:
            raise ValueError(f"QRAM data must be 1D, got shape {arr.shape}")
        if arr.dtype.kind == "f":
            if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
                raise ValueError("QRAM words must be finite integers")
        elif arr.dtype.kind not in "iu":
            raise ValueError(f"QRAM words must be integers, got dtype {arr.dtype}")
        return cls(tuple(int(w) for w in arr), target_bitsize, form)

    @classmethod
    def build_from_bitsize(
        cls, N: SymbolicInt, target_bitsize: SymbolicInt, form: str = "t_optimized"
    ) -> "BucketBrigadeQRAM":
        """Sizes only (int or sympy), for costing: nothing is enumerated."""
        return cls(Shaped((N,)), target_bitsize, form)

    @property
    def N(self) -> SymbolicInt:
        if isinstance(self.data_or_shape, Shaped):
            return self.data_or_shape.shape[0]
        return len(self.data_or_shape)

    @property
    def address_bitsize(self) -> SymbolicInt:
        return _log2(self.N)

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

    # ------------------------------------------------------------------ classical
    def on_classical_vals(self, **vals):
        x = int(vals["address"])
        if not self.has_data:
            raise NotImplementedError(f"{self} has no data")
        out = dict(vals)
        if not self.is_controlled or int(vals["ctrl"]) == 1:
            out["target"] = int(vals["target"]) ^ self.data_or_shape[x]
        return out

    # ------------------------------------------------------------------ decomposition
    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if not self.has_data or is_symbolic(self.target_bitsize):
            raise DecomposeTypeError(f"Cannot decompose {self} built from sizes")
        addr = list(bb.split(soqs["address"]))
        tgt = list(bb.split(soqs["target"]))
        ctrl = soqs.get("ctrl")
        if self.form == "router":
            addr, tgt, ctrl = self._build_router(bb, addr, tgt, ctrl)
        else:
            addr, tgt, ctrl = self._build_t_optimized(bb, addr, tgt, ctrl)
        out = {
            "address": bb.join(np.asarray(addr), dtype=QUInt(self.address_bitsize)),
            "target": bb.join(np.asarray(tgt), dtype=QAny(self.target_bitsize)),
        }
        if self.is_controlled:
            out["ctrl"] = ctrl
        return out

    def _write_data(self, bb: BloqBuilder, leaves: list, tgt: list) -> None:
        b = int(self.target_bitsize)
        for x, word in enumerate(self.data_or_shape):
            for j in range(b):
                if (word >> (b - 1 - j)) & 1:
                    leaves[x], tgt[j] = bb.add(CNOT(), ctrl=leaves[x], target=tgt[j])

    @staticmethod
    def _fan_out(bb: BloqBuilder, src, count: int) -> list:
        """`count` qubits all equal to `src` (src first), by a CNOT doubling tree."""
        copies = [src]
        while len(copies) < count:
            for i in range(min(len(copies), count - len(copies))):
                new = bb.allocate(1)
                copies[i], new = bb.add(CNOT(), ctrl=copies[i], target=new)
                copies.append(new)
        return copies

    @staticmethod
    def _fan_in(bb: BloqBuilder, copies: list):
        """Inverse of `_fan_out`: uncompute and free the copies, return the source."""
        copies = list(copies)
        while len(copies) > 1:
            half = 1 << ((len(copies) - 1).bit_length() - 1)
            for i in reversed(range(half, len(copies))):
                j = i - half
                copies[j], copies[i] = bb.add(CNOT(), ctrl=copies[j], target=copies[i])
                bb.free(copies[i])
            copies = copies[:half]
        return copies[0]

    def _build_t_optimized(self, bb, addr, tgt, ctrl):
        n = len(addr)
        # level 1: flags [x_0 = 0, x_0 = 1] (AND-ed with ctrl in the controlled version)
        f1 = bb.allocate(1)
        f0 = bb.allocate(1)
        if ctrl is None:
            addr[0], f1 = bb.add(CNOT(), ctrl=addr[0], target=f1)
            f0 = bb.add(XGate(), q=f0)
        else:
            bb.free(f1)
            (ctrl, addr[0]), f1 = bb.add(And(), ctrl=[ctrl, addr[0]])
            ctrl, f0 = bb.add(CNOT(), ctrl=ctrl, target=f0)
        f1, f0 = bb.add(CNOT(), ctrl=f1, target=f0)
        flags = [f0, f1]
        for k in range(1, n):
            copies = self._fan_out(bb, addr[k], len(flags))
            new_flags = []
            for p, parent in enumerate(flags):
                (parent, copies[p]), child1 = bb.add(And(), ctrl=[parent, copies[p]])
                child1, parent = bb.add(CNOT(), ctrl=child1, target=parent)
                new_flags += [parent, child1]
            addr[k] = self._fan_in(bb, copies)
            flags = new_flags
        self._write_data(bb, flags, tgt)
        for k in reversed(range(1, n)):
            copies = self._fan_out(bb, addr[k], len(flags) // 2)
            old_flags = []
            for p in range(len(flags) // 2):
                parent, child1 = flags[2 * p], flags[2 * p + 1]
                child1, parent = bb.add(CNOT(), ctrl=child1, target=parent)
                parent, copies[p] = bb.add(And().adjoint(), ctrl=[parent, copies[p]], target=child1)
                old_flags.append(parent)
            addr[k] = self._fan_in(bb, copies)
            flags = old_flags
        f0, f1 = flags
        f1, f0 = bb.add(CNOT(), ctrl=f1, target=f0)
        if ctrl is None:
            f0 = bb.add(XGate(), q=f0)
            addr[0], f1 = bb.add(CNOT(), ctrl=addr[0], target=f1)
            bb.free(f1)
        else:
            ctrl, f0 = bb.add(CNOT(), ctrl=ctrl, target=f0)
            ctrl, addr[0] = bb.add(And().adjoint(), ctrl=[ctrl, addr[0]], target=f1)
        bb.free(f0)
        return addr, tgt, ctrl

    def _build_router(self, bb, addr, tgt, ctrl):
        n = len(addr)
        routers = [[bb.allocate(1) for _ in range(2**k)] for k in range(n)]
        wires = [[bb.allocate(1) for _ in range(2**k)] for k in range(n + 1)]

        def route_down(level: int, p: int):
            """Move the content of wire (level, p) to the child chosen by router (level, p)."""
            wires[level][p], wires[level + 1][2 * p] = bb.add(
                TwoBitSwap(), x=wires[level][p], y=wires[level + 1][2 * p]
            )
            routers[level][p], wires[level + 1][2 * p], wires[level + 1][2 * p + 1] = bb.add(
                TwoBitCSwap(),
                ctrl=routers[level][p],
                x=wires[level + 1][2 * p],
                y=wires[level + 1][2 * p + 1],
            )

        def route_up(level: int, p: int):
            routers[level][p], wires[level + 1][2 * p], wires[level + 1][2 * p + 1] = bb.add(
                TwoBitCSwap(),
                ctrl=routers[level][p],
                x=wires[level + 1][2 * p],
                y=wires[level + 1][2 * p + 1],
            )
            wires[level][p], wires[level + 1][2 * p] = bb.add(
                TwoBitSwap(), x=wires[level][p], y=wires[level + 1][2 * p]
            )

        def store(level: int):
            for p in range(2**level):
                wires[level][p], routers[level][p] = bb.add(
                    TwoBitSwap(), x=wires[level][p], y=routers[level][p]
                )

        # 1. address bits in, one after another, each down to its level
        for k in range(n):
            addr[k], wires[0][0] = bb.add(TwoBitSwap(), x=addr[k], y=wires[0][0])
            for level in range(k):
                for p in range(2**level):
                    route_down(level, p)
            store(k)
        # 2. the bus signal in
        if ctrl is None:
            wires[0][0] = bb.add(XGate(), q=wires[0][0])
        else:
            ctrl, wires[0][0] = bb.add(CNOT(), ctrl=ctrl, target=wires[0][0])
        for level in range(n):
            for p in range(2**level):
                route_down(level, p)
        # 3. the memory: classical words compiled into CNOTs from the leaf wires
        self._write_data(bb, wires[n], tgt)
        # 4. the bus back
        for level in reversed(range(n)):
            for p in range(2**level):
                route_up(level, p)
        if ctrl is None:
            wires[0][0] = bb.add(XGate(), q=wires[0][0])
        else:
            ctrl, wires[0][0] = bb.add(CNOT(), ctrl=ctrl, target=wires[0][0])
        # 5. address bits out, in reverse
        for k in reversed(range(n)):
            store(k)
            for level in reversed(range(k)):
                for p in range(2**level):
                    route_up(level, p)
            addr[k], wires[0][0] = bb.add(TwoBitSwap(), x=addr[k], y=wires[0][0])
        for row in routers + wires:
            for q in row:
                bb.free(q)
        return addr, tgt, ctrl

    # ------------------------------------------------------------------ costs
    def _data_cnots(self) -> SymbolicInt:
        if self.has_data:
            return sum(bin(w).count("1") for w in self.data_or_shape)
        return self.N * self.target_bitsize  # worst case: every bit set

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        N, n = self.N, self.address_bitsize
        counts: Counter[Bloq] = Counter()
        counts[CNOT()] += self._data_cnots()
        if self.form == "router":
            counts[TwoBitCSwap()] += 4 * N - 4 - 2 * n
            counts[TwoBitSwap()] += 6 * N - 6
            if self.is_controlled:
                counts[CNOT()] += 2
            else:
                counts[XGate()] += 2
            return counts
        c = int(self.is_controlled)
        counts[And()] += N - 2 + c
        counts[And().adjoint()] += N - 2 + c
        # fan-out trees (2^k - 1 CNOTs, out and back, twice) and in-place child0 updates
        counts[CNOT()] += 6 * N - 4 * n - 4
        if not self.is_controlled:
            counts[XGate()] += 2
        return Counter({k: v for k, v in counts.items() if is_symbolic(v) or v != 0})

    def toffoli_depth(self) -> SymbolicInt:
        """Toffoli-depth of the flattened circuit (ASAP, And† weight 0)."""
        n = self.address_bitsize
        if self.form == "router":
            return 4 * n - 2
        return n - 1 + int(self.is_controlled)

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, ToffoliDepth):
            return self.toffoli_depth()
        if isinstance(cost_key, QubitCount) and not self.has_data:
            N, n, b = self.N, self.address_bitsize, self.target_bitsize
            c = int(self.is_controlled)
            if self.form == "router":
                return c + n + b + 2 * N
            quarter = N // 4 if not is_symbolic(N) else sympy.floor(N / 4)
            return c + n + b + N + quarter
        return NotImplemented

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self) -> "BucketBrigadeQRAM":
        return self

    def __str__(self):
        c = "C" if self.is_controlled else ""
        return f"{c}BucketBrigadeQRAM(N={self.N}, b={self.target_bitsize}, {self.form})"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _bucket_brigade_qram() -> BucketBrigadeQRAM:
    bucket_brigade_qram = BucketBrigadeQRAM.build_from_data([3, 0, 5, 7, 1, 6, 2, 4], 3)
    return bucket_brigade_qram


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _bucket_brigade_qram_router() -> BucketBrigadeQRAM:
    bucket_brigade_qram_router = BucketBrigadeQRAM.build_from_data(
        [3, 0, 5, 7, 1, 6, 2, 4], 3, form="router"
    )
    return bucket_brigade_qram_router


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _bucket_brigade_qram_symb() -> BucketBrigadeQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    bucket_brigade_qram_symb = BucketBrigadeQRAM.build_from_bitsize(N, b)
    return bucket_brigade_qram_symb


_BUCKET_BRIGADE_QRAM_DOC = BloqDocSpec(
    bloq_cls=BucketBrigadeQRAM,
    examples=(_bucket_brigade_qram, _bucket_brigade_qram_router, _bucket_brigade_qram_symb),
)
