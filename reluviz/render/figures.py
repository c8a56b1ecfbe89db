"""Export renderers: the figures a teacher puts on a slide, written as PNG, SVG, PDF or animation.

Every figure is painted by the same code as the screen — :class:`~reluviz.render.heatmap.HeatmapRenderer`
for the array panels and :func:`~reluviz.ui.network_view.paint_network` for the network — into a
target-sized device, with the theme scaled so text is drawn at the target resolution (crisp, not
an upscaled screenshot).

A figure is a :class:`Figure`: a ``draw(painter, rect, vector)`` callable plus its size. Writers
take a figure (or a sequence of frames) and a path, and write atomically: the old file is either
replaced whole or left untouched.

=============  =======================================================================
``.png``       :func:`write_png` (QImageWriter, compression chosen for 4K in < 0.6 s)
``.svg``       :func:`write_svg` (QSvgGenerator; cells as rectangles, labels as text)
``.pdf``       :func:`write_pdf` (QPdfWriter; one page the size of the figure)
``.gif``       :func:`write_animation` (:func:`write_gif_stream`: one palette, changed pixels only)
``.webp``      :func:`write_animation` (Pillow/libwebp, animated WebP, frames streamed)
``.mp4``       :func:`write_animation` (only if the optional ``imageio-ffmpeg`` is installed)
folder         :func:`write_animation` (numbered PNG frames, moved into place when all are written)
=============  =======================================================================

Rendering into a ``QImage`` is allowed off the UI thread (Qt supports QPainter on QImage in any
thread), so the animation writers can run whole in a worker; they take a ``progress`` callback
that returns ``False`` to cancel (raising :class:`ExportCancelledError`).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QImageWriter,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator

from reluviz.core.array_io import write_atomically
from reluviz.core.colour import DEFAULT_COLORMAP, fit_range
from reluviz.core.limits import InputError
from reluviz.core.timeline import Scene, Timeline
from reluviz.render.fonts import MONO_FAMILY, UI_FAMILY
from reluviz.render.heatmap import HeatmapRenderer, PanelData, ViewState
from reluviz.render.theme import Theme

__all__ = [
    "ANIMATION_SUFFIXES",
    "BASE_SIZE",
    "BOOK_CAPTION",
    "IMAGE_SUFFIXES",
    "PNG_QUALITY",
    "ROLES",
    "SIZE_PRESETS",
    "ExportCancelledError",
    "Figure",
    "FigureLayout",
    "GifPalette",
    "NetworkFrames",
    "animation_needs",
    "animation_times",
    "arrays_figure",
    "arrays_figure_layout",
    "available_disk",
    "available_memory",
    "check_animation_fits",
    "check_size",
    "code_caption",
    "copy_figure_to_clipboard",
    "figure_cell_size",
    "figure_image",
    "mp4_available",
    "network_figure",
    "network_frames",
    "panels_from_arrays",
    "panels_from_view",
    "render_arrays_figure",
    "render_network_frame",
    "software_name",
    "write_animation",
    "write_figure",
    "write_gif_stream",
    "write_pdf",
    "write_png",
    "write_svg",
]

ROLES = ("z", "dvalues", "mask", "drelu")
BOOK_CAPTION = "drelu = dvalues.copy(); drelu[z <= 0] = 0"


def code_caption(operator: str = "<=") -> str:
    """The book's line with the current operator (``<=`` or ``<``)."""
    return f"drelu = dvalues.copy(); drelu[z {operator} 0] = 0"
# A figure of this size is drawn with theme scale 1; 1920×1080 gets 1.5 (text readable on a slide).
BASE_SIZE = (1280, 720)
SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "1920×1080 (Full HD)": (1920, 1080),
    "1280×720 (HD)": (1280, 720),
    "3840×2160 (4K)": (3840, 2160),
}
MIN_SIDE, MAX_SIDE = 64, 8192
# QImageWriter quality for PNG: Qt maps it to a zlib level, (100 - q) * 9 / 91. 70 → level 2:
# a 4K four-panel figure renders + encodes in ~0.13–0.19 s here vs. 0.2–0.27 s at Qt's default
# (which DESIGN.md measured at 0.5–1.1 s on a slower machine); files are 1.2–1.6× larger
# (~0.25–1 MB). See benchmarks/bench_export.py.
PNG_QUALITY = 70
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
ANIMATION_SUFFIXES = (".gif", ".webp", ".mp4")

Progress = Callable[[int, int], bool]


class ExportCancelledError(Exception):
    """The user cancelled an export; nothing was written."""


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
    """Return ``(width, height)`` as ints, or raise :class:`InputError` if outside 64–8192 px."""
    width, height = int(width), int(height)
    for side, name in ((width, "width"), (height, "height")):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise InputError(f"The {name} {side} px is out of range; exports are {MIN_SIDE} to {MAX_SIDE} px a side.")
    return width, height


def _export_scale(width: float, height: float) -> float:
    return min(width / BASE_SIZE[0], height / BASE_SIZE[1])


def _transparent_theme(theme: Theme) -> Theme:
    clear = QColor(0, 0, 0, 0)
    return replace(theme, background=clear, panel=clear)


