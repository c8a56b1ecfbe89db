"""A catalogue of bad inputs: each either works or is refused with one clear sentence.

Every case builds its input in ``tmp_path`` and names the fragment its message must contain. A
message must be a single sentence a person can act on: one line, no traceback, no exception class
names, ending in a full stop. Refusals that must happen before memory is allocated are checked
with ``tracemalloc`` (NumPy reports its allocations there), not with a clock.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reluviz.core.io.array_files import load_array, save_array
from reluviz.core.io.cell_value import CellValueError, parse_cell_value
from reluviz.core.io.limits import MAX_FILE_BYTES, InputError
from reluviz.core.io.paste import AmbiguousCommaError, parse_pasted_block
from reluviz.core.io.session import Session, load_session, save_session

MB = 1024 * 1024
ARRAY = np.array([[1.0, -2.0], [3.0, np.nan]])


def npy_bytes(array: np.ndarray, **kwargs) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, **kwargs)
    return buffer.getvalue()


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def session(path: Path, meta: object = None, members: dict | None = None) -> Path:
    if meta is None:
        meta = {"format": "reluviz-session", "version": 1}
    content = {
        "session.json": json.dumps(meta),
        "z.npy": npy_bytes(ARRAY),
        "dvalues.npy": npy_bytes(ARRAY),
    }
    content.update(members or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def lie_about_size(path: Path, member: str, size: int) -> Path:
    """Patch the central directory so ``member`` declares ``size`` unpacked bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    # Find the member's central directory record: signature PK\1\2, name at offset 46.
    start = 0
    while True:
        start = data.index(b"PK\x01\x02", start)
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == info.filename.encode():
            break
        start += 4
    struct.pack_into("<I", data, start + 24, size)
    path.write_bytes(bytes(data))
    return path


