"""The Network view: gradients flow backwards through a small network and stop at closed ReLUs.

The model is :class:`reluviz.core.network.NetworkRun`; one pass becomes a pure
:class:`reluviz.core.network.timeline.Timeline`, and this module only plays its frames. A ``QTimer``
advances the time; :meth:`NetworkView.step_animation` does the same deterministically for tests.

All drawing goes through :func:`reluviz.render.network_painter.paint_network` (its docstring says
what the colours and the 0-based indices mean), so the screen and every export look the same. The
canvas (:mod:`reluviz.ui.network_canvas`) caches the part that does not move within a frame in a
``QPixmap`` and draws only pulses and gates at 60 fps.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QImage,
    QKeyEvent,
    QPainter,
)
from PySide6.QtWidgets import (
    QMessageBox,
    QPushButton,
    QWidget,
)

from reluviz.core.colour import COLORMAPS
from reluviz.core.network import PRESETS, NetworkRun, PassRecord
from reluviz.core.network.timeline import Frame, Timeline, build_timeline, first_mixed_sample
from reluviz.render.fonts import mono_font, ui_font
from reluviz.render.network_look import network_look
from reluviz.render.network_painter import paint_network
from reluviz.render.theme import LIGHT, Theme
from reluviz.ui.network_canvas import _TimelineKeys
from reluviz.ui.network_controls import PAUSE_TEXT, PLAY_TEXT, SPEEDS, build_network_view_ui, make_button

__all__ = ["PAUSE_TEXT", "PLAY_TEXT", "NetworkView"]




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
        One line about the frame on screen (:attr:`reluviz.core.network.timeline.Frame.summary`, e.g.
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

    def _build_ui(self) -> None:
        build_network_view_ui(self)
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
        """The look the view paints with (:data:`reluviz.render.theme.LIGHT` until :meth:`set_theme`)."""
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
            b = make_button(self, name, f"Show {layer.name}'s z and dvalues (a copy) in the Arrays view")
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
