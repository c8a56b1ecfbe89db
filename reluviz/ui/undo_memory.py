"""Keep the arrays an undo history holds under a memory cap by dropping the oldest steps.

``QUndoStack`` can limit the number of steps but not their size, and cannot drop its oldest
commands. Commands that hold arrays expose ``held_arrays()``; when the history's arrays exceed the
cap, the oldest already-applied commands are *released*: their arrays are freed and undo stops
above them (the undo action says so instead of undoing).

The guard keeps a running total of the bytes its steps hold, so an edit costs O(1) amortised
whatever the history's length: steps change only at the top of a stack (a push drops the redo
steps and adds one, a merge changes the top step in place) and are released from the bottom, so
each sync looks at the few steps that changed; only a stack that lost its oldest steps by other
means (``clear()``, an undo limit) is counted again in full.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

__all__ = ["DEFAULT_UNDO_CAP_MB", "UndoMemoryGuard", "is_released"]

DEFAULT_UNDO_CAP_MB = 512


def is_released(command: QUndoCommand | None) -> bool:
    """Whether ``command`` was released to save memory (it can no longer be undone)."""
    return bool(getattr(command, "released", False))


def _held_arrays(command: QUndoCommand) -> list[np.ndarray]:
    """The arrays a step holds (none once released, or for a command that holds none)."""
    return [] if is_released(command) else list(getattr(command, "held_arrays", list)())


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
        # The stack's commands as last seen, each with the arrays it held then (bottom first).
        self._steps: list[tuple[QUndoCommand, list[np.ndarray]]] = []
        # id -> [array, how many steps hold it]: an array shared by two steps counts once. The
        # array itself is kept so its id cannot be reused while it is counted.
        self._holders: dict[int, list] = {}
        self._held_total = 0  # bytes of the distinct arrays in _holders
        self._oldest_unreleased = 0  # released steps are always the bottom ones
        stack.indexChanged.connect(self._on_index_changed)

    # -- the running total ------------------------------------------------------------------------
    def _hold(self, arrays: list[np.ndarray]) -> None:
        for array in arrays:
            entry = self._holders.get(id(array))
            if entry is None:
                self._holders[id(array)] = [array, 1]
                self._held_total += array.nbytes
            else:
                entry[1] += 1

    def _drop(self, arrays: list[np.ndarray]) -> None:
        for array in arrays:
            entry = self._holders[id(array)]
            entry[1] -= 1
            if entry[1] == 0:
                del self._holders[id(array)]
                self._held_total -= array.nbytes

    def _recount(self) -> None:
        """Forget everything and take the stack as it is now (O(n); only when its bottom changed)."""
        self._steps, self._holders, self._held_total = [], {}, 0
        self._oldest_unreleased = 0
        for index in range(self._stack.count()):
            command = self._stack.command(index)
            if is_released(command):
                self._oldest_unreleased = index + 1
            self._steps.append((command, _held_arrays(command)))
            self._hold(self._steps[-1][1])

    def _sync(self) -> None:
        """Bring the running total up to date with the stack (O(steps that changed))."""
        stack, steps = self._stack, self._steps
        count = stack.count()
        if count == 0 or (steps and stack.command(0) is not steps[0][0]):
            self._recount()
            return
        kept = min(len(steps), count)
        while kept > 0 and stack.command(kept - 1) is not steps[kept - 1][0]:
            kept -= 1
        while len(steps) > kept:  # pushed over (the redo steps) or merged away
            self._drop(steps.pop()[1])
        if kept > 0:  # the top step may have merged a newer one into itself
            command, arrays = steps[-1]
            now = _held_arrays(command)
            if [id(a) for a in now] != [id(a) for a in arrays]:
                self._drop(arrays)
                self._hold(now)
                steps[-1] = (command, now)
        for index in range(kept, count):
            command = stack.command(index)
            steps.append((command, _held_arrays(command)))
            self._hold(steps[-1][1])
        self._oldest_unreleased = min(self._oldest_unreleased, len(steps))

    def _history_bytes(self) -> int:
        """The running total less the arrays the model uses now (they cost the history nothing)."""
        live = {id(a): a for a in self._live_arrays()}
        return self._held_total - sum(a.nbytes for key, a in live.items() if key in self._holders)

    # -- what the app sees ------------------------------------------------------------------------
    def held_bytes(self) -> int:
        """Bytes of arrays held by steps that can still be undone or redone (not the live ones)."""
        self._sync()
        return self._history_bytes()

    def _on_index_changed(self, _index: int) -> None:
        # ~QUndoStack clears itself and emits indexChanged while it is being destroyed.
        if shiboken6.isValid(self._stack):
            self.enforce()

    def enforce(self) -> None:
        """Release the oldest applied steps until the history fits under the cap.

        Only steps already applied (below the stack's index) may go; redo steps stay whole.
        """
        self._sync()
        applied = self._stack.index()
        while self._oldest_unreleased < applied and self._history_bytes() > self.cap_bytes:
            command, arrays = self._steps[self._oldest_unreleased]
            self._release(command)
            self._drop(arrays)
            self._steps[self._oldest_unreleased] = (command, [])
            self._oldest_unreleased += 1

    def _release(self, command: QUndoCommand) -> None:
        if is_released(command):
            return
        release = getattr(command, "release", None)
        if release is not None:
            release()
        command.released = True  # type: ignore[attr-defined]
        self.released_count += 1
