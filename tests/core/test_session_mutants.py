"""Session files, pinned where mutation testing found the tests too loose (reluviz.core.io.session).

Each test here was written against mutants that survived ``test_session.py``: a limit that could
move by one, a setting whose key could be misspelt on save (the default then comes back on load),
a refusal whose words could change, saved bytes nothing compared with a reference.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz._version import __version__
from reluviz.core.io.limits import MAX_SESSION_BYTES, MAX_SESSION_JSON_BYTES, MAX_SIDE, InputError
from reluviz.core.io.session import FORMAT_NAME, NetworkConfig, Session, load_session, save_session, widened_range

HEADER = {"format": FORMAT_NAME, "version": 1}
Z = np.array([[1.0, -2.0], [0.0, 3.5]])


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def write_zip(path: Path, members: dict[str, bytes | str], **zip_kwargs) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **zip_kwargs) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def session_file(path: Path, meta: object, **members: bytes) -> Path:
    content: dict[str, bytes | str] = {
        "session.json": meta if isinstance(meta, str | bytes) else json.dumps(meta),
        "z.npy": npy_bytes(Z),
        "dvalues.npy": npy_bytes(Z),
    }
    content.update({name.replace("_npy", ".npy"): data for name, data in members.items()})
    return write_zip(path, content)


def load_meta(tmp_path: Path, **settings_: object) -> Session:
    return load_session(session_file(tmp_path / "s.reluviz", {**HEADER, **settings_}))


def refusal(tmp_path: Path, **settings_: object) -> str:
    with pytest.raises(InputError) as info:
        load_meta(tmp_path, **settings_)
    return str(info.value)


# -- every limit accepts its ends and refuses one beyond, in words ------------------------------------


@pytest.mark.parametrize(
    ("settings_", "expected"),
    [
        ({"precision": 1}, ("precision", 1)),
        ({"precision": 17}, ("precision", 17)),
        ({"colormap": "c"}, ("colormap", "c")),
        ({"colormap": "c" * 200}, ("colormap", "c" * 200)),
        ({"z_range": 5e-324}, ("z_range", 5e-324)),
        ({"grad_range": 1.7976931348623157e308}, ("grad_range", 1.7976931348623157e308)),
        ({"view": {"arrays.x0": -2.5, "arrays.y0": 0}}, ("view", {"arrays.x0": -2.5, "arrays.y0": 0.0})),
        ({"view": {f"k{i}": i for i in range(256)}}, ("view", {f"k{i}": float(i) for i in range(256)})),
        ({"current_view": "code"}, ("current_view", "code")),
        ({"inclusive": False}, ("inclusive", False)),
    ],
)
def test_settings_at_their_limits_load(tmp_path, settings_, expected):
    key, value = expected
    loaded = getattr(load_meta(tmp_path, **settings_), key)
    assert loaded == value and type(loaded) is type(value)


@pytest.mark.parametrize(
    ("network", "field", "value"),
    [
        ({"layer_sizes": [1, 1]}, "layer_sizes", [1, 1]),
        ({"layer_sizes": [MAX_SIDE] * 64}, "layer_sizes", [MAX_SIDE] * 64),
        ({"seed": 0}, "seed", 0),
        ({"seed": 2**31 - 1}, "seed", 2**31 - 1),
        ({"batch_size": None}, "batch_size", None),
        ({"batch_size": 1}, "batch_size", 1),
        ({"batch_size": 1_000_000}, "batch_size", 1_000_000),
        ({"preset": "p" * 200}, "preset", "p" * 200),
        ({"learning_rate": 0.001}, "learning_rate", 0.001),
        ({"learning_rate": 10}, "learning_rate", 10.0),
        ({"sample": -1}, "sample", -1),
        ({"sample": 1_000_000}, "sample", 1_000_000),
        ({"whole_batch": True}, "whole_batch", True),
        ({"trained_learning_rates": []}, "trained_learning_rates", []),
        ({"trained_learning_rates": [0.001, 10] * 5000}, "trained_learning_rates", [0.001, 10.0] * 5000),
    ],
)
def test_network_settings_at_their_limits_load(tmp_path, network, field, value):
    loaded = getattr(load_meta(tmp_path, network=network).network, field)
    assert loaded == value and type(loaded) is type(value)


def wrong(key: str, shown: str, expected: str) -> str:
    return f"In 's.reluviz', \"{key}\" is {shown} but must be {expected}."


WHOLE_1_17 = "a whole number from 1 to 17"
TEXT_1_200 = "text of 1 to 200 characters"
POSITIVE = "a finite number greater than 0"
RATE = "a number from 0.001 to 10"


@pytest.mark.parametrize(
    ("settings_", "message"),
    [
        ({"precision": 0}, wrong("precision", "the number 0", WHOLE_1_17)),
        ({"precision": 18}, wrong("precision", "the number 18", WHOLE_1_17)),
        ({"precision": None}, wrong("precision", "null", WHOLE_1_17)),
        ({"precision": [3]}, wrong("precision", "a list", WHOLE_1_17)),
        ({"precision": {"n": 3}}, wrong("precision", "an object", WHOLE_1_17)),
        ({"inclusive": None}, wrong("inclusive", "null", "true or false")),
        ({"inclusive": 0}, wrong("inclusive", "the number 0", "true or false")),
        ({"colormap": ""}, wrong("colormap", 'the text ""', TEXT_1_200)),
        ({"colormap": "c" * 201}, wrong("colormap", 'the text "' + "c" * 23 + '…"', TEXT_1_200)),
        ({"colormap": "x" * 24 + "y" * 177}, wrong("colormap", 'the text "' + "x" * 23 + '…"', TEXT_1_200)),
        ({"colormap": False}, wrong("colormap", "the boolean false", TEXT_1_200)),
        ({"z_range": 0}, wrong("z_range", "the number 0", POSITIVE)),
        ({"z_range": True}, wrong("z_range", "the boolean true", POSITIVE)),
        ({"grad_range": 1e400}, wrong("grad_range", "the number inf", POSITIVE)),
        ({"grad_range": float("nan")}, wrong("grad_range", "the number nan", POSITIVE)),
        ({"view": {"zoom": float("-inf")}}, wrong("view.zoom", "the number -inf", "a finite number")),
        ({"view": {"": 1.0}}, wrong("view key", 'the text ""', TEXT_1_200)),
        ({"current_view": "Arrays"}, wrong("current_view", 'the text "Arrays"', 'one of "arrays", "network", "code"')),
        ({"current_view": ""}, wrong("current_view", 'the text ""', 'one of "arrays", "network", "code"')),
        (
            {"view": {f"k{i}": i for i in range(257)}},
            "In 's.reluviz', \"view\" has 257 entries; up to 256 are accepted.",
        ),
    ],
)
def test_settings_beyond_their_limits_are_refused_in_words(tmp_path, settings_, message):
    assert refusal(tmp_path, **settings_) == message


LAYERS = f"a list of 2 to 64 whole numbers from 1 to {MAX_SIDE}"
RATES = "a list of at most 10000 numbers from 0.001 to 10"


@pytest.mark.parametrize(
    ("network", "message"),
    [
        ({"layer_sizes": [2]}, wrong("network.layer_sizes", "a list", LAYERS)),
        ({"layer_sizes": [2] * 65}, wrong("network.layer_sizes", "a list", LAYERS)),
        ({"layer_sizes": 3}, wrong("network.layer_sizes", "the number 3", LAYERS)),
        (
            {"layer_sizes": [2, 0]},
            wrong("network.layer_sizes[1]", "the number 0", f"a whole number from 1 to {MAX_SIDE}"),
        ),
        (
            {"layer_sizes": [MAX_SIDE + 1, 2]},
            wrong("network.layer_sizes[0]", f"the number {MAX_SIDE + 1}", f"a whole number from 1 to {MAX_SIDE}"),
        ),
        ({"seed": 2**31}, wrong("network.seed", f"the number {2**31}", f"a whole number from 0 to {2**31 - 1}")),
        ({"seed": -1}, wrong("network.seed", "the number -1", f"a whole number from 0 to {2**31 - 1}")),
        ({"batch_size": 0}, wrong("network.batch_size", "the number 0", "a whole number from 1 to 1000000")),
        (
            {"batch_size": 1_000_001},
            wrong("network.batch_size", "the number 1000001", "a whole number from 1 to 1000000"),
        ),
        ({"preset": ""}, wrong("network.preset", 'the text ""', TEXT_1_200)),
        ({"learning_rate": 0.000999}, wrong("network.learning_rate", "the number 0.000999", RATE)),
        ({"learning_rate": 10.000001}, wrong("network.learning_rate", "the number 10.000001", RATE)),
        ({"learning_rate": -0.5}, wrong("network.learning_rate", "the number -0.5", POSITIVE)),
        ({"sample": -2}, wrong("network.sample", "the number -2", "a whole number from -1 to 1000000")),
        ({"sample": 1_000_001}, wrong("network.sample", "the number 1000001", "a whole number from -1 to 1000000")),
        ({"whole_batch": "yes"}, wrong("network.whole_batch", 'the text "yes"', "true or false")),
        ({"trained_learning_rates": 0.5}, wrong("network.trained_learning_rates", "the number 0.5", RATES)),
        ({"trained_learning_rates": [0.5] * 10001}, wrong("network.trained_learning_rates", "a list", RATES)),
        ({"trained_learning_rates": [0.5, 11]}, wrong("network.trained_learning_rates[1]", "the number 11", RATE)),
    ],
)
def test_network_settings_beyond_their_limits_are_refused_in_words(tmp_path, network, message):
    assert refusal(tmp_path, network=network) == message


def test_a_setting_of_an_unexpected_python_type_is_refused_on_save(tmp_path):
    with pytest.raises(InputError) as info:
        save_session(tmp_path / "s.reluviz", Session(colormap=b"blue-red"))
    assert str(info.value) == ('In the session to save, "colormap" is a bytes but must be text of 1 to 200 characters.')
    with pytest.raises(InputError) as info:
        save_session(tmp_path / "s.reluviz", Session(network={"seed": 1}))
    assert str(info.value) == 'In the session to save, "network" is an object but must be a NetworkConfig.'
    assert not (tmp_path / "s.reluviz").exists()


# -- what is saved is what loads, every field ------------------------------------------------------------

network_configs = st.builds(
    NetworkConfig,
    layer_sizes=st.lists(st.integers(1, MAX_SIDE), min_size=2, max_size=6),
    seed=st.integers(0, 2**31 - 1),
    batch_size=st.none() | st.integers(1, 1_000_000),
    preset=st.text(min_size=1, max_size=20),
    learning_rate=st.floats(0.001, 10.0),
    sample=st.integers(-1, 1_000_000),
    whole_batch=st.booleans(),
    trained_learning_rates=st.lists(st.floats(0.001, 10.0), max_size=5),
)


@settings(max_examples=30, deadline=None)
@given(network=network_configs)
def test_every_network_setting_survives_a_save(tmp_path_factory, network):
    """Random values, not the defaults: a key misspelt on save would load back as its default."""
    path = tmp_path_factory.mktemp("net") / "s.reluviz"
    save_session(path, Session(network=network, z=Z, dvalues=Z))
    assert load_session(path).network == network


def test_the_saved_json_is_exactly_the_documented_document(tmp_path):
    session = Session(
        z=Z, dvalues=Z, inclusive=False, colormap="purple-orange", z_range=2.5, grad_range=None,
        view={"arrays.zoom": 1.5}, current_view="network", precision=6,
        network=NetworkConfig(layer_sizes=[2, 4, 3], seed=7, batch_size=16, preset="book", learning_rate=0.25,
                              sample=3, whole_batch=True, trained_learning_rates=[0.5, 0.25]),
    )  # fmt: skip
    save_session(tmp_path / "s.reluviz", session)
    with zipfile.ZipFile(tmp_path / "s.reluviz") as archive:
        text = archive.read("session.json").decode("utf-8")
    expected = {
        "format": "reluviz-session", "version": 1, "app_version": __version__, "inclusive": False,
        "colormap": "purple-orange", "z_range": 2.5, "grad_range": None, "view": {"arrays.zoom": 1.5},
        "current_view": "network", "precision": 6,
        "network": {"layer_sizes": [2, 4, 3], "seed": 7, "batch_size": 16, "preset": "book",
                    "learning_rate": 0.25, "sample": 3, "whole_batch": True,
                    "trained_learning_rates": [0.5, 0.25]},
    }  # fmt: skip
    assert text == json.dumps(expected, indent=2)


def test_members_are_stored_with_fixed_times_modes_and_compression(tmp_path):
    """Same session, same bytes: every member dated 1980-01-01, mode 644, deflated at a fixed level
    (session.json at 6; the arrays at 1, since random floats hardly compress and level 6 is slow)."""
    # Data whose deflated size differs from level to level, so the level is seen in the bytes.
    z = np.random.default_rng(0).integers(0, 4, (64, 64)).astype(np.float64)
    view = {f"arrays.k{i}": round(i * 0.37 + i * i * 0.011, 3) for i in range(200)}
    recording = np.stack([z, -z])
    session = Session(z=z, dvalues=-z, view=view, recording_z=recording, recording_dvalues=recording)
    save_session(tmp_path / "s.reluviz", session)
    with zipfile.ZipFile(tmp_path / "s.reluviz") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [
            "session.json", "z.npy", "dvalues.npy", "recording_z.npy", "recording_dvalues.npy",
        ]  # fmt: skip
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
            assert info.external_attr == 0o644 << 16, info.filename  # rw-r--r-- when unzipped
            level = 6 if info.filename == "session.json" else 1
            raw = archive.read(info)
            deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
            assert info.compress_size == len(deflate.compress(raw) + deflate.flush()), info.filename
    assert json.loads(archive_member(tmp_path / "s.reluviz", "session.json"))["recording"] == {"step": 0}


def archive_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


# -- reading: the archive's limits at their boundaries ----------------------------------------------------


def test_a_session_json_of_exactly_the_limit_loads_and_one_byte_more_is_refused(tmp_path):
    body = json.dumps({**HEADER, "precision": 5})
    exact = " " * (MAX_SESSION_JSON_BYTES - len(body)) + body  # the closing brace is the last byte read
    assert load_session(session_file(tmp_path / "s.reluviz", exact)).precision == 5
    with pytest.raises(InputError) as info:
        load_session(session_file(tmp_path / "s.reluviz", " " + exact))
    assert str(info.value) == ("'s.reluviz' declares session.json as 1 MB unpacked; members up to 1 MB are accepted.")


def test_a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "big.reluviz"
    with open(path, "wb") as file:  # sparse: nothing is written but the size
        file.truncate(MAX_SESSION_BYTES)
    with pytest.raises(InputError) as info:
        load_session(path)
    assert "is not a reluviz session (it is not a zip archive)" in str(info.value)
    with open(path, "r+b") as file:
        file.truncate(MAX_SESSION_BYTES + 1)
    with pytest.raises(InputError) as info:
        load_session(path)
    # One byte over reads as the same MB, so the message gives exact bytes rather than "258.1 MB; up to 258.1 MB".
    assert str(info.value) == (f"'big.reluviz' is {MAX_SESSION_BYTES + 1:,} bytes (over {MAX_SESSION_BYTES:,}); "
                               "session files up to 258.1 MB are accepted.")
    with open(path, "r+b") as file:
        file.truncate(MAX_SESSION_BYTES + 2**20)
    with pytest.raises(InputError) as info:
        load_session(path)
    assert str(info.value) == "'big.reluviz' is 259.1 MB; session files up to 258.1 MB are accepted."


def with_directory_of(path: Path, directory_bytes: int) -> Path:
    """A valid session whose zip directory is exactly ``directory_bytes`` long (a member comment pads it)."""
    session_file(path, HEADER)
    with zipfile.ZipFile(path) as archive:
        now = sum(46 + len(i.filename.encode()) + len(i.extra) + len(i.comment) for i in archive.infolist())
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = b""
        info = zipfile.ZipInfo("pad")
        info.comment = b"x" * (directory_bytes - now - 46 - 3)
        archive.writestr(info, b"")
    data = path.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    assert struct.unpack("<I", data[end + 12 : end + 16])[0] == directory_bytes
    return path


def test_a_zip_directory_of_exactly_64_kib_loads_and_one_byte_more_is_refused(tmp_path):
    assert load_session(with_directory_of(tmp_path / "a.reluviz", 64 * 1024)).precision == 3
    with pytest.raises(InputError) as info:
        load_session(with_directory_of(tmp_path / "b.reluviz", 64 * 1024 + 1))
    assert str(info.value) == (
        "'b.reluviz' has a zip directory of 64 KB (4 entries); sessions with a directory up to 64 KB are accepted."
    )


def test_a_zip_with_a_long_comment_is_still_found(tmp_path):
    """The end-of-directory record is looked for in the last 22 + 65535 bytes: behind a full comment."""
    path = session_file(tmp_path / "s.reluviz", {**HEADER, "precision": 9})
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = b"c" * 65535
    assert load_session(path).precision == 9


def test_an_encrypted_member_is_refused(tmp_path):
    path = session_file(tmp_path / "s.reluviz", HEADER)
    data = bytearray(path.read_bytes())
    start = data.index(b"PK\x01\x02")  # the first central directory record: session.json
    flags = struct.unpack_from("<H", data, start + 8)[0]
    struct.pack_into("<H", data, start + 8, flags | 0x1)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as info:
        load_session(path)
    assert str(info.value) == "'s.reluviz' has an encrypted session.json; unencrypted sessions are accepted."


@pytest.mark.parametrize(
    ("json_bytes", "message"),
    [
        (
            b"\xff\xfe{}",
            "'s.reluviz' is not a reluviz session (its session.json is not UTF-8 text); a session holds "
            "session.json, z.npy and dvalues.npy, as reluviz saves it.",
        ),
        (
            b'{\n"format": }',
            "'s.reluviz' is not a reluviz session (its session.json is not valid JSON: Expecting value at line 2); "
            "a session holds session.json, z.npy and dvalues.npy, as reluviz saves it.",
        ),
        (
            b'{"format": "reluviz-session", "version": true}',
            "In 's.reluviz', \"version\" is the boolean true but must be a whole number of at least 1; a session "
            "holds session.json, z.npy and dvalues.npy, as reluviz saves it.",
        ),
        (
            b'{"format": "reluviz-session", "version": 1.0}',
            "In 's.reluviz', \"version\" is the number 1.0 but must be a whole number of at least 1; a session "
            "holds session.json, z.npy and dvalues.npy, as reluviz saves it.",
        ),
    ],
)
def test_a_bad_session_json_is_refused_in_words(tmp_path, json_bytes, message):
    with pytest.raises(InputError) as info:
        load_session(session_file(tmp_path / "s.reluviz", json_bytes))
    assert str(info.value) == message


def test_an_empty_file_is_not_a_session(tmp_path):
    (tmp_path / "e.reluviz").write_bytes(b"")
    with pytest.raises(InputError) as info:
        load_session(tmp_path / "e.reluviz")
    assert str(info.value) == (
        "'e.reluviz' is not a reluviz session (the file is empty); a session holds session.json, z.npy and "
        "dvalues.npy, as reluviz saves it."
    )


# -- recordings: every layout NumPy writes ----------------------------------------------------------------


def recording_session(path: Path, z_npy: bytes, dvalues_npy: bytes, step: int = 0) -> Path:
    return session_file(
        path, {**HEADER, "recording": {"step": step}}, recording_z_npy=z_npy, recording_dvalues_npy=dvalues_npy
    )


def test_fortran_ordered_and_big_endian_recordings_load_as_saved(tmp_path):
    rec = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4) - 3.5  # no two sides equal
    fortran = np.asfortranarray(rec)
    big = rec.astype(">f4")
    loaded = load_session(recording_session(tmp_path / "s.reluviz", npy_bytes(fortran), npy_bytes(big), step=1))
    assert loaded.recording_z.tolist() == rec.tolist() and loaded.recording_z.flags.c_contiguous
    assert loaded.recording_dvalues.dtype == np.dtype(np.float32)  # native byte order, same values
    assert loaded.recording_dvalues.tolist() == rec.tolist()
    assert loaded.recording_step == 1


def test_a_recording_without_a_step_shows_step_0(tmp_path):
    rec = np.zeros((3, 2, 2))
    path = session_file(tmp_path / "s.reluviz", {**HEADER, "recording": {}},
                        recording_z_npy=npy_bytes(rec), recording_dvalues_npy=npy_bytes(rec))  # fmt: skip
    assert load_session(path).recording_step == 0


@pytest.mark.parametrize(
    ("shape", "shown"),
    [((0, 2, 2), "0×2×2"), ((2, 0, 2), "2×0×2"), ((1, 2, MAX_SIDE + 1), f"1×2×{MAX_SIDE + 1}"), ((4, 2), "4×2")],
)
def test_recordings_of_impossible_shapes_are_refused_from_the_header(tmp_path, shape, shown):
    bad = npy_bytes(np.zeros(shape))
    with pytest.raises(InputError) as info:
        load_session(recording_session(tmp_path / "s.reluviz", bad, bad))
    assert str(info.value) == (
        f"The recording_z.npy inside 's.reluviz' is {shown}; a recording is steps × rows × columns, each step up "
        f"to {MAX_SIDE}×{MAX_SIDE}, up to 16777216 cells in all."
    )


def test_a_truncated_recording_is_refused_with_its_sizes(tmp_path):
    good = npy_bytes(np.zeros((2, 2, 2)))
    with pytest.raises(InputError) as info:
        load_session(recording_session(tmp_path / "s.reluviz", good, good[:-8]))
    assert str(info.value) == (
        "The recording_dvalues.npy inside 's.reluviz' is truncated: its header declares 2×2×2 float64 values "
        "(64 bytes) but only 56 bytes of data follow; complete .npy files are accepted."
    )


def test_recordings_of_unequal_shapes_are_refused(tmp_path):
    with pytest.raises(InputError) as info:
        load_session(recording_session(tmp_path / "s.reluviz", npy_bytes(np.zeros((2, 2, 2))),
                                       npy_bytes(np.zeros((3, 2, 2)))))  # fmt: skip
    assert str(info.value) == (
        "In 's.reluviz', the recorded z is 2×2×2 but the recorded dvalues is 3×2×2; they must have the same shape."
    )


KEEPS = "The recording is {}; a session keeps equal steps × rows × columns arrays up to 16777216 cells."


@pytest.mark.parametrize(
    ("recording_z", "recording_dvalues", "message"),
    [
        (np.zeros((2, 2, 2)), None, "A session's recording needs both the recorded z and the recorded dvalues."),
        (None, np.zeros((2, 2, 2)), "A session's recording needs both the recorded z and the recorded dvalues."),
        (
            np.zeros((2, 2, 2)),
            np.zeros((2, 2, 3)),
            KEEPS.format("2×2×2 and 2×2×3"),
        ),
        (
            np.zeros((0, 2, 2)),
            np.zeros((0, 2, 2)),
            KEEPS.format("0×2×2 and 0×2×2"),
        ),
        (
            np.zeros((2, 2)),
            np.zeros((2, 2)),
            KEEPS.format("2×2 and 2×2"),
        ),
    ],
)
def test_a_recording_that_cannot_load_is_not_saved(tmp_path, recording_z, recording_dvalues, message):
    with pytest.raises(InputError) as info:
        save_session(tmp_path / "s.reluviz", Session(recording_z=recording_z, recording_dvalues=recording_dvalues))
    assert str(info.value) == message
    assert not (tmp_path / "s.reluviz").exists()


def test_the_last_recorded_step_is_saved_and_one_beyond_is_refused(tmp_path):
    rec = np.zeros((3, 2, 2))
    save_session(tmp_path / "s.reluviz", Session(recording_z=rec, recording_dvalues=rec, recording_step=2))
    assert load_session(tmp_path / "s.reluviz").recording_step == 2
    with pytest.raises(InputError) as info:
        save_session(tmp_path / "s.reluviz", Session(recording_z=rec, recording_dvalues=rec, recording_step=3))
    assert str(info.value) == (
        'In the session to save, "recording.step" is the number 3 but must be a whole number from 0 to 2.'
    )


# -- a saved colour range is never narrower than the data -------------------------------------------------


def test_a_saved_range_is_widened_to_the_data_but_a_wider_one_is_kept():
    z = np.array([[1.0, -3.0]])
    dvalues = np.array([[7.0, np.nan]])  # the fit covers every array given: |7| -> the nice step 8
    assert widened_range(None, z, dvalues) == 8.0
    assert widened_range(5.0, z, dvalues) == 8.0
    assert widened_range(1e-300, z) == 3.0
    wider = widened_range(np.float32(9.5), z, dvalues)
    assert wider == 9.5 and type(wider) is float


# -- more of what a damaged or crafted file gets told -------------------------------------------------------

NOT_SESSION = "is not a reluviz session ({}); a session holds session.json, z.npy and dvalues.npy, as reluviz saves it."


def npy_header(shape: tuple[int, ...]) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def test_a_zip_cut_short_by_one_byte_is_not_a_zip(tmp_path):
    whole = session_file(tmp_path / "s.reluviz", HEADER).read_bytes()
    (tmp_path / "cut.reluviz").write_bytes(whole[:-1])  # the end-of-directory record is now 21 bytes
    with pytest.raises(InputError) as info:
        load_session(tmp_path / "cut.reluviz")
    assert str(info.value) == "'cut.reluviz' " + NOT_SESSION.format("it is not a zip archive")


def test_a_zip_directory_pointing_past_the_file_is_not_readable(tmp_path):
    end_record = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, 10, 1000, 0)
    (tmp_path / "e.reluviz").write_bytes(b"junk" + end_record)
    with pytest.raises(InputError) as info:
        load_session(tmp_path / "e.reluviz")
    assert str(info.value) == "'e.reluviz' " + NOT_SESSION.format("it is not a readable zip archive")


def test_json_nested_too_deep_is_not_valid_json(tmp_path):
    with pytest.raises(InputError) as info:
        load_session(session_file(tmp_path / "s.reluviz", "[" * 100_000))
    assert str(info.value) == "'s.reluviz' " + NOT_SESSION.format("its session.json is not valid JSON")


def test_a_member_whose_compressed_bytes_are_damaged_is_named(tmp_path):
    path = session_file(tmp_path / "s.reluviz", HEADER, z_npy=npy_bytes(np.arange(1000.0).reshape(20, 50)))
    data = bytearray(path.read_bytes())
    start = data.index(b"z.npy") + len("z.npy") + 200  # inside z.npy's deflated data
    data[start : start + 50] = bytes(b ^ 0xFF for b in data[start : start + 50])
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as info:
        load_session(path)
    assert (
        str(info.value) == "'s.reluviz' is damaged (z.npy cannot be unpacked); sessions saved by reluviz are accepted."
    )


def test_the_recording_cell_limit_is_checked_from_the_header(tmp_path):
    """4096 × 4096 cells in all pass the shape check (and then lack their data); one more row of
    2049 does not: the refusal comes before anything is allocated."""
    at_limit = npy_header((1, MAX_SIDE, MAX_SIDE))
    with pytest.raises(InputError) as info:
        load_session(recording_session(tmp_path / "a.reluviz", at_limit, at_limit))
    assert str(info.value) == (
        f"The recording_z.npy inside 'a.reluviz' is truncated: its header declares 1×{MAX_SIDE}×{MAX_SIDE} float64 "
        "values (128 MB) but only 0 bytes of data follow; complete .npy files are accepted."
    )
    beyond = npy_header((2, MAX_SIDE, MAX_SIDE // 2 + 1))
    with pytest.raises(InputError) as info:
        load_session(recording_session(tmp_path / "b.reluviz", beyond, at_limit))
    assert str(info.value).startswith(f"The recording_z.npy inside 'b.reluviz' is 2×{MAX_SIDE}×{MAX_SIDE // 2 + 1};")


def test_numpy_booleans_are_named_as_booleans(tmp_path):
    with pytest.raises(InputError) as info:
        save_session(tmp_path / "s.reluviz", Session(precision=np.bool_(True)))
    assert str(info.value) == (
        'In the session to save, "precision" is the boolean true but must be a whole number from 1 to 17.'
    )


def test_a_recording_of_a_refused_dtype_is_not_saved(tmp_path):
    flags = np.zeros((2, 2, 2), dtype=bool)
    with pytest.raises(InputError, match=r"^The recorded z holds bool values; "):
        save_session(tmp_path / "s.reluviz", Session(recording_z=flags, recording_dvalues=flags))
    assert not (tmp_path / "s.reluviz").exists()


def test_tuples_in_the_network_settings_are_saved_as_lists(tmp_path):
    network = NetworkConfig(layer_sizes=(2, 5, 3), trained_learning_rates=(0.5, 0.25))
    save_session(tmp_path / "s.reluviz", Session(network=network))
    loaded = load_session(tmp_path / "s.reluviz").network
    assert (loaded.layer_sizes, loaded.trained_learning_rates) == ([2, 5, 3], [0.5, 0.25])


def test_recordings_of_4096_rows_or_columns_load_and_4097_rows_do_not(tmp_path):
    for shape in ((1, MAX_SIDE, 1), (1, 1, MAX_SIDE)):
        rec = npy_bytes(np.ones(shape))
        assert load_session(recording_session(tmp_path / "ok.reluviz", rec, rec)).recording_z.shape == shape
    tall = npy_bytes(np.ones((1, MAX_SIDE + 1, 1)))
    with pytest.raises(InputError) as info:
        load_session(recording_session(tmp_path / "tall.reluviz", tall, tall))
    assert str(info.value).startswith(f"The recording_z.npy inside 'tall.reluviz' is 1×{MAX_SIDE + 1}×1;")


def test_a_recording_larger_than_one_read_loads_bit_for_bit(tmp_path, monkeypatch):
    """Members are read in pieces (16 MiB; 1000 bytes here), so a member is never held twice in memory."""
    import reluviz.core.io.session_zip as session_zip

    monkeypatch.setattr(session_zip, "_CHUNK", 1000)
    rec = np.random.default_rng(3).standard_normal((3, 10, 7))  # 1680 bytes: two pieces
    save_session(tmp_path / "s.reluviz", Session(recording_z=rec, recording_dvalues=-rec, recording_step=2))
    loaded = load_session(tmp_path / "s.reluviz")
    assert loaded.recording_z.tobytes() == rec.tobytes() and loaded.recording_dvalues.tobytes() == (-rec).tobytes()
    # Bytes after the data are not read: the pieces stop at the size the header declares.
    path = recording_session(tmp_path / "t.reluviz", npy_bytes(rec) + b"trailing", npy_bytes(rec))
    assert load_session(path).recording_z.tobytes() == rec.tobytes()


@pytest.mark.parametrize(
    ("recording_z", "message"),
    [
        (
            None,
            "'s.reluviz' has no recording_z.npy inside; a session holds session.json, z.npy and dvalues.npy, as "
            "reluviz saves it.",
        ),
        (b"not npy at all", "The recording_z.npy inside 's.reluviz' is not a .npy file"),
        (npy_bytes(np.zeros((2, 2, 2), dtype=bool)), "The recording_z.npy inside 's.reluviz' holds bool values; "),
    ],
)
def test_a_bad_recording_member_is_named_in_its_refusal(tmp_path, recording_z, message):
    members = {"recording_dvalues_npy": npy_bytes(np.zeros((2, 2, 2)))}
    if recording_z is not None:
        members["recording_z_npy"] = recording_z
    with pytest.raises(InputError) as info:
        load_session(session_file(tmp_path / "s.reluviz", {**HEADER, "recording": {}}, **members))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(("length", "shown"), [(24, "v" * 24), (25, "v" * 23 + "…")])
def test_a_wrong_text_is_shown_whole_up_to_24_characters(tmp_path, length, shown):
    assert refusal(tmp_path, current_view="v" * length) == wrong(
        "current_view", f'the text "{shown}"', 'one of "arrays", "network", "code"'
    )


def test_a_damaged_recording_member_is_named(tmp_path):
    rec = npy_bytes(np.arange(2000.0).reshape(2, 20, 50))
    path = recording_session(tmp_path / "s.reluviz", rec, rec)
    data = bytearray(path.read_bytes())
    start = data.index(b"recording_dvalues.npy") + len("recording_dvalues.npy") + 200
    data[start : start + 50] = bytes(b ^ 0xFF for b in data[start : start + 50])
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as info:
        load_session(path)
    assert str(info.value) == (
        "'s.reluviz' is damaged (recording_dvalues.npy cannot be unpacked); sessions saved by reluviz are accepted."
    )
