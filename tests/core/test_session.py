"""Session files (reluviz.core.io.session), including golden files that must load forever."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core.io.limits import InputError
from reluviz.core.io.session import (
    FORMAT_NAME,
    FORMAT_VERSION,
    NetworkConfig,
    Session,
    load_session,
    save_session,
)

DATA = Path(__file__).parents[1] / "data"
BOOK_Z = np.array([[1, 2, -3, -4], [2, -7, -1, 3], [-1, 2, 5, -1]], dtype=np.float64)
BOOK_DVALUES = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], dtype=np.float64)


def same(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Equal by dtype, shape and bytes (array_equal hides -0.0 vs 0.0 and NaN)."""
    return actual.dtype == expected.dtype and actual.shape == expected.shape and actual.tobytes() == expected.tobytes()


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def session_zip(path: Path, meta: dict, z=BOOK_Z, dvalues=BOOK_DVALUES) -> Path:
    return write_zip(
        path,
        {"session.json": json.dumps(meta), "z.npy": npy_bytes(z), "dvalues.npy": npy_bytes(dvalues)},
    )


# -- golden files ------------------------------------------------------------------------------


def test_golden_book_session():
    s = load_session(DATA / "session_v1_book.reluviz")
    assert same(s.z, BOOK_Z)
    assert same(s.dvalues, BOOK_DVALUES)
    assert s.inclusive is True
    assert s.colormap == "blue-red"
    assert (s.z_range, s.grad_range) == (7.0, 12.0)
    assert s.view == {"arrays.zoom": 1.5, "arrays.x0": -0.5}
    assert s.current_view == "arrays"
    assert s.precision == 3
    assert s.network == NetworkConfig(
        layer_sizes=[2, 6, 6, 3], seed=0, batch_size=None, preset="default", learning_rate=0.5
    )


def test_golden_nan_inf_session():
    s = load_session(DATA / "session_v1_nan_inf.reluviz")
    z = np.array(
        [[np.nan, np.inf, -np.inf, -0.0], [0.0, 5e-324, 1.7976931348623157e308, -2.5]],
        dtype=np.float64,
    )
    dvalues = np.array([[1.0, np.nan, -0.0, np.inf], [-np.inf, 0.1, -3.0, 65504.0]], dtype=np.float32)
    assert same(s.z, z)
    assert same(s.dvalues, dvalues)
    assert s.inclusive is False
    assert s.colormap == "purple-orange"
    assert (s.z_range, s.grad_range) == (3.5, None)
    assert s.view == {}
    assert s.current_view == "network"
    assert s.precision == 6
    assert s.network == NetworkConfig(layer_sizes=[2, 3, 3], seed=42, batch_size=32, preset="book", learning_rate=1.0)


def test_golden_minimal_session_takes_defaults():
    s = load_session(DATA / "session_v1_minimal.reluviz")
    assert same(s.z, np.array([[1, 0], [-1, 2]], dtype=np.int32))
    assert same(s.dvalues, np.array([[10, -20], [30, 40]], dtype=np.int64))
    defaults = Session()
    for key in ("inclusive", "colormap", "z_range", "grad_range", "view", "current_view",
                "precision", "network"):  # fmt: skip
        assert getattr(s, key) == getattr(defaults, key), key


def test_golden_files_are_small():
    for path in DATA.glob("*.reluviz"):
        assert path.stat().st_size < 50_000, path.name


# -- round trips -------------------------------------------------------------------------------


def test_default_session_round_trips(tmp_path):
    save_session(tmp_path / "s.reluviz", Session())
    s = load_session(tmp_path / "s.reluviz")
    assert same(s.z, BOOK_Z) and same(s.dvalues, BOOK_DVALUES)


def test_saved_json_says_what_it_is(tmp_path):
    save_session(tmp_path / "s.reluviz", Session())
    with zipfile.ZipFile(tmp_path / "s.reluviz") as archive:
        assert sorted(archive.namelist()) == ["dvalues.npy", "session.json", "z.npy"]
        meta = json.loads(archive.read("session.json"))
    assert meta["format"] == FORMAT_NAME and meta["version"] == FORMAT_VERSION


def test_same_session_same_bytes(tmp_path):
    save_session(tmp_path / "a.reluviz", Session(precision=5))
    save_session(tmp_path / "b.reluviz", Session(precision=5))
    assert (tmp_path / "a.reluviz").read_bytes() == (tmp_path / "b.reluviz").read_bytes()


