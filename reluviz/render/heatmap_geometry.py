"""Where a heatmap panel's parts and cells are: layout, the fitted view, hit-testing, the visible window.

Painting, clicks and partial repaints all use these functions (through :class:`PanelGeometry`), so
a click always lands on the cell drawn under it and a repaint covers exactly the pixels that changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

from reluviz.render.heatmap_data import ViewState
from reluviz.render.theme import Theme

__all__ = ["PanelGeometry", "PanelLayout", "cell_at", "cell_rect", "fitted_view", "panel_geometry", "panel_layout",
           "resolve_view", "visible_window"]

# A fitted view keeps cells square down to this size; below it each axis fills the plot.
SQUARE_FIT_MIN_PX = 24.0


@dataclass
class PanelLayout:
    """Where the parts of a panel go inside its rectangle."""

    title: QRectF
    plot: QRectF
    bar: QRectF


@dataclass
class PanelGeometry:
    """Everything about where a panel's parts and cells are, for one rectangle, data shape and theme.

    Painting, hit-testing and partial repaints all use this one object, so a click always lands on
    the cell drawn under it and a repaint covers exactly the pixels that changed.
    """

    parts: PanelLayout
    view: ViewState
    shape: tuple[int, int]
    scale: float

    def cell_rect(self, row: int, col: int) -> QRectF:
        """Where cell ``(row, col)`` is drawn."""
        return cell_rect(row, col, self.parts.plot, self.view)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        """The cell drawn under ``point``, or ``None``."""
        return cell_at(point, self.parts.plot, self.view, self.shape)

    def repaint_margin(self) -> float:
        """How far outlines (selection, hover) reach outside a cell, in pixels."""
        return math.ceil(6.0 * max(1.0, self.scale)) + 1.0



def fitted_view(shape: tuple[int, int], plot: QRectF, max_cell_px: float = math.inf,
                scale: float = 1.0) -> ViewState:
    """Return the view that shows the whole array centred in ``plot``.

    Cells grow to fill the plot (no cap by default: a 3×4 array on a big screen or slide gets big
    cells). They are square while that leaves them at least :data:`SQUARE_FIT_MIN_PX` ×
    ``scale`` on a side (small arrays, where values are printed); otherwise each axis stretches.
    """
    rows, cols = shape
    square = min(plot.width() / cols, plot.height() / rows, max_cell_px)
    if square >= SQUARE_FIT_MIN_PX * scale:
        cell_w = cell_h = square
    else:
        cell_w = min(plot.width() / cols, max_cell_px)
        cell_h = min(plot.height() / rows, max_cell_px)
    cell_w, cell_h = max(cell_w, 1e-6), max(cell_h, 1e-6)
    origin_col = -(plot.width() / cell_w - cols) / 2
    origin_row = -(plot.height() / cell_h - rows) / 2
    return ViewState(fit=True, cell_w=cell_w, cell_h=cell_h, origin_row=origin_row, origin_col=origin_col)


def panel_layout(rect: QRectF, theme: Theme) -> PanelLayout:
    """Split a panel rectangle into title, plot (with index margins) and colour bar."""
    s = theme.scale
    title_h = 30 * s
    bar_w = 104 * theme.font_scale  # the colour bar, its labels and the legends' words
    margin_left, margin_top = 34 * s, 18 * s
    title = QRectF(rect.left(), rect.top(), rect.width(), title_h)
    bar = QRectF(rect.right() - bar_w, rect.top() + title_h + margin_top, bar_w,
                 max(1.0, rect.height() - title_h - margin_top - 6 * s))
    plot = QRectF(
        rect.left() + margin_left,
        rect.top() + title_h + margin_top,
        max(1.0, rect.width() - margin_left - bar_w - 6 * s),
        max(1.0, rect.height() - title_h - margin_top - 6 * s),
    )
    return PanelLayout(title, plot, bar)


def panel_geometry(rect: QRectF, shape: tuple[int, int], view: ViewState, theme: Theme) -> PanelGeometry:
    """The panel's layout and concrete view, as :meth:`paint` draws them into ``rect``."""
    parts = panel_layout(rect, theme)
    shape = (int(shape[0]), int(shape[1]))
    resolved = resolve_view(view, shape, parts.plot, theme.scale)
    if view.fit:
        # The colour bar sits beside the array, not at the far edge of a wide panel.
        array_right = parts.plot.left() + (shape[1] - resolved.origin_col) * resolved.cell_w
        gap = array_right + 14 * theme.scale - parts.bar.left()
        if gap < 0:
            parts.bar.translate(gap, 0)
    return PanelGeometry(parts, resolved, shape, theme.scale)


def resolve_view(view: ViewState, shape: tuple[int, int], plot: QRectF, scale: float) -> ViewState:
    """Return the concrete view for ``plot``: fitted if ``view.fit``, else scaled by ``scale``."""
    if view.fit:
        return fitted_view(shape, plot, scale=scale)
    return ViewState(False, view.cell_w * scale, view.cell_h * scale, view.origin_row, view.origin_col)


def cell_rect(row: int, col: int, plot: QRectF, view: ViewState) -> QRectF:
    """The rectangle of cell ``(row, col)`` in painter coordinates."""
    x = plot.left() + (col - view.origin_col) * view.cell_w
    y = plot.top() + (row - view.origin_row) * view.cell_h
    return QRectF(x, y, view.cell_w, view.cell_h)


def cell_at(point: QPointF, plot: QRectF, view: ViewState, shape: tuple[int, int]) -> tuple[int, int] | None:
    """The ``(row, col)`` under ``point``, or ``None`` outside the array."""
    if not plot.contains(point):
        return None
    col = math.floor(view.origin_col + (point.x() - plot.left()) / view.cell_w)
    row = math.floor(view.origin_row + (point.y() - plot.top()) / view.cell_h)
    if 0 <= row < shape[0] and 0 <= col < shape[1]:
        return row, col
    return None


def visible_window(view: ViewState, plot: QRectF,
                   shape: tuple[int, int]) -> tuple[range, range, tuple[int, int]]:
    """Rows, columns and the (row, column) reduction steps of the cells visible in ``plot``."""
    step_r = 1 if view.cell_h >= 1 else math.ceil(1 / view.cell_h)
    step_c = 1 if view.cell_w >= 1 else math.ceil(1 / view.cell_w)
    r0 = max(0, math.floor(view.origin_row))
    c0 = max(0, math.floor(view.origin_col))
    r1 = min(shape[0], math.ceil(view.origin_row + plot.height() / view.cell_h))
    c1 = min(shape[1], math.ceil(view.origin_col + plot.width() / view.cell_w))
    # Align blocks to multiples of the step, so a cell's pixel does not move while panning.
    r0 -= r0 % step_r
    c0 -= c0 % step_c
    return range(r0, max(r0, r1)), range(c0, max(c0, c1)), (step_r, step_c)