def panels_from_arrays(z: np.ndarray, dvalues: np.ndarray, *, inclusive: bool = True,
                       cmap: str = DEFAULT_COLORMAP, significant: int = 3, z_range: float | None = None,
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
                        operator=model.operator, significant=significant, version=0, edits=0,
                        editable=False, axis_names=axis_names)
        for role in ROLES
    }


def panels_from_view(arrays_view) -> dict[str, PanelData]:
    """The panels exactly as ``arrays_view`` (an ``ArraysView``) paints them, without "editable"."""
    return {role: replace(arrays_view.panel_data(role), editable=False) for role in ROLES}


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


def render_network_frame(painter: QPainter, rect: QRectF, scene: Scene, progress: float = 1.0,
                         caption: str | None = None, *, colormap: str = DEFAULT_COLORMAP,
                         theme: Theme | None = None, layer: str = "both") -> None:
    """Paint one network frame into ``rect``; an optional caption (the step card) goes under it.

    ``colormap`` (a key of :data:`reluviz.core.colour.COLORMAPS`) and ``theme`` (light when
    ``None``) are the screen's, so an export of a session looks like the session. ``layer``
    "static" paints what stays put within a timeline frame (edges, nodes, labels, caption) and
    "dynamic" only the pulses and gates on top of it: animations paint the static layer once per
    timeline frame.
    """
    if not caption:
        _paint_network(painter, rect, scene, progress, colormap, theme, layer)
        return
    from reluviz.render.network_look import network_look

    look = network_look(theme)
    s = _export_scale(rect.width(), rect.height()) * look.scale
    font = QFont(UI_FAMILY)
    font.setPixelSize(max(1, round(16 * s)))
    metrics = QFontMetricsF(font)
    band_h = min(metrics.height() * 2 + 22 * s, rect.height() * 0.3)
    band = QRectF(rect.left(), rect.bottom() - band_h, rect.width(), band_h)
    network_rect = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - band_h)
    if layer == "dynamic":
        painter.save()
        painter.setClipRect(network_rect)  # the band is painted over the network, never under pulses
        _paint_network(painter, network_rect, scene, progress, colormap, theme, layer)
        painter.restore()
        return
    _paint_network(painter, network_rect, scene, progress, colormap, theme, layer)
    painter.save()
    painter.fillRect(band, look.background)
    painter.setPen(QColor("#45484e") if look.dark else QColor("#d0d4d9"))
    painter.drawLine(band.topLeft() + QPointF(40 * s, 0), band.topRight() - QPointF(40 * s, 0))
    painter.setFont(font)
    painter.setPen(look.text if look.dark else QColor("#1f2328"))
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    painter.drawText(band.adjusted(40 * s, 6 * s, -40 * s, -6 * s), int(flags), caption)
    painter.restore()


def _network_background(theme: Theme | None = None) -> QColor:
    from reluviz.render.network_look import network_look

    return QColor(network_look(theme).background)


def _paint_network(painter: QPainter, rect: QRectF, scene: Scene, progress: float,
                   colormap: str = DEFAULT_COLORMAP, theme: Theme | None = None, layer: str = "both") -> None:
    from reluviz.render.network_painter import paint_network, paint_network_dynamic, paint_network_static

    if layer == "static":
        paint_network_static(painter, rect, scene, colormap, theme)
    elif layer == "dynamic":
        paint_network_dynamic(painter, rect, scene, progress, colormap, theme)
    else:
        paint_network(painter, rect, scene, progress, colormap, theme)


def _check_colormap(colormap: str) -> str:
    from reluviz.core.colour import COLORMAPS

    if colormap not in COLORMAPS:
        raise InputError(f"Unknown colormap '{colormap}'; the colormaps are {', '.join(COLORMAPS)}.")
    return colormap


def network_figure(scene: Scene, width: int, height: int, progress: float = 1.0,
                   caption: str | None = None, *, colormap: str = DEFAULT_COLORMAP,
                   theme: Theme | None = None) -> Figure:
    """A :class:`Figure` of one network frame.

    Parameters
    ----------
    scene : Scene
        :attr:`reluviz.core.timeline.Frame.scene`.
    width, height : int
        Pixels (64 to 8192 a side).
    progress : float
        Pulse position within the frame.
    caption : str, optional
        Text under the network (e.g. the frame's step card).
    colormap : str, default "blue-red"
        The diverging colormap of edges and pulses (the session's, to match the screen).
    theme : Theme, optional
        Light (default: on white, as before) or dark; its scale enlarges text and lines.
    """
    width, height = check_size(width, height)
    _check_colormap(colormap)

    def draw(painter: QPainter, rect: QRectF, vector: bool) -> None:
        render_network_frame(painter, rect, scene, progress, caption, colormap=colormap, theme=theme)

    return Figure(draw, width, height, _network_background(theme), title=_network_title(scene))


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
    return f"{code_caption(first.operator)}{shown} — z, dvalues: {shape} {'/'.join(sorted(dtypes))}"


