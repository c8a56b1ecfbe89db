"""One renderer for a heatmap panel: the screen, the PNG, the SVG and the PDF all use it.

A panel is a title (expression, shape, dtype), a plot of cells, and a colour bar (or, for the
mask, a True/False legend). The plot never colours more cells than there are pixels: the visible
window of the array is reduced to at most one value per pixel (blocked-ness with *any*, see
:mod:`reluviz.core.downsample`), coloured with NumPy and drawn as one nearest-neighbour image,
so cells stay crisp and the cost does not grow with the array. The image is cached; a one-cell
edit patches one pixel of it and repaints only that cell's rectangle.

:class:`HeatmapRenderer` holds the caches and puts a panel together; its parts live beside it:
:mod:`~reluviz.render.heatmap_data` (what a panel shows), :mod:`~reluviz.render.heatmap_geometry`
(where things are), :mod:`~reluviz.render.heatmap_colour` (cells as colours),
:mod:`~reluviz.render.heatmap_text` (title, indices, printed values),
:mod:`~reluviz.render.heatmap_legends` (colour bar and legends) and
:mod:`~reluviz.render.heatmap_pixels` (identical full and partial repaints).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

from reluviz.render.heatmap_colour import SameArray, colour_block
from reluviz.render.heatmap_data import PanelData, ViewState
from reluviz.render.heatmap_geometry import (
    PanelGeometry,
    PanelLayout,
    cell_at,
    cell_rect,
    fitted_view,
    panel_geometry,
    panel_layout,
    resolve_view,
    visible_window,
)
from reluviz.render.heatmap_legends import dog_ear, has_visible_nonfinite, legend_layout, paint_bar
from reluviz.render.heatmap_pixels import blit_on_pixel_grid, is_pixel_device, on_pixel_grid, outline
from reluviz.render.heatmap_text import WidestText, draw_values, paint_indices, paint_title, text_pixel_size
from reluviz.render.theme import Theme

__all__ = ["HeatmapRenderer", "PanelData", "PanelGeometry", "PanelLayout", "ViewState", "fitted_view"]

# Below this cell size drelu's blocked cells are filled solid dark: the corner mark would vanish.
SOLID_BLOCKED_BELOW_PX = 8.0
# Grid lines, zero marks and NaN hatching need a few pixels to be readable.
DETAIL_MIN_PX = 6.0
# In vector output (SVG, PDF) up to this many visible cells are drawn as separate rectangles.
VECTOR_MAX_CELLS = 128 * 128


@dataclass
class _ImageCache:
    key: tuple = ()
    rgba: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 4), np.uint8))
    rows: range = range(0)
    cols: range = range(0)
    step: tuple[int, int] = (1, 1)


class HeatmapRenderer:
    """Paints one panel into any ``QPainter`` (a widget, a QImage, an SVG or PDF device).

    The renderer keeps an image cache for screen painting; export renderers are fresh instances.
    """

    def __init__(self) -> None:
        self._cache = _ImageCache()
        self._zero_key: tuple = ()
        self._zero_found = False
        self._texts = WidestText()
        # Set by :meth:`patch_cell` when an edit changed the panel's widest text (so its font
        # size): the whole panel must be repainted, not just the edited cell.
        self.text_relayout_needed = False
        # The legends the last paint of the colour bar showed (a one-cell edit compares them).
        self.painted_legends: tuple[str, ...] = ()
        # A test hook: when a list, every printed value is recorded as (text, drawn rectangle,
        # cell rectangle).
        self.drawn_texts: list[tuple[str, QRectF, QRectF]] | None = None

    # -- geometry ------------------------------------------------------------------------------
    # The module functions of heatmap_geometry/_legends/_text, also reachable as static methods
    # (HeatmapRenderer.cell_rect(...)) for the screen, figures and teaching pages that call them so.
    layout = staticmethod(panel_layout)
    geometry = staticmethod(panel_geometry)
    resolve_view = staticmethod(resolve_view)
    cell_rect = staticmethod(cell_rect)
    cell_at = staticmethod(cell_at)
    visible_window = staticmethod(visible_window)
    legend_layout = staticmethod(legend_layout)
    text_pixel_size = staticmethod(text_pixel_size)

    # -- colour --------------------------------------------------------------------------------
    def _cache_key(self, data: PanelData, rows: range, cols: range, step: tuple[int, int], solid: bool) -> tuple:
        return (data.role, data.version, SameArray(data.values), data.half_range, data.cmap,
                data.inclusive, rows, cols, step, solid)

    def _cached_image(self, data: PanelData, rows: range, cols: range, step: tuple[int, int],
                      solid: bool) -> np.ndarray:
        key = self._cache_key(data, rows, cols, step, solid)
        if key != self._cache.key:
            rgba = colour_block(data, slice(rows.start, rows.stop), slice(cols.start, cols.stop), step, solid)
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
        if self._texts.patch(data, row, col):
            self.text_relayout_needed = True
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
        cache.rgba[pr, pc] = colour_block(data, block_rows, block_cols, step, solid)[0, 0]
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
        geometry = panel_geometry(rect, data.values.shape, view, theme)
        parts, resolved = geometry.parts, geometry.view
        painter.save()
        painter.fillRect(rect if clip is None else rect.intersected(clip), theme.panel)
        if clip is None or clip.intersects(parts.title):
            paint_title(painter, parts.title, data, theme)
        painter.save()
        _clip_to_plot(painter, parts.plot, clip)
        self._paint_cells(painter, parts.plot, data, resolved, theme, clip, vector)
        painter.restore()
        # After the cells: when the array is centred its labels, and the colour bar beside it,
        # sit inside the plot rectangle the cells' background fills.
        paint_indices(painter, parts.plot, resolved, geometry.shape, theme, clip)
        self._paint_colour_bar(painter, rect, geometry, data, theme, clip)
        _clip_to_plot(painter, parts.plot, clip)
        if selection_range is not None:
            self._paint_range(painter, selection_range, parts.plot, resolved, theme)
        self._paint_marks(painter, data, selection, selection_is_here, hover, parts.plot, resolved, theme)
        painter.restore()

    def _paint_colour_bar(self, painter: QPainter, rect: QRectF, geometry: PanelGeometry, data: PanelData,
                          theme: Theme, clip: QRectF | None) -> None:
        """The colour bar and its legends (when the clip reaches them); remembers which legends."""
        parts, resolved = geometry.parts, geometry.view
        # The bar's labels and legends reach right to the panel's edge and down to its bottom.
        bar_area = QRectF(parts.bar.left(), parts.bar.top(), rect.right() - parts.bar.left(),
                          rect.bottom() - parts.bar.top())
        if clip is None or clip.intersects(bar_area):
            step = visible_window(resolved, parts.plot, geometry.shape)[2]
            solid = resolved.cell_px < SOLID_BLOCKED_BELOW_PX or step != (1, 1)
            self.painted_legends = self.legend_entries(data, resolved, parts.plot)
            paint_bar(painter, bar_area, data, theme, solid, self.painted_legends)

    def legend_entries(self, data: PanelData, view: ViewState, plot: QRectF) -> tuple[str, ...]:
        """Which legends the panel shows, in order: each explains a mark that is on the panel."""
        entries: list[str] = []
        if data.role == "mask":
            return ("true", "false")
        if data.role == "drelu":
            entries.append("blocked")
        if data.role == "z" and self._has_exact_zero(data):
            entries.append("zero")
        if data.role != "mask" and has_visible_nonfinite(data, view, plot):
            entries.append("nonfinite")
        return tuple(entries)

    def _has_exact_zero(self, data: PanelData) -> bool:
        """Whether ``z`` holds an exact 0 (or -0): the model's count when given, else one scan per revision."""
        if data.exact_zeros is not None:
            return data.exact_zeros > 0
        key = (SameArray(data.values), data.version, data.edits)
        if self._zero_key != key:
            self._zero_key = key
            self._zero_found = bool(np.any(data.values == 0))
        return self._zero_found

    def _paint_cells(self, painter: QPainter, plot: QRectF, data: PanelData, view: ViewState, theme: Theme,
                     clip: QRectF | None, vector: bool) -> None:
        painter.fillRect(plot if clip is None else plot.intersected(clip), theme.panel)
        shape = (int(data.values.shape[0]), int(data.values.shape[1]))
        rows, cols, step = visible_window(view, plot, shape)
        if not rows or not cols:
            return
        solid = view.cell_px < SOLID_BLOCKED_BELOW_PX
        array_rect = QRectF(plot.left() - view.origin_col * view.cell_w,
                            plot.top() - view.origin_row * view.cell_h,
                            shape[1] * view.cell_w, shape[0] * view.cell_h)
        painter.save()
        painter.setClipRect(on_pixel_grid(array_rect), Qt.ClipOperation.IntersectClip)
        if vector and step == (1, 1) and len(rows) * len(cols) <= VECTOR_MAX_CELLS:
            rgba = colour_block(data, slice(rows.start, rows.stop), slice(cols.start, cols.stop), (1, 1), solid)
            painter.setPen(Qt.PenStyle.NoPen)
            for i, row in enumerate(rows):
                for j, col in enumerate(cols):
                    r, g, b, _ = rgba[i, j]
                    painter.fillRect(cell_rect(row, col, plot, view), QColor(int(r), int(g), int(b)))
        else:
            rgba = self._cached_image(data, rows, cols, step, solid)
            height, width = rgba.shape[:2]
            image = QImage(rgba.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
            target = QRectF(plot.left() + (cols.start - view.origin_col) * view.cell_w,
                            plot.top() + (rows.start - view.origin_row) * view.cell_h,
                            width * step[1] * view.cell_w, height * step[0] * view.cell_h)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            if not blit_on_pixel_grid(painter, rgba, target, plot if clip is None else plot.intersected(clip)):
                painter.drawImage(target, image)
        if view.cell_px >= DETAIL_MIN_PX:
            first_row, last_row, first_col, last_col = self._clip_window(rows, cols, plot, view, clip)
            if first_row < last_row and first_col < last_col:
                self._paint_cell_details(painter, plot, data, view, theme, solid,
                                         range(first_row, last_row), range(first_col, last_col))
        painter.restore()

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
        if is_pixel_device(painter):
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
                box = cell_rect(rows.start + int(i), cols.start + int(j), plot, view)
                if is_pixel_device(painter):
                    # An edge on a pixel centre (x.5) is a tie the screen's and an image's fill
                    # paths break differently; whole pixels (as the cells are sampled) have none.
                    box = on_pixel_grid(box)
                painter.fillRect(box, QBrush(QColor(70, 70, 70), Qt.BrushStyle.BDiagPattern))
        if data.role == "z":
            pen = QPen(theme.zero_mark, max(1.5, 2.0 * s), Qt.PenStyle.DashLine)
            inset = max(2.0, view.cell_px * 0.08)
            for i, j in zip(*np.nonzero(values == 0), strict=True):
                box = cell_rect(rows.start + int(i), cols.start + int(j), plot, view)
                outline(painter, box.adjusted(inset, inset, -inset, -inset), pen)
        if data.role == "drelu" and not solid:
            for i, j in zip(*np.nonzero(blocked), strict=True):
                dog_ear(painter, cell_rect(rows.start + int(i), cols.start + int(j), plot, view))
        self._paint_texts(painter, plot, data, view, theme, solid, rows, cols, values, blocked)

    def _paint_texts(self, painter: QPainter, plot: QRectF, data: PanelData, view: ViewState, theme: Theme,
                     solid: bool, rows: range, cols: range, values: np.ndarray, blocked: np.ndarray) -> None:
        # Every value in the panel is printed at one size, or none is: the size follows from the
        # whole visible window (not the repainted part), so a one-cell repaint uses it too.
        shape = (int(data.values.shape[0]), int(data.values.shape[1]))
        all_rows, all_cols, _ = visible_window(view, plot, shape)
        if len(all_rows) * len(all_cols) > 6000:
            return
        words = ("True", "False")
        pixel_size = text_pixel_size(self._texts.characters(data, all_rows, all_cols), view, theme)
        if data.role == "mask" and not pixel_size:
            # Rather "T"/"F" in every cell than none, when even the short words fit.
            words = ("T", "F")
            pixel_size = text_pixel_size(1, view, theme)
        if not pixel_size:
            return
        rgba = colour_block(data, slice(rows.start, rows.stop), slice(cols.start, cols.stop), (1, 1), solid)
        draw_values(painter, plot, view, data, (rows, cols), (values, blocked, rgba), words, pixel_size,
                    self.drawn_texts)

    def _paint_range(self, painter: QPainter, block: tuple[int, int, int, int], plot: QRectF, view: ViewState,
                     theme: Theme) -> None:
        r0, r1, c0, c1 = block
        box = cell_rect(r0, c0, plot, view).united(cell_rect(r1 - 1, c1 - 1, plot, view))
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
            painter.drawRect(cell_rect(*hover, plot, view))
        if selection is not None and selection[0] < shape[0] and selection[1] < shape[1]:
            width = (3.0 if selection_is_here else 2.0) * s
            style = Qt.PenStyle.SolidLine if selection_is_here else Qt.PenStyle.DashLine
            painter.setBrush(Qt.BrushStyle.NoBrush)
            box = cell_rect(*selection, plot, view)
            grow = max(width / 2, 1.5) if view.cell_px < 6 else 0.0
            outline(painter, box.adjusted(-grow, -grow, grow, grow), QPen(theme.accent, width, style))


def _clip_to_plot(painter: QPainter, plot: QRectF, clip: QRectF | None) -> None:
    """Clip to the plot's whole pixels, and to ``clip`` too when only part is repainted."""
    painter.setClipRect(on_pixel_grid(plot))
    if clip is not None:
        painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
