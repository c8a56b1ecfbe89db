"""relu_backward against independent formulations: a scalar loop and the book's literal lines."""

from __future__ import annotations

import itertools
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reluviz.core.relu as relu_module
from reluviz.core import blocked_mask, relu_backward, relu_backward_into

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


# -- found by mutation testing (mutmut, see README "Development"): each kills a surviving mutant --


def test_defaults_are_the_books_inclusive_comparison():
    """Every entry point defaults to ``z <= 0``: a zero input blocks its gradient."""
    z = np.array([0.0, -0.0, 1.0, -1.0])
    dvalues = np.array([2.0, 3.0, 4.0, 5.0])
    assert blocked_mask(z).tolist() == [True, True, False, True]
    out, mask = np.empty_like(dvalues), np.empty(z.shape, bool)
    relu_backward_into(out, z, dvalues, mask)
    assert mask.tolist() == [True, True, False, True]
    assert same(out, np.array([0.0, 0.0, 4.0, 0.0]))


@pytest.mark.parametrize("inclusive", [True, False])
def test_the_book_path_honours_the_operator(inclusive):
    """bool dvalues take the book's lines (not np.where): zero inputs still follow the operator."""
    z = np.array([0.0, -0.0, 1.0, -1.0, np.nan])
    dvalues = np.ones(5, dtype=bool)
    out = relu_backward(z, dvalues, inclusive)
    assert same(out, scalar_loop(z, dvalues, inclusive))
    assert out.tolist() == ([False, False, True, False, True] if inclusive else [True, True, True, False, True])


@settings(max_examples=100, deadline=None)
@given(equal_shaped_pairs(), st.booleans())
def test_book_path_matches_scalar_loop_for_bool_dvalues(pair, inclusive):
    z, dvalues = pair
    flags = dvalues != 0  # NaN != 0 is True: every bool pattern is reachable
    assert same(relu_backward(z, flags, inclusive), scalar_loop(z, flags, inclusive))


@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.int8, np.int64, np.float16, np.float32, np.float64])
@pytest.mark.parametrize("inclusive", [True, False])
def test_in_place_recompute_equals_relu_backward_for_every_dtype(dtype, inclusive):
    """Writing the zeros is an unsafe cast on purpose: the int 0 must land in bool buffers too."""
    z = np.array([[0.0, -0.0, 2.0], [-3.0, np.nan, np.inf]])
    dvalues = np.array([[1, 2, 3], [4, 5, 6]]).astype(dtype)
    out, mask = np.empty_like(dvalues), np.empty(z.shape, bool)
    relu_backward_into(out, z, dvalues, mask, inclusive)
    assert same(out, relu_backward(z, dvalues, inclusive))
    assert same(out, scalar_loop(z, dvalues, inclusive))


class _WhereSpy(types.ModuleType):
    """numpy as relu.py sees it, counting calls of ``np.where`` (the fast path's one call)."""

    def __init__(self) -> None:
        super().__init__("numpy_spy")
        self.where_calls = 0

    def __getattr__(self, name: str):
        return getattr(np, name)

    def where(self, *args, **kwargs):
        self.where_calls += 1
        return np.where(*args, **kwargs)


@pytest.mark.parametrize(
    ("z_dtype", "d_dtype", "fast"),
    [
        (np.float64, np.float64, True),
        (np.int32, np.float32, True),
        (np.float64, np.uint16, True),
        (np.int8, np.int64, True),
        (np.float64, np.bool_, False),  # np.where would work but the book's path is the reference
        (np.bool_, np.float64, False),
        (np.float64, object, False),
    ],
)
def test_only_numeric_dtypes_take_the_np_where_fast_path(monkeypatch, z_dtype, d_dtype, fast):
    """The fast path is chosen by both dtypes; results are the book's either way (tested above)."""
    spy = _WhereSpy()
    monkeypatch.setattr(relu_module, "np", spy)
    z = np.array([[1, 0], [0, 1]]).astype(z_dtype)
    dvalues = np.array([[1, 2], [3, 4]]).astype(d_dtype)
    out = relu_backward(z, dvalues)
    assert spy.where_calls == (1 if fast else 0)
    assert out.dtype == dvalues.dtype and out.tolist() == book(z, dvalues).tolist()
