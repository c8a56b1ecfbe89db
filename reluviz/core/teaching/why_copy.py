"""Why ``.copy()``: run ``drelu = dvalues; drelu[mask] = 0`` for real on a scratch pair.

Without the copy, ``drelu`` and ``dvalues`` are two names for one array, so zeroing blocked cells
of ``drelu`` zeroes them in ``dvalues`` too. ``drelu`` itself comes out right; what is corrupted
is every later reader of ``dvalues``. A skip connection is the usual one: for
``out = z + relu(z)`` the gradient for the layer below is ``dz = dvalues + drelu``, and it is
computed here both ways so the wrong cells are counted, not asserted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.core.relu import blocked_mask
from reluviz.core.teaching.bits import cells_differ, same_bits

__all__ = ["AliasingDemo", "without_copy"]


@dataclass(frozen=True)
class AliasingDemo:
    """What ``drelu = dvalues`` (no copy) did, measured on a scratch pair.

    Attributes
    ----------
    same_object_without_copy : bool
        ``drelu is dvalues`` after ``drelu = dvalues`` (always True: that is the point).
    shares_memory_without_copy, shares_memory_with_copy : bool
        ``np.shares_memory(drelu, dvalues)`` after ``drelu = dvalues`` and after ``.copy()``. For an
        empty array NumPy says False even for one array: there is no memory to share.
    dvalues_before, dvalues_after : numpy.ndarray
        The scratch ``dvalues`` before and after ``drelu[mask] = 0`` ran on its alias.
    dvalues_changed : numpy.ndarray
        Bool, shaped like ``dvalues``: cells whose bits the aliased assignment changed.
    drelu_without_copy, drelu_with_copy : numpy.ndarray
        ``drelu`` from both versions (they are equal: the copy protects ``dvalues``, not ``drelu``).
    dz_skip_without_copy, dz_skip_with_copy : numpy.ndarray
        The gradient for the layer below through ``out = z + relu(z)``: ``dvalues + drelu``,
        reading ``dvalues`` after the ReLU's backward ran (corrupted without the copy).
    dz_skip_wrong : numpy.ndarray
        Bool: cells where the two ``dz`` differ in bits.
    """

    same_object_without_copy: bool
    shares_memory_without_copy: bool
    shares_memory_with_copy: bool
    dvalues_before: np.ndarray
    dvalues_after: np.ndarray
    dvalues_changed: np.ndarray
    drelu_without_copy: np.ndarray
    drelu_with_copy: np.ndarray
    dz_skip_without_copy: np.ndarray
    dz_skip_with_copy: np.ndarray
    dz_skip_wrong: np.ndarray

    @property
    def changed_count(self) -> int:
        """Cells of ``dvalues`` the aliased line overwrote."""
        return int(self.dvalues_changed.sum())

    @property
    def drelu_same(self) -> bool:
        """``drelu`` is bit-identical either way."""
        return same_bits(self.drelu_without_copy, self.drelu_with_copy)


def without_copy(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> AliasingDemo:
    """Run the book's lines without ``.copy()`` on a scratch copy of ``dvalues`` and measure the damage.

    The caller's ``z`` and ``dvalues`` are never touched: the scratch array is a fresh copy, and
    the before/after arrays returned are copies too (the "restore" is that the document's array was
    never the one written to).

    Parameters
    ----------
    z, dvalues : numpy.ndarray
        Equal-shaped arrays (as the document keeps them).
    inclusive : bool, default True
        ``z <= 0`` when True, ``z < 0`` when False.
    """
    z = np.asarray(z)
    scratch = np.array(dvalues, copy=True)
    before = scratch.copy()
    mask = blocked_mask(z, inclusive)

    drelu = scratch  # the bug under study: a second name, not a second array
    same_object = drelu is scratch
    aliased = bool(np.shares_memory(drelu, scratch))
    drelu[mask] = 0
    after = scratch.copy()
    # The skip path reads dvalues after the ReLU's backward ran, as a later reader would.
    # Overflow to inf (or integer wrap-around) is what that network would compute too: no warning.
    with np.errstate(all="ignore"):
        dz_wrong = after + drelu

    # ``before`` is never written after this point, so it serves as the copied version's dvalues
    # (one whole-array copy fewer: a 4096² pair is 128 MB per copy).
    good = before
    drelu_good = good.copy()
    copied = bool(np.shares_memory(drelu_good, good))
    drelu_good[mask] = 0
    with np.errstate(all="ignore"):
        dz_good = good + drelu_good
    return AliasingDemo(
        same_object_without_copy=same_object,
        shares_memory_without_copy=aliased,
        shares_memory_with_copy=copied,
        dvalues_before=before,
        dvalues_after=after,
        dvalues_changed=cells_differ(before, after),
        drelu_without_copy=drelu,  # the scratch array itself: nothing writes it after ``after`` was taken
        drelu_with_copy=drelu_good,
        dz_skip_without_copy=dz_wrong,
        dz_skip_with_copy=dz_good,
        dz_skip_wrong=cells_differ(dz_wrong, dz_good),
    )

