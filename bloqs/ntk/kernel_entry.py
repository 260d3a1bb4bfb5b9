"""One NTK entry k(a·b) on a flag: overlap → amplitude estimation → median → lookup → arccos."""

from collections.abc import Mapping
from functools import cached_property

import numpy as np
import sympy
from attrs import field, frozen
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
from qualtran.resource_counting import (
    BloqCountDictT,
    QubitCount,
    SympySymbolAllocator,
    get_cost_value,
)
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import Shaped, SymbolicInt, is_symbolic, smax

from bloqs.amplitude_estimation.amplitude_estimation import AmplitudeEstimation
from bloqs.arithmetic.function_lookup import FunctionLookup
from bloqs.arithmetic.median import CoherentMedian
from bloqs.encoding.arccos_rotation import ArccosRotation
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from bloqs.ntk.renamed_registers import RenamedRegisters, as_pairs
from bloqs.readout.idle_registers import WithIdleRegisters
from bloqs.specialized_ctrl import ctrl_system_from_is_controlled
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader

TARGET = "target"
#: Register names of `KernelEntry` besides the exposed index registers.
OWN_REGISTERS = ("ctrl", "flag", "scratch", TARGET)


def fold_table(phase_bits: int) -> tuple[int, ...]:
    """y -> min(y, 2^m - y): the phase integers y and 2^m - y give the same estimate
    sin²(πy/2^m), and canonical AE returns either with equal weight (eigenphases ±2θ).

    Folding first makes the good copies agree, so the median of k folded copies is good whenever
    more than half of the copies are (Lemma III.3); the median of raw phase integers is not.
    """
    big_m = 2**phase_bits
    return tuple(min(y, big_m - y) for y in range(big_m))


def odd_copies(k: SymbolicInt) -> SymbolicInt:
    """Validate the number of median copies: an odd integer >= 1 (or symbolic)."""
    if is_symbolic(k):
        return k
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1 or k % 2 == 0:
        raise ValueError(f"median_copies must be an odd integer >= 1, got {k!r}")
    return int(k)


def positive_bits(name: str):
    """A converter: a positive integer (or symbolic) named `name`."""

    def conv(v: SymbolicInt) -> SymbolicInt:
        if is_symbolic(v):
            return v
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
        return int(v)

    return conv


def angle_table_converter(table):
    """Angle table: `Shaped` (sizes only) or a 1-D integer array, stored as a tuple."""
    if isinstance(table, Shaped):
        return table
    arr = np.asarray(table)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise ValueError("angle_table must be a 1-D array of integers (phase -> angle integer)")
    return tuple(int(v) for v in arr)


def _renames(value) -> tuple[tuple[str, str], ...]:
    return as_pairs(value if isinstance(value, Mapping) else dict(value))


