"""A heatmap panel on screen: paints through :class:`HeatmapRenderer`, handles mouse and keys.

The panel holds no maths. It asks its owner (the arrays view) for the :class:`PanelData` to show
and reports what the user did through signals: a cell clicked or hovered, a value typed, a nudge,
a zoom or pan. Typing starts an in-place editor; Enter/Tab commit and move on, Escape cancels.

This module has the widget, its geometry and its painting; the in-place editor is in
:mod:`reluviz.ui.heatmap_editing` and the key, mouse and wheel handlers in
:mod:`reluviz.ui.heatmap_gestures`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QPainter,
    QPaintEvent,
    QRegion,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from reluviz.render.fonts import mono_font, ui_font
from reluviz.render.heatmap import HeatmapRenderer, PanelData, PanelGeometry, ViewState
from reluviz.render.theme import Theme
from reluviz.ui.heatmap_editing import CellEditing, CellEditor
from reluviz.ui.heatmap_gestures import WHEEL_GESTURE_MS, PanelGestures

__all__ = ["CellEditor", "HeatmapPanel"]

# The focus frame is one pixel wide; its repaint covers a little more (antialiasing margin).
_FOCUS_EDGE_PX = 2
# Up to this many dirty rectangles are painted one by one; more are painted as their bounding box.
_MAX_CLIP_RECTS = 6


class HeatmapPanel(CellEditing, PanelGestures, QWidget):
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

    def sizeHint(self):  # noqa: N802 (Qt override)
        from PySide6.QtCore import QSize

        return QSize(420, 320)

