"""Pasted text → array and array → clipboard text (reluviz.core.io.paste)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core.io.limits import MAX_SIDE, InputError
from reluviz.core.io.paste import format_block, parse_pasted_block, parse_table_text


def same(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Equal by dtype, shape and bytes (array_equal hides -0.0 vs 0.0 and NaN)."""
    return actual.dtype == expected.dtype and actual.shape == expected.shape and actual.tobytes() == expected.tobytes()


def f64(rows) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a spreadsheet block: tabs, \r\n, trailing newline
        ("1\t-2\r\n3\tnan\r\n", f64([[1, -2], [3, np.nan]])),
        ("1\t2\n3\t4\n\n\n", f64([[1, 2], [3, 4]])),
        ("1,2\n3,4", f64([[1, 2], [3, 4]])),
        ("1, 2\n 3 ,4 ", f64([[1, 2], [3, 4]])),
        ("1;2\n3;4", f64([[1, 2], [3, 4]])),
        ("1 2\n3    4", f64([[1, 2], [3, 4]])),
        ("  1.5e3  -2E-3 \n .5  5.", f64([[1500, -0.002], [0.5, 5]])),
        ("5", f64([[5]])),
        ("-0.", f64([[-0.0]])),
        ("nan\tinf\t-inf\tNaN\tInfinity", f64([[np.nan, np.inf, -np.inf, np.nan, np.inf]])),
        ("1\n2\n3", f64([[1], [2], [3]])),
        ("1\r2\r", f64([[1], [2]])),
        ("\ufeff1,2", f64([[1, 2]])),
        ('"1","2"\n"3",4', f64([[1, 2], [3, 4]])),
        (' "1" ; "2,5" \n"3";4', f64([[1, 2.5], [3, 4]])),
        ("1\t\u22122\t3", f64([[1, -2, 3]])),  # the typographic minus sign
        # decimal commas when cells are separated by ; or tabs
        ("1,5;2,5\n-3;4,25", f64([[1.5, 2.5], [-3, 4.25]])),
        ("1,5\t2\n3\t4,5", f64([[1.5, 2], [3, 4.5]])),
        ('"1,5";"2"', f64([[1.5, 2]])),
        # NumPy reprs, print() form and nested lists
        ("array([[1., -2.],\n       [3., nan]])", f64([[1, -2], [3, np.nan]])),
        ("array([ 1.e+00, -1.e-05,  inf])", f64([[1, -1e-05, np.inf]])),
        ("np.array([[1, 2], [3, 4]])", f64([[1, 2], [3, 4]])),
        ("array([[ 0., -0.]])", f64([[0.0, -0.0]])),
        ("[[1. 2.]\n [3. 4.]]", f64([[1, 2], [3, 4]])),
        ("[[1, 2], [3, 4]]", f64([[1, 2], [3, 4]])),
        ("[[1, 2,], [3, 4,],]", f64([[1, 2], [3, 4]])),
        ("[1, 2, 3]", f64([[1, 2, 3]])),
        ("[-inf, nan]", f64([[-np.inf, np.nan]])),
        ("[np.float64(1.5), np.float64(nan)]", f64([[1.5, np.nan]])),
        ("array(5.)", f64([[5]])),
        ("  [[7]]  \n", f64([[7]])),
    ],
)
def test_accepted_text(text, expected):
    assert same(parse_pasted_block(text), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("array([[1.5, 2.]], dtype=float32)", np.array([[1.5, 2.0]], dtype=np.float32)),
        ("array([1, 2], dtype=int32)", np.array([[1, 2]], dtype=np.int32)),
        ("array([255], dtype=np.uint8)", np.array([[255]], dtype=np.uint8)),
        ("array([[-1, 2]], dtype='int8')", np.array([[-1, 2]], dtype=np.int8)),
        ("array([nan], dtype=float16)", np.array([[np.nan]], dtype=np.float16)),
        ("array(3, dtype=int16)", np.array([[3]], dtype=np.int16)),
        # int64 beyond 2**53 stays exact: integers are not read through float64
        ("array([9007199254740993], dtype=int64)", np.array([[2**53 + 1]], dtype=np.int64)),
    ],
)
def test_numpy_repr_dtype_is_kept(text, expected):
    assert same(parse_pasted_block(text), expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "is empty"),
        ("  \n\t\n", "is empty"),
        ("1,2\n3", "row 2 has 1 value but row 1 has 2"),
        ("[[1, 2], [3]]", "row 2 has 1 value but row 1 has 2"),
        ("1\tabc", "row 1, column 2 holds 'abc', which is not a number"),
        ("a\tb\n1\t2", "row 1 looks like a header ('a', 'b')"),
        ("1,,2", "row 1, column 2 is empty"),
        ("1e400\t2", "holds '1e400', which is too large for float64"),
        ("[1e400]", "holds '1e400', which is too large for float64"),
        ('"1,2', "unmatched or misplaced double quote"),
        ('"1";"2;5"', "row 1, column 2 holds '2;5', which is not a number"),
        ('"1""2",3', "row 1, column 1 holds '1\"2', which is not a number"),
        ('1"2",3', "row 1, column 1 holds '1\"2\"', which is not a number"),
        ("1,234.5;2", "decimal comma"),
        ("[[[1]]]", "more than two levels of brackets; 1-D and 2-D arrays are accepted"),
        ("[1, [2]]", "mixes numbers and brackets"),
        ("[[1], 2]", "mixes numbers and brackets"),
        ("[1, 2", "never closed"),
        ("[1]]", "continues after its closing bracket"),
        ("[1] [2]", "continues after its closing bracket"),
        ("[]", "is empty"),
        ("[[], []]", "is empty"),
        ("array([1., 2.]", "does not end with ')'"),
        ("array([0., 0., ..., 0.])", "shortened with '...'"),
        ("array([1], dtype=object)", "dtype=object, which is not accepted"),
        ("array([1+2j], dtype=complex128)", "dtype=complex128, which is not accepted"),
        ("array([True], dtype=bool)", "dtype=bool, which is not accepted"),
        ("array([1e39], dtype=float32)", "too large for float32"),
        ("array([nan], dtype=int32)", "holds 'nan', which is not a whole number"),
        ("array([1.5], dtype=int8)", "holds '1.5', which is not a whole number"),
        ("array([256], dtype=uint8)", "does not fit in uint8; it holds whole numbers from 0 to 255"),
        ("[1, __import__('os')]", "not a number"),
        ("1\x002", "binary data"),
    ],
)
def test_refused_text(text, fragment):
    with pytest.raises(InputError) as info:
        parse_pasted_block(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message and message.endswith(".")


def test_code_is_refused_not_run(tmp_path):
    """Nothing is evaluated: a call that would create a file is refused and has no effect."""
    target = tmp_path / "ran"
    code = f"[[open({str(target)!r}, 'w').close() or 1]]"
    with pytest.raises(InputError, match="not a number"):
        parse_pasted_block(code)
    assert not target.exists()


def test_too_many_rows_is_refused_before_building():
    with pytest.raises(InputError, match=r"5000 rows; arrays up to 4096×4096 are accepted"):
        parse_pasted_block("1\n" * 5000)
    with pytest.raises(InputError, match=r"5000 rows; arrays up to 4096×4096"):
        parse_pasted_block("[" + "[1], " * 5000 + "]")


def test_too_many_columns_is_refused():
    with pytest.raises(InputError, match=r"5000 columns; arrays up to 4096×4096"):
        parse_pasted_block("\t".join(["1"] * 5000))
    with pytest.raises(InputError, match=r"5000 columns"):
        parse_pasted_block("[" + ", ".join(["1"] * 5000) + "]")
    with pytest.raises(InputError, match=r"more than 4096 columns; arrays up to 4096×4096"):
        parse_pasted_block(" ".join(["1"] * 5000))


def test_largest_shape_is_accepted():
    text = ("\t".join(["1"] * MAX_SIDE) + "\n") * 2
    assert parse_pasted_block(text).shape == (2, MAX_SIDE)
    text = "1\n" * MAX_SIDE
    assert parse_pasted_block(text).shape == (MAX_SIDE, 1)


def test_blank_lines_do_not_count_as_rows():
    text = "1\n\n" * 3000  # 6000 lines, 3000 rows
    assert parse_pasted_block(text).shape == (3000, 1)


def test_over_long_text_is_refused_before_parsing():
    with pytest.raises(InputError, match=r"long; text up to 64 MB is accepted"):
        parse_pasted_block(" " * (64 * 1024 * 1024 + 1))


def test_messages_name_the_source():
    with pytest.raises(InputError, match=r"^In 'z.csv', row 2, column 1 holds 'x'"):
        parse_table_text("1\nx", source="'z.csv'")


def test_format_block_examples():
    assert format_block([[1.0, -0.0], [np.nan, np.inf]]) == "1.0\t-0.0\nnan\tinf\n"
    assert format_block(np.array([1, -2], dtype=np.int16)) == "1\t-2\n"
    assert format_block(np.float32([[0.1]])) == "0.10000000149011612\n"
    assert format_block([[1.5, 2.0]], delimiter=",") == "1.5,2.0\n"


@pytest.mark.parametrize("bad", [np.array([[True]]), np.array([["a"]]), np.zeros((0, 3)), np.zeros((2, 2, 2))])
def test_format_block_refuses_what_cannot_be_text(bad):
    with pytest.raises(InputError):
        format_block(bad)


float64_arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=20),
    elements=st.floats(allow_nan=True, allow_infinity=True),
)


def canonical_nan(a: np.ndarray) -> np.ndarray:
    """Text keeps NaN but not its sign or payload bits."""
    return np.where(np.isnan(a), np.nan, a)


@given(float64_arrays)
def test_format_then_parse_round_trips(a):
    assert same(parse_pasted_block(format_block(a)), canonical_nan(a))


@given(float64_arrays)
def test_csv_text_round_trips(a):
    assert same(parse_table_text(format_block(a, delimiter=",")), canonical_nan(a))


@given(float64_arrays)
def test_numpy_repr_round_trips(a):
    with np.printoptions(threshold=10**6, floatmode="unique"):
        text = repr(a)
    assert same(parse_pasted_block(text), canonical_nan(a))


@given(
    hnp.arrays(
        st.sampled_from([np.float32, np.float16, np.int8, np.int32, np.uint16, np.int64]),
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8),
    )
)
def test_numpy_repr_with_dtype_round_trips(a):
    with np.printoptions(threshold=10**6, floatmode="unique"):
        text = repr(a)
    if "dtype" not in text:  # int64 and float64 print no dtype
        text = text[:-1] + f", dtype={a.dtype.name})"
    assert same(parse_pasted_block(text), canonical_nan(a) if a.dtype.kind == "f" else a)
