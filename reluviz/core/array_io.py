"""Load and save the arrays a user edits: ``.npy`` (never unpickled), ``.csv``, ``.tsv``, ``.txt``.

Every load checks sizes before it allocates: a ``.npy`` header is read and its shape, dtype and
byte count are checked against the limits in :mod:`reluviz.core.limits` and against the bytes the
file really holds; a text file's size is checked before it is read. Every save is atomic: the
data goes to a temporary file in the same folder, which then replaces the target in one step, so a
failed save leaves the old file byte-identical. All refusals raise
:class:`~reluviz.core.limits.InputError` with a one-sentence message.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import struct
import tokenize
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO, Protocol

import numpy as np
from numpy.typing import ArrayLike

from reluviz.core.limits import (
    ACCEPTED_DTYPES,
    ACCEPTED_DTYPES_TEXT,
    MAX_FILE_BYTES,
    MAX_NPY_HEADER_BYTES,
    MAX_SIDE,
    InputError,
    format_bytes,
    format_shape,
    printable,
)
from reluviz.core.paste import format_block, parse_table_text

__all__ = [
    "ACCEPTED_DTYPES",
    "LOADABLE_SUFFIXES",
    "SAVABLE_SUFFIXES",
    "check_array",
    "check_replaceable",
    "load_array",
    "open_error",
    "open_regular_file",
    "read_npy",
    "save_array",
    "write_atomically",
]

LOADABLE_SUFFIXES = (".npy", ".csv", ".tsv", ".txt")
"""File name endings :func:`load_array` opens (case-insensitive)."""

SAVABLE_SUFFIXES = (".npy", ".csv", ".tsv", ".txt")
"""File name endings :func:`save_array` writes: ``.csv`` is comma-separated, the others tabs."""

_ACCEPTED_TEXT = f"arrays of {ACCEPTED_DTYPES_TEXT} are accepted"
_SUFFIX_TEXT = ".npy, .csv, .tsv or .txt"
_CHUNK = 16 * 1024 * 1024


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _CountingReader:
    """Counts the header bytes NumPy's header readers consume (they only call ``read``)."""

    def __init__(self, file: _Readable) -> None:
        self._file = file
        self.count = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self._file.read(size)
        self.count += len(data)
        return data


def _quoted(path: str | os.PathLike[str]) -> str:
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    if len(name) > 64:  # a 255-byte name would swamp the sentence
        name = name[:40] + "…" + name[-12:]
    return "'" + printable(name) + "'"


MAX_NAME_BYTES = 255
"""Longest file name (one path component) in bytes, as ext4, APFS and NTFS allow."""


