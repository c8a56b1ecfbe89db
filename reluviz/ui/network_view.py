"""The Network view: gradients flow backwards through a small network and stop at closed ReLUs.

The model is :class:`reluviz.core.network.NetworkRun`; one pass becomes a pure
:class:`reluviz.core.timeline.Timeline`, and this module only plays its frames. A ``QTimer``
advances the time; :meth:`NetworkView.step_animation` does the same deterministically for tests.

All drawing goes through :func:`paint_network`, so the screen and any export (PNG, SVG, animation
frames) look the same. The screen splits it in two: the part that does not move within a frame
(edges, nodes, labels) is cached in a ``QPixmap``; only pulses and gates are drawn at 60 fps.

Colours are the Arrays view's (:mod:`reluviz.core.colour`): edges and pulses take the diverging
colormap's positive end (red) for values > 0 and its negative end (blue) for values < 0, and a
closed gate — a gradient stopped — is the mask's dark "blocked" colour. The light or dark look and
the presentation scale come from a :class:`reluviz.ui.theme.Theme` (light when none is given).

Indices on the picture and in the step cards are NumPy's, 0-based: hidden unit ``j`` (the small
number beside each node) is column ``j`` of that layer's ``z`` and sample ``k`` is row ``k``, as in
the arrays "Open ReLU n in arrays" loads. "Dense 1", "ReLU 2" are layer names, not indices.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEvent, QLineF, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHideEvent,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.colour import BLOCKED_RGB, COLORMAPS, DEFAULT_COLORMAP, lookup_table
from reluviz.core.network import PRESETS, NetworkRun, PassRecord
from reluviz.core.timeline import Frame, Scene, Timeline, build_timeline, first_mixed_sample, preset_difference
from reluviz.ui.fonts import UI_FAMILY, mono_font, ui_font
from reluviz.ui.theme import LIGHT, Theme

__all__ = [
    "PAUSE_TEXT",
    "PLAY_TEXT",
    "NetworkLook",
    "NetworkView",
    "gate_centers",
    "legend_items",
    "network_look",
    "node_centers",
    "node_text_font",
    "paint_network",
    "paint_network_dynamic",
    "paint_network_static",
    "sign_color",
]

# A closed gate stops the gradient: the same dark slate as the mask's True and drelu's blocked mark.
CLOSED = QColor(*BLOCKED_RGB)
CLOSED_TEXT = QColor("#ffffff")
OPEN = QColor("#3d8b2f")  # the hue of the mask's "passes" colour, dark enough for thin marks
ZERO = QColor("#dcdcdc")  # an edge that carries no gradient
ACTIVE = QColor("#6a3d9a")
TEXT = QColor("#1a1a1a")
MUTED = QColor("#5f5f5f")
BACKGROUND = QColor("#ffffff")

# Every glyph here is in the shipped DejaVu Sans (U+23F8 "⏸" is not: it drew a missing-glyph box).
PLAY_TEXT = "▶ Play"
PAUSE_TEXT = "❚❚ Pause"

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
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
# The widest value :func:`reluviz.core.timeline.format_column` writes (three significant digits).
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
        w, h = rect.width(), rect.height()
        self.rect = rect
        # Bigger text (presentation) needs taller title and legend bands.
        self.header = min(max(h * 0.16, 48.0) * scale, max(h * 0.24, 48.0))
        self.footer = min(max(h * 0.08, 22.0) * scale, max(h * 0.12, 22.0))
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


def _closed_nodes(scene: Scene) -> dict[int, np.ndarray]:
    """Column → bool per unit, True where that ReLU unit's gate is closed in this scene."""
    out: dict[int, np.ndarray] = {}
    for r, c in enumerate(scene.relu_columns):
        gates = scene.gates[r]
        if gates is not None:
            out[c] = np.asarray(gates, dtype=bool)
    return out


def _width_phrase(scene: Scene) -> str:
    names = {"weight": "|W|", "grad": "|dW|", "new": "|W| after SGD"}
    kinds = [k for k in ("weight", "grad", "new") if k in scene.edge_kind]
    return "width ∝ " + " or ".join(names[k] for k in kinds) + " (per layer)"


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


def _pulse_signs(scene: Scene) -> set[int]:
    """The signs (+1, -1) of the pulses the scene moves: along its active edges and through a gate."""
    signs: set[int] = set()
    if scene.direction == 0:
        return signs
    if scene.active_block is not None:
        v = np.asarray(scene.edge_values[scene.active_block], dtype=np.float64)
        signs |= {int(x) for x in np.unique(np.sign(v[v != 0]))}
    if scene.gate_pulse is not None and scene.gates[scene.gate_pulse] is not None:
        c = scene.relu_columns[scene.gate_pulse]
        opened = ~np.asarray(scene.gates[scene.gate_pulse], dtype=bool)
        values = scene.node_values[c]
        if values is None:
            signs.add(1)
        else:
            v = np.asarray(values, dtype=np.float64)[opened]
            signs |= {int(x) for x in np.unique(np.sign(v[v != 0]))}
    return signs


def _shows_percentages(scene: Scene) -> bool:
    """True when the whole-batch scene writes a pass percentage under some unit ("dead" is not one)."""
    if scene.sample is not None:
        return False
    return any(
        gates is not None and bool(np.any(np.asarray(scene.pass_fraction[r], dtype=np.float64) > 0))
        for r, gates in enumerate(scene.gates)
    )


