r"""Gate-level bucket-brigade QRAM: routers, CSWAP routing and a bus (Giovannetti, Lloyd, Maccone
2008)."""

from collections import Counter

import attrs
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, TwoBitCSwap, TwoBitSwap, XGate
from qualtran.resource_counting import BloqCountDictT, QubitCount, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt

from bloqs.qram.qram_base import QRAMBase
from bloqs.qram.toffoli_depth import ToffoliDepth


class RouterTree:
    """The router tree of a bucket brigade while a `BloqBuilder` builds it.

    Node $(k, p)$ of level $k < n$ has a router qubit `routers[k][p]` and an input wire
    `wires[k][p]`; level $n$ has the $N$ leaf wires. All start in $|0\rangle$ ("route left").
    """

    def __init__(self, bb: BloqBuilder, n: int):
        self.bb = bb
        self.n = n
        self.routers = [[bb.allocate(1) for _ in range(2**k)] for k in range(n)]
        self.wires = [[bb.allocate(1) for _ in range(2**k)] for k in range(n + 1)]

    def _into_left_child(self, level: int, p: int) -> None:
        w, lower = self.wires[level], self.wires[level + 1]
        w[p], lower[2 * p] = self.bb.add(TwoBitSwap(), x=w[p], y=lower[2 * p])

    def _switch_children(self, level: int, p: int) -> None:
        lower = self.wires[level + 1]
        self.routers[level][p], lower[2 * p], lower[2 * p + 1] = self.bb.add(
            TwoBitCSwap(), ctrl=self.routers[level][p], x=lower[2 * p], y=lower[2 * p + 1]
        )

    def route(self, levels, down: bool) -> None:
        """Move every wire of each of `levels` to the child its router selects (or back up)."""
        for level in levels:
            for p in range(2**level):
                if down:
                    self._into_left_child(level, p)
                    self._switch_children(level, p)
                else:
                    self._switch_children(level, p)
                    self._into_left_child(level, p)

    def _store(self, level: int) -> None:
        for p in range(2**level):
            self.wires[level][p], self.routers[level][p] = self.bb.add(
                TwoBitSwap(), x=self.wires[level][p], y=self.routers[level][p]
            )

    def _swap_root(self, bit):
        bit, self.wires[0][0] = self.bb.add(TwoBitSwap(), x=bit, y=self.wires[0][0])
        return bit

    def load_address(self, addr: list) -> list:
        """Address bit $k$ into the root, down levels $0..k-1$, into the routers of level $k$."""
        for k in range(self.n):
            addr[k] = self._swap_root(addr[k])
            self.route(range(k), down=True)
            self._store(k)
        return addr

    def unload_address(self, addr: list) -> list:
        """The inverse of `load_address`: the routers back to $|0\rangle$."""
        for k in reversed(range(self.n)):
            self._store(k)
            self.route(reversed(range(k)), down=False)
            addr[k] = self._swap_root(addr[k])
        return addr

    def flip_bus(self, ctrl) -> object:
        """The bus signal at the root: $|1\rangle$ (X), or a copy of `ctrl` (CNOT)."""
        if ctrl is None:
            self.wires[0][0] = self.bb.add(XGate(), q=self.wires[0][0])
        else:
            ctrl, self.wires[0][0] = self.bb.add(CNOT(), ctrl=ctrl, target=self.wires[0][0])
        return ctrl

    def free(self) -> None:
        for row in self.routers + self.wires:
            for q in row:
                self.bb.free(q)


