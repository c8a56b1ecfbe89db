"""Shapes: a boolean index must match the dimensions it indexes; the assigned value broadcasts.

Everything here runs the real indexing on scratch arrays and reports what NumPy did, including its
own error message (its wording differs between NumPy versions, so it is captured, never copied).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.core.io.limits import MAX_SIDE, InputError, format_shape
from reluviz.core.relu import blocked_mask, operator_text

__all__ = [
    "IndexOutcome",
    "assign_through_mask",
    "dimension_match",
    "mask_fits",
    "resized_scratch",
    "scratch_pair_outcome",
    "shape_demos",
]


@dataclass(frozen=True)
class IndexOutcome:
    """What ``target[mask] = value`` did on a scratch copy of ``target``.

    Attributes
    ----------
    expression : str
        The line that ran, e.g. ``"drelu[mask] = 0"``.
    target_shape, mask_shape : tuple of int
        The shapes involved.
    value_shape : tuple of int
        The shape of the value assigned (``()`` for a scalar).
    result : numpy.ndarray or None
        The scratch target after the assignment; ``None`` when NumPy raised.
    error_type : str or None
        ``"IndexError"`` or ``"ValueError"`` when NumPy raised.
    message : str or None
        NumPy's own message.
    """

    expression: str
    target_shape: tuple[int, ...]
    mask_shape: tuple[int, ...]
    value_shape: tuple[int, ...]
    result: np.ndarray | None
    error_type: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        """NumPy accepted the assignment."""
        return self.result is not None

    @property
    def error_text(self) -> str | None:
        """``"IndexError: boolean index did not match ..."`` as Python would print it."""
        return None if self.error_type is None else f"{self.error_type}: {self.message}"


def assign_through_mask(target: np.ndarray, mask: np.ndarray, value: object = 0,
                        expression: str = "drelu[mask] = 0") -> IndexOutcome:
    """Run ``target[mask] = value`` on a copy of ``target`` and report what NumPy did."""
    scratch = np.array(target, copy=True)
    mask = np.asarray(mask)
    value_shape = tuple(np.shape(value))
    try:
        scratch[mask] = value
    except (IndexError, ValueError) as exc:
        return IndexOutcome(expression, scratch.shape, mask.shape, value_shape, None, type(exc).__name__, str(exc))
    return IndexOutcome(expression, scratch.shape, mask.shape, value_shape, scratch)


def dimension_match(target_shape: tuple[int, ...], mask_shape: tuple[int, ...]) -> list[tuple[int, int | None, int]]:
    """The picture of why: each mask axis beside the target axis it indexes.

    Returns
    -------
    list of (axis, target size or None, mask size)
        One row per mask axis; the target size is ``None`` where the target has no such axis.
        The boolean index fits exactly when every row's two sizes are equal.
    """
    return [(axis, target_shape[axis] if axis < len(target_shape) else None, size)
            for axis, size in enumerate(mask_shape)]


def mask_fits(target_shape: tuple[int, ...], mask_shape: tuple[int, ...]) -> bool:
    """NumPy's rule: a boolean mask indexes the leading axes and must equal them, size for size.

    Exact for every mask with at least one cell. NumPy also accepts some *empty* masks whose sizes
    do not match (they select nothing); this rule says False for those, which is why the Shapes
    slide shows :func:`assign_through_mask`'s outcome — NumPy's own answer — not this prediction.
    """
    return all(t == m for _, t, m in dimension_match(target_shape, mask_shape))


def shape_demos(rows: int = 3, cols: int = 4) -> dict[str, IndexOutcome]:
    """The four demonstrations of the Shapes slide, run for real on a ``(rows, cols)`` drelu.

    Keys: ``"mismatch"`` (a ``(rows, cols + 1)`` mask: NumPy's IndexError), ``"scalar"`` (a full
    mask and the scalar 0), ``"row_value"`` (a ``(rows,)`` mask selecting the first row and
    assigning a ``(cols,)`` row that broadcasts over it), ``"row_mask_broadcast_attempt"`` (a
    ``(1, cols)`` mask, which does not broadcast over the rows: IndexError).
    """
    drelu = np.arange(1, rows * cols + 1, dtype=np.float64).reshape(rows, cols)
    full_mask = (np.arange(rows * cols).reshape(rows, cols) % 2) == 0
    row_mask = np.zeros(rows, dtype=bool)
    row_mask[0] = True
    row_value = -np.arange(1, cols + 1, dtype=np.float64)
    return {
        "mismatch": assign_through_mask(drelu, np.zeros((rows, cols + 1), dtype=bool), 0),
        "scalar": assign_through_mask(drelu, full_mask, 0),
        "row_value": assign_through_mask(drelu, row_mask, row_value, "drelu[row_mask] = row"),
        "row_mask_broadcast_attempt": assign_through_mask(drelu, np.ones((1, cols), dtype=bool), 0),
    }


def resized_scratch(array: np.ndarray, shape: tuple[int, ...], fill: float = 0) -> np.ndarray:
    """A new array of ``shape`` holding ``array``'s values where the two overlap and ``fill`` elsewhere.

    The document's arrays keep one shape; the Shapes slide works on such scratch copies.

    Raises
    ------
    InputError
        For a shape with a negative side, a side above :data:`~reluviz.core.io.limits.MAX_SIDE`, or a
        different number of dimensions than ``array`` (checked before anything is allocated).
    """
    array = np.asarray(array)
    shape = tuple(int(n) for n in shape)
    if len(shape) != array.ndim or any(n < 0 or n > MAX_SIDE for n in shape):
        raise InputError(
            f"A scratch shape of {format_shape(shape)} cannot be made from a {array.ndim}-D array; "
            f"give {array.ndim} sides from 0 to {MAX_SIDE}."
        )
    out = np.full(shape, fill, dtype=array.dtype)
    overlap = tuple(slice(0, min(a, b)) for a, b in zip(array.shape, shape, strict=True))
    out[overlap] = array[overlap]
    return out


def scratch_pair_outcome(z: np.ndarray, dvalues: np.ndarray, z_shape: tuple[int, ...],
                         dvalues_shape: tuple[int, ...], inclusive: bool = True) -> IndexOutcome:
    """Run ``drelu[z <= 0] = 0`` on scratch copies of ``z`` and ``dvalues`` resized to the given shapes.

    Returns NumPy's outcome: the new ``drelu``, or its own error when the shapes do not fit.
    """
    z_scratch = resized_scratch(z, z_shape)
    d_scratch = resized_scratch(dvalues, dvalues_shape)
    return assign_through_mask(d_scratch, blocked_mask(z_scratch, inclusive), 0,
                               f"drelu[z {operator_text(inclusive)} 0] = 0")
