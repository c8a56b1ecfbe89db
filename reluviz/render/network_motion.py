"""The moving part of a network frame — pulses and ReLU gates — prepared once per scene and size.

:func:`reluviz.render.network_painter.paint_network_dynamic` paints through :class:`MovingLayer`, so
the screen and every export draw the same marks in the same order: the pulses on the active edge
block, then per ReLU its gates and, in that ReLU's own frames, the pulses crossing them.

Everything that depends only on the scene and the rectangle (where each pulse starts and ends,
every pen) is worked out once; a frame then costs the pulses' positions. The screen also asks
:meth:`MovingLayer.moving_bounds` where the marks that move with the frame's progress are, and
repaints only there (see :class:`reluviz.ui.network_canvas._NetworkCanvas`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPen, QRegion

from reluviz.core.colour import DEFAULT_COLORMAP
from reluviz.core.network.timeline import Scene
from reluviz.render.network_look import NetworkLook, _Geometry, _round_pen, network_look, sign_color
from reluviz.render.theme import Theme

__all__ = ["MovingLayer"]

# Antialiasing touches the pixel a mark's outline crosses; two more pixels of room round every
# bound keep rounding (and the stroker's polygon approximating a round cap) inside it.
_BOUND_MARGIN = 2.0


@dataclass(frozen=True)
class _PulseGroup:
    """Edge pulses of one sign and size: one pen, one ``drawPoints`` call."""

    pen: QPen
    half_width: float
    # Per pulse (start x, start y, travel x, travel y): at travel fraction t it is at start + travel·t.
    tracks: tuple[tuple[float, float, float, float], ...]


@dataclass(frozen=True)
class _Gate:
    """One ReLU unit's gate: an ✕ when closed, two bars when open."""

    centre: QPointF
    closed: bool
    bounds: QRect  # at its largest (a fully closed ✕), for skipping gates outside a repaint


@dataclass(frozen=True)
class _GatePulse:
    """A pulse crossing one unit's gate in its ReLU's frame: from ``x0`` to ``x1`` along row ``y``."""

    y: float
    x0: float
    x1: float
    closed: bool
    stop_x: float  # a closed gate stops it here (forward: on the node's rim; backward: a floor)
    pen: QPen | None  # an open gate's pulse keeps its sign's colour


@dataclass(frozen=True)
class _Relu:
    gates: tuple[_Gate, ...]
    closing: bool  # its gates close as this frame plays (its own forward frame)
    pulses: tuple[_GatePulse, ...]  # empty unless pulses cross its gates in this frame


