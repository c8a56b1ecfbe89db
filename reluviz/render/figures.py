"""Figure composition: what an export shows, as a :class:`Figure` any writer can take.

Every figure is painted by the same code as the screen — :class:`~reluviz.render.heatmap.HeatmapRenderer`
for the array panels (here) and :mod:`reluviz.render.network_painter` for the network
(:mod:`reluviz.render.network_figures`) — into a target-sized device, with the theme scaled so text
is drawn at the target resolution (crisp, not an upscaled screenshot).

A figure is a :class:`Figure`: a ``draw(painter, rect, vector)`` callable plus its size.
:func:`figure_image` renders one into a ``QImage``; :mod:`reluviz.render.writers` writes figures
and frames as PNG, SVG, PDF, GIF, WebP, MP4 or a folder of frames. Nothing here takes a widget:
the export dialog reads the window and passes what to draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from reluviz.core.colour import DEFAULT_COLORMAP, fit_range
from reluviz.core.io.limits import InputError
from reluviz.core.relu import operator_text
from reluviz.render.export_formats import BASE_SIZE, MAX_EXPORT_PX, MIN_EXPORT_PX, SIZE_PRESETS
from reluviz.render.fonts import MONO_FAMILY
from reluviz.render.heatmap import HeatmapRenderer, PanelData, ViewState
from reluviz.render.theme import Theme

__all__ = [
    "BASE_SIZE",
    "BOOK_CAPTION",
    "MAX_EXPORT_PX",
    "MIN_EXPORT_PX",
    "ROLES",
    "SIZE_PRESETS",
    "Figure",
    "FigureLayout",
    "arrays_figure",
    "arrays_figure_layout",
    "check_size",
    "code_caption",
    "figure_cell_size",
    "figure_image",
    "figure_title",
    "panels_from_arrays",
    "render_arrays_figure",
    "software_name",
]

ROLES = ("z", "dvalues", "mask", "drelu")
BOOK_CAPTION = "drelu = dvalues.copy(); drelu[z <= 0] = 0"


def code_caption(inclusive: bool = True) -> str:
    """The book's line as the switch computes it.

    Parameters
    ----------
    inclusive : bool, default True
        ``True`` writes the book's ``z <= 0``, ``False`` writes ``z < 0``.

    Returns
    -------
    str
        ``"drelu = dvalues.copy(); drelu[z <= 0] = 0"`` or the same line with ``<``.
    """
    return f"drelu = dvalues.copy(); drelu[z {operator_text(inclusive)} 0] = 0"


# -- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """Something to export: a painter callback and the pixel size it is drawn at.

    ``draw(painter, rect, vector)`` paints the whole figure into ``rect``; ``vector`` asks for
    rectangles and text rather than images where the renderer can (SVG, PDF).
    """

    draw: Callable[[QPainter, QRectF, bool], None]
    width: int
    height: int
    background: QColor
    transparent: bool = False
    cell_rect: Callable[[str, int, int], QRectF] | None = None
    # What the figure shows, written into the file's metadata (PNG text, SVG title, PDF title).
    title: str = ""

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)`` in pixels."""
        return self.width, self.height


def check_size(width: int, height: int) -> tuple[int, int]:
    """Return ``(width, height)`` as ints, or raise :class:`InputError` if outside 64–8192 px a side."""
    width, height = int(width), int(height)
    for side, name in ((width, "width"), (height, "height")):
        if not MIN_EXPORT_PX <= side <= MAX_EXPORT_PX:
            raise InputError(f"The {name} {side} px is out of range; exports are {MIN_EXPORT_PX} to "
                             f"{MAX_EXPORT_PX} px a side.")
    return width, height


def _export_scale(width: float, height: float) -> float:
    return min(width / BASE_SIZE[0], height / BASE_SIZE[1])


def _transparent_theme(theme: Theme) -> Theme:
    clear = QColor(0, 0, 0, 0)
    return replace(theme, background=clear, panel=clear)


