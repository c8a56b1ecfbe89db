"""The network painter: gradients flow backwards through a small network and stop at closed ReLUs.

The model is :class:`reluviz.core.network.NetworkRun`; one pass becomes a pure
:class:`reluviz.core.network.timeline.Timeline`, and this module only plays its frames. A ``QTimer``
advances the time; :meth:`NetworkView.step_animation` does the same deterministically for tests.

All drawing goes through :func:`paint_network`, so the screen and any export (PNG, SVG, animation
frames) look the same. It paints in two layers: :func:`paint_network_static`, what does not move
within a frame (edges, nodes, labels), which the screen caches in a ``QPixmap``; then
:func:`paint_network_dynamic`, the pulses and gates (:class:`reluviz.render.network_motion.MovingLayer`),
which the screen repaints only where pulses were and are (see :mod:`reluviz.ui.network_canvas`).

Colours are the Arrays view's (:mod:`reluviz.core.colour`): edges and pulses take the diverging
colormap's positive end (red) for values > 0 and its negative end (blue) for values < 0, and a
closed gate — a gradient stopped — is the mask's dark "blocked" colour. The light or dark look and
the presentation scale come from a :class:`reluviz.render.theme.Theme` (light when none is given).

Indices on the picture and in the step cards are NumPy's, 0-based: hidden unit ``j`` (the small
number beside each node) is column ``j`` of that layer's ``z`` and sample ``k`` is row ``k``, as in
the arrays "Open ReLU n in arrays" loads. "Dense 1", "ReLU 2" are layer names, not indices.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QFontMetricsF,
    QPainter,
    QPen,
)

from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP
from reluviz.core.network.timeline import Scene
from reluviz.render.network_header import HeaderText, header_boxes
from reluviz.render.network_legend import _paint_legend, legend_items
from reluviz.render.network_look import (
    _WIDTH_BUCKETS,
    NetworkLook,
    _edge_color,
    _fitted,
    _font,
    _Geometry,
    network_look,
    node_text_font,
)
from reluviz.render.network_motion import MovingLayer
from reluviz.render.theme import Theme

__all__ = [
    "HeaderText",
    "header_boxes",
    "legend_items",
    "paint_network",
    "paint_network_dynamic",
    "paint_network_static",
]


def _closed_nodes(scene: Scene) -> dict[int, np.ndarray]:
    """Column → bool per unit, True where that ReLU unit's gate is closed in this scene."""
    out: dict[int, np.ndarray] = {}
    for r, c in enumerate(scene.relu_columns):
        gates = scene.gates[r]
        if gates is not None:
            out[c] = np.asarray(gates, dtype=bool)
    return out


def _paint_edges(
    painter: QPainter, scene: Scene, g: _Geometry, look: NetworkLook, colormap: str, relu_of_col: dict[int, int],
) -> None:
    """Edges: one ``drawLines`` call per (sign, width bucket, emphasis)."""
    s = look.scale
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


def _paint_column_titles(
    painter: QPainter, rect: QRectF, scene: Scene, g: _Geometry, look: NetworkLook, relu_of_col: dict[int, int],
    theme: Theme | None = None,
) -> None:
    """Column titles and captions; what is shown (a sample or the batch mean) at the top left."""
    for item in header_boxes(scene, rect, theme):
        painter.setFont(item.font)
        painter.setPen(getattr(look, item.color))
        painter.drawText(item.box, item.align, item.text)


def _paint_nodes(
    painter: QPainter, scene: Scene, g: _Geometry, look: NetworkLook, closed_of_col: dict[int, np.ndarray],
) -> None:
    """Nodes with their values; a closed unit is dark like the mask's True ("blocked")."""
    s = look.scale
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


def _paint_unit_numbers(painter: QPainter, g: _Geometry, look: NetworkLook) -> None:
    """Unit numbers of the hidden layers, above the right shoulder of each node."""
    s = look.scale
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


def _paint_side_labels(painter: QPainter, rect: QRectF, g: _Geometry, look: NetworkLook) -> None:
    """Side labels: columns of x on the left, class names on the right."""
    s = look.scale
    h = rect.height()
    last = len(g.nodes) - 1
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


def _paint_pass_fractions(painter: QPainter, rect: QRectF, scene: Scene, g: _Geometry, look: NetworkLook) -> None:
    """Whole batch: the fraction of samples each unit passed."""
    s = look.scale
    h = rect.height()
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
        The frame's numbers, from :mod:`reluviz.core.network.timeline`.
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

    _paint_edges(painter, scene, g, look, colormap, relu_of_col)
    _paint_column_titles(painter, rect, scene, g, look, relu_of_col, theme)
    _paint_nodes(painter, scene, g, look, closed_of_col)
    _paint_unit_numbers(painter, g, look)
    _paint_side_labels(painter, rect, g, look)
    _paint_pass_fractions(painter, rect, scene, g, look)
    # ---- legend
    _paint_legend(
        painter, QRectF(rect.left(), rect.bottom() - g.footer, rect.width(), g.footer), scene, colormap, h, look
    )
    painter.restore()


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
    MovingLayer(scene, rect, colormap, theme).paint(painter, progress)


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
        :attr:`reluviz.core.network.timeline.Frame.scene`.
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

