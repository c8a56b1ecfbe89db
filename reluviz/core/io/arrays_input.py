"""Turn what a user hands to ``reluviz.show`` or ``reluviz.figure`` into arrays the explorer holds.

Pure NumPy, no Qt. Accepted: nested lists, NumPy arrays of any integer or float dtype up to 8
bytes, and anything ``np.asarray`` converts — including a PyTorch tensor, whose
``.detach().cpu().numpy()`` is called when the object offers those methods (duck typing: torch is
never imported). Arrays with more than two dimensions are shown as 2-D: the last axis becomes the
columns and the leading axes are flattened into rows, and :attr:`ArraysInput.note` says so.

The checks are the ones files and pastes already pass (:func:`reluviz.core.io.npy.check_array`,
:func:`reluviz.core.explorer.validate_pair`, the limits in :mod:`reluviz.core.io.limits`); sizes are
checked against an object's ``shape`` before anything is copied.

Examples
--------
>>> import numpy as np
>>> arrays = normalize_pair(np.zeros((2, 3, 4)), np.ones((2, 3, 4)))
>>> arrays.z.shape, arrays.note
((6, 4), 'z and dvalues are 2×3×4, shown as 6×4: the leading axes are flattened into rows')
>>> normalize_pair([[1, -2]], [[3, 4]]).z.dtype   # plain Python numbers become float64
dtype('float64')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from reluviz.core.explorer import validate_pair
from reluviz.core.io.limits import MAX_SIDE, InputError, format_shape, shape_mismatch_text
from reluviz.core.io.npy import check_array

__all__ = [
    "MAX_RECORDING_CELLS",
    "ArraysInput",
    "Recording",
    "as_numpy",
    "flatten_to_2d",
    "normalize_pair",
    "normalize_recording",
]

MAX_RECORDING_CELLS = MAX_SIDE * MAX_SIDE
"""Most cells a recording's ``z`` may hold over all its steps (as many as one 4096×4096 array)."""

# Python integers up to this size are exact in float64; larger ones keep NumPy's int64 rather
# than being rounded behind the user's back.
_EXACT_FLOAT_INT = 2**53


@dataclass(frozen=True)
class ArraysInput:
    """``z`` and ``dvalues`` ready for the explorer, and how they were reshaped.

    Attributes
    ----------
    z, dvalues : numpy.ndarray
        Equal-shaped 2-D integer or float arrays (views of the caller's data where possible).
    original_shape : tuple of int
        The shape the caller gave (both arrays have it).
    note : str or None
        A sentence for a title when the arrays were reshaped to 2-D, e.g. ``"z and dvalues are
        2×3×4, shown as 6×4: the leading axes are flattened into rows"``; ``None`` otherwise.
    """

    z: np.ndarray
    dvalues: np.ndarray
    original_shape: tuple[int, ...]
    note: str | None = None


def _subject(name: str) -> str:
    """``"z"`` stays as written (a variable name); ``"the array"`` starts a sentence as ``"The array"``."""
    return name[:1].upper() + name[1:] if " " in name else name


def _declared_shape(value: Any) -> tuple[int, ...] | None:
    """The ``shape`` an array-like object declares (NumPy, torch, JAX ...), or ``None``."""
    shape = getattr(value, "shape", None)
    if shape is None or isinstance(value, (str, bytes)):
        return None
    try:
        dims = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        return None
    return dims


def _check_2d_size(shape: tuple[int, ...], name: str) -> None:
    """Refuse a shape whose 2-D form is larger than the explorer holds, before any copy."""
    if len(shape) <= 2:
        if shape and max(shape) > MAX_SIDE:
            raise InputError(f"{_subject(name)} is {format_shape(shape)}; arrays up to "
                             f"{MAX_SIDE}×{MAX_SIDE} are accepted.")
        return
    rows, cols = math.prod(shape[:-1]), shape[-1]
    if rows > MAX_SIDE or cols > MAX_SIDE:
        raise InputError(f"{_subject(name)} is {format_shape(shape)}, which is {rows}×{cols} with the leading "
                         f"axes flattened into rows; arrays up to {MAX_SIDE}×{MAX_SIDE} are accepted.")


def _check_cells(shape: tuple[int, ...], name: str, max_cells: int) -> None:
    cells = math.prod(shape)
    if cells > max_cells:
        raise InputError(f"{_subject(name)} is {format_shape(shape)}, {cells} cells; a recording holds up to "
                         f"{max_cells} cells in all (e.g. 256 steps of 256×256).")


