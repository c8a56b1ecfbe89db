"""Colour for heatmaps, computed with NumPy: diverging colormaps centred at 0 and their ranges.

Conventions (DESIGN.md, "Colour"): ``z`` has its own symmetric range; ``dvalues`` and ``drelu``
share one, so a gradient that passes looks identical in both. A range grows when an edit exceeds
it and shrinks only on an explicit fit. NaN and ±inf never take a scale colour. The mask has two
colours of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BLOCKED_RGB",
    "COLORMAPS",
    "DEFAULT_COLORMAP",
    "MASK_FALSE_RGB",
    "MASK_TRUE_RGB",
    "NONFINITE_RGB",
    "Colormap",
    "fit_range",
    "grow_range",
    "lookup_table",
    "values_to_rgba",
]

# Cells per step when ±inf forces largest_finite_magnitude to look at every value (512 KB of float64).
_MAGNITUDE_CHUNK = 64 * 1024

# "Gradient stopped" is dark everywhere: the mask's True, drelu's blocked marks, closed gates.
MASK_TRUE_RGB = (47, 54, 64)
MASK_FALSE_RGB = (226, 240, 217)
BLOCKED_RGB = MASK_TRUE_RGB
# Non-finite values sit outside every scale: a mid grey the diverging maps never reach, drawn
# with a hatch pattern wherever cells are big enough to show one.
NONFINITE_RGB = (150, 150, 150)


@dataclass(frozen=True)
class Colormap:
    """A diverging colormap given by evenly spaced control colours, negative end first."""

    name: str
    label: str
    stops: tuple[tuple[int, int, int], ...]


COLORMAPS: dict[str, Colormap] = {
    cmap.name: cmap
    for cmap in (
        # ColorBrewer RdBu, reversed so negative is blue and positive red.
        Colormap(
            "blue-red",
            "Blue–Red",
            (
                (5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240),
                (247, 247, 247),
                (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31),
            ),
        ),
        # ColorBrewer PuOr: safe for the common colour-vision deficiencies.
        Colormap(
            "purple-orange",
            "Purple–Orange (colour-blind safe)",
            (
                (45, 0, 75), (84, 39, 136), (128, 115, 172), (178, 171, 210), (216, 218, 235),
                (247, 247, 247),
                (254, 224, 182), (253, 184, 99), (224, 130, 20), (179, 88, 6), (127, 59, 8),
            ),
        ),
        # Moreland's cool-warm, the diverging map of ParaView.
        Colormap(
            "cool-warm",
            "Cool–Warm",
            (
                (59, 76, 192), (98, 130, 234), (141, 176, 254), (184, 208, 249), (221, 221, 221),
                (245, 196, 173), (244, 154, 123), (222, 96, 77), (180, 4, 38),
            ),
        ),
        # ColorBrewer BrBG, also colour-blind safe.
        Colormap(
            "brown-teal",
            "Brown–Teal (colour-blind safe)",
            (
                (84, 48, 5), (140, 81, 10), (191, 129, 45), (223, 194, 125), (246, 232, 195),
                (245, 245, 245),
                (199, 234, 229), (128, 205, 193), (53, 151, 143), (1, 102, 94), (0, 60, 48),
            ),
        ),
    )
}
DEFAULT_COLORMAP = "blue-red"

_LUT_SIZE = 256
_lut_cache: dict[str, np.ndarray] = {}


def lookup_table(name: str) -> np.ndarray:
    """Return the colormap's 256×4 RGBA uint8 table; entry 128 is the colour of exactly 0.

    256 entries, not more: pyqtgraph measured a 512-entry table taking a slower path, and an odd
    centre would need 257.
    """
    cached = _lut_cache.get(name)
    if cached is not None:
        return cached
    stops = np.asarray(COLORMAPS[name].stops, dtype=np.float64)
    positions = np.linspace(0.0, 1.0, len(stops))
    # Entry k shows value (k - 128) / 127.5 of the half-range, so 0 maps to exactly 128 and the
    # centre colour is the colormap's own neutral.
    samples = np.clip((np.arange(_LUT_SIZE) - 128) / 127.0, -1.0, 1.0) * 0.5 + 0.5
    table = np.empty((_LUT_SIZE, 4), dtype=np.uint8)
    for channel in range(3):
        table[:, channel] = np.round(np.interp(samples, positions, stops[:, channel]))
    table[:, 3] = 255
    table.setflags(write=False)
    _lut_cache[name] = table
    return table


def values_to_rgba(values: np.ndarray, half_range: float, cmap: str) -> np.ndarray:
    """Map values to RGBA colours on a symmetric scale ``[-half_range, half_range]``.

    Parameters
    ----------
    values : numpy.ndarray
        Any numeric array (ints are converted to float for the mapping only).
    half_range : float
        Positive; values beyond it take the end colours.
    cmap : str
        A key of :data:`COLORMAPS`.

    Returns
    -------
    numpy.ndarray
        ``values.shape + (4,)`` uint8 RGBA. NaN and ±inf get :data:`NONFINITE_RGB`; exactly 0
        (and -0) gets the colormap's centre colour.
    """
    table = lookup_table(cmap)
    scale = 127.0 / half_range if half_range > 0 and math.isfinite(half_range) else 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.multiply(values, scale, dtype=np.float64)
        scaled += 128.0
        finite = np.isfinite(scaled)
        all_finite = bool(finite.all())
        np.clip(scaled, 1.0, 255.0, out=scaled)
        if not all_finite:
            scaled[~finite] = 0.0
        np.rint(scaled, out=scaled)
        index = scaled.astype(np.intp)
    # One 4-byte word per pixel from the table (as uint32): ~4x faster than gathering rows of 4.
    rgba = table.view(np.uint32).reshape(-1)[index].view(np.uint8).reshape(*index.shape, 4)
    if not all_finite:
        rgba[~finite, :3] = NONFINITE_RGB
    return rgba


def fit_range(*arrays: np.ndarray) -> float:
    """Return the smallest "nice" symmetric half-range covering every finite value.

    Nice means one of :func:`nice_ceiling`'s steps, so colour bars get round labels. An array
    with no finite non-zero value gets 1.0.
    """
    largest = 0.0
    for array in arrays:
        if array.size:
            largest = max(largest, largest_finite_magnitude(array))
    return nice_ceiling(largest)


def largest_finite_magnitude(array: np.ndarray) -> float:
    """The largest ``|x|`` over the finite values of ``array``.

    Parameters
    ----------
    array : numpy.ndarray
        Integers, floats or booleans, of any shape.

    Returns
    -------
    float
        The largest finite magnitude; 0.0 if the array is empty or holds no finite value.
    """
    array = np.asarray(array)
    if array.size == 0:
        return 0.0
    if array.dtype.kind != "f":
        return max(abs(float(np.min(array))), abs(float(np.max(array))))
    # fmin/fmax skip NaN at the speed of min/max: NaN alone costs no extra pass and no temporary
    # (boolean-indexing the finite values copied the array: ~0.6 s at 4096²).
    low, high = float(np.fmin.reduce(array, axis=None)), float(np.fmax.reduce(array, axis=None))
    if math.isnan(high):
        return 0.0  # every value is NaN
    if math.isfinite(low) and math.isfinite(high):
        return max(abs(low), abs(high))
    return _largest_finite_magnitude_with_inf(array)


def _largest_finite_magnitude_with_inf(array: np.ndarray) -> float:
    """:func:`largest_finite_magnitude` when ±inf is present: chunk by chunk, so temporaries stay in cache."""
    flat = array.reshape(-1)
    largest = 0.0
    for start in range(0, flat.size, _MAGNITUDE_CHUNK):
        chunk = flat[start:start + _MAGNITUDE_CHUNK]
        magnitudes = np.abs(chunk)
        magnitudes[np.isinf(magnitudes)] = np.nan  # fmax skips NaN: only finite values count
        chunk_largest = float(np.fmax.reduce(magnitudes))
        if chunk_largest > largest:  # False for an all-NaN chunk
            largest = chunk_largest
    return largest


def nice_ceiling(value: float) -> float:
    """Return the smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ``>= value``.

    Fine enough that data never uses less than ~2/3 of the scale, round enough for colour-bar
    labels. 1.0 for 0 or non-finite values.
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for mantissa in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        candidate = mantissa * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            # Near float64's maximum a nice step overflows to inf: the largest float is the range.
            return candidate if math.isfinite(candidate) else float(np.finfo(np.float64).max)
    return 10.0 ** (exponent + 1)


def grow_range(current: float, value: float) -> float:
    """Return ``current`` or, if ``|value|`` exceeds it, the next nice range covering it.

    A range only grows during editing, so one edit never recolours a whole panel unless it had
    to; shrinking is the user's explicit "Fit".
    """
    if not math.isfinite(value) or abs(value) <= current:
        return current
    return nice_ceiling(abs(value))
