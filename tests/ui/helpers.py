"""Small helpers that drive panels as a person would (click, type, wheel) and read pixels."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from reluviz.ui.heatmap_panel import HeatmapPanel


def cell_centre(panel: HeatmapPanel, row: int, col: int) -> QPoint:
    """The centre of a cell in the panel's widget coordinates, as an integer point (where to click)."""
    return panel.cell_rect(row, col).center().toPoint()


def click_cell(qtbot, panel: HeatmapPanel, row: int, col: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, modifier, cell_centre(panel, row, col))


def type_into_cell(qtbot, panel: HeatmapPanel, text: str, key=Qt.Key.Key_Return) -> None:
    """Type ``text`` on the selected cell (the first key opens the editor) and commit with ``key``."""
    qtbot.keyClicks(panel, text[0])
    assert panel.is_editing
    qtbot.keyClicks(panel.editor, text[1:])
    qtbot.keyClick(panel.editor, key)


def wheel(panel: HeatmapPanel, pos: QPoint, notches: float, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    event = QWheelEvent(QPointF(pos), QPointF(panel.mapToGlobal(pos)), QPoint(0, 0),
                        QPoint(0, int(120 * notches)), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(panel, event)


def cell_colour(panel: HeatmapPanel, row: int, col: int) -> QColor:
    """The painted colour near the bottom-left corner of a cell (clear of text and corner marks)."""
    image = panel.grab().toImage()
    box = panel.cell_rect(row, col)
    inset = max(1.0, min(5.0, box.width() * 0.15))
    ratio = image.devicePixelRatio()
    point = QPointF(box.left() + inset, box.bottom() - inset) * ratio
    return image.pixelColor(point.toPoint())
