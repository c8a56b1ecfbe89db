"""Loading and saving arrays (reluviz.core.io.array_files)."""

from __future__ import annotations

import errno
import io
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core.io import array_files as array_io
from reluviz.core.io.array_files import check_array, load_array, read_npy, save_array, write_atomically
from reluviz.core.io.limits import MAX_SIDE, InputError


def same(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Equal by dtype, shape and bytes (array_equal hides -0.0 vs 0.0 and NaN)."""
    return actual.dtype == expected.dtype and actual.shape == expected.shape and actual.tobytes() == expected.tobytes()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder for the Hypothesis tests (function-scoped tmp_path does not mix with @given)."""
    return tmp_path_factory.mktemp("array_io")


SPECIAL = np.array([[1.0, -0.0, np.nan], [np.inf, -np.inf, 5e-324]])


# -- .npy --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype",
    ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64"],
)  # fmt: skip
def test_npy_keeps_every_accepted_dtype(tmp_path, dtype):
    a = np.arange(12).reshape(3, 4).astype(dtype)
    np.save(tmp_path / "a.npy", a)
    assert same(load_array(tmp_path / "a.npy"), a)


def test_npy_big_endian_and_fortran_order_are_read_as_native_c_order(tmp_path):
    a = np.asfortranarray(np.arange(6, dtype=">f8").reshape(2, 3))
    np.save(tmp_path / "a.npy", a)
    loaded = load_array(tmp_path / "a.npy")
    assert loaded.dtype == np.float64 and loaded.dtype.isnative
    assert loaded.flags.c_contiguous
    assert same(loaded, np.arange(6, dtype=np.float64).reshape(2, 3))


def test_npy_1d_becomes_one_row(tmp_path):
    np.save(tmp_path / "a.npy", np.array([1.0, 2.0, 3.0]))
    assert same(load_array(tmp_path / "a.npy"), np.array([[1.0, 2.0, 3.0]]))


def test_npy_special_values_survive(tmp_path):
    save_array(tmp_path / "a.npy", SPECIAL)
    assert same(load_array(tmp_path / "a.npy"), SPECIAL)


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
def test_npy_format_versions(tmp_path, version):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, SPECIAL, version=version, allow_pickle=False)
    (tmp_path / "a.npy").write_bytes(buffer.getvalue())
    assert same(load_array(tmp_path / "a.npy"), SPECIAL)


def test_npy_largest_shape_is_accepted(tmp_path):
    a = np.zeros((1, MAX_SIDE), dtype=np.int8)
    np.save(tmp_path / "a.npy", a)
    assert same(load_array(tmp_path / "a.npy"), a)
    np.save(tmp_path / "b.npy", np.zeros(MAX_SIDE + 1, dtype=np.int8))
    with pytest.raises(InputError, match=r"declares 4097 elements; arrays up to 4096×4096"):
        load_array(tmp_path / "b.npy")


def test_read_npy_from_a_stream_with_extra_bytes_after():
    buffer = io.BytesIO()
    np.save(buffer, SPECIAL)
    data = buffer.getvalue()
    stream = io.BytesIO(data + b"trailing")
    assert same(read_npy(stream, len(data) + 8, "'x'"), SPECIAL)


# -- text --------------------------------------------------------------------------------------


def test_csv_tsv_txt(tmp_path):
    (tmp_path / "a.csv").write_text("1,2,3\n4,5,6\n")
    (tmp_path / "a.tsv").write_text("1\t2\t3\r\n4\t5\t6\r\n")
    (tmp_path / "a.txt").write_text("  1 2   3\n4 5 6")
    expected = np.array([[1.0, 2, 3], [4, 5, 6]])
    for name in ("a.csv", "a.tsv", "a.txt"):
        assert same(load_array(tmp_path / name), expected)


def test_upper_case_suffix(tmp_path):
    (tmp_path / "A.CSV").write_text("1,2")
    assert same(load_array(tmp_path / "A.CSV"), np.array([[1.0, 2.0]]))


def test_csv_bom_and_decimal_commas(tmp_path):
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf1,2\n3,4\n")
    assert same(load_array(tmp_path / "bom.csv"), np.array([[1.0, 2], [3, 4]]))
    (tmp_path / "eu.csv").write_text("1,5;-2,25\n3;4\n")
    assert same(load_array(tmp_path / "eu.csv"), np.array([[1.5, -2.25], [3, 4]]))


def test_utf16_text_from_a_spreadsheet(tmp_path):
    (tmp_path / "u.txt").write_bytes("1\t2\r\n3\t4\r\n".encode("utf-16"))
    assert same(load_array(tmp_path / "u.txt"), np.array([[1.0, 2], [3, 4]]))


