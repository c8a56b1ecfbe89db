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

import csv
import functools
import re
import warnings
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from reluviz.core.io.limits import (
    ACCEPTED_DTYPES,
    ACCEPTED_DTYPES_TEXT,
    MAX_PASTE_CHARS,
    MAX_SIDE,
    InputError,
    format_bytes,
    format_shape,
    printable,
)

__all__ = ["AmbiguousCommaError", "format_block", "parse_pasted_block", "parse_table_text"]

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
# A cell where the comma may be a thousands separator as well as a decimal comma: "1,000".
_THOUSANDS_LIKE = re.compile(r"[+-]?[0-9]{1,3},[0-9]{3}")
_COMMA_CELL = re.compile(r'[^\s;"]*,[^\s;"]*')
_BLANK_LINE = re.compile(r"^[ \t\f\v]*$", re.MULTILINE)
_BRACKET = re.compile(r"[\[\]]")
_SEPARATOR = re.compile(r"\s*,?\s*")
_ARRAY_PREFIX = re.compile(r"(?:(?:np|numpy)\s*\.\s*)?(?:as)?array\s*\(")
_DTYPE_SUFFIX = re.compile(r",\s*dtype\s*=\s*(?:(?:np|numpy)\s*\.\s*)?(['\"]?)([A-Za-z_][\w]*)\1\s*$")
# NumPy 2 prints scalars as np.float64(1.5); inside a pasted list they are unwrapped.
_SCALAR_WRAPPER = re.compile(r"\b(?:np|numpy)\s*\.\s*(?:float|int|uint)\d*_?\(\s*([^()]*?)\s*\)")

_ACCEPTED_NUMBERS = "numbers such as 1.5, -2e-3, nan or inf"
_DTYPES: dict[str, np.dtype] = {dtype.name: dtype for dtype in ACCEPTED_DTYPES}
_DTYPES.update(
    {
        "float": np.dtype(np.float64),
        "double": np.dtype(np.float64),
        "single": np.dtype(np.float32),
        "half": np.dtype(np.float16),
        "int": np.dtype(np.int64),
        "float_": np.dtype(np.float64),
        "int_": np.dtype(np.int64),
    }
)


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


def _split_quoted(line: str, delimiter: str | None, row: int, where: str) -> list[str]:
    """Split a row whose cells may be wrapped in double quotes (CSV rules)."""
    if delimiter is None:
        line, delimiter = " ".join(line.split()), " "
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True, skipinitialspace=True))
    except csv.Error:
        raise InputError(
            f"In {where}, row {row} has an unmatched or misplaced double quote; quotes must "
            'wrap a whole cell, as in "1,5".'
        ) from None


@functools.cache
def _simple_quotes(delimiter: str) -> re.Pattern[str]:
    """A row whose quotes only wrap whole cells that hold no delimiter: ``"1","2.5",3``."""
    d = re.escape(delimiter)
    cell = f'(?: *"[^"{d}]*" *|[^"{d}]*)'
    return re.compile(f"{cell}(?:{d}{cell})*")


def _unquote_simple(line: str, delimiter: str | None) -> str:
    """Drop the quotes of a row whose quotes only wrap whole cells (the fast, common case)."""
    if '"' in line and delimiter is not None and _simple_quotes(delimiter).fullmatch(line):
        return line.replace('"', "")
    return line


def _check_row_width(where: str, line: str, delimiter: str | None) -> None:
    """Refuse a row with more than MAX_SIDE cells without splitting it into millions of strings."""
    if delimiter is not None:
        _check_side(where, line.count(delimiter) + 1, "columns")
    elif len(line.split(None, MAX_SIDE)) > MAX_SIDE:
        raise InputError(
            _cap(f"{where} has more than {MAX_SIDE} columns; arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted.")
        )


def _sniff(sample: list[str]) -> str | None:
    text = "".join(sample)
    for delimiter in ("\t", ";", ","):
        if delimiter in text:
            return delimiter
    return None


def _ragged(where: str, row: int, count: int, first_row: int, n_cols: int) -> InputError:
    return InputError(
        f"In {where}, row {row} has {count} value{'s' * (count != 1)} but row {first_row} has "
        f"{n_cols}; every row needs the same number of values."
    )


def _check_side(where: str, count: int, what: str) -> None:
    if count > MAX_SIDE:
        raise InputError(_cap(f"{where} has {count} {what}; arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted."))


