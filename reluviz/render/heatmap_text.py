"""The words and numbers on a panel: its title, the row and column indices, and the printed values.

Every value of a panel is printed at one size, or none is: the size follows from the widest text
in the visible window (:class:`WidestText` keeps it per revision, and a one-cell edit updates it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from reluviz.core.io.cell_value import format_value
from reluviz.render.fonts import MONO_FAMILY, UI_FAMILY
from reluviz.render.heatmap_colour import SameArray
from reluviz.render.heatmap_data import PanelData, ViewState
from reluviz.render.heatmap_geometry import cell_rect, visible_window
from reluviz.render.theme import Theme

__all__ = ["MAX_TEXT_PX", "MIN_TEXT_PX", "TEXT_MARGIN_FRACTION", "WidestText", "draw_values", "paint_indices",
           "paint_title", "text_pixel_size"]

# Values are printed no smaller than this (pixels at theme scale 1): below it a panel prints none.
MIN_TEXT_PX = 9.0
# Nor larger than this (at theme scale 1): big cells get big text, not billboard text.
MAX_TEXT_PX = 26.0
# Printed values keep this fraction of the cell's width clear on each side (at least 3 px).
TEXT_MARGIN_FRACTION = 0.08


def paint_title(painter: QPainter, rect: QRectF, data: PanelData, theme: Theme) -> None:
    """Paint the panel's expression in bold code type, then its shape and dtype (and "editable")."""
    s = theme.scale
    painter.fillRect(rect, theme.panel)
    title_font = QFont(MONO_FAMILY)
    title_font.setPixelSize(max(1, round(15 * theme.font_scale)))
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(theme.text)
    text_rect = rect.adjusted(8 * s, 0, -8 * s, 0)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, data.title)
    used = QFontMetricsF(title_font).horizontalAdvance(data.title)
    detail_font = QFont(UI_FAMILY)
    detail_font.setPixelSize(max(1, round(12 * theme.font_scale)))
    painter.setFont(detail_font)
    painter.setPen(theme.muted)
    rows, cols = data.values.shape
    dtype = data.values.dtype if data.role != "mask" else np.dtype(bool)
    shape = f"{rows}×{cols}" if data.axis_names is None else \
        f"{rows} {data.axis_names[0]} × {cols} {data.axis_names[1]}"
    detail = f"{shape} · {dtype}" + ("  · editable" if data.editable else "")
    painter.drawText(text_rect.adjusted(used + 12 * s, 0, 0, 0),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, detail)


def paint_indices(painter: QPainter, plot: QRectF, view: ViewState, shape: tuple[int, int],
                   theme: Theme, clip: QRectF | None) -> None:
    """Label rows and columns along the array's left and top edges, at a readable spacing (1, 2, 5, 10, …)."""
    s = theme.scale
    painter.save()
    font = QFont(UI_FAMILY)
    font.setPixelSize(max(1, round(10 * theme.font_scale)))
    painter.setFont(font)
    painter.setPen(theme.muted)
    row_spacing = nice_step(18 * s / view.cell_h)
    col_spacing = nice_step(30 * s / view.cell_w)
    rows, cols, _ = visible_window(view, plot, shape)
    # Labels hug the array's edges (which may sit inside the plot when the array is centred).
    array_left = max(plot.left(), plot.left() - view.origin_col * view.cell_w)
    array_top = max(plot.top(), plot.top() - view.origin_row * view.cell_h)
    margin_left = QRectF(array_left - 34 * s, plot.top(), 32 * s, plot.height())
    margin_top = QRectF(plot.left(), array_top - 18 * s, plot.width(), 16 * s)
    align_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for row in range(rows.start - rows.start % row_spacing, rows.stop, row_spacing):
        if row < rows.start:
            continue
        y = plot.top() + (row + 0.5 - view.origin_row) * view.cell_h
        box = QRectF(margin_left.left(), y - 8 * s, margin_left.width() - 3 * s, 16 * s)
        # Each label is drawn whenever a repaint touches it: a centred array's labels sit
        # inside the plot, where a one-cell repaint's background fill may reach them.
        if plot.top() - 1 <= y <= plot.bottom() + 1 and (clip is None or clip.intersects(box)):
            painter.drawText(box, align_right, str(row))
    for col in range(cols.start - cols.start % col_spacing, cols.stop, col_spacing):
        if col < cols.start:
            continue
        x = plot.left() + (col + 0.5 - view.origin_col) * view.cell_w
        box = QRectF(x - 20 * s, margin_top.top(), 40 * s, margin_top.height())
        if plot.left() - 1 <= x <= plot.right() + 1 and (clip is None or clip.intersects(box)):
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(col))
    painter.restore()


