"""The colour bar and the legends beside a panel: each legend explains a mark that is on the panel."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF

from reluviz.core.colour import BLOCKED_RGB, MASK_FALSE_RGB, MASK_TRUE_RGB, NONFINITE_RGB, lookup_table
from reluviz.core.io.cell_value import format_value
from reluviz.render.fonts import UI_FAMILY
from reluviz.render.heatmap_data import PanelData, ViewState
from reluviz.render.heatmap_geometry import visible_window
from reluviz.render.heatmap_pixels import outline
from reluviz.render.theme import Theme

__all__ = ["LEGEND_WORDS", "dog_ear", "has_visible_nonfinite", "legend_layout", "paint_bar"]


# What each legend says, one line each: the first in the text colour, the rest muted.
LEGEND_WORDS: dict[str, tuple[str, ...]] = {
    "true": ("True →", "drelu set to 0"),
    "false": ("False →", "drelu = dvalues"),
    "blocked": ("blocked", "drelu set to 0", "(z <= 0)"),
    "zero": ("exactly 0", "(0 or -0)"),
    "nonfinite": ("nan / ±inf", "(off the scale)"),
}


def _legend_line_height(theme: Theme) -> float:
    font = QFont(UI_FAMILY)
    font.setPixelSize(max(1, round(11 * theme.font_scale)))
    return QFontMetricsF(font).height()


def has_visible_nonfinite(data: PanelData, view: ViewState, plot: QRectF) -> bool:
    """Whether a hatched NaN/±inf cell is on screen (visible window only: bounded cost)."""
    if data.values.dtype.kind != "f":
        return False
    shape = (int(data.values.shape[0]), int(data.values.shape[1]))
    rows, cols, step = visible_window(view, plot, shape)
    if step != (1, 1) or not rows or not cols:
        # Colour only at this size: non-finite cells show in the grey outside every scale.
        window = data.values[rows.start:rows.stop:step[0], cols.start:cols.stop:step[1]]
    else:
        window = data.values[rows.start:rows.stop, cols.start:cols.stop]
    return bool(window.size) and not bool(np.isfinite(window).all())


def legend_layout(area: QRectF, entries: tuple[str, ...], theme: Theme) -> tuple[QRectF, list[tuple[str, QRectF]]]:
    """Lay out the colour bar and the legends below it inside ``area`` (never outside it).

    Returns the colour bar's rectangle (empty for the mask, which has no scale) and each
    legend's key with the rectangle it occupies (swatch and words).
    """
    s = theme.scale
    line = _legend_line_height(theme)
    swatch = 14 * theme.font_scale
    heights = {key: swatch + 3 * s + len(LEGEND_WORDS[key]) * line for key in entries}
    gap = 10 * s
    legends_h = sum(heights.values()) + gap * len(entries)
    bar_x = area.left() + 6 * s
    has_bar = "true" not in entries
    bar_h = min(260 * s, area.height() - legends_h - 8 * s) if has_bar else 0.0
    if has_bar and bar_h < 40 * s:
        bar_h = 0.0  # too short to read: the legends keep their room
    bar = QRectF(bar_x, area.top(), 14 * s, max(0.0, bar_h))
    top = bar.bottom() + (gap + 6 * s if has_bar and bar_h else 0.0)
    rects = []
    for key in entries:
        box = QRectF(bar_x, top, area.right() - bar_x - 2 * s, heights[key])
        rects.append((key, box))
        top += heights[key] + gap
    return bar, rects


def paint_bar(painter: QPainter, area: QRectF, data: PanelData, theme: Theme,
               solid_blocked: bool = False, entries: tuple[str, ...] = ()) -> None:
    """Paint the colour bar (with its ±half-range and 0 labels) and the legends ``entries`` into ``area``."""
    s = theme.scale
    painter.fillRect(area, theme.panel)
    font = QFont(UI_FAMILY)
    font.setPixelSize(max(1, round(11 * theme.font_scale)))
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    bar, legends = legend_layout(area, entries, theme)
    if bar.height() > 0:
        table = lookup_table(data.cmap)
        strip = np.ascontiguousarray(table[::-1, None, :].repeat(2, axis=1))
        image = QImage(strip.data, 2, strip.shape[0], 8, QImage.Format.Format_RGBA8888)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(bar, image)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setPen(QPen(theme.muted, max(1.0, s)))
        painter.drawRect(bar)
        painter.setPen(theme.text)
        limit = data.half_range
        for fraction, value in ((0.0, limit), (0.5, 0.0), (1.0, -limit)):
            y = bar.top() + fraction * bar.height()
            painter.drawLine(QLineF(bar.right(), y, bar.right() + 4 * s, y))
            label = format_value(value, 3)
            painter.drawText(QPointF(bar.right() + 6 * s, y + metrics.ascent() / 2 - 1), label)
    line = _legend_line_height(theme)
    for key, rect in legends:
        box = QRectF(rect.left(), rect.top(), 14 * theme.font_scale, 14 * theme.font_scale)
        _paint_legend_swatch(painter, key, box, data, theme, solid_blocked)
        lines = LEGEND_WORDS[key]
        if key == "blocked":
            lines = (*lines[:-1], f"(z {data.operator} 0)")
        for index, words in enumerate(lines):
            painter.setPen(theme.text if index == 0 else theme.muted)
            baseline = box.bottom() + 3 * s + index * line + metrics.ascent()
            painter.drawText(QPointF(rect.left(), baseline), words)


def _paint_legend_swatch(painter: QPainter, key: str, box: QRectF, data: PanelData, theme: Theme,
                         solid_blocked: bool) -> None:
    s = theme.scale
    if key in ("true", "false"):
        painter.fillRect(box, QColor(*(MASK_TRUE_RGB if key == "true" else MASK_FALSE_RGB)))
    elif key == "blocked" and solid_blocked:  # small cells are filled solid: show what the eye sees
        painter.fillRect(box, QColor(*BLOCKED_RGB))
    elif key == "blocked":
        _paint_blocked_swatch(painter, box, data, theme)
        return
    elif key == "zero":
        # Exact zeros are where z <= 0 and z < 0 disagree: say what the dashed outline means.
        inset = 2.0 * s
        outline(painter, box.adjusted(inset, inset, -inset, -inset),
                 QPen(theme.zero_mark, max(1.5, 2.0 * s), Qt.PenStyle.DashLine))
        return
    elif key == "nonfinite":
        painter.fillRect(box, QColor(*NONFINITE_RGB))
        painter.fillRect(box, QBrush(QColor(70, 70, 70), Qt.BrushStyle.BDiagPattern))
    painter.setPen(QPen(theme.muted, max(1.0, s)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(box)


def _paint_blocked_swatch(painter: QPainter, box: QRectF, data: PanelData, theme: Theme) -> None:
    zero = lookup_table(data.cmap)[128]
    painter.fillRect(box, QColor(int(zero[0]), int(zero[1]), int(zero[2])))
    dog_ear(painter, box)
    painter.setPen(QPen(theme.muted, max(1.0, theme.scale)))
    painter.drawRect(box)


def dog_ear(painter: QPainter, cell: QRectF) -> None:
    """Fill the top-right corner of ``cell`` with the blocked colour: drelu's mark for a blocked cell."""
    side = min(cell.width(), cell.height())
    size = min(side * 0.42, 18.0 * max(1.0, side / 60))
    corner = QPolygonF([cell.topRight(), QPointF(cell.right() - size, cell.top()),
                        QPointF(cell.right(), cell.top() + size)])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(*BLOCKED_RGB))
    painter.drawPolygon(corner)
    painter.setBrush(Qt.BrushStyle.NoBrush)