@frozen
class KernelEntry(Bloq):
    r"""One tabulated kernel entry $k(\langle a|b\rangle)$ written on a flag amplitude.

    $$ |j\rangle|k\rangle|0\rangle_{flag}|0\rangle_{scratch} \mapsto |j\rangle|k\rangle\big(
       \cos\theta_{jk}|0\rangle + \sin\theta_{jk}|1\rangle\big)|0\rangle + (\text{garbage}),
       \qquad \cos\theta_{jk} \approx \hat k(\langle a_j|b_k\rangle)/k_{max} $$

    where `prep_a` prepares $|a_j\rangle$ and `prep_b` prepares $|b_k\rangle$ on a `target`
    register. The pipeline of Algorithm 1 (lines 2–6) and of the proof of Theorem III.5:

    1. k = `median_copies` copies of `AmplitudeEstimation(HadamardTestOverlap(prep_a, prep_b),
       phase_bits)`: copy c writes a phase $y_c$ with $\tilde p = \sin^2(\pi y_c/2^m)$,
       $p = (1 - \langle a_j|b_k\rangle)/2$ (eqs. 24–26); the index registers pass through;
    2. (k > 1) each phase is folded, $y \mapsto \min(y, 2^m - y)$ (`FunctionLookup` into a fresh
       register; AE returns $y$ and $2^m - y$ with equal weight), then `CoherentMedian` of the k
       folded values (Lemma III.3);
    3. `FunctionLookup(angle_table)`: phase → angle integer $a$ (e.g.
       `qntk_compile.kernel.table.kernel_angle_table`: $\rho = \cos 2\pi y/2^m \to
       \hat k(\rho)/k_{max} \to a = \mathrm{round}(\arccos(k)/\pi\cdot 2^b)$);
    4. `ArccosRotation`: `flag` $\to \cos(\pi a/2^b)|0\rangle + \sin(\pi a/2^b)|1\rangle$;
    5. steps 3, 2, 1 undone in reverse order.

    **Register names.** Every register of `prep_a` / `prep_b` other than `target` (e.g. a row
    loader's `index`) is exposed under the name `rename_a` / `rename_b` gives it (default: its
    own name). Registers of both preparations that end up with the same name are shared (read by
    both; e.g. a row loader and a test-point loader sharing nothing but `target`). So two row
    loaders compare rows $j$ and $k$ with `rename_a={'index': 'j'}`, `rename_b={'index': 'k'}`
    (what `from_sizes` / `from_data` build): registers `j`, `k`, `flag`, `scratch`.

    **Scratch and garbage.** The AE copies' registers (per copy: `target` (log d), the
    Hadamard-test flag (1) and the phase (m)) form the THRU register `scratch`, which must start
    in $|0\rangle$. They are exposed, not freed inside, because AE† cannot fully disentangle them
    when the rotation angle depends on the AE outcome: the flag-0 amplitude with clean scratch is
    $\sum_y \Pr(y)\cos\theta_{a(y)}$ and the rest of the weight stays in `scratch` (the leak,
    which vanishes as AE becomes sharp). Fold, median and angle registers are exact functions of
    the phases and are allocated and uncomputed inside.

    **Controlled version** (`is_controlled=True`, register `ctrl`): only the rotation takes the
    control; everything else is computed and uncomputed either way.

    Costs: $k$ AE + $k$ AE† ($2k(2^{m+1} - 1)$ calls of each controlled preparation), $2k$ fold
    lookups and the median and its adjoint (k > 1), 2 kernel lookups, one `ArccosRotation`.
    Qubits: decomposes at integer sizes (sizes-only preparations and table included), so
    `QubitCount` is the peak width of the real circuit.

    Args:
        prep_a: $|\ldots\rangle|0\rangle_{target} \to |\ldots\rangle|a\rangle$ (e.g.
            `RowAmplitudeLoader`: registers `index`, `target`).
        prep_b: the same for $|b\rangle$ (e.g. a second `RowAmplitudeLoader`, or a
            `VectorAmplitudeLoader` with the single register `target`).
        phase_bits: m, AE phase register bits.
        median_copies: k, odd number of AE copies (1: no median).
        kernel_bits: b, bits of the arccos angle.
        angle_table: $2^m$ angle integers in $[0, 2^b)$ (phase → angle), or `Shaped((2**m,))`.
        rename_a: {register of `prep_a`: exposed name}; `target` cannot be renamed.
        rename_b: {register of `prep_b`: exposed name}.
        is_controlled: add a `ctrl` register.

    Registers:
        ctrl: (only if `is_controlled`) control qubit of the rotation.
        (index registers): `prep_a`'s non-target registers (renamed), then `prep_b`'s not
            shared with them; pass through unchanged.
        flag: $|0\rangle \to \cos\theta|0\rangle + \sin\theta|1\rangle$.
        scratch: $k(\log_2 d + 1 + m)$ qubits, start in $|0\rangle$; layout (big-endian) per
            copy c: [target | Hadamard-test flag | phase].

    References:
        [A quantum algorithm for training wide and deep classical neural
        networks](https://arxiv.org/abs/2107.09200). Zlokapa, Neven, Lloyd. 2021.
        Algorithm 1 (lines 2–6), Supplementary Theorem III.5 (eqs. 22–26), Lemmas III.2–III.3.
    """

    prep_a: Bloq
    prep_b: Bloq
    phase_bits: SymbolicInt = field(converter=positive_bits("phase_bits"))
    median_copies: SymbolicInt = field(converter=odd_copies)
    kernel_bits: SymbolicInt = field(converter=positive_bits("kernel_bits"))
    angle_table: tuple[int, ...] | Shaped = field(converter=angle_table_converter)
    rename_a: tuple[tuple[str, str], ...] = field(default=(), converter=_renames)
    rename_b: tuple[tuple[str, str], ...] = field(default=(), converter=_renames)
    is_controlled: bool = False

    def __attrs_post_init__(self):
        for name, prep, renames in (
            ("prep_a", self.prep_a, self.rename_a),
            ("prep_b", self.prep_b, self.rename_b),
        ):
            if TARGET not in {r.name for r in prep.signature}:
                raise ValueError(f"KernelEntry: {name} must have a register {TARGET!r}")
            for old, new in renames:
                if old == TARGET or new in OWN_REGISTERS:
                    raise ValueError(
                        f"KernelEntry: cannot expose {name} register {old!r} as {new!r} "
                        f"(names {OWN_REGISTERS} are taken)"
                    )
        for reg in self.index_registers:
            if reg.name in OWN_REGISTERS:
                raise ValueError(f"KernelEntry: register name {reg.name!r} is taken; rename it")
        _ = self.amplitude_estimation  # shared registers: HadamardTestOverlap checks the sizes
        _ = self.kernel_lookup  # the table: FunctionLookup validates its length and range

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_sizes(
        cls,
        n: SymbolicInt,
        d: SymbolicInt,
        amplitude_bits: SymbolicInt,
        phase_bits: SymbolicInt,
        median_copies: SymbolicInt,
        kernel_bits: SymbolicInt,
        data_access: str = "qrom",
        index_names: tuple[str, str] = ("j", "k"),
    ) -> "KernelEntry":
        """Sizes only: two row loaders of an n × d matrix with indices named `index_names`
        (the entry $k(x_j \\cdot x_k)$ of a kernel matrix); never enumerates n."""
        row = RowAmplitudeLoader.from_sizes(n, d, amplitude_bits, data_access=data_access)
        return cls(
            row,
            row,
            phase_bits,
            median_copies,
            kernel_bits,
            Shaped((2**phase_bits,)),
            rename_a={"index": index_names[0]},
            rename_b={"index": index_names[1]},
        )

    @classmethod
    def from_data(
        cls,
        X,
        angle_table,
        amplitude_bits: int,
        phase_bits: int,
        median_copies: int,
        kernel_bits: int,
        data_access: str = "qrom",
        index_names: tuple[str, str] = ("j", "k"),
    ) -> "KernelEntry":
        """Concrete: the entry $k(x_j \\cdot x_k)$ for the rows of X (n × d, powers of two) and
        the phase → angle table (2^phase_bits integers in [0, 2^kernel_bits))."""
        row = RowAmplitudeLoader.from_matrix(X, amplitude_bits, data_access=data_access)
        return cls(
            row,
            row,
            phase_bits,
            median_copies,
            kernel_bits,
            angle_table,
            rename_a={"index": index_names[0]},
            rename_b={"index": index_names[1]},
        )

    # ---------------------------------------------------------------- parts
    @cached_property
    def overlap(self) -> HadamardTestOverlap:
        """Hadamard test of the two (renamed) preparations; `prep_a` carries `prep_b`'s own
        index registers idle, so that `prep_b`'s registers are a subset of `prep_a`'s."""
        a = RenamedRegisters(self.prep_a, self.rename_a) if self.rename_a else self.prep_a
        b = RenamedRegisters(self.prep_b, self.rename_b) if self.rename_b else self.prep_b
        names_a = {r.name for r in a.signature}
        only_b = tuple(r for r in b.signature if r.name not in names_a)
        if only_b:
            a = WithIdleRegisters(a, only_b)
        return HadamardTestOverlap(a, b)

    @cached_property
    def index_registers(self) -> tuple[Register, ...]:
        """The exposed (renamed) registers of the preparations, in signature order."""
        return tuple(r for r in self.overlap.prep_a.signature if r.name != TARGET)

    @cached_property
    def target_bits(self) -> SymbolicInt:
        return self.prep_a.signature.get_left(TARGET).total_bits()

    @cached_property
    def copy_bits(self) -> SymbolicInt:
        return self.target_bits + 1 + self.phase_bits

    @cached_property
    def scratch_bits(self) -> SymbolicInt:
        return self.median_copies * self.copy_bits

    @cached_property
    def amplitude_estimation(self) -> AmplitudeEstimation:
        names = tuple(r.name for r in self.index_registers)
        return AmplitudeEstimation(self.overlap, self.phase_bits, passthrough=names)

    @cached_property
    def fold_lookup(self) -> FunctionLookup:
        m = self.phase_bits
        if is_symbolic(m):
            return FunctionLookup.from_sizes(m, m)
        return FunctionLookup(fold_table(m), m, m)

    @cached_property
    def median(self) -> CoherentMedian:
        return CoherentMedian(self.median_copies, self.phase_bits)

    @cached_property
    def kernel_lookup(self) -> FunctionLookup:
        return FunctionLookup(self.angle_table, self.phase_bits, self.kernel_bits)

    @cached_property
    def rotation(self) -> ArccosRotation:
        return ArccosRotation(self.kernel_bits, is_controlled=self.is_controlled)

    @property
    def uses_median(self) -> bool:
        return is_symbolic(self.median_copies) or self.median_copies > 1

    # ---------------------------------------------------------------- bloq protocol
    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        regs += [
            *self.index_registers,
            Register("flag", QBit()),
            Register("scratch", QAny(self.scratch_bits)),
        ]
        return Signature(regs)

    def _split_copies(self, bb: BloqBuilder, scratch: SoquetT) -> list[dict[str, SoquetT]]:
        ae_regs = {r.name: r for r in self.amplitude_estimation.signature}
        t_bits, cb, m = int(self.target_bits), int(self.copy_bits), int(self.phase_bits)
        sq = bb.split(scratch)
        return [
            {
                TARGET: bb.join(sq[c * cb : c * cb + t_bits], dtype=ae_regs[TARGET].dtype),
                "flag": sq[c * cb + t_bits],
                "phase": bb.join(sq[c * cb + t_bits + 1 : (c + 1) * cb], dtype=QUInt(m)),
            }
            for c in range(int(self.median_copies))
        ]

    def _add_ae(self, bb, ae: Bloq, index: dict, copies: list, order) -> None:
        for c in order:
            out = bb.add_d(ae, **index, **copies[c])
            index.update({name: out.pop(name) for name in list(index)})
            copies[c] = out

    @property
    def decomposable(self) -> bool:
        """Integer sizes suffice (sizes-only preparations and table are sub-bloqs like any
        other; symbolic index registers are only passed on)."""
        return not is_symbolic(
            self.median_copies, self.phase_bits, self.kernel_bits, self.copy_bits
        )

    def peak_qubits(self) -> SymbolicInt:
        """The peak width of the decomposition, from the sub-bloqs' `QubitCount` and the
        registers live beside each (Qualtran's sequential min-max rule, in the order Qualtran's
        greedy topological sort runs the circuit: AE copies one after another, then fold c
        with folds 0..c allocated, the median, the angle register, lookup and rotation; the
        uncompute mirrors it). Symbolic sizes allowed; for k symbolic, k >= 3 is assumed."""

        def width(sub: Bloq, live: SymbolicInt) -> SymbolicInt:
            # the sub-bloq's own peak plus the bystanders (live bits not on its registers)
            return get_cost_value(sub, QubitCount()) + live - sub.signature.n_qubits()

        k, m, b = self.median_copies, self.phase_bits, self.kernel_bits
        base = self.signature.n_qubits()  # [ctrl], index registers, flag, scratch
        peak = smax(base, width(self.amplitude_estimation, base))
        live = base
        if self.uses_median:
            peak = smax(peak, width(self.fold_lookup, base + k * m))  # the last fold
            live = base + k * m + m  # folds + median output
            peak = smax(peak, width(self.median, live))
        peak = smax(peak, width(self.kernel_lookup, live + b))
        return smax(peak, width(self.rotation, live + b))

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, QubitCount) and not self.decomposable:
            return self.peak_qubits()
        return NotImplemented

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if not self.decomposable:
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        k, m = int(self.median_copies), int(self.phase_bits)
        ctrl, flag = soqs.get("ctrl"), soqs["flag"]
        index = {r.name: soqs[r.name] for r in self.index_registers}
        copies = self._split_copies(bb, soqs["scratch"])

        # 1. k copies of amplitude estimation
        self._add_ae(bb, self.amplitude_estimation, index, copies, range(k))

        # 2. fold + median, 3. lookup, 4. rotation, then undo 3 and 2
        if k > 1:
            folds = []
            for c in range(k):
                f = bb.allocate(dtype=QUInt(m))
                copies[c]["phase"], f = bb.add(self.fold_lookup, x=copies[c]["phase"], y=f)
                folds.append(f)
            folds, key = bb.add(self.median, values=np.array(folds))
        else:
            key = copies[0]["phase"]
        angle = bb.allocate(dtype=QUInt(int(self.kernel_bits)))
        key, angle = bb.add(self.kernel_lookup, x=key, y=angle)
        if ctrl is None:
            angle, flag = bb.add(self.rotation, angle=angle, flag=flag)
        else:
            ctrl, angle, flag = bb.add(self.rotation, ctrl=ctrl, angle=angle, flag=flag)
        key, angle = bb.add(self.kernel_lookup, x=key, y=angle)
        bb.free(angle)
        if k > 1:
            folds = bb.add(self.median.adjoint(), values=folds, median=key)
            for c in range(k):
                copies[c]["phase"], folds[c] = bb.add(
                    self.fold_lookup, x=copies[c]["phase"], y=folds[c]
                )
                bb.free(folds[c])
        else:
            copies[0]["phase"] = key

        # 5. undo the AE copies
        self._add_ae(bb, self.amplitude_estimation.adjoint(), index, copies, reversed(range(k)))

        qubits = []
        for c in range(k):
            qubits.extend(bb.split(copies[c][TARGET]))
            qubits.append(copies[c]["flag"])
            qubits.extend(bb.split(copies[c]["phase"]))
        out = {**index, "flag": flag}
        out["scratch"] = bb.join(np.array(qubits), dtype=QAny(int(self.scratch_bits)))
        if ctrl is not None:
            out["ctrl"] = ctrl
        return out

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        k = self.median_copies
        counts: dict[Bloq, SymbolicInt] = {
            self.amplitude_estimation: k,
            self.amplitude_estimation.adjoint(): k,
        }
        if self.uses_median:
            counts[self.fold_lookup] = 2 * k
            counts[self.median] = 1
            counts[self.median.adjoint()] = 1
        counts[self.kernel_lookup] = 2
        counts[self.rotation] = 1
        return counts

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def __str__(self) -> str:
        c = "C" if self.is_controlled else ""
        names = ",".join(r.name for r in self.index_registers)
        m, k, b = self.phase_bits, self.median_copies, self.kernel_bits
        return f"{c}KernelEntry({names}; m={m}, k={k}, b={b})"


