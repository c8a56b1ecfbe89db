"""One renderer for a heatmap panel: the screen, the PNG, the SVG and the PDF all use it.

A panel is a title (expression, shape, dtype), a plot of cells, and a colour bar (or, for the
mask, a True/False legend). The plot never colours more cells than there are pixels: the visible
window of the array is reduced to at most one value per pixel (blocked-ness with *any*, see
:mod:`reluviz.core.downsample`), coloured with NumPy and drawn as one nearest-neighbour image,
so cells stay crisp and the cost does not grow with the array. The image is cached; a one-cell
edit patches one pixel of it and repaints only that cell's rectangle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)

from reluviz.core.colour import (
    BLOCKED_RGB,
    MASK_FALSE_RGB,
    MASK_TRUE_RGB,
    NONFINITE_RGB,
    lookup_table,
    values_to_rgba,
)
from reluviz.core.downsample import blocked_fraction, sample_blocks
from reluviz.core.io.cell_value import format_value
from reluviz.core.relu import operator_text
from reluviz.render.fonts import MONO_FAMILY, UI_FAMILY
from reluviz.render.theme import Theme

__all__ = ["HeatmapRenderer", "PanelData", "PanelGeometry", "PanelLayout", "ViewState", "fitted_view"]

# Below this cell size drelu's blocked cells are filled solid dark: the corner mark would vanish.
SOLID_BLOCKED_BELOW_PX = 8.0
# Grid lines, zero marks and NaN hatching need a few pixels to be readable.
DETAIL_MIN_PX = 6.0
# A fitted view keeps cells square down to this size; below it each axis fills the plot.
SQUARE_FIT_MIN_PX = 24.0
# Below one cell per pixel, a pixel holding any blocked cell is shaded at least this much toward
# the blocked colour (more as more of its cells are blocked): never hidden, never overstated.
MIN_BLOCKED_SHADE = 0.4
# Values are printed no smaller than this (pixels at theme scale 1): below it a panel prints none.
MIN_TEXT_PX = 9.0
# Nor larger than this (at theme scale 1): big cells get big text, not billboard text.
MAX_TEXT_PX = 26.0
# Printed values keep this fraction of the cell's width clear on each side (at least 3 px).
TEXT_MARGIN_FRACTION = 0.08
# In vector output (SVG, PDF) up to this many visible cells are drawn as separate rectangles.
VECTOR_MAX_CELLS = 128 * 128


@dataclass
class ViewState:
    """Which part of the array is on screen; shared by the four panels so they stay aligned.

    ``fit`` means "show the whole array" (cells stretch to fill the plot, like ``imshow``'s
    ``aspect="auto"``, so a 300×6 batch is not a sliver); otherwise ``cell_w``/``cell_h`` are the
    size of one cell in pixels (at theme scale 1) and ``origin_row``/``origin_col`` the fractional
    cell index at the plot's top-left corner.
    """

    fit: bool = True
    cell_w: float = 40.0
    cell_h: float = 40.0
    origin_row: float = 0.0
    origin_col: float = 0.0

    @property
    def cell_px(self) -> float:
        """The smaller side of a cell: what decides whether text and marks fit."""
        return min(self.cell_w, self.cell_h)


@dataclass
class PanelData:
    """The numbers one panel shows, and how to colour them."""

    role: str
    values: np.ndarray
    blocked: np.ndarray
    half_range: float
    cmap: str
    inclusive: bool = True  # the mask is z <= 0 (True) or z < 0; see reluviz.core.relu
    significant: int = 3
    version: int = 0
    edits: int = 0
    editable: bool = False
    # How many cells of ``values`` are exactly 0 (or -0), kept incrementally by the model; ``None``
    # makes the renderer count them itself (exports of arrays that have no model behind them).
    exact_zeros: int | None = None
    # What the rows and columns are, when they mean something (a batch: ("samples", "units")):
    # the title then reads "100 samples × 64 units" instead of "100×64".
    axis_names: tuple[str, str] | None = None

    @property
    def operator(self) -> str:
        """The mask's comparison as code writes it: ``<=`` or ``<``."""
        return operator_text(self.inclusive)

    @property
    def title(self) -> str:
        """The panel's expression as written in NumPy code."""
        return {
            "z": "z",
            "dvalues": "dvalues",
            "mask": f"mask = z {self.operator} 0",
            "drelu": "drelu",
        }[self.role]


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
        return HeatmapRenderer.cell_rect(row, col, self.parts.plot, self.view)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        """The cell drawn under ``point``, or ``None``."""
        return HeatmapRenderer.cell_at(point, self.parts.plot, self.view, self.shape)

    def repaint_margin(self) -> float:
        """How far outlines (selection, hover) reach outside a cell, in pixels."""
        return math.ceil(6.0 * max(1.0, self.scale)) + 1.0


