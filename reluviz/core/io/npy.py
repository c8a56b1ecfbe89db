"""Read ``.npy`` data without unpickling, checking its header before anything is allocated.

The header's shape, dtype and byte count are checked against the limits in
:mod:`reluviz.core.io.limits` and against the bytes the file really holds; :func:`check_array` is
the same dtype and shape check for an array already in memory. All refusals raise
:class:`~reluviz.core.io.limits.InputError` with a one-sentence message.
"""

from __future__ import annotations

import re
import struct
import tokenize
import warnings
from typing import IO, Protocol

import numpy as np
from numpy.typing import ArrayLike

from reluviz.core.io.limits import (
    ACCEPTED_DTYPES,
    ACCEPTED_DTYPES_TEXT,
    MAX_NPY_HEADER_BYTES,
    MAX_SIDE,
    InputError,
    format_bytes,
    format_shape,
)

__all__ = ["ACCEPTED_DTYPES", "check_array", "read_npy"]

_ACCEPTED_TEXT = f"arrays of {ACCEPTED_DTYPES_TEXT} are accepted"
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