# -------------------------------------------------------------------- examples
def linear_kernel_table(phase_bits: int, kernel_bits: int) -> np.ndarray:
    """k(ρ) = ρ (the linear kernel) as angle integers, for examples and tests."""
    rho = np.cos(2 * np.pi * np.arange(2**phase_bits) / 2**phase_bits)
    a = np.rint(np.arccos(np.clip(rho, -1, 1)) / np.pi * 2**kernel_bits).astype(int)
    return np.minimum(a, 2**kernel_bits - 1)


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _kernel_entry() -> KernelEntry:
    X = np.array([[1.0, 0.0], [0.6, 0.8]])
    kernel_entry = KernelEntry.from_data(
        X,
        angle_table=linear_kernel_table(2, 3),
        amplitude_bits=3,
        phase_bits=2,
        median_copies=1,
        kernel_bits=3,
    )
    return kernel_entry


@bloq_example(generalizer=[ignore_split_join, ignore_alloc_free])
def _kernel_entry_symb() -> KernelEntry:
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    kernel_entry_symb = KernelEntry.from_sizes(n, d, ba, m, 3, b)
    return kernel_entry_symb


_KERNEL_ENTRY_DOC = BloqDocSpec(
    bloq_cls=KernelEntry,
    import_line="from bloqs.ntk.kernel_entry import KernelEntry",
    examples=[_kernel_entry, _kernel_entry_symb],
)
