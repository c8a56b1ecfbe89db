"""The Arrays view's undo commands: each one change to the :class:`ArraysDocument`, undoable.

The commands act on the document (never on widgets), so an undo repaints exactly as any other
change of the document does: the view follows the document's events. Commands that hold arrays
expose ``held_arrays()`` and ``release()`` for :class:`~reluviz.ui.undo_memory.UndoMemoryGuard`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QUndoCommand

from reluviz.core.arrays_document import ArraysDocument

__all__ = ["FitRangesCommand", "ReplaceArraysCommand", "SetBlockCommand", "SetCellCommand", "SetInclusiveCommand"]

_NUDGE_MERGE_ID = 1001

InstallArrays = Callable[[np.ndarray, np.ndarray, bool], None]
"""How a :class:`ReplaceArraysCommand` installs arrays: ``install(z, dvalues, refit)``."""


class SetCellCommand(QUndoCommand):
    """One cell of z or dvalues changed; nudges of one gesture merge into one step."""

    def __init__(self, document: ArraysDocument, name: str, row: int, col: int, old: np.generic,
                 new: np.generic, gesture: int | None) -> None:
        super().__init__(f"Set {name}[{row}, {col}]")
        self._document, self._name, self._row, self._col = document, name, row, col
        self._old, self._new = old, new
        self._gesture = gesture

    def id(self) -> int:
        return _NUDGE_MERGE_ID if self._gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, SetCellCommand) or other._gesture != self._gesture:
            return False
        if (other._name, other._row, other._col) != (self._name, self._row, self._col):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._document.set_value(self._name, self._row, self._col, self._new)

    def undo(self) -> None:
        self._document.set_value(self._name, self._row, self._col, self._old)


class ReplaceArraysCommand(QUndoCommand):
    """Both arrays replaced at once (preset, resize, randomize, fill, file).

    ``install`` puts a pair in (the view's :meth:`~reluviz.ui.arrays_view.ArraysView.apply_arrays`:
    a refit also re-frames the view, which is not the document's business).
    """

    def __init__(self, install: InstallArrays, text: str, before: tuple[np.ndarray, np.ndarray],
                 after: tuple[np.ndarray, np.ndarray], refit: bool) -> None:
        super().__init__(text)
        self._install, self._before, self._after, self._refit = install, before, after, refit

    def held_arrays(self) -> list[np.ndarray]:
        return [*self._before, *self._after]

    def release(self) -> None:
        empty = np.empty((0, 0))
        self._before = self._after = (empty, empty)

    def redo(self) -> None:
        self._install(*self._after, self._refit)

    def undo(self) -> None:
        self._install(*self._before, self._refit)


class SetBlockCommand(QUndoCommand):
    """A pasted block: stores only the cells it replaced."""

    def __init__(self, document: ArraysDocument, name: str, row: int, col: int, old: np.ndarray,
                 new: np.ndarray) -> None:
        super().__init__(f"Paste {new.shape[0]}×{new.shape[1]} into {name}[{row}, {col}]")
        self._document, self._name, self._row, self._col = document, name, row, col
        self._old, self._new = old, new

    def held_arrays(self) -> list[np.ndarray]:
        return [self._old, self._new]

    def release(self) -> None:
        empty = np.empty((0, 0))
        self._old = self._new = empty

    def redo(self) -> None:
        self._document.set_block(self._name, self._row, self._col, self._new)

    def undo(self) -> None:
        self._document.set_block(self._name, self._row, self._col, self._old)


class FitRangesCommand(QUndoCommand):
    """Fit the colour ranges to the data (a range only ever shrinks through this)."""

    def __init__(self, document: ArraysDocument, before: tuple[float, float], after: tuple[float, float]) -> None:
        super().__init__("Fit colour ranges")
        self._document, self._before, self._after = document, before, after

    def redo(self) -> None:
        self._document.set_ranges(*self._after)

    def undo(self) -> None:
        self._document.set_ranges(*self._before)


class SetInclusiveCommand(QUndoCommand):
    """The mask switched between ``z <= 0`` and ``z < 0``."""

    def __init__(self, document: ArraysDocument, inclusive: bool) -> None:
        super().__init__("Use z <= 0" if inclusive else "Use z < 0")
        self._document, self._inclusive = document, inclusive

    def redo(self) -> None:
        self._document.set_inclusive(self._inclusive)

    def undo(self) -> None:
        self._document.set_inclusive(not self._inclusive)