def _network_title(scene: Scene) -> str:
    """The book's line at work in the network, its layer sizes and what the frame shows."""
    layers = "-".join(str(n) for n in scene.sizes)
    shown = f", {scene.shown}" if getattr(scene, "shown", "") else ""
    return f"{BOOK_CAPTION} — in the {layers} network{shown}"


def _title_of(figure: Figure) -> str:
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
    image.setText("Title", _title_of(figure))
    image.setText("Description", f"{_title_of(figure)}. Made with {software_name()}.")
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        figure.draw(painter, QRectF(0, 0, figure.width, figure.height), False)
    finally:
        painter.end()
    return image


def png_bytes(image: QImage, quality: int = PNG_QUALITY) -> bytes:
    """Encode ``image`` as PNG (``quality`` 0–100; Qt maps it to a zlib level)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    writer.setQuality(quality)
    if not writer.write(image):
        raise InputError(f"Qt could not encode the PNG: {writer.errorString()}.")
    buffer.close()
    return data.data()


def write_png(path: str | os.PathLike[str], image: QImage, quality: int = PNG_QUALITY) -> Path:
    """Write ``image`` to ``path`` as PNG, atomically. Safe to call from a worker thread."""
    encoded = png_bytes(image, quality)
    write_atomically(path, lambda file: file.write(encoded))
    return Path(path)


def _paint_vector(device, figure: Figure) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise InputError("Qt could not start drawing the vector file.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not figure.transparent:
            painter.fillRect(QRectF(0, 0, figure.width, figure.height), figure.background)
        figure.draw(painter, QRectF(0, 0, figure.width, figure.height), True)
    finally:
        painter.end()


def svg_bytes(figure: Figure, title: str | None = None) -> bytes:
    """Render ``figure`` as SVG: cells as rectangles (up to 128×128 visible), labels as text.

    ``<title>`` is ``title`` or what the figure shows; ``<desc>`` adds the program and version.
    """
    title = title or _title_of(figure)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(figure.width, figure.height))
    generator.setViewBox(QRectF(0, 0, figure.width, figure.height))
    generator.setResolution(96)  # 96 px = 1 inch, the same physical size as the PDF
    generator.setTitle(title)
    generator.setDescription(f"{title}. Made with {software_name()}.")
    _paint_vector(generator, figure)
    buffer.close()
    return _with_font_fallbacks(data.data())


# The shipped DejaVu fonts are not installed on most slide machines: name close relatives and a
# generic family after them, so an SVG opened elsewhere keeps monospaced values monospaced.
_SVG_FONT_FALLBACKS = (
    (b'font-family="DejaVu Sans Mono"', b"font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\""),
    (b'font-family="DejaVu Sans"', b"font-family=\"'DejaVu Sans', Verdana, 'Segoe UI', sans-serif\""),
    (b'font-family="Sans Serif"', b"font-family=\"'DejaVu Sans', Verdana, sans-serif\""),
)


def _with_font_fallbacks(svg: bytes) -> bytes:
    for plain, with_fallbacks in _SVG_FONT_FALLBACKS:
        svg = svg.replace(plain, with_fallbacks)
    return svg


def write_svg(path: str | os.PathLike[str], figure: Figure) -> Path:
    """Write ``figure`` to ``path`` as SVG, atomically."""
    encoded = svg_bytes(figure)
    write_atomically(path, lambda file: file.write(encoded))
    return Path(path)


def pdf_bytes(figure: Figure, title: str | None = None) -> bytes:
    """Render ``figure`` as a one-page PDF whose page is the figure (96 px = 1 inch, no margins).

    The document's Title is ``title`` or what the figure shows; its Creator the program and version.
    """
    title = title or _title_of(figure)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator(software_name())
    writer.setResolution(96)
    points = QSizeF(figure.width * 72 / 96, figure.height * 72 / 96)
    layout = QPageLayout(QPageSize(points, QPageSize.Unit.Point, "reluviz", QPageSize.SizeMatchPolicy.ExactMatch),
                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    writer.setPageLayout(layout)
    _paint_vector(writer, figure)
    del writer  # finishes the document
    buffer.close()
    return data.data()


def write_pdf(path: str | os.PathLike[str], figure: Figure) -> Path:
    """Write ``figure`` to ``path`` as a one-page PDF, atomically."""
    encoded = pdf_bytes(figure)
    write_atomically(path, lambda file: file.write(encoded))
    return Path(path)


def write_figure(path: str | os.PathLike[str], figure: Figure) -> Path:
    """Write ``figure`` in the format its suffix names (``.png``, ``.svg``, ``.pdf``)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return write_png(path, figure_image(figure))
    if suffix == ".svg":
        return write_svg(path, figure)
    if suffix == ".pdf":
        return write_pdf(path, figure)
    raise InputError(f"Cannot export '{Path(path).name}': a still image is saved as .png, .svg or .pdf.")


