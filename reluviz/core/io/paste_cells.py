"""Reading cells of pasted or file text as numbers, and the messages that name a bad cell.

Shared by the table-lines reader (:mod:`~reluviz.core.io.paste_table`) and the bracketed-array
reader (:mod:`~reluviz.core.io.paste_brackets`): the strict number syntax, the fast C path for a
whole row, the cell-by-cell fallback that names the bad cell, overflow and size refusals, and the
casts to the dtype a NumPy repr names.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import numpy as np

from reluviz.core.io.limits import MAX_SIDE, InputError, printable

_PASTED = "the pasted text"

# ASCII digits only: Python's float() and \d also take Arabic-Indic, fullwidth and mathematical
# digits, which look like other numbers (or like nothing) to the person reading the file.
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|nan|inf(?:inity)?)", re.IGNORECASE)
_INFINITY = re.compile(r"[+-]?inf(?:inity)?", re.IGNORECASE)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_LONGEST_INTEGER = 20  # digits of 2**64; a longer literal cannot fit any integer dtype
# C's strtod (behind np.fromstring) also reads hex floats ("0x1p3"), "nan(123)" and "nan(";
# a line with these characters, or any non-ASCII one, goes to the strict cell-by-cell reader.
# (Plain substring tests: a regex over every line cost 2 s on a 50 MB file.)
_STRTOD_ONLY = ("(", "x", "X")

_ACCEPTED_NUMBERS = "numbers such as 1.5, -2e-3, nan or inf"


def _probe_fromstring_raises() -> bool:
    """Whether this NumPy's ``fromstring`` raises on bad text (newer) or only warns (older)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            np.fromstring("x", sep=",")
        except ValueError:
            return True
    return False


_FROMSTRING_RAISES = _probe_fromstring_raises()


def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _show(cell: str, limit: int = 24) -> str:
    """Quote a cell's text for a message, shortened when long."""
    text = cell if len(cell) <= limit else cell[: limit - 1] + "…"
    return "'" + printable(text).replace("'", "\u2019") + "'"


def _fast_values(line: str, sep: str) -> np.ndarray | None:
    """Parse one row of numbers in C; ``None`` when any part of it is not a number."""
    if not line.isascii() or any(mark in line for mark in _STRTOD_ONLY):
        return None
    try:
        if _FROMSTRING_RAISES:
            return np.fromstring(line, sep=sep)
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            return np.fromstring(line, sep=sep)
    except (ValueError, DeprecationWarning):
        return None


def _cell_value(raw: str, row: int, col: int, where: str, decimal_comma: bool) -> float:
    """Read one cell strictly, or raise the message that says which cell and why."""
    cell = raw.strip()
    if decimal_comma:
        cell = cell.replace(",", ".")
    if not cell:
        raise InputError(
            f"In {where}, row {row}, column {col} is empty; every cell needs a number (write nan for a missing value)."
        )
    if not _NUMBER.fullmatch(cell):
        hint = ""
        if "," in raw:
            hint = (
                " (a decimal comma such as 1,5 is read only when cells are separated by ';' "
                "or tabs and no cell uses a decimal point)"
            )
        raise InputError(
            f"In {where}, row {row}, column {col} holds {_show(raw.strip())}, which is not a "
            f"number; cells must hold {_ACCEPTED_NUMBERS}{hint}."
        )
    return float(cell)


def _slow_values(cells: list[str], row: int, where: str, decimal_comma: bool, header_hint: bool) -> np.ndarray:
    if (
        header_hint
        and len(cells) > 1
        and all(any(ch.isalpha() for ch in c) for c in cells)
        and not any(_NUMBER.fullmatch(c.strip()) for c in cells)
    ):
        shown = ", ".join(_show(c.strip()) for c in cells[:3]) + (", …" if len(cells) > 3 else "")
        raise InputError(
            f"In {where}, row {row} looks like a header ({shown}); only numbers are accepted, so remove the header row."
        )
    return np.array(
        [_cell_value(c, row, col, where, decimal_comma) for col, c in enumerate(cells, 1)],
        dtype=np.float64,
    )


def _check_overflow(values: np.ndarray, cells: list[str], row: int, where: str, dtype: np.dtype) -> None:
    """Refuse a finite literal that became ±inf (``1e400``): the dtype cannot hold it."""
    for col in (int(i) for i in np.flatnonzero(np.isinf(values))):
        text = cells[col].strip()
        if not _INFINITY.fullmatch(text):
            largest = float(np.finfo(dtype).max)
            raise InputError(
                f"In {where}, row {row}, column {col + 1} holds {_show(text)}, which is too large "
                f"for {dtype.name} (largest about {largest:.1e}); write inf for infinity."
            )


def _ragged(where: str, row: int, count: int, first_row: int, n_cols: int) -> InputError:
    return InputError(
        f"In {where}, row {row} has {count} value{'s' * (count != 1)} but row {first_row} has "
        f"{n_cols}; every row needs the same number of values."
    )


def _check_side(where: str, count: int, what: str) -> None:
    if count > MAX_SIDE:
        raise InputError(_cap(f"{where} has {count} {what}; arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted."))


def _integer_rows(rows: list[list[str]], dtype: np.dtype) -> np.ndarray:
    info = np.iinfo(dtype)
    out = np.empty((len(rows), len(rows[0])), dtype=dtype)
    for r, cells in enumerate(rows):
        for c, raw in enumerate(cells):
            text = raw.strip()
            if not _INTEGER.fullmatch(text) or len(text.lstrip("+-")) > _LONGEST_INTEGER:
                if _INTEGER.fullmatch(text):  # int() of 5,000 digits raises; none of them fit anyway
                    raise InputError(
                        f"In the pasted text, row {r + 1}, column {c + 1} holds a {len(text.lstrip('+-'))}-digit "
                        f"number, which does not fit in {dtype.name}; it holds whole numbers from {info.min} "
                        f"to {info.max}."
                    )
                raise InputError(
                    f"In the pasted text, row {r + 1}, column {c + 1} holds {_show(text)}, which "
                    f"is not a whole number; dtype={dtype.name} holds whole numbers from "
                    f"{info.min} to {info.max}."
                )
            value = int(text)
            if not info.min <= value <= info.max:
                raise InputError(
                    f"In the pasted text, row {r + 1}, column {c + 1} holds {_show(text)}, which "
                    f"does not fit in {dtype.name}; it holds whole numbers from {info.min} to "
                    f"{info.max}."
                )
            out[r, c] = value
    return out


def _cast_values(values: np.ndarray, cells_of: Callable[[int], list[str]], dtype: np.dtype) -> np.ndarray:
    """Cast parsed float64 values to a floating ``dtype``, refusing values it cannot hold.

    ``cells_of(r)`` gives the texts of row ``r``, split only when a message needs one.
    """
    for r in np.flatnonzero(~np.isfinite(values).all(axis=1)):
        _check_overflow(values[r], cells_of(int(r)), int(r) + 1, _PASTED, np.dtype(np.float64))
    if dtype == np.float64:
        return values
    with np.errstate(over="ignore"):
        cast = values.astype(dtype)
    overflow = np.isinf(cast) & np.isfinite(values)
    if overflow.any():
        row, col = (int(i) for i in np.argwhere(overflow)[0].tolist())
        raise InputError(
            f"In the pasted text, row {row + 1}, column {col + 1} holds {_show(cells_of(row)[col].strip())}, "
            f"which is too large for {dtype.name} (largest about "
            f"{float(np.finfo(dtype).max):.1e}); write inf for infinity."
        )
    return cast
