"""The Network view's controls: transport, network setup, training, and the side panel.

Each function builds one group of widgets onto the view (as its attributes, which the view and the
tests use) and connects them to the view's handlers; :func:`build_network_view_ui` lays them out.
:func:`apply_network_view_theme`, :func:`rebuild_open_buttons` and :func:`show_loss_history` keep
them up to date: the look, one button per ReLU layer, the loss curve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.network import PRESETS
from reluviz.core.network.timeline import preset_difference
from reluviz.render.fonts import mono_font, ui_font
from reluviz.render.network_look import ACTIVE, MUTED, TEXT, network_look
from reluviz.ui.network_canvas import _NetworkCanvas

if TYPE_CHECKING:
    from reluviz.ui.network_view import NetworkView

__all__ = [
    "PAUSE_TEXT",
    "PLAY_TEXT",
    "SPEEDS",
    "apply_network_view_theme",
    "build_network_view_ui",
    "rebuild_open_buttons",
    "show_loss_history",
]

# Every glyph here is in the shipped DejaVu Sans (U+23F8 "⏸" is not: it drew a missing-glyph box).
PLAY_TEXT = "▶ Play"
PAUSE_TEXT = "❚❚ Pause"

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)


def make_button(view: NetworkView, text: str, tip: str) -> QPushButton:
    """A push button that never takes the keys from the animation."""
    b = QPushButton(text, view)
    b.setToolTip(tip)
    b.setFont(ui_font(11 * network_look(view.theme).scale))
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def build_network_view_ui(view: NetworkView) -> None:
    """Build every control of ``view`` and lay them out: canvas and controls left, side panel right."""
    view.canvas = _NetworkCanvas(view)
    _build_transport(view)
    _build_setup(view)
    _build_side_panel(view)
    left_box = _lay_out_left(view)
    _lay_out_right(view, left_box)


def _build_transport(view: NetworkView) -> None:
    """The timeline's slider, frame readout, play/step buttons and speed."""
    view.slider = QSlider(Qt.Orientation.Horizontal, view)
    view.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.slider.valueChanged.connect(view._on_slider_changed)
    view.frame_label = QLabel(view)
    view.frame_label.setFont(mono_font(10))

    view.play_button = make_button(view, PLAY_TEXT, "Play / pause (Space)")
    view.play_button.clicked.connect(view.toggle_play)
    view.back_button = make_button(view, "◀", "Step back (←)")
    view.back_button.clicked.connect(lambda: view.step_frames(-1))
    view.forward_button = make_button(view, "▶|", "Step forward (→)")
    view.forward_button.clicked.connect(lambda: view.step_frames(+1))
    view.phase_back_button = make_button(view, "« Phase", "Previous phase (PageUp)")
    view.phase_back_button.clicked.connect(lambda: view.jump_phase(-1))
    view.phase_forward_button = make_button(view, "Phase »", "Next phase (PageDown)")
    view.phase_forward_button.clicked.connect(lambda: view.jump_phase(+1))
    view.speed_combo = QComboBox(view)
    view.speed_combo.setFont(ui_font(11))
    for s in SPEEDS:
        view.speed_combo.addItem(f"{s:g}×", s)
    view.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
    view.speed_combo.currentIndexChanged.connect(view._on_speed_changed)



