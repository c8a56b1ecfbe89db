"""A pasted NumPy repr (``array([[1., -2.], [3., nan]])``), its ``print()`` form or nested lists.

Nothing is evaluated: only bracket positions are visited in Python, then each row is read by the
cell readers of :mod:`~reluviz.core.io.paste_cells`. A ``dtype=`` suffix naming an integer or
floating-point dtype is kept.
"""

from __future__ import annotations

import re

import numpy as np

from reluviz.core.io.limits import ACCEPTED_DTYPES, ACCEPTED_DTYPES_TEXT, MAX_SIDE, InputError
from reluviz.core.io.paste_cells import (
    _PASTED,
    _cast_values,
    _check_side,
    _fast_values,
    _integer_rows,
    _ragged,
    _show,
    _slow_values,
)
from reluviz.core.io.paste_table import parse_table_text

_BRACKET = re.compile(r"[\[\]]")
_SEPARATOR = re.compile(r"\s*,?\s*")
_ARRAY_PREFIX = re.compile(r"(?:(?:np|numpy)\s*\.\s*)?(?:as)?array\s*\(")
_DTYPE_SUFFIX = re.compile(r",\s*dtype\s*=\s*(?:(?:np|numpy)\s*\.\s*)?(['\"]?)([A-Za-z_][\w]*)\1\s*$")
# NumPy 2 prints scalars as np.float64(1.5); inside a pasted list they are unwrapped.
_SCALAR_WRAPPER = re.compile(r"\b(?:np|numpy)\s*\.\s*(?:float|int|uint)\d*_?\(\s*([^()]*?)\s*\)")

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


def _dtype_from_name(name: str) -> np.dtype:
    dtype = _DTYPES.get(name)
    if dtype is None:
        raise InputError(
            f"The pasted array has dtype={name}, which is not accepted; {ACCEPTED_DTYPES_TEXT} are accepted."
        )
    return dtype


_MIXED = (
    "The pasted text mixes numbers and brackets in one list; lists of numbers "
    "([1, 2]) or lists of such lists ([[1, 2], [3, 4]]) are accepted."
)


def _parse_rows(body: str) -> tuple[int, list[str]]:
    """Split ``[[...], [...]]`` or ``[...]`` into the texts of its rows, checking the brackets.

    Returns the nesting depth (1 or 2) and one text per row. Only bracket positions are visited
    in Python, so a large paste costs one step per row, not per number.
    """
    rows: list[str] = []
    depth = 0
    ndim = 0
    pos = 0
    closed = False
    for match in _BRACKET.finditer(body):
        between = body[pos : match.start()]
        pos = match.end()
        if closed:
            _refuse_text_after_array(body[match.start() :])
        if match.group() == "[":  # the caller's body starts with "[": nothing precedes the first one
            ndim = _open_bracket(between, depth, ndim, len(rows), body)
            depth += 1
        else:  # depth >= 1: the "]" that brings it to 0 sets closed, and closed refuses what follows
            ndim = _close_bracket(between, depth, ndim, rows)
            depth -= 1
            closed = depth == 0
    if depth or not closed:
        raise InputError(
            "The pasted text has an opening bracket '[' that is never closed; balanced brackets, "
            "as in [[1, 2], [3, 4]], are accepted."
        )
    if body[pos:].strip():
        _refuse_text_after_array(body[pos:])
    return ndim, rows


def _refuse_text_after_array(rest: str) -> None:
    raise InputError(
        f"The pasted text continues after its closing bracket with "
        f"{_show(rest.strip())}; one array in brackets is accepted."
    )


def _open_bracket(between: str, depth: int, ndim: int, n_rows: int, body: str) -> int:
    """Check a ``[`` at nesting ``depth`` (text ``between`` it and the last bracket); the new ndim."""
    if depth == 1:
        if ndim == 0 and between.strip():
            raise InputError(_MIXED)
        if ndim == 2 and not _SEPARATOR.fullmatch(between):
            raise InputError(
                f"The pasted text has {_show(between.strip())} between two rows; rows "
                "are separated by commas, as in [[1, 2], [3, 4]]."
            )
        if n_rows >= MAX_SIDE:
            _check_side(_PASTED, body.count("[") - 1, "rows")
        return 2
    if depth > 1:
        raise InputError("The pasted text has more than two levels of brackets; 1-D and 2-D arrays are accepted.")
    return ndim


def _close_bracket(between: str, depth: int, ndim: int, rows: list[str]) -> int:
    """Take the row a ``]`` closes into ``rows``, or check the separator between rows; the new ndim."""
    if depth == 2 or ndim == 0:
        rows.append(between)
        return max(ndim, 1)
    if not _SEPARATOR.fullmatch(between):
        raise InputError(_MIXED)
    return ndim


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
