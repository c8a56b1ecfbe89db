""""Copy as Python": a runnable script that rebuilds the current arrays exactly and runs the book's lines.

Every value is written so that it reads back to the same bits: float64 as Python's ``repr``
(shortest round-trip: ``0.1``, ``-0.0``, ``5e-324``), ``np.nan``/``np.inf``, narrower floats as
NumPy's shortest text for their width (``0.1`` for a float32 0.1), integers as integers. A NaN whose
bits are not the ordinary ``np.nan`` (another payload or its sign bit set) is written as ``np.nan``
and then patched bit for bit through an integer view, with a comment saying so. The script prints
``mask`` and ``drelu`` with NumPy's own printing.
"""

from __future__ import annotations

import numpy as np

from reluviz.core.io.cell_value import format_value
from reluviz.core.teaching.code_steps import code_lines

__all__ = ["MAX_SCRIPT_CELLS", "ScriptTooLargeError", "array_literal", "python_script"]

# A script is for reading and pasting: beyond this many cells per array (a 256 x 256 array) it would
# be megabytes of text; the file exports (.npy) are the way to move big arrays.
MAX_SCRIPT_CELLS = 65536

_CANONICAL_NAN = {np.dtype(t): np.array(np.nan, dtype=t).tobytes() for t in (np.float16, np.float32, np.float64)}
_UINT_OF_WIDTH = {2: np.uint16, 4: np.uint32, 8: np.uint64}


class ScriptTooLargeError(ValueError):
    """The arrays are too big for a script to be worth pasting; the message says the limit."""


def _dtype_expression(dtype: np.dtype) -> str:
    if dtype.isnative and hasattr(np, dtype.name):
        return f"np.{dtype.name}"
    return f"np.dtype({dtype.str!r})"


# How a script spells the values Python itself writes as ``nan`` and ``inf`` (names, not literals).
_NUMPY_SPELLING = {"nan": "np.nan", "inf": "np.inf", "-inf": "-np.inf"}


def _scalar_text(value: np.generic) -> str:
    """``value`` as a Python literal that reads back to the same value of its dtype."""
    if not isinstance(value, (np.bool_, np.integer, np.floating)):
        raise TypeError(f"cannot write {value.dtype} values into a script")
    # Full precision is the shortest text that reads back exactly; for float16/32 that text is
    # read by np.array as float64 and rounded to the narrower width, a double rounding that is
    # always exact because float64 keeps more than 2p + 2 bits (p = 24 or 11).
    text = format_value(value, precision=None)
    return _NUMPY_SPELLING.get(text, text)


def _nested(array: np.ndarray, indent: str) -> str:
    """Nested lists, one row per line, columns right-aligned."""
    if array.ndim == 1:
        return "[" + ", ".join(_scalar_text(v) for v in array) + "]"
    if array.ndim == 2:
        cells = [[_scalar_text(v) for v in row] for row in array]
        widths = [max(len(r[c]) for r in cells) for c in range(array.shape[1])]
        rows = ["[" + ", ".join(t.rjust(w) for t, w in zip(r, widths, strict=True)) + "]" for r in cells]
        return "[" + f",\n{indent} ".join(rows) + "]"
    inner = indent + " "
    return "[" + f",\n{inner}".join(_nested(sub, inner) for sub in array) + "]"


def _nan_patches(name: str, array: np.ndarray) -> list[str]:
    """Lines that set, through an unsigned-integer view, each NaN whose bits are not ``np.nan``'s."""
    if array.dtype.kind != "f":
        return []
    native = array.dtype.newbyteorder("=")
    uint = np.dtype(_UINT_OF_WIDTH[array.dtype.itemsize]).newbyteorder(array.dtype.byteorder)
    bits = array.view(uint)
    nan_cells = list(zip(*np.nonzero(np.isnan(array)), strict=True)) if array.ndim else (
        [()] if np.isnan(array) else [])
    lines = []
    for index in nan_cells:
        if np.array(array[index]).astype(native).tobytes() != _CANONICAL_NAN[native]:
            where = ", ".join(str(int(i)) for i in index) or "()"
            lines.append(f"{name}.view({_dtype_expression(uint)})[{where}] = {hex(int(bits[index]))}"
                         "  # a NaN with other bits than np.nan")
    return lines


def array_literal(name: str, array: np.ndarray) -> str:
    """Python source that binds ``name`` to an array with ``array``'s dtype, shape and bits.

    Raises
    ------
    TypeError
        For dtypes other than bool, integer and float16/32/64 (the app holds no others).
    """
    array = np.asarray(array)
    if array.dtype.kind not in "biuf" or (array.dtype.kind == "f" and array.dtype.itemsize > 8):
        raise TypeError(f"cannot write {array.dtype} arrays into a script")
    dtype = _dtype_expression(array.dtype)
    if array.size == 0:
        source = f"{name} = np.zeros({array.shape!r}, dtype={dtype})"
    elif array.ndim == 0:
        source = f"{name} = np.array({_scalar_text(array[()])}, dtype={dtype})"
    else:
        prefix = f"{name} = np.array("
        source = f"{prefix}{_nested(array, ' ' * len(prefix))}, dtype={dtype})"
    return "\n".join([source, *_nan_patches(name, array)])


def python_script(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> str:
    """A runnable script: rebuild ``z`` and ``dvalues`` exactly, run the book's lines, print the result.

    Parameters
    ----------
    z, dvalues : numpy.ndarray
        The current arrays (bool, integer or float16/32/64).
    inclusive : bool, default True
        Writes ``z <= 0`` when True, ``z < 0`` when False.

    Raises
    ------
    ScriptTooLargeError
        When an array has more than :data:`MAX_SCRIPT_CELLS` cells.
    """
    z = np.asarray(z)
    dvalues = np.asarray(dvalues)
    for name, array in (("z", z), ("dvalues", dvalues)):
        if array.size > MAX_SCRIPT_CELLS:
            raise ScriptTooLargeError(
                f"{name} has {array.size} cells; Copy as Python writes up to {MAX_SCRIPT_CELLS} "
                "(256 x 256). Save the arrays as .npy to move bigger ones."
            )
    parts = [
        "import numpy as np",
        "",
        array_literal("z", z),
        array_literal("dvalues", dvalues),
        "",
        *code_lines(inclusive),
        "",
        'print("mask =")',
        "print(mask)",
        'print("drelu =")',
        "print(drelu)",
        "",
    ]
    return "\n".join(parts)