def big_csv(path: Path, rows: int, columns: int) -> Path:
    """A CSV of short cells, written quickly (the same row repeated)."""
    row = ",".join(["-1.5", "2", "nan", "0.25"] * (columns // 4)) + "\n"
    with open(path, "w", encoding="ascii") as file:
        for _ in range(rows):
            file.write(row)
    return path


def many_members(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(count):
            archive.writestr(f"padding/member_{i:06d}.txt", b"")
    return path


# Each case: (id, make(tmp_path) -> action, fragment). The action raises InputError, or returns
# the accepted result when fragment is None.
Case = tuple[str, Callable[[Path], Callable[[], object]], str | None]

CASES: list[Case] = [
    # -- .npy files
    (
        "npy-pickled-object",
        lambda d: (
            lambda: load_array(write(d / "o.npy", npy_bytes(np.array([{"a": 1}], dtype=object), allow_pickle=True)))
        ),
        "'o.npy' holds Python objects (reading them needs unpickling, which reluviz never does)",
    ),
    (
        "npy-raw-pickle",
        lambda d: lambda: load_array(write(d / "p.npy", pickle.dumps({"a": 1}))),
        "'p.npy' is not a .npy file",
    ),
    (
        "npy-10^12-elements-in-200-bytes",
        lambda d: lambda: load_array(write(d / "h.npy", npy_header((10**6, 10**6)).ljust(200))),
        "'h.npy' declares 1000000×1000000 elements; arrays up to 4096×4096 are accepted.",
    ),
    (
        "npy-4096²-declared-in-200-bytes",
        lambda d: lambda: load_array(write(d / "h.npy", npy_header((4096, 4096)).ljust(200))),
        "'h.npy' is truncated: its header declares 4096×4096 float64 values (128 MB) but only",
    ),
    (
        "npy-truncated",
        lambda d: lambda: load_array(write(d / "t.npy", npy_bytes(ARRAY)[:-3])),
        "is truncated: its header declares 2×2 float64 values (32 bytes) but only 29 bytes",
    ),
    (
        "npy-empty-file",
        lambda d: lambda: load_array(write(d / "e.npy", b"")),
        "'e.npy' is not a .npy file",
    ),
    (
        "npy-damaged-header",
        lambda d: (
            lambda: load_array(write(d / "g.npy", npy_header((2, 2)).replace(b"'descr'", b"'dexcr'") + bytes(32)))
        ),
        "'g.npy' has a damaged .npy header",
    ),
    (
        "npy-structured",
        lambda d: lambda: load_array(write(d / "s.npy", npy_bytes(np.zeros(3, dtype=[("a", "<f8"), ("b", "<i4")])))),
        "'s.npy' holds structured records (fields a, b); arrays of integers",
    ),
    (
        "npy-text",
        lambda d: lambda: load_array(write(d / "u.npy", npy_bytes(np.array([["a", "b"]])))),
        "'u.npy' holds text; arrays of integers (int8…int64, uint8…uint64) or floats",
    ),
    (
        "npy-bytes",
        lambda d: lambda: load_array(write(d / "b.npy", npy_bytes(np.array([[b"a"]])))),
        "'b.npy' holds bytes",
    ),
    (
        "npy-datetime",
        lambda d: lambda: load_array(write(d / "t.npy", npy_bytes(np.zeros((2, 2), dtype="M8[s]")))),
        "'t.npy' holds dates",
    ),
    (
        "npy-complex",
        lambda d: lambda: load_array(write(d / "c.npy", npy_bytes(np.zeros((2, 2), complex)))),
        "'c.npy' holds complex numbers",
    ),
    (
        "npy-bool",
        lambda d: lambda: load_array(write(d / "b.npy", npy_bytes(np.zeros((2, 2), bool)))),
        "'b.npy' holds bool values; arrays of integers",
    ),
    (
        "npy-3d",
        lambda d: lambda: load_array(write(d / "x.npy", npy_bytes(np.zeros((2, 3, 4))))),
        "'x.npy' holds a 3-D array (2×3×4); 1-D and 2-D arrays up to 4096×4096 are accepted.",
    ),
    (
        "npy-0d",
        lambda d: lambda: load_array(write(d / "x.npy", npy_bytes(np.float64(3.0)))),
        "'x.npy' holds a single value (a 0-d array)",
    ),
    (
        "npy-empty-array",
        lambda d: lambda: load_array(write(d / "x.npy", npy_bytes(np.zeros((0, 3))))),
        "'x.npy' holds an empty array (0×3); arrays from 1×1 up to 4096×4096 are accepted.",
    ),
    # -- text files
    (
        "csv-unmatched-quote",
        lambda d: lambda: load_array(write(d / "q.csv", '1,2\n"3,4\n5,6\n')),
        "In 'q.csv', row 2 has an unmatched or misplaced double quote",
    ),
    (
        "csv-ragged",
        lambda d: lambda: load_array(write(d / "r.csv", "1,2,3\n4,5,6\n7,8\n")),
        "In 'r.csv', row 3 has 2 values but row 1 has 3; every row needs the same number",
    ),
    (
        "csv-text-cell",
        lambda d: lambda: load_array(write(d / "t.csv", "1,2\n3,abc\n")),
        "In 't.csv', row 2, column 2 holds 'abc', which is not a number; cells must hold",
    ),
    (
        "csv-header-row",
        lambda d: lambda: load_array(write(d / "h.csv", "x,y\n3,4\n")),
        "In 'h.csv', row 1 looks like a header ('x', 'y'); only numbers are accepted",
    ),
    (
        "csv-decimal-comma-with-commas",
        lambda d: lambda: load_array(write(d / "c.csv", '"1,5","2,5"\n')),
        "holds '1,5', which is not a number",
    ),
    (
        "csv-overflow",
        lambda d: lambda: load_array(write(d / "o.csv", "1,1e999\n")),
        "holds '1e999', which is too large for float64",
    ),
    ("csv-empty", lambda d: lambda: load_array(write(d / "e.csv", "")), "'e.csv' is empty"),
    ("csv-blank", lambda d: lambda: load_array(write(d / "e.csv", " \n\n")), "'e.csv' is empty"),
    (
        "csv-binary",
        lambda d: lambda: load_array(write(d / "b.csv", npy_bytes(ARRAY))),
        "'b.csv' holds binary data, not text",
    ),
    (
        "csv-70MB-refused-from-size",
        lambda d: lambda: load_array(sparse_file(d / "big.csv", 70 * MB)),
        "'big.csv' is 70 MB; text files up to 64 MB are accepted (save larger arrays as .npy).",
    ),
    (
        "csv-50MB-too-many-rows",
        lambda d: lambda: load_array(big_csv(d / "tall.csv", 50 * MB // 20, 4)),
        "'tall.csv' has 2621440 rows; arrays up to 4096×4096 are accepted.",
    ),
    (
        "csv-50MB-too-many-columns",
        lambda d: lambda: load_array(big_csv(d / "wide.csv", 2, 50 * MB // 14)),
        "'wide.csv' has 3744912 columns; arrays up to 4096×4096 are accepted.",
    ),
    (
        "load-folder",
        lambda d: lambda: load_array(folder(d / "dir.npy")),
        "Cannot open 'dir.npy': it is a folder, not a file.",
    ),
    (
        "load-missing",
        lambda d: lambda: load_array(d / "missing.csv"),
        "Cannot open 'missing.csv': there is no such file in",
    ),
    (
        "load-unknown-suffix",
        lambda d: lambda: load_array(write(d / "a.xlsx", b"PK")),
        "Cannot open 'a.xlsx': reluviz opens .npy, .csv, .tsv or .txt files.",
    ),
    # -- saving
    (
        "save-into-missing-folder",
        lambda d: lambda: save_array(d / "no" / "such" / "a.npy", ARRAY),
        "Cannot save 'a.npy': the folder",
    ),
    (
        "save-onto-a-folder",
        lambda d: lambda: save_array(folder(d / "out.csv"), ARRAY),
        "it is a folder; choose a file name inside it instead.",
    ),
    (
        "save-session-onto-a-folder",
        lambda d: lambda: save_session(folder(d / "s.reluviz"), Session()),
        "it is a folder; choose a file name inside it instead.",
    ),
    (
        "save-session-into-missing-folder",
        lambda d: lambda: save_session(d / "missing" / "s.reluviz", Session()),
        "Cannot save 's.reluviz': the folder",
    ),
    # -- pasted text
    (
        "paste-3d",
        lambda d: lambda: parse_pasted_block("[[[1, 2]], [[3, 4]]]"),
        "more than two levels of brackets; 1-D and 2-D arrays are accepted",
    ),
    (
        "paste-deep-nesting",
        lambda d: lambda: parse_pasted_block("[" * 1_000_000 + "]" * 1_000_000),
        "more than two levels of brackets",
    ),
    (
        "paste-summarised-repr",
        lambda d: lambda: parse_pasted_block("array([[0., 0., ..., 0., 0.]])"),
        "shortened with '...'",
    ),
    (
        "paste-object-dtype",
        lambda d: lambda: parse_pasted_block("array([1], dtype=object)"),
        "dtype=object, which is not accepted",
    ),
    (
        "paste-nan-in-int",
        lambda d: lambda: parse_pasted_block("array([[1, nan]], dtype=int64)"),
        "holds 'nan', which is not a whole number; dtype=int64 holds whole numbers",
    ),
    (
        "paste-over-64MB",
        lambda d: lambda: parse_pasted_block("1\t" * (MAX_FILE_BYTES // 2 + 1)),
        "The pasted text is 64 MB long; text up to 64 MB is accepted.",
    ),
    # -- sessions
    (
        "session-not-a-zip",
        lambda d: lambda: load_session(write(d / "s.reluviz", "hello, I am text")),
        "'s.reluviz' is not a reluviz session (it is not a zip archive); a session holds",
    ),
    (
        "session-empty-file",
        lambda d: lambda: load_session(write(d / "s.reluviz", b"")),
        "'s.reluviz' is not a reluviz session (the file is empty)",
    ),
    (
        "session-truncated-zip",
        lambda d: lambda: load_session(write(d / "t.reluviz", session(d / "s.reluviz").read_bytes()[:300])),
        "'t.reluviz' is not a reluviz session",
    ),
    (
        "session-corrupt-member",
        lambda d: lambda: load_session(corrupt_member(session(d / "s.reluviz"), "z.npy")),
        "'s.reluviz' is damaged (z.npy cannot be unpacked)",
    ),
    (
        "session-from-the-future",
        lambda d: lambda: load_session(session(d / "s.reluviz", {"format": "reluviz-session", "version": 2})),
        "made by a newer reluviz (session format 2); this version reads format 1, so please update",
    ),
    (
        "session-wrong-typed-key",
        lambda d: (
            lambda: load_session(
                session(d / "s.reluviz", {"format": "reluviz-session", "version": 1, "precision": "3"})
            )
        ),
        'In \'s.reluviz\', "precision" is the text "3" but must be a whole number from 1 to 17.',
    ),
    (
        "session-wrong-typed-nested-key",
        lambda d: (
            lambda: load_session(
                session(
                    d / "s.reluviz",
                    {"format": "reluviz-session", "version": 1, "network": {"seed": 1.5}},
                )
            )
        ),
        '"network.seed" is the number 1.5 but must be a whole number from 0 to 2147483647.',
    ),
    (
        "session-not-json",
        lambda d: lambda: load_session(session(d / "s.reluviz", members={"session.json": "{"})),
        "its session.json is not valid JSON",
    ),
    (
        "session-json-nesting-bomb",
        lambda d: lambda: load_session(session(d / "s.reluviz", members={"session.json": "[" * 500_000})),
        "its session.json is not valid JSON",
    ),
    (
        "session-missing-member",
        lambda d: lambda: load_session(session(d / "s.reluviz", members={"dvalues.npy": None})),
        "'s.reluviz' has no dvalues.npy inside; a session holds session.json, z.npy and",
    ),
    (
        "session-pickled-member",
        lambda d: (
            lambda: load_session(
                session(
                    d / "s.reluviz",
                    members={"z.npy": npy_bytes(np.array([[None]], dtype=object), allow_pickle=True)},
                )
            )
        ),
        "The z.npy inside 's.reluviz' holds Python objects (reading them needs unpickling",
    ),
    (
        "session-huge-declared-member",
        lambda d: (
            lambda: load_session(
                write(
                    d / "b.reluviz",
                    session(
                        d / "s.reluviz",
                        members={"z.npy": npy_header((10**6, 10**6)) + bytes(100)},
                    ).read_bytes(),
                )
            )
        ),
        "The z.npy inside 'b.reluviz' declares 1000000×1000000 elements",
    ),
    (
        "session-zip-bomb-json",
        lambda d: lambda: load_session(session(d / "s.reluviz", members={"session.json": " " * (5 * MB)})),
        "'s.reluviz' declares session.json as 5 MB unpacked; members up to 1 MB are accepted.",
    ),
    (
        "session-zip-bomb-lying-directory",
        lambda d: lambda: load_session(lie_about_size(session(d / "s.reluviz"), "dvalues.npy", 3_000_000_000)),
        "'s.reluviz' declares dvalues.npy as 2.8 GB unpacked; members up to 128.1 MB are accepted.",
    ),
    (
        "session-zip-directory-bomb",
        lambda d: lambda: load_session(many_members(d / "m.reluviz", 3000)),
        "'m.reluviz' has a zip directory of",
    ),
    (
        "session-unequal-shapes",
        lambda d: lambda: load_session(session(d / "s.reluviz", members={"dvalues.npy": npy_bytes(np.zeros((3, 2)))})),
        "In 's.reluviz', z is 2×2 but dvalues is 3×2; they must have the same shape.",
    ),
]


def raw_npy(header: str, version: int = 1, declared_length: int | None = None) -> bytes:
    """A .npy file with any header text; ``declared_length`` lies about the header's length."""
    data = header.encode("latin-1")
    length = len(data) if declared_length is None else declared_length
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", length) + data
    return b"\x93NUMPY\x02\x00" + struct.pack("<I", length) + data


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


HOSTILE: list[Case] = [
    (
        "npy-3000-unary-minus-in-shape",  # made ast.literal_eval raise RecursionError
        lambda d: lambda: load_array(
            write(d / "m.npy", raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (" + "-" * 3000 + "1,), }\n"))
        ),
        "'m.npy' has a damaged .npy header (its shape is not a tuple of whole numbers)",
    ),
    (
        "npy-shape-of-booleans",  # (True, True) passed NumPy's check (bool is an int)
        lambda d: lambda: load_array(
            write(d / "b.npy", raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (True, True), }\n")
                  + bytes(8))
        ),
        "'b.npy' has a damaged .npy header (its shape is not a tuple of whole numbers)",
    ),
    (
        "npy-v2-header-declaring-1GB",
        lambda d: lambda: load_array(write(d / "h.npy", raw_npy("", version=2, declared_length=2**30))),
        "'h.npy' has a damaged .npy header (it declares a header of 1 GB; headers up to 10000 bytes are accepted)",
    ),
    (
        "npy-header-cut-short",
        lambda d: lambda: load_array(write(d / "c.npy", raw_npy("{'descr': '<f8'", declared_length=100))),
        "'c.npy' has a damaged .npy header (it ends inside the header)",
    ),
    (
        "csv-fifo",  # open() on a FIFO waits for a writer forever
        lambda d: lambda: load_array(fifo(d / "x.csv")),
        "Cannot open 'x.csv': it is a named pipe (FIFO), not a file; regular files are accepted.",
    ),
    (
        "npy-fifo",
        lambda d: lambda: load_array(fifo(d / "x.npy")),
        "Cannot open 'x.npy': it is a named pipe (FIFO), not a file",
    ),
    (
        "session-fifo",
        lambda d: lambda: load_session(fifo(d / "x.reluviz")),
        "Cannot open 'x.reluviz': it is a named pipe (FIFO), not a session file",
    ),
    (
        "csv-device-by-symlink",  # /dev/zero never ends: refused before a byte is read
        lambda d: lambda: load_array(symlink(d / "devzero.csv", Path("/dev/zero"))),
        "Cannot open 'devzero.csv': it is a device, not a file; regular files are accepted.",
    ),
    (
        "session-learning-rate-1e308",  # training overflowed to NaN: "cannot convert float NaN to integer"
        lambda d: lambda: load_session(
            session(d / "s.reluviz", {"format": "reluviz-session", "version": 1,
                                      "network": {"trained_learning_rates": [0.5, 1e308]}})
        ),
        "network.trained_learning_rates[1]",
    ),
    (
        "session-learning-rate-above-the-app's-range",
        lambda d: lambda: load_session(
            session(d / "s.reluviz", {"format": "reluviz-session", "version": 1, "network": {"learning_rate": 11}})
        ),
        "a number from 0.001 to 10",
    ),
    (
        "save-name-with-NUL",
        lambda d: lambda: save_array(str(d / "a\x00b.npy"), ARRAY),
        "Cannot save 'a\\x00b.npy': its name holds a NUL character, which no file name may contain",
    ),
    (
        "save-name-over-255-bytes",
        lambda d: lambda: save_array(d / ("é" * 130 + ".npy"), ARRAY),
        "is 264 bytes long, more than the 255 bytes a file name may have",
    ),
    (
        "session-save-name-over-255-bytes",
        lambda d: lambda: save_session(d / ("s" * 256 + ".reluviz"), Session()),
        "more than the 255 bytes a file name may have",
    ),
    (
        "load-name-over-255-bytes",
        lambda d: lambda: load_array(d / ("x" * 300 + ".csv")),
        "more than the 255 bytes a file name may have",
    ),
    (
        "save-over-a-read-only-file",  # refused by its mode bits: root could write it anyway
        lambda d: lambda: save_array(read_only(write(d / "r.npy", b"old")), ARRAY),
        "Cannot save 'r.npy': the file is read-only (the old file is unchanged)",
    ),
    (
        "session-save-over-a-read-only-file",
        lambda d: lambda: save_session(read_only(write(d / "r.reluviz", b"old")), Session()),
        "Cannot save 'r.reluviz': the file is read-only",
    ),
    (
        "save-into-a-fifo",
        lambda d: lambda: save_array(fifo(d / "p.csv"), ARRAY),
        "Cannot save 'p.csv': it is a named pipe (FIFO), not a file",
    ),
    (
        "file-name-with-terminal-escape",  # control characters are escaped, never echoed
        lambda d: lambda: load_array(write(d / "\x1b[2Jx\nred.csv", "1,2\n3\n")),
        "In '\\x1b[2Jx\\x0ared.csv', row 2 has 1 value but row 1 has 2",
    ),
]
CASES += HOSTILE


def symlink(path: Path, target: Path) -> Path:
    path.symlink_to(target)
    return path


def read_only(path: Path) -> Path:
    path.chmod(0o444)
    return path


def sparse_file(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        file.truncate(size)
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def corrupt_member(path: Path, member: str) -> Path:
    """Flip bytes inside a member's compressed data so its checksum fails."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))
    return path


def assert_clear_message(message: str) -> None:
    assert "\n" not in message, message
    assert message.endswith("."), message
    assert len(message) < 400, message
    for noise in ("Traceback", "Error:", "Exception", "errno", "<", 'File "'):
        assert noise not in message, message
    assert message[0].isupper() or message[0] == "'", message


@pytest.mark.parametrize(("make", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_a_clear_message(tmp_path, make, fragment):
    action = make(tmp_path)
    with pytest.raises(InputError) as info:
        action()
    message = str(info.value)
    assert fragment in message
    assert_clear_message(message)
    assert info.value.__cause__ is None or isinstance(info.value.__cause__, InputError)


ACCEPTED = [
    ("csv-bom", lambda d: write(d / "b.csv", b"\xef\xbb\xbf1,2\r\n3,4\r\n"), [[1, 2], [3, 4]]),
    ("csv-decimal-comma-semicolon", lambda d: write(d / "e.csv", "1,5;2\n-0,25;1e3\n"),
     [[1.5, 2], [-0.25, 1000]]),
    ("tsv-decimal-comma", lambda d: write(d / "e.tsv", "1,5\t2\n3\t4,5\n"), [[1.5, 2], [3, 4.5]]),
    ("csv-nan-inf", lambda d: write(d / "n.csv", "nan,inf\n-inf,-0\n"),
     [[np.nan, np.inf], [-np.inf, -0.0]]),
    ("csv-blank-lines-and-crlf", lambda d: write(d / "c.csv", "\r\n1,2\r\n\r\n3,4\r\n\r\n"),
     [[1, 2], [3, 4]]),
]  # fmt: skip


@pytest.mark.parametrize(("make", "expected"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_accepted(tmp_path, make, expected):
    loaded = load_array(make(tmp_path))
    expected = np.array(expected, dtype=np.float64)
    assert loaded.dtype == np.float64
    assert loaded.tobytes() == expected.tobytes()


def test_session_with_missing_and_extra_keys_loads(tmp_path):
    meta = {"format": "reluviz-session", "version": 1, "precision": 6, "from_the_future": {}}
    loaded = load_session(session(tmp_path / "s.reluviz", meta))
    assert loaded.precision == 6
    assert loaded.current_view == Session().current_view


def test_50MB_csv_within_limits_is_parsed(tmp_path):
    """A 50 MB file inside the limits is read, not refused (it parses in about a second)."""
    path = big_csv(tmp_path / "big.csv", 4000, 3280)  # 4000 × 3280 cells, ~50 MB
    assert path.stat().st_size > 50 * 1000 * 1000
    loaded = load_array(path)
    assert loaded.shape == (4000, 3280)
    assert loaded[-1, :4].tolist()[:2] == [-1.5, 2.0] and np.isnan(loaded[-1, 2])


@pytest.mark.parametrize(
    "make",
    [
        lambda d: lambda: load_array(write(d / "h.npy", npy_header((10**6, 10**6)).ljust(200))),
        lambda d: lambda: load_array(write(d / "h.npy", npy_header((4096, 4096)).ljust(200))),
        lambda d: lambda: load_session(lie_about_size(session(d / "s.reluviz"), "z.npy", 4_000_000_000)),
        lambda d: lambda: load_array(
            sparse_file(write(d / "h.npy", raw_npy("", version=2, declared_length=2**30)), 2**30 + 12)
        ),
    ],
    ids=["npy-10^12", "npy-4096²-truncated", "session-lying-size", "npy-1GB-header-in-a-sparse-file"],
)
def test_refused_before_memory_is_allocated(tmp_path, make):
    action = make(tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(InputError):
            action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 * MB, f"peak {peak} bytes"


def test_read_only_file_is_left_byte_identical(tmp_path):
    path = read_only(write(tmp_path / "r.csv", b"old bytes"))
    with pytest.raises(InputError):
        save_array(path, ARRAY)
    assert path.read_bytes() == b"old bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]  # no temporary file left behind


def test_a_long_name_that_fits_is_saved(tmp_path):
    """A 255-byte name is legal; the temporary file next to it must not be longer than that."""
    path = tmp_path / ("n" * 251 + ".npy")
    save_array(path, ARRAY)
    assert load_array(path).tobytes() == ARRAY.tobytes()


# -- pasted and typed text: what looks like a number but must not be read as one ---------------

LOOKALIKE_NUMBERS = [
    ("nan-with-payload", "nan(123)\t1", "holds 'nan(123)', which is not a number"),
    ("nan-open-paren", "1\tnan(", "holds 'nan(', which is not a number"),
    ("nan-payload-in-a-list", "[nan(1), 2]", "holds 'nan(1)', which is not a number"),
    ("arabic-indic-digits", "\u0661\u0662\t3", "holds '\u0661\u0662', which is not a number"),
    ("fullwidth-digits", "\uff11\uff12,3", "holds '\uff11\uff12', which is not a number"),
    ("mathematical-bold-digits", "\U0001d7cf,2", "which is not a number"),
    ("arabic-indic-in-brackets", "[\u0661, 2]", "which is not a number"),
    ("hex-float", "0x1p3\t1", "holds '0x1p3', which is not a number"),
    ("terminal-escape-is-escaped", "1\x1b[31m,2", "holds '1\\x1b[31m', which is not a number"),
    ("5000-digit-int64", "array([" + "9" * 5000 + "], dtype=int64)",
     "holds a 5000-digit number, which does not fit in int64"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "fragment"), [c[1:] for c in LOOKALIKE_NUMBERS], ids=[c[0] for c in LOOKALIKE_NUMBERS]
)
def test_lookalike_numbers_are_refused(text, fragment):
    with pytest.raises(InputError) as info:
        parse_pasted_block(text)
    assert fragment in str(info.value)
    assert_clear_message(str(info.value))


@pytest.mark.parametrize("text", ["\u0661", "\uff11\uff12", "\U0001d7cf", "1\u0660", "nan(1)"])
def test_lookalike_digits_typed_into_a_cell_are_refused(text):
    with pytest.raises(CellValueError, match="is not a number"):
        parse_cell_value(text, np.dtype(np.float64))


AMBIGUOUS_COMMAS = [
    # (id, text, cell, decimal reading, thousands reading)
    ("tab", "1,000\t2", "1,000", [[1.0, 2.0]], [[1000.0, 2.0]]),
    ("semicolon-negative", "3;-12,345\n4;5", "-12,345", [[3, -12.345], [4, 5]], [[3, -12345], [4, 5]]),
    ("crlf-second-row", "1\t2\r\n3\t4,000\r\n", "4,000", [[1, 2], [3, 4]], [[1, 2], [3, 4000]]),
]


@pytest.mark.parametrize(("text", "cell", "decimal", "thousands"), [c[1:] for c in AMBIGUOUS_COMMAS],
                         ids=[c[0] for c in AMBIGUOUS_COMMAS])
def test_ambiguous_comma_paste_reports_both_readings(text, cell, decimal, thousands):
    with pytest.raises(AmbiguousCommaError) as info:
        parse_pasted_block(text)
    error = info.value
    assert error.cell == cell
    assert error.decimal.tolist() == decimal
    assert error.thousands.tolist() == thousands
    message = str(error)
    assert f"'{cell}', which reads as {cell.replace(',', '')} (comma as thousands separator)" in message
    assert f"or as {float(cell.replace(',', '.'))!r} (decimal comma)" in message
    assert_clear_message(message)


def test_ambiguous_comma_file_is_refused_naming_both_readings(tmp_path):
    with pytest.raises(AmbiguousCommaError) as info:
        load_array(write(tmp_path / "a.tsv", "5\t6\n1,000\t2\n"))
    assert str(info.value).startswith(
        "In 'a.tsv', row 2, column 1 holds '1,000', which reads as 1000 (comma as thousands separator) "
        "or as 1.0 (decimal comma)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000\t1,5", [[1.0, 1.5]]),  # one cell with a decimal comma settles it
        ("1,5;2,25", [[1.5, 2.25]]),
        ("1,000,2", [[1.0, 0.0, 2.0]]),  # commas separate the cells: no question
        ("1000\t2", [[1000.0, 2.0]]),
    ],
)
def test_unambiguous_commas_still_read(text, expected):
    assert parse_pasted_block(text).tolist() == expected


def test_a_full_disk_is_said_in_words_and_leaves_the_old_file(tmp_path, monkeypatch):
    """NumPy reports a short write as '262144 requested and 129520 written', with no errno."""
    path = write(tmp_path / "z.npy", npy_bytes(ARRAY))
    old = path.read_bytes()

    def short_write(file, array, allow_pickle=False):
        file.write(b"partial")
        raise OSError("262144 requested and 129520 written")

    monkeypatch.setattr(np, "save", short_write)
    with pytest.raises(InputError) as info:
        save_array(path, np.zeros((64, 64)))
    assert str(info.value) == (
        "Cannot save 'z.npy': the disk is full (the old file is unchanged); free some space or choose another disk."
    )
    assert path.read_bytes() == old and [p.name for p in tmp_path.iterdir()] == ["z.npy"]


def test_a_folder_name_with_control_characters_is_escaped(tmp_path):
    folder = tmp_path / "a\x1b]0;pwned\x07b"
    with pytest.raises(InputError) as info:
        load_array(folder / "z.csv")
    message = str(info.value)
    assert "\x1b" not in message and "\x07" not in message and "a\\x1b]0;pwned\\x07b" in message


def test_a_python_2_style_header_is_read_or_refused_without_a_warning(tmp_path):
    """'3L' sends NumPy down its Python 2 path, which warns; found by the fuzzer (warnings are errors here)."""
    with pytest.raises(InputError, match=r"damaged \.npy header"):
        load_array(write(tmp_path / "l.npy", raw_npy("1L")))
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1L, 2L), }\n"
    loaded = load_array(write(tmp_path / "p.npy", raw_npy(header) + np.array([1.0, 2.0]).tobytes()))
    assert loaded.tolist() == [[1.0, 2.0]]
