"""Turn the text typed into a cell into a value of the array's dtype, or explain why not.

Edits are cast through the array's own dtype (as Spyder's array editor does) and refused with a
message when they do not fit: NaN in an int array, ``1e400`` or 5000 digits (which ``float()``
would silently turn into inf), ``1,5`` (a decimal comma), hex, or text that is not a number.
"""

from __future__ import annotations

import math
import re

import numpy as np

from reluviz.core.io.limits import printable

__all__ = ["CellValueError", "cast_block", "format_value", "negated", "nudged_value", "parse_cell_value"]

# Integers beyond this were rounded when the text was read as float64: refuse to guess them.
_EXACT_FLOAT_INT = 2**53

_INF_WORDS = {"inf", "+inf", "infinity", "+infinity"}
_NEG_INF_WORDS = {"-inf", "-infinity"}
_NAN_WORDS = {"nan", "+nan", "-nan"}
_DECIMAL_COMMA = re.compile(r"^[+-]?[0-9]*,[0-9]+$")
# A plain decimal number: sign, digits with an optional dot, an optional exponent. No hex, no
# underscores, no spaces inside: what a person types into a spreadsheet cell. ASCII digits only
# (\d and float() also take Arabic-Indic, fullwidth and mathematical digits); "$" would also
# match before a trailing newline, so fullmatch is used.
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


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
            f"'{printable(stripped)}' uses a decimal comma; use a dot: {stripped.replace(',', '.')}"
        )
    is_special = lowered in _INF_WORDS | _NEG_INF_WORDS | _NAN_WORDS
    if not is_special and not _DECIMAL.fullmatch(stripped):
        shown = printable(stripped if len(stripped) <= 24 else stripped[:21] + "...")
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
    return f"'{printable(text)}'" if len(text) <= 24 else f"'{printable(text[:21])}...' ({len(text)} characters)"


def format_value(value: float | np.generic, precision: int | None = 3, *, fixed: bool = False) -> str:
    """Write one array value for people to read: the one scalar formatter of the app.

    Cells, colour-bar labels, the status bar, the teaching sentences, the generated script and the
    network's step cards and node labels all write numbers through here, so ``nan``, ``-0`` and
    ``inf`` look the same everywhere.

    Parameters
    ----------
    value : float, int, bool or numpy scalar
        The value to show.
    precision : int or None, default 3
        Significant digits (the precision setting, at least 1). ``None`` writes the value in full:
        the shortest text that reads back to the same value of its own dtype, as Python writes it
        (``-1.0``, ``-0.0``, ``0.1`` for a float32 0.1, ``7``, ``True``).
    fixed : bool, default False
        Keep ``precision`` digits including trailing zeros (``4.80``, ``0.0100``, ``-12.0``)
        from 0.01 up to ``10**precision``, and a compact exponent outside that (``1.2e5``,
        ``4.0e-3``): labels in a column line up. Ignored when ``precision`` is ``None``.

    Returns
    -------
    str
        ``nan``, ``inf`` or ``-inf`` for non-finite values; integers and booleans as Python writes
        them; otherwise as described above. A negative zero keeps its sign (``-0`` or ``-0.0``).

    Examples
    --------
    >>> format_value(-0.0), format_value(2.0), format_value(0.123456, 2), format_value(float("nan"))
    ('-0', '2', '0.12', 'nan')
    >>> format_value(np.float32(0.1), None), format_value(1 / 3, None), format_value(np.int8(-7), None)
    ('0.1', '0.3333333333333333', '-7')
    >>> format_value(4.8, 3, fixed=True), format_value(123456.0, 3, fixed=True)
    ('4.80', '1.2e5')
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if precision is None:
        if isinstance(value, np.floating) and value.dtype.itemsize < 8:
            return str(value)  # NumPy's shortest text for float16/float32, which reads back exactly
        return repr(number)
    digits = max(1, precision)
    if fixed and number != 0:
        return _fixed_text(number, digits)
    return format(number, f".{digits}g")


def _fixed_text(number: float, digits: int) -> str:
    """``format_value(..., fixed=True)`` of a finite non-zero ``number``."""
    rounded = float(f"{number:.{digits}g}")  # round first: 9.996 becomes 10.0, not "10.00"
    magnitude = abs(rounded)
    if 0.01 <= magnitude <= 10.0**digits:
        decimals = max(digits - 1 - math.floor(math.log10(magnitude)), 0)
        return f"{rounded:.{decimals}f}"
    return f"{number:.{max(digits - 2, 0)}e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def cast_block(block: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Cast a parsed block (a paste) to the target array's dtype, refusing what it cannot hold.

    The rules are the ones typed cells follow: no NaN/inf in integers, no fractions, nothing
    outside the integer range (compared exactly, not through float), no overflow to inf and no
    underflow to 0 in floats.

    Raises
    ------
    CellValueError
        Naming the first offending row and column (counted from 1, as in a spreadsheet).
    """
    dtype = np.dtype(dtype)
    if block.dtype == dtype:
        return block
    if dtype.kind == "f":
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            cast = block.astype(dtype)
        finite_in = np.isfinite(block) if block.dtype.kind == "f" else np.ones(block.shape, bool)
        _refuse_first(finite_in & ~np.isfinite(cast), block, f"is too large for {dtype}")
        _refuse_first((cast == 0) & (block != 0), block, f"is too small for {dtype} (it would become 0)")
        return cast
    if dtype.kind not in "iu":
        raise CellValueError(f"cells of dtype {dtype} cannot be pasted into; int and float arrays can.")
    info = np.iinfo(dtype)
    if block.dtype.kind == "f":
        _refuse_first(~np.isfinite(block), block, f"cannot go into {dtype} (no nan or inf in integers)")
        _refuse_first(block != np.round(block), block, f"is not a whole number; {dtype} holds integers only")
        _refuse_first(np.abs(block) > _EXACT_FLOAT_INT, block,
                      "is too large to paste exactly (beyond 2**53); open it from a .npy file instead")
    elif block.dtype.kind not in "iu":
        raise CellValueError(f"a {block.dtype} block cannot go into {dtype}.")
    if block.size:
        # Exact comparison in Python ints: float(2**63 - 1) would round up to 2**63.
        low, high = int(block.min()), int(block.max())
        if low < info.min or high > info.max:
            bad = (block < 0) & (low < info.min) if low < info.min else block == block.max()
            _refuse_first(bad if bad.any() else np.ones(block.shape, bool), block,
                          f"does not fit in {dtype} (whole numbers from {info.min} to {info.max})")
    return block.astype(dtype)