def as_numpy(value: Any, name: str = "the array", *, max_cells: int | None = None) -> np.ndarray:
    """Convert an array-like to a NumPy array without checking its dtype or dimensions.

    Parameters
    ----------
    value : array_like
        A NumPy array (returned as it is), nested lists of numbers, or an object with
        ``.detach()``, ``.cpu()`` and ``.numpy()`` (a PyTorch tensor) or ``__array__``.
    name : str
        How messages name it, e.g. ``"z"``.
    max_cells : int, optional
        Check the declared shape against this many cells in all (a recording) instead of the
        explorer's 4096×4096 once flattened to 2-D.

    Returns
    -------
    numpy.ndarray
        Plain Python numbers become float64 (as the app's own examples are), unless an integer
        is too large to be exact in float64; arrays and tensors keep their dtype, in native byte
        order.

    Raises
    ------
    InputError
        Ragged nested lists, Python objects (``None``, text mixed with numbers), a tensor NumPy
        cannot hold (e.g. bfloat16), or a declared shape too large for the explorer.

    Examples
    --------
    >>> as_numpy([[1, 2], [3, 4]]).dtype
    dtype('float64')
    >>> as_numpy(np.arange(3, dtype=np.int32)).dtype
    dtype('int32')
    >>> as_numpy([[1, 2], [3]], "z")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reluviz.core.io.limits.InputError: z is a ragged nested list (rows of different lengths); ...
    """
    if isinstance(value, np.ndarray):
        array = value
    else:
        _check_declared_size(value, name, max_cells)
        plain = isinstance(value, (list, tuple, int, float))
        array = _asarray(_leave_tensor(value, name), name)
        if plain:
            array = _exact_as_float(array)
    if array.dtype.hasobject:
        raise InputError(f"{_subject(name)} holds Python objects (e.g. None, text or numbers too large for "
                         "int64); integers and floats are accepted.")
    if array.dtype.kind in "iuf" and not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    return array


def _check_declared_size(value: Any, name: str, max_cells: int | None) -> None:
    """Refuse a shape too large before NumPy builds the array (nothing to check when none is declared)."""
    declared = _declared_shape(value)
    if declared is not None and max_cells is None:
        _check_2d_size(declared, name)
    elif declared is not None and max_cells is not None:
        _check_cells(declared, name, max_cells)


def _leave_tensor(value: Any, name: str) -> Any:
    """A PyTorch tensor (or alike) off the autograd graph and the GPU, as NumPy; anything else as it is."""
    for method in ("detach", "cpu", "numpy"):
        convert = getattr(value, method, None)
        if callable(convert) and not isinstance(value, np.ndarray):
            try:
                value = convert()
            except (TypeError, RuntimeError) as error:
                raise InputError(f"{_subject(name)} could not be converted to a NumPy array "
                                 f"({str(error).strip().splitlines()[0]}); integer and float tensors are "
                                 "accepted.") from None
    return value


def _asarray(value: Any, name: str) -> np.ndarray:
    """``np.asarray(value)``, with a ragged nested list named as such."""
    try:
        return np.asarray(value)
    except ValueError as error:
        if "inhomogeneous" in str(error) or "sequence" in str(error):
            raise InputError(f"{_subject(name)} is a ragged nested list (rows of different lengths); "
                             "equal-length rows of numbers are accepted.") from None
        raise InputError(f"{_subject(name)} could not be converted to a NumPy array ({error}).") from None


def _exact_as_float(array: np.ndarray) -> np.ndarray:
    """Plain Python integers as float64 (as the app's own examples are), unless float64 cannot hold them exactly."""
    if (array.dtype.kind in "iu" and array.size
            and -_EXACT_FLOAT_INT <= array.min() and array.max() <= _EXACT_FLOAT_INT):
        return array.astype(np.float64)
    return array


def flatten_to_2d(array: np.ndarray, name: str = "the array") -> np.ndarray:
    """Return ``array`` as 2-D: 1-D becomes one row, >2-D keeps its last axis as the columns.

    Parameters
    ----------
    array : numpy.ndarray
    name : str
        How messages name it.

    Returns
    -------
    numpy.ndarray
        A view where NumPy can make one (a copy only for non-contiguous input).

    Raises
    ------
    InputError
        A 0-d array, an empty one, or more than 4096 rows or columns once flattened.

    Examples
    --------
    >>> flatten_to_2d(np.zeros((2, 3, 4))).shape
    (6, 4)
    >>> flatten_to_2d(np.zeros(5)).shape
    (1, 5)
    """
    if array.ndim > 2:
        _check_2d_size(array.shape, name)
        array = array.reshape(-1, array.shape[-1]) if array.size else array.reshape(0, array.shape[-1])
    return check_array(array, name)


def normalize_pair(z: Any, dvalues: Any) -> ArraysInput:
    """Check ``z`` and ``dvalues`` and return them as equal-shaped 2-D arrays.

    Parameters
    ----------
    z, dvalues : array_like
        See :func:`as_numpy`. Both must have the same shape: the book's ``drelu[z <= 0] = 0``
        indexes ``dvalues`` with a mask shaped like ``z``, and a boolean index does not broadcast.

    Returns
    -------
    ArraysInput

    Raises
    ------
    InputError
        Anything :func:`as_numpy` or :func:`flatten_to_2d` refuses, or different shapes.

    Examples
    --------
    >>> normalize_pair([[1.0, -2.0]], [[3.0]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reluviz.core.io.limits.InputError: z is 1×2 but dvalues is 1×1; they must have the same shape ...
    """
    z_arr, d_arr = as_numpy(z, "z"), as_numpy(dvalues, "dvalues")
    if z_arr.shape != d_arr.shape:
        raise InputError(f"{shape_mismatch_text(z_arr.shape, d_arr.shape)} "
                         "(drelu[z <= 0] = 0 indexes dvalues with a mask shaped like z).")
    original = tuple(int(n) for n in z_arr.shape)
    z2, d2 = flatten_to_2d(z_arr, "z"), flatten_to_2d(d_arr, "dvalues")
    z2, d2 = validate_pair(z2, d2)
    note = None
    if len(original) > 2:
        note = (f"z and dvalues are {format_shape(original)}, shown as {format_shape(z2.shape)}: "
                "the leading axes are flattened into rows")
    return ArraysInput(z2, d2, original, note)


