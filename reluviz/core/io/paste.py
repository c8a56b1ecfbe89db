"""Turn text into an array (a paste, or a .csv/.tsv/.txt file) and an array into clipboard text.

Accepted text, all parsed without ``eval`` or ``ast.literal_eval``:

* a block copied from a spreadsheet: tab-separated, with ``\\n`` or ``\\r\\n`` line ends;
* CSV (``,`` or ``;`` separated, cells optionally wrapped in double quotes) or
  whitespace-separated columns; with ``;`` or tabs, decimal commas (``1,5``) read as ``1.5``
  when no cell uses a decimal point;
* a NumPy repr such as ``array([[1., -2.], [3., nan]])`` (a ``dtype=float32`` suffix is kept
  when it names an integer or floating-point dtype), the ``print()`` form ``[[1. 2.] [3. 4.]]``,
  or nested Python lists ``[[1, 2], [3, 4]]``;
* a single number.

Numbers may be written ``1``, ``-0.``, ``.5``, ``2e-3``, ``nan``, ``inf``, ``-inf``. A finite
literal too large for the dtype (``1e400``) is refused rather than read as infinity. The result is
always 2-D: one line or a flat list becomes one row. Sizes are checked before arrays are built.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reluviz.core.io.limits import MAX_PASTE_CHARS, InputError, format_bytes, format_shape
from reluviz.core.io.paste_brackets import _ARRAY_PREFIX, _parse_bracketed
from reluviz.core.io.paste_cells import _PASTED
from reluviz.core.io.paste_table import AmbiguousCommaError, parse_table_text

__all__ = ["AmbiguousCommaError", "format_block", "parse_pasted_block", "parse_table_text"]


def parse_pasted_block(text: str) -> np.ndarray:
    """Parse pasted text into a 2-D array.

    Parameters
    ----------
    text : str
        A spreadsheet block (tab-separated), CSV, whitespace-separated columns, a NumPy repr
        (``array([[1., -2.], [3., nan]])``, optionally ``dtype=float32``), NumPy's printed form
        (``[[1. 2.] [3. 4.]]``), nested Python lists (``[[1, 2], [3, 4]]``) or a single number.
        Nothing is evaluated as code.

    Returns
    -------
    numpy.ndarray
        A 2-D array: float64, or the integer/floating dtype a NumPy repr names. A flat list or a
        single line becomes one row; a single number becomes 1×1.

    Raises
    ------
    InputError
        The text is empty, too large (over 64 MB or 4096 rows/columns), ragged, holds something
        that is not a number, has unbalanced brackets, names a non-numeric dtype, or holds a
        value the dtype cannot hold (``1e400``, NaN in an integer array).

    Examples
    --------
    >>> parse_pasted_block("1\\t-2\\r\\n3\\tnan\\r\\n")
    array([[ 1., -2.],
           [ 3., nan]])
    >>> parse_pasted_block("array([1, 2], dtype=int32)")
    array([[1, 2]], dtype=int32)
    """
    if len(text) > MAX_PASTE_CHARS:
        raise InputError(
            f"The pasted text is {format_bytes(len(text))} long; text up to "
            f"{format_bytes(MAX_PASTE_CHARS)} is accepted."
        )
    stripped = text.strip().removeprefix("\ufeff").strip()
    if not stripped:
        raise InputError(
            "The pasted text is empty; numbers separated by tabs, commas or spaces, or a NumPy "
            "array such as [[1, 2], [3, 4]], are accepted."
        )
    if stripped.startswith("[") or _ARRAY_PREFIX.match(stripped):
        if "\u2212" in stripped:
            stripped = stripped.replace("\u2212", "-")
        return _parse_bracketed(stripped)
    return parse_table_text(text, _PASTED)


def format_block(array: ArrayLike, delimiter: str = "\t") -> str:
    """Write an array as tab-separated text for the clipboard (or as CSV rows).

    Every value is written at full (``repr``) precision of its float64 value, so pasting the
    text back gives the same numbers bit for bit: ``-0.0``, ``nan``, ``inf`` and ``-inf`` are
    kept, and float32 values are written exactly.

    Parameters
    ----------
    array : array_like
        A 1-D (one row) or 2-D array of integers or floats with at least one element.
    delimiter : str, default "\t"
        What separates cells; ``","`` writes CSV rows.

    Returns
    -------
    str
        One line per row, cells separated by ``delimiter``, each line ending in ``\\n``.

    Raises
    ------
    InputError
        The array is empty, not 1-D or 2-D, or not of an integer or floating-point dtype.

    Examples
    --------
    >>> format_block([[1.0, -0.0], [float("nan"), 2.5]])
    '1.0\\t-0.0\\nnan\\t2.5\\n'
    """
    a = np.asarray(array)
    if a.dtype.kind not in "iuf":
        raise InputError(f"Only integer or floating-point arrays can be copied as text, not {a.dtype}.")
    if a.ndim not in (1, 2) or a.size == 0:
        raise InputError(
            f"An array of shape {format_shape(a.shape)} cannot be copied as text; 1-D and 2-D "
            "arrays with at least one element can."
        )
    if a.ndim == 1:
        a = a[np.newaxis, :]
    if a.dtype.kind == "f":
        a = a.astype(np.float64, copy=False)
    return "".join(delimiter.join(map(repr, row)) + "\n" for row in a.tolist())