def _build_setup(view: NetworkView) -> None:
    """The network (preset, seed, batch, Reset) and training (sample, lr, Train) controls."""
    view.preset_combo = QComboBox(view)
    view.preset_combo.setFont(ui_font(11))
    for key in ("book", "default", "dead"):
        view.preset_combo.addItem(PRESETS[key].title, key)
        view.preset_combo.setItemData(view.preset_combo.count() - 1, preset_difference(key),
                                      Qt.ItemDataRole.ToolTipRole)
    view.preset_combo.setCurrentIndex(1)
    # The titles are long: don't let them (at presentation size) set the window's minimum width.
    view.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    view.preset_combo.setMinimumContentsLength(16)
    view.preset_combo.currentIndexChanged.connect(view._on_preset_chosen)
    view.seed_spin = QSpinBox(view)
    view.seed_spin.setRange(0, 2**31 - 1)
    view.seed_spin.setPrefix("seed ")
    view.batch_combo = QComboBox(view)
    view.batch_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    view.batch_combo.setMinimumContentsLength(10)
    for label, size in (
        ("batch: all", 0),
        ("batch 150", 150),
        ("batch 60", 60),
        ("batch 30", 30),
    ):
        view.batch_combo.addItem(label, size)
    view.reset_button = make_button(view, "Reset", "New network and data from the preset and seed")
    view.reset_button.clicked.connect(view._on_reset_clicked)
    view.lr_spin = QDoubleSpinBox(view)
    view.lr_spin.setRange(0.001, 10.0)
    view.lr_spin.setDecimals(3)
    view.lr_spin.setSingleStep(0.1)
    view.lr_spin.setPrefix("lr ")
    view.lr_spin.valueChanged.connect(view._on_learning_rate_changed)
    view.train_button = make_button(view, "Train step", "Forward, backward and one SGD update")
    view.train_button.clicked.connect(view.train_step)
    view.sample_spin = QSpinBox(view)
    view.sample_spin.setPrefix("sample ")
    view.sample_spin.setToolTip(
        "Row of the batch, counted from 0 like NumPy: sample k is row k of the z and dvalues that "
        "“Open ReLU n in arrays” shows"
    )
    view.sample_spin.valueChanged.connect(view._on_sample_spin_changed)
    view.whole_batch_check = QCheckBox("whole batch", view)
    view.whole_batch_check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.whole_batch_check.toggled.connect(view._on_whole_batch_toggled)
    for w in (view.seed_spin, view.lr_spin, view.sample_spin, view.batch_combo):
        w.setFont(ui_font(11))
    for w in _setting_widgets(view):
        w.setFocusPolicy(Qt.FocusPolicy.ClickFocus)



def _build_side_panel(view: NetworkView) -> None:
    """The step card, readouts, loss curve and the open-in-arrays box."""
    # right panel: step card, readouts, loss curve, open in arrays
    view.step_card = QLabel(view)
    view.step_card.setWordWrap(True)
    view.step_card.setFont(ui_font(13))
    view.step_card.setFrameShape(QFrame.Shape.StyledPanel)
    view.step_card.setMinimumHeight(150)
    view.step_card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    view.step_card.setMargin(10)
    view.step_card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    view.phase_label = QLabel(view)
    view.phase_label.setFont(ui_font(14, bold=True))
    view.loss_label = QLabel(view)
    view.loss_label.setFont(mono_font(12))
    view.accuracy_label = QLabel(view)
    view.accuracy_label.setFont(mono_font(12))
    view.step_label = QLabel(view)
    view.step_label.setFont(mono_font(12))
    import pyqtgraph as pg  # here, not at the top: headless exports paint frames without it (~0.4-1 s)

    view.loss_plot = pg.PlotWidget(view, background="w")
    view.loss_plot.setMinimumHeight(140)
    view.loss_plot.setMouseEnabled(x=False, y=False)
    view.loss_plot.hideButtons()
    view.loss_plot.setMenuEnabled(False)
    label_style = {"color": TEXT.name(), "font-size": "11pt"}
    view.loss_plot.setLabel("left", "loss (batch)", **label_style)
    view.loss_plot.setLabel("bottom", "train step", **label_style)
    for name in ("left", "bottom"):
        axis = view.loss_plot.getAxis(name)
        axis.setTickFont(ui_font(10))
        axis.setTextPen(pg.mkPen(TEXT))
        axis.setPen(pg.mkPen(MUTED))
    view.loss_plot.getAxis("left").setWidth(64)
    view.loss_plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.loss_curve = view.loss_plot.plot(
        [], [], pen=pg.mkPen(ACTIVE, width=2), symbol="o", symbolSize=7,
        symbolBrush=pg.mkBrush(ACTIVE), symbolPen=None,
    )
    view.loss_empty = QLabel("Press “Train step” to see the loss\nof each step here.", view)
    view.loss_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    view.loss_empty.setWordWrap(True)
    view.loss_empty.setFont(ui_font(12))
    view.loss_empty.setStyleSheet(f"color: {MUTED.name()}; background: white; border: 1px solid #d0d0d0;")
    view.loss_stack = QStackedWidget(view)
    view.loss_stack.addWidget(view.loss_empty)
    view.loss_stack.addWidget(view.loss_plot)
    view._arrays_box = QWidget(view)
    view._arrays_layout = QVBoxLayout(view._arrays_box)
    view._arrays_layout.setContentsMargins(0, 0, 0, 0)
    view.open_buttons: list[QPushButton] = []



