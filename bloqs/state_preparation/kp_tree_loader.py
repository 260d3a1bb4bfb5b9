r"""`KPTreeLoader`: the Kerenidis–Prakash tree loader that the row and vector loaders share.

A loader of $R$ real unit vectors of length $d = 2^m$ ($R = n$ rows indexed by an `index`
register for `RowAmplitudeLoader`, $R = 1$ for `VectorAmplitudeLoader`), $|i\rangle|0\rangle \to
|i\rangle|x_i\rangle$, built level by level (`kp_tree.add_tree_level`): at level $l$ a data query
at address $(i, p)$ over a table of $R\,2^l$ angle words, an `AngleRegisterRy` on target qubit
$l$, the query again. A table of one word (level 0 of a single vector) is a classical constant,
written with X gates instead of a query.

Like Qualtran's `QROMBase` this is a mixin, not a `Bloq`: a loader class derives from it and from
`Bloq`, declares the attrs fields `d`, `amplitude_bits`, `data_access`, `angles`, `is_controlled`
(and its own size fields), and says how many vectors it holds (`rows`). Signature, decomposition,
call graph, static qubit count, controlled version and adjoint are defined here once.

References:
    [Quantum Recommendation Systems](https://arxiv.org/abs/1603.08675).
    Kerenidis, Prakash 2016. Section 5.1 and Theorem 5.1 (binary-tree data structure).
"""

from collections import Counter
from functools import cached_property

import numpy as np
from qualtran import (
    Bloq,
    BloqBuilder,
    CtrlSpec,
    DecomposeTypeError,
    QBit,
    QUInt,
    Register,
    Signature,
    SoquetT,
)
from qualtran.bloqs.basic_gates import XGate
from qualtran.bloqs.mcmt.specialized_ctrl import AdjointWithSpecializedCtrl, SpecializeOnCtrlBit
from qualtran.resource_counting import BloqCountDictT, QubitCount, SympySymbolAllocator
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.specialized_ctrl import ctrl_system_from_is_controlled
from bloqs.state_preparation.angle_register_ry import AngleRegisterRy
from bloqs.state_preparation.kp_tree import (
    add_tree_level,
    check_amplitude_bits,
    check_angle_words,
    check_data_access,
    data_access_bloq,
    level_rotation,
    log2_int,
    sum_access_over_levels,
    tree_qubit_count,
)


