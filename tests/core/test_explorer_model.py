"""The explorer model: one-cell updates equal a full recompute; shapes are validated first."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz.core import relu_backward
from reluviz.core.colour import fit_range, grow_range, values_to_rgba
from reluviz.core.downsample import any_blocks
from reluviz.core.explorer import ExplorerModel, ShapeError
from reluviz.core.presets import PRESETS, preset_arrays


def test_starts_on_the_book_example():
    model = ExplorerModel()
    assert model.z.dtype == np.float64 and model.shape == (3, 4)
    assert model.drelu.tolist() == [[1, 2, 0, 0], [5, 0, 0, 8], [0, 10, 11, 0]]
    assert model.describe_cell(1, 2) == (
        "z[1, 2] = -1.0 → z <= 0 is True → drelu[1, 2] = 0 (dvalues was 7.0)")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["z", "dvalues"]), st.integers(0, 2), st.integers(0, 3),
                          st.sampled_from([0.0, -0.0, 1.5, -2.0, np.nan, np.inf, -np.inf])),
                max_size=30),
       st.booleans())
def test_cell_edits_equal_a_full_recompute(edits, inclusive):
    model = ExplorerModel(inclusive=inclusive)
    seen = []
    model.events.cell.connect(lambda *args: seen.append(args))
    for name, row, col, value in edits:
        model.set_value(name, row, col, np.float64(value))
    expected = relu_backward(model.z, model.dvalues, inclusive)
    assert model.drelu.tobytes() == expected.tobytes()
    assert model.mask.tolist() == ((model.z <= 0) if inclusive else (model.z < 0)).tolist()
    assert len(seen) == len(edits)


def test_the_inclusive_switch_recomputes_at_exact_zero():
    model = ExplorerModel(*preset_arrays("exact-zeros"))
    assert model.drelu[0, 0] == 0 and model.drelu[0, 1] == 0
    model.set_inclusive(False)
    assert model.drelu[0, 0] == 1 and model.drelu[0, 1] == 2
    assert model.describe_cell(0, 1).startswith("z[0, 1] = -0.0 → z < 0 is False")


def test_big_arrays_recompute_in_parallel_and_exactly():
    rng = np.random.default_rng(1)
    z, dvalues = rng.standard_normal((1024, 700)), rng.standard_normal((1024, 700))
    z[::7, ::3] = np.nan
    model = ExplorerModel(z, dvalues)
    assert model.drelu.tobytes() == relu_backward(z, dvalues).tobytes()
    assert not np.shares_memory(model.z, z)


@pytest.mark.parametrize(
    ("z", "dvalues", "fragment"),
    [(np.zeros((2, 3)), np.zeros((3, 2)), "same shape"),
     (np.zeros(3), np.zeros(3), "2-D"),
     (np.zeros((0, 3)), np.zeros((0, 3)), "1×1 up to 4096×4096"),
     (np.zeros((2, 2), dtype=object), np.zeros((2, 2)), "int and float"),
     (np.zeros((1, 4097), dtype=np.int8), np.zeros((1, 4097), dtype=np.int8), "4096×4096")],
)
def test_set_arrays_refuses_bad_shapes_and_keeps_the_old_arrays(z, dvalues, fragment):
    model = ExplorerModel()
    before = model.z.copy()
    with pytest.raises(ShapeError, match=fragment):
        model.set_arrays(z, dvalues)
    assert model.z.tobytes() == before.tobytes()


def test_resized_keeps_overlap_and_zero_fills():
    z, d = ExplorerModel().resized(4, 2)
    assert z.tolist() == [[1, 2], [2, -7], [-1, 2], [0, 0]] and d.shape == (4, 2)
    with pytest.raises(ShapeError):
        ExplorerModel().resized(5000, 2)


def test_int_dtype_is_kept():
    model = ExplorerModel(np.array([[1, -1]], np.int32), np.array([[5, 6]], np.int32))
    assert model.drelu.dtype == np.int32 and model.drelu.tolist() == [[5, 0]]


def test_every_preset_is_valid():
    for name in PRESETS:
        z, dvalues = preset_arrays(name)
        ExplorerModel(z, dvalues)
    assert preset_arrays("nnfs-batch")[0].shape == (100, 64)
    with pytest.raises(KeyError, match="known presets"):
        preset_arrays("nope")


def test_colour_scale_zero_is_centre_and_nonfinite_is_off_scale():
    rgba = values_to_rgba(np.array([0.0, -0.0, np.nan, np.inf, 1.0, -1.0]), 1.0, "blue-red")
    assert rgba[0].tolist() == rgba[1].tolist() == [247, 247, 247, 255]
    assert rgba[2].tolist() == rgba[3].tolist() == [150, 150, 150, 255]
    assert rgba[4].tolist() != rgba[5].tolist()


def test_ranges_are_nice_grow_on_edits_and_fit_on_request():
    assert fit_range(np.array([[1.0, -7.0]])) == 8.0
    assert fit_range(np.array([[2.05]])) == 2.5 and fit_range(np.array([[0.031]])) == 0.04
    assert fit_range(np.array([[np.nan, np.inf]])) == 1.0
    assert grow_range(10.0, 3.0) == 10.0
    assert grow_range(10.0, -13.0) == 15.0
    assert grow_range(10.0, np.inf) == 10.0


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(1, 9), st.randoms())
def test_any_blocks_never_hides_a_blocked_cell(rows, cols, step, rnd):
    flags = np.zeros((rows, cols), bool)
    r, c = rnd.randrange(rows), rnd.randrange(cols)
    flags[r, c] = True
    reduced = any_blocks(flags, slice(0, rows), slice(0, cols), step)
    assert reduced[r // step, c // step] and reduced.sum() == 1
    assert reduced.shape == (-(-rows // step), -(-cols // step))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_blocked_fraction_matches_a_loop_over_blocks(rows, cols, step_r, step_c, seed):
    from reluviz.core.downsample import blocked_fraction

    flags = np.random.default_rng(seed).random((rows, cols)) < 0.4
    got = blocked_fraction(flags, slice(0, rows), slice(0, cols), (step_r, step_c))
    for i, r in enumerate(range(0, rows, step_r)):
        for j, c in enumerate(range(0, cols, step_c)):
            assert got[i, j] == pytest.approx(flags[r:r + step_r, c:c + step_c].mean())
    assert (got > 0).tolist() == any_blocks(flags, slice(0, rows), slice(0, cols), (step_r, step_c)).tolist()


_CELL_VALUES = st.sampled_from([0.0, -0.0, 1.5, -2.0, 7.0, -9.5, 1e300, np.nan, np.inf, -np.inf])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.just("cell"), st.sampled_from(["z", "dvalues"]), st.integers(0, 2), st.integers(0, 3),
              _CELL_VALUES),
    st.tuples(st.just("block"), st.sampled_from(["z", "dvalues"]), st.integers(0, 2), st.integers(0, 3),
              st.lists(_CELL_VALUES, min_size=4, max_size=4)),
    st.tuples(st.just("arrays"), st.integers(0, 2**16)),
), max_size=25))
def test_zero_count_and_fitted_ranges_follow_every_change(changes):
    # The model keeps z's exact-zero count and the fitted ranges as edits happen, so views never
    # rescan the arrays per edit: they must always equal a scan from scratch.
    model = ExplorerModel()
    for change in changes:
        if change[0] == "cell":
            _, name, row, col, value = change
            model.set_value(name, row, col, np.float64(value))
        elif change[0] == "block":
            _, name, row, col, values = change
            block = np.array(values).reshape(2, 2)[: 3 - row, : 4 - col]
            model.set_block(name, row, col, block)
        else:
            rng = np.random.default_rng(change[1])
            z = rng.choice([0.0, -0.0, -1.0, 2.5, np.nan], size=(3, 4))
            model.set_arrays(z, rng.standard_normal((3, 4)))
        assert model.z_exact_zeros == np.count_nonzero(model.z == 0)
        assert model.fitted_ranges() == (fit_range(model.z), fit_range(model.dvalues))


def test_whole_array_pass_counts_and_measures_big_arrays_exactly():
    # Big enough for the row bands and both threads; NaN and inf in some bands only.
    rng = np.random.default_rng(3)
    z, dvalues = rng.standard_normal((700, 900)), rng.standard_normal((700, 900)).astype(np.float32)
    z[rng.random(z.shape) < 0.01] = 0.0
    z[5, 7] = np.nan
    z[650, 3] = -np.inf
    dvalues[400, 400] = 37.0
    model = ExplorerModel(z, dvalues)
    assert model.z_exact_zeros == np.count_nonzero(z == 0)
    assert model.fitted_ranges() == (fit_range(z), fit_range(dvalues)) == (6.0, 40.0)
    assert model.drelu.tobytes() == relu_backward(z, dvalues).tobytes()
    model.set_inclusive(False)
    assert model.drelu.tobytes() == relu_backward(z, dvalues, inclusive=False).tobytes()


def test_take_ownership_keeps_the_arrays_and_the_default_copies():
    z, dvalues = np.ones((2, 3)), np.zeros((2, 3))
    owned = ExplorerModel(z, dvalues, take_ownership=True)
    assert owned.z is z and owned.dvalues is dvalues
    copied = ExplorerModel(z, dvalues)
    assert not np.shares_memory(copied.z, z) and not np.shares_memory(copied.dvalues, dvalues)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 0.3, -1.7, 2.9, 1e9, -1e300, np.nan, np.inf, -np.inf]),
                min_size=1, max_size=40),
       st.sampled_from([0.5, 1.0, 3.0, 1e308]), st.sampled_from(["blue-red", "cool-warm"]), st.booleans())
def test_values_to_rgba_equals_the_plain_table_lookup(values, half_range, cmap, as_int):
    # The fast path gathers 4-byte words; the reference indexes the table row by row.
    from reluviz.core.colour import NONFINITE_RGB, lookup_table

    array = np.array(values).reshape(1, -1)
    if as_int:
        array = np.nan_to_num(array, posinf=7, neginf=-7).clip(-100, 100).astype(np.int16)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = array.astype(np.float64) * (127.0 / half_range) + 128.0
        finite = np.isfinite(scaled)
        index = np.rint(np.clip(np.where(finite, scaled, 0.0), 1.0, 255.0)).astype(int)
    expected = lookup_table(cmap)[index].copy()
    expected[~finite, :3] = NONFINITE_RGB
    got = values_to_rgba(array, half_range, cmap)
    assert got.shape == expected.shape and got.dtype == np.uint8
    assert got.tobytes() == expected.tobytes()


def test_big_recomputes_run_on_the_shared_pool_which_restarts_after_a_shutdown():
    from reluviz.core.explorer import RECOMPUTE_POOL

    rng = np.random.default_rng(5)
    z, dvalues = rng.normal(size=(600, 600)), rng.normal(size=(600, 600))  # above the 512² threshold
    RECOMPUTE_POOL.shutdown()
    assert not RECOMPUTE_POOL.running
    model = ExplorerModel(z, dvalues)
    assert RECOMPUTE_POOL.running
    RECOMPUTE_POOL.shutdown()
    assert not RECOMPUTE_POOL.running
    model.set_arrays(-z, dvalues)
    assert RECOMPUTE_POOL.running
    assert model.drelu.tobytes() == relu_backward(-z, dvalues).tobytes()
    small = ExplorerModel(z[:10], dvalues[:10])
    RECOMPUTE_POOL.shutdown()
    small.set_arrays(z[:20], dvalues[:20])
    assert not RECOMPUTE_POOL.running  # small arrays never start threads


def test_the_status_line_writes_values_as_the_teaching_text_does():
    # float32 0.1 reads "0.1" (its own shortest text), not float64's 0.10000000149011612.
    z = np.array([[0.1, -2.5]], np.float32)
    model = ExplorerModel(z, np.array([[np.nan, 3.0]], np.float32))
    assert model.describe_cell(0, 0) == "z[0, 0] = 0.1 → z <= 0 is False → drelu[0, 0] = nan (passed from dvalues)"
    assert model.describe_cell(0, 1) == "z[0, 1] = -2.5 → z <= 0 is True → drelu[0, 1] = 0 (dvalues was 3.0)"
