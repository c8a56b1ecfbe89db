"""The network as a figure: one frame (:func:`network_figure`) or the whole pass as lazily rendered
animation frames (:func:`network_frames`), painted by :mod:`reluviz.render.network_painter`.

The writers in :mod:`reluviz.render.writers` take both: a :class:`~reluviz.render.figures.Figure`
for a still, a :class:`NetworkFrames` iterator for an animation.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from reluviz.core.colour import DEFAULT_COLORMAP
from reluviz.core.io.limits import InputError
from reluviz.render.figures import BOOK_CAPTION, Figure, _export_scale, check_size, figure_image
from reluviz.render.fonts import UI_FAMILY
from reluviz.render.theme import Theme

if TYPE_CHECKING:  # the timeline is only passed through: importing it would cost a still export
    from reluviz.core.network.timeline import Scene, Timeline

__all__ = [
    "NetworkFrames",
    "animation_times",
    "network_figure",
    "network_frames",
    "render_network_frame",
]


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
        :attr:`reluviz.core.network.timeline.Frame.scene`.
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


def _network_title(scene: Scene) -> str:
    """The book's line at work in the network, its layer sizes and what the frame shows."""
    layers = "-".join(str(n) for n in scene.sizes)
    shown = f", {scene.shown}" if getattr(scene, "shown", "") else ""
    return f"{BOOK_CAPTION} — in the {layers} network{shown}"


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


