"""Paste parsing, pinned where mutation testing found the tests too loose (reluviz.core.io.paste).

Each test here was written against a mutant that survived ``test_paste.py``: a refusal whose words,
row or column could change unnoticed, a limit that could move by one, a branch no input reached.
The messages are what a user reads in the paste dialog or on the CLI, so they are compared whole.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz.core.io.limits import MAX_PASTE_CHARS, MAX_SIDE, InputError
from reluviz.core.io.paste import AmbiguousCommaError, format_block, parse_pasted_block, parse_table_text

NOT_A_NUMBER = "which is not a number; cells must hold numbers such as 1.5, -2e-3, nan or inf"
DECIMAL_COMMA_HINT = (
    " (a decimal comma such as 1,5 is read only when cells are separated by ';' or tabs"
    " and no cell uses a decimal point)"
)


def same(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Equal by dtype, shape and bytes (array_equal hides -0.0 vs 0.0 and NaN)."""
    return actual.dtype == expected.dtype and actual.shape == expected.shape and actual.tobytes() == expected.tobytes()


def refusal(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_pasted_block(text)
    return str(info.value)


# -- whole refusal messages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "The pasted text is empty; numbers separated by tabs, commas or spaces, or a NumPy array such as "
            "[[1, 2], [3, 4]], are accepted.",
        ),
        ("1\tabc", f"In the pasted text, row 1, column 2 holds 'abc', {NOT_A_NUMBER}."),
        ("1;abc", f"In the pasted text, row 1, column 2 holds 'abc', {NOT_A_NUMBER}."),
        ("1,5;ab,c", f"In the pasted text, row 1, column 2 holds 'ab,c', {NOT_A_NUMBER}{DECIMAL_COMMA_HINT}."),
        # a lone word is a cell that is not a number, not a header
        ("abc", f"In the pasted text, row 1, column 1 holds 'abc', {NOT_A_NUMBER}."),
        (
            "a\tb\tc\n1\t2\t3",
            "In the pasted text, row 1 looks like a header ('a', 'b', 'c'); only numbers are accepted, so remove "
            "the header row.",
        ),
        (
            "a\tb\tc\td\n1\t2\t3\t4",
            "In the pasted text, row 1 looks like a header ('a', 'b', 'c', …); only numbers are accepted, so "
            "remove the header row.",
        ),
        # a header-like row below the first is just a row of words
        ("1\t2\na\tb", f"In the pasted text, row 2, column 1 holds 'a', {NOT_A_NUMBER}."),
        (
            "1,,2",
            "In the pasted text, row 1, column 2 is empty; every cell needs a number (write nan for a missing value).",
        ),
        (
            '"1,2',
            "In the pasted text, row 1 has an unmatched or misplaced double quote; quotes must wrap a whole cell, "
            'as in "1,5".',
        ),
        # CSV rules skip the space after the comma, so the cell shown is the quoted text, not ' "2,5"'
        ('1, "2,5"', f"In the pasted text, row 1, column 2 holds '2,5', {NOT_A_NUMBER}{DECIMAL_COMMA_HINT}."),
        ("1,2\n3", "In the pasted text, row 2 has 1 value but row 1 has 2; every row needs the same number of values."),
        (
            "1\n2,3",
            "In the pasted text, row 2 has 2 values but row 1 has 1; every row needs the same number of values.",
        ),
        (
            "1e400\t2",
            "In the pasted text, row 1, column 1 holds '1e400', which is too large for float64 (largest about "
            "1.8e+308); write inf for infinity.",
        ),
        (
            "1\t2\n3\t-1e400",
            "In the pasted text, row 2, column 2 holds '-1e400', which is too large for float64 (largest about "
            "1.8e+308); write inf for infinity.",
        ),
        (
            "1\x002",
            "The pasted text holds binary data, not text; rows of numbers separated by tabs, commas, semicolons or "
            "spaces are accepted.",
        ),
    ],
)
def test_table_refusals_are_worded_exactly(text, message):
    assert refusal(text) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[1 2] [3 x]]", f"In the pasted text, row 2, column 2 holds 'x', {NOT_A_NUMBER}."),
        (
            "[[1, 2], [3, 1e400]]",
            "In the pasted text, row 2, column 2 holds '1e400', which is too large for float64 (largest about "
            "1.8e+308); write inf for infinity.",
        ),
        (
            "array([[1, 2], [3, 1e39]], dtype=float32)",
            "In the pasted text, row 2, column 2 holds '1e39', which is too large for float32 (largest about "
            "3.4e+38); write inf for infinity.",
        ),
        (
            "array([[1, 2], [3, 1.5]], dtype=int8)",
            "In the pasted text, row 2, column 2 holds '1.5', which is not a whole number; dtype=int8 holds whole "
            "numbers from -128 to 127.",
        ),
        (
            "array([[1, 2], [3, 300]], dtype=uint8)",
            "In the pasted text, row 2, column 2 holds '300', which does not fit in uint8; it holds whole numbers "
            "from 0 to 255.",
        ),
        (
            "array([[1, 2], [3, 123456789012345678901]], dtype=int64)",
            "In the pasted text, row 2, column 2 holds a 21-digit number, which does not fit in int64; it holds "
            "whole numbers from -9223372036854775808 to 9223372036854775807.",
        ),
        (
            "[[1, 2], [3]]",
            "In the pasted text, row 2 has 1 value but row 1 has 2; every row needs the same number of values.",
        ),
        ("[]", "The pasted array is empty; arrays from 1×1 up to 4096×4096 are accepted."),
    ],
)
def test_bracketed_refusals_name_the_right_row_and_column(text, message):
    assert refusal(text) == message