def test_2048_squared_with_specials_survives(tmp_path):
    rng = np.random.default_rng(7)
    z = rng.standard_normal((2048, 2048))
    z[0, :4] = [np.nan, np.inf, -np.inf, -0.0]
    dvalues = rng.standard_normal((2048, 2048)).astype(np.float32)
    save_session(tmp_path / "big.reluviz", Session(z=z, dvalues=dvalues))
    s = load_session(tmp_path / "big.reluviz")
    assert same(s.z, z) and same(s.dvalues, dvalues)


def test_numpy_scalars_in_settings_are_saved_as_plain_json(tmp_path):
    session = Session(
        precision=np.int64(4), z_range=np.float32(2.5), inclusive=np.bool_(False),
        view={"zoom": np.float64(2.0)},
    )  # fmt: skip
    save_session(tmp_path / "s.reluviz", session)
    s = load_session(tmp_path / "s.reluviz")
    assert (s.precision, s.z_range, s.inclusive, s.view) == (4, 2.5, False, {"zoom": 2.0})
    assert type(s.precision) is int and type(s.z_range) is float


def test_failed_save_leaves_old_session_byte_identical(tmp_path, monkeypatch):
    path = tmp_path / "s.reluviz"
    save_session(path, Session())
    old = path.read_bytes()
    with pytest.raises(InputError, match=r'"precision" is the text "3"'):
        save_session(path, Session(precision="3"))
    assert path.read_bytes() == old

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    with pytest.raises(InputError, match=r"disk is full \(the old file is unchanged\)"):
        save_session(path, Session())
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["s.reluviz"]


settings_strategy = st.fixed_dictionaries(
    {
        "inclusive": st.booleans(),
        "colormap": st.text(min_size=1, max_size=30),
        "z_range": st.none() | st.floats(min_value=1e-300, max_value=1e300),
        "grad_range": st.none() | st.floats(min_value=1e-300, max_value=1e300),
        "view": st.dictionaries(st.text(min_size=1, max_size=10), st.floats(-1e9, 1e9), max_size=5),
        "current_view": st.sampled_from(["arrays", "network", "code"]),
        "precision": st.integers(1, 17),
    }
)
arrays_2d = hnp.arrays(
    st.sampled_from([np.float64, np.float32, np.int32]),
    st.tuples(st.integers(1, 20), st.integers(1, 20)),
)


@settings(max_examples=40, deadline=None)
@given(settings_strategy, arrays_2d, st.data())
def test_any_valid_session_round_trips(tmp_path_factory, fields, z, data):
    dvalues = data.draw(hnp.arrays(np.float64, z.shape))
    path = tmp_path_factory.mktemp("prop") / "s.reluviz"
    save_session(path, Session(z=z, dvalues=dvalues, **fields))
    s = load_session(path)
    assert same(s.z, z) and same(s.dvalues, dvalues)
    for key, value in fields.items():
        assert getattr(s, key) == value, key


# -- forgiving and strict reading ---------------------------------------------------------------


def test_missing_keys_take_defaults(tmp_path):
    path = session_zip(tmp_path / "s.reluviz", {"format": FORMAT_NAME, "version": 1,
                                                 "network": {"seed": 9}})  # fmt: skip
    s = load_session(path)
    assert s.network == NetworkConfig(seed=9)
    assert s.precision == Session().precision


