"""Reduce the visible part of an array to at most one value per screen pixel.

When cells get smaller than a pixel, plain subsampling could skip the one blocked cell a user is
looking for. Blocked-ness is therefore reduced over each pixel's block of cells: :func:`any_blocks`
says whether any cell is blocked, :func:`blocked_fraction` how many, so a single blocked cell at
2048×2048 still shows while a half-blocked region does not look fully blocked. Values are
subsampled (their colour is a reading aid; the mask is the fact).

Steps may differ per axis (cells need not be square on screen); an ``int`` means both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["any_blocks", "blocked_fraction", "sample_blocks"]

Step = int | tuple[int, int]


def _steps(step: Step) -> tuple[int, int]:
    return (step, step) if isinstance(step, int) else (int(step[0]), int(step[1]))


def sample_blocks(values: np.ndarray, rows: slice, cols: slice, step: Step) -> np.ndarray:
    """Return the top-left cell of every ``step_r``×``step_c`` block of ``values[rows, cols]``."""
    step_r, step_c = _steps(step)
    return values[rows, cols][::step_r, ::step_c]


def _block_starts(window: np.ndarray, step_r: int, step_c: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(0, window.shape[0], step_r), np.arange(0, window.shape[1], step_c)


def any_blocks(flags: np.ndarray, rows: slice, cols: slice, step: Step) -> np.ndarray:
    """Return, for every block of ``flags[rows, cols]``, whether any of its cells is True.

    The last block in each direction may be partial; it still counts its cells. Blocks line up
    with :func:`sample_blocks`, so both give arrays of the same shape.
    """
    step_r, step_c = _steps(step)
    window = flags[rows, cols]
    if (step_r <= 1 and step_c <= 1) or window.size == 0:
        return np.array(window, dtype=bool, copy=True)
    row_starts, col_starts = _block_starts(window, step_r, step_c)
    reduced = np.logical_or.reduceat(window, row_starts, axis=0) if step_r > 1 else window
    return np.logical_or.reduceat(reduced, col_starts, axis=1) if step_c > 1 else np.array(reduced, copy=True)


def blocked_fraction(flags: np.ndarray, rows: slice, cols: slice, step: Step) -> np.ndarray:
    """Return, for every block of ``flags[rows, cols]``, the fraction of its cells that are True.

    Exactly 0 only where no cell is blocked, so ``fraction > 0`` equals :func:`any_blocks`.
    """
    step_r, step_c = _steps(step)
    window = flags[rows, cols]
    if (step_r <= 1 and step_c <= 1) or window.size == 0:
        return window.astype(np.float32)
    height, width = window.shape
    blocks_r, blocks_c = -(-height // step_r), -(-width // step_c)
    # Count with step_r + step_c whole-array strided adds: ~20x faster than reduceat or a
    # reshape-sum over short axes. uint32: at 4096² one pixel may cover all 16.7 M cells, which
    # would wrap a uint16 count to 0 (a fully blocked block reading as unblocked).
    cells = window.view(np.uint8)
    per_row_block = np.zeros((blocks_r, width), np.uint32)
    for offset in range(step_r):
        rows_part = cells[offset::step_r]
        per_row_block[: rows_part.shape[0]] += rows_part
    counts = np.zeros((blocks_r, blocks_c), np.uint32)
    for offset in range(step_c):
        cols_part = per_row_block[:, offset::step_c]
        counts[:, : cols_part.shape[1]] += cols_part
    # The last block in each direction may be partial: divide by the cells it really has.
    heights = np.minimum(step_r, height - np.arange(blocks_r) * step_r)
    widths = np.minimum(step_c, width - np.arange(blocks_c) * step_c)
    return (counts / np.outer(heights, widths)).astype(np.float32)
