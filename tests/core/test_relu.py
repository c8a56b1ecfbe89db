"""relu_backward against independent formulations: a scalar loop and the book's literal lines."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core import relu_backward, relu_backward_into

SPECIAL_FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [0.0, -0.0, np.nan, np.inf, -np.inf, 5e-324, -5e-324]
)


def scalar_loop(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> np.ndarray:
    """The rule written one element at a time, with no boolean indexing at all."""
    out = np.empty_like(dvalues)
    for index in itertools.product(*(range(n) for n in dvalues.shape)):
        blocked = z[index] <= 0 if inclusive else z[index] < 0
        out[index] = 0 if blocked else dvalues[index]
    return out


def book(z: np.ndarray, dvalues: np.ndarray) -> np.ndarray:
    drelu = dvalues.copy()
    drelu[z <= 0] = 0
    return drelu


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal by dtype, shape and bytes (array_equal would hide -0.0 versus 0.0)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@st.composite
def equal_shaped_pairs(draw, dtype=np.float64):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6))
    elements = SPECIAL_FLOATS if np.dtype(dtype) == np.float64 else None
    z = draw(hnp.arrays(np.float64, shape, elements=SPECIAL_FLOATS))
    dvalues = draw(hnp.arrays(dtype, shape, elements=elements))
    return z, dvalues


@settings(max_examples=300, deadline=None)
@given(equal_shaped_pairs(), st.booleans())
def test_matches_scalar_loop_bytes(pair, inclusive):
    z, dvalues = pair
    assert same(relu_backward(z, dvalues, inclusive), scalar_loop(z, dvalues, inclusive))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([np.int8, np.int64, np.uint16, np.float32, np.float16]).flatmap(
    lambda dt: equal_shaped_pairs(dt)))
def test_matches_book_for_other_dtypes(pair):
    z, dvalues = pair
    assert same(relu_backward(z, dvalues), book(z, dvalues))


@settings(max_examples=200, deadline=None)
@given(equal_shaped_pairs())
def test_never_modifies_or_aliases_inputs(pair):
    z, dvalues = pair
    z_before, d_before = z.tobytes(), dvalues.tobytes()
    out = relu_backward(z, dvalues)
    assert z.tobytes() == z_before and dvalues.tobytes() == d_before
    assert not np.shares_memory(out, dvalues) and not np.shares_memory(out, z)


@settings(max_examples=100, deadline=None)
@given(equal_shaped_pairs(), st.booleans())
def test_in_place_recompute_equals_relu_backward(pair, inclusive):
    z, dvalues = pair
    out, mask = np.empty_like(dvalues), np.empty(z.shape, bool)
    relu_backward_into(out, z, dvalues, mask, inclusive)
    assert same(out, relu_backward(z, dvalues, inclusive))
    assert same(mask, (z <= 0) if inclusive else (z < 0))


def test_book_example():
    z = np.array([[1, 2, -3, -4], [2, -7, -1, 3], [-1, 2, 5, -1]], dtype=np.float64)
    dvalues = np.arange(1, 13, dtype=np.float64).reshape(3, 4)
    expected = np.array([[1, 2, 0, 0], [5, 0, 0, 8], [0, 10, 11, 0]], dtype=np.float64)
    assert same(relu_backward(z, dvalues), expected)


def test_nan_passes_and_zero_blocks_only_when_inclusive():
    z = np.array([np.nan, 0.0, -0.0, np.inf, -np.inf])
    dvalues = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert same(relu_backward(z, dvalues), np.array([1.0, 0.0, 0.0, 4.0, 0.0]))
    assert same(relu_backward(z, dvalues, inclusive=False), np.array([1.0, 2.0, 3.0, 4.0, 0.0]))


def test_blocked_negative_zero_becomes_positive_zero_like_the_book():
    z, dvalues = np.array([-1.0, 1.0]), np.array([-0.0, -0.0])
    out = relu_backward(z, dvalues)
    assert same(out, book(z, dvalues))
    assert np.signbit(out).tolist() == [False, True]


def test_bool_dvalues_take_the_book_path():
    z, dvalues = np.array([1.0, -1.0]), np.array([True, True])
    assert same(relu_backward(z, dvalues), book(z, dvalues))


@pytest.mark.parametrize(
    ("z_shape", "d_shape"),
    [((3, 4), (3, 5)), ((3, 4), (4, 3)), ((4,), (3, 4)), ((2, 3, 4), (3, 4))],
)
def test_mismatched_shapes_raise_numpys_own_error(z_shape, d_shape):
    z, dvalues = -np.ones(z_shape), np.ones(d_shape)
    with pytest.raises(IndexError) as from_book:
        book(z, dvalues)
    with pytest.raises(IndexError) as from_us:
        relu_backward(z, dvalues)
    assert str(from_us.value) == str(from_book.value)
    assert "boolean index did not match" in str(from_us.value) or "too many indices" in str(from_us.value)


def test_row_mask_selects_whole_rows_as_numpy_does():
    z, dvalues = np.array([1.0, -1.0, 2.0]), np.arange(12.0).reshape(3, 4)
    assert same(relu_backward(z, dvalues), book(z, dvalues))


def test_np_where_on_z_greater_than_zero_differs_where_z_is_nan():
    """A lesson: `np.where(z > 0, dvalues, 0)` looks equivalent but blocks NaN, the book passes it."""
    z, dvalues = np.array([np.nan, 1.0, -1.0]), np.array([5.0, 6.0, 7.0])
    looks_same = np.where(z > 0, dvalues, 0.0)
    assert looks_same.tolist()[1:] == relu_backward(z, dvalues).tolist()[1:]
    assert looks_same[0] == 0.0
    assert relu_backward(z, dvalues)[0] == 5.0


def test_accepts_lists():
    assert relu_backward([[1.0, -2.0]], [[3.0, 4.0]]).tolist() == [[3.0, 0.0]]