def test_unknown_keys_and_members_are_ignored(tmp_path):
    meta = {"format": FORMAT_NAME, "version": 1, "precision": 5, "future_key": [1, 2],
            "network": {"future": True}}  # fmt: skip
    path = session_zip(tmp_path / "s.reluviz", meta)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("thumbnail.png", b"\x89PNG")
    assert load_session(path).precision == 5


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("inclusive", "yes", '"inclusive" is the text "yes" but must be true or false'),
        ("inclusive", 1, '"inclusive" is the number 1 but must be true or false'),
        ("colormap", 3, '"colormap" is the number 3 but must be text'),
        ("z_range", -1.0, '"z_range" is the number -1.0 but must be a finite number greater than 0'),
        ("grad_range", "big", '"grad_range" is the text "big"'),
        ("view", [1], '"view" is a list but must be an object'),
        ("view", {"zoom": "x"}, '"view.zoom" is the text "x" but must be a finite number'),
        ("current_view", "graph", 'must be one of "arrays", "network", "code"'),
        ("precision", 2.5, '"precision" is the number 2.5 but must be a whole number from 1 to 17'),
        ("precision", True, '"precision" is the boolean true'),
        ("network", {"layer_sizes": [2]}, '"network.layer_sizes" is a list but must be a list of 2'),
        ("network", {"layer_sizes": [2, "3"]}, '"network.layer_sizes[1]" is the text "3"'),
        ("network", {"seed": -1}, '"network.seed" is the number -1'),
        ("network", {"batch_size": 0}, '"network.batch_size" is the number 0'),
        ("network", {"learning_rate": 0}, '"network.learning_rate" is the number 0'),
        ("network", 5, '"network" is the number 5 but must be an object'),
    ],
)
def test_wrong_typed_keys_are_named(tmp_path, key, value, fragment):
    path = session_zip(tmp_path / "s.reluviz", {"format": FORMAT_NAME, "version": 1, key: value})
    with pytest.raises(InputError) as info:
        load_session(path)
    assert fragment in str(info.value)
    assert str(info.value).startswith("In 's.reluviz', ")


def test_null_ranges_mean_fit(tmp_path):
    meta = {"format": FORMAT_NAME, "version": 1, "z_range": None, "grad_range": 2}
    s = load_session(session_zip(tmp_path / "s.reluviz", meta))
    assert (s.z_range, s.grad_range) == (None, 2.0)


def test_newer_format_is_refused_politely(tmp_path):
    path = session_zip(tmp_path / "s.reluviz", {"format": FORMAT_NAME, "version": 2})
    with pytest.raises(InputError) as info:
        load_session(path)
    assert str(info.value) == (
        "'s.reluviz' was made by a newer reluviz (session format 2); this version reads format 1,"
        " so please update reluviz to open it."
    )


@pytest.mark.parametrize(
    ("meta", "fragment"),
    [
        ({"version": 1}, 'does not say "format": "reluviz-session"'),
        ({"format": "other", "version": 1}, 'does not say "format"'),
        ([1, 2], 'does not say "format"'),
        ({"format": FORMAT_NAME}, '"version" is null but must be a whole number of at least 1'),
        ({"format": FORMAT_NAME, "version": "1"}, '"version" is the text "1"'),
        ({"format": FORMAT_NAME, "version": 0}, '"version" is the number 0'),
    ],
)
def test_bad_header(tmp_path, meta, fragment):
    with pytest.raises(InputError, match=None) as info:
        load_session(session_zip(tmp_path / "s.reluviz", meta))
    assert fragment in str(info.value)


def test_unequal_shapes_are_refused(tmp_path):
    path = session_zip(tmp_path / "s.reluviz", {"format": FORMAT_NAME, "version": 1}, dvalues=np.zeros((4, 3)))
    with pytest.raises(InputError, match=r"In .*z is 3×4 but dvalues is 4×3; they must have the same shape"):
        load_session(path)
    with pytest.raises(InputError, match=r"^z is 3×4 but dvalues is 4×3; they must have the same shape\.$"):
        save_session(tmp_path / "t.reluviz", Session(dvalues=np.zeros((4, 3))))


def test_a_session_file_is_not_an_array_file(tmp_path):
    with pytest.raises(InputError, match=r"it is a folder, not a session file"):
        load_session(tmp_path)
    with pytest.raises(InputError, match=r"there is no such file"):
        load_session(tmp_path / "missing.reluviz")


def test_a_seed_beyond_what_the_app_can_show_is_refused_with_a_message(tmp_path):
    import json
    import zipfile

    from reluviz.core.io.limits import InputError
    from reluviz.core.io.session import Session, load_session, save_session

    path = tmp_path / "seed.reluviz"
    save_session(path, Session())
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    meta = json.loads(members["session.json"])
    meta["network"]["seed"] = 3_000_000_000
    members["session.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(InputError, match=r"network\.seed"):
        load_session(path)


def test_same_session_same_bytes_even_days_apart(tmp_path, monkeypatch):
    """Zip timestamps have 2-second resolution: saving twice in a row proves nothing. A day apart does."""
    import time

    save_session(tmp_path / "a.reluviz", Session(precision=5))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 86400 + 3)
    save_session(tmp_path / "b.reluviz", Session(precision=5))
    assert (tmp_path / "a.reluviz").read_bytes() == (tmp_path / "b.reluviz").read_bytes()
