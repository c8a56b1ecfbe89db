"""The spiral dataset of *Neural Networks from Scratch* (``nnfs.datasets.spiral_data``), again.

nnfs takes the dataset from cs231n (Andrej Karpathy). Its code is::

    X = np.zeros((samples*classes, 2))
    y = np.zeros(samples*classes, dtype='uint8')
    for class_number in range(classes):
        ix = range(samples*class_number, samples*(class_number+1))
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(class_number*4, (class_number+1)*4, samples) + np.random.randn(samples)*0.2
        X[ix] = np.c_[r*np.sin(t*2.5), r*np.cos(t*2.5)]
        y[ix] = class_number

This module runs the same steps on a private ``np.random.RandomState`` so the global generator is
never touched. With ``dtype=np.float32`` it follows ``nnfs.init()``, which makes ``np.zeros``
default to float32 and casts every ``np.random.randn`` result to float32 before it is used.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["spiral_data"]


def spiral_data(
    samples: int,
    classes: int,
    random_state: np.random.RandomState | None = None,
    dtype: DTypeLike = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate ``classes`` interleaved spiral arms of ``samples`` points each.

    Parameters
    ----------
    samples : int
        Points per class.
    classes : int
        Number of classes (spiral arms).
    random_state : numpy.random.RandomState, optional
        The generator to draw the angular noise from. ``None`` makes ``RandomState(0)``, the
        state ``nnfs.init()`` leaves the global generator in.
    dtype : dtype, default float32
        ``float32`` reproduces nnfs after ``nnfs.init()`` bit for bit; ``float64`` reproduces plain
        nnfs without ``init()``.

    Returns
    -------
    X : numpy.ndarray
        ``(samples * classes, 2)`` points of ``dtype``.
    y : numpy.ndarray
        ``(samples * classes,)`` uint8 class labels.
    """
    if samples < 1 or classes < 1:
        raise ValueError(f"samples and classes must be >= 1, got {samples} and {classes}")
    rs = np.random.RandomState(0) if random_state is None else random_state
    dt = np.dtype(dtype)
    x = np.zeros((samples * classes, 2), dtype=dt)
    y = np.zeros(samples * classes, dtype=np.uint8)
    for class_number in range(classes):
        ix = range(samples * class_number, samples * (class_number + 1))
        r = np.linspace(0.0, 1, samples)
        # nnfs.init() wraps randn as randn(...).astype(float32); the product with 0.2 then stays
        # float32 (a Python float is a "weak" scalar) before it is added to the float64 linspace.
        noise = rs.randn(samples).astype(dt) * 0.2
        t = np.linspace(class_number * 4, (class_number + 1) * 4, samples) + noise
        x[ix] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[ix] = class_number
    return x, y