def _lay_out_left(view: NetworkView) -> QWidget:
    """The canvas over the transport row and the two setup rows."""
    transport = QHBoxLayout()
    for w in (
        view.play_button,
        view.back_button,
        view.forward_button,
        view.phase_back_button,
        view.phase_forward_button,
    ):
        transport.addWidget(w)
    transport.addWidget(view.slider, 1)
    transport.addWidget(view.frame_label)
    transport.addWidget(view.speed_combo)
    # The setup controls in two rows, so that the view (and the main window) fits 1280 × 720
    # even in the presentation style: the network first, then the sample and the training.
    network_row = QHBoxLayout()
    for w in (view.preset_combo, view.seed_spin, view.batch_combo, view.reset_button):
        network_row.addWidget(w)
    network_row.addStretch(1)
    training_row = QHBoxLayout()
    for w in (view.sample_spin, view.whole_batch_check, view.lr_spin, view.train_button):
        training_row.addWidget(w)
    training_row.addStretch(1)
    left_box = QWidget(view)
    left = QVBoxLayout(left_box)
    left.setContentsMargins(0, 0, 0, 0)
    left.addWidget(view.canvas, 1)
    left.addLayout(transport)
    left.addLayout(network_row)
    left.addLayout(training_row)
    return left_box


def _lay_out_right(view: NetworkView, left_box: QWidget) -> None:
    """The side panel (scrolling) beside ``left_box``, in a splitter."""
    readouts = QGridLayout()
    readouts.addWidget(view.loss_label, 0, 0)
    readouts.addWidget(view.accuracy_label, 1, 0)
    readouts.addWidget(view.step_label, 2, 0)
    right = QVBoxLayout()
    right.addWidget(view.phase_label)
    right.addWidget(view.step_card)
    right.addLayout(readouts)
    right.addWidget(view.loss_stack, 1)
    right.addWidget(view._arrays_box)
    side = QWidget(view)
    side.setLayout(right)
    view._side = side
    # The side panel scrolls rather than setting the view's minimum height, and a splitter
    # lets it be narrowed or widened (it starts about 360 px wide).
    scroll = QScrollArea(view)
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view._side_scroll = scroll
    view.splitter = QSplitter(Qt.Orientation.Horizontal, view)
    view.splitter.setChildrenCollapsible(False)
    view.splitter.addWidget(left_box)
    view.splitter.addWidget(scroll)
    view.splitter.setStretchFactor(0, 1)
    view.splitter.setStretchFactor(1, 0)
    main = QHBoxLayout(view)
    main.addWidget(view.splitter)


