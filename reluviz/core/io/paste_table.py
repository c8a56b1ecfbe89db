"""Rows of numbers as text (a spreadsheet paste, a .csv/.tsv/.txt file) to a float64 array.

The separator is sniffed (tab, ``;``, ``,`` or whitespace), cells may be wrapped in double quotes,
and decimal commas (``1,5``) are read when cells are separated by ``;`` or tabs and no cell uses a
decimal point. Text whose commas could be decimal commas or thousands separators (``1,000``) is
refused with :class:`AmbiguousCommaError`, which carries both readings.
"""

from __future__ import annotations

import csv
import functools
import re

import numpy as np

from reluviz.core.io.limits import MAX_PASTE_CHARS, MAX_SIDE, InputError, format_bytes
from reluviz.core.io.paste_cells import (
    _PASTED,
    _cap,
    _check_overflow,
    _check_side,
    _fast_values,
    _ragged,
    _show,
    _slow_values,
)

# A cell where the comma may be a thousands separator as well as a decimal comma: "1,000".
_THOUSANDS_LIKE = re.compile(r"[+-]?[0-9]{1,3},[0-9]{3}")
_COMMA_CELL = re.compile(r'[^\s;"]*,[^\s;"]*')
_BLANK_LINE = re.compile(r"^[ \t\f\v]*$", re.MULTILINE)


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
    text = _normalised_text(text, where)
    rows = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not rows:
        raise InputError(
            _cap(f"{where} is empty; rows of numbers separated by tabs, commas, semicolons or spaces are accepted.")
        )
    delimiter = _sniff([line for _, line in rows[:20]])
    decimal_comma = delimiter in ("\t", ";") and "," in text and "." not in text
    if decimal_comma:
        _refuse_ambiguous_commas(text, rows, where, delimiter)
    return _parse_rows_of_text(rows, where, delimiter, decimal_comma)


def _normalised_text(text: str, where: str) -> str:
    """Refuse text too long or binary; drop a byte-order mark; unify line ends and minus signs.

    Also refuses more than MAX_SIDE non-blank lines, counted before any line is split.
    """
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
    return text


def _refuse_ambiguous_commas(text: str, rows: list[tuple[int, str]], where: str, delimiter: str) -> None:
    """Raise :class:`AmbiguousCommaError` when every comma cell reads as ``1,000`` both ways."""
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
