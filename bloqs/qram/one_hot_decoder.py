r"""One-hot address decoder read of a classical table (a parallel form of unary iteration)."""

from collections import Counter

import attrs
import sympy
from qualtran import Bloq, BloqBuilder, BloqDocSpec, SoquetT, bloq_example
from qualtran.bloqs.basic_gates import CNOT, XGate
from qualtran.bloqs.mcmt import And
from qualtran.resource_counting import BloqCountDictT, QubitCount, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.qram.qram_base import QRAMBase
from bloqs.qram.toffoli_depth import ToffoliDepth


def _fan_out(bb: BloqBuilder, src, count: int) -> list:
    """`count` qubits all equal to `src` (src first), by a CNOT doubling tree."""
    copies = [src]
    while len(copies) < count:
        for i in range(min(len(copies), count - len(copies))):
            new = bb.allocate(1)
            copies[i], new = bb.add(CNOT(), ctrl=copies[i], target=new)
            copies.append(new)
    return copies


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


@attrs.frozen
class OneHotDecoderQRAM(QRAMBase, Bloq):
    r"""Table read by a parallel one-hot address decoder: $|x\rangle|t\rangle \to
    |x\rangle|t \oplus D_x\rangle$.

    Not a bucket brigade (no routers, no bus): the address is decoded into $N$ one-hot flags,
    level by level, and the data are written by CNOTs from the flags. It is the unary-iteration
    QROM of Babbush et al. with the iteration tree evaluated breadth-first instead of
    depth-first, so that all the `And`s of one level act at once:

    * level $k$ splits each flag by address bit $k$: child$_1$ = And(parent, $x_k$), child$_0$ =
      parent $\oplus$ child$_1$ in place; $x_k$ is first fanned out to $2^k$ copies by a CNOT
      doubling tree (and fanned back in), so the `And`s of a level are parallel;
    * the memory: one CNOT from flag $x$ into target bit $j$ for every 1-bit of $D_x$ (classical
      cells compiled into Cliffords, at most $bN$ CNOTs);
    * the flags are uncomputed by measurement (`And†`, no T) in reverse order.

    Cost: $N - 2$ `And`s ($N - 1$ controlled) — the same Toffoli count as unary iteration,
    $N - 2$ (Babbush et al. 2018, Sec. III.A) — and $4N - 8$ T; Cliffords $6N - 4n - 4$ CNOTs
    (fan-out trees and in-place updates), 2 X and the data CNOTs. Toffoli-depth $n - 1$ ($n$
    controlled) instead of unary iteration's $\approx N$; qubits $n + b + N + \lfloor N/4
    \rfloor$ ($N$ flags plus the address copies live while the last level's `And`s run; $+1$
    for `ctrl`), against unary iteration's $n + b + n$.

    **Controlled version** (`is_controlled=True`, register `ctrl`; what `bloq.controlled()`
    returns): the root flag is `ctrl` (one more `And`); with `ctrl` = 0 the target is untouched.

    Args:
        data_or_shape: the $N$ words (tuple of ints), or `Shaped((N,))` for costing only.
        target_bitsize: $b$, bits per word.
        is_controlled: add the 1-qubit `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit.
        address: $n = \log_2 N$ qubits (big-endian), returned unchanged.
        target: $b$ qubits, XOR-ed with the addressed word.

    References:
        [Encoding Electronic Spectra in Quantum Circuits with Linear T Complexity](
        https://arxiv.org/abs/1805.03662). Babbush, Gidney, Berry, Wiebe, McClean, Paler, Fowler,
        Neven 2018. Sec. III.A (unary iteration, $N - 2$ Toffolis) and Fig. 4 (temporary
        `And` with measurement-based uncomputation).

        [Quantum random access memory](https://arxiv.org/abs/0708.1879).
        Giovannetti, Lloyd, Maccone 2008 (the fan-out QRAM architecture, with the bucket brigade
        as the alternative; here the fan-out decoder's flags are computed with temporary `And`s).
    """

    def toffoli_depth(self) -> SymbolicInt:
        """Toffoli-depth $n - 1$ ($n$ controlled) of the flattened circuit (And† weight 0)."""
        return self.address_bitsize - 1 + int(self.is_controlled)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        addr, tgt, ctrl = self.split_registers(bb, soqs)
        flags, ctrl = self._root_flags(bb, addr, ctrl)
        for k in range(1, len(addr)):
            copies = _fan_out(bb, addr[k], len(flags))
            new_flags = []
            for p, parent in enumerate(flags):
                (parent, copies[p]), child1 = bb.add(And(), ctrl=[parent, copies[p]])
                child1, parent = bb.add(CNOT(), ctrl=child1, target=parent)
                new_flags += [parent, child1]
            addr[k] = _fan_in(bb, copies)
            flags = new_flags
        self.write_data(bb, flags, tgt)
        for k in reversed(range(1, len(addr))):
            copies = _fan_out(bb, addr[k], len(flags) // 2)
            old_flags = []
            for p in range(len(flags) // 2):
                parent, child1 = flags[2 * p], flags[2 * p + 1]
                child1, parent = bb.add(CNOT(), ctrl=child1, target=parent)
                parent, copies[p] = bb.add(And().adjoint(), ctrl=[parent, copies[p]], target=child1)
                old_flags.append(parent)
            addr[k] = _fan_in(bb, copies)
            flags = old_flags
        ctrl = self._free_root_flags(bb, addr, ctrl, flags)
        return self.join_registers(bb, addr, tgt, ctrl)

    @staticmethod
    def _root_flags(bb: BloqBuilder, addr: list, ctrl):
        """Flags [x_0 = 0, x_0 = 1], AND-ed with `ctrl` in the controlled version."""
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
        return [f0, f1], ctrl

    @staticmethod
    def _free_root_flags(bb: BloqBuilder, addr: list, ctrl, flags: list):
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
        return ctrl

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        N, n = self.N, self.address_bitsize
        c = int(self.is_controlled)
        counts: Counter[Bloq] = Counter()
        counts[And()] += N - 2 + c
        counts[And().adjoint()] += N - 2 + c
        # fan-out trees (2^k - 1 CNOTs, out and back, twice), in-place child0 updates, data
        counts[CNOT()] += 6 * N - 4 * n - 4 + self.data_cnots()
        if not self.is_controlled:
            counts[XGate()] += 2
        return Counter({k: v for k, v in counts.items() if is_symbolic(v) or v != 0})

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, ToffoliDepth):
            return self.toffoli_depth()
        if isinstance(cost_key, QubitCount) and not self.has_data:
            N = self.N
            quarter = sympy.floor(N / 4) if is_symbolic(N) else N // 4
            registers = int(self.is_controlled) + self.address_bitsize + self.target_bitsize
            return registers + N + quarter
        return NotImplemented


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _one_hot_decoder_qram() -> OneHotDecoderQRAM:
    one_hot_decoder_qram = OneHotDecoderQRAM.build_from_data([3, 0, 5, 7, 1, 6, 2, 4], 3)
    return one_hot_decoder_qram


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _one_hot_decoder_qram_symb() -> OneHotDecoderQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    one_hot_decoder_qram_symb = OneHotDecoderQRAM.build_from_bitsize(N, b)
    return one_hot_decoder_qram_symb


_ONE_HOT_DECODER_QRAM_DOC = BloqDocSpec(
    bloq_cls=OneHotDecoderQRAM,
    examples=(_one_hot_decoder_qram, _one_hot_decoder_qram_symb),
)
