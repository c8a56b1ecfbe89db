"""Equivalent forms and boolean-index shapes, checked against scalar loops and NumPy itself (no Qt)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core import relu_backward
from reluviz.core.io.limits import InputError
from reluviz.core.presets import PRESETS
from reluviz.core.teaching import (
    assign_through_mask,
    compare_forms,
    dimension_match,
    form_expressions,
    mask_fits,
    resized_scratch,
    scratch_pair_outcome,
    shape_demos,
)
from reluviz.core.teaching.bits import cells_differ
from reluviz.core.teaching.text import MAX_LISTED_CELLS

SPECIAL = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [0.0, -0.0, np.nan, np.inf, -np.inf, -1.0, 1.0]
)
BOOK_Z, BOOK_D = PRESETS["book"].make()


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def cells(shape):
    return list(itertools.product(*(range(n) for n in shape)))


@st.composite
def pairs(draw, dtypes=(np.float64,)):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
    z = draw(hnp.arrays(np.float64, shape, elements=SPECIAL))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    elements = None
    if dtype.kind == "f":
        elements = st.floats(width=8 * dtype.itemsize) | st.sampled_from([0.0, -0.0, np.nan, np.inf, -np.inf])
    dvalues = draw(hnp.arrays(dtype, shape, elements=elements))
    return z, dvalues


# ---- equivalent forms ---------------------------------------------------------------------------

def test_form_expressions_follow_the_operator():
    assert form_expressions(True) == {"book": "drelu = dvalues.copy(); drelu[z <= 0] = 0",
                                      "where": "np.where(z > 0, dvalues, 0)", "multiply": "dvalues * (z > 0)"}
    assert form_expressions(False)["where"] == "np.where(z >= 0, dvalues, 0)"
    assert form_expressions(False)["multiply"] == "dvalues * (z >= 0)"


def test_forms_agree_on_the_book_example():
    out = compare_forms(BOOK_Z, BOOK_D)
    assert same(out["book"].result, relu_backward(BOOK_Z, BOOK_D))
    assert out["where"].identical and out["multiply"].identical
    assert out["where"].disagreements == [] and out["multiply"].disagreements == []
    assert out["where"].count == 0 and out["multiply"].reasons == []


def test_each_disagreement_has_its_reason():
    z = np.array([np.nan, -1.0, -1.0, -1.0, 2.0])
    dvalues = np.array([5.0, np.inf, -2.0, np.nan, -0.0])
    out = compare_forms(z, dvalues)
    assert out["where"].disagreements == [
        ((0,), "5.0", "0.0", "z is nan: nan <= 0 is False, so the book keeps dvalues (5.0); "
                             "nan > 0 is False too, so where gives 0.0"),
    ]
    assert out["multiply"].disagreements == [
        ((0,), "5.0", "0.0", "z is nan: nan <= 0 is False, so the book keeps dvalues (5.0); "
                             "nan > 0 is False too, so multiply gives 0.0"),
        ((1,), "0.0", "nan", "z <= 0 blocks it and dvalues is inf: inf * False is nan"),
        ((2,), "0.0", "-0.0", "z <= 0 blocks it and dvalues is -2.0: -2.0 * False is -0.0, the book writes 0.0"),
        ((3,), "0.0", "nan", "z <= 0 blocks it and dvalues is nan: nan * False is nan"),
    ]
    assert out["multiply"].count == 4 and out["multiply"].reasons == [
        ("z is nan: nan <= 0 is False, so the book keeps dvalues; nan > 0 is False too, "
         "so multiply gives dvalues * False", 1),
        ("z <= 0 blocks it and dvalues is inf, -inf or nan: that * False is nan", 2),
        ("z <= 0 blocks it and dvalues is negative or -0.0: that * False is -0.0, the book writes 0.0", 1),
    ]
    assert out["multiply"].summary().startswith("1 cell: z is nan: ")
    assert not out["where"].identical and out["where"].same_dtype
    assert out["multiply"].form.warnings == ("invalid value encountered in multiply",)  # NumPy's words
    assert out["where"].form.warnings == () and out["book"].warnings == ()


def _where_loop(z, dvalues, inclusive):
    out = np.empty(z.shape, dtype=np.result_type(dvalues, 0))
    for c in cells(z.shape):
        keep = z[c] > 0 if inclusive else z[c] >= 0
        out[c] = dvalues[c] if keep else 0
    return out


def _multiply_loop(z, dvalues, inclusive):
    out = np.empty(z.shape, dtype=dvalues.dtype)
    with np.errstate(all="ignore"):
        for c in cells(z.shape):
            keep = z[c] > 0 if inclusive else z[c] >= 0
            out[c] = dvalues[c] * np.bool_(keep)  # the form's own arithmetic, one scalar at a time
    return out


@settings(max_examples=250, deadline=None)
@given(pairs((np.float64, np.float32, np.int32, np.uint8)), st.booleans())
def test_forms_and_their_disagreements_match_scalar_loops(pair, inclusive):
    z, dvalues = pair
    out = compare_forms(z, dvalues, inclusive)  # warns nothing: NumPy's warnings are caught and kept
    book = relu_backward(z, dvalues, inclusive)
    loops = {"where": _where_loop(z, dvalues, inclusive), "multiply": _multiply_loop(z, dvalues, inclusive)}
    for name, loop in loops.items():
        comparison = out[name]
        assert same(comparison.form.result, loop)
        differing = [c for c in cells(z.shape) if np.array(book[c]).tobytes() != np.array(loop[c]).tobytes()]
        # The count covers every differing cell; the rows list the first few, in C order.
        assert comparison.count == len(differing)
        assert [row[0] for row in comparison.disagreements] == differing[:MAX_LISTED_CELLS]
        assert [c for c in cells(z.shape) if comparison.differs[c]] == differing
        assert comparison.identical == (not differing)
        kinds = {"nan z": 0, "nan product": 0, "negative zero": 0}
        for cell in differing:
            z_v, d_v = float(z[cell]), float(dvalues[cell])
            kind = ("nan z" if math.isnan(z_v) else "nan product" if math.isinf(d_v) or math.isnan(d_v)
                    else "negative zero" if math.copysign(1.0, d_v) < 0 else None)
            assert kind is not None and (kind == "nan z" or name == "multiply"), f"unexplained at {cell}"
            kinds[kind] += 1
        for cell, _, _, reason in comparison.disagreements:
            z_v, d_v = float(z[cell]), float(dvalues[cell])
            if reason.startswith("z is nan"):
                assert math.isnan(z_v)
            elif reason.endswith("* False is nan"):
                assert name == "multiply" and (math.isinf(d_v) or math.isnan(d_v))
            elif reason.endswith("the book writes 0.0"):
                assert name == "multiply" and math.copysign(1.0, d_v) < 0
            else:
                pytest.fail(f"unexplained disagreement at {cell}: {reason}")
        # One reason per category, counted with NumPy, against the scalar loop's tally.
        prefixes = {"nan z": "z is nan", "nan product": "z <= 0 blocks it and dvalues is inf",
                    "negative zero": "z <= 0 blocks it and dvalues is negative"}
        got = {kind: sum(n for why, n in comparison.reasons
                         if why.replace("z < 0", "z <= 0").startswith(prefix)) for kind, prefix in prefixes.items()}
        assert got == kinds and sum(n for _, n in comparison.reasons) == len(differing)
        if dvalues.dtype.kind in "iu":  # integers have no NaN, inf or -0: only a NaN in z can differ
            assert all(math.isnan(float(z[c])) for c in differing)


def test_bool_dvalues_change_dtype_under_where():
    z = np.array([1.0, -1.0])
    out = compare_forms(z, np.array([True, True]))
    assert out["where"].form.result.dtype != np.bool_ and not out["where"].same_dtype
    assert not out["where"].identical and out["where"].disagreements == []  # same values, other dtype
    assert out["where"].count == 0 and not out["where"].differs.any()
    assert out["multiply"].identical


def test_unequal_shapes_raise_in_the_book_and_broadcast_in_the_forms():
    z = BOOK_Z[:, :1]
    out = compare_forms(BOOK_D, z)  # z of shape (3, 4), dvalues of shape (3, 1)
    with pytest.raises(IndexError) as info:
        z.copy()[BOOK_D <= 0] = 0
    assert out["book"].error == f"IndexError: {info.value}"
    assert out["where"].form.result.shape == (3, 4) and not out["where"].identical


# ---- shapes ---------------------------------------------------------------------------------------

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)


@settings(max_examples=300, deadline=None)
@given(shapes, shapes)
def test_mask_fits_is_numpys_rule(target_shape, mask_shape):
    target = np.ones(target_shape)
    mask = np.zeros(mask_shape, dtype=bool)
    try:
        target.copy()[mask] = 0
        accepted, message = True, None
    except IndexError as exc:
        accepted, message = False, str(exc)
    if mask.size:
        assert mask_fits(target_shape, mask_shape) == accepted
    else:  # NumPy accepts some mismatched empty masks (they select nothing); a fitting one always works
        assert accepted or not mask_fits(target_shape, mask_shape)
    outcome = assign_through_mask(target, mask)
    assert outcome.ok == accepted and outcome.message == message
    assert outcome.error_type == (None if accepted else "IndexError")


def test_dimension_match_pictures_the_axes():
    assert dimension_match((3, 4), (3, 5)) == [(0, 3, 3), (1, 4, 5)]
    assert dimension_match((3, 4), (3,)) == [(0, 3, 3)]
    assert dimension_match((3,), (3, 4)) == [(0, 3, 3), (1, None, 4)]
    assert not mask_fits((3,), (3, 4)) and mask_fits((3, 4), (3,))


def test_shape_demos_run_for_real():
    demos = shape_demos(3, 4)
    with pytest.raises(IndexError) as info:
        np.ones((3, 4))[np.zeros((3, 5), dtype=bool)] = 0
    assert demos["mismatch"].error_text == f"IndexError: {info.value}"
    assert demos["scalar"].result.tolist() == [[0, 2, 0, 4], [0, 6, 0, 8], [0, 10, 0, 12]]
    assert demos["row_value"].result.tolist() == [[-1, -2, -3, -4], [5, 6, 7, 8], [9, 10, 11, 12]]
    assert demos["row_value"].value_shape == (4,) and demos["row_value"].mask_shape == (3,)
    assert demos["row_mask_broadcast_attempt"].error_type == "IndexError"  # (1, 4) does not broadcast to (3, 4)


def test_assigned_value_broadcasts_to_the_selected_cells():
    drelu = np.arange(1.0, 13.0).reshape(3, 4)
    mask = drelu % 3 == 0  # 4 True cells
    per_cell = assign_through_mask(drelu, mask, np.array([-1.0, -2.0, -3.0, -4.0]))
    assert per_cell.result[mask].tolist() == [-1, -2, -3, -4]
    mask5 = drelu % 2 == 0  # 6 True cells: a row of 4 values does not fit them
    with pytest.raises(ValueError) as info:
        drelu.copy()[mask5] = np.arange(4.0)
    wrong = assign_through_mask(drelu, mask5, np.arange(4.0))
    assert wrong.error_type == "ValueError" and wrong.message == str(info.value)
    assert same(drelu, np.arange(1.0, 13.0).reshape(3, 4))  # the caller's array is never written


def test_scratch_pair_with_other_shapes_gives_numpys_error_and_leaves_the_document_alone():
    z, dvalues = BOOK_Z.copy(), BOOK_D.copy()
    outcome = scratch_pair_outcome(z, dvalues, (3, 5), (3, 4))
    with pytest.raises(IndexError) as info:
        dvalues.copy()[resized_scratch(z, (3, 5)) <= 0] = 0
    assert outcome.error_text == f"IndexError: {info.value}" and outcome.expression == "drelu[z <= 0] = 0"
    assert same(z, BOOK_Z) and same(dvalues, BOOK_D)
    same_shape = scratch_pair_outcome(z, dvalues, (2, 3), (2, 3), inclusive=False)
    assert same(same_shape.result, relu_backward(BOOK_Z[:2, :3], BOOK_D[:2, :3], False))


def test_resized_scratch_keeps_the_overlap_and_checks_the_shape_first():
    grown = resized_scratch(BOOK_Z, (4, 2), fill=7.0)
    assert grown.tolist() == [[1, 2], [2, -7], [-1, 2], [7, 7]] and grown.dtype == BOOK_Z.dtype
    with pytest.raises(InputError, match="give 2 sides from 0 to 4096"):
        resized_scratch(BOOK_Z, (10**9, 10**9))
    with pytest.raises(InputError):
        resized_scratch(BOOK_Z, (3,))


@settings(max_examples=200, deadline=None)
@given(pairs((np.float64, np.float32, np.int8, np.uint16, np.bool_, np.complex128)), st.data())
def test_cells_differ_compares_every_cells_bits(pair, data):
    _, a = pair
    b = a.copy()
    if a.size:  # flip one bit of one byte of one cell: the comparison must see it
        raw = b.reshape(-1).view(np.uint8)
        bit = 0 if a.dtype == np.bool_ else data.draw(st.integers(0, 7))  # a bool byte is 0 or 1
        raw[data.draw(st.integers(0, raw.size - 1))] ^= 1 << bit
    expected = np.array([np.array(a[c]).tobytes() != np.array(b[c]).tobytes() for c in cells(a.shape)],
                        dtype=bool).reshape(a.shape)
    assert np.array_equal(cells_differ(a, b), expected)
    assert not cells_differ(a, a.copy()).any()


def test_big_form_differences_are_counted_per_reason():
    rng = np.random.default_rng(3)
    z = rng.standard_normal((1024, 1024))
    z[rng.random(z.shape) < 0.1] = np.nan
    dvalues = rng.standard_normal((1024, 1024))
    dvalues[rng.random(z.shape) < 0.01] = np.inf
    out = compare_forms(z, dvalues)
    blocked = z <= 0
    with np.errstate(all="ignore"):
        multiply = dvalues * (z > 0)
    nan_z = np.isnan(z)
    inf_d = blocked & np.isinf(dvalues)
    neg = blocked & ~np.isinf(dvalues) & np.signbit(dvalues)
    comparison = out["multiply"]
    assert comparison.count == int(np.count_nonzero(nan_z | inf_d | neg))
    assert [n for _, n in comparison.reasons] == [int(nan_z.sum()), int(inf_d.sum()), int(neg.sum())]
    first = [tuple(int(i) for i in c) for c in np.argwhere(nan_z | inf_d | neg)[:MAX_LISTED_CELLS]]
    assert [row[0] for row in comparison.disagreements] == first
    assert all(row[2] == repr(float(multiply[row[0]])) for row in comparison.disagreements)
    assert out["where"].count == int(nan_z.sum()) and len(out["where"].disagreements) == MAX_LISTED_CELLS