def legend_items(scene: Scene) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The legend of ``scene``: ``(keys, notes)``, each a list of ``(swatch kind, words)``.

    Only what the frame shows is listed: the edge signs drawn, closed or open gates if any, the
    moving dots if the frame has any ("activation arriving" forward, "gradient arriving"
    backward: a still shows them at rest where they arrive), and the pass percentages only on a
    whole-batch frame that writes some.
    """
    values = [np.asarray(v, dtype=np.float64) for v in scene.edge_values]
    drawn = {int(x) for v in values for x in np.unique(np.sign(v))} | _pulse_signs(scene)
    keys: list[tuple[str, str]] = []
    if 1 in drawn:
        keys.append(("pos", "> 0"))
    if -1 in drawn:
        keys.append(("neg", "< 0"))
    if 0 in drawn:
        keys.append(("zero", "no gradient"))
    gates = [np.asarray(g, dtype=bool) for g in scene.gates if g is not None]
    if any(g.any() for g in gates):
        keys.append(("closed", "gate closed (z <= 0): gradient stops"))
    if any((~g).any() for g in gates):
        keys.append(("open", "gate open (z > 0)"))
    if _pulse_signs(scene):
        keys.append(("pulse", "gradient arriving" if scene.direction < 0 else "activation arriving"))
    notes: list[tuple[str, str]] = []
    if scene.edge_kind:
        notes.append(("", _width_phrase(scene)))
    notes.append(("", "units and samples count from 0"))
    if _shows_percentages(scene):
        notes.append(("", "% under a unit: samples it passed"))
    return keys, notes


def _paint_legend(
    painter: QPainter, rect: QRectF, scene: Scene, colormap: str, height: float, look: NetworkLook = _LIGHT_LOOK
) -> None:
    """Swatches and words for colours, gates and edge widths: one row if it fits, else two."""
    keys, notes = legend_items(scene)
    size = max(height * 0.024, 9.0) * look.scale

    def row_width(items: list[tuple[str, str]], fm: QFontMetricsF) -> float:
        swatch, space, gap = fm.height() * 1.1, fm.horizontalAdvance(" "), fm.horizontalAdvance("    ")
        return sum((swatch + space if k else 0.0) + fm.horizontalAdvance(t) for k, t in items) + gap * (len(items) - 1)

    rows = [keys + notes]
    fm = QFontMetricsF(_font(size))
    if row_width(rows[0], fm) > rect.width() * 0.98 and rect.height() >= fm.height() * 2.1:
        rows = [keys, notes]
    while size > 8 and max(row_width(r, fm) for r in rows) > rect.width() * 0.98:
        size *= 0.92
        fm = QFontMetricsF(_font(size))
    painter.setFont(_font(size))
    swatch, space, gap = fm.height() * 1.1, fm.horizontalAdvance(" "), fm.horizontalAdvance("    ")
    line_h = min(rect.height() / len(rows), fm.height() * 1.25)
    y0 = rect.center().y() - line_h * len(rows) / 2
    for n, items in enumerate(rows):
        x = rect.center().x() - row_width(items, fm) / 2
        cy = y0 + line_h * (n + 0.5)
        for kind, text in items:
            m = x + swatch / 2
            if kind in ("pos", "neg", "zero"):
                if kind == "zero":
                    color = look.zero
                elif look.dark:
                    color = sign_color(1 if kind == "pos" else -1, 0.6, colormap)
                else:
                    color = sign_color(1 if kind == "pos" else -1, 0.85, colormap)
                pen = QPen(color, max(fm.height() * 0.28, 2.0))
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                painter.drawLine(QLineF(x, cy, x + swatch, cy))
            elif kind == "closed":
                _draw_cross(painter, QPointF(m, cy), swatch * 0.32, max(fm.height() * 0.14, 1.5), look)
            elif kind == "pulse":
                # The moving dots: a red and a blue one, as big as the largest pulses.
                d = max(fm.height() * 0.42, 3.0)
                signs = sorted(_pulse_signs(scene), reverse=True)
                for n_dot, sign in enumerate(signs):
                    dx = (n_dot - (len(signs) - 1) / 2) * d * 1.15
                    painter.setPen(_round_pen(sign_color(sign, look.pulse_strength, colormap), d))
                    painter.drawPoint(QPointF(m + dx, cy))
            elif kind == "open":
                k = swatch * 0.36
                painter.setPen(_round_pen(look.open, max(fm.height() * 0.1, 1.2)))
                painter.drawLine(QLineF(m - k, cy - k * 0.55, m + k, cy - k * 0.55))
                painter.drawLine(QLineF(m - k, cy + k * 0.55, m + k, cy + k * 0.55))
            tx = x + (swatch + space if kind else 0.0)
            painter.setPen(look.muted)
            painter.drawText(QPointF(tx, cy + (fm.ascent() - fm.descent()) / 2), text)
            x = tx + fm.horizontalAdvance(text) + gap


def paint_network_static(
    painter: QPainter,
    rect: QRectF,
    scene: Scene,
    colormap: str = DEFAULT_COLORMAP,
    theme: Theme | None = None,
) -> None:
    """Paint what does not move within a frame: background, edges, nodes, labels, legend.

    Parameters
    ----------
    painter : QPainter
        Any painter (widget, ``QPixmap``, ``QImage``, ``QSvgGenerator``).
    rect : QRectF
        Target rectangle; everything scales with it.
    scene : Scene
        The frame's numbers, from :mod:`reluviz.core.timeline`.
    colormap : str, optional
        The Arrays view's diverging colormap (positive end for > 0, negative end for < 0).
    theme : Theme, optional
        Light or dark, and the text/line scale (see :func:`network_look`); ``None`` is the light
        look at scale 1.
    """
    look = network_look(theme)
    s = look.scale
    g = _Geometry(scene, rect, s)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, look.background)
    relu_of_col = {c: r for r, c in enumerate(scene.relu_columns)}
    closed_of_col = _closed_nodes(scene)
    h = rect.height()

    # ---- edges: one drawLines call per (sign, width bucket, emphasis)
    groups: dict[tuple[int, int, bool], list[QLineF]] = defaultdict(list)
    for b, vals in enumerate(scene.edge_values):
        v = np.asarray(vals, dtype=np.float64)
        m = float(np.max(np.abs(v))) if v.size else 0.0
        active = scene.active_block == b
        gated = b in relu_of_col and scene.gates[relu_of_col[b]] is not None
        for i in range(v.shape[0]):
            for j in range(v.shape[1]):
                a, e = g.edge(b, i, j, gated)
                x = float(v[i, j])
                bucket = 0 if m == 0 or x == 0 else 1 + int((_WIDTH_BUCKETS - 1) * abs(x) / m)
                sign = 0 if x == 0 else (1 if x > 0 else -1)
                groups[(sign, bucket, active)].append(QLineF(a, e))
    unit = max(g.r * 0.07, 0.8) * s
    # Opaque colours pre-blended with the background and flat caps: translucent round-capped wide
    # strokes cost ~4x more to rasterise. Quiet blocks first, then thin to thick.
    for (sign, bucket, active), lines in sorted(
        groups.items(), key=lambda kv: (kv[0][2], kv[0][1])
    ):
        if sign == 0:
            pen = QPen(look.zero, unit)  # no gradient: faint, solid
        else:
            pen = QPen(_edge_color(sign, bucket, active, colormap, look), unit * (0.7 + 0.6 * bucket))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLines(lines)

    # ---- column titles and captions; what is shown (a sample or the batch mean) at the top left
    title_font = _font(max(h * 0.036, 12) * s, bold=True)
    caption_font = _font(max(h * 0.03, 10) * s)
    label_font = _font(max(h * 0.03, 10) * s, bold=True)
    line = g.header * 0.27
    for c, x in enumerate(g.col_x):
        half = g.col_gap * 0.49
        if c == len(g.col_x) - 1:
            half = min(half, rect.right() - x)
        box = QRectF(x - half, rect.top() + g.header * 0.06, 2 * half, line * 1.25)
        painter.setFont(_fitted(title_font, scene.titles[c], box.width() * 0.98))
        painter.setPen(look.active if scene.active_column == c else look.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, scene.titles[c])
        painter.setFont(caption_font)
        painter.setPen(look.muted)
        cap = scene.captions[c]
        if scene.sample is None and cap:
            cap = "mean " + cap
        box2 = QRectF(box.left(), box.bottom(), box.width(), line)
        painter.setFont(_fitted(caption_font, cap, box2.width() * 0.98))
        painter.drawText(box2, Qt.AlignmentFlag.AlignCenter, cap)
        relu = relu_of_col.get(c)
        if relu is not None and scene.sample is None and scene.gates[relu] is not None:
            dead = scene.dead_count[relu]
            painter.setFont(label_font)
            painter.setPen(look.closed_label if dead else look.open)
            box3 = QRectF(box.left(), box2.bottom(), box.width(), line)
            painter.drawText(
                box3, Qt.AlignmentFlag.AlignCenter, f"{dead} dead unit{'' if dead == 1 else 's'}"
            )
        if c == 0 and scene.shown:
            # One sample: the row of column 1 under its caption is free, so the label may run on.
            width = g.col_gap * (1.2 if scene.sample is None else 1.9)
            painter.setFont(_fitted(label_font, scene.shown, width))
            painter.setPen(look.text)
            painter.drawText(
                QRectF(rect.left() + g.r * 0.3, box2.bottom(), width, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                scene.shown,
            )

    # ---- nodes with their values; a closed unit is dark like the mask's True ("blocked")
    outline = max(g.r * 0.09, 1.2) * s
    for c, points in enumerate(g.nodes):
        texts = scene.node_text[c]
        closed_units = closed_of_col.get(c)
        # One size per column, small enough for its longest label, so the column reads evenly.
        painter.setFont(node_text_font(texts, g.r))
        for i, p in enumerate(points):
            closed = closed_units is not None and bool(closed_units[i])
            if closed:
                fill = look.closed
            else:
                fill = look.node_active_fill if c == scene.active_column else look.node_fill
            painter.setBrush(QBrush(fill))
            painter.setPen(QPen(look.active if c == scene.active_column else look.node_outline, outline))
            painter.drawEllipse(p, g.r, g.r)
            if texts:
                painter.setPen(look.closed_text if closed else look.node_text)
                painter.drawText(
                    QRectF(p.x() - g.r, p.y() - g.r, 2 * g.r, 2 * g.r),
                    Qt.AlignmentFlag.AlignCenter,
                    texts[i],
                )

    # ---- unit numbers of the hidden layers (0-based: unit j is column j of that layer's z),
    # above the right shoulder of each node, clear of the edges and the gate
    last = len(g.nodes) - 1
    index_font = _font(max(g.r * 0.36, 8.0) * min(s, 1.25))
    painter.setFont(index_font)
    painter.setPen(look.muted)
    ifm = QFontMetricsF(index_font)
    for c in range(1, last):
        for i, p in enumerate(g.nodes[c]):
            label = str(i)
            painter.drawText(
                QPointF(p.x() + g.r * 0.78, p.y() - g.r * 0.8 - ifm.descent()),
                label,
            )

    # ---- side labels: columns of x on the left, class names on the right
    side_font = _font(max(min(g.r * 0.5, h * 0.032), 9) * min(s, 1.25))
    painter.setFont(side_font)
    painter.setPen(look.muted)
    for i, p in enumerate(g.nodes[0]):
        label = f"x[:,{i}]"
        room = max(p.x() - g.r * 1.2 - rect.left() - 2.0, 1.0)  # never past the left edge
        painter.setFont(_fitted(side_font, label, room))
        painter.drawText(
            QRectF(p.x() - g.r * 1.2 - room, p.y() - g.r, room, 2 * g.r),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            label,
        )
    painter.setFont(side_font)
    for i, p in enumerate(g.nodes[last]):
        painter.drawText(
            QRectF(p.x() + g.r * 1.25, p.y() - g.r, g.r * 4.0, 2 * g.r),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"class {i}",
        )

    # ---- whole batch: the fraction of samples each unit passed
    if scene.sample is None:
        frac_font = _font(max(min(g.r * 0.45, h * 0.03), 9) * min(s, 1.25), bold=True)
        painter.setFont(frac_font)
        for r, c in enumerate(scene.relu_columns):
            if scene.gates[r] is None:
                continue
            for i, p in enumerate(g.nodes[c]):
                f = float(scene.pass_fraction[r][i])
                painter.setPen(look.closed_label if f == 0 else look.open)
                label = "dead" if f == 0 else f"{f:.0%}"
                painter.drawText(
                    QRectF(p.x() - g.r * 2, p.y() + g.r * 1.02, g.r * 4, g.r * 0.62 * min(s, 1.25)),
                    Qt.AlignmentFlag.AlignCenter,
                    label,
                )

    # ---- legend
    _paint_legend(
        painter, QRectF(rect.left(), rect.bottom() - g.footer, rect.width(), g.footer), scene, colormap, h, look
    )
    painter.restore()


def _gate_closed_fraction(scene: Scene, relu: int, progress: float) -> float:
    # A gate closes during its own ReLU forward frame and stays closed afterwards.
    if scene.gate_pulse == relu and scene.direction > 0:
        return min(progress * 2.0, 1.0)
    return 1.0


def paint_network_dynamic(
    painter: QPainter,
    rect: QRectF,
    scene: Scene,
    progress: float,
    colormap: str = DEFAULT_COLORMAP,
    theme: Theme | None = None,
) -> None:
    """Paint what moves: ReLU gates and the pulses travelling at ``progress`` (0 to 1).

    Parameters
    ----------
    painter : QPainter
    rect : QRectF
        The same rectangle given to :func:`paint_network_static`.
    scene : Scene
    progress : float
        How far through the frame the pulses are.
    colormap, theme : optional
        As for :func:`paint_network_static`.
    """
    look = network_look(theme)
    g = _Geometry(scene, rect, look.scale)
    lw = min(look.scale, 1.5)  # gate strokes: a little bolder in the presentation style
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p = min(max(progress, 0.0), 1.0)
    relu_of_col = {c: r for r, c in enumerate(scene.relu_columns)}
    outline = max(g.r * 0.09, 1.2) * look.scale / 2  # half the node's outline

    # ---- pulses along the active edge block: one drawPoints call per (sign, size)
    if scene.active_block is not None and scene.direction != 0:
        b = scene.active_block
        v = np.asarray(scene.edge_values[b], dtype=np.float64)
        m = float(np.max(np.abs(v))) if v.size else 0.0
        gated = b in relu_of_col and scene.gates[relu_of_col[b]] is not None
        t = p if scene.direction > 0 else 1.0 - p
        points: dict[tuple[int, int], list[QPointF]] = defaultdict(list)
        if m > 0:
            for i in range(v.shape[0]):
                for j in range(v.shape[1]):
                    x = float(v[i, j])
                    if x == 0:
                        continue  # no gradient flows here (e.g. from a closed gate)
                    a, e = g.edge(b, i, j, gated)
                    size = 1 + int(3 * abs(x) / m)
                    a, e = _inset(a, e, _pulse_width(g.r, size) / 2 + outline)
                    points[(1 if x > 0 else -1, size)].append(a + (e - a) * t)
        for (sign, size), pts in points.items():
            pen = QPen(sign_color(sign, look.pulse_strength, colormap), _pulse_width(g.r, size))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPoints(pts)

    # ---- gates, and pulses crossing them in ReLU frames
    for r, c in enumerate(scene.relu_columns):
        gates = scene.gates[r]
        if gates is None:
            continue
        closing = _gate_closed_fraction(scene, r, p)
        s = g.gate_size
        for i, node in enumerate(g.nodes[c]):
            centre = QPointF(node.x() + g.gate_dx, node.y())
            if bool(gates[i]):
                _draw_cross(painter, centre, s * closing, max(g.r * 0.17, 2.0) * lw, look)
            else:
                painter.setPen(_round_pen(look.open, max(g.r * 0.1, 1.5) * lw))
                painter.drawLine(
                    QLineF(
                        centre.x() - s, centre.y() - s * 0.55, centre.x() + s, centre.y() - s * 0.55
                    )
                )
                painter.drawLine(
                    QLineF(
                        centre.x() - s, centre.y() + s * 0.55, centre.x() + s, centre.y() + s * 0.55
                    )
                )
        if scene.gate_pulse == r and scene.direction != 0:
            values = scene.node_values[c]
            for i, node in enumerate(g.nodes[c]):
                closed = bool(gates[i])
                gate_x = node.x() + g.gate_dx
                # Off the node: the dot's edge touches the circle's outline at most.
                rim = node.x() + g.r + outline + g.r * 0.21
                if scene.direction > 0:
                    x0, x1 = rim, gate_x + s * 3.0
                else:
                    x0, x1 = gate_x + s * 3.0, rim
                x = x0 + (x1 - x0) * p
                if closed:
                    # The pulse stops at the gate: z <= 0 lets nothing through. Forward it waits
                    # on the node's rim, clear of the value inside and of the ✕'s arms.
                    x = (
                        node.x() + g.r
                        if scene.direction > 0
                        else max(x, gate_x + s * 1.6)
                    )
                    _draw_stopped_dot(painter, QPointF(x, node.y()), g.r * 0.42, look)
                    continue
                # What passes keeps its sign's colour (a > 0 forward, dL/dz backward).
                v = float(values[i]) if values is not None else 1.0
                color = sign_color(v, look.pulse_strength, colormap) if v != 0 else QColor(look.open)
                painter.setPen(_round_pen(color, g.r * 0.42))
                painter.drawPoint(QPointF(x, node.y()))
    painter.restore()


def _pulse_width(radius: float, size: int) -> float:
    """The diameter of an edge pulse of ``size`` 1 (small value) to 4 (the block's largest)."""
    return radius * (0.16 + 0.09 * size)


def _inset(a: QPointF, e: QPointF, by: float) -> tuple[QPointF, QPointF]:
    """The segment ``a``–``e`` shortened by ``by`` at both ends (to its midpoint if too short)."""
    d = e - a
    length = (d.x() ** 2 + d.y() ** 2) ** 0.5
    if length <= 2 * by or length == 0:
        mid = (a + e) / 2
        return mid, mid
    u = d / length
    return a + u * by, e - u * by


def _round_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def paint_network(
    painter: QPainter,
    rect: QRectF,
    scene: Scene,
    progress: float = 1.0,
    colormap: str = DEFAULT_COLORMAP,
    theme: Theme | None = None,
) -> None:
    """Paint one whole frame — the entry point for exports (PNG, SVG, animation frames).

    Parameters
    ----------
    painter : QPainter
        Any painter; the caller begins and ends it.
    rect : QRectF
        Target rectangle at any size.
    scene : Scene
        :attr:`reluviz.core.timeline.Frame.scene`.
    progress : float, default 1.0
        Pulse position within the frame.
    colormap : str, optional
        The Arrays view's diverging colormap, a key of :data:`reluviz.core.colour.COLORMAPS`
        (default ``"blue-red"``).
    theme : Theme, optional
        The look (:func:`network_look`); ``None`` paints the light look at scale 1.
    """
    if colormap not in COLORMAPS:
        raise KeyError(f"unknown colormap {colormap!r}; known: {', '.join(COLORMAPS)}")
    paint_network_static(painter, rect, scene, colormap, theme)
    paint_network_dynamic(painter, rect, scene, progress, colormap, theme)


class _NetworkCanvas(QWidget):
    """Paints the current scene; the still part is cached in a pixmap per frame and size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.scene: Scene | None = None
        self.progress = 0.0
        self.colormap = DEFAULT_COLORMAP
        self.theme: Theme | None = None
        self._cache: QPixmap | None = None
        self._cache_key: tuple | None = None
        self.cache_builds = 0
        self.paint_count = 0

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 320)

    def set_frame(self, scene: Scene, progress: float) -> None:
        if scene is not self.scene:
            self.scene = scene
            self._cache = None
        self.progress = progress
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._cache = None
        super().resizeEvent(event)

    def _static(self) -> QPixmap:
        assert self.scene is not None
        dpr = self.devicePixelRatioF()
        key = (id(self.scene), self.width(), self.height(), dpr, self.colormap, id(self.theme))
        if self._cache is None or self._cache_key != key:
            pm = QPixmap(max(int(self.width() * dpr), 1), max(int(self.height() * dpr), 1))
            pm.setDevicePixelRatio(dpr)
            pm.fill(network_look(self.theme).background)
            painter = QPainter(pm)
            paint_network_static(
                painter, QRectF(0, 0, self.width(), self.height()), self.scene, self.colormap, self.theme
            )
            painter.end()
            self._cache, self._cache_key = pm, key
            self.cache_builds += 1
        return self._cache

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        painter = QPainter(self)
        look = network_look(self.theme)
        if self.scene is None:
            painter.fillRect(self.rect(), look.background)
        else:
            painter.drawPixmap(0, 0, self._static())
            paint_network_dynamic(
                painter,
                QRectF(0, 0, self.width(), self.height()),
                self.scene,
                self.progress,
                self.colormap,
                self.theme,
            )
            if self.hasFocus():
                painter.setPen(QPen(look.active, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()


# The keys the view's documentation promises (README, Help → Keyboard and mouse).
TIMELINE_KEYS = frozenset({
    Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    Qt.Key.Key_Home, Qt.Key.Key_End,
})


class _TimelineKeys(QObject):
    """Sends the timeline keys pressed on a combo box, button, check box or slider to the view.

    A separate filter holding the view weakly: a view that filtered its own children's events
    would be kept alive by them after Qt deleted it.
    """

    def __init__(self, view: NetworkView) -> None:
        super().__init__(view)
        self._view = weakref.ref(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        view = self._view()
        if (view is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in TIMELINE_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            view.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)


class NetworkView(QWidget):
    """Gradient flow through a small network, animated, with a step card and training controls.

    Keys (while the view has focus, also on its combo boxes; its number fields keep their own):
    Space play/pause, ←/→ step a frame, PageUp/PageDown jump by phase, Home/End first/last frame.
    A reset that would discard Train steps asks first (:meth:`confirm_discard_training`).

    Parameters
    ----------
    parent : QWidget, optional

    Signals
    -------
    open_in_arrays_requested(object, object)
        ``(z, dvalues)`` copies of the chosen ReLU layer, for the array explorer.
    trained()
        After each Train step (the main window autosaves on it).
    status_message(str)
        One line about the frame on screen (:attr:`reluviz.core.timeline.Frame.summary`, e.g.
        ``"ReLU 1 backward · sample 3: 2 of 6 gates closed, 4 gradients pass"``), emitted
        whenever the frame on screen changes, for a status bar.
    """

    open_in_arrays_requested = Signal(object, object)
    status_message = Signal(str)
    trained = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._time = 0.0
        self._still = False
        self._speed = 1.0
        self._frame_index = 0
        self._theme: Theme = LIGHT
        self._run: NetworkRun
        self._record: PassRecord
        self._timeline: Timeline
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(16)
        self._timer.timeout.connect(self._on_tick)
        self._clock = QElapsedTimer()
        self._build_ui()
        self.setFocusProxy(self.canvas)
        # The documented keys drive the timeline whenever the view has focus, even on a combo
        # box just used (a preset chosen with the mouse keeps focus): only text fields keep them.
        self._timeline_keys = _TimelineKeys(self)
        for control in (self.preset_combo, self.batch_combo, self.speed_combo, self.whole_batch_check,
                        self.slider, *self.findChildren(QPushButton)):
            control.installEventFilter(self._timeline_keys)
        for combo in (self.preset_combo, self.batch_combo, self.speed_combo):
            # A choice made, the keys go back to the animation.
            combo.activated.connect(self._return_keys_to_canvas)
        self.reset()

    # -- building -------------------------------------------------------------------------------

    def _button(self, text: str, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.setFont(ui_font(11 * network_look(self._theme).scale))
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return b

    def _build_ui(self) -> None:
        self.canvas = _NetworkCanvas(self)

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.frame_label = QLabel(self)
        self.frame_label.setFont(mono_font(10))

        self.play_button = self._button(PLAY_TEXT, "Play / pause (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        self.back_button = self._button("◀", "Step back (←)")
        self.back_button.clicked.connect(lambda: self.step_frames(-1))
        self.forward_button = self._button("▶|", "Step forward (→)")
        self.forward_button.clicked.connect(lambda: self.step_frames(+1))
        self.phase_back_button = self._button("« Phase", "Previous phase (PageUp)")
        self.phase_back_button.clicked.connect(lambda: self.jump_phase(-1))
        self.phase_forward_button = self._button("Phase »", "Next phase (PageDown)")
        self.phase_forward_button.clicked.connect(lambda: self.jump_phase(+1))
        self.speed_combo = QComboBox(self)
        self.speed_combo.setFont(ui_font(11))
        for s in SPEEDS:
            self.speed_combo.addItem(f"{s:g}×", s)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_combo.currentIndexChanged.connect(self._on_speed_changed)

        self.preset_combo = QComboBox(self)
        self.preset_combo.setFont(ui_font(11))
        for key in ("book", "default", "dead"):
            self.preset_combo.addItem(PRESETS[key].title, key)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, preset_difference(key),
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setCurrentIndex(1)
        # The titles are long: don't let them (at presentation size) set the window's minimum width.
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(16)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_chosen)
        self.seed_spin = QSpinBox(self)
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setPrefix("seed ")
        self.batch_combo = QComboBox(self)
        self.batch_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.batch_combo.setMinimumContentsLength(10)
        for label, size in (
            ("batch: all", 0),
            ("batch 150", 150),
            ("batch 60", 60),
            ("batch 30", 30),
        ):
            self.batch_combo.addItem(label, size)
        self.reset_button = self._button("Reset", "New network and data from the preset and seed")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.lr_spin = QDoubleSpinBox(self)
        self.lr_spin.setRange(0.001, 10.0)
        self.lr_spin.setDecimals(3)
        self.lr_spin.setSingleStep(0.1)
        self.lr_spin.setPrefix("lr ")
        self.lr_spin.valueChanged.connect(self._on_learning_rate_changed)
        self.train_button = self._button("Train step", "Forward, backward and one SGD update")
        self.train_button.clicked.connect(self.train_step)
        self.sample_spin = QSpinBox(self)
        self.sample_spin.setPrefix("sample ")
        self.sample_spin.setToolTip(
            "Row of the batch, counted from 0 like NumPy: sample k is row k of the z and dvalues that "
            "“Open ReLU n in arrays” shows"
        )
        self.sample_spin.valueChanged.connect(lambda _v: self._rebuild_timeline(keep_frame=True))
        self.whole_batch_check = QCheckBox("whole batch", self)
        self.whole_batch_check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.whole_batch_check.toggled.connect(lambda _v: self._rebuild_timeline(keep_frame=True))
        for w in (self.seed_spin, self.lr_spin, self.sample_spin, self.batch_combo):
            w.setFont(ui_font(11))
        for w in (
            self.seed_spin,
            self.lr_spin,
            self.sample_spin,
            self.batch_combo,
            self.speed_combo,
            self.preset_combo,
        ):
            w.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        # right panel: step card, readouts, loss curve, open in arrays
        self.step_card = QLabel(self)
        self.step_card.setWordWrap(True)
        self.step_card.setFont(ui_font(13))
        self.step_card.setFrameShape(QFrame.Shape.StyledPanel)
        self.step_card.setMinimumHeight(150)
        self.step_card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.step_card.setMargin(10)
        self.step_card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phase_label = QLabel(self)
        self.phase_label.setFont(ui_font(14, bold=True))
        self.loss_label = QLabel(self)
        self.loss_label.setFont(mono_font(12))
        self.accuracy_label = QLabel(self)
        self.accuracy_label.setFont(mono_font(12))
        self.step_label = QLabel(self)
        self.step_label.setFont(mono_font(12))
        import pyqtgraph as pg  # here, not at the top: headless exports paint frames without it (~0.4-1 s)

        self.loss_plot = pg.PlotWidget(self, background="w")
        self.loss_plot.setMinimumHeight(140)
        self.loss_plot.setMouseEnabled(x=False, y=False)
        self.loss_plot.hideButtons()
        self.loss_plot.setMenuEnabled(False)
        label_style = {"color": TEXT.name(), "font-size": "11pt"}
        self.loss_plot.setLabel("left", "loss (batch)", **label_style)
        self.loss_plot.setLabel("bottom", "train step", **label_style)
        for name in ("left", "bottom"):
            axis = self.loss_plot.getAxis(name)
            axis.setTickFont(ui_font(10))
            axis.setTextPen(pg.mkPen(TEXT))
            axis.setPen(pg.mkPen(MUTED))
        self.loss_plot.getAxis("left").setWidth(64)
        self.loss_plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.loss_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(ACTIVE, width=2), symbol="o", symbolSize=7,
            symbolBrush=pg.mkBrush(ACTIVE), symbolPen=None,
        )
        self.loss_empty = QLabel("Press “Train step” to see the loss\nof each step here.", self)
        self.loss_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loss_empty.setWordWrap(True)
        self.loss_empty.setFont(ui_font(12))
        self.loss_empty.setStyleSheet(f"color: {MUTED.name()}; background: white; border: 1px solid #d0d0d0;")
        self.loss_stack = QStackedWidget(self)
        self.loss_stack.addWidget(self.loss_empty)
        self.loss_stack.addWidget(self.loss_plot)
        self._arrays_box = QWidget(self)
        self._arrays_layout = QVBoxLayout(self._arrays_box)
        self._arrays_layout.setContentsMargins(0, 0, 0, 0)
        self.open_buttons: list[QPushButton] = []

        transport = QHBoxLayout()
        for w in (
            self.play_button,
            self.back_button,
            self.forward_button,
            self.phase_back_button,
            self.phase_forward_button,
        ):
            transport.addWidget(w)
        transport.addWidget(self.slider, 1)
        transport.addWidget(self.frame_label)
        transport.addWidget(self.speed_combo)
        # The setup controls in two rows, so that the view (and the main window) fits 1280 × 720
        # even in the presentation style: the network first, then the sample and the training.
        network_row = QHBoxLayout()
        for w in (self.preset_combo, self.seed_spin, self.batch_combo, self.reset_button):
            network_row.addWidget(w)
        network_row.addStretch(1)
        training_row = QHBoxLayout()
        for w in (self.sample_spin, self.whole_batch_check, self.lr_spin, self.train_button):
            training_row.addWidget(w)
        training_row.addStretch(1)
        left_box = QWidget(self)
        left = QVBoxLayout(left_box)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.canvas, 1)
        left.addLayout(transport)
        left.addLayout(network_row)
        left.addLayout(training_row)
        readouts = QGridLayout()
        readouts.addWidget(self.loss_label, 0, 0)
        readouts.addWidget(self.accuracy_label, 1, 0)
        readouts.addWidget(self.step_label, 2, 0)
        right = QVBoxLayout()
        right.addWidget(self.phase_label)
        right.addWidget(self.step_card)
        right.addLayout(readouts)
        right.addWidget(self.loss_stack, 1)
        right.addWidget(self._arrays_box)
        side = QWidget(self)
        side.setLayout(right)
        self._side = side
        # The side panel scrolls rather than setting the view's minimum height, and a splitter
        # lets it be narrowed or widened (it starts about 360 px wide).
        scroll = QScrollArea(self)
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._side_scroll = scroll
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left_box)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        main = QHBoxLayout(self)
        main.addWidget(self.splitter)
        self._apply_theme()

    # -- model --------------------------------------------------------------------------------

    @property
    def run(self) -> NetworkRun:
        """The network being trained."""
        return self._run

    @property
    def record(self) -> PassRecord:
        """The pass being shown."""
        return self._record

    @property
    def timeline(self) -> Timeline:
        """The frames being played."""
        return self._timeline

    @property
    def frame_index(self) -> int:
        """Index of the frame on screen."""
        return self._frame_index

    @property
    def frame(self) -> Frame:
        """The frame on screen."""
        return self._timeline.frames[self._frame_index]

    @property
    def progress(self) -> float:
        """How far the pulses are through the current frame (0 to 1)."""
        return self.canvas.progress

    @property
    def playing(self) -> bool:
        """True while the animation timer runs."""
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        """Playback speed multiplier (0.25 to 4)."""
        return self._speed

    def set_preset(self, key: str) -> None:
        """Select a preset (``"book"``, ``"default"``, ``"dead"``) and reset."""
        i = self.preset_combo.findData(key)
        if i < 0:
            raise KeyError(f"unknown preset {key!r}; known: {', '.join(PRESETS)}")
        # Programmatic (a session being opened): no question about Train steps here.
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(i)
        self.preset_combo.blockSignals(False)
        self.reset()

    def set_sample(self, sample: int | None) -> None:
        """Show one batch row, or ``None`` for the whole batch."""
        self.whole_batch_check.blockSignals(True)
        self.whole_batch_check.setChecked(sample is None)
        self.whole_batch_check.blockSignals(False)
        if sample is not None:
            self.sample_spin.blockSignals(True)
            self.sample_spin.setValue(sample)
            self.sample_spin.blockSignals(False)
        self._rebuild_timeline(keep_frame=True)

    @property
    def colormap(self) -> str:
        """The diverging colormap of edges and pulses (the Arrays view's, by default)."""
        return self.canvas.colormap

    def set_colormap(self, name: str) -> None:
        """Paint with another colormap of :data:`reluviz.core.colour.COLORMAPS`, as the Arrays view does."""
        if name not in COLORMAPS:
            raise KeyError(f"unknown colormap {name!r}; known: {', '.join(COLORMAPS)}")
        if name != self.canvas.colormap:
            self.canvas.colormap = name
            self.canvas.update()

    @property
    def theme(self) -> Theme:
        """The look the view paints with (:data:`reluviz.ui.theme.LIGHT` until :meth:`set_theme`)."""
        return self._theme

    def set_theme(self, theme: Theme) -> None:
        """Follow the window's theme: light or dark, and its scale (1.5: the presentation style).

        The canvas, the step card, the readouts and the loss plot take the theme's colours; every
        font and line of the view grows with ``theme.scale``.
        """
        self._theme = theme
        self.canvas.theme = theme
        self._apply_theme()
        self.canvas.update()

    def _apply_theme(self) -> None:
        import pyqtgraph as pg

        t = self._theme
        look = network_look(t)
        s = look.scale
        dark = look.dark
        panel = t.panel if dark else QColor("#ffffff")
        border = QColor("#3a3d42") if dark else QColor("#d0d0d0")
        for b in self.findChildren(QPushButton):
            b.setFont(ui_font(11 * s))
        for w in (
            self.seed_spin,
            self.lr_spin,
            self.sample_spin,
            self.batch_combo,
            self.speed_combo,
            self.preset_combo,
            self.whole_batch_check,
        ):
            w.setFont(ui_font(11 * s))
        self.frame_label.setFont(mono_font(10 * s))
        self.step_card.setFont(ui_font(13 * s))
        self.step_card.setMinimumHeight(round(150 * s))
        self.step_card.setStyleSheet(
            f"QLabel {{ color: {t.text.name()}; background: {panel.name()}; border: 1px solid {border.name()}; }}"
        )
        # The phase, readouts and frame counter sit on the window's own background: they take the
        # window's palette (the main window sets it from the same theme), so they never clash.
        self.phase_label.setFont(ui_font(14 * s, bold=True))
        for label in (self.loss_label, self.accuracy_label, self.step_label):
            label.setFont(mono_font(12 * s))
        self.loss_empty.setFont(ui_font(12 * s))
        self.loss_empty.setStyleSheet(
            f"QLabel {{ color: {t.muted.name()}; background: {panel.name()}; border: 1px solid {border.name()}; }}"
        )
        # The side panel may be narrowed to about 250 px (its text wraps), and starts at about 360.
        k = min(s, 1.3)
        self._side.setMinimumWidth(round(250 * k))
        self._side_scroll.setMinimumWidth(round(250 * k) + self._side_scroll.verticalScrollBar().sizeHint().width())
        self.splitter.setSizes([max(self.width() - round(360 * k), 1), round(360 * k)])
        plot = self.loss_plot
        plot.setBackground(panel)
        plot.setMinimumHeight(round(140 * s))
        label_style = {"color": t.text.name(), "font-size": f"{11 * s:g}pt"}
        plot.setLabel("left", "loss (batch)", **label_style)
        plot.setLabel("bottom", "train step", **label_style)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTickFont(ui_font(10 * s))
            axis.setTextPen(pg.mkPen(t.text))
            axis.setPen(pg.mkPen(t.muted, width=max(1.0, s)))
        plot.getAxis("left").setWidth(round(64 * s))
        self.loss_curve.setPen(pg.mkPen(look.active, width=2 * s))
        self.loss_curve.setSymbolBrush(pg.mkBrush(look.active))
        self.loss_curve.setSymbolSize(round(7 * s))

    def set_speed(self, speed: float) -> None:
        """Set playback speed, clamped to 0.25×–4×."""
        self._speed = min(max(float(speed), SPEEDS[0]), SPEEDS[-1])
        closest = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self._speed))
        self.speed_combo.blockSignals(True)
        self.speed_combo.setCurrentIndex(closest)
        self.speed_combo.blockSignals(False)

    def reset(self) -> None:
        """Build a new network and data from the preset, seed and batch size; show its 1st pass."""
        self.pause()
        key = self.preset_combo.currentData() or "default"
        run = NetworkRun(
            key, seed=self.seed_spin.value(), batch_size=self.batch_combo.currentData()
        )
        self._run = run
        self.lr_spin.blockSignals(True)
        self.lr_spin.setValue(run.learning_rate)
        self.lr_spin.blockSignals(False)
        record = run.evaluate()
        # Sample 0 of the spiral is the origin, where every gate is closed: start on a sample
        # that shows both open and closed gates instead.
        self._show_record(record, sample=first_mixed_sample(record))
        self._rebuild_open_buttons()
        self._update_loss_curve()

    def _return_keys_to_canvas(self) -> None:
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm_discard_training(self, steps: int) -> bool:
        """Ask whether a reset may discard ``steps`` Train steps (tests replace this, like
        :meth:`reluviz.ui.main_window.MainWindow.ask_save_changes`)."""
        answer = QMessageBox.question(
            self, "Discard training?",
            f"Resetting builds a new network: the {steps} Train step{'s' if steps != 1 else ''} taken so far "
            "will be discarded. Reset anyway?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _may_discard_training(self) -> bool:
        """Ask (through :attr:`confirm_discard_training`) before a reset throws Train steps away."""
        steps = self._run.step
        return steps == 0 or bool(self.confirm_discard_training(steps))

    def _on_reset_clicked(self) -> None:
        if self._may_discard_training():
            self.reset()

    def _on_preset_chosen(self, _index: int) -> None:
        if self._may_discard_training():
            self.reset()
            return
        # Kept the trained network: show its preset again.
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(self._run.preset.key))
        self.preset_combo.blockSignals(False)

    def adopt_run(self, run: NetworkRun, record: PassRecord | None = None) -> None:
        """Show ``run``, built and trained elsewhere (a session's Train steps replayed off screen).

        The preset, seed and batch controls show what built it; ``record`` is its last pass (a
        first pass of its current weights when ``None``, as after :meth:`reset`).
        """
        self.pause()
        for combo, data in ((self.preset_combo, run.preset.key), (self.batch_combo, run.preset.batch_size or 0)):
            index = combo.findData(data)
            if index >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        self.seed_spin.setValue(run.seed)
        self._run = run
        self.lr_spin.blockSignals(True)
        self.lr_spin.setValue(run.learning_rate)
        self.lr_spin.blockSignals(False)
        if record is None:
            record = run.evaluate()
            self._show_record(record, sample=first_mixed_sample(record))
        else:
            self._show_record(record)
        self._rebuild_open_buttons()
        self._update_loss_curve()

    def train_step(self) -> None:
        """Take one SGD step and show its pass (forward, backward, update) at the first frame.

        The animation keeps its state: it plays the new pass from the start only if it was
        playing; otherwise it waits, paused, on the first frame.
        """
        was_playing = self.playing
        self._run.learning_rate = self.lr_spin.value()
        self._show_record(self._run.train_step())
        self._update_loss_curve()
        if was_playing:
            self.play()
        self.trained.emit()

    def open_in_arrays(self, relu_index: int) -> None:
        """Emit :attr:`open_in_arrays_requested` with copies of ReLU ``relu_index``'s z, dvalues."""
        layer = self._record.relus[relu_index]
        self.open_in_arrays_requested.emit(layer.inputs.copy(), layer.dvalues.copy())

    def _show_record(self, record: PassRecord, sample: int | None = None) -> None:
        self._record = record
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(0, record.batch_size - 1)
        if sample is not None:
            self.sample_spin.setValue(sample)
        self.sample_spin.blockSignals(False)
        self._rebuild_timeline(keep_frame=False)

    def _rebuild_timeline(self, keep_frame: bool) -> None:
        sample = None if self.whole_batch_check.isChecked() else self.sample_spin.value()
        self.sample_spin.setEnabled(sample is not None)  # whole batch: the row number means nothing
        old = self._frame_index
        self._timeline = build_timeline(self._record, sample)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self._timeline) - 1)
        self.slider.blockSignals(False)
        if keep_frame:
            self.go_to_frame(min(old, len(self._timeline) - 1))
        else:
            self._frame_index = -1
            self._set_time(0.0)
        r = self._record
        self.loss_label.setText(f"loss      {r.loss:.7g}")
        self.accuracy_label.setText(f"accuracy  {r.accuracy:.4g}")
        self.step_label.setText(f"steps     {self._run.step}   batch {r.batch_size}")

    def _rebuild_open_buttons(self) -> None:
        names = [f"Open {layer.name} in arrays" for layer in self._record.relus]
        if [b.text() for b in self.open_buttons] == names:
            return  # the same layers: keep the buttons (and any focus or hover on them)
        for b in self.open_buttons:
            self._arrays_layout.removeWidget(b)
            b.deleteLater()
        self.open_buttons = []
        for i, (name, layer) in enumerate(zip(names, self._record.relus, strict=True)):
            b = self._button(name, f"Show {layer.name}'s z and dvalues (a copy) in the Arrays view")
            b.clicked.connect(lambda _c=False, i=i: self.open_in_arrays(i))
            self._arrays_layout.addWidget(b)
            b.show()  # at once, not on the next event-loop turn
            self.open_buttons.append(b)

    def _update_loss_curve(self) -> None:
        h = self._run.loss_history
        n = len(h)
        self.loss_curve.setData(np.arange(1, n + 1), np.asarray(h, dtype=float))
        self.loss_stack.setCurrentWidget(self.loss_plot if n else self.loss_empty)
        if n:
            # Whole steps only: ticks at 1, 2, 5 × 10^k, never at 1.5.
            major = 1
            while n / major > 6:
                major = major * 5 // 2 if str(major)[0] == "2" else major * 2
            self.loss_plot.getAxis("bottom").setTickSpacing(major, major)
            self.loss_plot.setXRange(0.5, n + 0.5, padding=0)
            self.loss_curve.setSymbol("o" if n <= 60 else None)

    # -- playing --------------------------------------------------------------------------------

    def play(self) -> None:
        """Start the animation: from the start if it had reached the end, from the start of the
        frame on screen if that was shown as a still (stepped to), else from where it paused."""
        if self._time >= self._timeline.duration * (1.0 - 1e-6):
            self._set_time(0.0)
        elif self._still:
            self._set_time(self.frame.start)
        self._clock.start()
        self._timer.start()
        self.play_button.setText(PAUSE_TEXT)

    def pause(self) -> None:
        """Stop the animation timer."""
        self._timer.stop()
        self.play_button.setText(PLAY_TEXT)

    def toggle_play(self) -> None:
        """Play if paused, pause if playing."""
        if self._timer.isActive():
            self.pause()
        else:
            self.play()

    def step_animation(self, dt_seconds: float) -> None:
        """Advance the animation by ``dt_seconds`` of wall time (scaled by the speed).

        The timer calls this; tests call it directly to step deterministically.
        """
        t = self._time + dt_seconds * self._speed
        if t >= self._timeline.duration:
            t = self._timeline.duration
            self.pause()
        self._set_time(t)

    def advance_frame(self) -> None:
        """Move to the next frame (the same as →)."""
        self.step_frames(+1)

    def step_frames(self, delta: int) -> None:
        """Move ``delta`` frames, showing each as a still: its pulses arriving at the end."""
        self.go_to_frame(self._frame_index + delta)

    def go_to_frame(self, index: int) -> None:
        """Show frame ``index`` (clamped) as a still: at its end, the pulses arriving at their nodes.

        A still never shows a dot frozen part-way along an edge; the legend names the dots
        ("activation arriving" forward, "gradient arriving" backward).
        """
        index = min(max(index, 0), len(self._timeline) - 1)
        f = self._timeline.frames[index]
        # Just before the next frame starts (so Play goes on from here), drawn at progress 1.
        self._set_time(f.start + f.duration * (1.0 - 1e-9), still=True)

    def jump_phase(self, direction: int) -> None:
        """Jump to the first frame of the next (``+1``) or current/previous (``-1``) phase."""
        starts = self._timeline.phase_starts()
        i = self._frame_index
        if direction > 0:
            target = next((s for s in starts if s > i), len(self._timeline) - 1)
        else:
            before = [s for s in starts if s < i]
            target = before[-1] if before else 0
        self.go_to_frame(target)

    def _set_time(self, t: float, still: bool = False) -> None:
        self._time = t
        self._still = still
        index, progress = self._timeline.locate(t)
        if still:
            progress = 1.0
        frame = self._timeline.frames[index]
        if index != self._frame_index or self.canvas.scene is not frame.scene:
            self._frame_index = index
            self.slider.blockSignals(True)
            self.slider.setValue(index)
            self.slider.blockSignals(False)
            self.frame_label.setText(f"{index + 1:>2}/{len(self._timeline)}")
            self.phase_label.setText(f"{frame.phase.value.capitalize()} · {frame.layer_name}")
            self.step_card.setText(frame.text)
            self.canvas.set_frame(frame.scene, progress)
            self.status_message.emit(frame.summary or frame.text.split(". ")[0])
            return
        self.canvas.set_frame(frame.scene, progress)

    def _on_tick(self) -> None:
        dt = self._clock.restart() / 1000.0
        self.step_animation(min(dt, 0.1))

    def _on_slider_changed(self, value: int) -> None:
        self.go_to_frame(value)

    def _on_speed_changed(self, index: int) -> None:
        self._speed = SPEEDS[index]

    def _on_learning_rate_changed(self, value: float) -> None:
        self._run.learning_rate = value

    # -- rendering for exports ------------------------------------------------------------------

    def render_frame(self, painter: QPainter, rect: QRectF) -> None:
        """Paint the frame on screen into any painter at any size (see :func:`paint_network`).

        With the view's colormap and theme, so an export looks like the screen.
        """
        paint_network(
            painter, rect, self.frame.scene, self.canvas.progress, self.canvas.colormap, self._theme
        )

    def frame_image(self, width: int, height: int) -> QImage:
        """Render the frame on screen to a new ``width`` × ``height`` ARGB image."""
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(network_look(self._theme).background)
        painter = QPainter(image)
        self.render_frame(painter, QRectF(0, 0, width, height))
        painter.end()
        return image

    # -- Qt events ------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key == Qt.Key.Key_Right:
            self.step_frames(+1)
        elif key == Qt.Key.Key_Left:
            self.step_frames(-1)
        elif key == Qt.Key.Key_PageDown:
            self.jump_phase(+1)
        elif key == Qt.Key.Key_PageUp:
            self.jump_phase(-1)
        elif key == Qt.Key.Key_Home:
            self.go_to_frame(0)
        elif key == Qt.Key.Key_End:
            self.go_to_frame(len(self._timeline) - 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.pause()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.pause()
        super().closeEvent(event)