def test_messages_of_the_table_reader_start_with_a_capital():
    with pytest.raises(InputError) as info:
        parse_table_text(" \n ")
    assert str(info.value) == (
        "The pasted text is empty; rows of numbers separated by tabs, commas, semicolons or spaces are accepted."
    )


# -- a shown cell is shortened at exactly 24 characters ------------------------------------------------


def test_a_cell_of_24_characters_is_shown_whole_and_a_longer_one_shortened():
    assert refusal("x" * 24 + "\t1") == f"In the pasted text, row 1, column 1 holds '{'x' * 24}', {NOT_A_NUMBER}."
    long = "abcdefghijklmnopqrstuvwxyz"  # 26 characters: the first 23 and an ellipsis
    assert (
        refusal(long + "\t1")
        == f"In the pasted text, row 1, column 1 holds 'abcdefghijklmnopqrstuvw…', {NOT_A_NUMBER}."
    )
    assert refusal("y" * 25 + "\t1") == f"In the pasted text, row 1, column 1 holds '{'y' * 23}…', {NOT_A_NUMBER}."


# -- integer dtypes at their limits ------------------------------------------------------------------


def test_the_largest_uint64_has_20_digits_and_is_accepted():
    largest = np.iinfo(np.uint64).max  # 18446744073709551615
    out = parse_pasted_block(f"array([{largest}, 0], dtype=uint64)")
    assert same(out, np.array([[largest, 0]], dtype=np.uint64))
    assert "does not fit in uint64" in refusal(f"array([{largest + 1}], dtype=uint64)")


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64])
def test_integer_dtypes_accept_both_ends_and_refuse_one_beyond(dtype):
    info = np.iinfo(dtype)
    name = np.dtype(dtype).name
    out = parse_pasted_block(f"array([[{info.min}, {info.max}]], dtype={name})")
    assert same(out, np.array([[info.min, info.max]], dtype=dtype))
    for beyond in (info.min - 1, info.max + 1):
        assert refusal(f"array([{beyond}], dtype={name})") == (
            f"In the pasted text, row 1, column 1 holds '{beyond}', which does not fit in {name}; it holds whole "
            f"numbers from {info.min} to {info.max}."
        )


# -- decimal commas read cell by cell -------------------------------------------------------------


def test_decimal_commas_are_read_in_cells_the_fast_reader_skips():
    """A non-breaking space (Excel's thousands gap, copied from web tables) sends the row to the strict
    cell-by-cell reader, which must still read the decimal commas."""
    assert same(parse_pasted_block("1,5;\u00a02,5\n3;4,25"), np.array([[1.5, 2.5], [3.0, 4.25]]))
    assert same(parse_pasted_block("-0,5\t\u00a01,25"), np.array([[-0.5, 1.25]]))


def test_whitespace_separated_quoted_cells_are_read():
    assert same(parse_pasted_block('"1"  "2"\n3 4'), np.array([[1.0, 2.0], [3.0, 4.0]]))


# -- format_block ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.array([[True]]), "Only integer or floating-point arrays can be copied as text, not bool."),
        (np.array([[1 + 2j]]), "Only integer or floating-point arrays can be copied as text, not complex128."),
        (
            np.zeros((0, 3)),
            "An array of shape 0×3 cannot be copied as text; 1-D and 2-D arrays with at least one element can.",
        ),
        (
            np.zeros((2, 2, 2)),
            "An array of shape 2×2×2 cannot be copied as text; 1-D and 2-D arrays with at least one element can.",
        ),
    ],
)
def test_format_block_refusals_are_worded_exactly(array, message):
    with pytest.raises(InputError) as info:
        format_block(array)
    assert str(info.value) == message


