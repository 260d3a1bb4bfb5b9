"""SignedTableEntryOracle: signed amplitudes by tensor contraction, rounding, no wrap at −1."""

import math

import numpy as np
import pytest
import sympy
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.block_encoding.signed_entry_oracle import (
    SignedTableEntryOracle,
    _signed_table_entry_oracle,
    _signed_table_entry_oracle_symb,
)
from tests.bloqs.block_encoding.cost_checks import assert_symbolic_equals_concrete
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)

A = np.array(
    [
        [1.0, -0.5, 0.3, -1.0],
        [-0.5, 0.2, 0.0, 0.9],
        [0.3, 0.0, -0.7, 0.1],
        [-1.0, 0.9, 0.1, -0.999],
    ]
)


def _flag_amplitudes(oracle, n):
    """⟨0|⟨ij| U |0⟩|ij⟩ and ⟨1|⟨ij| U |0⟩|ij⟩ (registers q, i, j; q most significant)."""
    u = oracle.tensor_contract()
    idx = np.arange(n * n)
    return u[idx, idx].reshape(n, n), u[n * n + idx, idx].reshape(n, n)


@pytest.mark.parametrize("b", [3, 6])
def test_signed_entries_to_the_entry_precision(b):
    oracle = SignedTableEntryOracle.from_entries(A, b)
    amp0, amp1 = _flag_amplitudes(oracle, 4)
    assert np.allclose(amp0.imag, 0) and np.allclose(amp1.imag, 0)
    np.testing.assert_allclose(amp0.real, oracle.encoded_entries(), atol=1e-9)
    assert np.max(np.abs(amp0.real - A)) <= oracle.precision + 1e-12
    np.testing.assert_allclose(amp0.real**2 + amp1.real**2, 1, atol=1e-9)
    assert np.all(np.sign(amp0.real[A < -0.2]) == -1)  # negative entries stay negative


def test_rounded_not_truncated_and_no_wrap_at_minus_one():
    b = 3
    oracle = SignedTableEntryOracle.from_entries([[0.25, -1.0], [-1.0, 0.0]], b)
    enc = oracle.encoded_entries()
    # arccos(0.25)/π·8 = 3.36 -> 3 (rounded); the truncation of 0.25 at 6 bits would be worse
    assert math.isclose(enc[0, 0], math.cos(math.pi * 3 / 8))
    assert abs(enc[0, 0] - 0.25) <= math.pi / 2 ** (b + 1)
    assert math.isclose(enc[0, 1], -math.cos(math.pi / 8))  # clipped to 2^b − 1, not +1
    assert math.isclose(enc[1, 1], 0.0, abs_tol=1e-12)


@pytest.mark.parametrize("oracle", [_signed_table_entry_oracle.make()])
def test_decomposition_and_call_graph(oracle):
    assert_valid_bloq_decomposition(oracle)
    assert_equivalent_bloq_counts(oracle, [ignore_split_join, ignore_alloc_free])
    u, ua = oracle.tensor_contract(), oracle.adjoint().tensor_contract()
    np.testing.assert_allclose(ua @ u, np.eye(len(u)), atol=1e-9)


def test_symbolic_cost_equals_concrete():
    k, b = sympy.symbols("k b", positive=True, integer=True)
    assert_symbolic_equals_concrete(
        SignedTableEntryOracle(k, b),
        lambda k, b: SignedTableEntryOracle(k, b),
        [{k: 2, b: 4}, {k: 3, b: 6}, {k: 5, b: 10}],
    )


@pytest.mark.parametrize(
    "entries, message",
    [
        ([[1.5, 0], [0, 0]], "in \\[-1, 1\\]"),
        ([[np.nan, 0], [0, 0]], "finite"),
        ([[np.inf, 0], [0, 0]], "finite"),
        ([[0, 0, 0]], "power of two"),
        (np.zeros((3, 3)), "power of two"),
    ],
)
def test_bad_entries_one_line_error(entries, message):
    with pytest.raises(ValueError, match=message) as info:
        SignedTableEntryOracle.from_entries(entries, 4)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [0, -2, 2.5])
def test_bad_entry_bitsize(bad):
    with pytest.raises(ValueError, match="entry_bitsize"):
        SignedTableEntryOracle(2, bad)


def test_bloq_examples():
    assert_example_counts_pass(_signed_table_entry_oracle)
    assert_symbolic_example_cost_is_symbolic(_signed_table_entry_oracle_symb)
