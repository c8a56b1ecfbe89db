"""The Network view: gradients flow backwards through a small network and stop at closed ReLUs.

The model is :class:`reluviz.core.network.NetworkRun`; one pass becomes a pure
:class:`reluviz.core.timeline.Timeline`, and this module only plays its frames. A ``QTimer``
advances the time; :meth:`NetworkView.step_animation` does the same deterministically for tests.

All drawing goes through :func:`paint_network`, so the screen and any export (PNG, SVG, animation
frames) look the same. The screen splits it in two: the part that does not move within a frame
(edges, nodes, labels) is cached in a ``QPixmap``; only pulses and gates are drawn at 60 fps.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, QLineF, QPointF, QRectF, QSize, Qt, QTimer, Signal
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
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.network import PRESETS, NetworkRun, PassRecord
from reluviz.core.timeline import Frame, Scene, Timeline, build_timeline
from reluviz.ui.fonts import UI_FAMILY, mono_font, ui_font

__all__ = [
    "NetworkView",
    "gate_centers",
    "paint_network",
    "paint_network_dynamic",
    "paint_network_static",
]

POSITIVE = QColor("#1f6fb2")
NEGATIVE = QColor("#e07000")
ZERO = QColor("#c4c4c4")
CLOSED = QColor("#d62728")
OPEN = QColor("#2a9d3a")
ACTIVE = QColor("#6a3d9a")
TEXT = QColor("#1a1a1a")
MUTED = QColor("#5f5f5f")
BACKGROUND = QColor("#ffffff")

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
_WIDTH_BUCKETS = 8


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont(UI_FAMILY)
    font.setPixelSize(max(round(pixels), 6))
    font.setBold(bold)
    return font


class _Geometry:
    """Where every node sits for a scene painted into ``rect``."""

    def __init__(self, scene: Scene, rect: QRectF) -> None:
        w, h = rect.width(), rect.height()
        self.rect = rect
        self.header = max(h * 0.15, 40.0)
        self.footer = max(h * 0.07, 18.0)
        n_cols = len(scene.sizes)
        left = rect.left() + w * 0.08
        right = rect.right() - w * 0.12
        top = rect.top() + self.header
        bottom = rect.bottom() - self.footer
        self.col_x = [left + (right - left) * c / max(n_cols - 1, 1) for c in range(n_cols)]
        col_gap = (right - left) / max(n_cols - 1, 1)
        self.col_gap = col_gap
        row_gap = (bottom - top) / max(max(scene.sizes), 1)
        self.r = max(min(row_gap * 0.36, col_gap * 0.13, w * 0.05), 4.0)
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


def gate_centers(scene: Scene, rect: QRectF) -> list[list[QPointF]]:
    """Where each ReLU unit's gate is painted for ``scene`` in ``rect`` (per ReLU, per unit).

    Parameters
    ----------
    scene : Scene
    rect : QRectF
        The rectangle given to :func:`paint_network`.
    """
    g = _Geometry(scene, rect)
    return [[QPointF(p.x() + g.gate_dx, p.y()) for p in g.nodes[c]] for c in scene.relu_columns]


def _blend(color: QColor, amount: float) -> QColor:
    """``color`` mixed with the background: ``amount`` 1 is the colour, 0 the background."""
    b = BACKGROUND
    return QColor(
        round(b.red() + (color.red() - b.red()) * amount),
        round(b.green() + (color.green() - b.green()) * amount),
        round(b.blue() + (color.blue() - b.blue()) * amount),
    )


def _sign_color(v: float, alpha: int = 255) -> QColor:
    c = QColor(POSITIVE if v > 0 else NEGATIVE if v < 0 else ZERO)
    c.setAlpha(alpha)
    return c


def paint_network_static(painter: QPainter, rect: QRectF, scene: Scene) -> None:
    """Paint what does not move within a frame: background, edges, nodes, labels, legend.

    Parameters
    ----------
    painter : QPainter
        Any painter (widget, ``QPixmap``, ``QImage``, ``QSvgGenerator``).
    rect : QRectF
        Target rectangle; everything scales with it.
    scene : Scene
        The frame's numbers, from :mod:`reluviz.core.timeline`.
    """
    g = _Geometry(scene, rect)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, BACKGROUND)
    relu_of_col = {c: r for r, c in enumerate(scene.relu_columns)}
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
    unit = max(g.r * 0.07, 0.8)
    # Opaque colours pre-blended with the background and flat caps: translucent round-capped wide
    # strokes cost ~4x more to rasterise. Quiet blocks first, then thin to thick.
    for (sign, bucket, active), lines in sorted(
        groups.items(), key=lambda kv: (kv[0][2], kv[0][1])
    ):
        if sign == 0:
            pen = QPen(QColor("#e2e2e2"), unit)  # no gradient: faint, solid
        else:
            pen = QPen(
                _blend(_sign_color(sign), 0.92 if active else 0.42), unit * (0.7 + 0.6 * bucket)
            )
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLines(lines)

    # ---- column titles and captions
    title_font = _font(max(h * 0.034, 12), bold=True)
    caption_font = _font(max(h * 0.028, 10))
    for c, x in enumerate(g.col_x):
        half = g.col_gap * 0.49
        if c == len(g.col_x) - 1:
            half = min(half, rect.right() - x)
        box = QRectF(x - half, rect.top() + g.header * 0.08, 2 * half, g.header * 0.4)
        painter.setFont(title_font)
        painter.setPen(ACTIVE if scene.active_column == c else TEXT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, scene.titles[c])
        painter.setFont(caption_font)
        painter.setPen(MUTED)
        cap = scene.captions[c]
        if scene.sample is None and cap:
            cap = "mean " + cap
        box2 = QRectF(box.left(), box.bottom(), box.width(), g.header * 0.3)
        painter.drawText(box2, Qt.AlignmentFlag.AlignCenter, cap)
        relu = relu_of_col.get(c)
        if relu is not None and scene.sample is None and scene.gates[relu] is not None:
            dead = scene.dead_count[relu]
            painter.setPen(CLOSED if dead else OPEN)
            box3 = QRectF(box.left(), box2.bottom(), box.width(), g.header * 0.26)
            painter.drawText(
                box3, Qt.AlignmentFlag.AlignCenter, f"{dead} dead unit{'' if dead == 1 else 's'}"
            )

    # ---- nodes with their values
    node_font = _font(g.r * 0.62, bold=True)
    painter.setFont(node_font)
    fm = QFontMetricsF(node_font)
    for c, points in enumerate(g.nodes):
        texts = scene.node_text[c]
        relu = relu_of_col.get(c)
        gates = scene.gates[relu] if relu is not None else None
        for i, p in enumerate(points):
            closed = gates is not None and bool(gates[i])
            fill = (
                QColor("#fbe3e3")
                if closed
                else QColor("#f4f1fa" if c == scene.active_column else "#ffffff")
            )
            painter.setBrush(QBrush(fill))
            pen = QPen(
                ACTIVE if c == scene.active_column else QColor("#404040"), max(g.r * 0.09, 1.2)
            )
            painter.setPen(pen)
            painter.drawEllipse(p, g.r, g.r)
            if texts:
                painter.setPen(TEXT)
                t = texts[i]
                scale = min(1.0, (g.r * 1.8) / max(fm.horizontalAdvance(t), 1.0))
                if scale < 1.0:
                    painter.setFont(_font(g.r * 0.62 * scale, bold=True))
                painter.drawText(
                    QRectF(p.x() - g.r, p.y() - g.r, 2 * g.r, 2 * g.r),
                    Qt.AlignmentFlag.AlignCenter,
                    t,
                )
                if scale < 1.0:
                    painter.setFont(node_font)

    # ---- side labels: x1, x2 on the left, class names on the right, the true class ringed
    side_font = _font(max(g.r * 0.5, 9))
    painter.setFont(side_font)
    painter.setPen(MUTED)
    for i, p in enumerate(g.nodes[0]):
        painter.drawText(
            QRectF(p.x() - g.r * 4.2, p.y() - g.r, g.r * 3.0, 2 * g.r),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"x{i + 1}",
        )
    last = len(g.nodes) - 1
    for i, p in enumerate(g.nodes[last]):
        painter.drawText(
            QRectF(p.x() + g.r * 1.25, p.y() - g.r, g.r * 4.0, 2 * g.r),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"class {i}",
        )

    # ---- whole batch: the fraction of samples each unit passed
    if scene.sample is None:
        frac_font = _font(max(g.r * 0.45, 9), bold=True)
        painter.setFont(frac_font)
        for r, c in enumerate(scene.relu_columns):
            if scene.gates[r] is None:
                continue
            for i, p in enumerate(g.nodes[c]):
                f = float(scene.pass_fraction[r][i])
                painter.setPen(CLOSED if f == 0 else OPEN)
                label = "dead" if f == 0 else f"{f:.0%}"
                painter.drawText(
                    QRectF(p.x() - g.r * 2, p.y() + g.r * 1.0, g.r * 4, g.r * 0.75),
                    Qt.AlignmentFlag.AlignCenter,
                    label,
                )

    # ---- legend
    legend_font = _font(max(h * 0.024, 9))
    painter.setFont(legend_font)
    painter.setPen(MUTED)
    legend = (
        "edge width ∝ |W| forward, |dW| backward, new W after SGD (per layer) · "
        "blue > 0, orange < 0 · "
        "✕ closed gate: z <= 0"
    )
    painter.drawText(
        QRectF(rect.left(), rect.bottom() - g.footer, rect.width(), g.footer),
        Qt.AlignmentFlag.AlignCenter,
        legend,
    )
    painter.restore()


def _gate_closed_fraction(scene: Scene, relu: int, progress: float) -> float:
    # A gate closes during its own ReLU forward frame and stays closed afterwards.
    if scene.gate_pulse == relu and scene.direction > 0:
        return min(progress * 2.0, 1.0)
    return 1.0


def paint_network_dynamic(painter: QPainter, rect: QRectF, scene: Scene, progress: float) -> None:
    """Paint what moves: ReLU gates and the pulses travelling at ``progress`` (0 to 1).

    Parameters
    ----------
    painter : QPainter
    rect : QRectF
        The same rectangle given to :func:`paint_network_static`.
    scene : Scene
    progress : float
        How far through the frame the pulses are.
    """
    g = _Geometry(scene, rect)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p = min(max(progress, 0.0), 1.0)
    relu_of_col = {c: r for r, c in enumerate(scene.relu_columns)}

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
                    points[(1 if x > 0 else -1, size)].append(a + (e - a) * t)
        for (sign, size), pts in points.items():
            pen = QPen(_sign_color(sign), g.r * (0.16 + 0.09 * size))
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
                k = s * closing
                painter.setPen(_round_pen(CLOSED, max(g.r * 0.17, 2.0)))
                painter.drawLine(
                    QLineF(centre.x() - k, centre.y() - k, centre.x() + k, centre.y() + k)
                )
                painter.drawLine(
                    QLineF(centre.x() - k, centre.y() + k, centre.x() + k, centre.y() - k)
                )
            else:
                painter.setPen(_round_pen(OPEN, max(g.r * 0.1, 1.5)))
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
            for i, node in enumerate(g.nodes[c]):
                closed = bool(gates[i])
                gate_x = node.x() + g.gate_dx
                if scene.direction > 0:
                    x0, x1 = node.x() + g.r, gate_x + s * 3.0
                else:
                    x0, x1 = gate_x + s * 3.0, node.x() + g.r
                x = x0 + (x1 - x0) * p
                if closed:
                    # The pulse stops at the gate: z <= 0 lets nothing through.
                    x = (
                        min(x, gate_x - s * 1.6)
                        if scene.direction > 0
                        else max(x, gate_x + s * 1.6)
                    )
                color = QColor(CLOSED if closed else OPEN)
                painter.setPen(_round_pen(color, g.r * 0.42))
                painter.drawPoint(QPointF(x, node.y()))
    painter.restore()


def _round_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def paint_network(painter: QPainter, rect: QRectF, scene: Scene, progress: float = 1.0) -> None:
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
    """
    paint_network_static(painter, rect, scene)
    paint_network_dynamic(painter, rect, scene, progress)