def panels_from_arrays(z: np.ndarray, dvalues: np.ndarray, *, inclusive: bool = True,
                       cmap: str = DEFAULT_COLORMAP, precision: int = 3, z_range: float | None = None,
                       grad_range: float | None = None,
                       axis_names: tuple[str, str] | None = None) -> dict[str, PanelData]:
    """Build the four panels for ``z`` and ``dvalues`` without a window (as ``ArraysView`` does).

    ``axis_names`` labels what rows and columns are (``("samples", "units")`` for a batch).

    ``z`` has its own colour range; ``dvalues`` and ``drelu`` share the range of ``dvalues``.
    A range of ``None`` is fitted to the data (a session may carry the ranges the user had).
    """
    from reluviz.core.explorer import ExplorerModel

    model = ExplorerModel(z, dvalues, inclusive=inclusive)
    z_range = fit_range(model.z) if z_range is None else z_range
    grad_range = fit_range(model.dvalues) if grad_range is None else grad_range
    return {
        role: PanelData(role=role, values=model.array(role), blocked=model.mask,
                        half_range=z_range if role == "z" else grad_range, cmap=cmap,
                        inclusive=model.inclusive, precision=precision, version=0, edits=0,
                        editable=False, axis_names=axis_names)
        for role in ROLES
    }


def render_arrays_figure(painter: QPainter, rect: QRectF, panels: Mapping[str, PanelData], view: ViewState,
                         theme: Theme, caption: str | None = None, vector: bool = False,
                         roles: Sequence[str] = ROLES) -> None:
    """Paint the array panels into ``rect``: the screen's 2×2 grid, or one panel.

    Parameters
    ----------
    painter : QPainter
        Any active painter (QImage, QSvgGenerator, QPdfWriter, a widget).
    rect : QRectF
        The figure's rectangle. The theme should already be scaled for it (see :func:`arrays_figure`).
    panels : mapping of role to PanelData
    view : ViewState
        Zoom and pan shared by the panels; ``ViewState()`` shows the whole array.
    theme : Theme
    caption : str, optional
        A line of code (e.g. :data:`BOOK_CAPTION`) printed under the panels.
    vector : bool
        Cells as rectangles (SVG/PDF) when there are few enough.
    roles : sequence of str
        The four roles (2×2 grid, as on screen) or a single role.
    """
    s = theme.scale
    layout = arrays_figure_layout(rect, panels, view, theme, caption, roles)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, theme.background)
    if layout.caption is not None and caption:
        painter.setPen(theme.muted)
        painter.drawLine(layout.caption.topLeft(), layout.caption.topRight())
        painter.setFont(layout.caption_font)
        painter.setPen(theme.text)
        painter.drawText(layout.caption.adjusted(0, 4 * s, 0, 0), Qt.AlignmentFlag.AlignCenter, caption)
    renderer = HeatmapRenderer()
    for role in roles:
        renderer.paint(painter, layout.panels[role], panels[role], view, theme, vector=vector)
    painter.restore()


@dataclass
class FigureLayout:
    """Where the caption and each panel go in an arrays figure."""

    panels: dict[str, QRectF]
    caption: QRectF | None = None
    caption_font: QFont | None = None