class AmbiguousCommaError(InputError):
    """Text whose commas read as decimal commas or as thousands separators, with no way to tell.

    ``1,000`` in a tab- or ``;``-separated block is 1.0 to a European spreadsheet and 1000 to
    an English one (a 1000× difference). The parser never guesses: it parses both readings and
    raises this. A file refuses with the message; the app asks which reading is meant.

    Attributes
    ----------
    cell : str
        The first ambiguous cell's text, e.g. ``"1,000"``.
    decimal : numpy.ndarray
        The whole text read with decimal commas (``1,000`` is 1.0).
    thousands : numpy.ndarray
        The whole text read with thousands separators (``1,000`` is 1000.0).
    """

    def __init__(self, message: str, cell: str, decimal: np.ndarray, thousands: np.ndarray) -> None:
        super().__init__(message)
        self.cell = cell
        self.decimal = decimal
        self.thousands = thousands


def _first_ambiguous_comma(text: str) -> re.Match[str] | None:
    """The first comma cell when every comma cell reads as both ``1,000`` readings, else ``None``.

    One cell such as ``1,5`` or ``2,25`` shows the text uses decimal commas, so then nothing is
    ambiguous.
    """
    first = None
    for match in _COMMA_CELL.finditer(text):
        if not _THOUSANDS_LIKE.fullmatch(match.group()):
            return None
        first = first or match
    return first


