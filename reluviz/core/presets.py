"""Built-in example arrays: the book's own, and a few that each teach one thing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["BOOK_DVALUES", "BOOK_Z", "PRESETS", "Preset", "preset_arrays", "random_arrays"]

# "Neural Networks from Scratch", chapter 9: the ReLU backward example.
BOOK_Z = ((1, 2, -3, -4), (2, -7, -1, 3), (-1, 2, 5, -1))
BOOK_DVALUES = ((1, 2, 3, 4), (5, 6, 7, 8), (9, 10, 11, 12))


@dataclass(frozen=True)
class Preset:
    """A named pair of arrays with one sentence on what it shows."""

    name: str
    label: str
    description: str
    make: Callable[[], tuple[np.ndarray, np.ndarray]]
    #: What the rows and columns are, where they mean something (a batch: samples × units).
    axis_names: tuple[str, str] | None = None


def _book() -> tuple[np.ndarray, np.ndarray]:
    return np.array(BOOK_Z, dtype=np.float64), np.array(BOOK_DVALUES, dtype=np.float64)


def _nnfs_batch() -> tuple[np.ndarray, np.ndarray]:
    # A layer's pre-activations for a batch of 100 samples and 64 units: a Dense layer of random
    # 0.1-scale weights on unit-variance inputs. A few units got a large negative bias (as after a
    # too-large update): they are dead, blocked for every sample, and show as solid columns.
    rng = np.random.default_rng(9)
    inputs = rng.standard_normal((100, 16))
    weights = 0.1 * rng.standard_normal((16, 64))
    biases = np.where(rng.random(64) < 0.1, -3.0, 0.1)
    z = np.round(inputs @ weights + biases, 3)
    dvalues = np.round(0.01 * rng.standard_normal((100, 64)), 5)
    return z, dvalues


def _exact_zeros() -> tuple[np.ndarray, np.ndarray]:
    z = np.array([[0.0, -0.0, 1.0, -1.0], [0.5, 0.0, -0.5, 2.0], [-0.0, 3.0, 0.0, -2.0]])
    dvalues = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]])
    return z, dvalues


def _all_blocked() -> tuple[np.ndarray, np.ndarray]:
    z = -np.abs(np.array(BOOK_Z, dtype=np.float64))
    return z, np.array(BOOK_DVALUES, dtype=np.float64)


def _all_passing() -> tuple[np.ndarray, np.ndarray]:
    z = np.abs(np.array(BOOK_Z, dtype=np.float64))
    return z, np.array(BOOK_DVALUES, dtype=np.float64)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("book", "Book example (nnfs ch. 9)", "The book's z and dvalues, 3×4.", _book),
        Preset(
            "nnfs-batch",
            "nnfs batch: 100 samples × 64 units",
            "A hidden layer's z for a batch; a few units are dead: blocked for every sample.",
            _nnfs_batch,
            ("samples", "units"),
        ),
        Preset(
            "exact-zeros",
            "Exact zeros (0 and -0)",
            "z holds 0 and -0: blocked by z <= 0, passed by z < 0.",
            _exact_zeros,
        ),
        Preset("all-blocked", "All blocked", "Every z <= 0: no gradient passes.", _all_blocked),
        Preset("all-passing", "All passing", "Every z > 0: drelu equals dvalues.", _all_passing),
    )
}


def preset_arrays(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return fresh ``(z, dvalues)`` float64 arrays for the preset ``name``.

    Raises
    ------
    KeyError
        With the list of known names, if ``name`` is not a preset.
    """
    try:
        preset = PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise KeyError(f"unknown preset '{name}'; known presets: {known}") from None
    return preset.make()


def random_arrays(rows: int, cols: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return reproducible random ``(z, dvalues)``, rounded to 2 decimals so they read easily."""
    rng = np.random.default_rng(seed)
    z = np.round(rng.standard_normal((rows, cols)), 2)
    dvalues = np.round(rng.standard_normal((rows, cols)), 2)
    return z, dvalues
