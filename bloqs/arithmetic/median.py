"""Coherent median of k registers, for any odd k (Lemma III.3 of the quantum NTK paper)."""

import math
from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QBit,
    QUInt,
    Register,
    Side,
    Signature,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.arithmetic.comparison import LinearDepthGreaterThan
from qualtran.bloqs.basic_gates import CNOT, CSwap
from qualtran.resource_counting import BloqCountDictT, SympySymbolAllocator
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import SymbolicInt, is_symbolic


def _check_size(name: str, value: SymbolicInt, minimum: int) -> SymbolicInt:
    if is_symbolic(value):
        return value
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer or a sympy expression, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _check_k(k: SymbolicInt) -> SymbolicInt:
    k = _check_size("k", k, 1)
    if not is_symbolic(k) and k % 2 == 0:
        raise ValueError(f"CoherentMedian needs an odd number of registers k, got k={k}")
    return k


def transposition_network(k: int) -> list[tuple[int, int]]:
    """Compare-and-swap pairs (i, i+1) of the odd-even transposition sorting network on k wires.

    k rounds; round r compares (i, i+1) for i = r mod 2, r mod 2 + 2, ... Sorts any input
    (Knuth, TAOCP vol. 3, Sec. 5.3.4, ex. 37). Exactly k(k-1)/2 comparators for every k >= 1.
    """
    return [(i, i + 1) for r in range(k) for i in range(r % 2, k - 1, 2)]


def num_comparators(k: SymbolicInt) -> SymbolicInt:
    """Number of compare-and-swap elements of the odd-even transposition network: k(k-1)/2."""
    if is_symbolic(k):
        return k * (k - 1) / 2
    return k * (k - 1) // 2


def median_copies_for_failure(delta: float, alpha0: float = 8 / math.pi**2) -> int:
    r"""Number k of independent copies whose median fails with probability at most `delta`.

    Lemma III.3 of the quantum NTK paper (Zlokapa, Neven, Lloyd) is the median lemma of Wiebe,
    Kapoor and Svore (arXiv:1401.2142, 2014): each copy of a unitary is "good" with probability
    $\alpha \ge \alpha_0 > 1/2$ (amplitude estimation: $\alpha_0 = 8/\pi^2$, Brassard et al.
    Thm. 12). The median of k copies is good unless at most half of them are good, which by
    Hoeffding's inequality happens with probability at most $\exp(-2k(\alpha_0 - 1/2)^2)$.
    Hence

    $$ k = \left\lceil \frac{\ln(1/\Delta)}{2(\alpha_0 - 1/2)^2} \right\rceil, $$

    rounded up to the next odd integer (a median of an odd number of registers is one of them;
    rounding up only lowers the failure probability). The lemma's time
    $2T\lceil\ln(1/\Delta)/(2(|\alpha_0| - 1/2)^2)\rceil$ counts the k copies twice: computed,
    and uncomputed after the median has been copied out, which leaves the state
    $\sqrt{2\Delta}$-close to $|0\rangle^{\otimes mk}|x\rangle$.

    Args:
        delta: failure probability of the median, 0 < delta < 1.
        alpha0: lower bound on the success probability of one copy, 1/2 < alpha0 <= 1.

    Returns:
        An odd integer k >= 1.
    """
    delta = float(delta)
    alpha0 = float(alpha0)
    if not math.isfinite(delta) or not 0 < delta < 1:
        raise ValueError(f"delta must be a finite number in (0, 1), got {delta}")
    if not math.isfinite(alpha0) or not 0.5 < alpha0 <= 1:
        raise ValueError(f"alpha0 must be in (1/2, 1], got {alpha0}")
    k = max(1, math.ceil(math.log(1 / delta) / (2 * (alpha0 - 0.5) ** 2)))
    return k if k % 2 == 1 else k + 1


