"""Messages every reader shares are written once, in :mod:`reluviz.core.io.limits`, and used as written."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz.core.explorer import ExplorerModel, ReshapeQuestion, ShapeError
from reluviz.core.io import limits
from reluviz.core.io.array_files import ACCEPTED_DTYPES as READABLE_DTYPES
from reluviz.core.io.array_files import load_array
from reluviz.core.io.arrays_input import normalize_pair
from reluviz.core.io.limits import ACCEPTED_DTYPES, ACCEPTED_DTYPES_TEXT, InputError, shape_mismatch_text
from reluviz.core.io.paste import parse_pasted_block
from reluviz.core.io.session import Session, save_session

SIDES = st.integers(1, 9)


@given(st.tuples(SIDES, SIDES), st.tuples(SIDES, SIDES))
def test_shape_mismatch_text(z_shape, d_shape):
    text = shape_mismatch_text(z_shape, d_shape)
    (zr, zc), (dr, dc) = z_shape, d_shape
    assert text == f"z is {zr}×{zc} but dvalues is {dr}×{dc}; they must have the same shape"
    assert not text.endswith(".")  # callers add a reason or a full stop; the CLI prints it as it is


def test_every_pair_reader_says_the_shape_mismatch_the_same_way(tmp_path):
    z, dvalues = np.zeros((3, 4)), np.zeros((2, 5))
    expected = shape_mismatch_text((3, 4), (2, 5))
    with pytest.raises(ShapeError) as model_error:
        ExplorerModel(z, dvalues)
    with pytest.raises(InputError) as api_error:
        normalize_pair(z, dvalues)
    with pytest.raises(InputError) as save_error:
        save_session(tmp_path / "s.reluviz", Session(z=z, dvalues=dvalues))
    for error in (model_error, api_error, save_error):
        assert str(error.value).startswith(expected), str(error.value)
    question = ReshapeQuestion("z", "z.npy", old_shape=(2, 5), new_shape=(3, 4))
    assert question.text.startswith(shape_mismatch_text((3, 4), (2, 5), z_name="z.npy", dvalues_name="dvalues"))


def test_one_list_of_accepted_dtypes():
    assert READABLE_DTYPES is ACCEPTED_DTYPES
    for dtype in ACCEPTED_DTYPES:
        assert parse_pasted_block(f"array([1], dtype={dtype.name})").dtype == dtype
    with pytest.raises(InputError) as error:
        parse_pasted_block("array([1], dtype=complex64)")
    assert f"{ACCEPTED_DTYPES_TEXT} are accepted" in str(error.value)


def test_a_refused_file_names_the_same_list(tmp_path):
    path = tmp_path / "c.npy"
    np.save(path, np.zeros((2, 2), np.complex64))
    with pytest.raises(InputError, match=re.escape(f"{limits.ACCEPTED_DTYPES_TEXT} are accepted")):
        load_array(path)