class _NetworkCanvas(QWidget):
    """Paints the current scene; the still part is cached in a pixmap per frame and size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.scene: Scene | None = None
        self.progress = 0.0
        self._cache: QPixmap | None = None
        self._cache_key: tuple[int, int, int, float] | None = None
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
        key = (id(self.scene), self.width(), self.height(), dpr)
        if self._cache is None or self._cache_key != key:
            pm = QPixmap(max(int(self.width() * dpr), 1), max(int(self.height() * dpr), 1))
            pm.setDevicePixelRatio(dpr)
            pm.fill(BACKGROUND)
            painter = QPainter(pm)
            paint_network_static(painter, QRectF(0, 0, self.width(), self.height()), self.scene)
            painter.end()
            self._cache, self._cache_key = pm, key
            self.cache_builds += 1
        return self._cache

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        painter = QPainter(self)
        if self.scene is None:
            painter.fillRect(self.rect(), BACKGROUND)
        else:
            painter.drawPixmap(0, 0, self._static())
            paint_network_dynamic(
                painter, QRectF(0, 0, self.width(), self.height()), self.scene, self.progress
            )
            if self.hasFocus():
                painter.setPen(QPen(ACTIVE, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()


class NetworkView(QWidget):
    """Gradient flow through a small network, animated, with a step card and training controls.

    Keys (while the view has focus): Space play/pause, ←/→ step a frame, PageUp/PageDown jump by
    phase, Home/End first/last frame.

    Parameters
    ----------
    parent : QWidget, optional

    Signals
    -------
    open_in_arrays_requested(object, object)
        ``(z, dvalues)`` copies of the chosen ReLU layer, for the array explorer.
    """

    open_in_arrays_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._time = 0.0
        self._speed = 1.0
        self._frame_index = 0
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
        self.reset()

    # -- building -------------------------------------------------------------------------------

    def _button(self, text: str, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.setFont(ui_font(11))
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return b

    def _build_ui(self) -> None:
        self.canvas = _NetworkCanvas(self)

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.frame_label = QLabel(self)
        self.frame_label.setFont(mono_font(10))

        self.play_button = self._button("▶ Play", "Play / pause (Space)")
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
        self.preset_combo.setCurrentIndex(1)
        self.preset_combo.currentIndexChanged.connect(lambda _i: self.reset())
        self.seed_spin = QSpinBox(self)
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setPrefix("seed ")
        self.batch_combo = QComboBox(self)
        for label, size in (
            ("batch: all", 0),
            ("batch 150", 150),
            ("batch 60", 60),
            ("batch 30", 30),
        ):
            self.batch_combo.addItem(label, size)
        self.reset_button = self._button("Reset", "New network and data from the preset and seed")
        self.reset_button.clicked.connect(self.reset)
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
        self.loss_plot = pg.PlotWidget(self, background="w")
        self.loss_plot.setMinimumHeight(140)
        self.loss_plot.setMouseEnabled(x=False, y=False)
        self.loss_plot.hideButtons()
        self.loss_plot.setLabel("left", "loss")
        self.loss_plot.setLabel("bottom", "train step")
        self.loss_plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen(POSITIVE, width=2))
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
        setup = QHBoxLayout()
        for w in (
            self.preset_combo,
            self.seed_spin,
            self.batch_combo,
            self.reset_button,
            self.sample_spin,
            self.whole_batch_check,
            self.lr_spin,
            self.train_button,
        ):
            setup.addWidget(w)
        setup.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(transport)
        left.addLayout(setup)
        readouts = QGridLayout()
        readouts.addWidget(self.loss_label, 0, 0)
        readouts.addWidget(self.accuracy_label, 1, 0)
        readouts.addWidget(self.step_label, 2, 0)
        right = QVBoxLayout()
        right.addWidget(self.phase_label)
        right.addWidget(self.step_card)
        right.addLayout(readouts)
        right.addWidget(self.loss_plot, 1)
        right.addWidget(self._arrays_box)
        side = QWidget(self)
        side.setLayout(right)
        side.setFixedWidth(360)
        main = QHBoxLayout(self)
        main.addLayout(left, 1)
        main.addWidget(side)

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
        if i == self.preset_combo.currentIndex():
            self.reset()
        else:
            self.preset_combo.setCurrentIndex(i)  # resets

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
        self._show_record(run.evaluate())
        self._rebuild_open_buttons()
        self._update_loss_curve()

    def train_step(self) -> None:
        """Take one SGD step and play its forward, backward and update from the start."""
        self._run.learning_rate = self.lr_spin.value()
        self._show_record(self._run.train_step())
        self._update_loss_curve()
        self.play()

    def open_in_arrays(self, relu_index: int) -> None:
        """Emit :attr:`open_in_arrays_requested` with copies of ReLU ``relu_index``'s z, dvalues."""
        layer = self._record.relus[relu_index]
        self.open_in_arrays_requested.emit(layer.inputs.copy(), layer.dvalues.copy())

    def _show_record(self, record: PassRecord) -> None:
        self._record = record
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(0, record.batch_size - 1)
        self.sample_spin.blockSignals(False)
        self._rebuild_timeline(keep_frame=False)

    def _rebuild_timeline(self, keep_frame: bool) -> None:
        sample = None if self.whole_batch_check.isChecked() else self.sample_spin.value()
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
        self.step_label.setText(f"step      {r.step}   batch {r.batch_size}")

    def _rebuild_open_buttons(self) -> None:
        for b in self.open_buttons:
            self._arrays_layout.removeWidget(b)
            b.deleteLater()
        self.open_buttons = []
        for i, layer in enumerate(self._record.relus):
            b = self._button(f"Open {layer.name} in arrays", f"Send {layer.name}'s z and dvalues")
            b.clicked.connect(lambda _c=False, i=i: self.open_in_arrays(i))
            self._arrays_layout.addWidget(b)
            self.open_buttons.append(b)

    def _update_loss_curve(self) -> None:
        h = self._run.loss_history
        self.loss_curve.setData(np.arange(1, len(h) + 1), np.asarray(h, dtype=float))

    # -- playing --------------------------------------------------------------------------------

    def play(self) -> None:
        """Start the animation (from the start if it had reached the end)."""
        if self._time >= self._timeline.duration:
            self._set_time(0.0)
        self._clock.start()
        self._timer.start()
        self.play_button.setText("⏸ Pause")

    def pause(self) -> None:
        """Stop the animation timer."""
        self._timer.stop()
        self.play_button.setText("▶ Play")

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
        """Move ``delta`` frames, showing each with its pulses part-way."""
        self.go_to_frame(self._frame_index + delta)

    def go_to_frame(self, index: int) -> None:
        """Show frame ``index`` (clamped), with pulses part-way so their direction shows."""
        index = min(max(index, 0), len(self._timeline) - 1)
        f = self._timeline.frames[index]
        self._set_time(f.start + 0.7 * f.duration)

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

    def _set_time(self, t: float) -> None:
        self._time = t
        index, progress = self._timeline.locate(t)
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
        """Paint the frame on screen into any painter at any size (see :func:`paint_network`)."""
        paint_network(painter, rect, self.frame.scene, self.canvas.progress)

    def frame_image(self, width: int, height: int) -> QImage:
        """Render the frame on screen to a new ``width`` × ``height`` ARGB image."""
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(BACKGROUND)
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
