"""Load and save the arrays a user edits: ``.npy`` (never unpickled), ``.csv``, ``.tsv``, ``.txt``.

Every load checks sizes before it allocates: a ``.npy`` goes through :func:`~reluviz.core.io.npy.read_npy`,
which checks its header against the limits in :mod:`reluviz.core.io.limits` and against the bytes
the file really holds; a text file's size is checked before it is read and its text parsed by
:func:`~reluviz.core.io.paste.parse_table_text`. Every save is atomic
(:func:`~reluviz.core.io.files.write_atomically`), so a failed save leaves the old file
byte-identical. All refusals raise :class:`~reluviz.core.io.limits.InputError` with a one-sentence
message.

The names this module gathers from :mod:`~reluviz.core.io.files` and :mod:`~reluviz.core.io.npy`
are listed in ``__all__`` as before, so ``from reluviz.core.io.array_files import …`` reads as the
one place for array files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.typing import ArrayLike

from reluviz.core.io.files import (
    _folder_target,
    _name_problem,
    _quoted,
    check_replaceable,
    open_error,
    open_regular_file,
    write_atomically,
)
from reluviz.core.io.limits import MAX_FILE_BYTES, InputError, format_bytes
from reluviz.core.io.npy import ACCEPTED_DTYPES, check_array, read_npy
from reluviz.core.io.paste import format_block, parse_table_text

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

_SUFFIX_TEXT = ".npy, .csv, .tsv or .txt"


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
        :func:`read_npy` and :func:`reluviz.core.io.paste.parse_table_text`). Text files over 64 MB
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