def copy_figure_to_clipboard(main_window, width: int = 1920, height: int = 1080) -> QImage:
    """Put what the window shows on the clipboard as an image, rendered at ``width`` × ``height``.

    The network view's current frame if that tab is showing, otherwise the four array panels with
    the screen's theme and zoom. Returns the image.
    """
    network = getattr(main_window, "network_view", None)
    tabs = getattr(main_window, "tabs", None)
    if network is not None and tabs is not None and tabs.currentWidget() is network:
        figure = network_figure(network.frame.scene, width, height, 1.0,  # a still: pulses at rest
                                colormap=main_window.arrays_view.document.colormap, theme=main_window.arrays_view.theme)
    else:
        view = main_window.arrays_view
        figure = arrays_figure(panels_from_view(view), width, height, view.theme, view=view.view_state)
    image = figure_image(figure)
    QGuiApplication.clipboard().setImage(image)
    return image


# -- animation -------------------------------------------------------------------------------------


def animation_times(duration: float, fps: float) -> list[float]:
    """Sample times for ``duration`` seconds at ``fps``: 0, 1/fps, ... and the very end."""
    if fps <= 0 or not math.isfinite(fps):
        raise InputError(f"The frame rate {fps} is not positive; use e.g. 12 or 24 frames per second.")
    count = max(1, math.floor(duration * fps + 1e-9))
    times = [i / fps for i in range(count)]
    times.append(duration)  # end on the last step, fully drawn
    return times


class NetworkFrames(Iterator[QImage]):
    """The network timeline sampled at ``fps`` and rendered lazily, one ``QImage`` at a time.

    The still part of a timeline frame (edges, nodes, labels, step card) is painted once and
    copied for each animation frame, which then paints only pulses and gates: painting the whole
    network costs ~30 ms at 1280×720, the moving part well under 1 ms.
    """

    def __init__(self, timeline: Timeline, width: int, height: int, fps: float, caption: bool,
                 colormap: str, theme: Theme | None) -> None:
        self.timeline = timeline
        self.width, self.height = width, height
        self.times = animation_times(timeline.duration, fps)
        self.caption = caption
        self.colormap = colormap
        self.theme = theme
        self._next = 0
        self._static: tuple[int, QImage] | None = None  # one timeline frame's still layer

    def __len__(self) -> int:
        return len(self.times)

    @property
    def title(self) -> str:
        """What the animation shows, for its metadata."""
        return _network_title(self.timeline.frames[0].scene).replace(" — in the", " — forward and backward in the")

    def __iter__(self) -> NetworkFrames:
        return self

    def __next__(self) -> QImage:
        if self._next >= len(self.times):
            raise StopIteration
        t = self.times[self._next]
        self._next += 1
        return self.render(*self.timeline.locate(t))

    def _draw(self, index: int, progress: float, layer: str):
        frame = self.timeline.frames[index]
        caption = frame.text if self.caption else None

        def draw(painter: QPainter, rect: QRectF, vector: bool) -> None:
            render_network_frame(painter, rect, frame.scene, progress, caption, colormap=self.colormap,
                                 theme=self.theme, layer=layer)

        return draw

    def render(self, index: int, progress: float) -> QImage:
        """Timeline frame ``index`` with its pulses at ``progress`` (0 to 1), as an RGB32 image."""
        if self._static is None or self._static[0] != index:
            still = Figure(self._draw(index, progress, "static"), self.width, self.height,
                           _network_background(self.theme), title=_network_title(self.timeline.frames[index].scene))
            self._static = (index, figure_image(still))
        image = self._static[1].copy()
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._draw(index, progress, "dynamic")(painter, QRectF(0, 0, self.width, self.height), False)
        finally:
            painter.end()
        return image

    def palette_samples(self, limit: int = 6) -> Iterator[QImage]:
        """A few frames spread over the timeline (pulses mid-flight) whose colours stand for all.

        Rendered lazily, one at a time, on their own (the iteration's cached layer is left alone).
        """
        frames = len(self.timeline.frames)
        picks = sorted({round(i * (frames - 1) / max(1, limit - 1)) for i in range(min(limit, frames))})
        sampler = NetworkFrames.__new__(NetworkFrames)
        sampler.__dict__.update(self.__dict__, _static=None)
        return (sampler.render(index, 0.5) for index in picks)


def network_frames(timeline: Timeline, width: int, height: int, fps: float,
                   caption: bool = False, *, colormap: str = DEFAULT_COLORMAP,
                   theme: Theme | None = None) -> tuple[int, NetworkFrames]:
    """``(count, frames)``: the timeline sampled at ``fps`` and rendered lazily to QImages.

    ``caption`` puts each frame's step card under it; ``colormap`` and ``theme`` are as for
    :func:`network_figure`. ``frames`` is a :class:`NetworkFrames` iterator; the GIF writer
    also asks it for :meth:`NetworkFrames.palette_samples`.
    """
    width, height = check_size(width, height)
    _check_colormap(colormap)
    frames = NetworkFrames(timeline, width, height, fps, caption, colormap, theme)
    return len(frames), frames


def mp4_available() -> bool:
    """True if the optional ``imageio-ffmpeg`` (an ffmpeg binary) is installed."""
    try:
        import imageio_ffmpeg  # noqa: F401
    except ImportError:
        return False
    return True


