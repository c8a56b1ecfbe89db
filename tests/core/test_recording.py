"""A recorded training run: read-only steps, the step on show, dead units per step against a scalar loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core.io.arrays_input import normalize_recording
from reluviz.core.io.limits import InputError
from reluviz.core.recording import RecordingDocument, dead_units_per_step


def scalar_dead_units(z: np.ndarray, inclusive: bool) -> list[int]:
    """The definition, one cell at a time: a column is dead when every row of it is blocked."""
    counts = []
    for s in range(z.shape[0]):
        dead = 0
        for j in range(z.shape[2]):
            blocked_everywhere = True
            for r in range(z.shape[1]):
                value = float(z[s, r, j])
                blocked = value <= 0 if inclusive else value < 0  # NaN: False, never blocked
                if not blocked:
                    blocked_everywhere = False
                    break
            dead += blocked_everywhere
        counts.append(dead)
    return counts


_shapes = hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=6)
recordings = hnp.arrays(
    dtype=np.float64, shape=_shapes,
    elements=st.integers(-2, 2) | st.sampled_from([0.0, -0.0, np.nan, np.inf, -np.inf, 1e-300, -1e-300]),
) | hnp.arrays(dtype=st.sampled_from([np.float32, np.int32, np.int8]), shape=_shapes, elements=st.integers(-2, 2))


@settings(max_examples=200, deadline=None)
@given(z=recordings, inclusive=st.booleans())
def test_dead_units_equal_a_scalar_loop(z: np.ndarray, inclusive: bool) -> None:
    counts = dead_units_per_step(z, inclusive)
    assert counts.shape == (z.shape[0],) and counts.dtype == np.int64
    assert counts.tolist() == scalar_dead_units(z, inclusive)
    rec = RecordingDocument(z, np.ones_like(z), inclusive=inclusive)
    assert rec.dead_units.tolist() == scalar_dead_units(z, inclusive)
    assert rec.steps == z.shape[0] and rec.step_shape == z.shape[1:]


def test_zero_is_dead_with_the_books_operator_only_and_nan_never() -> None:
    z = np.array([[[0.0, -0.0, np.nan], [0.0, -1.0, -1.0]]])
    assert dead_units_per_step(z, True).tolist() == [2]
    assert dead_units_per_step(z, False).tolist() == [0]


def test_the_recording_is_read_only_and_the_callers_arrays_stay_theirs() -> None:
    z = np.arange(12.0).reshape(3, 2, 2) - 6
    rec = RecordingDocument(z, -z)
    with pytest.raises(ValueError):
        rec.z[0, 0, 0] = 1.0
    step_z, step_d = rec.step_arrays(2)
    assert not step_z.flags.writeable and not step_d.flags.writeable
    assert step_z.tolist() == z[2].tolist() and step_d.tolist() == (-z[2]).tolist()
    z[2] = 100  # the caller's array is still writable, and the recording did not follow it
    assert rec.z[2].tolist() == [[2.0, 3.0], [4.0, 5.0]]


def test_steps_emit_events_and_out_of_range_is_refused() -> None:
    rec = RecordingDocument(np.zeros((4, 1, 2)), np.zeros((4, 1, 2)))
    seen: list[int] = []
    rec.events.step.connect(seen.append)
    rec.set_step(3)
    rec.set_step(3)  # no change, no event
    rec.set_step(np.int64(1))
    assert seen == [3, 1] and rec.step == 1
    for bad in (4, -1, 1.0, True):
        with pytest.raises(InputError, match="steps go from 0 to 3"):
            rec.set_step(bad)
    assert rec.step == 1


def test_the_operator_switch_recounts_and_says_so() -> None:
    z = np.zeros((2, 3, 2))
    z[1, :, 0] = -1
    rec = RecordingDocument(z, z)
    fired: list[bool] = []
    rec.events.dead_units.connect(lambda: fired.append(rec.inclusive))
    assert rec.dead_units.tolist() == [2, 2]
    rec.set_inclusive(False)
    assert fired == [False] and rec.dead_units.tolist() == [0, 1]


@settings(max_examples=50, deadline=None)
@given(steps=st.integers(1, 5), rows=st.integers(1, 4), cols=st.integers(1, 4), as_list=st.booleans())
def test_lists_of_steps_and_a_steps_axis_give_the_same_document(steps: int, rows: int, cols: int,
                                                                as_list: bool) -> None:
    rng = np.random.default_rng(steps * 100 + rows * 10 + cols)
    z = rng.normal(size=(steps, rows, cols))
    d = rng.normal(size=(steps, rows, cols))
    given_z = list(z) if as_list else z
    rec = RecordingDocument.from_input(normalize_recording(given_z, d))
    assert rec.z.tobytes() == z.tobytes() and rec.dvalues.tobytes() == d.tobytes()
    assert rec.dead_units.tolist() == scalar_dead_units(z, True)


@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 3, 4), (2, 3, 5)), ((0, 3, 4), (0, 3, 4))])
def test_shapes_a_recording_cannot_have_are_refused(shapes) -> None:
    with pytest.raises(InputError, match="steps × rows × columns"):
        RecordingDocument(np.zeros(shapes[0]), np.zeros(shapes[1]))


# -- sessions keep the recording ------------------------------------------------------------------

def _bits(array: np.ndarray) -> tuple:
    return array.dtype.str, array.shape, array.tobytes()


@settings(max_examples=25, deadline=None)
@given(z=recordings, step_seed=st.integers(0, 10**6))
def test_a_session_keeps_the_recording_bit_for_bit(tmp_path_factory, z: np.ndarray, step_seed: int) -> None:
    from reluviz.core.io.session import Session, load_session, save_session

    path = tmp_path_factory.mktemp("rec") / "run.reluviz"
    dvalues = (z[::-1] * -1).astype(z.dtype) if z.dtype.kind == "i" else -z[::-1]
    step = step_seed % z.shape[0]
    save_session(path, Session(recording_z=z, recording_dvalues=dvalues, recording_step=step))
    loaded = load_session(path)
    assert _bits(loaded.recording_z) == _bits(np.ascontiguousarray(z))
    assert _bits(loaded.recording_dvalues) == _bits(np.ascontiguousarray(dvalues))
    assert loaded.recording_step == step


def test_sessions_without_a_recording_and_the_golden_files_load_without_one(tmp_path) -> None:
    from pathlib import Path

    from reluviz.core.io.session import Session, load_session, save_session

    save_session(tmp_path / "plain.reluviz", Session())
    for path in [tmp_path / "plain.reluviz", *sorted((Path(__file__).parents[1] / "data").glob("*.reluviz"))]:
        loaded = load_session(path)
        assert loaded.recording_z is None and loaded.recording_dvalues is None and loaded.recording_step == 0


def _rewrite(path, replace: dict) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(replace)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_bad_recordings_in_a_session_are_refused_in_plain_words(tmp_path) -> None:
    import io
    import json

    from reluviz.core.io.session import Session, load_session, save_session

    path = tmp_path / "run.reluviz"
    z = np.arange(24.0).reshape(2, 3, 4)
    with pytest.raises(InputError, match=r"recording\.step"):
        save_session(path, Session(recording_z=z, recording_dvalues=z, recording_step=2))
    with pytest.raises(InputError, match="both"):
        save_session(path, Session(recording_z=z))
    save_session(path, Session(recording_z=z, recording_dvalues=z, recording_step=1))
    meta = json.loads(__import__("zipfile").ZipFile(path).read("session.json"))
    assert meta["recording"] == {"step": 1}

    huge = io.BytesIO()
    huge.write(b"\x93NUMPY\x01\x00")
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (5000, 4096, 4096), }"
    header += b" " * (64 - (10 + len(header) + 1) % 64) + b"\n"
    huge.write(len(header).to_bytes(2, "little") + header)
    _rewrite(path, {"recording_z.npy": huge.getvalue()})
    with pytest.raises(InputError, match="steps × rows × columns"):  # refused from the header, nothing allocated
        load_session(path)

    for bad in (np.zeros((3, 3, 4)), np.zeros((2, 3)), np.zeros((2, 3, 4), dtype=bool)):
        save_session(path, Session(recording_z=z, recording_dvalues=z, recording_step=1))
        buffer = io.BytesIO()
        np.save(buffer, bad, allow_pickle=False)
        _rewrite(path, {"recording_dvalues.npy": buffer.getvalue()})
        with pytest.raises(InputError):
            load_session(path)
    save_session(path, Session(recording_z=z, recording_dvalues=z, recording_step=1))
    meta["recording"] = {"step": 7}
    _rewrite(path, {"session.json": json.dumps(meta).encode()})
    with pytest.raises(InputError, match=r"recording\.step"):
        load_session(path)
