"""A heatmap panel on screen: paints through :class:`HeatmapRenderer`, handles mouse and keys.

The panel holds no maths. It asks its owner (the arrays view) for the :class:`PanelData` to show
and reports what the user did through signals: a cell clicked or hovered, a value typed, a nudge,
a zoom or pan. Typing starts an in-place editor; Enter/Tab commit and move on, Escape cancels.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRegion,
    QWheelEvent,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QWidget

from reluviz.render.fonts import mono_font, ui_font
from reluviz.render.heatmap import HeatmapRenderer, PanelData, PanelGeometry, ViewState
from reluviz.render.theme import Theme

__all__ = ["CellEditor", "HeatmapPanel"]

# Vertical drag distance, in pixels, for one nudge step with Ctrl held.
NUDGE_DRAG_PX = 6.0
# A Ctrl+wheel burst ends (one undo step) after the wheel rests this long.
WHEEL_GESTURE_MS = 600
# A press that moves less than this before release is a click, not a pan.
CLICK_SLOP_PX = 4.0
# The focus frame is one pixel wide; its repaint covers a little more (antialiasing margin).
_FOCUS_EDGE_PX = 2
# Up to this many dirty rectangles are painted one by one; more are painted as their bounding box.
_MAX_CLIP_RECTS = 6


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


class HeatmapPanel(QWidget):
    """One of the four linked heatmaps.

    Parameters
    ----------
    role : str
        ``"z"``, ``"dvalues"``, ``"mask"`` or ``"drelu"``.
    data_source : callable
        Returns the :class:`PanelData` to paint, freshly, whenever asked.
    view : ViewState
        Shared with the other panels (mutated by the owner, never here).
    theme_source : callable
        Returns the current :class:`Theme`.
    """

    cell_clicked = Signal(str, int, int, bool)  # role, row, col, extend (Shift held)
    cell_hovered = Signal(str, int, int)  # row -1 when the pointer leaves the cells
    edit_committed = Signal(str, int, int, str)  # role, row, col, text
    nudged = Signal(str, int, int, float, bool)  # role, row, col, steps, gesture finished
    nudge_finished = Signal()
    zoom_requested = Signal(float, QPointF)  # factor, anchor in plot coordinates (cells)
    pan_requested = Signal(float, float)  # delta in cells (rows, cols)
    move_requested = Signal(int, int, bool)  # selection move by (rows, cols), extend (Shift)
    file_dropped = Signal(str, str)  # role, local path
    fit_requested = Signal()
    edit_refused = Signal(str)  # role: an edit gesture on a computed panel (mask, drelu)

    def __init__(
        self,
        role: str,
        data_source: Callable[[], PanelData],
        view: ViewState,
        theme_source: Callable[[], Theme],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.role = role
        self.editable = role in ("z", "dvalues")
        self._data_source = data_source
        self._theme_source = theme_source
        self.view = view
        self.renderer = HeatmapRenderer()
        # What a screen reader says about a cell; the owner may give a richer text (the linked
        # cells of the other panels). Default: this panel's own value.
        self.cell_text: Callable[[int, int], str] = self._own_cell_text
        self._selection: tuple[int, int] | None = None
        self.selection_range: tuple[int, int, int, int] | None = None
        self.selection_is_here = False
        self.hover: tuple[int, int] | None = None
        self._press_pos: QPointF | None = None
        self._last_drag: QPointF | None = None
        self._panning = False
        self._nudge_accumulator = 0.0
        self._nudging = False
        # A Ctrl+drag that started on a computed panel: swallowed (no nudge, no pan).
        self._refused_drag = False
        self.setObjectName(f"panel_{role}")
        self.setAccessibleName(f"{role} heatmap")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.editable else Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAcceptDrops(True)
        self.editor = CellEditor(self)
        self.editor.setFont(mono_font(11))
        self.editor.hide()
        self.editor.commit_requested.connect(self._on_editor_commit)
        self.editor.cancel_requested.connect(self.cancel_edit)
        self.editor.focus_changed.connect(self._update_frame)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("cell_error")
        self.error_label.setFont(ui_font(9))
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            "QLabel { background: #fff4f4; color: #a4000f; border: 1px solid #d1242f;"
            " border-radius: 3px; padding: 3px 6px; }"
        )
        self.error_label.hide()
        self._editing_cell: tuple[int, int] | None = None
        self._frame_painted = False
        self.wheel_gesture_timer = QTimer(self)
        self.wheel_gesture_timer.setSingleShot(True)
        self.wheel_gesture_timer.setInterval(WHEEL_GESTURE_MS)
        self.wheel_gesture_timer.timeout.connect(self.nudge_finished)

    # -- accessibility ---------------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected cell ``(row, col)``, or ``None``; setting it tells assistive technology."""
        return self._selection

    @selection.setter
    def selection(self, cell: tuple[int, int] | None) -> None:
        changed = cell != self._selection
        self._selection = cell
        if changed:
            self.update_accessible_text()

    def update_accessible_text(self) -> None:
        """Name the panel after its selected cell and its value, and tell a screen reader."""
        data = self._data_source()
        cell = self._selection
        if cell is None or cell[0] >= data.values.shape[0] or cell[1] >= data.values.shape[1]:
            name = f"{self.role} heatmap"
        else:
            name = self.cell_text(*cell)
        if name == self.accessibleName():
            return
        self.setAccessibleName(name)
        self.setAccessibleDescription(f"{self.role} heatmap, {data.values.shape[0]}×{data.values.shape[1]}: "
                                      "arrow keys move between cells")
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.NameChanged))
            if self.hasFocus():
                QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Focus))

    def _own_cell_text(self, row: int, col: int) -> str:
        from reluviz.core.io.cell_value import format_value

        data = self._data_source()
        if data.role == "mask":
            value = str(bool(data.blocked[row, col]))
        else:
            value = format_value(data.values[row, col], 6)
        return f"{self.role}, row {row}, column {col}: {value}; mask {bool(data.blocked[row, col])}"

    # -- geometry helpers ------------------------------------------------------------------------
    def geometry(self) -> PanelGeometry:
        """Where everything is drawn now: the one geometry painting, clicks and repaints share."""
        data = self._data_source()
        return HeatmapRenderer.geometry(QRectF(self.rect()), data.values.shape, self.view, self._theme_source())

    def plot_rect(self) -> QRectF:
        """The rectangle where cells are drawn, in widget coordinates."""
        return self.geometry().parts.plot

    def resolved_view(self) -> ViewState:
        """The shared view made concrete for this panel's plot rectangle (at the theme's scale)."""
        return self.geometry().view

    def cell_rect(self, row: int, col: int) -> QRectF:
        """Where cell ``(row, col)`` is drawn in this widget."""
        return self.geometry().cell_rect(row, col)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """The cell painted at a widget position, or ``None``.

        A mouse position names a pixel (its top-left corner); the renderer colours each pixel by
        the cell under its centre, so the pixel's centre is what is looked up.
        """
        ratio = self.devicePixelRatioF() or 1.0
        centre = QPointF((math.floor(pos.x() * ratio) + 0.5) / ratio, (math.floor(pos.y() * ratio) + 0.5) / ratio)
        return self.geometry().cell_at(centre)

    def update_cell(self, row: int, col: int) -> None:
        """Repaint only the rectangle of one cell (plus its outline).

        The whole panel when the edit changed its widest value: every value is printed at one
        font size, chosen from the widest text.
        """
        if (row, col) == self._selection:
            self.update_accessible_text()  # the selected cell's value changed: say the new one
        if self.renderer.text_relayout_needed:
            self.renderer.text_relayout_needed = False
            self.update()
            return
        geometry = self.geometry()
        legends = self.renderer.legend_entries(self._data_source(), geometry.view, geometry.parts.plot)
        if legends != self.renderer.painted_legends:
            self.update_legend()  # a NaN (or the last one) came or went: its legend too
        grow = geometry.repaint_margin()
        self.update(geometry.cell_rect(row, col).adjusted(-grow, -grow, grow, grow).toAlignedRect())

    def update_range(self, rows: range, cols: range) -> None:
        """Repaint the rectangle covering a block of cells (plus its outline)."""
        geometry = self.geometry()
        grow = geometry.repaint_margin()
        first = geometry.cell_rect(rows.start, cols.start)
        last = geometry.cell_rect(rows.stop - 1, cols.stop - 1)
        self.update(first.united(last).adjusted(-grow, -grow, grow, grow).toAlignedRect())

    def update_legend(self) -> None:
        """Repaint the colour bar's column: the bar, its labels and the legends (an "exactly 0" or
        "nan / ±inf" that appeared or went moves the bar, and its top label sits above the bar)."""
        bar = self.geometry().parts.bar
        column = QRectF(bar.left(), 0, self.width() - bar.left(), self.height())
        self.update(column.toAlignedRect().adjusted(-1, 0, 0, 0))

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        region = event.region()
        # Paint each dirty rectangle (an edited cell, the area the closed editor uncovered) on its
        # own: their bounding box can be most of the panel. Many small ones: one box is cheaper.
        rects = list(region) if region.rectCount() <= _MAX_CLIP_RECTS else [region.boundingRect()]
        data, theme = self._data_source(), self._theme_source()
        for rect in rects:
            clip_rect = QRectF(rect)
            whole = clip_rect.contains(QRectF(self.rect()))
            # Each pass stays inside its own rectangle: the renderer draws titles, labels and
            # legends whole when they touch the clip, and a second pass drawing them over the
            # first pass's antialiased text would darken it.
            painter.save()
            painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
            self.renderer.paint(
                painter,
                QRectF(self.rect()),
                data,
                self.view,
                theme,
                selection=self.selection,
                selection_range=self.selection_range,
                selection_is_here=self.selection_is_here,
                hover=self.hover,
                clip=None if whole else clip_rect,
            )
            painter.restore()
        if self._framed:
            painter.setPen(self._theme_source().accent)
            painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    # QWidget's own focus handlers only call update() on the whole widget; they are not called.
    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._update_frame()

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._update_frame()

    @property
    def _framed(self) -> bool:
        """Whether the focus frame is drawn: the panel or its open cell editor has the focus."""
        return self.hasFocus() or self.editor.hasFocus()

    def _update_frame(self) -> None:
        # Opening and closing the cell editor moves the focus between the panel and its editor
        # and leaves the frame as it was: no repaint, so a typed edit repaints only its cell.
        if self._framed != self._frame_painted:
            self._frame_painted = self._framed
            self.update(self._focus_frame())

    def _focus_frame(self) -> QRegion:
        """The panel's edges, where the focus frame is drawn: all a change of focus repaints."""
        width, height, edge = self.width(), self.height(), _FOCUS_EDGE_PX
        frame = QRegion(0, 0, width, edge) + QRegion(0, height - edge, width, edge)
        return frame + QRegion(0, 0, edge, height) + QRegion(width - edge, 0, edge, height)

    # -- editing ---------------------------------------------------------------------------------
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

    def sizeHint(self):  # noqa: N802 (Qt override)
        from PySide6.QtCore import QSize

        return QSize(420, 320)

    def map_to_global_cell_centre(self, row: int, col: int) -> QPoint:
        """The centre of a cell in widget coordinates, as an integer point (for tests and tooltips)."""
        return self.cell_rect(row, col).center().toPoint()


def _edit_text(value: object) -> str:
    """The text an editor starts with: Python's repr, so ``-0.0`` and ``1e-07`` stay exact."""
    import math

    import numpy as np

    if isinstance(value, (np.integer, int)):
        return str(int(value))
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = repr(number)
    return text[:-2] if text.endswith(".0") and text != "-0.0" else text
