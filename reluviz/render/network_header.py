"""The header band above the network's columns, placed: titles, captions, dead-unit counts and the
"shown" label, each kept inside its column's half-gaps and inside the canvas with a margin, so
neighbours never overlap and nothing touches an edge (tests read these boxes)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from reluviz.core.network.timeline import Scene
from reluviz.render.network_look import _fitted, _font, _Geometry, network_look
from reluviz.render.theme import Theme

__all__ = ["HeaderText", "header_boxes"]


@dataclass(frozen=True)
class HeaderText:
    """One text of the header band: where it is drawn, in which font, alignment and look colour."""

    text: str
    box: QRectF
    font: QFont
    align: Qt.AlignmentFlag
    color: str  # a NetworkLook colour attribute

    def ink(self) -> QRectF:
        """The rectangle the text's glyphs cover (for overlap and edge checks)."""
        return QFontMetricsF(self.font).boundingRect(self.box, int(self.align.value), self.text)


def header_boxes(scene: Scene, rect: QRectF, theme: Theme | None = None) -> list[HeaderText]:
    """The titles, captions, dead-unit counts and the "shown" label above the columns, placed.

    Each column's texts stay inside its own half-gaps and inside ``rect`` with a margin, so
    neighbours never overlap and nothing touches an edge. The presentation style enlarges the
    fonts as far as the band's lines allow, never below the normal style's sizes.
    """
    look = network_look(theme)
    s = look.scale
    g = _Geometry(scene, rect, s)
    h = rect.height()
    line = g.header * 0.27

    def grown(base: float, room: float, bold: bool = False) -> QFont:
        # scale × base where the band has room for it, never smaller than base
        return _font(max(base, min(base * s, room)), bold)

    title_font = grown(max(h * 0.036, 12), line * 1.25 * 0.85, bold=True)
    caption_font = grown(max(h * 0.03, 10), line * 0.85)
    label_font = grown(max(h * 0.03, 10), line * 0.85, bold=True)
    margin = max(rect.width() * 0.01, 4.0)
    relu_of_col = {c: r for r, c in enumerate(scene.relu_columns)}
    center = Qt.AlignmentFlag.AlignCenter
    out: list[HeaderText] = []
    dead_left: float | None = None
    for c, x in enumerate(g.col_x):
        half = g.col_gap * 0.49
        if c == len(g.col_x) - 1:
            half = min(half, rect.right() - margin - x)
        if c == 0:
            half = min(half, x - rect.left() - margin)
        box = QRectF(x - half, rect.top() + g.header * 0.06, 2 * half, line * 1.25)
        out.append(HeaderText(scene.titles[c], box, _fitted(title_font, scene.titles[c], box.width() * 0.98), center,
                              "active" if scene.active_column == c else "text"))
        cap = scene.captions[c]
        if scene.sample is None and cap:
            cap = "mean " + cap
        box2 = QRectF(box.left(), box.bottom(), box.width(), line)
        out.append(HeaderText(cap, box2, _fitted(caption_font, cap, box2.width() * 0.98), center, "muted"))
        relu = relu_of_col.get(c)
        if relu is not None and scene.sample is None and scene.gates[relu] is not None:
            dead = scene.dead_count[relu]
            text = f"{dead} dead unit{'' if dead == 1 else 's'}"
            font = _fitted(label_font, text, box.width() * 0.98)
            out.append(HeaderText(text, QRectF(box.left(), box2.bottom(), box.width(), line), font, center,
                                  "closed_label" if dead else "open"))
            if c == 1:
                dead_left = x - QFontMetricsF(font).horizontalAdvance(text) / 2
    if scene.shown:
        # One sample: the row of column 1 under its caption is free, so the label may run on; the
        # whole batch's label stops short of column 1's dead-unit count.
        left = rect.left() + g.r * 0.3
        width = g.col_gap * (1.2 if scene.sample is None else 1.9)
        if dead_left is not None:
            width = min(width, dead_left - margin - left)
        box3 = QRectF(left, rect.top() + g.header * 0.06 + line * 2.25, max(width, 1.0), line)
        out.append(HeaderText(scene.shown, box3, _fitted(label_font, scene.shown, box3.width()),
                              Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "text"))
    return out