def _rgb_array(image: QImage) -> np.ndarray:
    converted = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = converted.width(), converted.height(), converted.bytesPerLine()
    buffer = np.frombuffer(converted.constBits(), np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def _packed_rgb(image: QImage, copy: bool = True) -> np.ndarray:
    """``image`` as ``(height, width)`` uint32, ``0xffRRGGBB`` per pixel (RGB32's own layout).

    ``copy=False`` returns a view of the image's pixels: the caller keeps the image alive.
    """
    if image.format() != QImage.Format.Format_RGB32:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        copy = True  # the converted image dies with this call: a view of it would dangle
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    words = np.frombuffer(image.constBits(), np.uint32, count=stride // 4 * height).reshape(height, stride // 4)
    return words[:, :width].copy() if copy else words[:, :width]


def _tracked(frames: Iterable[QImage], count: int, progress: Progress | None) -> Iterator[QImage]:
    for done, image in enumerate(frames):
        if progress is not None and not progress(done, count):
            raise ExportCancelledError
        yield image
    if progress is not None and not progress(count, count):
        raise ExportCancelledError


# -- what an animation needs before it starts ------------------------------------------------------

# Working memory per pixel while writing: the frame (4 B), its static layer (4 B), the current,
# previous and pending frames (3 × 4 B), the changed mask and its indices (~9 B), and while the
# palette is built, one sample's sort (~20 B) — for WebP/MP4, the RGB copy handed to the encoder
# and its own buffers (~12 B). Measured peaks stay below these (bench_animation.py).
_BYTES_PER_PIXEL_WORKING = {".gif": 40, ".webp": 40, ".mp4": 32, "": 20}
# Output bytes per pixel per frame, generous (measured ~0.02-0.07 for GIF, ~0.3 for PNG frames).
_BYTES_PER_PIXEL_OUTPUT = {".gif": 0.15, ".webp": 0.1, ".mp4": 0.05, "": 0.6}
_FIXED_OVERHEAD = 64 * 2**20  # the palette lookup table (16 MB) and Qt's own buffers


def available_memory() -> int | None:
    """Bytes of memory this process can still use without swapping, or ``None`` if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def available_disk(folder: Path) -> int | None:
    """Free bytes on the disk holding ``folder``, or ``None`` if unknown."""
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def animation_needs(width: int, height: int, count: int, suffix: str) -> tuple[int, int]:
    """``(memory, disk)`` in bytes that writing ``count`` frames of ``width`` × ``height`` needs.

    Frames are streamed (one at a time), so memory does not grow with the frame count; WebP keeps
    its compressed frames until the end, counted with the output.
    """
    pixels = width * height
    output = math.ceil(pixels * count * _BYTES_PER_PIXEL_OUTPUT[suffix])
    memory = pixels * _BYTES_PER_PIXEL_WORKING[suffix] + _FIXED_OVERHEAD + (output if suffix == ".webp" else 0)
    return memory, output


def _gigabytes(amount: int) -> str:
    return f"{amount / 2**30:.1f} GB" if amount >= 2**30 else f"{amount / 2**20:.0f} MB"


def check_animation_fits(path: str | os.PathLike[str], width: int, height: int, fps: float, count: int) -> None:
    """Refuse, before any frame is drawn, an animation that would not fit in memory or on disk.

    Raises
    ------
    InputError
        Saying how much is needed, how much there is, and a size or frame rate that would fit.
    """
    p = Path(path)
    suffix = p.suffix.lower() if p.suffix.lower() in ANIMATION_SUFFIXES else ""
    memory, output = animation_needs(width, height, count, suffix)
    free_memory = available_memory()
    if free_memory is not None and memory > free_memory:
        fitting = [f"{w}×{h}" for w, h in ((3840, 2160), (1920, 1080), (1280, 720), (640, 360))
                   if w * h < width * height and animation_needs(w, h, count, suffix)[0] <= free_memory]
        hint = f"{fitting[0]} would fit" if fitting else "close other programs and try a smaller size"
        raise InputError(f"A {width}×{height} animation needs about {_gigabytes(memory)} of memory while it is "
                         f"written and {_gigabytes(free_memory)} is free; {hint}.")
    folder = p.parent if suffix else (p.parent if not p.exists() else p)
    free_disk = available_disk(folder if folder.is_dir() else p.parent)
    if free_disk is not None and output > free_disk:
        seconds = count / fps
        per_frame = max(1, output // max(1, count))
        fitting_fps = math.floor(free_disk / per_frame / max(seconds, 1e-9))
        hint = (f"{fitting_fps} frames per second would fit" if fitting_fps >= 1
                else "free some space or choose a smaller size")
        raise InputError(f"A {width}×{height} animation at {fps:g} fps may need up to {_gigabytes(output)} on disk "
                         f"and {_gigabytes(free_disk)} is free in '{folder}'; {hint}.")


def write_animation(path: str | os.PathLike[str], frames: Iterable[QImage], count: int, fps: float,
                    progress: Progress | None = None) -> Path:
    """Write frames as ``.gif``, animated ``.webp``, ``.mp4`` or numbered PNGs in a folder.

    Frames are streamed: each is rendered, encoded and dropped, so memory does not grow with their
    number. Whatever the format, the target is replaced only when every frame is written: a
    failure or Cancel leaves it (file or folder) as it was.

    Parameters
    ----------
    path : path
        A file ending in .gif, .webp or .mp4, or a folder (no suffix) for ``frame_0001.png`` ...
    frames : iterable of QImage
        Consumed once, lazily. A :class:`NetworkFrames` also gives the GIF its palette samples.
    count : int
        How many frames ``frames`` yields (for progress and the time each is shown).
    fps : float
    progress : callable, optional
        ``progress(done, total) -> bool``; returning False cancels (:class:`ExportCancelledError`,
        nothing is written).

    Raises
    ------
    InputError
        Unknown format, missing folder, or an animation that would not fit in memory or on disk
        (checked before the first frame is drawn).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in ("", *ANIMATION_SUFFIXES):
        raise InputError(f"Cannot export an animation as '{p.name}': use .gif, .webp, .mp4 or a folder name.")
    if suffix == ".mp4" and not mp4_available():
        raise InputError("MP4 export needs the optional package imageio-ffmpeg "
                         "(pip install imageio-ffmpeg); GIF and WebP work without it.")
    if not p.parent.is_dir():
        raise InputError(f"Cannot save '{p.name}': the folder '{p.parent}' does not exist; "
                         "choose an existing folder.")
    size = (getattr(frames, "width", None), getattr(frames, "height", None))
    if None not in size:
        check_animation_fits(p, size[0], size[1], fps, count)
    samples = frames.palette_samples() if suffix == ".gif" and hasattr(frames, "palette_samples") else None
    stream = _tracked(frames, count, progress)
    if suffix == "":
        return _write_frame_folder(p, stream)
    if suffix == ".gif":
        comment = f"{getattr(frames, 'title', 'reluviz animation')}. Made with {software_name()}."
        write_atomically(p, lambda file: write_gif_stream(file, stream, count, fps, samples, comment))
        return p
    if suffix == ".webp":
        return _write_webp(p, stream, count, fps)
    return _write_mp4(p, stream, fps)


def _write_frame_folder(folder: Path, stream: Iterator[QImage]) -> Path:
    """Write numbered PNGs into a hidden sibling folder, then move them into place.

    A new (or empty) target folder is replaced by the finished one in one rename; into an existing
    folder with other files the frames are moved one by one at the end (a rename each, same disk),
    and older ``frame_*.png`` beyond the new count are removed so no stale frame is left mixed in.
    Failure or Cancel removes the sibling and leaves the target as it was.
    """
    import shutil
    import tempfile

    if folder.exists() and not folder.is_dir():
        raise InputError(f"Cannot write frames into '{folder}': it is a file; give a folder name.")
    if not folder.parent.is_dir():
        raise InputError(f"Cannot write frames into '{folder}': the folder '{folder.parent}' does not exist.")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    except OSError as exc:
        raise InputError(f"Cannot create a folder next to '{folder}': {exc.strerror or exc}.") from None
    try:
        count = 0
        for count, image in enumerate(stream, start=1):
            encoded = png_bytes(image)
            try:
                (temp / f"frame_{count:04d}.png").write_bytes(encoded)
            except OSError as exc:
                raise InputError(f"Cannot write the frames into '{folder}': {exc.strerror or exc}; "
                                 "nothing was changed there.") from None
        temp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a plain mkdir would not
        if not folder.exists() or not any(folder.iterdir()):
            if folder.exists():
                folder.rmdir()
            os.replace(temp, folder)
        else:
            for index in range(1, count + 1):
                name = f"frame_{index:04d}.png"
                os.replace(temp / name, folder / name)
            for stale in folder.glob("frame_*.png"):
                number = stale.stem.removeprefix("frame_")
                if number.isdigit() and int(number) > count:
                    stale.unlink()
            temp.rmdir()
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- GIF: one palette, only what changed, streamed to disk --------------------------------------------

# Index 255 is never drawn: it marks the pixels a frame leaves as they were (GIF transparency).
_TRANSPARENT = 255
_PALETTE_COLOURS = 255
# Browsers show a GIF frame of less than 2/100 s for 1/10 s: never write one that short.
_MIN_DELAY_CS = 2


class GifPalette:
    """One palette for every frame, and a fast exact nearest-colour map onto it.

    The frequent colours (the theme's fills, edges, text) enter the palette exactly; the remaining
    slots go to a median cut of the rest (antialiased edges of lines and text), weighted by how
    often each colour appears.
    """

    def __init__(self, samples: Iterable[np.ndarray]) -> None:
        from PIL import Image

        # Count colours sample by sample (sorting one frame at a time bounds the memory), then merge.
        per_sample, total = [], 0
        for sample in samples:
            per_sample.append(np.unique(sample & np.uint32(0xFFFFFF), return_counts=True))
            total += sample.size
        colours, where = np.unique(np.concatenate([c for c, _ in per_sample]), return_inverse=True)
        counts = np.bincount(where, weights=np.concatenate([n for _, n in per_sample])).astype(np.int64)
        order = np.argsort(-counts, kind="stable")
        colours, counts = colours[order], counts[order]
        # Colours covering ≥ 0.02 % of the samples each are flat fills: keep them exact.
        exact = colours[: min(128, int(np.count_nonzero(counts >= max(1, total * 0.0002))))]
        rest, rest_counts = colours[len(exact):], counts[len(exact):]
        chosen = [exact]
        room = _PALETTE_COLOURS - len(exact)
        if len(rest) <= room:
            chosen.append(rest)
        else:
            # Weighted median cut of the rest; √count keeps rare antialiasing shades represented.
            weights = np.maximum(1, np.sqrt(rest_counts).astype(np.int64))
            spread = np.repeat(rest, weights)
            strip = Image.fromarray(_unpack(spread).reshape(1, -1, 3), "RGB")
            cut = strip.quantize(colors=room, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            used = cut.getpalette()[: 3 * room]
            cut_rgb = np.array(used, np.uint32).reshape(-1, 3)
            chosen.append((cut_rgb[:, 0] << 16) | (cut_rgb[:, 1] << 8) | cut_rgb[:, 2])
        palette = np.concatenate(chosen)[:_PALETTE_COLOURS]
        self.colours = _unpack(palette).astype(np.int32)  # (n, 3)
        self._colours_t = self.colours.T.astype(np.float64)
        self._norms = (self._colours_t**2).sum(axis=0)
        # colour → palette index; _TRANSPARENT marks "not looked up yet" (it is never a result).
        self._lookup = np.full(1 << 24, _TRANSPARENT, np.uint8)
        self._lookup[palette] = np.arange(len(palette), dtype=np.uint8)

    def rgb_bytes(self) -> bytes:
        """The 256-entry colour table (unused entries repeat the first colour)."""
        table = np.zeros((256, 3), np.uint8)
        table[:] = self.colours[0]
        table[: len(self.colours)] = self.colours
        return table.tobytes()

    def indices(self, packed: np.ndarray) -> np.ndarray:
        """Map ``0x··RRGGBB`` pixels to palette indices (nearest colour, exact, cached)."""
        packed = packed & np.uint32(0xFFFFFF)
        found = self._lookup[packed]
        missing = found == _TRANSPARENT
        if missing.any():
            new = np.unique(packed[missing])
            for start in range(0, len(new), 4096):  # bounded (4096 × 255) distance table
                chunk = new[start:start + 4096]
                rgb = _unpack(chunk).astype(np.float64)
                # |a - b|² = |a|² - 2 a·b + |b|², with a·b a matrix product (exact in float64 here);
                # |a|² is the same for every palette colour, so it does not change the nearest.
                distance = self._norms[None, :] - 2.0 * (rgb @ self._colours_t)
                self._lookup[chunk] = np.argmin(distance, axis=1).astype(np.uint8)
            found = self._lookup[packed]
        return found


def _unpack(packed: np.ndarray) -> np.ndarray:
    packed = packed.astype(np.uint32, copy=False)
    return np.stack([(packed >> 16) & 0xFF, (packed >> 8) & 0xFF, packed & 0xFF], axis=-1).astype(np.uint8)


def _gif_frame_bytes(indices: np.ndarray, left: int, top: int, delay_cs: int, transparent: bool,
                     palette_image) -> list[bytes]:
    """One frame: graphic control extension, image descriptor (no local table), LZW data."""
    from PIL import GifImagePlugin, Image

    picture = Image.fromarray(indices, "P")
    picture.putpalette(palette_image)
    params: dict = {"duration": delay_cs * 10, "disposal": 1}  # 1: keep this frame under the next
    if transparent:
        params["transparency"] = _TRANSPARENT
    return GifImagePlugin.getdata(picture, offset=(left, top), **params)


def write_gif_stream(file, frames: Iterable[QImage], count: int, fps: float,
                     samples: Iterable[QImage] | None = None, comment: str = "") -> None:
    """Write ``frames`` to the open binary ``file`` as a looping GIF, one frame in memory at a time.

    Parameters
    ----------
    file : binary file
    frames : iterable of QImage
        ``count`` opaque frames of one size, shown ``1 / fps`` s each.
    count : int
    fps : float
    samples : iterable of QImage, optional
        Frames whose colours stand for the whole animation (the palette is built from them and the
        first frame); colours outside it map to the nearest palette entry.
    comment : str
        A GIF comment (e.g. what the animation shows).

    Notes
    -----
    Every frame shares one palette. A frame equal to the one before it lengthens that one instead
    of being written; otherwise only the bounding box of the changed pixels is written, with the
    unchanged pixels inside it transparent. Delays are whole 1/100 s, rounded on the running
    total so the animation lasts exactly ``count / fps`` s.
    """
    iterator = iter(frames)
    try:
        first = _packed_rgb(next(iterator))
    except StopIteration:
        raise InputError("There are no frames to write.") from None
    height, width = first.shape
    palette = GifPalette(itertools.chain([first], (_packed_rgb(sample, copy=False) for sample in samples or ())))
    table = palette.rgb_bytes()
    header = [b"GIF89a", width.to_bytes(2, "little"), height.to_bytes(2, "little"),
              bytes([0xF7, 0, 0]), table,  # a global table of 256 colours, background index 0
              b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"]  # loop forever
    text = (comment or f"Made with {software_name()}.").encode("utf-8")
    header.append(b"!\xfe" + b"".join(bytes([len(text[i:i + 255])]) + text[i:i + 255]
                                      for i in range(0, len(text), 255)) + b"\x00")
    file.write(b"".join(header))

    def start_cs(index: int) -> int:
        return round(index * 100 / fps)

    def emit(current: np.ndarray, changed: np.ndarray | None, delay: int) -> None:
        """Write ``current`` whole (``changed`` None) or only its ``changed`` pixels (flat indices)."""
        if changed is None:
            file.write(b"".join(_gif_frame_bytes(palette.indices(current), 0, 0, delay, False, table)))
            return
        rows, cols = np.divmod(changed, width)
        top, left = int(rows[0]), int(cols.min())  # flat indices are sorted: rows[0] is the top row
        box = np.full((int(rows[-1]) + 1 - top, int(cols.max()) + 1 - left), _TRANSPARENT, np.uint8)
        box[rows - top, cols - left] = palette.indices(current.reshape(-1)[changed])
        file.write(b"".join(_gif_frame_bytes(box, left, top, delay, True, table)))

    def changes(current: np.ndarray, before: np.ndarray) -> np.ndarray:
        return np.flatnonzero(current != before)

    written: np.ndarray | None = None  # what the canvas shows before the pending frame
    pending, pending_changed, pending_start = first, None, 0
    # The arrays below are views of these images' pixels (no copy): keep the images alive with them.
    alive: dict[str, QImage] = {}
    for index, image in enumerate(iterator, start=1):
        if image.format() != QImage.Format.Format_RGB32:
            image = image.convertToFormat(QImage.Format.Format_RGB32)
        current = _packed_rgb(image, copy=False)
        if current.shape != first.shape:
            raise InputError("All frames of an animation must have the same size.")
        changed = changes(current, pending)
        if changed.size == 0:
            continue  # a repeated frame: the pending one stays up longer
        if start_cs(index) - pending_start < _MIN_DELAY_CS:
            # Too soon to show a new frame: show this one in the pending one's place.
            pending, pending_changed = current, (None if written is None else changes(current, written))
            alive["pending"] = image
            continue
        emit(pending, pending_changed, start_cs(index) - pending_start)
        written, pending, pending_changed, pending_start = pending, current, changed, start_cs(index)
        alive["written"], alive["pending"] = alive.get("pending"), image
    emit(pending, pending_changed, max(_MIN_DELAY_CS, start_cs(count) - pending_start))
    file.write(b";")


# -- WebP and MP4 ----------------------------------------------------------------------------------


def _write_webp(path: Path, stream: Iterator[QImage], count: int, fps: float) -> Path:
    """Animated WebP through Pillow, one frame in memory at a time.

    Pillow's WebP writer makes a list of ``append_images`` (every frame, uncompressed) but walks
    a multi-frame image with ``seek``: so the frames are handed over as one image whose ``seek``
    renders the next frame; libwebp keeps only the compressed frames.
    """
    from PIL import Image

    class StreamedFrames(Image.Image):
        def __init__(self) -> None:
            super().__init__()
            self.n_frames, self.is_animated, self._frame = count, count > 1, -1
            self.seek(0)

        def seek(self, frame: int) -> None:
            if frame == self._frame or (frame < self._frame and self._frame == count - 1):
                return  # Pillow seeks back to where it started once it is done
            if frame != self._frame + 1:
                raise EOFError("the frames are streamed and can only be read in order")
            picture = Image.fromarray(_rgb_array(next(stream)))
            self.im, self._mode, self._size, self._frame = picture.im, picture.mode, picture.size, frame

        def tell(self) -> int:
            return self._frame

    try:
        frames = StreamedFrames()
    except StopIteration:
        raise InputError("There are no frames to write.") from None
    duration = max(20, round(1000 / fps))

    def write(file) -> None:
        frames.save(file, format="WEBP", quality=90, method=4, save_all=True, duration=duration, loop=0)

    write_atomically(path, write)
    return path


def _write_mp4(path: Path, stream: Iterator[QImage], fps: float) -> Path:
    import imageio_ffmpeg

    temp = path.parent / f".{path.name}.{os.getpid()}.tmp.mp4"
    writer = None
    try:
        for image in stream:
            rgb = _rgb_array(image)
            if writer is None:
                height, width = rgb.shape[:2]
                # H.264 with yuv420p needs even sides.
                size = (width - width % 2, height - height % 2)
                writer = imageio_ffmpeg.write_frames(str(temp), size, fps=fps, codec="libx264",
                                                     pix_fmt_out="yuv420p", quality=8, macro_block_size=1)
                writer.send(None)
            writer.send(np.ascontiguousarray(rgb[: size[1], : size[0]]))
        if writer is not None:
            writer.close()
            writer = None
        os.replace(temp, path)
    except BaseException:
        if writer is not None:
            writer.close()
        temp.unlink(missing_ok=True)
        raise
    return path
