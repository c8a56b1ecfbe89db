"""How the network looks: colours, fonts and where every node sits, derived from a theme.

Shared by the painter (:mod:`reluviz.render.network_painter`), the screen and every export.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from reluviz.core.colour import BLOCKED_RGB, DEFAULT_COLORMAP, lookup_table
from reluviz.core.network.timeline import Scene
from reluviz.render.fonts import UI_FAMILY
from reluviz.render.theme import Theme

# A closed gate stops the gradient: the same dark slate as the mask's True and drelu's blocked mark.
CLOSED = QColor(*BLOCKED_RGB)
CLOSED_TEXT = QColor("#ffffff")
OPEN = QColor("#3d8b2f")  # the hue of the mask's "passes" colour, dark enough for thin marks
ZERO = QColor("#dcdcdc")  # an edge that carries no gradient
ACTIVE = QColor("#6a3d9a")
TEXT = QColor("#1a1a1a")
MUTED = QColor("#5f5f5f")
BACKGROUND = QColor("#ffffff")

_WIDTH_BUCKETS = 8
_PULSE_STRENGTH = 0.85



@dataclass(frozen=True)
class NetworkLook:
    """The colours and scale the network is painted with, derived from a theme.

    Attributes
    ----------
    dark : bool
        Dark background: faint edges fade towards the background rather than towards the colormap's
        pale centre, and dark marks get a light halo.
    background, text, muted, active : QColor
        Canvas, titles and node values, captions and legend, the column in focus.
    node_fill, node_active_fill, node_outline, node_text : QColor
        An open unit's disc (light in both looks, so a closed unit's dark slate stands out).
    zero, open, closed, closed_text, closed_halo : QColor
        No-gradient edges, an open gate, a closed gate (always the mask's "blocked" slate), the
        value on a closed unit, and the light outline of dark marks (transparent in the light look).
    closed_label : QColor
        Words about closed or dead units ("dead", "1 dead unit"): the slate, or a light slate on dark.
    edge_strength, pulse_strength : float
        Where on the colormap edges and pulses take their colour.
    scale : float
        Text and line size multiplier (1.5 for the presentation style).
    """

    dark: bool
    background: QColor
    text: QColor
    muted: QColor
    active: QColor
    node_fill: QColor
    node_active_fill: QColor
    node_outline: QColor
    node_text: QColor
    zero: QColor
    open: QColor
    closed: QColor
    closed_text: QColor
    closed_halo: QColor
    closed_label: QColor
    pulse_strength: float
    scale: float


_LIGHT_LOOK = NetworkLook(
    dark=False,
    background=BACKGROUND,
    text=TEXT,
    muted=MUTED,
    active=ACTIVE,
    node_fill=QColor("#ffffff"),
    node_active_fill=QColor("#f4f1fa"),
    node_outline=QColor("#404040"),
    node_text=TEXT,
    zero=ZERO,
    open=OPEN,
    closed=CLOSED,
    closed_text=CLOSED_TEXT,
    closed_halo=QColor(0, 0, 0, 0),
    closed_label=CLOSED,
    pulse_strength=_PULSE_STRENGTH,
    scale=1.0,
)


def network_look(theme: Theme | None = None) -> NetworkLook:
    """The :class:`NetworkLook` of ``theme`` (``None``: the light look the exports always had).

    The light theme keeps the network's own light palette (white canvas) with the theme's scale;
    any theme named ``"dark"`` gets a dark canvas in the theme's background, text and muted
    colours, with light nodes and a light halo round dark marks so closed gates stay visible.
    """
    if theme is None:
        return _LIGHT_LOOK
    scale = float(theme.scale) if theme.scale > 0 else 1.0
    if theme.name != "dark":
        return NetworkLook(**{**_LIGHT_LOOK.__dict__, "background": QColor(theme.background), "scale": scale})
    return NetworkLook(
        dark=True,
        background=QColor(theme.background),
        text=QColor(theme.text),
        muted=QColor(theme.muted),
        active=QColor("#c3a6ff"),
        node_fill=QColor("#e4e6ea"),
        node_active_fill=QColor("#e3dbf5"),
        node_outline=QColor("#8b929c"),
        node_text=QColor("#16181b"),
        zero=QColor("#3c3f45"),
        open=QColor("#78c468"),
        closed=CLOSED,
        closed_text=CLOSED_TEXT,
        closed_halo=QColor("#c5ccd6"),
        closed_label=QColor("#aeb8c6"),
        pulse_strength=0.6,
        scale=scale,
    )


@lru_cache(maxsize=1024)
def _lut_color(colormap: str, index: int) -> QColor:
    r, g, b, _a = (int(c) for c in lookup_table(colormap)[index])
    return QColor(r, g, b)


def sign_color(value: float, strength: float = _PULSE_STRENGTH, colormap: str = DEFAULT_COLORMAP) -> QColor:
    """The Arrays view's colour for a value of sign ``value`` at ``strength`` of the half-range.

    Parameters
    ----------
    value : float
        Only its sign matters: > 0 takes the colormap's positive (red) side, < 0 its negative
        (blue) side, 0 the colormap's own neutral centre.
    strength : float, default 0.85
        0 (the centre) to 1 (the end of the scale).
    colormap : str
        A key of :data:`reluviz.core.colour.COLORMAPS`.

    Returns
    -------
    QColor
        A new colour (safe to modify).
    """
    sign = 1 if value > 0 else -1 if value < 0 else 0
    index = 128 + sign * round(127 * min(max(strength, 0.0), 1.0))
    return QColor(_lut_color(colormap, index))


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont(UI_FAMILY)
    font.setPixelSize(max(round(pixels), 6))
    font.setBold(bold)
    return font


def _fitted(font: QFont, text: str, width: float) -> QFont:
    """``font``, or a smaller copy of it, so that ``text`` is at most ``width`` pixels wide."""
    advance = QFontMetricsF(font).horizontalAdvance(text)
    if advance <= width or advance <= 0:
        return font
    smaller = QFont(font)
    smaller.setPixelSize(max(int(font.pixelSize() * width / advance), 6))
    return smaller


# A node's value stays within ±NODE_TEXT_HALF_WIDTH × radius of its centre: inside the circle and its
# outline, and clear of a pulse resting on the rim (the pulses keep outside ±1 × radius).
NODE_TEXT_HALF_WIDTH = 0.76


def node_text_font(texts: tuple[str, ...] | list[str], radius: float) -> QFont:
    """The bold font for a column of node values: as large as fits, never wider than the node.

    Every text of ``texts`` is at most ``2 × NODE_TEXT_HALF_WIDTH × radius`` wide, and its height
    fits the circle's chord; there is no lower size limit (a tiny node gets tiny text, not text
    spilling out of it).
    """
    font = QFont(UI_FAMILY)
    font.setBold(True)
    pixels = max(radius * 0.62, 1.0)
    font.setPixelSize(max(int(pixels), 1))
    room = 2 * NODE_TEXT_HALF_WIDTH * radius
    for _ in range(40):
        fm = QFontMetricsF(font)
        widest = max((fm.horizontalAdvance(t) for t in texts), default=0.0)
        half_height = (fm.ascent() + fm.descent()) / 2
        chord = 2 * np.sqrt(max(radius**2 - half_height**2, 0.0)) * 0.92
        if (widest <= min(room, chord) and half_height < radius * 0.8) or font.pixelSize() <= 1:
            break
        shrink = min(room, chord) / widest if widest > 0 else 0.9
        font.setPixelSize(max(min(int(font.pixelSize() * min(shrink, 0.95)), font.pixelSize() - 1), 1))
    return font


# Node values are drawn at least this large wherever the canvas has the room.
MIN_NODE_TEXT_PX = 11
# Wider than any value :func:`reluviz.core.network.timeline.format_column` writes (four characters and a sign).
_WIDEST_VALUE = "-0.0000"


@lru_cache(maxsize=1)
def _legible_radius() -> float:
    """The node radius at which :data:`_WIDEST_VALUE` fits, bold, in :data:`MIN_NODE_TEXT_PX` px
    by the rule of :func:`node_text_font` (width and the circle's chord)."""
    font = QFont(UI_FAMILY)
    font.setBold(True)
    font.setPixelSize(MIN_NODE_TEXT_PX)
    fm = QFontMetricsF(font)
    widest = fm.horizontalAdvance(_WIDEST_VALUE)
    half_height = (fm.ascent() + fm.descent()) / 2
    by_width = widest / (2 * NODE_TEXT_HALF_WIDTH)
    by_chord = float(np.hypot(widest / (2 * 0.92), half_height))
    return max(by_width, by_chord, half_height / 0.8) + 1.0


class _Geometry:
    """Where every node sits for a scene painted into ``rect`` (``scale``: the look's text size)."""

    def __init__(self, scene: Scene, rect: QRectF, scale: float = 1.0) -> None:
        h = rect.height()
        # Bigger text (presentation) would like taller title and legend bands, but the style only
        # enlarges: where taller bands would shrink the nodes below the normal style's, the bands
        # keep their normal height (their text grows within them; see _header_boxes).
        self._place(scene, rect, 1.0, *self._bands(h, 1.0))
        if scale > 1:
            normal_r = self.r
            (header, footer), (normal_header, normal_footer) = self._bands(h, scale), self._bands(h, 1.0)
            # Tall bands if the nodes keep their size, else a normal title band (the legend keeps its
            # room for two rows), else both bands normal.
            for bands in ((header, footer), (normal_header, footer), (normal_header, normal_footer)):
                self._place(scene, rect, scale, *bands)
                if self.r >= normal_r:
                    break

    @staticmethod
    def _bands(h: float, scale: float) -> tuple[float, float]:
        return (min(max(h * 0.16, 48.0) * scale, max(h * 0.24, 48.0)),
                min(max(h * 0.08, 22.0) * scale, max(h * 0.12, 22.0)))

    def _place(self, scene: Scene, rect: QRectF, scale: float, header: float, footer: float) -> None:
        w = rect.width()
        self.rect = rect
        self.header = header
        self.footer = footer
        n_cols = len(scene.sizes)
        top = rect.top() + self.header
        bottom = rect.bottom() - self.footer
        row_gap = (bottom - top) / max(max(scene.sizes), 1)
        # Whole batch: smaller nodes leave room below each one for its pass fraction.
        fill = 0.34 if scene.sample is None else 0.4
        if scale > 1:
            # Presentation: the bands took height, so let the nodes (and their values) fill more
            # of each row; the small gap left still holds the unit numbers.
            fill = min(fill * scale**0.5, fill + 0.06)

        def radius(left_margin: float, right_margin: float) -> tuple[float, float]:
            gap = (w - left_margin - right_margin) / max(n_cols - 1, 1)
            return max(min(row_gap * fill, gap * 0.13, w * 0.05), 4.0), gap

        # Leave room for the side labels ("x[:,0]" on the left, "class 0" on the right) at any size.
        r, _ = radius(w * 0.08, w * 0.12)
        left_margin = max(w * 0.08, r * 2.6)
        right_margin = max(w * 0.12, r * 3.9)
        self.r, col_gap = radius(left_margin, right_margin)
        self.r = min(self.r, r)
        # Values stay legible: where the nodes would be too small for a value ("-0.0151") in
        # MIN_NODE_TEXT_PX, they grow into the room between rows, short of touching the next node
        # or (whole batch) the pass fraction written under each. The same for every frame of a
        # size, so nodes never change size as the animation plays.
        room = row_gap * (0.375 if scene.sample is None else 0.47)
        self.r = max(self.r, min(_legible_radius(), room, col_gap * 0.2))
        left = rect.left() + left_margin
        self.col_x = [left + col_gap * c for c in range(n_cols)]
        self.col_gap = col_gap
        self.nodes: list[list[QPointF]] = []
        for c, n in enumerate(scene.sizes):
            span = row_gap * n
            y0 = top + ((bottom - top) - span) / 2 + row_gap / 2
            self.nodes.append([QPointF(self.col_x[c], y0 + row_gap * i) for i in range(n)])
        self.gate_dx = self.r * 1.55
        self.gate_size = self.r * 0.52

    def edge(self, block: int, i: int, j: int, gated: bool) -> tuple[QPointF, QPointF]:
        a = self.nodes[block][i]
        b = self.nodes[block + 1][j]
        start_x = a.x() + (self.gate_dx + self.gate_size if gated else self.r)
        return QPointF(start_x, a.y()), QPointF(b.x() - self.r, b.y())


def gate_centers(scene: Scene, rect: QRectF, theme: Theme | None = None) -> list[list[QPointF]]:
    """Where each ReLU unit's gate is painted for ``scene`` in ``rect`` (per ReLU, per unit).

    Parameters
    ----------
    scene : Scene
    rect : QRectF
        The rectangle given to :func:`paint_network`.
    theme : Theme, optional
        The theme given to :func:`paint_network` (its scale moves the nodes a little).
    """
    g = _Geometry(scene, rect, network_look(theme).scale)
    return [[QPointF(p.x() + g.gate_dx, p.y()) for p in g.nodes[c]] for c in scene.relu_columns]


def node_centers(scene: Scene, rect: QRectF, theme: Theme | None = None) -> list[list[QPointF]]:
    """Where each node is painted for ``scene`` in ``rect`` (per column, per unit)."""
    return [list(points) for points in _Geometry(scene, rect, network_look(theme).scale).nodes]


def _blend(color: QColor, amount: float, background: QColor = BACKGROUND) -> QColor:
    """``color`` mixed with ``background``: ``amount`` 1 is the colour, 0 the background."""
    b = background
    return QColor(
        round(b.red() + (color.red() - b.red()) * amount),
        round(b.green() + (color.green() - b.green()) * amount),
        round(b.blue() + (color.blue() - b.blue()) * amount),
    )


def _edge_color(sign: int, bucket: int, active: bool, colormap: str, look: NetworkLook = _LIGHT_LOOK) -> QColor:
    """Edge colour from the diverging map: deeper as |value| grows; paler outside the active layer.

    Light look: paler means nearer the map's own centre, not mixed with grey, so faded edges keep
    their hue. Dark look: the map's pale centre would glare on a dark canvas, so edges take one
    mid-strength colour and fade into the background instead.
    """
    k = (bucket - 1) / (_WIDTH_BUCKETS - 1)
    if look.dark:
        amount = 0.5 + 0.5 * k if active else 0.32 + 0.38 * k
        return _blend(sign_color(sign, 0.6, colormap), amount, look.background)
    strength = 0.55 + 0.35 * k if active else 0.3 + 0.3 * k
    return sign_color(sign, strength, colormap)


def _round_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _draw_cross(painter: QPainter, centre: QPointF, k: float, width: float, look: NetworkLook) -> None:
    """A closed gate's ✕ in the blocked slate; on a dark canvas over a light halo so it shows."""
    lines = [
        QLineF(centre.x() - k, centre.y() - k, centre.x() + k, centre.y() + k),
        QLineF(centre.x() - k, centre.y() + k, centre.x() + k, centre.y() - k),
    ]
    if look.closed_halo.alpha():
        painter.setPen(_round_pen(look.closed_halo, width * 1.9))
        painter.drawLines(lines)
    painter.setPen(_round_pen(look.closed, width))
    painter.drawLines(lines)


def _draw_stopped_dot(painter: QPainter, point: QPointF, width: float, look: NetworkLook) -> None:
    if look.closed_halo.alpha():
        painter.setPen(_round_pen(look.closed_halo, width * 1.3))
        painter.drawPoint(point)
    painter.setPen(_round_pen(look.closed, width))
    painter.drawPoint(point)