@dataclass(frozen=True)
class Recording:
    """``z`` and ``dvalues`` recorded over training steps, each step ready for the explorer.

    Attributes
    ----------
    z, dvalues : numpy.ndarray
        Equal-shaped ``(steps, rows, cols)`` integer or float arrays.
    step_shape : tuple of int
        The shape of one step as the caller gave it.
    note : str or None
        As :attr:`ArraysInput.note`, for a step, when each step was reshaped to 2-D.
    """

    z: np.ndarray
    dvalues: np.ndarray
    step_shape: tuple[int, ...]
    note: str | None = None

    @property
    def steps(self) -> int:
        """How many steps were recorded."""
        return int(self.z.shape[0])

    def step(self, index: int) -> ArraysInput:
        """The arrays of step ``index`` (negative counts from the end, as in NumPy)."""
        return ArraysInput(self.z[index], self.dvalues[index], self.step_shape, self.note)


def _steps(value: Any, name: str) -> list[np.ndarray]:
    """One array per step: from a list or tuple of array-likes, or along an array's first axis."""
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (int, float)):
        declared = [_declared_shape(item) for item in value]
        if all(shape is not None and len(shape) > 0 for shape in declared):
            return [as_numpy(item, f"{name} at step {i}", max_cells=MAX_RECORDING_CELLS)
                    for i, item in enumerate(value)]
    array = as_numpy(value, name, max_cells=MAX_RECORDING_CELLS)
    if array.ndim >= 1 and array.shape[0] == 0:
        return []
    if array.ndim < 2:
        raise InputError(f"{_subject(name)} is {format_shape(array.shape)}; a recording has a first axis of steps "
                         "and at least one axis per step (steps × rows × columns).")
    return list(array)


def normalize_recording(z_steps: Any, dvalues_steps: Any) -> Recording:
    """Check ``z`` and ``dvalues`` recorded per training step; return them stacked as 3-D.

    Parameters
    ----------
    z_steps, dvalues_steps : sequence of array_like, or array_like
        A list or tuple with one array per step (NumPy arrays, tensors), or one array whose first
        axis is the step. Every step must have the same shape; a step with more than two
        dimensions is flattened into rows as :func:`normalize_pair` does.

    Returns
    -------
    Recording

    Raises
    ------
    InputError
        No steps, different numbers of steps, a step shaped unlike the first, or more than
        :data:`MAX_RECORDING_CELLS` cells in all (checked before the steps are stacked), and
        whatever :func:`normalize_pair` refuses in a step.

    Examples
    --------
    >>> rec = normalize_recording([np.zeros((2, 3)), np.ones((2, 3))], np.ones((2, 2, 3)))
    >>> rec.steps, rec.z.shape, rec.step(-1).z.tolist()
    (2, (2, 2, 3), [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    """
    z_list, d_list = _steps(z_steps, "z"), _steps(dvalues_steps, "dvalues")
    if not z_list:
        raise InputError("The recording has no steps; give one z and one dvalues per training step.")
    if len(z_list) != len(d_list):
        raise InputError(f"z has {len(z_list)} steps but dvalues has {len(d_list)}; give one of each per step.")
    first = z_list[0].shape
    for i, (z_step, d_step) in enumerate(zip(z_list, d_list, strict=True)):
        for label, step in (("z", z_step), ("dvalues", d_step)):
            if step.shape != first:
                raise InputError(f"{label} at step {i} is {format_shape(step.shape)} but z at step 0 is "
                                 f"{format_shape(first)}; every step must have the same shape.")
    _check_cells((len(z_list), *first), "the recording", MAX_RECORDING_CELLS)  # before stacking copies
    pairs = [normalize_pair(z_step, d_step) for z_step, d_step in zip(z_list, d_list, strict=True)]
    z_dtype = np.result_type(*(pair.z.dtype for pair in pairs))
    d_dtype = np.result_type(*(pair.dvalues.dtype for pair in pairs))
    z = np.stack([pair.z for pair in pairs]).astype(z_dtype, copy=False)
    dvalues = np.stack([pair.dvalues for pair in pairs]).astype(d_dtype, copy=False)
    note = pairs[0].note.replace("z and dvalues are", "each step's z and dvalues are", 1) if pairs[0].note else None
    return Recording(z, dvalues, tuple(int(n) for n in first), note)