def parse_table_text(text: str, source: str = _PASTED) -> np.ndarray:
    """Parse rows of numbers separated by tabs, ``;``, ``,`` or whitespace into float64.

    This is the reader behind ``.csv``, ``.tsv`` and ``.txt`` files and behind pasted
    spreadsheet blocks.

    Parameters
    ----------
    text : str
        The text. A leading byte-order mark is dropped; ``\\r\\n`` and ``\\r`` count as line
        ends; blank lines are skipped. The separator is the first of tab, ``;``, ``,`` found in
        the first rows, else runs of whitespace.
    source : str, default "the pasted text"
        How messages name the text, e.g. ``"'z.csv'"``.

    Returns
    -------
    numpy.ndarray
        A C-contiguous float64 array of shape ``(rows, columns)``.

    Raises
    ------
    InputError
        The text is empty or too large, rows differ in length (the row is named), a cell is
        empty or not a number (row, column and text are named), a quote is unmatched, or a
        finite number is too large for float64.
    AmbiguousCommaError
        The cells are separated by tabs or ``;`` and every comma is followed by exactly three
        digits (``1,000``), so the commas may be decimal commas or thousands separators; the
        message names both readings of the first such cell.
    """
    where = source
    if len(text) > MAX_PASTE_CHARS:
        raise InputError(
            _cap(f"{where} is {format_bytes(len(text))} long; text up to {format_bytes(MAX_PASTE_CHARS)} is accepted.")
        )
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise InputError(
            _cap(
                f"{where} holds binary data, not text; rows of numbers separated by tabs, "
                "commas, semicolons or spaces are accepted."
            )
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2212" in text:  # the typographic minus sign copied from documents and web pages
        text = text.replace("\u2212", "-")
    n_lines = text.count("\n") + 1
    if n_lines > MAX_SIDE:
        _check_side(where, n_lines - len(_BLANK_LINE.findall(text)), "rows")
    rows = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not rows:
        raise InputError(
            _cap(f"{where} is empty; rows of numbers separated by tabs, commas, semicolons or spaces are accepted.")
        )
    delimiter = _sniff([line for _, line in rows[:20]])
    decimal_comma = delimiter in ("\t", ";") and "," in text and "." not in text
    if decimal_comma:
        ambiguous = _first_ambiguous_comma(text)
        if ambiguous is not None:
            decimal = _parse_rows_of_text(rows, where, delimiter, True)
            thousands = _parse_table_lines(text.replace(",", ""), where)
            cell = ambiguous.group()
            row = text.count("\n", 0, ambiguous.start()) + 1
            line_start = text.rfind("\n", 0, ambiguous.start()) + 1
            column = text.count(delimiter, line_start, ambiguous.start()) + 1
            as_thousands = str(int(cell.replace(",", "")))
            as_decimal = repr(float(cell.replace(",", ".")))
            raise AmbiguousCommaError(
                f"In {where}, row {row}, column {column} holds {_show(cell)}, which reads as {as_thousands} "
                f"(comma as thousands separator) or as {as_decimal} (decimal comma); reluviz does not guess, "
                f"so write it without the comma ({as_thousands}) or with a decimal point ({as_decimal}).",
                cell,
                decimal,
                thousands,
            )
    return _parse_rows_of_text(rows, where, delimiter, decimal_comma)


def _parse_table_lines(text: str, where: str) -> np.ndarray:
    """Split normalised text into numbered non-blank lines and parse them (no comma question)."""
    rows = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    delimiter = _sniff([line for _, line in rows[:20]])
    return _parse_rows_of_text(rows, where, delimiter, False)


def _parse_rows_of_text(
    rows: list[tuple[int, str]], where: str, delimiter: str | None, decimal_comma: bool
) -> np.ndarray:
    """Parse numbered non-blank lines split by ``delimiter`` (``None``: whitespace) into float64."""
    sep = " " if delimiter is None else delimiter

    first_row, first_line = rows[0]
    first_line = _unquote_simple(first_line, delimiter)
    _check_row_width(where, first_line, delimiter)
    if '"' in first_line:
        n_cols = len(_split_quoted(first_line, delimiter, first_row, where))
    elif delimiter is None:
        n_cols = len(first_line.split(None, MAX_SIDE))
    else:
        n_cols = first_line.count(delimiter) + 1
    _check_side(where, n_cols, "columns")

    out = np.empty((len(rows), n_cols), dtype=np.float64)
    for index, (row, line) in enumerate(rows):
        values: np.ndarray | None = None
        line = _unquote_simple(line, delimiter)
        if '"' in line:
            _check_row_width(where, line, delimiter)  # before the CSV reader splits it
            cells = _split_quoted(line, delimiter, row, where)
            if len(cells) != n_cols:
                raise _ragged(where, row, len(cells), first_row, n_cols)
        else:
            if delimiter is None:
                count = len(line.split(None, n_cols))
                if count > n_cols:
                    _check_row_width(where, line, delimiter)
                    count = len(line.split())
            else:
                count = line.count(delimiter) + 1
            if count != n_cols:
                raise _ragged(where, row, count, first_row, n_cols)
            values = _fast_values(line.replace(",", ".") if decimal_comma else line, sep)
            if values is not None and values.size != n_cols:
                values = None
            cells = None
        if values is None:
            if cells is None:
                cells = line.split() if delimiter is None else line.split(delimiter)
            values = _slow_values(cells, row, where, decimal_comma, header_hint=index == 0)
        if not np.isfinite(values).all():
            if cells is None:
                cells = line.split() if delimiter is None else line.split(delimiter)
            _check_overflow(values, cells, row, where, np.dtype(np.float64))
        out[index] = values
    return out


def _dtype_from_name(name: str) -> np.dtype:
    dtype = _DTYPES.get(name)
    if dtype is None:
        raise InputError(
            f"The pasted array has dtype={name}, which is not accepted; {ACCEPTED_DTYPES_TEXT} are accepted."
        )
    return dtype


def _parse_rows(body: str) -> tuple[int, list[str]]:
    """Split ``[[...], [...]]`` or ``[...]`` into the texts of its rows, checking the brackets.

    Returns the nesting depth (1 or 2) and one text per row. Only bracket positions are visited
    in Python, so a large paste costs one step per row, not per number.
    """
    where = _PASTED
    rows: list[str] = []
    depth = 0
    ndim = 0
    pos = 0
    closed = False
    for match in _BRACKET.finditer(body):
        between = body[pos : match.start()]
        pos = match.end()
        if closed:
            raise InputError(
                f"The pasted text continues after its closing bracket with "
                f"{_show(body[match.start() :].strip())}; one array in brackets is accepted."
            )
        if match.group() == "[":  # the caller's body starts with "[": nothing precedes the first one
            if depth == 1:
                if ndim == 0 and between.strip():
                    raise InputError(
                        "The pasted text mixes numbers and brackets in one list; lists of numbers "
                        "([1, 2]) or lists of such lists ([[1, 2], [3, 4]]) are accepted."
                    )
                if ndim == 2 and not _SEPARATOR.fullmatch(between):
                    raise InputError(
                        f"The pasted text has {_show(between.strip())} between two rows; rows "
                        "are separated by commas, as in [[1, 2], [3, 4]]."
                    )
                ndim = 2
                if len(rows) >= MAX_SIDE:
                    _check_side(where, body.count("[") - 1, "rows")
            elif depth > 1:
                raise InputError(
                    "The pasted text has more than two levels of brackets; 1-D and 2-D arrays are accepted."
                )
            depth += 1
        else:  # depth >= 1: the "]" that brings it to 0 sets closed, and closed refuses what follows
            if depth == 2 or ndim == 0:
                rows.append(between)
                ndim = max(ndim, 1)
            elif not _SEPARATOR.fullmatch(between):
                raise InputError(
                    "The pasted text mixes numbers and brackets in one list; lists of numbers "
                    "([1, 2]) or lists of such lists ([[1, 2], [3, 4]]) are accepted."
                )
            depth -= 1
            closed = depth == 0
    if depth or not closed:
        raise InputError(
            "The pasted text has an opening bracket '[' that is never closed; balanced brackets, "
            "as in [[1, 2], [3, 4]], are accepted."
        )
    if body[pos:].strip():
        raise InputError(
            f"The pasted text continues after its closing bracket with "
            f"{_show(body[pos:].strip())}; one array in brackets is accepted."
        )
    return ndim, rows


def _row_text(content: str) -> tuple[str, str, int]:
    """A bracketed row's text, its separator and its number of cells, counted without splitting."""
    text = content.strip().removesuffix(",")
    if "," in text:
        return text, ",", text.count(",") + 1
    return text, " ", len(text.split(None, MAX_SIDE))  # at most MAX_SIDE + 1 pieces


def _row_cells(text: str, sep: str) -> list[str]:
    return text.split(",") if sep == "," else text.split()


def _parse_bracketed(text: str) -> np.ndarray:
    where = _PASTED
    if "..." in text or "…" in text:
        raise InputError(
            "The pasted array is shortened with '...', so its values are missing; paste the full "
            "array (np.set_printoptions(threshold=sys.maxsize) prints every value) or copy it as "
            "CSV."
        )
    dtype = np.dtype(np.float64)
    body = text
    prefix = _ARRAY_PREFIX.match(text)
    if prefix:
        if not text.endswith(")"):
            raise InputError(
                "The pasted text starts with 'array(' but does not end with ')'; a complete NumPy "
                "repr such as array([[1., -2.], [3., nan]]) is accepted."
            )
        body = text[prefix.end() : -1]
        suffix = _DTYPE_SUFFIX.search(body)
        if suffix:
            dtype = _dtype_from_name(suffix.group(2))
            body = body[: suffix.start()]
        body = body.strip()
        if not body.startswith("["):  # array(5.) — a 0-d repr holds one number
            scalar = parse_table_text(body)
            if scalar.size != 1:
                raise InputError(
                    "The pasted array( ) holds no brackets and more than one value; a NumPy repr "
                    "such as array([[1., -2.], [3., nan]]) is accepted."
                )
            if dtype.kind in "iu":
                return _integer_rows([[body]], dtype)
            return _cast_values(scalar, lambda r: [body], dtype)
    if "(" in body:
        body = _SCALAR_WRAPPER.sub(r"\1", body)
    _, rows = _parse_rows(body)
    _check_side(where, len(rows), "rows")
    texts = [_row_text(content) for content in rows]
    n_cols = texts[0][2]
    if texts[0][1] == ",":
        _check_side(where, n_cols, "columns")
    if n_cols > MAX_SIDE:
        raise InputError(
            f"The pasted text has more than {MAX_SIDE} columns; arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted."
        )
    if n_cols == 0:
        raise InputError(f"The pasted array is empty; arrays from 1×1 up to {MAX_SIDE}×{MAX_SIDE} are accepted.")
    for row, (_, _, count) in enumerate(texts, 1):
        if count != n_cols:
            raise _ragged(where, row, count, 1, n_cols)
    if dtype.kind in "iu":
        return _integer_rows([_row_cells(text, sep) for text, sep, _ in texts], dtype)
    out = np.empty((len(rows), n_cols), dtype=np.float64)
    for index, (text, sep, _) in enumerate(texts):
        values: np.ndarray | None = _fast_values(text, sep)
        if values is None or values.size != n_cols:
            values = _slow_values(_row_cells(text, sep), index + 1, where, False, header_hint=False)
        out[index] = values
    return _cast_values(out, lambda r: _row_cells(texts[r][0], texts[r][1]), dtype)


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