def _name_problem(path: Path) -> str | None:
    """Say why a path can never name a file, or ``None``: a NUL character or an over-long name."""
    text = os.fspath(path)
    if "\x00" in text:
        return "its name holds a NUL character, which no file name may contain"
    for part in path.parts:
        length = len(os.fsencode(part))
        if length > MAX_NAME_BYTES:
            return (
                f"the name {printable(part[:24])}… is {length} bytes long, more than the "
                f"{MAX_NAME_BYTES} bytes a file name may have"
            )
    return None


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def open_regular_file(path: str | os.PathLike[str], kind: str = "file") -> BinaryIO:
    """Open a regular file for reading, refusing pipes, devices and sockets before any read.

    A FIFO named ``x.csv`` would block forever in ``open`` (waiting for a writer) and
    ``/dev/zero`` would never end, so the file is opened without blocking and its type checked
    on the open descriptor (no race between a check and the open).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    kind : str, default "file"
        What messages call it, e.g. ``"session file"``.

    Returns
    -------
    BinaryIO
        The file, opened ``"rb"`` (blocking mode restored); the caller closes it.

    Raises
    ------
    InputError
        The file does not exist, cannot be opened, or is not a regular file.
    """
    p = Path(path)
    problem = _name_problem(p)
    if problem:
        raise InputError(f"Cannot open {_quoted(p)}: {problem}.")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise open_error(p, exc, kind=kind) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"Cannot open {_quoted(p)}: it is a folder, not a {kind}.")
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise InputError(f"Cannot open {_quoted(p)}: it is {what}, not a {kind}; regular files are accepted.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _dtype_problem(dtype: np.dtype) -> str | None:
    """Say what a refused dtype holds, or ``None`` when it is accepted."""
    if dtype.hasobject:
        return "holds Python objects (reading them needs unpickling, which reluviz never does)"
    if dtype.fields is not None or dtype.subdtype is not None or dtype.kind == "V":
        names = ", ".join(list(dtype.names or ())[:5])
        return f"holds structured records (fields {names})" if names else "holds raw records"
    if dtype.newbyteorder("=") in ACCEPTED_DTYPES:
        return None
    kinds = {
        "b": "holds bool values",
        "c": "holds complex numbers",
        "U": "holds text",
        "S": "holds bytes",
        "M": "holds dates",
        "m": "holds time spans",
    }
    return kinds.get(dtype.kind, f"holds {dtype.name} values")


def _shape_problem(shape: tuple[int, ...]) -> str | None:
    """Say why a shape is refused, or ``None`` when it is accepted."""
    ndim = len(shape)
    if ndim == 0:
        return f"holds a single value (a 0-d array); 1-D and 2-D arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted"
    if ndim > 2:
        return (
            f"holds a {ndim}-D array ({format_shape(shape)}); 1-D and 2-D arrays "
            f"up to {MAX_SIDE}×{MAX_SIDE} are accepted"
        )
    if any(n < 0 for n in shape):
        return f"declares the impossible shape {shape}; 1-D and 2-D arrays are accepted"
    if max(shape) > MAX_SIDE:
        return f"declares {format_shape(shape)} elements; arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted"
    if min(shape) == 0:
        return f"holds an empty array ({format_shape(shape)}); arrays from 1×1 up to {MAX_SIDE}×{MAX_SIDE} are accepted"
    return None


def check_array(array: ArrayLike, name: str = "the array") -> np.ndarray:
    """Check that an array is one reluviz can show and save, and return it as 2-D.

    Parameters
    ----------
    array : array_like
        The array to check.
    name : str, default "the array"
        How the message names it, e.g. ``"z"``.

    Returns
    -------
    numpy.ndarray
        The array itself when 2-D, or a ``(1, n)`` view of a 1-D array.

    Raises
    ------
    InputError
        The dtype is not an integer or float dtype of up to 8 bytes, the array is not 1-D or 2-D,
        is empty, or has more than 4096 rows or columns.
    """
    a = np.asarray(array)
    problem = _dtype_problem(a.dtype) or _shape_problem(a.shape)
    if problem:
        raise _refuse(name[:1].upper() + name[1:], problem)
    return a.reshape(1, -1) if a.ndim == 1 else a


def _refuse(name: str, problem: str) -> InputError:
    if "accepted" in problem:
        return InputError(f"{name} {problem}.")
    return InputError(f"{name} {problem}; {_ACCEPTED_TEXT}.")


def read_npy(file: IO[bytes], size: int, name: str = "the .npy data") -> np.ndarray:
    """Read one ``.npy`` array from an open binary file, safely.

    The header is read first (``numpy.lib.format``, at most 10000 bytes) and the declared dtype,
    shape and byte count are checked against the limits and against ``size`` before any memory
    is allocated for the data. Nothing is ever unpickled.

    Parameters
    ----------
    file : binary file
        Positioned at the start of the ``.npy`` data: a file opened ``"rb"``, a zip member, a
        ``BytesIO``.
    size : int
        How many bytes the ``.npy`` data has in all (the file size, or the zip member's size).
    name : str, default "the .npy data"
        How messages name the data, e.g. ``"'z.npy'"``.

    Returns
    -------
    numpy.ndarray
        A C-contiguous 2-D array in native byte order with the file's dtype; a 1-D array comes
        back as one row, shape ``(1, n)``.

    Raises
    ------
    InputError
        Not a ``.npy`` file, damaged header, refused dtype (object, structured, text, bytes, bool,
        complex, dates, wider than 8 bytes), refused shape (0-d, more than 2-D, empty, over
        4096×4096), or truncated data.
    """
    counter = _CountingReader(file)
    shape, fortran_order, dtype = _read_npy_header(counter, name)
    problem = _dtype_problem(dtype) or _shape_problem(tuple(shape))
    if problem:
        raise _refuse(name, problem)
    count = 1
    for n in shape:
        count *= n
    nbytes = count * dtype.itemsize
    available = size - counter.count
    if available < nbytes:
        raise _truncated(name, shape, dtype, nbytes, max(available, 0))
    buffer = np.empty(nbytes, dtype=np.uint8)
    got = 0
    while got < nbytes:  # in chunks, so a zip member is never held twice in memory
        chunk = file.read(min(_CHUNK, nbytes - got))
        if not chunk:
            raise _truncated(name, shape, dtype, nbytes, got)
        buffer[got : got + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        got += len(chunk)
    flat = buffer.view(dtype)
    shaped = flat.reshape(shape[::-1]).T if fortran_order else flat.reshape(shape)
    result = np.ascontiguousarray(shaped, dtype=dtype.newbyteorder("="))
    return result.reshape(1, -1) if result.ndim == 1 else result


# What numpy.save writes as the shape: a tuple of plain non-negative integers. Anything else
# (unary minus chains that make ast.literal_eval recurse, True, names, nested tuples) is refused
# before NumPy's parser sees it.
_SHAPE_ENTRY = re.compile(r"""['"]shape['"]\s*:\s*\(\s*(?:[0-9]+L?\s*,\s*)*(?:[0-9]+L?\s*)?\)""")
_SHAPE_KEY = re.compile(r"""['"]shape['"]""")


def _damaged_header(name: str, why: str) -> InputError:
    return InputError(f"{name} has a damaged .npy header ({why}); .npy files written by numpy.save are accepted.")


def _read_npy_header(counter: _CountingReader, name: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    """Read and check a ``.npy`` header: its length first, then its shape text, then NumPy parses it."""
    magic = counter.read(8)
    if len(magic) < 8 or magic[:6] != b"\x93NUMPY":
        raise InputError(
            f"{name} is not a .npy file (it does not start with NumPy's magic bytes); .npy files "
            "written by numpy.save are accepted."
        )
    version = (magic[6], magic[7])
    if version == (1, 0):
        length_format, read_header = "<H", np.lib.format.read_array_header_1_0
    elif version in ((2, 0), (3, 0)):  # 3.0 only allows UTF-8 in field names, which are refused
        length_format, read_header = "<I", np.lib.format.read_array_header_2_0
    else:
        raise InputError(
            f"{name} uses .npy format version {version[0]}.{version[1]}; versions 1.0, 2.0 and 3.0 are accepted."
        )
    length_bytes = counter.read(struct.calcsize(length_format))
    if len(length_bytes) < struct.calcsize(length_format):
        raise _damaged_header(name, "it ends inside the header")
    (length,) = struct.unpack(length_format, length_bytes)
    # The declared length is checked before a byte of the header is read: a version-2 header
    # may declare 4 GB.
    if length > MAX_NPY_HEADER_BYTES:
        raise _damaged_header(
            name,
            f"it declares a header of {format_bytes(length)}; headers up to {MAX_NPY_HEADER_BYTES} bytes are accepted",
        )
    header = counter.read(length)
    if len(header) < length:
        raise _damaged_header(name, "it ends inside the header")
    text = header.decode("latin-1")
    if len(_SHAPE_KEY.findall(text)) != len(_SHAPE_ENTRY.findall(text)):  # a second, crafted 'shape' too
        raise _damaged_header(name, "its shape is not a tuple of whole numbers")
    try:
        with warnings.catch_warnings():  # a Python 2 header ("3L") warns "save the file again": no help here
            warnings.simplefilter("ignore")
            shape, fortran_order, dtype = read_header(
                _BytesReader(length_bytes + header), max_header_size=MAX_NPY_HEADER_BYTES
            )
    except (ValueError, SyntaxError, TypeError, OverflowError, MemoryError, RecursionError, KeyError,
            AttributeError, tokenize.TokenError):  # NumPy's parser tokenizes, then literal_evals
        raise _damaged_header(name, "it is not the dictionary numpy.save writes") from None
    if not all(type(n) is int for n in shape) or not isinstance(fortran_order, bool):
        raise _damaged_header(name, "its shape is not a tuple of whole numbers")
    return tuple(shape), fortran_order, dtype


class _BytesReader:
    """The already-read header bytes, offered to NumPy's header parser."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read(self, size: int = -1, /) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk = self._data[self._pos : end]
        self._pos += len(chunk)
        return chunk


def _truncated(name: str, shape: tuple[int, ...], dtype: np.dtype, nbytes: int, available: int) -> InputError:
    return InputError(
        f"{name} is truncated: its header declares {format_shape(shape)} {dtype.name} values "
        f"({format_bytes(nbytes)}) but only {format_bytes(available)} of data follow; complete "
        ".npy files are accepted."
    )


def open_error(path: Path, exc: OSError, doing: str = "open", kind: str = "file") -> InputError:
    """The one-sentence :class:`InputError` for an ``OSError`` met while opening ``path``."""
    name = _quoted(path)
    if isinstance(exc, FileNotFoundError):
        return InputError(f"Cannot {doing} {name}: there is no such file in '{printable(str(path.parent))}'.")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"Cannot {doing} {name}: it is a folder, not a {kind}.")
    if isinstance(exc, PermissionError):
        return InputError(f"Cannot {doing} {name}: permission denied.")
    reason = exc.strerror or str(exc)
    return InputError(f"Cannot {doing} {name}: {reason[:1].lower()}{reason[1:]}.")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" from spreadsheets: UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Numbers are ASCII in every encoding; a legacy-encoded header is then refused as text.
        return data.decode("latin-1")


def load_array(path: str | os.PathLike[str]) -> np.ndarray:
    """Load a 2-D array from a ``.npy``, ``.csv``, ``.tsv`` or ``.txt`` file.

    Parameters
    ----------
    path : str or os.PathLike
        The file. Its ending (case-insensitive) chooses the reader: ``.npy`` keeps the file's
        dtype (integers and floats up to 8 bytes); text files give float64, with the separator
        (tab, ``;``, ``,`` or whitespace) detected, a UTF-8 byte-order mark dropped, and decimal
        commas read when cells are separated by ``;`` or tabs.

    Returns
    -------
    numpy.ndarray
        A C-contiguous 2-D array in native byte order; a 1-D ``.npy`` array becomes one row.

    Raises
    ------
    InputError
        The file cannot be opened, has another ending, or its contents are refused (see
        :func:`read_npy` and :func:`reluviz.core.paste.parse_table_text`). Text files over 64 MB
        are refused from their size, before they are read.
    """
    p = Path(path)
    name = _quoted(p)
    suffix = p.suffix.lower()
    if suffix not in LOADABLE_SUFFIXES:
        raise InputError(f"Cannot open {name}: reluviz opens {_SUFFIX_TEXT} files.")
    file = open_regular_file(p)
    try:
        with file:
            size = os.fstat(file.fileno()).st_size
            if suffix == ".npy":
                return read_npy(file, size, name)
            if size > MAX_FILE_BYTES:
                raise _too_big(name, size)
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise open_error(p, exc) from None
    if len(data) > MAX_FILE_BYTES:  # the file grew while it was read
        raise _too_big(name, len(data))
    return parse_table_text(_decode(data), source=name)


def _too_big(name: str, size: int) -> InputError:
    # "is 64 MB; up to 64 MB are accepted" would contradict itself when rounding hides the excess.
    shown = format_bytes(size)
    size_text = f"larger than {format_bytes(MAX_FILE_BYTES)}" if shown == format_bytes(MAX_FILE_BYTES) else shown
    return InputError(
        f"{name} is {size_text}; text files up to {format_bytes(MAX_FILE_BYTES)} are "
        "accepted (save larger arrays as .npy)."
    )


# NumPy's tofile reports a short write on a full disk as "262144 requested and 129520 written",
# without an errno.
_SHORT_WRITE = re.compile(r"\d+ requested and \d+ written")


def _save_error(path: Path, exc: OSError) -> InputError:
    name = _quoted(path)
    folder = path.parent
    kept = " (the old file is unchanged)" if path.exists() else ""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(
            f"Cannot save {name}: permission denied in '{printable(str(folder))}'{kept}; choose a folder you can "
            "write to."
        )
    if exc.errno == errno.EROFS:
        return InputError(
            f"Cannot save {name}: '{printable(str(folder))}' is on a read-only disk{kept}; choose a folder you can "
            "write to."
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or _SHORT_WRITE.search(str(exc)):
        return InputError(f"Cannot save {name}: the disk is full{kept}; free some space or choose another disk.")
    reason = exc.strerror or str(exc)
    return InputError(f"Cannot save {name}: {reason[:1].lower()}{reason[1:]}{kept}; choose another location.")


def _folder_target(path: Path) -> InputError:
    return InputError(f"Cannot save to '{path}': it is a folder; choose a file name inside it instead.")


def check_replaceable(path: str | os.PathLike[str]) -> None:
    """Refuse to replace an existing file whose mode bits say it is read-only, or a non-file.

    The mode bits are read rather than tried with a write: root may write any file, so a plain
    write would silently replace a file its owner marked read-only.

    Raises
    ------
    InputError
        ``path`` exists and has no write permission bit, or is a pipe, device or socket.
    """
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except (OSError, ValueError):
        return  # nothing there yet (or a name the save itself refuses with a message)
    if stat.S_ISDIR(mode):
        raise _folder_target(p)
    if not stat.S_ISREG(mode):
        what = next((kind for test, kind in _KINDS if test(mode)), "not a regular file")
        raise InputError(f"Cannot save {_quoted(p)}: it is {what}, not a file; choose a file name.")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise InputError(
            f"Cannot save {_quoted(p)}: the file is read-only (the old file is unchanged); "
            "make it writable or choose another name."
        )


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> None:
    """Write a file so that it is either wholly new or untouched.

    ``write`` fills a temporary file in the target's folder; the temporary file is flushed to
    disk and then replaces ``path`` in one ``os.replace``. If anything fails, the temporary file
    is removed and ``path`` keeps its old bytes. A replaced file keeps its permission bits.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace.
    write : callable
        Called once with the open binary temporary file.

    Raises
    ------
    InputError
        The name holds a NUL or is over 255 bytes, the folder does not exist, ``path`` is a
        folder, a pipe or a device, or a read-only file (by its mode bits), or the disk refuses the write
        (permission, read-only, full). Any other exception from ``write`` propagates unchanged,
        after the temporary file is removed.
    """
    p = Path(path)
    name = _quoted(p)
    problem = _name_problem(p)
    if problem:
        raise InputError(f"Cannot save {name}: {problem}; choose another name.")
    folder = p.parent
    if p.is_dir():
        raise _folder_target(p)
    if not folder.is_dir():
        raise InputError(
            f"Cannot save {name}: the folder '{printable(str(folder))}' does not exist; choose an existing folder."
        )
    check_replaceable(p)
    # The temporary name must itself fit in 255 bytes: keep at most 200 bytes of the target's.
    stem = os.fsencode(p.name)[:200].decode(errors="ignore") or "file"
    temp = folder / f".{stem}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise _save_error(p, exc) from None
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(os.stat(p).st_mode))
        except OSError:
            pass  # a new file keeps the mode the umask gave it
        os.replace(temp, p)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _save_error(p, exc) from None
        raise


def save_array(path: str | os.PathLike[str], array: ArrayLike) -> None:
    """Save an array atomically as ``.npy`` or as text.

    ``.npy`` keeps the dtype exactly (``numpy.save`` with ``allow_pickle=False``). ``.csv``
    (commas) and ``.tsv``/``.txt`` (tabs) write every value at full ``repr`` precision of its
    float64 value, so loading the file gives the same values bit for bit, ``-0.0``, ``nan``,
    ``inf`` and ``-inf`` included (text files always load as float64).

    Parameters
    ----------
    path : str or os.PathLike
        The target file; its ending chooses the format.
    array : array_like
        A 1-D or 2-D integer or float array, at most 4096×4096.

    Raises
    ------
    InputError
        An unknown ending, a refused array (see :func:`check_array`), text that would exceed the
        64 MB that :func:`load_array` reads (a 2048×2048 array of random float64 needs about
        80 MB as text; use ``.npy``), or a failed write (see :func:`write_atomically`); after a
        failed write the old file is unchanged.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    problem = _name_problem(p)
    if problem:
        raise InputError(f"Cannot save {_quoted(p)}: {problem}; choose another name.")
    if p.is_dir():
        raise _folder_target(p)
    if suffix not in SAVABLE_SUFFIXES:
        raise InputError(f"Cannot save {_quoted(p)}: the file name must end in {_SUFFIX_TEXT}.")
    a = np.asarray(array)
    check_array(a, "the array to save")
    if suffix == ".npy":
        write_atomically(p, lambda file: np.save(file, a, allow_pickle=False))
        return
    if a.size * 2 > MAX_FILE_BYTES:  # every cell takes at least 2 characters ("0,")
        raise _too_big_to_save(p, a.size * 2, at_least=True)
    if a.dtype.kind in "iu" and a.size and max(abs(int(a.min())), abs(int(a.max()))) > 2**53:
        # Text loads back as float64, which holds integers exactly only up to 2**53.
        raise InputError(f"Cannot save {_quoted(p)} as text: its integers go beyond 2**53, which text files "
                         "(read back as float64) cannot hold exactly; save it as .npy instead.")
    text = format_block(a, delimiter="," if suffix == ".csv" else "\t")
    if len(text) > MAX_FILE_BYTES:  # a saved file must load again
        raise _too_big_to_save(p, len(text), at_least=False)
    data = text.encode("ascii")

    def write_text(file: BinaryIO) -> None:
        file.write(data)

    write_atomically(p, write_text)


def _too_big_to_save(path: Path, size: int, at_least: bool) -> InputError:
    return InputError(
        f"Cannot save {_quoted(path)}: as text it would be {'at least ' * at_least}"
        f"{format_bytes(size)}, and text files up to {format_bytes(MAX_FILE_BYTES)} are accepted; "
        "save this array as .npy instead."
    )