class KPTreeLoader:
    """Shared structure of the Kerenidis–Prakash tree loaders (see the module docstring).

    A subclass provides the attrs fields `d`, `amplitude_bits`, `data_access`, `angles`,
    `is_controlled`, the property `rows` ($R$: `n`, or 1 for a single vector) and
    `_check_sizes()` (its power-of-two checks).
    """

    @property
    def rows(self) -> SymbolicInt:
        raise NotImplementedError

    def _check_sizes(self) -> None:
        raise NotImplementedError

    def __attrs_post_init__(self):
        self._check_sizes()
        check_amplitude_bits(self.amplitude_bits)
        check_data_access(self.data_access)
        if self.angles is None:
            return
        check_angle_words(self.angles, self.amplitude_bits)
        if len(self.angles) != self.num_levels or any(
            len(a) != int(self.rows) * 2**lv for lv, a in enumerate(self.angles)
        ):
            words = "n * 2**l" if self.has_index else "2**l"
            raise ValueError(f"angles must hold {words} words for each level l")

    @property
    def has_index(self) -> bool:
        """Whether there is an `index` register (more than one vector)."""
        return is_symbolic(self.rows) or self.rows != 1

    @property
    def index_bits(self) -> SymbolicInt:
        return log2_int(self.rows) if self.has_index else 0

    @property
    def num_levels(self) -> SymbolicInt:
        return log2_int(self.d)

    @property
    def first_query_level(self) -> int:
        """Levels below this one have a single-word table: a constant, not a query."""
        return 0 if self.has_index else 1

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("ctrl", QBit())] if self.is_controlled else []
        if self.has_index:
            regs.append(Register("index", QUInt(self.index_bits)))
        regs.append(Register("target", QUInt(self.num_levels)))
        return Signature(regs)

    def access(self, level: SymbolicInt) -> tuple[Bloq, str, str]:
        """The data-access bloq of `level` (table of `rows`·2^level words), its register names."""
        data = None if self.angles is None else self.angles[level]
        return data_access_bloq(
            self.data_access, self.rows * 2**level, self.amplitude_bits, data=data
        )

    def rotation(self, level: SymbolicInt) -> AngleRegisterRy:
        return level_rotation(self.amplitude_bits, level, self.num_levels, self.is_controlled)

    def build_composite_bloq(self, bb: BloqBuilder, **soqs: SoquetT) -> dict[str, SoquetT]:
        if is_symbolic(self.rows, self.d, self.amplitude_bits):
            raise DecomposeTypeError(f"Cannot decompose symbolic {self}")
        if self.first_query_level > 0 and self.angles is None:
            raise DecomposeTypeError(f"Cannot decompose {self} built from sizes")
        ctrl = soqs.get("ctrl")
        idx = list(bb.split(soqs["index"])) if self.has_index else []
        tgt = list(bb.split(soqs["target"]))
        a = len(idx)
        for level in range(int(self.num_levels)):
            if level < self.first_query_level:
                access, aname, tname, const = None, "", "", self.angles[level][0]
            else:
                (access, aname, tname), const = self.access(level), None
            addr, tgt[level], ctrl = add_tree_level(
                bb,
                access=access,
                address_name=aname,
                target_name=tname,
                address_bits=idx + tgt[:level],
                constant=const,
                rotation=self.rotation(level),
                qubit=tgt[level],
                ctrl=ctrl,
                amplitude_bits=int(self.amplitude_bits),
            )
            idx, tgt[:level] = addr[:a], addr[a:]
        out = {"target": bb.join(np.asarray(tgt), dtype=QUInt(self.num_levels))}
        if self.has_index:
            out["index"] = bb.join(np.asarray(idx), dtype=QUInt(self.index_bits))
        if self.is_controlled:
            out["ctrl"] = ctrl
        return out

    def build_call_graph(self, ssa: SympySymbolAllocator) -> BloqCountDictT:
        m, first = self.num_levels, self.first_query_level
        counts: Counter[Bloq] = Counter()
        counts[self.rotation(m - 1)] += 1
        if first > 0:  # the constant of level 0: X gates on its 1-bits, in and out
            if self.angles is not None:
                counts[XGate()] += 2 * bin(self.angles[0][0]).count("1")
            else:
                counts[XGate()] += 2 * self.amplitude_bits
        if is_symbolic(m):
            counts[self.rotation(0)] += m - 1
            for callee, c in sum_access_over_levels(
                lambda lv: self.access(lv)[0], first, m - 1
            ).items():
                counts[callee] += 2 * c
            return counts
        for level in range(int(m)):
            if level < m - 1:
                counts[self.rotation(level)] += 1
            if level >= first:
                counts[self.access(level)[0]] += 2
        return counts

    def my_static_costs(self, cost_key):
        if isinstance(cost_key, QubitCount) and self.angles is None:
            m = self.num_levels
            no_query = not is_symbolic(m) and m - 1 < self.first_query_level
            return tree_qubit_count(
                index_bits=self.index_bits,
                num_levels=m,
                amplitude_bits=self.amplitude_bits,
                last_access=None if no_query else self.access(m - 1)[0],
                is_controlled=self.is_controlled,
            )
        return NotImplemented

    def get_ctrl_system(self, ctrl_spec: CtrlSpec):
        return ctrl_system_from_is_controlled(self, ctrl_spec)

    def adjoint(self) -> Bloq:
        return AdjointWithSpecializedCtrl(self, SpecializeOnCtrlBit.ONE)
