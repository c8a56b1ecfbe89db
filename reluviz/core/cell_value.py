"""Turn the text typed into a cell into a value of the array's dtype, or explain why not.

Edits are cast through the array's own dtype (as Spyder's array editor does) and refused with a
message when they do not fit: NaN in an int array, ``1e400`` or 5000 digits (which ``float()``
would silently turn into inf), ``1,5`` (a decimal comma), hex, or text that is not a number.
"""

from __future__ import annotations

import math
import re

import numpy as np

__all__ = ["CellValueError", "format_value", "parse_cell_value"]

_INF_WORDS = {"inf", "+inf", "infinity", "+infinity"}
_NEG_INF_WORDS = {"-inf", "-infinity"}
_NAN_WORDS = {"nan", "+nan", "-nan"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
# A plain decimal number: sign, digits with an optional dot, an optional exponent. No hex, no
# underscores, no spaces inside: what a person types into a spreadsheet cell.
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class CellValueError(ValueError):
    """A typed value that cannot go into the cell; the message says why and what is accepted."""


def parse_cell_value(text: str, dtype: np.dtype) -> np.generic:
    """Parse ``text`` as one value of ``dtype``.

    Parameters
    ----------
    text : str
        What the user typed. Surrounding spaces are ignored.
    dtype : numpy.dtype
        The dtype of the array the value goes into (a float or integer dtype).

    Returns
    -------
    numpy.generic
        The value as a NumPy scalar of ``dtype``; ``-0`` stays ``-0.0`` for floats.

    Raises
    ------
    CellValueError
        If the text is not a number, or the number cannot be held by ``dtype`` without changing it.
    """
    dtype = np.dtype(dtype)
    stripped = text.strip()
    if not stripped:
        raise CellValueError("Empty cell: type a number such as 1.5, -2, 0, nan or inf.")
    lowered = stripped.lower()
    if _DECIMAL_COMMA.match(stripped):
        raise CellValueError(
            f"'{stripped}' uses a decimal comma; use a dot: {stripped.replace(',', '.')}"
        )
    is_special = lowered in _INF_WORDS | _NEG_INF_WORDS | _NAN_WORDS
    if not is_special and not _DECIMAL.match(stripped):
        shown = stripped if len(stripped) <= 24 else stripped[:21] + "..."
        raise CellValueError(
            f"'{shown}' is not a number; type a decimal such as 1.5, -2, 3e-4, nan or inf."
        )
    if dtype.kind == "f":
        return _parse_float(stripped, lowered, is_special, dtype)
    if dtype.kind in "iu":
        return _parse_int(stripped, is_special, dtype)
    raise CellValueError(f"Cells of dtype {dtype} cannot be edited; int and float arrays can.")


def _parse_float(stripped: str, lowered: str, is_special: bool, dtype: np.dtype) -> np.generic:
    value = float(lowered.lstrip("+") if lowered in _NAN_WORDS else stripped)
    if math.isinf(value) and not is_special:
        info = np.finfo(dtype)
        raise CellValueError(
            f"{_short(stripped)} is too large for {dtype} (largest is ±{float(info.max):.4g}); "
            "type inf if you mean infinity."
        )
    with np.errstate(over="ignore", under="ignore"):
        cast = dtype.type(value)
    if cast == 0 and not is_special and _has_nonzero_digit(stripped):
        info = np.finfo(dtype)
        raise CellValueError(
            f"{_short(stripped)} is too small for {dtype}: it would become 0 (smallest is "
            f"{float(info.smallest_subnormal):.3g}); type 0 if you mean zero."
        )
    if math.isfinite(value) and not np.isfinite(cast):
        info = np.finfo(dtype)
        raise CellValueError(
            f"{_short(stripped)} is too large for {dtype} (largest is ±{float(info.max):.4g})."
        )
    return cast


def _parse_int(stripped: str, is_special: bool, dtype: np.dtype) -> np.generic:
    if is_special:
        raise CellValueError(f"{dtype} cannot hold nan or inf; type a whole number.")
    if len(stripped.lstrip("+-")) > 40:
        # Python refuses int() of very long digit strings; no integer dtype holds 40 digits.
        raise CellValueError(f"{_short(stripped)} does not fit in {dtype}.")
    value = float(stripped)
    if not math.isfinite(value) or not value.is_integer():
        raise CellValueError(f"{_short(stripped)} is not a whole number; {dtype} holds integers only.")
    as_int = int(value) if "e" in stripped.lower() or "." in stripped else int(stripped)
    info = np.iinfo(dtype)
    if not info.min <= as_int <= info.max:
        raise CellValueError(
            f"{_short(stripped)} does not fit in {dtype} (range {info.min} to {info.max})."
        )
    return dtype.type(as_int)


def _has_nonzero_digit(text: str) -> bool:
    mantissa = text.lower().split("e")[0]
    return any(ch in "123456789" for ch in mantissa)


def _short(text: str) -> str:
    return f"'{text}'" if len(text) <= 24 else f"'{text[:21]}...' ({len(text)} characters)"


def format_value(value: float | np.generic, significant: int = 3) -> str:
    """Format one value for display inside a cell.

    Parameters
    ----------
    value : float or numpy scalar
        The value to show.
    significant : int, default 3
        Significant digits (the precision setting).

    Returns
    -------
    str
        ``-0`` for negative zero, ``nan``/``inf``/``-inf`` for non-finite values, integers as
        integers, otherwise the shortest general form with ``significant`` digits.
    """
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return format(number, f".{max(1, significant)}g")
