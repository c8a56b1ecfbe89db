"""Keep the arrays an undo history holds under a memory cap by dropping the oldest steps.

``QUndoStack`` can limit the number of steps but not their size, and cannot drop its oldest
commands. Commands that hold arrays expose ``held_arrays()``; when the history's arrays exceed the
cap, the oldest already-applied commands are *released*: their arrays are freed and undo stops
above them (the undo action says so instead of undoing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

__all__ = ["DEFAULT_UNDO_CAP_MB", "UndoMemoryGuard", "is_released"]

DEFAULT_UNDO_CAP_MB = 512


def is_released(command: QUndoCommand | None) -> bool:
    """Whether ``command`` was released to save memory (it can no longer be undone)."""
    return bool(getattr(command, "released", False))


class UndoMemoryGuard(QObject):
    """Watches a ``QUndoStack`` and releases its oldest steps beyond ``cap_bytes``.

    Parameters
    ----------
    stack : QUndoStack
        The history to watch.
    cap_bytes : int
        Most bytes of arrays the history may hold (arrays also in use by the model are free).
    live_arrays : callable
        Returns the arrays the model uses now; they are not counted.
    """

    def __init__(self, stack: QUndoStack, cap_bytes: int, live_arrays: Callable[[], list[np.ndarray]]) -> None:
        super().__init__(stack)
        self._stack = stack
        self.cap_bytes = cap_bytes
        self._live_arrays = live_arrays
        self.released_count = 0
        stack.indexChanged.connect(self._on_index_changed)

    def _unreleased_newest_first(self) -> Iterator[tuple[int, int]]:
        """``(index, new_bytes)`` for each step from the newest down to the first released one.

        ``new_bytes`` counts the step's arrays not already counted (live arrays are free), so
        the running sum is the memory the history holds back to that step.
        """
        seen = {id(a) for a in self._live_arrays()}
        for index in range(self._stack.count() - 1, -1, -1):
            command = self._stack.command(index)
            if is_released(command):
                return
            new_bytes = 0
            for array in getattr(command, "held_arrays", list)():
                if id(array) not in seen:
                    seen.add(id(array))
                    new_bytes += array.nbytes
            yield index, new_bytes

    def held_bytes(self) -> int:
        """Bytes of arrays held by steps that can still be undone or redone (not the live ones)."""
        return sum(new_bytes for _index, new_bytes in self._unreleased_newest_first())

    def _on_index_changed(self, _index: int) -> None:
        # ~QUndoStack clears itself and emits indexChanged while it is being destroyed.
        if shiboken6.isValid(self._stack):
            self.enforce()

    def enforce(self) -> None:
        """Release the oldest applied steps until the history fits under the cap."""
        total = 0
        for index, new_bytes in self._unreleased_newest_first():
            total += new_bytes
            if total > self.cap_bytes:
                # Only steps already applied (below the index) may go; redo steps stay whole.
                for older in range(min(index, self._stack.index() - 1), -1, -1):
                    self._release(self._stack.command(older))
                return

    def _release(self, command: QUndoCommand) -> None:
        if is_released(command):
            return
        release = getattr(command, "release", None)
        if release is not None:
            release()
        command.released = True  # type: ignore[attr-defined]
        self.released_count += 1
