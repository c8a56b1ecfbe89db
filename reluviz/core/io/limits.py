"""The numeric limits every input reader shares, and the one error they all raise.

A file, a pasted block or a session is checked against these numbers *before* memory is
allocated for it, so a hostile or mistaken input is refused quickly and nothing the user had is
lost. Each refusal is an :class:`InputError` whose message is one sentence saying what was wrong
and what is accepted, ready to show in a dialog as it is.
"""

from __future__ import annotations

import unicodedata

import numpy as np

__all__ = [
    "ACCEPTED_DTYPES",
    "ACCEPTED_DTYPES_TEXT",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_ITEMSIZE",
    "MAX_NPY_BYTES",
    "MAX_NPY_HEADER_BYTES",
    "MAX_PASTE_CHARS",
    "MAX_SESSION_BYTES",
    "MAX_SESSION_JSON_BYTES",
    "MAX_SIDE",
    "MAX_ZIP_DIRECTORY_BYTES",
    "InputError",
    "format_bytes",
    "format_shape",
    "printable",
    "shape_mismatch_text",
]

MAX_SIDE = 4096
"""Most rows, and most columns, an array may have."""

MAX_CELLS = MAX_SIDE * MAX_SIDE
"""Most elements an array may have (4096 × 4096)."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest text file (.csv, .tsv, .txt) read, in bytes (64 MB).

``.npy`` files are bounded by their shape instead (see :data:`MAX_NPY_BYTES`): a 4096 × 4096
float64 array needs 128 MB.
"""

MAX_PASTE_CHARS = MAX_FILE_BYTES
"""Longest pasted text parsed, in characters."""

MAX_ITEMSIZE = 8
"""Widest accepted element in bytes (int64, uint64, float64)."""

MAX_NPY_HEADER_BYTES = 10_000
"""Longest ``.npy`` header read (NumPy's own default guard)."""

MAX_NPY_BYTES = MAX_CELLS * MAX_ITEMSIZE + 64 * 1024
"""Largest ``.npy`` payload: a 4096 × 4096 float64 array plus room for its header."""

MAX_SESSION_JSON_BYTES = 1024 * 1024
"""Largest ``session.json`` inside a session file (1 MB)."""

MAX_SESSION_BYTES = 2 * MAX_NPY_BYTES + MAX_SESSION_JSON_BYTES + 1024 * 1024
"""Largest session file on disk: two largest arrays, the JSON, and zip overhead."""

MAX_ZIP_DIRECTORY_BYTES = 64 * 1024
"""Largest zip central directory read from a session (a session has three members)."""

ACCEPTED_DTYPES = tuple(
    np.dtype(name)
    for name in (
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64",
    )
)  # fmt: skip
"""The dtypes an array may have: integers and floats up to 8 bytes wide (files: any byte order)."""

ACCEPTED_DTYPES_TEXT = "integers (int8…int64, uint8…uint64) or floats (float16, float32, float64)"
""":data:`ACCEPTED_DTYPES` as messages name them: ``f"... {ACCEPTED_DTYPES_TEXT} are accepted."``."""


class InputError(ValueError):
    """An input reluviz cannot use: a file, pasted text, a session, or a place to save.

    The message is one plain sentence that says what was wrong and what is accepted, including
    the numbers of any limit, e.g. ``"'z.npy' declares 1000000×1000000 elements; arrays up to
    4096×4096 are accepted."``. Show it to the user as it is.
    """


def format_shape(shape: tuple[int, ...]) -> str:
    """Write a shape the way messages show it.

    Parameters
    ----------
    shape : tuple of int
        An array shape.

    Returns
    -------
    str
        ``"3×4"`` for ``(3, 4)``, ``"5"`` for ``(5,)`` and ``"a scalar"`` for ``()``.
    """
    if not shape:
        return "a scalar"
    return "×".join(str(int(n)) for n in shape)


def shape_mismatch_text(z_shape: tuple[int, ...], dvalues_shape: tuple[int, ...], *, z_name: str = "z",
                        dvalues_name: str = "dvalues") -> str:
    """Say that ``z`` and ``dvalues`` differ in shape, the one way every reader and writer says it.

    Parameters
    ----------
    z_shape, dvalues_shape : tuple of int
        The two shapes.
    z_name, dvalues_name : str, default "z", "dvalues"
        What to call the two arrays (``"the recorded z"``, a file name).

    Returns
    -------
    str
        e.g. ``"z is 3×4 but dvalues is 4×3; they must have the same shape"``, without a full
        stop: a caller adds one, or a reason first, and the CLI prints it as it is.
    """
    return (f"{z_name} is {format_shape(z_shape)} but {dvalues_name} is {format_shape(dvalues_shape)}; "
            "they must have the same shape")


def format_bytes(n: int) -> str:
    """Write a byte count for a message, in binary units.

    Parameters
    ----------
    n : int
        A number of bytes.

    Returns
    -------
    str
        e.g. ``"812 bytes"``, ``"12.5 KB"``, ``"64 MB"``, ``"1.5 GB"``.
    """
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def printable(text: str) -> str:
    """Escape what a message must never echo raw: control, format and separator characters.

    Text from a file or a paste (a cell, a file name) may hold escape sequences that would
    drive a terminal, line breaks that split a one-line message, or invisible direction marks
    that reorder what is shown. Each such character becomes a visible ``\\xNN``/``\\uNNNN``
    escape; ordinary letters (any script) and spaces are kept.

    Parameters
    ----------
    text : str
        Text that came from outside the program.

    Returns
    -------
    str
        The text, with every character of Unicode category C* (control, format, surrogate,
        private use, unassigned) or Z* other than a plain space written as an escape.
    """
    if text.isprintable():  # the common case, one C-level scan (space counts as printable)
        return text
    out = []
    for ch in text:
        if ch == " " or not unicodedata.category(ch).startswith(("C", "Z")):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)
