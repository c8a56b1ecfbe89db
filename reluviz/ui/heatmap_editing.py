"""Typing into a heatmap cell: the in-place :class:`CellEditor` and the panel's side of it.

Typing on a selected cell (or Enter, F2, a double click) opens the editor over the cell; Enter and
Tab commit and move on, Escape cancels. A refused text keeps the editor open with the reason below
it. :class:`CellEditing` is part of :class:`~reluviz.ui.heatmap_panel.HeatmapPanel`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QRectF, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit

from reluviz.render.heatmap import PanelData

__all__ = ["CellEditing", "CellEditor"]


class CellEditor(QLineEdit):
    """The in-place editor: commits on Enter/Tab, cancels on Escape; arrows move the text cursor."""

    commit_requested = Signal(str, int, int)  # text, row move, column move
    cancel_requested = Signal()
    focus_changed = Signal()  # the panel's focus frame also shows while its editor has the focus

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focus_changed.emit()

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.focus_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit_requested.emit(self.text(), -1 if shift else 1, 0)
        elif key == Qt.Key.Key_Tab:
            self.commit_requested.emit(self.text(), 0, 1)
        elif key == Qt.Key.Key_Backtab:
            self.commit_requested.emit(self.text(), 0, -1)
        elif key == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # Tab would otherwise move focus to the next widget before keyPressEvent sees it.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in (
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            self.keyPressEvent(event)
            return True
        return super().event(event)


class CellEditing:
    """The panel's editing methods (a mixin of :class:`~reluviz.ui.heatmap_panel.HeatmapPanel`).

    The panel provides the attributes annotated here; this class adds no state of its own but
    ``_editing_cell`` and ``_pending_move``.
    """

    role: str
    editable: bool
    editor: CellEditor
    error_label: QLabel
    selection: tuple[int, int] | None
    edit_committed: SignalInstance
    move_requested: SignalInstance
    _editing_cell: tuple[int, int] | None
    _data_source: Callable[[], PanelData]

    @property
    def is_editing(self) -> bool:
        """Whether the in-place editor is open."""
        return self.editor.isVisible()

    def begin_edit(self, initial_text: str | None = None) -> None:
        """Open the editor on the selected cell, pre-filled with its value or ``initial_text``."""
        if not self.editable or self.selection is None:
            return
        row, col = self.selection
        data = self._data_source()
        self._editing_cell = (row, col)
        box = self.cell_rect(row, col)
        width = max(box.width(), 90.0)
        height = max(box.height(), 26.0)
        left = min(max(0.0, box.center().x() - width / 2), self.width() - width)
        top = min(max(0.0, box.center().y() - height / 2), self.height() - height)
        self.editor.setGeometry(QRectF(left, top, width, height).toAlignedRect())
        if initial_text is None:
            self.editor.setText(_edit_text(data.values[row, col]))
            self.editor.selectAll()
        else:
            self.editor.setText(initial_text)
        self.editor.show()
        self.editor.setFocus()

    def cancel_edit(self) -> None:
        """Close the editor without changing anything."""
        self.setFocus()  # before hiding the editor, or Qt gives the focus to the next panel first
        self.editor.hide()
        self.error_label.hide()
        self._editing_cell = None

    def show_error(self, message: str) -> None:
        """Show why the typed text was refused, just below the editor; the editor stays open."""
        self.error_label.setText(message)
        self.error_label.setMaximumWidth(max(160, self.width() - 8))
        self.error_label.adjustSize()
        geometry = self.editor.geometry()
        left = min(max(2, geometry.left()), max(2, self.width() - self.error_label.width() - 2))
        top = geometry.bottom() + 3
        if top + self.error_label.height() > self.height():
            top = geometry.top() - self.error_label.height() - 3
        self.error_label.move(left, top)
        self.error_label.show()
        self.error_label.raise_()
        self.editor.selectAll()
        self.editor.setFocus()

    def finish_edit(self, row_move: int, col_move: int) -> None:
        """Close the editor after an accepted commit and move the selection."""
        self.setFocus()  # before hiding the editor, or Qt gives the focus to the next panel first
        self.editor.hide()
        self.error_label.hide()
        self._editing_cell = None
        if row_move or col_move:
            self.move_requested.emit(row_move, col_move, False)

    def _on_editor_commit(self, text: str, row_move: int, col_move: int) -> None:
        if self._editing_cell is None:
            return
        row, col = self._editing_cell
        self._pending_move = (row_move, col_move)
        self.edit_committed.emit(self.role, row, col, text)

    @property
    def pending_move(self) -> tuple[int, int]:
        """Where the selection moves if the last commit is accepted."""
        return getattr(self, "_pending_move", (0, 0))


def _edit_text(value: object) -> str:
    """The text an editor starts with: Python's repr, so ``-0.0`` and ``1e-07`` stay exact."""
    if isinstance(value, (np.integer, int)):
        return str(int(value))
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = repr(number)
    return text[:-2] if text.endswith(".0") and text != "-0.0" else text