@attrs.frozen
class BucketBrigadeQRAM(QRAMBase, Bloq):
    r"""Bucket-brigade QRAM query $|x\rangle|t\rangle \to |x\rangle|t \oplus D_x\rangle$.

    The router architecture of Giovannetti, Lloyd and Maccone, in the qubit encoding of Hann et
    al.: a binary tree of $N - 1$ routers (one per internal node) and $2N - 1$ wires, allocated
    inside the decomposition and returned to $|0\rangle$. $N = 2^n$ cells of $b$ bits, `address`
    $x$ ($n$ qubits), `target` ($b$ qubits, XOR-ed, so the bloq is its own inverse).

    1. **Address in.** Address bit $k$ is swapped into the root wire, routed down levels
       $0..k-1$ (at each node a SWAP into the left child wire and a CSWAP of the two child wires
       controlled by the node's router) and swapped into the routers of level $k$. Afterwards the
       $n$ routers on the path to leaf $x$ hold the bits of $x$; the other $N - 1 - n$ routers
       stay $|0\rangle$ (inactive).
    2. **Bus in.** A $|1\rangle$ signal (the `ctrl` qubit in the controlled version) is routed
       from the root to leaf $x$ through the same SWAP + CSWAP steps.
    3. **Memory.** The cells are classical and compiled into gates: one CNOT from leaf wire $x$
       into target bit $j$ for every 1-bit of $D_x$ (at most $bN$ CNOTs, no qubits). A writable
       quantum memory would need a Toffoli per cell bit instead ($+bN$ Toffolis, $+bN$ qubits).
    4. **Bus out, address out**, the mirror images of 2 and 1.

    Cost: $4N - 4 - 2n$ CSWAPs (address: $2(N - 1 - n)$; bus: $2(N - 1)$), $6N - 6$ SWAPs,
    $2$ X (or CNOTs from `ctrl`) and the data CNOTs; no `And` or Toffoli. Qubits ($n + b + 2N$,
    $+1$ for `ctrl`): the $N - 1$ routers and $2N - 1$ wires, of which at most $2N$ are live at
    once. Toffoli-depth $4n - 2$ (CSWAP weight 1, ASAP over the flattened circuit): the address
    bits pipeline down the tree and the bus costs $n$ CSWAP layers each way. Routers active per
    query: $n$ (`routers_active_per_query`), the property behind the scheme's error resilience
    (Hann et al.).

    **Controlled version** (`is_controlled=True`, register `ctrl`; what `bloq.controlled()`
    returns): the bus signal is a copy of `ctrl`, so with `ctrl` = 0 no leaf is signalled and
    the target is untouched; no extra Toffoli.

    Args:
        data_or_shape: the $N$ words (tuple of ints), or `Shaped((N,))` for costing only.
        target_bitsize: $b$, bits per word.
        is_controlled: add the 1-qubit `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        address: $n = \log_2 N$ qubits (big-endian), returned unchanged.
        target: $b$ qubits, XOR-ed with the addressed word.

    References:
        [Quantum random access memory](https://arxiv.org/abs/0708.1879).
        Giovannetti, Lloyd, Maccone 2008. Phys. Rev. Lett. 100, 160501 (bucket-brigade scheme).

        [Resilience of Quantum Random Access Memory to Generic Noise](
        https://arxiv.org/abs/2012.05340). Hann, Lee, Girvin, Jiang 2021 (qubit router circuit,
        error resilience from the $O(\log N)$ active routers).

        [Fault-tolerant resource estimation of quantum random-access memories](
        https://arxiv.org/abs/1902.01329). Di Matteo, Gheorghiu, Mosca 2020 (Clifford+T bucket
        brigade: T-count $21N - 28$, $n + 2N + 5$ qubits; compared in the tests).
    """

    @property
    def num_routers(self) -> SymbolicInt:
        """Routers in the tree: $N - 1$."""
        return self.N - 1

    @property
    def routers_active_per_query(self) -> SymbolicInt:
        """Routers holding an address bit during a query: the $n$ on the path to leaf $x$."""
        return self.address_bitsize

    def toffoli_depth(self) -> SymbolicInt:
        """Toffoli-depth $4n - 2$ of the flattened circuit (ASAP, CSWAP weight 1)."""
        return 4 * self.address_bitsize - 2

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        addr, tgt, ctrl = self.split_registers(bb, soqs)
        tree = RouterTree(bb, len(addr))
        addr = tree.load_address(addr)
        ctrl = tree.flip_bus(ctrl)
        tree.route(range(tree.n), down=True)
        self.write_data(bb, tree.wires[tree.n], tgt)
        tree.route(reversed(range(tree.n)), down=False)
        ctrl = tree.flip_bus(ctrl)
        addr = tree.unload_address(addr)
        tree.free()
        return self.join_registers(bb, addr, tgt, ctrl)

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        N, n = self.N, self.address_bitsize
        counts: Counter[Bloq] = Counter()
        counts[CNOT()] += self.data_cnots()
        counts[TwoBitCSwap()] += 4 * N - 4 - 2 * n
        counts[TwoBitSwap()] += 6 * N - 6
        counts[CNOT() if self.is_controlled else XGate()] += 2
        return counts

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, ToffoliDepth):
            return self.toffoli_depth()
        if isinstance(cost_key, QubitCount) and not self.has_data:
            return int(self.is_controlled) + self.address_bitsize + self.target_bitsize + 2 * self.N
        return NotImplemented


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _bucket_brigade_qram() -> BucketBrigadeQRAM:
    bucket_brigade_qram = BucketBrigadeQRAM.build_from_data([3, 0, 5, 7, 1, 6, 2, 4], 3)
    return bucket_brigade_qram


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _bucket_brigade_qram_symb() -> BucketBrigadeQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    bucket_brigade_qram_symb = BucketBrigadeQRAM.build_from_bitsize(N, b)
    return bucket_brigade_qram_symb


_BUCKET_BRIGADE_QRAM_DOC = BloqDocSpec(
    bloq_cls=BucketBrigadeQRAM,
    examples=(_bucket_brigade_qram, _bucket_brigade_qram_symb),
)