def test_legacy_encoded_header_is_refused_as_a_header(tmp_path):
    (tmp_path / "h.csv").write_bytes("caf\xe9,b\n1,2\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"row 1 looks like a header \('café', 'b'\)"):
        load_array(tmp_path / "h.csv")


def test_csv_nan_and_inf_literals(tmp_path):
    (tmp_path / "a.csv").write_text("nan,inf,-inf\nNaN,Infinity,-0\n")
    expected = np.array([[np.nan, np.inf, -np.inf], [np.nan, np.inf, -0.0]])
    assert same(load_array(tmp_path / "a.csv"), expected)


def test_quoted_csv_cells(tmp_path):
    (tmp_path / "q.csv").write_text('"1","2.5"\n"-3",4\n')
    assert same(load_array(tmp_path / "q.csv"), np.array([[1.0, 2.5], [-3, 4]]))


# -- saving ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".tsv", ".txt"])
def test_save_and_load_special_values(tmp_path, suffix):
    path = tmp_path / f"a{suffix}"
    save_array(path, SPECIAL)
    assert same(load_array(path), SPECIAL)


def test_csv_is_comma_separated_repr(tmp_path):
    save_array(tmp_path / "a.csv", np.array([[0.1, -0.0], [np.nan, 1e300]]))
    assert (tmp_path / "a.csv").read_text() == "0.1,-0.0\nnan,1e+300\n"


def test_csv_of_float32_keeps_the_exact_values(tmp_path):
    a = np.array([[0.1, 3.4e38]], dtype=np.float32)
    save_array(tmp_path / "a.csv", a)
    assert same(load_array(tmp_path / "a.csv"), a.astype(np.float64))


def test_save_replaces_and_keeps_permissions(tmp_path):
    path = tmp_path / "a.npy"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    save_array(path, SPECIAL)
    assert same(load_array(path), SPECIAL)
    assert (os.stat(path).st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npy"]


def test_failed_save_leaves_the_old_file_byte_identical(tmp_path, monkeypatch):
    path = tmp_path / "a.npy"
    save_array(path, SPECIAL)
    old = path.read_bytes()

    def half_then_disk_full(file, array, allow_pickle):
        file.write(b"\x93NUMPY partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(array_io.np, "save", half_then_disk_full)
    with pytest.raises(InputError, match=r"disk is full \(the old file is unchanged\)"):
        save_array(path, np.zeros((2, 2)))
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npy"]  # no temporary file left


def test_unexpected_error_in_writer_propagates_and_cleans_up(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"old")

    def broken(file):
        file.write(b"new")
        raise KeyError("bug")

    with pytest.raises(KeyError):
        write_atomically(path, broken)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_save_into_missing_folder_or_onto_a_folder(tmp_path):
    with pytest.raises(InputError, match=r"the folder '.*missing' does not exist; choose an"):
        save_array(tmp_path / "missing" / "a.csv", SPECIAL)
    (tmp_path / "d.npy").mkdir()
    with pytest.raises(InputError, match=r"it is a folder; choose a file name inside it"):
        save_array(tmp_path / "d.npy", SPECIAL)


@pytest.mark.parametrize(
    ("array", "fragment"),
    [
        (np.array([[True]]), "holds bool values"),
        (np.array([[1 + 2j]]), "holds complex numbers"),
        (np.array([["a"]]), "holds text"),
        (np.array([[None]], dtype=object), "holds Python objects"),
        (np.zeros((2, 2, 2)), "holds a 3-D array (2×2×2)"),
        (np.float64(1.0), "0-d array"),
        (np.zeros((0, 2)), "holds an empty array (0×2)"),
    ],
)
def test_save_refuses_what_cannot_be_loaded(tmp_path, array, fragment):
    with pytest.raises(InputError) as info:
        save_array(tmp_path / "a.npy", array)
    assert fragment in str(info.value)
    assert not (tmp_path / "a.npy").exists()


def test_save_refuses_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match=r"must end in .npy, .csv, .tsv or .txt"):
        save_array(tmp_path / "a.xlsx", SPECIAL)


def test_csv_that_could_not_be_loaded_again_is_not_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(array_io, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match=r"as text it would be 128 bytes, and text files up to 100 bytes"):
        save_array(tmp_path / "a.csv", np.full((4, 4), 0.12345))
    with pytest.raises(InputError, match=r"as text it would be at least 200 bytes.*save this array as .npy"):
        save_array(tmp_path / "a.csv", np.zeros((10, 10)))
    assert not (tmp_path / "a.csv").exists()
    save_array(tmp_path / "a.npy", np.zeros((10, 10)))


def test_check_array_returns_2d():
    assert check_array(np.arange(3)).shape == (1, 3)
    a = np.zeros((2, 3), dtype=np.float32)
    assert check_array(a) is a


# -- property tests ----------------------------------------------------------------------------

any_numeric = hnp.arrays(
    st.sampled_from(["<f8", ">f8", "<f4", "<f2", "<i1", "<i2", "<i4", "<i8", ">i4", "<u1", "<u8"]),
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=20),
)
float64_arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=20),
    elements=st.floats(allow_nan=True, allow_infinity=True),
)


@settings(deadline=None)  # each example writes and fsyncs a file
@given(any_numeric)
def test_npy_round_trip_is_exact(workdir, a):
    path = workdir / "prop.npy"
    save_array(path, a)
    expected = a.astype(a.dtype.newbyteorder("="))
    assert same(load_array(path), expected)


@settings(deadline=None)
@given(float64_arrays, st.sampled_from([".csv", ".tsv"]))
def test_text_round_trip_is_exact(workdir, a, suffix):
    path = workdir / f"prop{suffix}"
    save_array(path, a)
    assert same(load_array(path), np.where(np.isnan(a), np.nan, a))  # NaN sign/payload not kept