@frozen
class CoherentMedian(Bloq):
    r"""Median of k registers written into a fresh register; the sort is undone.

    $$ |v_1\rangle\cdots|v_k\rangle \mapsto |v_1\rangle\cdots|v_k\rangle|\mathrm{med}(v)\rangle $$

    for any odd k and unsigned `bitsize`-bit values. The decomposition

    1. sorts the k registers in place with the odd-even transposition network (k rounds,
       k(k-1)/2 compare-and-swap elements; works for every k, unlike Qualtran's `BitonicSort`
       which needs powers of two). Each element computes one comparison bit
       $c = [v_i > v_{i+1}]$ into a fresh qubit with `LinearDepthGreaterThan` (Gidney's
       comparator, `bitsize` Toffolis) and swaps the pair with `CSwap` controlled on c;
    2. copies the middle register (index (k-1)/2 after sorting) into `median` with `bitsize` CNOTs;
    3. runs the network backwards (CSwap, then the same comparator again, which XORs the same bit
       and so clears c), freeing every comparison bit.

    The comparison bits are therefore uncomputed, not kept as junk: they are live only between
    steps 1 and 3, and cost k(k-1)/2 qubits at the peak.

    Costs (Toffoli-like, `QECGatesCost`): $k(k-1)\cdot b$ Ands (the comparators, each run twice)
    and $k(k-1)\cdot b$ CSwaps of one bit, plus $b$ CNOTs. Qubits: $(k+1)b$ data +
    $k(k-1)/2$ comparison bits + the comparator's own ancillas ($b+3$).

    The adjoint (`is_adjoint=True`) takes the median in (LEFT register) and clears it: the same
    network, with the copy acting as an XOR that returns `median` to zero before it is freed.
    It is correct only when `median` holds the median of `values`, as after the forward bloq.

    Args:
        k: number of registers (odd; symbolic allowed).
        bitsize: bits of each register (symbolic allowed).
        is_adjoint: whether this is the uncomputing direction (median register consumed).

    Registers:
        values: k unsigned `bitsize`-bit registers (THRU, unchanged).
        median: `bitsize`-bit register, RIGHT (created) — or LEFT (consumed) when `is_adjoint`.

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Supplementary Lemma III.3 (median evaluation) and proof of Theorem III.5.

        [Quantum algorithms for nearest-neighbor methods for supervised and unsupervised
        learning](https://arxiv.org/abs/1401.2142). Wiebe, Kapoor, Svore. 2014.
        The coherent median lemma (median of amplitude-estimation outputs).

        [Halving the cost of quantum addition](https://arxiv.org/abs/1709.06648). Gidney. 2018.
        The comparator.
    """

    k: SymbolicInt = field(converter=_check_k)
    bitsize: SymbolicInt = field(converter=lambda b: _check_size("bitsize", b, 1))
    is_adjoint: bool = False

    @cached_property
    def signature(self) -> Signature:
        side = Side.LEFT if self.is_adjoint else Side.RIGHT
        return Signature(
            [
                Register("values", QUInt(self.bitsize), shape=(self.k,)),
                Register("median", QUInt(self.bitsize), side=side),
            ]
        )

    @property
    def num_comparators(self) -> SymbolicInt:
        return num_comparators(self.k)

    def adjoint(self) -> "CoherentMedian":
        return CoherentMedian(self.k, self.bitsize, is_adjoint=not self.is_adjoint)

    def on_classical_vals(self, values, median=None) -> dict:
        vals = np.asarray(values)
        med = int(np.sort(vals)[(len(vals) - 1) // 2])
        if self.is_adjoint:
            if int(median) != med:
                raise ValueError("CoherentMedian†: `median` does not hold the median of `values`")
            return {"values": vals}
        return {"values": vals, "median": med}

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.k, self.bitsize):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        k, b = int(self.k), int(self.bitsize)
        values = np.array(soqs["values"])
        pairs = transposition_network(k)
        cmp = LinearDepthGreaterThan(b)
        cswap = CSwap(b)

        bits = []
        for i, j in pairs:
            c = bb.allocate(dtype=QBit())
            values[i], values[j], c = bb.add(cmp, a=values[i], b=values[j], target=c)
            c, values[i], values[j] = bb.add(cswap, ctrl=c, x=values[i], y=values[j])
            bits.append(c)

        mid = (k - 1) // 2
        src = bb.split(values[mid])
        if self.is_adjoint:
            dst = bb.split(soqs["median"])
        else:
            dst = [bb.allocate(dtype=QBit()) for _ in range(b)]
        for q in range(b):
            src[q], dst[q] = bb.add(CNOT(), ctrl=src[q], target=dst[q])
        values[mid] = bb.join(src, dtype=QUInt(b))

        for (i, j), c in zip(reversed(pairs), reversed(bits), strict=True):
            c, values[i], values[j] = bb.add(cswap, ctrl=c, x=values[i], y=values[j])
            values[i], values[j], c = bb.add(cmp, a=values[i], b=values[j], target=c)
            bb.free(c)

        out: dict[str, SoquetT] = {"values": values}
        if self.is_adjoint:
            for q in dst:
                bb.free(q)
        else:
            out["median"] = bb.join(np.array(dst), dtype=QUInt(b))
        return out

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        c = self.num_comparators
        counts: dict[Bloq, SymbolicInt] = {CNOT(): self.bitsize}
        if is_symbolic(self.k) or self.k > 1:
            counts[LinearDepthGreaterThan(self.bitsize)] = 2 * c
            counts[CSwap(self.bitsize)] = 2 * c
        return counts

    def __str__(self) -> str:
        return f"CoherentMedian(k={self.k}, b={self.bitsize}){'†' if self.is_adjoint else ''}"


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _coherent_median() -> CoherentMedian:
    coherent_median = CoherentMedian(k=5, bitsize=3)
    return coherent_median


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _coherent_median_symb() -> CoherentMedian:
    k, b = sympy.symbols("k b", positive=True, integer=True)
    coherent_median_symb = CoherentMedian(k=k, bitsize=b)
    return coherent_median_symb


_COHERENT_MEDIAN_DOC = BloqDocSpec(
    bloq_cls=CoherentMedian,
    import_line="from bloqs.arithmetic.median import CoherentMedian, median_copies_for_failure",
    examples=[_coherent_median, _coherent_median_symb],
)
