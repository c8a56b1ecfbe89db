"""A panel's cells as colours: one RGBA pixel per visible cell, or per block of cells when zoomed out.

Zoomed out, a pixel stands for several cells (see :mod:`reluviz.core.downsample`): its colour is
sampled, and a pixel holding any blocked cell is shaded toward the blocked colour.
"""

from __future__ import annotations

import numpy as np

from reluviz.core.colour import BLOCKED_RGB, MASK_FALSE_RGB, MASK_TRUE_RGB, values_to_rgba
from reluviz.core.downsample import blocked_fraction, sample_blocks
from reluviz.render.heatmap_data import PanelData

__all__ = ["MIN_BLOCKED_SHADE", "SameArray", "colour_block", "shade_blocked", "shared_fraction"]

# Below one cell per pixel, a pixel holding any blocked cell is shaded at least this much toward
# the blocked colour (more as more of its cells are blocked): never hidden, never overstated.
MIN_BLOCKED_SHADE = 0.4


def colour_block(data: PanelData, rows: slice, cols: slice, step: tuple[int, int],
                  solid_blocked: bool) -> np.ndarray:
    """RGBA pixels for the window ``rows`` × ``cols``: one per cell, or one per ``step`` block of cells.

    The mask is True/False colours; z, dvalues and drelu follow the colormap over ±``half_range``.
    drelu's blocked cells are filled solid dark when ``solid_blocked`` (cells too small for the
    corner mark); reduced pixels are shaded by how many of their cells are blocked.
    """
    reduced = step != (1, 1)
    if data.role == "mask":
        if not reduced:
            flags = data.blocked[rows, cols]
            rgba = np.empty((*flags.shape, 4), np.uint8)
            rgba[...] = (*MASK_FALSE_RGB, 255)
            rgba[flags] = (*MASK_TRUE_RGB, 255)
            return rgba
        base = np.empty((*_block_shape(rows, cols, step), 4), np.uint8)
        base[...] = (*MASK_FALSE_RGB, 255)
        return shade_blocked(base, shared_fraction(data, rows, cols, step), MASK_TRUE_RGB)
    sampled = sample_blocks(data.values, rows, cols, step)
    rgba = values_to_rgba(sampled, data.half_range, data.cmap)
    if data.role == "drelu":
        if reduced:
            return shade_blocked(rgba, shared_fraction(data, rows, cols, step), BLOCKED_RGB)
        if solid_blocked:
            rgba[data.blocked[rows, cols]] = (*BLOCKED_RGB, 255)
    return rgba


class SameArray:
    """An array inside a cache key: equal only to the very same object.

    Holding the array keeps it alive, so its ``id`` cannot be handed to a new array while the
    key exists; a bare ``id(array)`` in a key could match an array created after the first one
    was collected, and the cache would show the old array's pixels.
    """

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameArray) and other.array is self.array

    def __hash__(self) -> int:
        return id(self.array)


class _FractionMemo:
    """The last big blocked-fraction image, shared by the mask and drelu renderers of one view.

    Both panels shade the same ``blocked`` array at the same zoom, so the second one reuses the
    first one's work. One entry: a new window or revision replaces it.
    """

    def __init__(self) -> None:
        self._key: tuple = ()
        self._fraction = np.zeros((0, 0))

    def fraction(self, data: PanelData, rows: slice, cols: slice, step: tuple[int, int]) -> np.ndarray:
        """``blocked_fraction`` of ``data.blocked`` over the window, computed once per window and edit."""
        key = (SameArray(data.blocked), data.version, data.edits, rows.start, rows.stop, cols.start, cols.stop, step)
        if self._key != key:
            self._fraction = blocked_fraction(data.blocked, rows, cols, step)
            self._key = key
        return self._fraction


_FRACTION_MEMO = _FractionMemo()


def shared_fraction(data: PanelData, rows: slice, cols: slice, step: tuple[int, int]) -> np.ndarray:
    """Blocked fraction per pixel, computed once for the mask and drelu panels together."""
    if (rows.stop - rows.start) * (cols.stop - cols.start) < 65536:
        return blocked_fraction(data.blocked, rows, cols, step)
    return _FRACTION_MEMO.fraction(data, rows, cols, step)


def _block_shape(rows: slice, cols: slice, step: tuple[int, int]) -> tuple[int, int]:
    return (-(-(rows.stop - rows.start) // step[0]), -(-(cols.stop - cols.start) // step[1]))


def shade_blocked(rgba: np.ndarray, fraction: np.ndarray, blocked_rgb: tuple[int, int, int]) -> np.ndarray:
    """Blend each pixel toward ``blocked_rgb`` by how many of its cells are blocked.

    Any blocked cell shades its pixel at least :data:`MIN_BLOCKED_SHADE`, so one blocked cell
    among thousands still shows; a fully blocked pixel takes the blocked colour exactly.
    """
    shade = np.where(fraction > 0, MIN_BLOCKED_SHADE + (1 - MIN_BLOCKED_SHADE) * fraction, 0.0)
    keep = 1 - shade
    target = np.asarray(blocked_rgb, dtype=np.float32)
    # rint(colour * (1 - shade) + target * shade) in float32, one channel at a time into reused
    # buffers: the same numbers, ~4x faster than on the strided (h, w, 3) view with temporaries.
    channel, part = np.empty(shade.shape, np.float32), np.empty(shade.shape, np.float32)
    for k in range(3):
        np.multiply(rgba[..., k], keep, out=channel)
        np.multiply(target[k], shade, out=part)
        channel += part
        np.rint(channel, out=channel)
        rgba[..., k] = channel
    return rgba