def apply_network_view_theme(view: NetworkView) -> None:
    """Give every control, the step card and the loss plot the view's theme (colours and scale)."""
    import pyqtgraph as pg

    t = view.theme
    look = network_look(t)
    s = look.scale
    dark = look.dark
    panel = t.panel if dark else QColor("#ffffff")
    border = QColor("#3a3d42") if dark else QColor("#d0d0d0")
    for b in view.findChildren(QPushButton):
        b.setFont(ui_font(11 * s))
    for w in (*_setting_widgets(view), view.whole_batch_check):
        w.setFont(ui_font(11 * s))
    view.frame_label.setFont(mono_font(10 * s))
    view.step_card.setFont(ui_font(13 * s))
    view.step_card.setMinimumHeight(round(150 * s))
    view.step_card.setStyleSheet(
        f"QLabel {{ color: {t.text.name()}; background: {panel.name()}; border: 1px solid {border.name()}; }}"
    )
    # The phase, readouts and frame counter sit on the window's own background: they take the
    # window's palette (the main window sets it from the same theme), so they never clash.
    view.phase_label.setFont(ui_font(14 * s, bold=True))
    for label in (view.loss_label, view.accuracy_label, view.step_label):
        label.setFont(mono_font(12 * s))
    view.loss_empty.setFont(ui_font(12 * s))
    view.loss_empty.setStyleSheet(
        f"QLabel {{ color: {t.muted.name()}; background: {panel.name()}; border: 1px solid {border.name()}; }}"
    )
    # The side panel may be narrowed to about 250 px (its text wraps), and starts at about 360.
    k = min(s, 1.3)
    view._side.setMinimumWidth(round(250 * k))
    view._side_scroll.setMinimumWidth(round(250 * k) + view._side_scroll.verticalScrollBar().sizeHint().width())
    view.splitter.setSizes([max(view.width() - round(360 * k), 1), round(360 * k)])
    plot = view.loss_plot
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
    view.loss_curve.setPen(pg.mkPen(look.active, width=2 * s))
    view.loss_curve.setSymbolBrush(pg.mkBrush(look.active))
    view.loss_curve.setSymbolSize(round(7 * s))


def rebuild_open_buttons(view: NetworkView) -> None:
    """One "Open ReLU n in arrays" button per ReLU layer of the pass on show."""
    names = [f"Open {layer.name} in arrays" for layer in view.record.relus]
    if [b.text() for b in view.open_buttons] == names:
        return  # the same layers: keep the buttons (and any focus or hover on them)
    for b in view.open_buttons:
        view._arrays_layout.removeWidget(b)
        b.deleteLater()
    view.open_buttons = []
    for i, (name, layer) in enumerate(zip(names, view.record.relus, strict=True)):
        b = make_button(view, name, f"Show {layer.name}'s z and dvalues (a copy) in the Arrays view")
        b.clicked.connect(lambda _c=False, i=i: view.open_in_arrays(i))
        view._arrays_layout.addWidget(b)
        b.show()  # at once, not on the next event-loop turn
        view.open_buttons.append(b)


def show_loss_history(view: NetworkView, h: list[float]) -> None:
    """The loss of every Train step so far on the loss plot (an empty state before the first)."""
    n = len(h)
    view.loss_curve.setData(np.arange(1, n + 1), np.asarray(h, dtype=float))
    view.loss_stack.setCurrentWidget(view.loss_plot if n else view.loss_empty)
    if n:
        # Whole steps only: ticks at 1, 2, 5 × 10^k, never at 1.5.
        major = 1
        while n / major > 6:
            major = major * 5 // 2 if str(major)[0] == "2" else major * 2
        view.loss_plot.getAxis("bottom").setTickSpacing(major, major)
        view.loss_plot.setXRange(0.5, n + 0.5, padding=0)
        view.loss_curve.setSymbol("o" if n <= 60 else None)


def _setting_widgets(view: NetworkView) -> tuple[QWidget, ...]:
    """The boxes that set up the run: clicked to focus (the keys stay the timeline's), one font."""
    return (view.seed_spin, view.lr_spin, view.sample_spin, view.batch_combo, view.speed_combo, view.preset_combo)
