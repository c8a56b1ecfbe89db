"""``<=`` at exactly 0: the only cells where ``z <= 0`` and ``z < 0`` disagree, and what ``-0`` means.

ReLU has no derivative at 0; the book's ``z <= 0`` takes it as 0 there (the gradient stops), while
``z < 0`` would let it pass. They disagree exactly where ``z == 0`` — which includes ``-0.0``, since
``-0.0 == 0`` — and nowhere else (NaN compares False with both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.core.relu import operator_text, relu_backward
from reluviz.core.teaching.text import MAX_LISTED_CELLS, cells_text, count_text, first_true_cells

__all__ = ["ZeroBoundary", "negative_zero_notes", "zero_boundary"]


@dataclass(frozen=True)
class ZeroBoundary:
    """Where the two operators differ, and the gradient each gives there.

    Attributes
    ----------
    differs : numpy.ndarray
        Bool shaped like ``z``: ``(z <= 0) != (z < 0)``, computed from both masks (it equals
        ``z == 0``; tests check that).
    cells : list of tuple of int
        The first :data:`~reluviz.core.teaching.text.MAX_LISTED_CELLS` True cells of ``differs`` in
        C order (the ones a sentence lists).
    count : int
        How many cells ``differs`` marks in all.
    drelu_inclusive, drelu_strict : numpy.ndarray
        ``relu_backward`` with ``<=`` and with ``<``.
    negative_zero : numpy.ndarray
        Bool shaped like ``z``: cells holding ``-0.0``.
    """

    differs: np.ndarray
    cells: list[tuple[int, ...]]
    count: int
    drelu_inclusive: np.ndarray
    drelu_strict: np.ndarray
    negative_zero: np.ndarray


def _negative_zeros(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind != "f":
        return np.zeros(a.shape, dtype=bool)
    return (a == 0) & np.signbit(a)


def _listed(mask: np.ndarray, count: int | None = None) -> str:
    # The first few True cells and how many more: NumPy counts, a bounded listing.
    total = int(np.count_nonzero(mask)) if count is None else count
    return cells_text(first_true_cells(mask, MAX_LISTED_CELLS), total)


def zero_boundary(z: np.ndarray, dvalues: np.ndarray) -> ZeroBoundary:
    """Compare ``z <= 0`` with ``z < 0`` on the current arrays (equal shapes).

    Parameters
    ----------
    z, dvalues : numpy.ndarray
        The current arrays.
    """
    z = np.asarray(z)
    differs = np.less_equal(z, 0) != np.less(z, 0)
    return ZeroBoundary(
        differs=differs,
        cells=first_true_cells(differs, MAX_LISTED_CELLS),
        count=int(np.count_nonzero(differs)),
        drelu_inclusive=relu_backward(z, dvalues, True),
        drelu_strict=relu_backward(z, dvalues, False),
        negative_zero=_negative_zeros(z),
    )


def negative_zero_notes(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> dict[str, str]:
    """One sentence per panel that shows a ``-0``, or a dashed outline, saying why it is there.

    Returns
    -------
    dict of str to str
        Keys among ``"outline"`` (exact zeros in ``z``), ``"z"``, ``"dvalues"``, ``"drelu"``; a key
        is present only when that mark appears on screen.
    """
    z = np.asarray(z)
    dvalues = np.asarray(dvalues)
    notes: dict[str, str] = {}
    zero_mask = z == 0
    zeros = int(np.count_nonzero(zero_mask))
    if zeros:
        passes = "passes" if not inclusive else "blocks"
        notes["outline"] = (
            f"Dashed outline: z is exactly 0 at {_listed(zero_mask, zeros)} ({count_text(zeros, 'cell')}), "
            f"the only cells where z <= 0 and z < 0 disagree; z {operator_text(inclusive)} 0 {passes} them."
        )
    z_neg = _negative_zeros(z)
    if z_neg.any():
        notes["z"] = (
            f"-0 in z at {_listed(z_neg)}: -0.0 == 0, so z <= 0 blocks it and z < 0 passes it, like 0."
        )
    d_neg = _negative_zeros(dvalues)
    if d_neg.any():
        notes["dvalues"] = f"-0 in dvalues at {_listed(d_neg)}: a zero gradient with its sign bit set."
    drelu = relu_backward(z, dvalues, inclusive)
    r_neg = _negative_zeros(drelu)
    if r_neg.any():
        notes["drelu"] = (
            f"-0 in drelu at {_listed(r_neg)}: copied from dvalues where the gradient passed; "
            "a blocked cell gets drelu[mask] = 0, which is +0."
        )
    return notes
