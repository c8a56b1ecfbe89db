"""A learner's own training, step by step: ``z`` and ``dvalues`` recorded at each step of a loop.

Pure NumPy, no Qt. A :class:`RecordingDocument` holds the recorded arrays read-only, the step on
show, and the number of *dead units* at every step, computed once per operator (a whole-recording
pass, never one per slider move).

Dead unit
    A unit is a column (a neuron: rows are the samples of a batch). Unit ``j`` is dead at step
    ``s`` when the mask blocks it for every row of that step: ``z[s, r, j] <= 0`` for all ``r``
    (``z < 0`` when ``inclusive`` is False). NaN is never blocked (``NaN <= 0`` is False, as in the
    book's ``drelu[z <= 0] = 0``), so a column holding a NaN is not dead.

Examples
--------
>>> import numpy as np
>>> z = np.array([[[-1.0, 2.0], [0.0, -3.0]],     # step 0: column 0 blocked in both rows
...               [[1.0, -2.0], [-1.0, -3.0]]])   # step 1: column 1 blocked in both rows
>>> rec = RecordingDocument(z, np.ones_like(z))
>>> rec.dead_units.tolist(), RecordingDocument(z, np.ones_like(z), inclusive=False).dead_units.tolist()
([1, 1], [0, 1])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reluviz.core.events import Event
from reluviz.core.io.limits import InputError, format_shape

__all__ = ["RecordingDocument", "dead_units_per_step", "is_list_of_steps", "wants_recording"]


def dead_units_per_step(z: np.ndarray, inclusive: bool = True) -> np.ndarray:
    """How many columns of each step are blocked in every row.

    Parameters
    ----------
    z : numpy.ndarray
        ``(steps, rows, cols)``.
    inclusive : bool, default True
        ``z <= 0`` blocks (the book); ``False``: ``z < 0``.

    Returns
    -------
    numpy.ndarray
        ``(steps,)`` int64 counts, each from 0 to ``cols``.
    """
    if z.ndim != 3:
        raise InputError(f"A recording's z is steps × rows × columns, not {format_shape(z.shape)}.")
    blocked = z <= 0 if inclusive else z < 0
    return blocked.all(axis=1).sum(axis=1, dtype=np.int64)


def is_list_of_steps(value: Any) -> bool:
    """Whether ``value`` is a list or tuple of arrays (or tensors) of two or more dimensions each.

    That is what ``zs.append(z.copy())`` in a training loop builds. Nested Python lists, and lists
    of 1-D arrays (rows), are not: they stay one array, as before.
    """
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(len(getattr(item, "shape", ())) >= 2 for item in value))


def wants_recording(z: Any, dvalues: Any, recording: bool | None) -> bool:
    """How ``reluviz.show`` reads its arrays: one pair (False) or a recording of steps (True).

    ``recording=True`` or ``False`` decides. ``None`` (the default) means a recording exactly when
    ``z`` or ``dvalues`` is a list or tuple of arrays with two or more dimensions each
    (:func:`is_list_of_steps`). A single 3-D array keeps its meaning, the leading axes flattened
    into rows: a steps axis is never guessed from a shape, so pass ``recording=True`` for it.
    """
    if recording is not None:
        return bool(recording)
    return is_list_of_steps(z) or is_list_of_steps(dvalues)


def _read_only(array: np.ndarray) -> np.ndarray:
    """``array`` itself when nobody can write to it, else a read-only copy (the caller's stays theirs)."""
    if array.flags.writeable or not array.flags.c_contiguous:
        array = np.array(array, copy=True, order="C")
    array.setflags(write=False)
    return array


class _RecordingEvents:
    def __init__(self) -> None:
        self.step = Event("step")  # (index): the step on show changed
        self.dead_units = Event("dead_units")  # (): the counts changed (``inclusive`` switched)


class RecordingDocument:
    """``z`` and ``dvalues`` recorded over training steps, read-only, and the step on show.

    Parameters
    ----------
    z, dvalues : numpy.ndarray
        Equal-shaped ``(steps, rows, cols)`` integer or float arrays, e.g. from
        :func:`reluviz.core.io.arrays_input.normalize_recording`. Held read-only (copied unless
        already read-only).
    inclusive : bool, default True
        Whether the dead-unit counts use ``z <= 0`` (True) or ``z < 0``.
    step : int, default 0
        The step on show.

    Raises
    ------
    InputError
        Arrays that are not 3-D, differ in shape, have no steps, or a step out of range.
    """

    def __init__(self, z: np.ndarray, dvalues: np.ndarray, *, inclusive: bool = True, step: int = 0) -> None:
        z, dvalues = np.asarray(z), np.asarray(dvalues)
        if z.ndim != 3 or z.shape != dvalues.shape or z.shape[0] == 0:
            raise InputError(f"A recording needs z and dvalues of the same steps × rows × columns shape with at "
                             f"least one step; got {format_shape(z.shape)} and {format_shape(dvalues.shape)}.")
        self.z = _read_only(z)
        self.dvalues = _read_only(dvalues)
        self.events = _RecordingEvents()
        self._inclusive = bool(inclusive)
        self._dead: dict[bool, np.ndarray] = {}
        self._step = self._checked_step(step)

    @classmethod
    def from_input(cls, recording: Any, **kwargs: Any) -> RecordingDocument:
        """Make one from :class:`reluviz.core.io.arrays_input.Recording` (``normalize_recording``'s result)."""
        return cls(recording.z, recording.dvalues, **kwargs)

    @property
    def steps(self) -> int:
        """How many steps were recorded."""
        return int(self.z.shape[0])

    @property
    def step_shape(self) -> tuple[int, int]:
        """``(rows, cols)`` of one step."""
        return int(self.z.shape[1]), int(self.z.shape[2])

    @property
    def step(self) -> int:
        """The step on show, from 0."""
        return self._step

    @property
    def inclusive(self) -> bool:
        """Whether the dead-unit counts use ``z <= 0`` (True) or ``z < 0`` (False)."""
        return self._inclusive

    @property
    def dead_units(self) -> np.ndarray:
        """Dead units at every step under the current ``inclusive`` switch (see the module docstring)."""
        if self._inclusive not in self._dead:
            counts = dead_units_per_step(self.z, self._inclusive)
            counts.setflags(write=False)
            self._dead[self._inclusive] = counts
        return self._dead[self._inclusive]

    def step_arrays(self, index: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Read-only views of ``z`` and ``dvalues`` at step ``index`` (the step on show by default)."""
        index = self._step if index is None else self._checked_step(index)
        return self.z[index], self.dvalues[index]

    def set_step(self, index: int) -> None:
        """Show step ``index``; emits ``events.step`` when it changes."""
        index = self._checked_step(index)
        if index != self._step:
            self._step = index
            self.events.step.emit(index)

    def set_inclusive(self, inclusive: bool) -> None:
        """Count dead units with ``<=`` (True) or ``<``; emits ``events.dead_units`` when it changes."""
        if bool(inclusive) != self._inclusive:
            self._inclusive = bool(inclusive)
            self.events.dead_units.emit()

    def _checked_step(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < self.steps:
            raise InputError(f"Step {index!r} is not in the recording; steps go from 0 to {self.steps - 1}.")
        return int(index)
