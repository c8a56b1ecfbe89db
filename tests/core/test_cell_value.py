"""Typed cell text: accepted values keep their exact bits; refused text explains itself."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz.core.io.cell_value import CellValueError, format_value, parse_cell_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.5", 1.5), (" -2 ", -2.0), ("3e-4", 3e-4), (".5", 0.5), ("+7", 7.0), ("1.", 1.0),
     ("inf", np.inf), ("-inf", -np.inf), ("Infinity", np.inf)],
)
def test_accepts_plain_numbers(text, expected):
    value = parse_cell_value(text, np.float64)
    assert value.dtype == np.float64 and value == expected


def test_negative_zero_and_nan_survive():
    assert np.signbit(parse_cell_value("-0", np.float64))
    assert np.isnan(parse_cell_value("nan", np.float64))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("abc", "not a number"), ("1e", "not a number"), ("0x10", "not a number"),
     ("1,5", "use a dot: 1.5"), ("", "Empty"), ("1" * 5000, "too large for float64"),
     ("1e400", "too large"), ("1e-400", "too small"), ("1 2", "not a number"), ("--1", "not a number")],
)
def test_refuses_with_a_message(text, fragment):
    with pytest.raises(CellValueError, match=fragment):
        parse_cell_value(text, np.float64)


def test_float32_overflow_is_refused_not_inf():
    with pytest.raises(CellValueError, match="float32"):
        parse_cell_value("1e39", np.float32)
    with pytest.raises(CellValueError, match="too small for float32"):
        parse_cell_value("1e-50", np.float32)
    assert parse_cell_value("0e-400", np.float64) == 0 and parse_cell_value("5e-324", np.float64) > 0


@pytest.mark.parametrize(("text", "fragment"), [("nan", "cannot hold nan"), ("2.5", "whole number"),
                                                ("99999999999", "does not fit"), ("9" * 60, "does not fit")])
def test_integer_arrays_refuse_what_they_cannot_hold(text, fragment):
    with pytest.raises(CellValueError, match=fragment):
        parse_cell_value(text, np.int32)


def test_integer_arrays_accept_whole_numbers():
    assert parse_cell_value("3.0", np.int16) == 3 and parse_cell_value("-7", np.int8).dtype == np.int8


@given(st.floats(allow_nan=False, allow_infinity=True))
def test_repr_round_trips_bit_for_bit(value):
    parsed = parse_cell_value(repr(value), np.float64)
    assert np.float64(value).tobytes() == parsed.tobytes()


def test_format_value():
    assert format_value(-0.0) == "-0"
    assert format_value(np.nan) == "nan"
    assert format_value(-np.inf) == "-inf"
    assert format_value(2.0) == "2"
    assert format_value(0.12345, 2) == "0.12"
    assert format_value(np.int32(7)) == "7"
