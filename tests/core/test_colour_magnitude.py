"""``largest_finite_magnitude``: NaN and ±inf never count, whatever path the function takes."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core import colour
from reluviz.core.colour import largest_finite_magnitude

SPECIALS = st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0])


def plain_largest(array: np.ndarray) -> float:
    """The definition, one value at a time."""
    finite = [abs(float(v)) for v in np.asarray(array).ravel() if math.isfinite(float(v))]
    return max(finite, default=0.0)


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float64, np.float32, np.float16]),
                  hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=9),
                  elements=st.one_of(st.floats(width=16), SPECIALS)),
       st.integers(1, 5))
def test_equals_the_definition_on_every_mix_of_nan_and_inf(array, chunk):
    # A tiny chunk makes the ±inf path cross many chunk edges (some chunks all NaN or inf).
    saved = colour._MAGNITUDE_CHUNK
    colour._MAGNITUDE_CHUNK = chunk
    try:
        assert largest_finite_magnitude(array) == plain_largest(array)
    finally:
        colour._MAGNITUDE_CHUNK = saved


@given(hnp.arrays(st.sampled_from([np.int8, np.uint16, np.int64, np.bool_]),
                  hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6)))
def test_integers_and_booleans(array):
    assert largest_finite_magnitude(array) == plain_largest(array)


def test_a_transposed_view_with_inf_is_read_in_its_own_order():
    array = np.arange(12.0).reshape(3, 4) - 20.0
    array[0, 0] = np.inf
    assert largest_finite_magnitude(array.T) == 19.0