def _refuse_first(bad: np.ndarray, block: np.ndarray, why: str) -> None:
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise CellValueError(f"row {row + 1}, column {col + 1}: {block[row, col].item()!r} {why}.")


def nudged_value(old: np.generic, steps: float, step: float) -> np.generic | None:
    """``old`` moved by ``steps`` nudge steps, snapped to the step grid; ``None`` if it cannot move.

    Snapping (and dropping float noise) makes nudging cross exactly 0, so the mask's behaviour at
    0 can be seen. NaN and ±inf do not move; a value that would overflow its dtype stays.
    Integers move by whole steps of at least 1 and stop at their dtype's limits.
    """
    dtype = np.asarray(old).dtype
    if dtype.kind == "f":
        current = float(old)
        moved = current + steps * step
        if not (math.isfinite(current) and math.isfinite(moved) and math.isfinite(moved / step)):
            return None
        snapped = round(round(moved / step) * step, 12)
        with np.errstate(over="ignore"):
            value = dtype.type(0.0 if snapped == 0 else snapped)
        return value if np.isfinite(value) else None
    info = np.iinfo(dtype)
    whole_steps = round(steps) * max(1, round(step))
    if whole_steps == 0:
        return None
    return dtype.type(min(info.max, max(info.min, int(old) + whole_steps)))


def negated(array: np.ndarray) -> np.ndarray:
    """``-array``, refusing what the dtype cannot hold (unsigned values, the most negative int).

    Raises
    ------
    CellValueError
        If some value has no negative in the dtype; nothing is changed.
    """
    if array.dtype.kind == "u" and array.any():
        raise CellValueError(f"{array.dtype} holds no negative numbers; negate a signed or float array.")
    if array.dtype.kind == "i" and array.size and int(array.min()) == int(np.iinfo(array.dtype).min):
        raise CellValueError(f"{int(np.iinfo(array.dtype).min)} has no positive in {array.dtype}; nothing was negated.")
    return np.negative(array)