def arrays_figure_layout(rect: QRectF, panels: Mapping[str, PanelData], view: ViewState, theme: Theme,
                         caption: str | None = None, roles: Sequence[str] = ROLES) -> FigureLayout:
    """Compute the rectangles :func:`render_arrays_figure` paints into (no painter needed)."""
    s = theme.scale
    margin, gap = 18 * s, 14 * s
    content = rect.adjusted(margin, margin, -margin, -margin)
    layout = FigureLayout({})
    if caption:
        font = QFont(MONO_FAMILY)
        font.setPixelSize(max(1, round(20 * s)))
        metrics = QFontMetricsF(font)
        # Shrink long captions to fit the width rather than clip them.
        width = metrics.horizontalAdvance(caption)
        if width > content.width():
            font.setPixelSize(max(1, math.floor(font.pixelSize() * content.width() / width)))
            metrics = QFontMetricsF(font)
        band = metrics.height() + 14 * s
        layout.caption = QRectF(content.left(), content.bottom() - band, content.width(), band)
        layout.caption_font = font
        content.setBottom(layout.caption.top() - 4 * s)
    columns = 1 if len(roles) == 1 else 2
    grid_rows = math.ceil(len(roles) / columns)
    w = (content.width() - gap * (columns - 1)) / columns
    h = (content.height() - gap * (grid_rows - 1)) / grid_rows
    if view.fit:
        # Shrink each panel around its fitted array, so the colour bar sits beside the cells
        # instead of at the far edge of a wide, mostly empty panel.
        shape = panels[roles[0]].values.shape
        w, h = _snug_panel_size(w, h, (int(shape[0]), int(shape[1])), theme)
    left = content.center().x() - (w * columns + gap * (columns - 1)) / 2
    top = content.center().y() - (h * grid_rows + gap * (grid_rows - 1)) / 2
    for i, role in enumerate(roles):
        layout.panels[role] = QRectF(left + (i % columns) * (w + gap), top + (i // columns) * (h + gap), w, h)
    return layout


def _snug_panel_size(width: float, height: float, shape: tuple[int, int], theme: Theme) -> tuple[float, float]:
    """The smallest panel size (within ``width`` × ``height``) that still shows the fitted array
    at the size it would have in the full panel, leaving room for the title."""
    rows, cols = max(shape[0], 1), max(shape[1], 1)
    s = theme.scale
    parts = HeatmapRenderer.layout(QRectF(0, 0, width, height), theme)
    fitted = HeatmapRenderer.resolve_view(ViewState(), (rows, cols), parts.plot, s)
    extra_w = width - parts.plot.width()
    extra_h = height - parts.plot.height()
    # Exactly as wide as the array: a wider plot would centre the array and paint over its row
    # numbers (heatmap.py draws them inside the plot when the array does not fill it).
    snug_w = min(width, max(cols * fitted.cell_w + extra_w + 0.5, 260 * s))
    snug_h = min(height, rows * fitted.cell_h + extra_h + 8 * s)
    bar_h = 300 * s  # the colour bar and its labels want this much
    return snug_w, min(height, max(snug_h, bar_h + extra_h))


def arrays_figure(panels: Mapping[str, PanelData], width: int, height: int, theme: Theme, *,
                  view: ViewState | None = None, caption: str | None = None, roles: Sequence[str] = ROLES,
                  transparent: bool = False) -> Figure:
    """A :class:`Figure` of the array panels at ``width`` × ``height`` pixels.

    The theme is scaled by ``min(width / 1280, height / 720)`` so text and lines are drawn at the
    target resolution. A panel zoomed on screen keeps its zoom (scaled to the export).
    """
    for role in roles:
        if role not in ROLES:
            raise ValueError(f"unknown panel {role!r}; panels are {', '.join(ROLES)}")
    width, height = check_size(width, height)
    # One panel fills the slide a grid of four shares: draw it larger.
    base = _export_scale(width, height) * (1.8 if len(roles) == 1 else 1.0)
    state = ViewState() if view is None else replace(view)
    scaled = _never_smaller_cells(panels, width, height, theme, base, state, caption, roles)
    if transparent:
        scaled = _transparent_theme(scaled)
    frozen = dict(panels)

    def draw(painter: QPainter, rect: QRectF, vector: bool) -> None:
        render_arrays_figure(painter, rect, frozen, state, scaled, caption, vector, roles)

    def cell_rect(role: str, row: int, col: int) -> QRectF:
        """Where cell ``(row, col)`` of panel ``role`` lands in the figure."""
        rect = arrays_figure_layout(QRectF(0, 0, width, height), frozen, state, scaled, caption, roles).panels[role]
        plot = HeatmapRenderer.layout(rect, scaled).plot
        shape = frozen[role].values.shape
        resolved = HeatmapRenderer.resolve_view(state, (int(shape[0]), int(shape[1])), plot, scaled.scale)
        return HeatmapRenderer.cell_rect(row, col, plot, resolved)

    return Figure(draw, width, height, scaled.background, transparent, cell_rect, _arrays_title(frozen, roles))


def figure_cell_size(panels: Mapping[str, PanelData], width: int, height: int, theme: Theme,
                     view: ViewState, caption: str | None = None, roles: Sequence[str] = ROLES) -> float:
    """The smaller side of a cell, in pixels, as a figure with the (already scaled) ``theme`` draws it."""
    rect = arrays_figure_layout(QRectF(0, 0, width, height), panels, view, theme, caption, roles).panels[roles[0]]
    shape = panels[roles[0]].values.shape
    return HeatmapRenderer.geometry(rect, (int(shape[0]), int(shape[1])), view, theme).view.cell_px


def _never_smaller_cells(panels: Mapping[str, PanelData], width: int, height: int, theme: Theme, base: float,
                         view: ViewState, caption: str | None, roles: Sequence[str]) -> Theme:
    """``theme`` for a figure drawn ``base`` times larger than 1280×720, presentation style
    (a theme scale above 1) turned into larger *text* in the plain layout.

    A slide has a fixed size: scaling margins and bands with the text would take the room from the
    cells, and presentation style must only ever enlarge. So the layout keeps the plain style's
    proportions and only the words grow — as far as the cells keep at least their plain size
    (wider legends beside a wide array could otherwise narrow them).
    """
    if theme.scale <= 1.0 and theme.text_scale <= 1.0:
        return theme.scaled(base)
    boost = theme.scale * theme.text_scale
    plain = replace(theme, scale=1.0, text_scale=1.0).scaled(base)
    wanted = replace(plain, text_scale=boost)
    if not view.fit:
        # A zoomed view keeps its zoom, enlarged with everything else.
        return theme.scaled(base)
    floor = figure_cell_size(panels, width, height, plain, view, caption, roles)
    if figure_cell_size(panels, width, height, wanted, view, caption, roles) >= floor - 1e-6:
        return wanted
    low, high = 1.0, boost  # low always keeps the cells; find the largest such boost
    for _ in range(12):
        middle = (low + high) / 2
        if figure_cell_size(panels, width, height, replace(plain, text_scale=middle), view, caption,
                            roles) >= floor - 1e-6:
            low = middle
        else:
            high = middle
    return replace(plain, text_scale=low)


# -- where an export comes from ---------------------------------------------------------------------


def software_name() -> str:
    """``"reluviz 0.1.0"``: what exports name as the program that made them."""
    from reluviz._version import __version__

    return f"reluviz {__version__}"


def _arrays_title(panels: Mapping[str, PanelData], roles: Sequence[str]) -> str:
    """The book's line as shown, the panels and the arrays' shape, e.g.
    ``"drelu = dvalues.copy(); drelu[z <= 0] = 0 — z, dvalues: 3×4 float64"``."""
    first = panels[roles[0]]
    shape = "×".join(str(n) for n in first.values.shape)
    dtypes = {panels[role].values.dtype.name for role in ("z", "dvalues") if role in panels}
    shown = "" if len(roles) == len(ROLES) else f" (panel {', '.join(roles)})"
    return f"{code_caption(first.inclusive)}{shown} — z, dvalues: {shape} {'/'.join(sorted(dtypes))}"


def figure_title(figure: Figure) -> str:
    """What ``figure`` shows, for a file's metadata (``"reluviz figure"`` if it does not say)."""
    return figure.title or "reluviz figure"


# -- still images ----------------------------------------------------------------------------------


def figure_image(figure: Figure) -> QImage:
    """Render ``figure`` into a new ``QImage`` of its size.

    Opaque figures are RGB32: their PNG is RGB, ~20 % faster to encode and smaller than RGBA.
    """
    image_format = (QImage.Format.Format_ARGB32_Premultiplied if figure.transparent
                    else QImage.Format.Format_RGB32)
    image = QImage(figure.width, figure.height, image_format)
    image.fill(QColor(0, 0, 0, 0) if figure.transparent else figure.background)
    # Qt writes an image's text as PNG text chunks: the file says what made it and what it shows.
    image.setText("Software", software_name())
    image.setText("Title", figure_title(figure))
    image.setText("Description", f"{figure_title(figure)}. Made with {software_name()}.")
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        figure.draw(painter, QRectF(0, 0, figure.width, figure.height), False)
    finally:
        painter.end()
    return image


