"""The Network view: gradients flow backwards through a small network and stop at closed ReLUs.

The view shows a :class:`reluviz.core.network_document.NetworkDocument`: the preset, seed, batch
size, learning rate, Train steps and followed sample live there. The controls write to it and
follow its events (``reset``, ``learning_rate``, ``trained``, ``sample``), so a change made
anywhere — a session opened, a script — shows here. The view keeps only what is about showing:
the pass on show as a pure :class:`reluviz.core.network.timeline.Timeline`, the frame, playback, speed,
theme and colormap. A ``QTimer`` advances the time; :meth:`NetworkView.step_animation` does the
same deterministically for tests.

All drawing goes through :func:`reluviz.render.network_painter.paint_network` (its docstring says
what the colours and the 0-based indices mean), so the screen and every export look the same. The
canvas (:mod:`reluviz.ui.network_canvas`) caches the part that does not move within a frame in a
``QPixmap`` and draws only pulses and gates at 60 fps.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHideEvent,
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QMessageBox,
    QPushButton,
    QWidget,
)

from reluviz.core.colour import COLORMAPS
from reluviz.core.network import PRESETS, NetworkRun, PassRecord
from reluviz.core.network.timeline import Frame, Timeline, build_timeline
from reluviz.core.network_document import NetworkDocument
from reluviz.render.theme import LIGHT, Theme
from reluviz.ui.network_canvas import _TimelineKeys
from reluviz.ui.network_controls import (
    PAUSE_TEXT,
    PLAY_TEXT,
    SPEEDS,
    apply_network_view_theme,
    build_network_view_ui,
    rebuild_open_buttons,
    show_loss_history,
)

__all__ = ["PAUSE_TEXT", "PLAY_TEXT", "NetworkView"]


class NetworkView(QWidget):
    """Gradient flow through a small network, animated, with a step card and training controls.

    Keys (while the view has focus, also on its combo boxes; its number fields keep their own):
    Space play/pause, ←/→ step a frame, PageUp/PageDown jump by phase, Home/End first/last frame.
    A reset that would discard Train steps asks first (:meth:`confirm_discard_training`).

    Parameters
    ----------
    document : NetworkDocument
        The network shown; the view writes the user's choices to it and follows its events.
    parent : QWidget, optional

    Signals
    -------
    open_in_arrays_requested(object, object)
        ``(z, dvalues)`` copies of the chosen ReLU layer, for the array explorer.
    status_message(str)
        One line about the frame on screen (:attr:`reluviz.core.network.timeline.Frame.summary`, e.g.
        ``"ReLU 1 backward · sample 3: 2 of 6 gates closed, 4 gradients pass"``), emitted
        whenever the frame on screen changes, for a status bar.
    """

    open_in_arrays_requested = Signal(object, object)
    status_message = Signal(str)

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._time = 0.0
        self._still = False
        self._speed = 1.0
        self._frame_index = 0
        self._theme: Theme = LIGHT
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
        handlers = ((document.events.reset, self._on_network_reset),
                    (document.events.learning_rate, self._on_learning_rate_document_changed),
                    (document.events.trained, self._on_trained),
                    (document.events.sample, self._on_sample_document_changed))
        for event, handler in handlers:
            event.connect(handler)
        # The document may outlive the view (the main window keeps it): stop following it then.
        self.destroyed.connect(lambda *_: [event.disconnect(handler) for event, handler in handlers])
        self._on_network_reset()
        self._on_learning_rate_document_changed(document.learning_rate)

    # -- building -------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        build_network_view_ui(self)
        apply_network_view_theme(self)

    # -- model --------------------------------------------------------------------------------

    @property
    def run(self) -> NetworkRun:
        """The network being trained (the document's)."""
        return self.document.run

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
        """Build a new network from preset ``key`` (``"book"``, ``"default"``, ``"dead"``) and the seed
        and batch size in the controls; programmatic, so no question about Train steps."""
        if key not in PRESETS:
            raise KeyError(f"unknown preset {key!r}; known: {', '.join(PRESETS)}")
        self._reset_to(key)

    def set_sample(self, sample: int | None) -> None:
        """Follow one batch row, or ``None`` for the whole batch (in the document)."""
        self.document.set_sample(sample)

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
        apply_network_view_theme(self)
        self.canvas.update()

    def set_speed(self, speed: float) -> None:
        """Set playback speed, clamped to 0.25×–4×."""
        self._speed = min(max(float(speed), SPEEDS[0]), SPEEDS[-1])
        closest = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self._speed))
        self.speed_combo.blockSignals(True)
        self.speed_combo.setCurrentIndex(closest)
        self.speed_combo.blockSignals(False)

    def reset(self) -> None:
        """Build a new network and data from the preset, seed and batch size in the controls; show
        its first pass from the start."""
        self._reset_to(self.preset_combo.currentData() or "default")

    def _reset_to(self, preset: str) -> None:
        self.pause()
        batch = self.batch_combo.currentData()
        doc = self.document
        run = doc.run
        doc.reset(preset=preset, seed=self.seed_spin.value(), batch_size=batch or None)
        if doc.run is run:  # the same network: no reset event, but Reset still rewinds
            self._on_network_reset()

    def _on_network_reset(self) -> None:
        """A new network in the document: its controls, its first pass (or last Train step's)."""
        self.pause()
        doc = self.document
        _select_data(self.preset_combo, doc.preset)
        batch = doc.batch_size or 0
        if self.batch_combo.findData(batch) < 0:  # a session's own batch size
            self.batch_combo.addItem(f"batch {batch}", batch)
        _select_data(self.batch_combo, batch)
        self.seed_spin.setValue(doc.seed)  # not connected: the seed applies on Reset
        self._show_record(doc.pass_record)
        rebuild_open_buttons(self)
        show_loss_history(self, self.document.run.loss_history)

    def _on_learning_rate_document_changed(self, rate: float) -> None:
        self.lr_spin.blockSignals(True)
        self.lr_spin.setValue(rate)
        self.lr_spin.blockSignals(False)

    def _on_sample_document_changed(self, _sample: int, _whole_batch: bool) -> None:
        self._rebuild_timeline(keep_frame=True)

    def _on_sample_spin_changed(self, value: int) -> None:
        self.document.set_sample(value)

    def _on_whole_batch_toggled(self, checked: bool) -> None:
        self.document.set_sample(None if checked else self.document.sample)

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
        steps = len(self.document.trained_learning_rates)
        return steps == 0 or bool(self.confirm_discard_training(steps))

    def _on_reset_clicked(self) -> None:
        if self._may_discard_training():
            self.reset()

    def _on_preset_chosen(self, _index: int) -> None:
        if self._may_discard_training():
            self.reset()
            return
        # Kept the trained network: show its preset again.
        _select_data(self.preset_combo, self.document.preset)

    def train_step(self) -> None:
        """Take one SGD step (in the document) and show its pass (forward, backward, update) at
        the first frame.

        The animation keeps its state: it plays the new pass from the start only if it was
        playing; otherwise it waits, paused, on the first frame.
        """
        self.document.train_step()

    def _on_trained(self, record: PassRecord) -> None:
        was_playing = self.playing
        self._show_record(record)
        show_loss_history(self, self.document.run.loss_history)
        if was_playing:
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
        doc = self.document
        sample = doc.shown_sample
        row = sample
        if row is None:  # the whole batch: the row kept behind the switch (disabled: it means nothing)
            row = doc.sample if 0 <= doc.sample < self._record.batch_size else doc.opening_sample
        with QSignalBlocker(self.sample_spin), QSignalBlocker(self.whole_batch_check):
            self.sample_spin.setValue(row)
            self.whole_batch_check.setChecked(sample is None)
        self.sample_spin.setEnabled(sample is not None)
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
        self.step_label.setText(f"steps     {len(doc.trained_learning_rates)}   batch {r.batch_size}")

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
        self.document.set_learning_rate(value)

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


def _select_data(combo, data: object) -> None:
    """Show the item of ``combo`` holding ``data`` without emitting its signals (a document
    change shown, not a choice made)."""
    index = combo.findData(data)
    if index >= 0:
        combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(False)
