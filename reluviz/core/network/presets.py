"""The network presets (book, default, dead unit) and the one function that builds a network from one.

No Qt here: this module is plain NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reluviz.core.network.model import Network
from reluviz.core.network.spiral import spiral_data

__all__ = ["PRESETS", "NetworkPreset", "build_network"]


@dataclass(frozen=True)
class NetworkPreset:
    """A named starting point for :class:`NetworkRun`.

    Attributes
    ----------
    key, title : str
        Identifier and display title.
    sizes : tuple of int
        Units per column, inputs first, classes last (e.g. ``(2, 6, 6, 3)``).
    book : bool
        nnfs semantics: float32, float64 dot products, ``0.01 * randn`` weights, zero biases.
        Otherwise float64 with He-scaled weights (``randn * sqrt(2 / n_in)``).
    samples, classes : int
        Spiral dataset size (``samples`` points per class).
    batch_size : int or None
        ``None`` trains on the whole dataset each step.
    learning_rate : float
        SGD learning rate.
    dead_units : tuple of (int, int)
        ``(relu_index, unit)`` pairs, both 0-based (``(0, 2)`` is unit 2 — column 2 of ``z`` — of
        the layer named "ReLU 1"), whose bias is set so that ``z <= 0`` for every input.
    """

    key: str
    title: str
    sizes: tuple[int, ...]
    book: bool = False
    samples: int = 100
    classes: int = 3
    batch_size: int | None = None
    learning_rate: float = 1.0
    dead_units: tuple[tuple[int, int], ...] = field(default_factory=tuple)


PRESETS: dict[str, NetworkPreset] = {
    "book": NetworkPreset("book", "Book ch. 9 (2-3-3, float32)", (2, 3, 3), book=True),
    "default": NetworkPreset(
        "default", "Default (2-6-6-3)", (2, 6, 6, 3), batch_size=None, learning_rate=0.5
    ),
    "dead": NetworkPreset(
        "dead",
        "Dead unit (2-6-6-3, ReLU 1 unit 2 dead)",  # units count from 0, as in the arrays
        (2, 6, 6, 3),
        learning_rate=0.5,
        dead_units=((0, 2),),
    ),
}


def build_network(
    preset: NetworkPreset, seed: int = 0
) -> tuple[Network, np.ndarray, np.ndarray, np.random.RandomState]:
    """Make the spiral data and the network of ``preset`` from one ``RandomState(seed)``.

    The generator is consumed in the book's order: ``spiral_data`` first, then each dense layer's
    weights. Book preset with seed 0 reproduces ``nnfs.init()`` + the chapter-9 code exactly.

    Returns
    -------
    network : Network
    x, y : numpy.ndarray
        The whole dataset.
    random_state : numpy.random.RandomState
        The generator, left where the construction stopped (used to shuffle batches).
    """
    if len(preset.sizes) < 2 or min(preset.sizes) < 1:
        raise ValueError(f"need at least an input and an output size >= 1, got {preset.sizes}")
    if preset.sizes[-1] != preset.classes:
        raise ValueError(f"the last layer needs {preset.classes} units, one per class")
    rs = np.random.RandomState(seed)
    dtype = np.float32 if preset.book else np.float64
    x, y = spiral_data(preset.samples, preset.classes, random_state=rs, dtype=dtype)
    weights: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    for n_in, n_out in zip(preset.sizes[:-1], preset.sizes[1:], strict=True):
        if preset.book:
            # nnfs.init(): randn(...).astype(float32), then 0.01 * that stays float32.
            w = 0.01 * rs.randn(n_in, n_out).astype(np.float32)
        else:
            w = rs.randn(n_in, n_out) * np.sqrt(2.0 / n_in)
        weights.append(w)
        biases.append(np.zeros((1, n_out), dtype=dtype))
    for relu_index, unit in preset.dead_units:
        # |x| <= 1 on the spiral, and every hidden activation is bounded by what feeds it, so a bias
        # below -(Σ|w| · bound) keeps z <= 0 for every sample; for ReLU 1 the bound is 1.
        if relu_index != 0:
            raise ValueError("dead units are supported in the first hidden layer only")
        w = weights[relu_index]
        biases[relu_index][0, unit] = -(np.abs(w[:, unit]).sum() + 1.0)
    return Network(weights, biases, book_dot=preset.book), x, y, rs
