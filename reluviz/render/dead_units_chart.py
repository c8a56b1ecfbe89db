"""The dead-units chart: dead units per Train step for each ReLU layer, with the rule that explains it.

The numbers come from :func:`reluviz.core.teaching.dead_units.trace_dead_units`; the sentences say
only what that trace measured (the rule, whether every dead unit's weights stayed bit for bit the
same, and which units came back). QtGui only: the dialog shows it, a test paints it into a QImage.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from reluviz.core.teaching.dead_units import DeadUnitTrace

__all__ = [
    "DEAD_UNIT_RULE",
    "PASSED_PERCENT_MEANING",
    "ChartColors",
    "ChartGeometry",
    "chart_geometry",
    "dead_units_findings",
    "paint_dead_units_chart",
]

DEAD_UNIT_RULE = (
    "A unit closed (z <= 0) for every sample gets zero gradient from every sample, "
    "so SGD never changes its incoming weights and bias."
)
PASSED_PERCENT_MEANING = (
    'A unit\'s "passed %" in the network view counts the samples of the batch whose gradient went '
    "through it (z <= 0 was False)."
)


@dataclass(frozen=True)
class ChartColors:
    """Colours of the chart: background, text, muted text and axes, one line per ReLU layer."""

    background: QColor
    text: QColor
    muted: QColor
    lines: tuple[QColor, ...] = (QColor("#1c7ed6"), QColor("#e8590c"), QColor("#2f9e44"), QColor("#ae3ec9"))


@dataclass(frozen=True)
class ChartGeometry:
    """Where the chart draws: the plot rectangle and each layer's points (one per step).

    Attributes
    ----------
    plot : QRectF
        The axes' rectangle.
    top_count : int
        The count at the top of the y axis (the largest layer's unit count).
    points : tuple of tuple of QPointF
        Per ReLU layer, the point of each step: x by step, y by dead count.
    """

    plot: QRectF
    top_count: int
    points: tuple[tuple[QPointF, ...], ...]

    def count_at(self, point: QPointF) -> float:
        """The dead count a point's height stands for (the inverse of the y mapping)."""
        return (self.plot.bottom() - point.y()) / self.plot.height() * self.top_count


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(round(pixels), 1))
    font.setBold(bold)
    return font


def dead_units_findings(trace: DeadUnitTrace, learning_rate: float) -> list[str]:
    """Sentences on what ``trace`` measured, per ReLU layer: dead at the start and end, frozen, revived."""
    steps = len(trace.steps)
    layers = len(trace.steps[0].dead) if steps else 0
    out: list[str] = []
    for k in range(layers):
        counts = trace.counts(k)
        back = [(step, unit) for step, layer, unit in trace.revived if layer == k]
        if back:
            came = ", ".join(f"unit {u} at step {s + 1}" for s, u in back[:4]) + (", …" if len(back) > 4 else "")
            revived = f"{len(back)} came back ({came}): its inputs changed"
        else:
            revived = "none came back"
        out.append(f"ReLU {k + 1}: {counts[0]} dead at step 1, {counts[-1]} at step {steps}; {revived}.")
    frozen = all(s.dead_units_frozen for s in trace.steps)
    out.append(
        f"Measured over {steps} steps at learning rate {learning_rate:g}: every dead unit's weights and "
        f"bias came through each step {'bit for bit unchanged' if frozen else 'CHANGED (unexpected)'}."
    )
    return out


def chart_geometry(trace: DeadUnitTrace, rect: QRectF, units: tuple[int, ...], scale: float = 1.0) -> ChartGeometry:
    """The plot rectangle inside ``rect`` and the point of every (layer, step).

    ``units`` is each ReLU layer's unit count; the y axis runs from 0 to the largest of them.
    """
    pad = 12 * scale
    left = 44 * scale
    plot = QRectF(rect.left() + left, rect.top() + pad, rect.width() - left - pad, rect.height() - 2 * pad - 22 * scale)
    top = max(max(units, default=1), 1)
    n = len(trace.steps)
    points = []
    for k in range(len(units)):
        counts = trace.counts(k)
        pts = []
        for i, c in enumerate(counts):
            x = plot.left() + (plot.width() * i / (n - 1) if n > 1 else plot.width() / 2)
            pts.append(QPointF(x, plot.bottom() - plot.height() * c / top))
        points.append(tuple(pts))
    return ChartGeometry(plot, top, tuple(points))


def paint_dead_units_chart(
    painter: QPainter,
    rect: QRectF,
    trace: DeadUnitTrace,
    units: tuple[int, ...],
    colors: ChartColors,
    scale: float = 1.0,
) -> ChartGeometry:
    """Paint dead units per step for each ReLU layer into ``rect``; return the geometry drawn."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, colors.background)
    geo = chart_geometry(trace, rect, units, scale)
    plot = geo.plot
    small = _font(12 * scale)
    painter.setFont(small)
    fm = QFontMetricsF(small)
    painter.setPen(QPen(colors.muted, max(1.0, scale)))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    for c in range(geo.top_count + 1):  # a tick per unit count: counts are small integers
        y = plot.bottom() - plot.height() * c / geo.top_count
        painter.drawLine(QPointF(plot.left() - 4 * scale, y), QPointF(plot.left(), y))
        label = str(c)
        painter.drawText(QPointF(plot.left() - 8 * scale - fm.horizontalAdvance(label), y + fm.ascent() / 2.5), label)
    n = len(trace.steps)
    painter.drawText(QPointF(plot.left(), plot.bottom() + fm.height()), "step 1")
    last = f"step {n}"
    painter.drawText(QPointF(plot.right() - fm.horizontalAdvance(last), plot.bottom() + fm.height()), last)
    axis = "dead units per Train step"
    painter.drawText(QPointF(plot.center().x() - fm.horizontalAdvance(axis) / 2, plot.bottom() + fm.height()), axis)
    legend_y = plot.top() + fm.height()
    for k, pts in enumerate(geo.points):
        color = colors.lines[k % len(colors.lines)]
        pen = QPen(color, 2.5 * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        # Steps at the same count are joined flat: the curve is a staircase of integer counts.
        for a, b in itertools.pairwise(pts):
            painter.drawLine(a, QPointF(b.x(), a.y()))
            painter.drawLine(QPointF(b.x(), a.y()), b)
        if len(pts) == 1:
            painter.drawPoint(pts[0])
        name = f"ReLU {k + 1} ({units[k]} units)"
        x = plot.right() - fm.horizontalAdvance(name) - 4 * scale
        mark_y = legend_y - fm.ascent() / 3
        painter.drawLine(QPointF(x - 22 * scale, mark_y), QPointF(x - 6 * scale, mark_y))
        painter.setPen(colors.text)
        painter.drawText(QPointF(x, legend_y), name)
        legend_y += fm.height() * 1.2
    painter.restore()
    return geo