@given(st.lists(st.floats(width=32), min_size=1, max_size=6))
def test_float32_values_are_written_exactly(values):
    """Each float32 is written as the float64 it equals, so the text reads back to the same bits."""
    a = np.array([values], dtype=np.float32)
    cells = format_block(a).rstrip("\n").split("\t")
    assert cells == [repr(float(v)) for v in a[0]]
    back = parse_pasted_block(format_block(a)).astype(np.float32)
    assert same(np.where(np.isnan(back), np.float32(np.nan), back), np.where(np.isnan(a), np.float32(np.nan), a))


# -- the 1,000 question names the cell where it is -------------------------------------------------------


def test_an_ambiguous_comma_below_a_blank_line_is_named_by_its_line():
    with pytest.raises(AmbiguousCommaError) as info:
        parse_pasted_block("5;6\n\n7;-1,000\n8;9")
    assert str(info.value) == (
        "In the pasted text, row 3, column 2 holds '-1,000', which reads as -1000 (comma as thousands separator) "
        "or as -1.0 (decimal comma); reluviz does not guess, so write it without the comma (-1000) or with a "
        "decimal point (-1.0)."
    )
    assert info.value.cell == "-1,000"
    assert same(info.value.decimal, np.array([[5.0, 6.0], [7.0, -1.0], [8.0, 9.0]]))
    assert same(info.value.thousands, np.array([[5.0, 6.0], [7.0, -1000.0], [8.0, 9.0]]))


def test_a_long_double_array_is_written_as_float64_text_that_pastes_back():
    """``tolist()`` keeps long doubles as NumPy scalars, whose repr is not a number; they are written as
    the float64 values the app works in."""
    a = np.array([[1.1, -0.0], [np.nan, 2.5]], dtype=np.longdouble)
    assert format_block(a) == "1.1\t-0.0\nnan\t2.5\n"
    assert same(parse_pasted_block(format_block(a)), np.array([[1.1, -0.0], [np.nan, 2.5]]))


# -- 4096 rows or columns are accepted, 4097 refused, however they are written ----------------------------

HAS_ROWS = "The pasted text has 4097 rows; arrays up to 4096×4096 are accepted."
HAS_COLUMNS = "The pasted text has 4097 columns; arrays up to 4096×4096 are accepted."
MORE_THAN_COLUMNS = "The pasted text has more than 4096 columns; arrays up to 4096×4096 are accepted."


@pytest.mark.parametrize(
    ("build", "shape", "message"),
    [
        (lambda n: "1\n" * n, lambda n: (n, 1), HAS_ROWS),
        (lambda n: "1\r\n\r\n" * n, lambda n: (n, 1), HAS_ROWS),  # blank lines are not rows
        (lambda n: "\t".join(["1"] * n), lambda n: (1, n), HAS_COLUMNS),
        (lambda n: ";".join(["1,5"] * n), lambda n: (1, n), HAS_COLUMNS),
        (lambda n: ",".join(['"1"'] * n), lambda n: (1, n), HAS_COLUMNS),
        (lambda n: " ".join(["1"] * n), lambda n: (1, n), MORE_THAN_COLUMNS),
        (lambda n: " ".join(["1"] * n) + "\n" + " ".join(["2"] * n), lambda n: (2, n), MORE_THAN_COLUMNS),
        (lambda n: " ".join(['"1"'] * n), lambda n: (1, n), MORE_THAN_COLUMNS),
        (lambda n: "[" + ", ".join(["1"] * n) + "]", lambda n: (1, n), HAS_COLUMNS),
        (lambda n: "[" + " ".join(["1."] * n) + "]", lambda n: (1, n), MORE_THAN_COLUMNS),
        (lambda n: "[" + "[1], " * n + "]", lambda n: (n, 1), HAS_ROWS),
        (lambda n: "[" + "[1.]\n " * n + "]", lambda n: (n, 1), HAS_ROWS),
    ],
    ids=[
        "lines",
        "crlf-blank",
        "tabs",
        "semicolons",
        "quoted",
        "spaces",
        "spaces-2-rows",
        "quoted-spaces",
        "list",
        "printed-row",
        "nested-lists",
        "printed-column",
    ],
)
def test_the_side_limit_is_exact_in_every_form(build, shape, message):
    assert parse_pasted_block(build(MAX_SIDE)).shape == shape(MAX_SIDE)
    assert refusal(build(MAX_SIDE + 1)) == message


def test_a_wider_second_row_is_refused_before_it_is_split():
    text = "1 2\n" + " ".join(["1"] * (MAX_SIDE + 1))
    assert refusal(text) == MORE_THAN_COLUMNS
    assert refusal('1 "2"\n' + " ".join(['"1"'] * (MAX_SIDE + 1))) == MORE_THAN_COLUMNS


