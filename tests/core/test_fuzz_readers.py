"""Fuzzing the readers: any text, any bytes, any flag either works or is refused with InputError.

Nothing else may escape (RecursionError, OverflowError, a plain ValueError, UnicodeError), since
the app shows anything else as an unexpected-error dialog and the command line as a traceback.
"""

from __future__ import annotations

import io
import struct

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reluviz.core.io.array_files import load_array, read_npy
from reluviz.core.io.cell_value import CellValueError, cast_block, parse_cell_value
from reluviz.core.io.limits import InputError
from reluviz.core.io.paste import parse_pasted_block
from reluviz.core.io.session import load_session

# Characters that steer the parsers: separators, brackets, signs, digits of other scripts,
# number words, quotes, line ends, NUL, the typographic minus, a BOM.
TRICKY = st.sampled_from([
    *"0123456789.,;\t \n\r-+eE[]()\"'_xXj",
    "nan", "inf", "infinity", "array(", "dtype=int64", "dtype=float16", "np.float64(", "\u2212", "\ufeff",
    "\x00", "\u0661", "\uff11", "\U0001d7cf", "...", "1,000", "9" * 30, "1e400", "-0", "True",
])
PASTE_TEXT = st.lists(TRICKY | st.text(max_size=3), max_size=40).map("".join)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(PASTE_TEXT)
def test_any_paste_is_an_array_or_an_input_error(text):
    try:
        block = parse_pasted_block(text)
    except InputError as error:
        message = str(error)
        assert message and "\n" not in message and "\x00" not in message
        return
    assert block.ndim == 2 and block.size >= 1 and block.dtype.kind in "iuf"
    for dtype in (np.float64, np.float32, np.int64, np.uint8):
        try:
            cast_block(block, np.dtype(dtype))
        except CellValueError:
            pass


@FUZZ
@given(st.lists(TRICKY | st.text(max_size=2), max_size=8).map("".join))
def test_any_typed_cell_is_a_value_or_a_cell_value_error(text):
    for dtype in (np.float64, np.float16, np.int8, np.uint64):
        try:
            value = parse_cell_value(text, np.dtype(dtype))
        except CellValueError as error:
            assert "\n" not in str(error)
            continue
        assert np.asarray(value).dtype == np.dtype(dtype)


def _npy(header: str, version: int) -> bytes:
    data = header.encode("latin-1", errors="replace")
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(data)) + data
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(data)) + data


HEADER_PART = st.sampled_from([
    "{", "}", "'descr'", "'shape'", "'fortran_order'", ":", ",", "(", ")", "[", "]", "'<f8'", "'|O'", "'<i8'",
    "True", "False", "None", "-", "1", "4096", "99999999999999999999", "L", " ", "\n", "'", "\\", "0x10",
])


@FUZZ
@given(st.lists(HEADER_PART, max_size=40).map("".join), st.sampled_from([1, 2, 3, 4]), st.binary(max_size=64))
def test_any_npy_header_is_an_array_or_an_input_error(header, version, payload):
    data = _npy(header, version) + payload
    try:
        read_npy(io.BytesIO(data), len(data), "'f.npy'")
    except InputError as error:
        assert "\n" not in str(error)


@FUZZ
@given(st.binary(max_size=200), st.sampled_from([".npy", ".csv", ".txt", ".reluviz"]))
def test_any_file_is_loaded_or_refused(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(data)
    try:
        load_session(path) if suffix == ".reluviz" else load_array(path)
    except InputError as error:
        assert "\n" not in str(error)