class MovingLayer:
    """Pulses and gates of ``scene`` painted into ``rect``, ready to paint at any progress.

    Parameters
    ----------
    scene : Scene
        The frame's numbers.
    rect : QRectF
        The rectangle the whole frame is painted into (as for
        :func:`reluviz.render.network_painter.paint_network_static`).
    colormap : str, optional
        The Arrays view's diverging colormap.
    theme : Theme, optional
        The look (:func:`reluviz.render.network_look.network_look`); ``None`` is the light look.
    """

    def __init__(
        self, scene: Scene, rect: QRectF, colormap: str = DEFAULT_COLORMAP, theme: Theme | None = None
    ) -> None:
        look = network_look(theme)
        g = _Geometry(scene, rect, look.scale)
        self.scene = scene
        self._look = look
        self._forward = scene.direction > 0
        lw = min(look.scale, 1.5)  # gate strokes: a little bolder in the presentation style
        self._outline = max(g.r * 0.09, 1.2) * look.scale / 2  # half the node's outline
        self._cross_width = max(g.r * 0.17, 2.0) * lw
        self._gate_size = g.gate_size
        self._dot_width = g.r * 0.42
        self._halo = bool(look.closed_halo.alpha())
        self._halo_cross_pen = _round_pen(look.closed_halo, self._cross_width * 1.9)
        self._cross_pen = _round_pen(look.closed, self._cross_width)
        self._bar_pen = _round_pen(look.open, max(g.r * 0.1, 1.5) * lw)
        self._halo_dot_pen = _round_pen(look.closed_halo, self._dot_width * 1.3)
        self._dot_pen = _round_pen(look.closed, self._dot_width)
        self._pulses: tuple[_PulseGroup, ...] = ()
        if scene.active_block is not None and scene.direction != 0:
            self._pulses = self._edge_pulses(scene, g, colormap)
        self._relus = tuple(
            self._relu(scene, g, look, colormap, r, c)
            for r, c in enumerate(scene.relu_columns)
            if scene.gates[r] is not None
        )
        # Every edge pulse's box as (left, top, -right, -bottom) at the start and its travel, so
        # one min() over ``start + travel·t`` gives the box round all of them at any t.
        table = np.array([(*track, group.half_width) for group in self._pulses for track in group.tracks],
                         dtype=np.float64).reshape(-1, 5)
        x, y, dx, dy, half = table.T
        self._box_starts = np.column_stack([x - half, y - half, -(x + half), -(y + half)])
        self._box_travel = np.column_stack([dx, dy, -dx, -dy])
        self._bounds_memo: tuple[float | None, list[QRect]] = (None, [])

    # -- preparing ------------------------------------------------------------------------------

    def _edge_pulses(self, scene: Scene, g: _Geometry, colormap: str) -> tuple[_PulseGroup, ...]:
        """One group per (sign, size) along the active block, in the order the values meet them."""
        b = scene.active_block
        assert b is not None
        v = np.asarray(scene.edge_values[b], dtype=np.float64)
        m = float(np.max(np.abs(v))) if v.size else 0.0
        relu_of_col = {c: r for r, c in enumerate(scene.relu_columns)}
        gated = b in relu_of_col and scene.gates[relu_of_col[b]] is not None
        tracks: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)
        if m > 0:
            for i in range(v.shape[0]):
                for j in range(v.shape[1]):
                    x = float(v[i, j])
                    if x == 0:
                        continue  # no gradient flows here (e.g. from a closed gate)
                    size = 1 + int(3 * abs(x) / m)
                    a, e = _inset(*g.edge(b, i, j, gated), _pulse_width(g.r, size) / 2 + self._outline)
                    travel = e - a
                    tracks[(1 if x > 0 else -1, size)].append((a.x(), a.y(), travel.x(), travel.y()))
        groups = []
        for (sign, size), group in tracks.items():
            width = _pulse_width(g.r, size)
            groups.append(_PulseGroup(_round_pen(sign_color(sign, self._look.pulse_strength, colormap), width),
                                      width / 2, tuple(group)))
        return tuple(groups)

    def _relu(self, scene: Scene, g: _Geometry, look: NetworkLook, colormap: str, r: int, c: int) -> _Relu:
        gates = np.asarray(scene.gates[r], dtype=bool)
        s = self._gate_size
        reach = s + max(self._cross_width * 1.9, self._bar_pen.widthF()) / 2 + _BOUND_MARGIN
        units = []
        for i, node in enumerate(g.nodes[c]):
            centre = QPointF(node.x() + g.gate_dx, node.y())
            box = QRectF(centre.x() - reach, centre.y() - reach, 2 * reach, 2 * reach).toAlignedRect()
            units.append(_Gate(centre, bool(gates[i]), box))
        pulses: list[_GatePulse] = []
        if scene.gate_pulse == r and scene.direction != 0:
            values = scene.node_values[c]
            for i, node in enumerate(g.nodes[c]):
                gate_x = node.x() + g.gate_dx
                # Off the node: the dot's edge touches the circle's outline at most.
                rim = node.x() + g.r + self._outline + g.r * 0.21
                x0, x1 = (rim, gate_x + s * 3.0) if self._forward else (gate_x + s * 3.0, rim)
                # A closed gate stops it: forward it waits on the node's rim, clear of the value
                # inside and of the ✕'s arms; backward it stops short of the ✕.
                stop_x = node.x() + g.r if self._forward else gate_x + s * 1.6
                pen = None
                if not gates[i]:
                    # What passes keeps its sign's colour (a > 0 forward, dL/dz backward).
                    value = float(values[i]) if values is not None else 1.0
                    color = sign_color(value, look.pulse_strength, colormap) if value != 0 else QColor(look.open)
                    pen = _round_pen(color, self._dot_width)
                pulses.append(_GatePulse(node.y(), x0, x1, bool(gates[i]), stop_x, pen))
        closing = scene.gate_pulse == r and scene.direction > 0
        return _Relu(tuple(units), closing, tuple(pulses))

    # -- per frame ------------------------------------------------------------------------------

    def _closing(self, relu: _Relu, p: float) -> float:
        # A gate closes during its own ReLU forward frame and stays closed afterwards.
        return min(p * 2.0, 1.0) if relu.closing else 1.0

    def _travel(self, p: float) -> float:
        return p if self._forward else 1.0 - p

    def _gate_pulse_x(self, pulse: _GatePulse, p: float) -> float:
        x = pulse.x0 + (pulse.x1 - pulse.x0) * p
        if pulse.closed:
            return pulse.stop_x if self._forward else max(x, pulse.stop_x)
        return x

    def paint(self, painter: QPainter, progress: float, region: QRegion | None = None) -> None:
        """Paint the pulses and gates at ``progress`` (0 to 1).

        Parameters
        ----------
        painter : QPainter
            Any painter; its state is restored afterwards.
        progress : float
            How far through the frame the pulses are (clamped to 0–1).
        region : QRegion, optional
            Where the caller repaints (its clip): gates wholly outside it are skipped. ``None``
            paints every mark.
        """
        p = min(max(progress, 0.0), 1.0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        t = self._travel(p)
        for group in self._pulses:
            painter.setPen(group.pen)
            painter.drawPoints([QPointF(x + dx * t, y + dy * t) for x, y, dx, dy in group.tracks])
        for relu in self._relus:
            k = self._gate_size * self._closing(relu, p)
            for gate in relu.gates:
                if region is None or region.intersects(gate.bounds):
                    self._paint_gate(painter, gate, k)
            for pulse in relu.pulses:
                self._paint_gate_pulse(painter, pulse, p)
        painter.restore()

    def _paint_gate(self, painter: QPainter, gate: _Gate, k: float) -> None:
        cx, cy = gate.centre.x(), gate.centre.y()
        if gate.closed:
            # The blocked slate, on a dark canvas over a light halo so it shows.
            lines = [QLineF(cx - k, cy - k, cx + k, cy + k), QLineF(cx - k, cy + k, cx + k, cy - k)]
            if self._halo:
                painter.setPen(self._halo_cross_pen)
                painter.drawLines(lines)
            painter.setPen(self._cross_pen)
            painter.drawLines(lines)
            return
        s = self._gate_size
        painter.setPen(self._bar_pen)
        painter.drawLine(QLineF(cx - s, cy - s * 0.55, cx + s, cy - s * 0.55))
        painter.drawLine(QLineF(cx - s, cy + s * 0.55, cx + s, cy + s * 0.55))

    def _paint_gate_pulse(self, painter: QPainter, pulse: _GatePulse, p: float) -> None:
        point = QPointF(self._gate_pulse_x(pulse, p), pulse.y)
        if pulse.pen is not None:
            painter.setPen(pulse.pen)
            painter.drawPoint(point)
            return
        if self._halo:
            painter.setPen(self._halo_dot_pen)
            painter.drawPoint(point)
        painter.setPen(self._dot_pen)
        painter.drawPoint(point)

    def moving_bounds(self, progress: float) -> list[QRect]:
        """Where the marks that move with ``progress`` are painted, with room for antialiasing.

        The edge pulses, the pulses crossing gates, and gates closing during their ReLU's forward
        frame; everything else this layer paints is the same at every progress. A screen showing
        this scene at one progress and then another needs to repaint only the union of the two
        progresses' bounds (and what else is painted there).

        Returns
        -------
        list of QRect
            In the painter's coordinates: the edge pulses' box, then one box per ReLU whose gates
            pulses cross or which closes in this frame (empty: nothing moves). The same boxes, in
            the same order, at every progress; each moves little from one tick to the next.
        """
        if self._bounds_memo[0] == progress:
            return list(self._bounds_memo[1])
        p = min(max(progress, 0.0), 1.0)
        boxes: list[QRect] = []
        if len(self._box_starts):
            left, top, minus_right, minus_bottom = (self._box_starts + self._box_travel * self._travel(p)).min(axis=0)
            boxes.append(_box(float(left), float(top), -float(minus_right), -float(minus_bottom), 0.0))
        dot_half = self._dot_width * (1.3 if self._halo else 1.0) / 2
        cross_half = self._cross_width * (1.9 if self._halo else 1.0) / 2
        for relu in self._relus:
            box = QRect()
            if relu.pulses:
                xs_ = [self._gate_pulse_x(pulse, p) for pulse in relu.pulses]
                ys_ = [pulse.y for pulse in relu.pulses]
                box = _box(min(xs_), min(ys_), max(xs_), max(ys_), dot_half)
            closed = [gate.centre for gate in relu.gates if gate.closed]
            if relu.closing and closed:
                k = self._gate_size * self._closing(relu, p)
                cx, cy = [c.x() for c in closed], [c.y() for c in closed]
                box = box.united(_box(min(cx) - k, min(cy) - k, max(cx) + k, max(cy) + k, cross_half))
            if not box.isNull():
                boxes.append(box)
        self._bounds_memo = (progress, boxes)
        return list(boxes)


def _box(left: float, top: float, right: float, bottom: float, reach: float) -> QRect:
    """The pixels a mark reaching ``reach`` past the box ``left``–``right`` × ``top``–``bottom`` can touch."""
    reach += _BOUND_MARGIN
    return QRectF(left - reach, top - reach, right - left + 2 * reach, bottom - top + 2 * reach).toAlignedRect()


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
