"""The network picture's legend: which colours and marks this frame shows, and what they mean."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFontMetricsF,
    QPainter,
    QPen,
)

from reluviz.core.network.timeline import Scene
from reluviz.render.network_look import (
    _LIGHT_LOOK,
    NetworkLook,
    _draw_cross,
    _font,
    _round_pen,
    sign_color,
)

__all__ = ["legend_items"]


def _width_phrase(scene: Scene) -> str:
    names = {"weight": "|W|", "grad": "|dW|", "new": "|W| after SGD"}
    kinds = [k for k in ("weight", "grad", "new") if k in scene.edge_kind]
    return "width ∝ " + " or ".join(names[k] for k in kinds) + " (per layer)"


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


def _row_width(items: list[tuple[str, str]], fm: QFontMetricsF) -> float:
    swatch, space, gap = fm.height() * 1.1, fm.horizontalAdvance(" "), fm.horizontalAdvance("    ")
    return sum((swatch + space if k else 0.0) + fm.horizontalAdvance(t) for k, t in items) + gap * (len(items) - 1)


def _fit_legend(keys: list[tuple[str, str]], notes: list[tuple[str, str]], rect: QRectF, height: float,
                scale: float) -> tuple[float, list[list[tuple[str, str]]]]:
    """The font size and rows (one, or keys and notes apart) that fit ``rect`` at ``scale``."""
    size = max(height * 0.024, 9.0) * scale
    rows = [keys + notes]
    fm = QFontMetricsF(_font(size))
    if _row_width(rows[0], fm) > rect.width() * 0.98 and rect.height() >= fm.height() * 2.1:
        rows = [keys, notes]
    while size > 8 and max(_row_width(r, fm) for r in rows) > rect.width() * 0.98:
        size *= 0.92
        fm = QFontMetricsF(_font(size))
    return size, rows


def _legend_layout(keys: list[tuple[str, str]], notes: list[tuple[str, str]], rect: QRectF, height: float,
                   scale: float) -> tuple[float, list[list[tuple[str, str]]]]:
    """The legend's layout; the presentation style enlarges, never shrinks (the normal one if larger)."""
    size, rows = _fit_legend(keys, notes, rect, height, scale)
    if scale > 1:
        normal_size, normal_rows = _fit_legend(keys, notes, rect, height, 1.0)
        if normal_size > size:
            size, rows = normal_size, normal_rows
    return size, rows


def _paint_legend(
    painter: QPainter, rect: QRectF, scene: Scene, colormap: str, height: float, look: NetworkLook = _LIGHT_LOOK
) -> None:
    """Swatches and words for colours, gates and edge widths: one row if it fits, else two."""
    keys, notes = legend_items(scene)

    size, rows = _legend_layout(keys, notes, rect, height, look.scale)
    fm = QFontMetricsF(_font(size))
    painter.setFont(_font(size))
    swatch, space, gap = fm.height() * 1.1, fm.horizontalAdvance(" "), fm.horizontalAdvance("    ")
    line_h = min(rect.height() / len(rows), fm.height() * 1.25)
    y0 = rect.center().y() - line_h * len(rows) / 2
    for n, items in enumerate(rows):
        x = rect.center().x() - _row_width(items, fm) / 2
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