def test_text_of_exactly_64_mib_is_parsed_and_one_character_more_refused():
    assert same(parse_pasted_block(" " * (MAX_PASTE_CHARS - 1) + "5"), np.array([[5.0]]))
    assert same(parse_table_text("5" + " " * (MAX_PASTE_CHARS - 1)), np.array([[5.0]]))
    too_long = "The pasted text is 64 MB long; text up to 64 MB is accepted."
    assert refusal(" " * MAX_PASTE_CHARS + "5") == too_long
    with pytest.raises(InputError) as info:
        parse_table_text("5" + " " * MAX_PASTE_CHARS)
    assert str(info.value) == too_long


# -- brackets: each way to get them wrong has its own sentence --------------------------------------------

MIXES = (
    "The pasted text mixes numbers and brackets in one list; lists of numbers ([1, 2]) or lists of such lists "
    "([[1, 2], [3, 4]]) are accepted."
)
NEVER_CLOSED = (
    "The pasted text has an opening bracket '[' that is never closed; balanced brackets, as in [[1, 2], [3, 4]], "
    "are accepted."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, [2]]", MIXES),
        ("[[1], 2]", MIXES),
        (
            "[[1] x [2]]",
            "The pasted text has 'x' between two rows; rows are separated by commas, as in [[1, 2], [3, 4]].",
        ),
        (
            "[[1], , [2]]",
            "The pasted text has ', ,' between two rows; rows are separated by commas, as in [[1, 2], [3, 4]].",
        ),
        ("[[1], [2]", NEVER_CLOSED),
        ("[[1]", NEVER_CLOSED),
        ("[1]]", "The pasted text continues after its closing bracket with ']'; one array in brackets is accepted."),
        (
            "[[1]] [2]",
            "The pasted text continues after its closing bracket with '[2]'; one array in brackets is accepted.",
        ),
        ("[1] 5", "The pasted text continues after its closing bracket with '5'; one array in brackets is accepted."),
        ("[[[1]]]", "The pasted text has more than two levels of brackets; 1-D and 2-D arrays are accepted."),
        (
            "array([1]",
            "The pasted text starts with 'array(' but does not end with ')'; a complete NumPy repr such as "
            "array([[1., -2.], [3., nan]]) is accepted.",
        ),
        (
            "array(1, 2)",
            "The pasted array( ) holds no brackets and more than one value; a NumPy repr such as "
            "array([[1., -2.], [3., nan]]) is accepted.",
        ),
        (
            "array([0., ..., 0.])",
            "The pasted array is shortened with '...', so its values are missing; paste the full array "
            "(np.set_printoptions(threshold=sys.maxsize) prints every value) or copy it as CSV.",
        ),
        (
            "[0., …, 0.]",
            "The pasted array is shortened with '...', so its values are missing; paste the full array "
            "(np.set_printoptions(threshold=sys.maxsize) prints every value) or copy it as CSV.",
        ),
    ],
)
def test_bracket_refusals_are_worded_exactly(text, message):
    assert refusal(text) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("array(5., dtype=float32)", np.array([[5.0]], dtype=np.float32)),
        ("array(-7, dtype=int8)", np.array([[-7]], dtype=np.int8)),
        ("array([1 2 3], dtype=int16)", np.array([[1, 2, 3]], dtype=np.int16)),  # print() rows, a dtype named
        ("array([[1 2]\n       [3 4]], dtype=uint8)", np.array([[1, 2], [3, 4]], dtype=np.uint8)),
        ("np.array([np.float32(1.5), np.int64(2)])", np.array([[1.5, 2.0]])),
        ("numpy.asarray([1, 2])", np.array([[1.0, 2.0]])),
        ("array([[1.5, \u22122.]])", np.array([[1.5, -2.0]])),  # a typographic minus inside brackets
    ],
)
def test_more_numpy_forms_are_read(text, expected):
    assert same(parse_pasted_block(text), expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "array(1e39, dtype=float32)",
            "In the pasted text, row 1, column 1 holds '1e39', which is too large for float32 (largest about "
            "3.4e+38); write inf for infinity.",
        ),
        (
            "array(-70000., dtype=float16)",
            "In the pasted text, row 1, column 1 holds '-70000.', which is too large for float16 (largest about "
            "6.6e+04); write inf for infinity.",
        ),
        (
            "array(1e400)",
            "In the pasted text, row 1, column 1 holds '1e400', which is too large for float64 (largest about "
            "1.8e+308); write inf for infinity.",
        ),
    ],
)
def test_a_0d_repr_too_large_for_its_dtype_is_refused_in_words(text, message):
    assert refusal(text) == message


def test_a_0d_repr_of_infinity_keeps_its_dtype():
    assert same(parse_pasted_block("array(-inf, dtype=float16)"), np.array([[-np.inf]], dtype=np.float16))
