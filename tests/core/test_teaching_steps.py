"""The teaching core's computed claims, checked against independent formulations (no Qt).

Code steps, why ``.copy()``, ``<=`` at 0, Python's calls and the five answers. Every expected value
is either written out by hand for the book's example or recomputed here by a scalar loop.
"""

from __future__ import annotations

import itertools
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core import relu_backward
from reluviz.core.presets import PRESETS
from reluviz.core.teaching import (
    QUESTIONS,
    answer_all,
    code_lines,
    code_steps,
    compare_forms,
    negative_zero_notes,
    record_calls,
    without_copy,
    zero_boundary,
)
from reluviz.core.teaching.questions import (
    what_comparison_gives,
    what_if_shapes_differ,
    what_the_assignment_changes,
    why_copy,
    zero_answer,
)
from reluviz.core.teaching.text import MAX_LISTED_CELLS, first_true_cells

SPECIAL = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 5e-324, -1.0, 1.0]
)
BOOK_Z, BOOK_D = PRESETS["book"].make()
BOOK_MASK = np.array([[False, False, True, True], [False, True, True, False], [True, False, False, True]])
BOOK_DRELU = np.array([[1.0, 2.0, 0.0, 0.0], [5.0, 0.0, 0.0, 8.0], [0.0, 10.0, 11.0, 0.0]])


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@st.composite
def pairs(draw, dtypes=(np.float64,)):
    """Equal-shaped (z, dvalues): 0-3 dims, empty sides, NaN/±inf/-0.0, and integer dvalues."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
    z = draw(hnp.arrays(np.float64, shape, elements=SPECIAL))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    elements = SPECIAL if dtype == np.float64 else None
    dvalues = draw(hnp.arrays(dtype, shape, elements=elements))
    return z, dvalues


ALL_DTYPES = (np.float64, np.float32, np.int32, np.int8, np.uint16)


def cells(shape):
    return list(itertools.product(*(range(n) for n in shape)))


def is_positive_zero_bits(value: np.generic) -> bool:
    """Does this scalar already hold exactly what ``= 0`` writes (+0, not -0.0)?"""
    return np.array(value).tobytes() == np.zeros((), dtype=np.asarray(value).dtype).tobytes()


def blocked(z_value: float, inclusive: bool) -> bool:
    return z_value <= 0 if inclusive else z_value < 0


# ---- code steps -------------------------------------------------------------------------------

def test_code_steps_on_the_book_example():
    s1, s2, s3 = code_steps(BOOK_Z, BOOK_D)
    assert [s.line for s in (s1, s2, s3)] == ["mask = z <= 0", "drelu = dvalues.copy()", "drelu[mask] = 0"]
    assert [s.produces for s in (s1, s2, s3)] == ["mask", "drelu", "drelu"]
    assert sorted(s1.arrays) == ["dvalues", "mask", "z"]
    assert np.array_equal(s1.arrays["mask"], BOOK_MASK) and s1.arrays["mask"].dtype == bool
    assert same(s2.arrays["drelu"], BOOK_D)
    assert same(s3.arrays["drelu"], BOOK_DRELU)
    assert np.array_equal(s3.targets, BOOK_MASK) and np.array_equal(s3.changed, BOOK_MASK)
    assert s1.targets is None and s2.changed is None and s3.error is None
    with pytest.raises(ValueError, match="read-only"):
        s3.arrays["drelu"][0, 0] = 99  # a view cannot change what a step recorded


def test_code_steps_strict_operator_text():
    assert code_lines(False)[0] == "mask = z < 0"
    assert code_steps(BOOK_Z, BOOK_D, inclusive=False)[0].line == "mask = z < 0"


@settings(max_examples=200, deadline=None)
@given(pairs(ALL_DTYPES), st.booleans())
def test_code_steps_against_a_scalar_loop(pair, inclusive):
    z, dvalues = pair
    z0, d0 = z.tobytes(), dvalues.tobytes()
    s1, s2, s3 = code_steps(z, dvalues, inclusive)
    assert z.tobytes() == z0 and dvalues.tobytes() == d0  # the document's arrays are never touched
    assert same(s3.arrays["drelu"], relu_backward(z, dvalues, inclusive))
    assert same(s2.arrays["drelu"], dvalues) and not np.shares_memory(s2.arrays["drelu"], dvalues)
    for index in cells(z.shape):
        b = blocked(z[index], inclusive)
        assert s1.arrays["mask"][index] == b
        assert s3.targets[index] == b
        assert s3.changed[index] == (b and not is_positive_zero_bits(dvalues[index]))


def test_code_steps_carry_numpys_error_for_unequal_shapes():
    dvalues = np.ones((3, 5))
    try:
        dvalues.copy()[BOOK_Z <= 0] = 0
    except IndexError as exc:
        expected = f"IndexError: {exc}"
    s3 = code_steps(BOOK_Z, dvalues)[2]
    assert s3.error == expected and s3.targets is None
    assert same(s3.arrays["drelu"], dvalues)  # as it was before the failing line


def test_code_steps_with_a_rows_mask_mark_whole_rows():
    z = np.array([1.0, -1.0, 0.0])
    s3 = code_steps(z, BOOK_D)[2]
    assert s3.targets.tolist() == [[False] * 4, [True] * 4, [True] * 4]
    assert same(s3.arrays["drelu"], np.array([[1.0, 2, 3, 4], [0, 0, 0, 0], [0, 0, 0, 0]]))


# ---- why .copy() -------------------------------------------------------------------------------

def test_without_copy_on_the_book_example():
    demo = without_copy(BOOK_Z, BOOK_D)
    assert demo.shares_memory_without_copy is True and demo.shares_memory_with_copy is False
    assert demo.same_object_without_copy is True
    assert same(demo.dvalues_before, BOOK_D) and same(demo.dvalues_after, BOOK_DRELU)
    assert np.array_equal(demo.dvalues_changed, BOOK_MASK) and demo.changed_count == 6
    assert same(demo.dz_skip_with_copy, BOOK_D + BOOK_DRELU)
    assert same(demo.dz_skip_without_copy, 2 * BOOK_DRELU)
    assert np.array_equal(demo.dz_skip_wrong, BOOK_MASK)
    assert demo.drelu_same


@settings(max_examples=200, deadline=None)
@given(pairs(ALL_DTYPES), st.booleans())
def test_without_copy_against_a_scalar_loop(pair, inclusive):
    z, dvalues = pair
    d0 = dvalues.tobytes()
    demo = without_copy(z, dvalues, inclusive)
    assert dvalues.tobytes() == d0
    expected = relu_backward(z, dvalues, inclusive)
    assert same(demo.drelu_with_copy, expected) and same(demo.drelu_without_copy, expected)
    assert same(demo.dvalues_after, expected)  # the alias wrote into dvalues itself
    for index in cells(z.shape):
        assert demo.dvalues_changed[index] == (blocked(z[index], inclusive)
                                               and not is_positive_zero_bits(dvalues[index]))
    with np.errstate(all="ignore"):
        assert same(demo.dz_skip_with_copy, dvalues + expected)


# ---- <= at exactly 0 ----------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(pairs((np.float64, np.int32)))
def test_operators_differ_exactly_at_zero(pair):
    z, dvalues = pair
    zb = zero_boundary(z, dvalues)
    for index in cells(z.shape):
        assert zb.differs[index] == (z[index] == 0)
        assert zb.negative_zero[index] == (z[index] == 0 and math.copysign(1.0, z[index]) < 0)
    zeros = [c for c in cells(z.shape) if z[c] == 0]
    assert zb.count == len(zeros)
    assert zb.cells == zeros[:MAX_LISTED_CELLS]  # the first few, the ones a sentence lists
    assert same(zb.drelu_inclusive, relu_backward(z, dvalues, True))
    assert same(zb.drelu_strict, relu_backward(z, dvalues, False))


def test_zero_notes_on_the_exact_zeros_preset():
    z, dvalues = PRESETS["exact-zeros"].make()
    notes = negative_zero_notes(z, dvalues)
    assert notes["outline"] == ("Dashed outline: z is exactly 0 at [0, 0], [0, 1], [1, 1], [2, 0], [2, 2] "
                                "(5 cells), the only cells where z <= 0 and z < 0 disagree; z <= 0 blocks them.")
    assert notes["z"].startswith("-0 in z at [0, 1], [2, 0]: ")
    assert set(notes) == {"outline", "z"}  # no -0 in dvalues, none in drelu
    assert "z < 0 passes them" in negative_zero_notes(z, dvalues, inclusive=False)["outline"]


def test_negative_zero_in_drelu_is_explained_only_where_it_appears():
    z = np.array([1.0, -1.0, 2.0])
    dvalues = np.array([-0.0, -0.0, 3.0])
    notes = negative_zero_notes(z, dvalues)
    assert notes["drelu"].startswith("-0 in drelu at [0]: copied from dvalues")  # [1] is blocked: +0
    assert notes["dvalues"].startswith("-0 in dvalues at [0], [1]:")
    assert "outline" not in notes and "z" not in notes


# ---- how Python makes the syntax work ------------------------------------------------------------

def test_recorded_calls_on_the_book_example():
    calls, drelu = record_calls(BOOK_Z, BOOK_D)
    assert [c.text for c in calls] == ["z.__le__(0)", "dvalues.copy()", "drelu.__setitem__(mask, 0)"]
    assert calls[0].argument_types == ("0 (int)",) and calls[0].result == "bool array of shape (3, 4)"
    assert calls[2].argument_types == ("bool array of shape (3, 4)", "0 (int)") and calls[2].result == "None"
    assert same(drelu, BOOK_DRELU)
    assert record_calls(BOOK_Z, BOOK_D, inclusive=False)[0][0].text == "z.__lt__(0)"


@settings(max_examples=50, deadline=None)
@given(pairs((np.float64, np.int32)), st.booleans())
def test_recorded_calls_compute_what_numpy_computes(pair, inclusive):
    z, dvalues = pair
    calls, drelu = record_calls(z, dvalues, inclusive)
    assert same(drelu, relu_backward(z, dvalues, inclusive))
    mask = z <= 0 if inclusive else z < 0
    # A 0-d z compares to a NumPy scalar, not an array: the log says what NumPy really returned.
    assert calls[0].result == (f"bool array of shape {z.shape}" if z.ndim else f"NumPy bool scalar {bool(mask)!r}")
    assert calls[1].result == f"{dvalues.dtype} array of shape {dvalues.shape}"


# ---- the five questions ------------------------------------------------------------------------

def test_answers_on_the_book_example():
    answers = answer_all(BOOK_Z, BOOK_D)
    assert [q for q, _ in answers] == list(QUESTIONS)
    assert answers[0][1] == "z <= 0 gives a bool array of shape (3, 4): 6 True (blocked), 6 False (passed)."
    assert answers[1][1] == ("drelu[z <= 0] = 0 writes 0 into the 6 True cells of the mask: [0, 2], [0, 3], "
                             "[1, 1], [1, 2], [2, 0], [2, 3]; 6 of them change. The other 6 cells keep dvalues.")
    assert answers[2][1].startswith("drelu = dvalues gives the same array a second name (np.shares_memory: True)"
                                    ", so drelu[mask] = 0 also changed 6 cells of dvalues.")
    assert "dz = dvalues + drelu, 6 cells of the gradient for the layer below come out wrong" in answers[2][1]
    assert answers[3][1].endswith("z holds no exact 0, so both give the same drelu.")
    try:
        BOOK_D.copy()[np.zeros((3, 5)) <= 0] = 0
    except IndexError as exc:
        assert answers[4][1].endswith(f"With z of shape (3, 5), NumPy says: IndexError: {exc}")


def test_zero_answer_lists_what_z_lt_0_would_pass():
    z, dvalues = PRESETS["exact-zeros"].make()
    assert zero_answer(z, dvalues).endswith(
        "z is exactly 0 at [0, 0], [0, 1], [1, 1], [2, 0], [2, 2]: there z <= 0 gives 0 and z < 0 gives "
        "dvalues ([0, 0]: 1.0, [0, 1]: 2.0, [1, 1]: 6.0, [2, 0]: 9.0, [2, 2]: 11.0). The app uses z <= 0 now.")


def _cells_in(text: str) -> list[tuple[int, ...]]:
    return [tuple(int(i) for i in m.split(", ")) for m in re.findall(r"\[(\d+(?:, \d+)*)\]", text)]


@settings(max_examples=150, deadline=None)
@given(pairs(ALL_DTYPES), st.booleans())
def test_every_number_in_the_answers_is_the_arrays(pair, inclusive):
    z, dvalues = pair
    mask = (z <= 0) if inclusive else (z < 0)
    n_true = int(mask.sum())
    op = "<=" if inclusive else "<"

    q1 = what_comparison_gives(z, inclusive)
    assert q1 == (f"z {op} 0 gives a bool array of shape {z.shape}: "
                  f"{n_true} True (blocked), {mask.size - n_true} False (passed).")

    q2 = what_the_assignment_changes(z, dvalues, inclusive)
    changed = sum(bool(mask[c]) and not is_positive_zero_bits(dvalues[c]) for c in cells(z.shape))
    if n_true:
        noun = "True cell" if n_true == 1 else "True cells"
        assert f"writes 0 into the {n_true} {noun} of the mask" in q2
        assert f"; {changed} of them change" in q2  # "change" or "changes"
        if n_true <= 8 and z.ndim:
            listed = q2.split("of the mask: ")[1].split(";")[0]
            assert _cells_in(listed) == [c for c in cells(z.shape) if mask[c]]
    else:
        assert "writes no cell" in q2 and (f"all {mask.size} cell" in q2 or f"z is empty (shape {z.shape})" in q2)

    q3 = why_copy(z, dvalues, inclusive)
    assert f"also changed {changed} cell" in q3
    with np.errstate(all="ignore"):
        good = dvalues + relu_backward(z, dvalues, inclusive)
        bad = relu_backward(z, dvalues, inclusive) * 2 if dvalues.dtype != bool else good
    wrong = sum(np.array(good[c]).tobytes() != np.array(bad[c]).tobytes() for c in cells(z.shape))
    if changed:
        assert (f"{wrong} cell" in q3 and "come" in q3) if wrong else "gets the same dz here" in q3
    if dvalues.size:
        assert "(np.shares_memory: True)" in q3
    else:  # NumPy's shares_memory is False for empty arrays; the answer must not claim otherwise
        assert "(drelu is dvalues: True; np.shares_memory: False, as an empty array" in q3

    q4 = zero_answer(z, dvalues, inclusive)
    zeros = [c for c in cells(z.shape) if z[c] == 0]
    if not zeros:
        assert "z holds no exact 0" in q4
    elif len(zeros) > 8:  # the first 8 cells and a count of the rest
        listed = q4.split("z is exactly 0 at ")[1].split(":")[0]
        assert _cells_in(listed) == zeros[:8]
        assert listed.endswith(f" and {len(zeros) - 8} more")
        assert "z < 0 gives dvalues. The app" in q4
    elif z.ndim:
        listed = q4.split("z is exactly 0 at ")[1].split(":")[0]
        assert _cells_in(listed) == zeros
        # The value z < 0 would pass at each exact zero is dvalues there: read it back from the text.
        passed = re.search(r"gives dvalues \((.*)\)\. The app", q4).group(1)
        read_back = re.findall(r"\[([\d, ]+)\]: ([^,)]+)", passed)
        assert [tuple(int(i) for i in c.split(", ")) for c, _ in read_back] == zeros
        for cell, (_, text) in zip(zeros, read_back, strict=True):
            assert np.array(float(text), dtype=dvalues.dtype).tobytes() == np.array(dvalues[cell]).tobytes() or (
                math.isnan(float(text)) and math.isnan(float(dvalues[cell])))

    q5 = what_if_shapes_differ(z, dvalues, inclusive)
    wrong = (*z.shape[:-1], z.shape[-1] + 1) if z.ndim else (1,)
    with pytest.raises(IndexError) as info:
        dvalues.copy()[np.zeros(wrong) <= 0] = 0
    assert q5.endswith(f"With z of shape {wrong}, NumPy says: IndexError: {info.value}")


def test_teaching_core_imports_no_qt():
    code = ("import sys, reluviz.core.teaching\n"
            "qt = ('PySide6', 'PyQt', 'pyqtgraph', 'shiboken6', 'reluviz.ui')\n"
            "bad = [m for m in sys.modules if m.startswith(qt)]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _neg_zero_cells(a: np.ndarray) -> list[tuple[int, ...]]:
    if a.dtype.kind != "f":
        return []
    return [c for c in cells(a.shape) if a[c] == 0 and math.copysign(1.0, float(a[c])) < 0]


@settings(max_examples=150, deadline=None)
@given(pairs((np.float64, np.int32)), st.booleans())
def test_zero_notes_appear_exactly_where_their_marks_do(pair, inclusive):
    z, dvalues = pair
    notes = negative_zero_notes(z, dvalues, inclusive)
    drelu = relu_backward(z, dvalues, inclusive)
    expected = {
        "outline": [c for c in cells(z.shape) if z[c] == 0],
        "z": _neg_zero_cells(z),
        "dvalues": _neg_zero_cells(dvalues),
        "drelu": _neg_zero_cells(drelu),
    }
    assert set(notes) == {key for key, found in expected.items() if found}
    for key, text in notes.items():
        found = expected[key]
        listed = text.split(" at ", 1)[1]
        if len(found) > 8:  # the first 8 cells and a count of the rest
            assert _cells_in(listed.split(":")[0].split(" and ")[0]) == found[:8]
            assert listed.split(":")[0].split(" (")[0].endswith(f" and {len(found) - 8} more")
        elif z.ndim:
            assert _cells_in(listed.split(":")[0].split(" (")[0]) == found


# ---- big arrays: NumPy counts, a bounded listing ----------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.bool_, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6)),
       st.integers(0, 12), st.integers(1, 9))
def test_first_true_cells_is_argwhere_cut_short(mask, limit, chunk):
    # A tiny scan chunk makes every example cross chunk boundaries, as a 4096² mask does.
    import reluviz.core.teaching.text as text
    saved = text._SCAN_CHUNK
    text._SCAN_CHUNK = chunk
    try:
        found = first_true_cells(mask, limit)
    finally:
        text._SCAN_CHUNK = saved
    assert found == [c for c in cells(mask.shape) if mask[c]][:limit]


def _big_pair(n: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    z = rng.standard_normal((n, n))
    z[rng.random((n, n)) < 0.01] = 0.0
    z[5, :40] = -0.0
    dvalues = rng.standard_normal((n, n))
    dvalues[rng.random((n, n)) < 0.01] = 0.0  # some blocked cells already hold +0: they do not change
    dvalues[9, :30] = -0.0
    return z, dvalues


def test_big_answers_count_with_numpy_and_list_the_first_cells():
    z, dvalues = _big_pair()
    mask = z <= 0
    n_true = int(np.count_nonzero(mask))
    changed = int(np.count_nonzero(mask & ~((dvalues == 0) & ~np.signbit(dvalues))))
    assert 0 < changed < n_true
    q2 = what_the_assignment_changes(z, dvalues)
    assert q2 == (f"drelu[z <= 0] = 0 writes 0 into the {n_true} True cells of the mask; {changed} of them change "
                  f"({n_true - changed} already held 0). The other {z.size - n_true} cells keep dvalues.")
    zeros = np.argwhere(z == 0)
    q4 = zero_answer(z, dvalues)
    first = ", ".join(f"[{r}, {c}]" for r, c in zeros[:MAX_LISTED_CELLS])
    assert f"z is exactly 0 at {first} and {len(zeros) - MAX_LISTED_CELLS} more: there" in q4
    notes = negative_zero_notes(z, dvalues)
    assert f"({len(zeros)} cells)" in notes["outline"]
    neg = np.argwhere((z == 0) & np.signbit(z))
    assert notes["z"].startswith("-0 in z at " + ", ".join(f"[{r}, {c}]" for r, c in neg[:MAX_LISTED_CELLS])
                                 + f" and {len(neg) - MAX_LISTED_CELLS} more: ")
    assert notes["dvalues"].startswith("-0 in dvalues at [9, 0], [9, 1], [9, 2], [9, 3], [9, 4], [9, 5], [9, 6], "
                                       "[9, 7] and 22 more: ")
    zb = zero_boundary(z, dvalues)
    assert zb.count == len(zeros) and zb.cells == [tuple(int(i) for i in c) for c in zeros[:MAX_LISTED_CELLS]]


def test_big_answers_do_bounded_python_work(monkeypatch):
    # Every cell a sentence names goes through first_true_cells and cell_text: count both. The
    # 1024² pair has ~500 000 True cells; the answers may name only a handful of them.
    import reluviz.core.teaching.questions as questions
    import reluviz.core.teaching.text as text
    zero_module = sys.modules["reluviz.core.teaching.zero_boundary"]  # the package's name is the function
    asked: list[int] = []
    named = [0]

    def counting_first(mask, limit=MAX_LISTED_CELLS):
        asked.append(limit)
        return first_true_cells(mask, limit)

    real_cell_text = text.cell_text

    def counting_cell_text(index):
        named[0] += 1
        return real_cell_text(index)

    for module in (questions, zero_module):
        monkeypatch.setattr(module, "first_true_cells", counting_first)
    monkeypatch.setattr(text, "cell_text", counting_cell_text)
    monkeypatch.setattr(questions, "cell_text", counting_cell_text)
    forms_module = sys.modules["reluviz.core.teaching.forms"]
    for module in (text, questions, zero_module, forms_module):  # a whole-array listing is a failure
        monkeypatch.setattr(module, "true_cells", lambda mask: pytest.fail("listed every True cell"), raising=False)
    z, dvalues = _big_pair()
    answers = answer_all(z, dvalues)
    negative_zero_notes(z, dvalues)
    forms = compare_forms(np.where(z > 0, np.nan, z), dvalues)  # ~half the cells differ, for a reason each
    assert forms["where"].count > 400_000 and len(forms["where"].disagreements) == MAX_LISTED_CELLS
    assert len(answers) == 5
    assert asked and max(asked) <= MAX_LISTED_CELLS
    assert named[0] <= 10 * MAX_LISTED_CELLS