@dataclass
class _ImageCache:
    key: tuple = ()
    rgba: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 4), np.uint8))
    rows: range = range(0)
    cols: range = range(0)
    step: tuple[int, int] = (1, 1)


@dataclass
class _TextCache:
    """Printed lengths of the visible values: decides one font size for the whole panel."""

    key: tuple = ()
    rows: range = range(0)
    cols: range = range(0)
    lengths: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    widest: int = 0


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


class HeatmapRenderer:
    """Paints one panel into any ``QPainter`` (a widget, a QImage, an SVG or PDF device).

    The renderer keeps an image cache for screen painting; export renderers are fresh instances.
    """

    def __init__(self) -> None:
        self._cache = _ImageCache()
        self._zero_key: tuple = ()
        self._zero_found = False
        self._texts = _TextCache()
        # Set by :meth:`patch_cell` when an edit changed the panel's widest text (so its font
        # size): the whole panel must be repainted, not just the edited cell.
        self.text_relayout_needed = False
        # The legends the last paint of the colour bar showed (a one-cell edit compares them).
        self.painted_legends: tuple[str, ...] = ()
        # A test hook: when a list, every printed value is recorded as (text, drawn rectangle,
        # cell rectangle).
        self.drawn_texts: list[tuple[str, QRectF, QRectF]] | None = None

    # -- geometry ------------------------------------------------------------------------------
    @staticmethod
    def layout(rect: QRectF, theme: Theme) -> PanelLayout:
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

    @classmethod
    def geometry(cls, rect: QRectF, shape: tuple[int, int], view: ViewState, theme: Theme) -> PanelGeometry:
        """The panel's layout and concrete view, as :meth:`paint` draws them into ``rect``."""
        parts = cls.layout(rect, theme)
        shape = (int(shape[0]), int(shape[1]))
        resolved = cls.resolve_view(view, shape, parts.plot, theme.scale)
        if view.fit:
            # The colour bar sits beside the array, not at the far edge of a wide panel.
            array_right = parts.plot.left() + (shape[1] - resolved.origin_col) * resolved.cell_w
            gap = array_right + 14 * theme.scale - parts.bar.left()
            if gap < 0:
                parts.bar.translate(gap, 0)
        return PanelGeometry(parts, resolved, shape, theme.scale)

    @staticmethod
    def resolve_view(view: ViewState, shape: tuple[int, int], plot: QRectF, scale: float) -> ViewState:
        """Return the concrete view for ``plot``: fitted if ``view.fit``, else scaled by ``scale``."""
        if view.fit:
            return fitted_view(shape, plot, scale=scale)
        return ViewState(False, view.cell_w * scale, view.cell_h * scale, view.origin_row, view.origin_col)

    @staticmethod
    def cell_rect(row: int, col: int, plot: QRectF, view: ViewState) -> QRectF:
        """The rectangle of cell ``(row, col)`` in painter coordinates."""
        x = plot.left() + (col - view.origin_col) * view.cell_w
        y = plot.top() + (row - view.origin_row) * view.cell_h
        return QRectF(x, y, view.cell_w, view.cell_h)

    @staticmethod
    def cell_at(point: QPointF, plot: QRectF, view: ViewState, shape: tuple[int, int]) -> tuple[int, int] | None:
        """The ``(row, col)`` under ``point``, or ``None`` outside the array."""
        if not plot.contains(point):
            return None
        col = math.floor(view.origin_col + (point.x() - plot.left()) / view.cell_w)
        row = math.floor(view.origin_row + (point.y() - plot.top()) / view.cell_h)
        if 0 <= row < shape[0] and 0 <= col < shape[1]:
            return row, col
        return None

    @staticmethod
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

    # -- colour --------------------------------------------------------------------------------
    @staticmethod
    def _colour_block(data: PanelData, rows: slice, cols: slice, step: tuple[int, int],
                      solid_blocked: bool) -> np.ndarray:
        reduced = step != (1, 1)
        if data.role == "mask":
            if not reduced:
                flags = data.blocked[rows, cols]
                rgba = np.empty((*flags.shape, 4), np.uint8)
                rgba[...] = (*MASK_FALSE_RGB, 255)
                rgba[flags] = (*MASK_TRUE_RGB, 255)
                return rgba
            base = np.empty((*_block_shape(rows, cols, step), 4), np.uint8)
            base[...] = (*MASK_FALSE_RGB, 255)
            return _shade_blocked(base, _shared_fraction(data, rows, cols, step), MASK_TRUE_RGB)
        sampled = sample_blocks(data.values, rows, cols, step)
        rgba = values_to_rgba(sampled, data.half_range, data.cmap)
        if data.role == "drelu":
            if reduced:
                return _shade_blocked(rgba, _shared_fraction(data, rows, cols, step), BLOCKED_RGB)
            if solid_blocked:
                rgba[data.blocked[rows, cols]] = (*BLOCKED_RGB, 255)
        return rgba

    def _cache_key(self, data: PanelData, rows: range, cols: range, step: tuple[int, int], solid: bool) -> tuple:
        return (data.role, data.version, _Same(data.values), data.half_range, data.cmap,
                data.inclusive, rows, cols, step, solid)

    def _cached_image(self, data: PanelData, rows: range, cols: range, step: tuple[int, int],
                      solid: bool) -> np.ndarray:
        key = self._cache_key(data, rows, cols, step, solid)
        if key != self._cache.key:
            rgba = self._colour_block(data, slice(rows.start, rows.stop), slice(cols.start, cols.stop),
                                      step, solid)
            self._cache = _ImageCache(key, np.ascontiguousarray(rgba), rows, cols, step)
        return self._cache.rgba

    def invalidate(self) -> None:
        """Forget the cached image (after a whole-array change made outside the model's events)."""
        self._cache = _ImageCache()

    def patch_cell(self, data: PanelData, row: int, col: int) -> None:
        """Recolour the cached pixel that shows ``(row, col)`` after a one-cell edit.

        Cost is independent of the array size: one block of at most ``step_r × step_c`` cells
        (and a max over the printed lengths of the visible cells, at most a few thousand).
        """
        self._patch_text_length(data, row, col)
        cache = self._cache
        if not cache.key or row not in cache.rows or col not in cache.cols:
            return
        step_r, step_c = cache.step
        pr, pc = (row - cache.rows.start) // step_r, (col - cache.cols.start) // step_c
        r0, c0 = cache.rows.start + pr * step_r, cache.cols.start + pc * step_c
        block_rows = slice(r0, min(r0 + step_r, cache.rows.stop))
        block_cols = slice(c0, min(c0 + step_c, cache.cols.stop))
        step = cache.step
        solid = bool(cache.key[-1])
        cache.rgba[pr, pc] = self._colour_block(data, block_rows, block_cols, step, solid)[0, 0]
        # The key still describes the (now patched) image: keep it valid.

    # -- painting ------------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        data: PanelData,
        view: ViewState,
        theme: Theme,
        *,
        selection: tuple[int, int] | None = None,
        selection_range: tuple[int, int, int, int] | None = None,
        selection_is_here: bool = False,
        hover: tuple[int, int] | None = None,
        clip: QRectF | None = None,
        vector: bool = False,
    ) -> None:
        """Paint the whole panel (or the part inside ``clip``) into ``painter``.

        Parameters
        ----------
        painter : QPainter
            Any active painter: a widget's, a QImage's, a QSvgGenerator's, a QPdfWriter's.
        rect : QRectF
            The panel's rectangle in painter coordinates.
        data : PanelData
            The numbers and their colouring.
        view : ViewState
            Shared zoom and pan (resolved against this panel's plot rectangle).
        theme : Theme
            Colours and the size scale.
        selection, hover : (row, col) or None
            Indices to outline; the selection is drawn strongest in the panel being edited.
        selection_range : (first_row, stop_row, first_col, stop_col) or None
            A block selected with Shift (for copy and paste), tinted and outlined.
        clip : QRectF, optional
            Only this part needs repainting (a one-cell update); drawing outside it is skipped.
        vector : bool
            Draw each cell as a rectangle (SVG/PDF) instead of one image, when there are at most
            :data:`VECTOR_MAX_CELLS` visible cells.
        """
        geometry = self.geometry(rect, data.values.shape, view, theme)
        parts, resolved, shape = geometry.parts, geometry.view, geometry.shape
        # The bar's labels and legends reach right to the panel's edge and down to its bottom.
        bar_area = QRectF(parts.bar.left(), parts.bar.top(), rect.right() - parts.bar.left(),
                          rect.bottom() - parts.bar.top())
        painter.save()
        painter.fillRect(rect if clip is None else rect.intersected(clip), theme.panel)
        if clip is None or clip.intersects(parts.title):
            self._paint_title(painter, parts.title, data, theme)
        painter.save()
        painter.setClipRect(_on_pixel_grid(parts.plot))
        if clip is not None:
            painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        self._paint_cells(painter, parts.plot, data, resolved, theme, clip, vector)
        painter.restore()
        # After the cells: when the array is centred its labels, and the colour bar beside it,
        # sit inside the plot rectangle the cells' background fills.
        self._paint_indices(painter, parts.plot, resolved, shape, theme, clip)
        if clip is None or clip.intersects(bar_area):
            step = self.visible_window(resolved, parts.plot, shape)[2]
            solid = resolved.cell_px < SOLID_BLOCKED_BELOW_PX or step != (1, 1)
            self.painted_legends = self.legend_entries(data, resolved, parts.plot)
            self._paint_bar(painter, bar_area, data, theme, solid, self.painted_legends)
        painter.setClipRect(_on_pixel_grid(parts.plot))
        if clip is not None:
            painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        if selection_range is not None:
            self._paint_range(painter, selection_range, parts.plot, resolved, theme)
        self._paint_marks(painter, data, selection, selection_is_here, hover, parts.plot, resolved, theme)
        painter.restore()

    def _paint_title(self, painter: QPainter, rect: QRectF, data: PanelData, theme: Theme) -> None:
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

    def legend_entries(self, data: PanelData, view: ViewState, plot: QRectF) -> tuple[str, ...]:
        """Which legends the panel shows, in order: each explains a mark that is on the panel."""
        entries: list[str] = []
        if data.role == "mask":
            return ("true", "false")
        if data.role == "drelu":
            entries.append("blocked")
        if data.role == "z" and self._has_exact_zero(data):
            entries.append("zero")
        if data.role != "mask" and self._has_visible_nonfinite(data, view, plot):
            entries.append("nonfinite")
        return tuple(entries)

    def _has_visible_nonfinite(self, data: PanelData, view: ViewState, plot: QRectF) -> bool:
        """Whether a hatched NaN/±inf cell is on screen (visible window only: bounded cost)."""
        if data.values.dtype.kind != "f":
            return False
        shape = (int(data.values.shape[0]), int(data.values.shape[1]))
        rows, cols, step = self.visible_window(view, plot, shape)
        if step != (1, 1) or not rows or not cols:
            # Colour only at this size: non-finite cells show in the grey outside every scale.
            window = data.values[rows.start:rows.stop:step[0], cols.start:cols.stop:step[1]]
        else:
            window = data.values[rows.start:rows.stop, cols.start:cols.stop]
        return bool(window.size) and not bool(np.isfinite(window).all())

    @staticmethod
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

    def _paint_bar(self, painter: QPainter, area: QRectF, data: PanelData, theme: Theme,
                   solid_blocked: bool = False, entries: tuple[str, ...] = ()) -> None:
        s = theme.scale
        painter.fillRect(area, theme.panel)
        font = QFont(UI_FAMILY)
        font.setPixelSize(max(1, round(11 * theme.font_scale)))
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        bar, legends = self.legend_layout(area, entries, theme)
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
            self._paint_legend_swatch(painter, key, box, data, theme, solid_blocked)
            lines = LEGEND_WORDS[key]
            if key == "blocked":
                lines = (*lines[:-1], f"(z {data.operator} 0)")
            for index, words in enumerate(lines):
                painter.setPen(theme.text if index == 0 else theme.muted)
                baseline = box.bottom() + 3 * s + index * line + metrics.ascent()
                painter.drawText(QPointF(rect.left(), baseline), words)

    def _paint_legend_swatch(self, painter: QPainter, key: str, box: QRectF, data: PanelData, theme: Theme,
                             solid_blocked: bool) -> None:
        s = theme.scale
        if key in ("true", "false"):
            painter.fillRect(box, QColor(*(MASK_TRUE_RGB if key == "true" else MASK_FALSE_RGB)))
        elif key == "blocked" and solid_blocked:  # small cells are filled solid: show what the eye sees
            painter.fillRect(box, QColor(*BLOCKED_RGB))
        elif key == "blocked":
            self._paint_blocked_swatch(painter, box, data, theme)
            return
        elif key == "zero":
            # Exact zeros are where z <= 0 and z < 0 disagree: say what the dashed outline means.
            inset = 2.0 * s
            _outline(painter, box.adjusted(inset, inset, -inset, -inset),
                     QPen(theme.zero_mark, max(1.5, 2.0 * s), Qt.PenStyle.DashLine))
            return
        elif key == "nonfinite":
            painter.fillRect(box, QColor(*NONFINITE_RGB))
            painter.fillRect(box, QBrush(QColor(70, 70, 70), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(theme.muted, max(1.0, s)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box)

    def _has_exact_zero(self, data: PanelData) -> bool:
        """Whether ``z`` holds an exact 0 (or -0): the model's count when given, else one scan per revision."""
        if data.exact_zeros is not None:
            return data.exact_zeros > 0
        key = (_Same(data.values), data.version, data.edits)
        if self._zero_key != key:
            self._zero_key = key
            self._zero_found = bool(np.any(data.values == 0))
        return self._zero_found

    def _paint_blocked_swatch(self, painter: QPainter, box: QRectF, data: PanelData, theme: Theme) -> None:
        zero = lookup_table(data.cmap)[128]
        painter.fillRect(box, QColor(int(zero[0]), int(zero[1]), int(zero[2])))
        self._dog_ear(painter, box)
        painter.setPen(QPen(theme.muted, max(1.0, theme.scale)))
        painter.drawRect(box)

    @staticmethod
    def _dog_ear(painter: QPainter, cell: QRectF) -> None:
        side = min(cell.width(), cell.height())
        size = min(side * 0.42, 18.0 * max(1.0, side / 60))
        corner = QPolygonF([cell.topRight(), QPointF(cell.right() - size, cell.top()),
                            QPointF(cell.right(), cell.top() + size)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(*BLOCKED_RGB))
        painter.drawPolygon(corner)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_indices(self, painter: QPainter, plot: QRectF, view: ViewState, shape: tuple[int, int],
                       theme: Theme, clip: QRectF | None) -> None:
        s = theme.scale
        painter.save()
        font = QFont(UI_FAMILY)
        font.setPixelSize(max(1, round(10 * theme.font_scale)))
        painter.setFont(font)
        painter.setPen(theme.muted)
        row_spacing = _nice_step(18 * s / view.cell_h)
        col_spacing = _nice_step(30 * s / view.cell_w)
        rows, cols, _ = self.visible_window(view, plot, shape)
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

    def _paint_cells(self, painter: QPainter, plot: QRectF, data: PanelData, view: ViewState, theme: Theme,
                     clip: QRectF | None, vector: bool) -> None:
        painter.fillRect(plot if clip is None else plot.intersected(clip), theme.panel)
        shape = (int(data.values.shape[0]), int(data.values.shape[1]))
        rows, cols, step = self.visible_window(view, plot, shape)
        if not rows or not cols:
            return
        solid = view.cell_px < SOLID_BLOCKED_BELOW_PX
        array_rect = QRectF(plot.left() - view.origin_col * view.cell_w,
                            plot.top() - view.origin_row * view.cell_h,
                            shape[1] * view.cell_w, shape[0] * view.cell_h)
        painter.save()
        painter.setClipRect(_on_pixel_grid(array_rect), Qt.ClipOperation.IntersectClip)
        if vector and step == (1, 1) and len(rows) * len(cols) <= VECTOR_MAX_CELLS:
            rgba = self._colour_block(data, slice(rows.start, rows.stop), slice(cols.start, cols.stop), (1, 1),
                                      solid)
            painter.setPen(Qt.PenStyle.NoPen)
            for i, row in enumerate(rows):
                for j, col in enumerate(cols):
                    r, g, b, _ = rgba[i, j]
                    painter.fillRect(self.cell_rect(row, col, plot, view), QColor(int(r), int(g), int(b)))
        else:
            rgba = self._cached_image(data, rows, cols, step, solid)
            height, width = rgba.shape[:2]
            image = QImage(rgba.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
            target = QRectF(plot.left() + (cols.start - view.origin_col) * view.cell_w,
                            plot.top() + (rows.start - view.origin_row) * view.cell_h,
                            width * step[1] * view.cell_w, height * step[0] * view.cell_h)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            if not self._blit_on_pixel_grid(painter, rgba, target, plot if clip is None else plot.intersected(clip)):
                painter.drawImage(target, image)
        if view.cell_px >= DETAIL_MIN_PX:
            first_row, last_row, first_col, last_col = self._clip_window(rows, cols, plot, view, clip)
            if first_row < last_row and first_col < last_col:
                self._paint_cell_details(painter, plot, data, view, theme, solid,
                                         range(first_row, last_row), range(first_col, last_col))
        painter.restore()

    @staticmethod
    def _blit_on_pixel_grid(painter: QPainter, rgba: np.ndarray, target: QRectF, area: QRectF) -> bool:
        """Draw ``rgba`` stretched over ``target``, sampling each device pixel at its centre.

        Qt's scaled ``drawImage`` rounds differently when clipped, so a one-cell repaint could give
        a cell's edge pixel to its neighbour (a stale sliver). Here each pixel's source cell follows
        from its own centre alone, so a partial repaint paints exactly what a full one does, and
        hit-testing (which also uses pixel centres) agrees with it. Only where device pixels are
        logical pixels (no scaling, integer offset); returns ``False`` elsewhere (vector devices,
        high-DPI) and the caller draws the image as before.
        """
        if not _is_pixel_device(painter):
            return False
        height, width = rgba.shape[:2]
        left, top = max(area.left(), target.left()), max(area.top(), target.top())
        right, bottom = min(area.right(), target.right()), min(area.bottom(), target.bottom())
        xs = np.arange(math.floor(left), math.ceil(right)) + 0.5
        ys = np.arange(math.floor(top), math.ceil(bottom)) + 0.5
        src_cols = np.floor((xs - target.left()) * (width / target.width())).astype(np.intp)
        src_rows = np.floor((ys - target.top()) * (height / target.height())).astype(np.intp)
        # Only pixels whose centre lies on the image (as Qt's own nearest-neighbour blit).
        keep_c = (xs >= target.left()) & (xs < target.right()) & (src_cols >= 0) & (src_cols < width)
        keep_r = (ys >= target.top()) & (ys < target.bottom()) & (src_rows >= 0) & (src_rows < height)
        if not keep_c.any() or not keep_r.any():
            return True
        xs, src_cols = xs[keep_c], src_cols[keep_c]
        ys, src_rows = ys[keep_r], src_rows[keep_r]
        # Two 1-D takes on uint32 pixels: far cheaper than 2-D fancy indexing of RGBA bytes.
        packed = np.ascontiguousarray(rgba).view(np.uint32).reshape(height, width)
        pixels = packed.take(src_rows, axis=0).take(src_cols, axis=1)
        image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.shape[1] * 4,
                       QImage.Format.Format_RGBA8888)
        painter.drawImage(QPointF(xs[0] - 0.5, ys[0] - 0.5), image)
        return True

    def _clip_window(self, rows: range, cols: range, plot: QRectF, view: ViewState,
                     clip: QRectF | None) -> tuple[int, int, int, int]:
        if clip is None:
            return rows.start, rows.stop, cols.start, cols.stop
        r0 = max(rows.start, math.floor(view.origin_row + (clip.top() - plot.top()) / view.cell_h))
        r1 = min(rows.stop, math.ceil(view.origin_row + (clip.bottom() - plot.top()) / view.cell_h))
        c0 = max(cols.start, math.floor(view.origin_col + (clip.left() - plot.left()) / view.cell_w))
        c1 = min(cols.stop, math.ceil(view.origin_col + (clip.right() - plot.left()) / view.cell_w))
        return r0, r1, c0, c1

    def _paint_cell_details(self, painter: QPainter, plot: QRectF, data: PanelData, view: ViewState,
                            theme: Theme, solid: bool, rows: range, cols: range) -> None:
        s = theme.scale
        cell_w, cell_h = view.cell_w, view.cell_h
        window = (slice(rows.start, rows.stop), slice(cols.start, cols.stop))
        values = data.values[window]
        blocked = data.blocked[window]
        # Cell separators: batched, one drawLines call per direction.
        # Each line's position from its own index, as cell_rect computes it: a repaint of a few
        # cells must put a line on exactly the pixel a full paint does (float sums could differ).
        xs = [plot.left() + (col - view.origin_col) * cell_w for col in range(cols.start, cols.stop + 1)]
        ys = [plot.top() + (row - view.origin_row) * cell_h for row in range(rows.start, rows.stop + 1)]
        if _is_pixel_device(painter):
            # Whole-pixel bars: a 1-px line at an exactly integer position (common when panning)
            # lands on either neighbouring pixel row depending on float noise; a bar does not.
            thick = max(1, round(s))
            px = [math.ceil(x - 0.5 * thick - 0.5 + 1e-9) for x in xs]
            py = [math.ceil(y - 0.5 * thick - 0.5 + 1e-9) for y in ys]
            for x in px:
                painter.fillRect(QRectF(x, py[0], thick, py[-1] - py[0] + thick), theme.grid)
            for y in py:
                painter.fillRect(QRectF(px[0], y, px[-1] - px[0] + thick, thick), theme.grid)
        else:
            painter.setPen(QPen(theme.grid, max(1.0, 1.0 * s)))
            painter.drawLines([QLineF(x, ys[0], x, ys[-1]) for x in xs])
            painter.drawLines([QLineF(xs[0], y, xs[-1], y) for y in ys])
        if data.role != "mask":
            nonfinite = ~np.isfinite(values) if values.dtype.kind == "f" else np.zeros(values.shape, bool)
            for i, j in zip(*np.nonzero(nonfinite), strict=True):
                box = self.cell_rect(rows.start + int(i), cols.start + int(j), plot, view)
                if _is_pixel_device(painter):
                    # An edge on a pixel centre (x.5) is a tie the screen's and an image's fill
                    # paths break differently; whole pixels (as the cells are sampled) have none.
                    box = _on_pixel_grid(box)
                painter.fillRect(box, QBrush(QColor(70, 70, 70), Qt.BrushStyle.BDiagPattern))
        if data.role == "z":
            pen = QPen(theme.zero_mark, max(1.5, 2.0 * s), Qt.PenStyle.DashLine)
            inset = max(2.0, view.cell_px * 0.08)
            for i, j in zip(*np.nonzero(values == 0), strict=True):
                box = self.cell_rect(rows.start + int(i), cols.start + int(j), plot, view)
                _outline(painter, box.adjusted(inset, inset, -inset, -inset), pen)
        if data.role == "drelu" and not solid:
            for i, j in zip(*np.nonzero(blocked), strict=True):
                self._dog_ear(painter, self.cell_rect(rows.start + int(i), cols.start + int(j), plot, view))
        self._paint_texts(painter, plot, data, view, theme, solid, rows, cols, values, blocked)

    def _patch_text_length(self, data: PanelData, row: int, col: int) -> None:
        texts = self._texts
        if not texts.key or data.role == "mask" or row not in texts.rows or col not in texts.cols:
            return
        i, j = row - texts.rows.start, col - texts.cols.start
        texts.lengths[i, j] = len(format_value(data.values[row, col], data.significant))
        widest = int(texts.lengths.max())
        if widest != texts.widest:
            texts.widest = widest
            self.text_relayout_needed = True

    def _widest_text(self, data: PanelData, rows: range, cols: range) -> int:
        """Characters in the longest value printed in the visible window (cached per revision)."""
        if data.role == "mask":
            return len("False")
        key = (data.role, data.version, _Same(data.values), data.significant, rows, cols)
        if key != self._texts.key:
            window = data.values[rows.start:rows.stop, cols.start:cols.stop]
            lengths = np.array([[len(format_value(v, data.significant)) for v in line] for line in window],
                               dtype=np.int16).reshape(window.shape)
            self._texts = _TextCache(key, rows, cols, lengths, int(lengths.max(initial=0)))
        return self._texts.widest

    @staticmethod
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

    def _paint_texts(self, painter: QPainter, plot: QRectF, data: PanelData, view: ViewState, theme: Theme,
                     solid: bool, rows: range, cols: range, values: np.ndarray, blocked: np.ndarray) -> None:
        # Every value in the panel is printed at one size, or none is: the size follows from the
        # whole visible window (not the repainted part), so a one-cell repaint uses it too.
        shape = (int(data.values.shape[0]), int(data.values.shape[1]))
        all_rows, all_cols, _ = self.visible_window(view, plot, shape)
        if len(all_rows) * len(all_cols) > 6000:
            return
        words = ("True", "False")
        pixel_size = self.text_pixel_size(self._widest_text(data, all_rows, all_cols), view, theme)
        if data.role == "mask" and not pixel_size:
            # Rather "T"/"F" in every cell than none, when even the short words fit.
            words = ("T", "F")
            pixel_size = self.text_pixel_size(1, view, theme)
        if not pixel_size:
            return
        font = QFont(MONO_FAMILY)
        font.setPixelSize(max(1, math.floor(pixel_size)))
        painter.setFont(font)
        metrics = QFontMetricsF(font) if self.drawn_texts is not None else None
        rgba = self._colour_block(data, slice(rows.start, rows.stop), slice(cols.start, cols.stop), (1, 1), solid)
        light, dark = QColor(255, 255, 255), QColor(20, 22, 26)
        for i, row in enumerate(rows):
            for j, col in enumerate(cols):
                if data.role == "mask":
                    text = words[0] if blocked[i, j] else words[1]
                else:
                    text = format_value(values[i, j], data.significant)
                r, g, b = (int(c) for c in rgba[i, j, :3])
                luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
                painter.setPen(dark if luminance > 140 else light)
                cell = self.cell_rect(row, col, plot, view)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
                if metrics is not None and self.drawn_texts is not None:
                    drawn = metrics.boundingRect(cell, Qt.AlignmentFlag.AlignCenter, text)
                    self.drawn_texts.append((text, drawn, cell))

    def _paint_range(self, painter: QPainter, block: tuple[int, int, int, int], plot: QRectF, view: ViewState,
                     theme: Theme) -> None:
        r0, r1, c0, c1 = block
        box = self.cell_rect(r0, c0, plot, view).united(self.cell_rect(r1 - 1, c1 - 1, plot, view))
        tint = QColor(theme.accent)
        tint.setAlpha(48)
        painter.fillRect(box, tint)
        painter.setPen(QPen(theme.accent, max(1.0, 1.5 * theme.scale)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box)

    def _paint_marks(self, painter: QPainter, data: PanelData, selection: tuple[int, int] | None,
                     selection_is_here: bool, hover: tuple[int, int] | None, plot: QRectF, view: ViewState,
                     theme: Theme) -> None:
        s = theme.scale
        shape = data.values.shape
        if hover is not None and hover != selection and hover[0] < shape[0] and hover[1] < shape[1]:
            painter.setPen(QPen(theme.text, max(1.0, 1.5 * s)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(*hover, plot, view))
        if selection is not None and selection[0] < shape[0] and selection[1] < shape[1]:
            width = (3.0 if selection_is_here else 2.0) * s
            style = Qt.PenStyle.SolidLine if selection_is_here else Qt.PenStyle.DashLine
            painter.setBrush(Qt.BrushStyle.NoBrush)
            box = self.cell_rect(*selection, plot, view)
            grow = max(width / 2, 1.5) if view.cell_px < 6 else 0.0
            _outline(painter, box.adjusted(-grow, -grow, grow, grow), QPen(theme.accent, width, style))


def _is_pixel_device(painter: QPainter) -> bool:
    """Whether ``painter`` paints whole device pixels 1:1 (a widget, pixmap or image, no scaling)."""
    device = painter.device()
    transform = painter.deviceTransform()
    # QInternal's device types 1-3 are widgets, pixmaps and images; SVG and PDF devices are not.
    return (device is not None and device.devType() in (1, 2, 3)
            and transform.type().value <= transform.TransformationType.TxTranslate.value
            and transform.dx() == int(transform.dx()) and transform.dy() == int(transform.dy()))


def _on_pixel_grid(rect: QRectF) -> QRectF:
    """``rect`` snapped to whole pixels: exactly the pixels whose centres lie inside it.

    A fractional clip rectangle is rounded one way alone and another way once intersected with a
    repaint's region; whole pixels clip the same in both, and match how cells are sampled.
    """
    left, top = math.ceil(rect.left() - 0.5), math.ceil(rect.top() - 0.5)
    right, bottom = math.ceil(rect.right() - 0.5), math.ceil(rect.bottom() - 0.5)
    return QRectF(left, top, max(0, right - left), max(0, bottom - top))


def _outline(painter: QPainter, box: QRectF, pen: QPen) -> None:
    """Draw a rectangle's outline with ``pen``, dashes placed the same however the paint is clipped.

    Qt's raster engine restarts a dash pattern where a clip cuts the line, so a one-cell repaint
    would draw a dashed outline's dashes shifted against the full paint. On pixel devices a dashed
    outline is therefore turned into its exact shape first and filled (fills ignore the clip's
    position); vector devices (SVG, PDF) keep a real dashed stroke.
    """
    if pen.style() == Qt.PenStyle.SolidLine or not _is_pixel_device(painter):
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box)
        return
    path = QPainterPath()
    path.addRect(box)
    stroke = QPainterPathStroker(pen).createStroke(path)
    painter.fillPath(stroke, pen.brush())


class _Same:
    """An array inside a cache key: equal only to the very same object.

    Holding the array keeps it alive, so its ``id`` cannot be handed to a new array while the
    key exists; a bare ``id(array)`` in a key could match an array created after the first one
    was collected, and the cache would show the old array's pixels.
    """

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.array is self.array

    def __hash__(self) -> int:
        return id(self.array)


class _FractionMemo:
    """The last big blocked-fraction image, shared by the mask and drelu renderers of one view.

    Both panels shade the same ``blocked`` array at the same zoom, so the second one reuses the
    first one's work. One entry: a new window or revision replaces it.
    """

    def __init__(self) -> None:
        self._key: tuple = ()
        self._fraction = np.zeros((0, 0))

    def fraction(self, data: PanelData, rows: slice, cols: slice, step: tuple[int, int]) -> np.ndarray:
        """``blocked_fraction`` of ``data.blocked`` over the window, computed once per window and edit."""
        key = (_Same(data.blocked), data.version, data.edits, rows.start, rows.stop, cols.start, cols.stop, step)
        if self._key != key:
            self._fraction = blocked_fraction(data.blocked, rows, cols, step)
            self._key = key
        return self._fraction


_FRACTION_MEMO = _FractionMemo()


def _shared_fraction(data: PanelData, rows: slice, cols: slice, step: tuple[int, int]) -> np.ndarray:
    """Blocked fraction per pixel, computed once for the mask and drelu panels together."""
    if (rows.stop - rows.start) * (cols.stop - cols.start) < 65536:
        return blocked_fraction(data.blocked, rows, cols, step)
    return _FRACTION_MEMO.fraction(data, rows, cols, step)


def _block_shape(rows: slice, cols: slice, step: tuple[int, int]) -> tuple[int, int]:
    return (-(-(rows.stop - rows.start) // step[0]), -(-(cols.stop - cols.start) // step[1]))


def _shade_blocked(rgba: np.ndarray, fraction: np.ndarray, blocked_rgb: tuple[int, int, int]) -> np.ndarray:
    """Blend each pixel toward ``blocked_rgb`` by how many of its cells are blocked.

    Any blocked cell shades its pixel at least :data:`MIN_BLOCKED_SHADE`, so one blocked cell
    among thousands still shows; a fully blocked pixel takes the blocked colour exactly.
    """
    shade = np.where(fraction > 0, MIN_BLOCKED_SHADE + (1 - MIN_BLOCKED_SHADE) * fraction, 0.0)
    keep = 1 - shade
    target = np.asarray(blocked_rgb, dtype=np.float32)
    # rint(colour * (1 - shade) + target * shade) in float32, one channel at a time into reused
    # buffers: the same numbers, ~4x faster than on the strided (h, w, 3) view with temporaries.
    channel, part = np.empty(shade.shape, np.float32), np.empty(shade.shape, np.float32)
    for k in range(3):
        np.multiply(rgba[..., k], keep, out=channel)
        np.multiply(target[k], shade, out=part)
        channel += part
        np.rint(channel, out=channel)
        rgba[..., k] = channel
    return rgba


def _nice_step(minimum: float) -> int:
    """Smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``minimum``."""
    step = 1
    while step < minimum:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if step >= minimum:
                break
    return max(1, step)


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

