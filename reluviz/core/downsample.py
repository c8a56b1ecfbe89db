"""Reduce the visible part of an array to at most one value per screen pixel.

When cells get smaller than a pixel, plain subsampling could skip the one blocked cell a user is
looking for. Blocked-ness is therefore reduced with *any* over each pixel's block of cells, so a
single blocked cell at 2048×2048 still shows; values are subsampled (their colour is a reading aid,
the mask is the fact).
"""

from __future__ import annotations

import numpy as np

__all__ = ["any_blocks", "sample_blocks"]


def sample_blocks(values: np.ndarray, rows: slice, cols: slice, step: int) -> np.ndarray:
    """Return the top-left cell of every ``step``×``step`` block of ``values[rows, cols]``."""
    return values[rows, cols][::step, ::step]


def any_blocks(flags: np.ndarray, rows: slice, cols: slice, step: int) -> np.ndarray:
    """Return, for every ``step``×``step`` block of ``flags[rows, cols]``, whether any is True.

    The last block in each direction may be partial; it still counts its cells. Blocks line up
    with :func:`sample_blocks`, so both give arrays of the same shape.
    """
    window = flags[rows, cols]
    if step <= 1 or window.size == 0:
        return np.array(window, dtype=bool, copy=True)
    row_starts = np.arange(0, window.shape[0], step)
    col_starts = np.arange(0, window.shape[1], step)
    reduced = np.logical_or.reduceat(window, row_starts, axis=0)
    return np.logical_or.reduceat(reduced, col_starts, axis=1)
