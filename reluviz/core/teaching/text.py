"""How the teaching layer writes values, cells and shapes in its sentences.

One way everywhere, so a test can read every number back out of a sentence and compare it with
the array it came from: values as Python writes them (``-1.0``, ``nan``, ``-0.0``, ``7``; that is
``format_value(value, precision=None)`` of :mod:`reluviz.core.io.cell_value`), cells
as NumPy indexes them (``[1, 2]``), shapes as NumPy prints them (``(3, 4)``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "MAX_LISTED_CELLS",
    "cell_text",
    "cells_text",
    "count_text",
    "first_true_cells",
    "true_cells",
]

# More cells than this are summed up as a count instead of listed one by one: a sentence stays short.
MAX_LISTED_CELLS = 8

# How many flat cells ``first_true_cells`` scans at a time: the first few True cells of a 4096² mask
# are found without an index array of every True cell (128 MB of int64 for a full one).
_SCAN_CHUNK = 1 << 20


def cell_text(index: Sequence[int]) -> str:
    """Write an index as NumPy takes it: ``[1, 2]``; ``[()]`` for a 0-d array."""
    if len(index) == 0:
        return "[()]"
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def cells_text(cells: Sequence[Sequence[int]], total: int | None = None) -> str:
    """List cells (``[0, 2], [1, 1]``); past :data:`MAX_LISTED_CELLS`, the first few and how many more.

    Parameters
    ----------
    cells : sequence of index tuples
        The cells in C order: all of them, or only the first ones (as :func:`first_true_cells` gives).
    total : int, optional
        How many cells there are in all when ``cells`` holds only the first ones; ``len(cells)``
        when omitted.

    Examples
    --------
    >>> cells_text([(0, 2), (1, 1)])
    '[0, 2], [1, 1]'
    >>> cells_text([(0, i) for i in range(8)], total=20)
    '[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0, 6], [0, 7] and 12 more'
    """
    total = len(cells) if total is None else int(total)
    shown = [cell_text(c) for c in list(cells[:MAX_LISTED_CELLS])]
    if total > len(shown):
        return f"{', '.join(shown)} and {total - len(shown)} more"
    return ", ".join(shown)


def count_text(n: int, noun: str) -> str:
    """``1 cell``, ``2 cells``, ``0 cells``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def true_cells(mask: np.ndarray) -> list[tuple[int, ...]]:
    """The indices of *every* True cell of ``mask`` in C order, as tuples of ints.

    One Python tuple per True cell: for small arrays and tests only. Sentences use
    :func:`first_true_cells` and a NumPy count instead, so their cost does not grow with the array.
    """
    return first_true_cells(mask, int(np.count_nonzero(mask)))


def first_true_cells(mask: np.ndarray, limit: int = MAX_LISTED_CELLS) -> list[tuple[int, ...]]:
    """The first ``limit`` True cells of ``mask`` in C order, as tuples of ints.

    Scans the flattened mask a chunk at a time and stops once ``limit`` cells are found, so the
    Python work is bounded by ``limit``, whatever the array's size.
    """
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim == 0:
        return [()] if bool(mask) and limit > 0 else []
    flat = mask.reshape(-1)  # a view for the contiguous masks the teaching layer makes
    found: list[np.ndarray] = []
    need = int(limit)
    start = 0
    while need > 0 and start < flat.size:
        hits = np.flatnonzero(flat[start:start + _SCAN_CHUNK])[:need] + start
        found.append(hits)
        need -= hits.size
        start += _SCAN_CHUNK
    if not found:
        return []
    flat_hits = np.concatenate(found)
    return [tuple(int(i) for i in idx) for idx in zip(*np.unravel_index(flat_hits, mask.shape), strict=True)]