def nice_step(minimum: float) -> int:
    """Smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``minimum``."""
    step = 1
    while step < minimum:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if step >= minimum:
                break
    return max(1, step)


def text_pixel_size(characters: int, view: ViewState, theme: Theme) -> float:
    """One font size (pixels) for every value of a panel whose widest text has ``characters``.

    As large as fits the cell with a margin on each side (minus signs counted: values are
    monospace), capped at :data:`MAX_TEXT_PX`; 0 when that is below :data:`MIN_TEXT_PX`, and
    then no value is printed.
    """
    margin = max(3.0, view.cell_w * TEXT_MARGIN_FRACTION)
    room = view.cell_w - 2 * margin
    advance = _mono_advance_per_px()
    size = min(view.cell_h * 0.5, room / (max(1, characters) * advance), MAX_TEXT_PX * theme.font_scale)
    size = math.floor(size * 4) / 4  # a stable size: float noise must not change the font
    return size if size >= MIN_TEXT_PX * min(theme.scale, 1.0) else 0.0


_advance_memo: list[float] = []


def _mono_advance_per_px() -> float:
    """Width of one character of the monospace font per pixel of font size (DejaVu Sans Mono ~0.6)."""
    if not _advance_memo:
        font = QFont(MONO_FAMILY)
        font.setPixelSize(100)
        metrics = QFontMetricsF(font)
        # The widest of the characters a value is written with, so no text ever overflows.
        _advance_memo.append(max(metrics.horizontalAdvance(c) for c in "0123456789-.e+naif") / 100)
    return _advance_memo[0]



@dataclass
class WidestText:
    """Printed lengths of the visible values: decides one font size for the whole panel.

    Kept per revision and window; :meth:`patch` updates one cell's length after an edit.
    """

    key: tuple = ()
    rows: range = range(0)
    cols: range = range(0)
    lengths: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    widest: int = 0

    def characters(self, data: PanelData, rows: range, cols: range) -> int:
        """Characters in the longest value printed in the visible window (cached per revision)."""
        if data.role == "mask":
            return len("False")
        key = (data.role, data.version, SameArray(data.values), data.precision, rows, cols)
        if key != self.key:
            window = data.values[rows.start:rows.stop, cols.start:cols.stop]
            lengths = np.array([[len(format_value(v, data.precision)) for v in line] for line in window],
                               dtype=np.int16).reshape(window.shape)
            self.key, self.rows, self.cols = key, rows, cols
            self.lengths, self.widest = lengths, int(lengths.max(initial=0))
        return self.widest

    def patch(self, data: PanelData, row: int, col: int) -> bool:
        """Update the printed length of ``(row, col)``; ``True`` when the widest text changed."""
        if not self.key or data.role == "mask" or row not in self.rows or col not in self.cols:
            return False
        i, j = row - self.rows.start, col - self.cols.start
        self.lengths[i, j] = len(format_value(data.values[row, col], data.precision))
        widest = int(self.lengths.max())
        if widest == self.widest:
            return False
        self.widest = widest
        return True


def draw_values(painter: QPainter, plot: QRectF, view: ViewState, data: PanelData, cells: tuple[range, range],
                shown: tuple[np.ndarray, np.ndarray, np.ndarray], words: tuple[str, str], pixel_size: float,
                drawn_texts: list[tuple[str, QRectF, QRectF]] | None) -> None:
    """Print each cell's value (the mask: ``words``) at ``pixel_size``, dark on light colours.

    ``cells`` are the rows and columns to print; ``shown`` their values, blocked flags and RGBA
    colours. When ``drawn_texts`` is a list, each printed text is recorded (a test hook).
    """
    rows, cols = cells
    values, blocked, rgba = shown
    font = QFont(MONO_FAMILY)
    font.setPixelSize(max(1, math.floor(pixel_size)))
    painter.setFont(font)
    metrics = QFontMetricsF(font) if drawn_texts is not None else None
    light, dark = QColor(255, 255, 255), QColor(20, 22, 26)
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            if data.role == "mask":
                text = words[0] if blocked[i, j] else words[1]
            else:
                text = format_value(values[i, j], data.precision)
            r, g, b = (int(c) for c in rgba[i, j, :3])
            luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
            painter.setPen(dark if luminance > 140 else light)
            cell = cell_rect(row, col, plot, view)
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
            if metrics is not None and drawn_texts is not None:
                drawn = metrics.boundingRect(cell, Qt.AlignmentFlag.AlignCenter, text)
                drawn_texts.append((text, drawn, cell))
