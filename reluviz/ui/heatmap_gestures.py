"""Keys, mouse and wheel on a heatmap panel, turned into the panel's signals.

Arrows and Tab move the selection; typing starts an edit; a click selects, a drag pans, Ctrl+drag
and Ctrl+wheel nudge the value; the wheel zooms; a dropped file is reported. :class:`PanelGestures`
is part of :class:`~reluviz.ui.heatmap_panel.HeatmapPanel`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, SignalInstance
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence, QMouseEvent, QWheelEvent

__all__ = ["CLICK_SLOP_PX", "NUDGE_DRAG_PX", "WHEEL_GESTURE_MS", "PanelGestures"]

# Vertical drag distance, in pixels, for one nudge step with Ctrl held.
NUDGE_DRAG_PX = 6.0
# A Ctrl+wheel burst ends (one undo step) after the wheel rests this long.
WHEEL_GESTURE_MS = 600
# A press that moves less than this before release is a click, not a pan.
CLICK_SLOP_PX = 4.0

class PanelGestures:
    """The panel's input handlers (a mixin of :class:`~reluviz.ui.heatmap_panel.HeatmapPanel`).

    The panel provides the attributes annotated here (and ``begin_edit``, ``cell_at``, ``plot_rect``
    and ``resolved_view``); the gesture state starts in its ``__init__``.
    """

    role: str
    editable: bool
    is_editing: bool
    selection: tuple[int, int] | None
    hover: tuple[int, int] | None
    wheel_gesture_timer: QTimer
    cell_clicked: SignalInstance
    cell_hovered: SignalInstance
    nudged: SignalInstance
    nudge_finished: SignalInstance
    zoom_requested: SignalInstance
    pan_requested: SignalInstance
    move_requested: SignalInstance
    file_dropped: SignalInstance
    fit_requested: SignalInstance
    edit_refused: SignalInstance
    _press_pos: QPointF | None
    _last_drag: QPointF | None
    _panning: bool
    _nudge_accumulator: float
    _nudging: bool
    _refused_drag: bool

    # -- keyboard --------------------------------------------------------------------------------
    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Control and self.wheel_gesture_timer.isActive():
            self.wheel_gesture_timer.stop()
            self.nudge_finished.emit()
        super().keyReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        moves = {
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
        }
        if key in moves:
            extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.move_requested.emit(*moves[key], extend)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            if self.editable:
                self.begin_edit()
            else:
                self.edit_refused.emit(self.role)
        elif key == Qt.Key.Key_F and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.fit_requested.emit()
        elif event.matches(QKeySequence.StandardKey.ZoomIn) or (
            key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ) or (key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not self.editable):
            # Ctrl+= / Ctrl++ everywhere; plain + only where it cannot start typing a number.
            self.zoom_requested.emit(1.25, self._centre_in_cells())
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (
            key == Qt.Key.Key_Minus and (event.modifiers() & Qt.KeyboardModifier.ControlModifier or not self.editable)
        ):
            self.zoom_requested.emit(0.8, self._centre_in_cells())
        elif self._typing_start(event):
            if self.editable:
                self.begin_edit(event.text())
            else:
                self.edit_refused.emit(self.role)
        else:
            super().keyPressEvent(event)

    def _typing_start(self, event: QKeyEvent) -> bool:
        if self.selection is None:
            return False
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        text = event.text()
        # Digits, sign, dot and the letters of nan/inf start an edit; F (fit) is handled earlier.
        return len(text) == 1 and (text.isdigit() or text in "+-.naiNAIe")

    def event(self, event: QEvent) -> bool:
        # Tab moves the selection right inside a panel instead of moving focus away.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not self.is_editing
        ):
            self.move_requested.emit(0, 1 if event.key() == Qt.Key.Key_Tab else -1, False)
            return True
        return super().event(event)

    # -- mouse -----------------------------------------------------------------------------------
    def _centre_in_cells(self) -> QPointF:
        return self._cells_at(self.plot_rect().center())

    def _cells_at(self, pos: QPointF) -> QPointF:
        view = self.resolved_view()
        plot = self.plot_rect()
        return QPointF(
            view.origin_col + (pos.x() - plot.left()) / view.cell_w,
            view.origin_row + (pos.y() - plot.top()) / view.cell_h,
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus()
        self._press_pos = event.position()
        self._last_drag = event.position()
        self._panning = False
        self._refused_drag = False
        cell = self.cell_at(event.position())
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and cell is not None:
            self.cell_clicked.emit(self.role, *cell, False)
            if self.editable:
                self._nudging = True
                self._nudge_accumulator = 0.0
            else:
                self._refused_drag = True
                self.edit_refused.emit(self.role)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        pos = event.position()
        if self._press_pos is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if self._refused_drag:
                return
            if self._nudging and self.selection is not None:
                assert self._last_drag is not None
                self._nudge_accumulator += (self._last_drag.y() - pos.y()) / NUDGE_DRAG_PX
                self._last_drag = pos
                whole = int(self._nudge_accumulator)
                if whole:
                    self._nudge_accumulator -= whole
                    self.nudged.emit(self.role, *self.selection, float(whole), False)
                return
            moved = pos - self._press_pos
            if self._panning or abs(moved.x()) + abs(moved.y()) > CLICK_SLOP_PX:
                self._panning = True
                assert self._last_drag is not None
                delta = pos - self._last_drag
                self._last_drag = pos
                view = self.resolved_view()
                self.pan_requested.emit(-delta.y() / view.cell_h, -delta.x() / view.cell_w)
            return
        cell = self.cell_at(pos)
        if cell != self.hover:
            self.cell_hovered.emit(self.role, *(cell if cell is not None else (-1, -1)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        if self._nudging:
            self._nudging = False
            self.nudge_finished.emit()
        elif not self._panning and not self._refused_drag and self._press_pos is not None:
            cell = self.cell_at(event.position())
            if cell is not None:
                extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.cell_clicked.emit(self.role, *cell, extend)
        self._press_pos = None
        self._panning = False
        self._refused_drag = False
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        cell = self.cell_at(event.position())
        if cell is not None:
            self.cell_clicked.emit(self.role, *cell, False)
            if self.editable:
                self.begin_edit()
            else:
                self.edit_refused.emit(self.role)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        self.cell_hovered.emit(self.role, -1, -1)
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        notches = event.angleDelta().y() / 120.0
        if not notches:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            cell = self.cell_at(event.position())
            if cell is not None and not self.editable:
                self.edit_refused.emit(self.role)
            elif cell is not None:
                self.cell_clicked.emit(self.role, *cell, False)
                # A burst of notches is one gesture (one undo step): it ends when Ctrl is
                # released or the wheel rests for WHEEL_GESTURE_MS.
                self.nudged.emit(self.role, *cell, notches, False)
                self.wheel_gesture_timer.start()
            event.accept()
            return
        self.zoom_requested.emit(1.2**notches, self._cells_at(event.position()))
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.file_dropped.emit(self.role, url.toLocalFile())
                event.acceptProposedAction()
                return
