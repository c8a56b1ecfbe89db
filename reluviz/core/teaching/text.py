"""How the teaching layer writes values, cells and shapes in its sentences.

One way everywhere, so a test can read every number back out of a sentence and compare it with
the array it came from: values as Python writes them (``-1.0``, ``nan``, ``-0.0``, ``7``), cells
as NumPy indexes them (``[1, 2]``), shapes as NumPy prints them (``(3, 4)``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["MAX_LISTED_CELLS", "cell_text", "cells_text", "count_text", "operator_text", "true_cells", "value_text"]

# More cells than this are summed up as a count instead of listed one by one: a sentence stays short.
MAX_LISTED_CELLS = 8


def value_text(value: object) -> str:
    """Write one array value as Python writes it: ``-1.0``, ``nan``, ``-inf``, ``-0.0``, ``7``, ``True``.

    Floats narrower than float64 use NumPy's shortest text for their own width (``0.1`` for a
    float32 0.1), which reads back to the same value of that width.
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if isinstance(value, np.floating) and np.dtype(type(value)).itemsize < 8:
        return str(value)
    return repr(number)


def cell_text(index: Sequence[int]) -> str:
    """Write an index as NumPy takes it: ``[1, 2]``; ``[()]`` for a 0-d array."""
    if len(index) == 0:
        return "[()]"
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def cells_text(cells: Sequence[Sequence[int]]) -> str:
    """List up to :data:`MAX_LISTED_CELLS` cells (``[0, 2], [1, 1]``), or say how many there are."""
    if len(cells) > MAX_LISTED_CELLS:
        return f"{len(cells)} cells"
    return ", ".join(cell_text(c) for c in cells)


def count_text(n: int, noun: str) -> str:
    """``1 cell``, ``2 cells``, ``0 cells``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def operator_text(inclusive: bool) -> str:
    """``<=`` for the book's mask, ``<`` for the other one."""
    return "<=" if inclusive else "<"


def true_cells(mask: np.ndarray) -> list[tuple[int, ...]]:
    """The indices of the True cells of ``mask`` in C order, as tuples of ints."""
    return [tuple(int(i) for i in idx) for idx in zip(*np.nonzero(mask), strict=True)] if mask.ndim else (
        [()] if bool(mask) else []
    )
