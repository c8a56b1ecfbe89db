"""``format_value``: the one scalar formatter (cells, status, teaching sentences, scripts, step cards)."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz.core.io.cell_value import format_value

PRECISIONS = st.integers(1, 12)
FLOAT_TYPES = st.sampled_from([np.float16, np.float32, np.float64])
# Huge, tiny, subnormal and ordinary values: every float64 there is, signed zeros included.
FINITE = st.floats(allow_nan=False, allow_infinity=False)


def fixed_reference(v: float, digits: int) -> str:
    """The network node labels' formatter as it was written before it became ``fixed=True``."""
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    rounded = float(f"{v:.{digits}g}")
    a = abs(rounded)
    if 0.01 <= a <= 10.0**digits:
        decimals = max(digits - 1 - math.floor(math.log10(a)), 0)
        return f"{rounded:.{decimals}f}"
    return f"{v:.{max(digits - 2, 0)}e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


@given(FLOAT_TYPES, st.one_of(st.none(), PRECISIONS), st.booleans())
def test_nan_and_infinities_read_the_same_at_every_precision(kind, precision, fixed):
    assert format_value(kind(np.nan), precision, fixed=fixed) == "nan"
    assert format_value(kind(np.inf), precision, fixed=fixed) == "inf"
    assert format_value(kind(-np.inf), precision, fixed=fixed) == "-inf"
    assert format_value(float("-nan"), precision, fixed=fixed) == "nan"


@given(FLOAT_TYPES, PRECISIONS, st.booleans())
def test_negative_zero_keeps_its_sign(kind, precision, fixed):
    assert format_value(kind(-0.0), precision, fixed=fixed) == "-0"
    assert format_value(kind(0.0), precision, fixed=fixed) == "0"
    assert format_value(kind(-0.0), None) == "-0.0" and format_value(kind(0.0), None) == "0.0"


@given(FINITE, PRECISIONS)
def test_cells_show_the_shortest_general_form_with_that_many_digits(value, precision):
    text = format_value(value, precision)
    assert text == format(value, f".{precision}g")
    mantissa = re.sub(r"e.*$", "", text).lstrip("-").replace(".", "").lstrip("0")
    assert len(mantissa) <= precision
    if value != 0:
        # Rounded to `precision` digits: off by at most half a unit in the last digit shown
        # (in decimal: 1.5e308 at one digit reads "2e+308", beyond the largest float).
        exact = Decimal(value)
        assert abs(Decimal(text) - exact) <= abs(exact) * Decimal(10) ** (1 - precision) / 2


@given(FINITE, PRECISIONS)
def test_fixed_labels_are_the_node_labels_written_before(value, precision):
    assert format_value(value, precision, fixed=True) == fixed_reference(value, precision)


@given(FLOAT_TYPES, FINITE)
def test_full_precision_reads_back_to_the_same_bits_of_its_own_dtype(kind, value):
    with np.errstate(over="ignore"):
        scalar = kind(value)
    if not np.isfinite(scalar):
        return
    text = format_value(scalar, precision=None)
    assert kind(text).tobytes() == scalar.tobytes()
    # As Python writes it; float16/32 with NumPy's shortest text for their own width.
    assert text == (repr(value) if kind is np.float64 else str(scalar))


INT_TYPES = st.sampled_from([np.int8, np.uint16, np.int32, np.int64, np.uint64])


@given(INT_TYPES, st.data(), st.one_of(st.none(), PRECISIONS))
def test_integers_are_written_whole_at_every_precision(kind, data, precision):
    info = np.iinfo(kind)
    value = kind(data.draw(st.integers(int(info.min), int(info.max))))
    assert format_value(value, precision) == str(int(value))


@pytest.mark.parametrize("precision", [None, 1, 3, 12])
def test_booleans_read_as_python_writes_them(precision):
    assert format_value(np.bool_(True), precision) == "True" and format_value(False, precision) == "False"
