"""The step bar of a recorded training run: a slider, ←/→, "step 3 / 50 · 12 dead units", a sparkline.

Shown above the Arrays panels only when a recording is loaded (:func:`attach_recording`). The
recording itself (:class:`reluviz.core.recording.RecordingDocument`) is read-only; the panels show
an editable *copy* of the step on show:

- Moving the slider (mouse, ←/→ keys, the buttons) installs a copy of that step into the arrays
  as an undo step, "Show step N". Consecutive step moves merge into one undo step (like a drag),
  so scrubbing through 50 steps is undone at once, back to the arrays shown before it.
- Editing a cell then edits that copy, as its own undo step; undoing it gives back the step
  exactly as recorded (the recording was never touched). Moving on to another step after an
  edit is again one undo step, so the edit is never lost: Undo brings it back.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QUndoCommand
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QToolButton, QWidget

from reluviz.core.colour import fit_range
from reluviz.core.io.session import Session
from reluviz.core.recording import RecordingDocument
from reluviz.ui.arrays_view import ArraysView

__all__ = ["DeadUnitsSparkline", "RecordingBar", "attach_recording", "detach_recording", "recording_bar",
           "session_with_recording", "show_session_recording", "step_label_text"]

_SHOW_STEP_MERGE_ID = 0x5EC0  # any id unique among the app's mergeable commands


def step_label_text(recording: RecordingDocument) -> str:
    """``"step 3 / 50 · 12 dead units"`` (steps counted from 1, as a person counts them)."""
    dead = int(recording.dead_units[recording.step])
    return f"step {recording.step + 1} / {recording.steps} · {dead} dead unit{'' if dead == 1 else 's'}"


class _ShowStepCommand(QUndoCommand):
    """The arrays replaced by a copy of a recorded step; consecutive step moves merge."""

    def __init__(self, bar: RecordingBar, before: tuple[np.ndarray, np.ndarray], before_step: int,
                 after_step: int) -> None:
        super().__init__(f"Show step {after_step + 1}")
        self._bar, self._before, self._before_step, self._after_step = bar, before, before_step, after_step

    def id(self) -> int:
        return _SHOW_STEP_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, _ShowStepCommand) or other._bar is not self._bar:
            return False
        self._after_step = other._after_step
        self.setText(f"Show step {self._after_step + 1}")
        return True

    def held_arrays(self) -> list[np.ndarray]:
        return list(self._before)

    def release(self) -> None:
        empty = np.empty((0, 0))
        self._before = (empty, empty)

    def redo(self) -> None:
        self._bar.install_step(self._after_step)

    def undo(self) -> None:
        self._bar.install_arrays(*self._before, step=self._before_step)


class DeadUnitsSparkline(QWidget):
    """Dead units per step as a small line, the step on show marked (painted with QPainter)."""

    def __init__(self, recording: RecordingDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recording = recording
        self.setObjectName("recording_sparkline")
        self.setMinimumSize(80, 22)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip("Dead units (columns blocked in every row) at each recorded step")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(160, 22)

    def point(self, step: int) -> QPointF:
        """Where step ``step``'s count is drawn."""
        counts = self.recording.dead_units
        top = max(1, int(counts.max()))
        margin = 3.0
        width, height = self.width() - 2 * margin, self.height() - 2 * margin
        x = margin + (width * step / (self.recording.steps - 1) if self.recording.steps > 1 else width / 2)
        y = margin + height * (1.0 - float(counts[step]) / top)
        return QPointF(x, y)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(self.foregroundRole())
        path = QPainterPath(self.point(0))
        for step in range(1, self.recording.steps):
            path.lineTo(self.point(step))
        painter.setPen(QPen(text, 1.2))
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(214, 39, 40))  # the step on show, in the mask's "blocked" red family
        painter.drawEllipse(self.point(self.recording.step), 3.0, 3.0)
        painter.end()


class RecordingBar(QWidget):
    """Slider, ←/→, the step and its dead-unit count, and a sparkline, for one recording.

    Parameters
    ----------
    recording : RecordingDocument
        The recorded steps (read-only).
    view : ArraysView
        The panels that show the step; its undo stack records step moves.
    """

    def __init__(self, recording: RecordingDocument, view: ArraysView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recording_bar")
        self.recording = recording
        self.view = view
        self._installing = False
        recording.set_inclusive(view.document.inclusive)

        self.previous_button = QToolButton(self)
        self.previous_button.setText("←")
        self.previous_button.setToolTip("Previous recorded step")
        self.previous_button.setObjectName("recording_previous")
        self.next_button = QToolButton(self)
        self.next_button.setText("→")
        self.next_button.setToolTip("Next recorded step")
        self.next_button.setObjectName("recording_next")
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("recording_slider")
        self.slider.setRange(0, recording.steps - 1)
        self.slider.setPageStep(1)  # a click beside the handle moves one step, as ←/→ do
        self.slider.setValue(recording.step)
        self.slider.setToolTip("Recorded training steps: drag, click or use ←/→")
        self.label = QLabel(self)
        self.label.setObjectName("recording_label")
        self.sparkline = DeadUnitsSparkline(recording, self)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Recording:", self))
        layout.addWidget(self.previous_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.next_button)
        layout.addWidget(self.label)
        layout.addWidget(self.sparkline)

        self.previous_button.clicked.connect(lambda: self.slider.setValue(self.slider.value() - 1))
        self.next_button.clicked.connect(lambda: self.slider.setValue(self.slider.value() + 1))
        self.slider.valueChanged.connect(self._on_slider_moved)
        recording.events.step.connect(self._on_step_changed)
        recording.events.dead_units.connect(self._update_label)
        view.document.events.inclusive.connect(self._on_inclusive_changed)
        self._update_label()

    # -- what the user does ---------------------------------------------------------------------
    def _on_slider_moved(self, step: int) -> None:
        if self._installing or step == self.recording.step:
            return
        model = self.view.document
        before = (model.z, model.dvalues)
        self.view.undo_stack.push(_ShowStepCommand(self, before, self.recording.step, step))

    # -- what the undo stack does ---------------------------------------------------------------
    def install_step(self, step: int) -> None:
        """Show a fresh copy of ``step`` in the panels (the recording stays read-only)."""
        z, dvalues = self.recording.step_arrays(step)
        # Copies the model may own and write into: each install gets its own.
        self.install_arrays(np.array(z, order="C"), np.array(dvalues, order="C"), step=step)

    def install_arrays(self, z: np.ndarray, dvalues: np.ndarray, *, step: int) -> None:
        """Put arrays into the panels and move the slider to ``step`` without recording a move."""
        self._installing = True
        try:
            self.view.apply_arrays(z, dvalues, refit=False)
            self.recording.set_step(step)
            self.slider.setValue(step)
        finally:
            self._installing = False

    # -- what the documents say -----------------------------------------------------------------
    def _on_step_changed(self, step: int) -> None:
        if self.slider.value() != step:
            self._installing = True
            try:
                self.slider.setValue(step)
            finally:
                self._installing = False
        self._update_label()

    def _on_inclusive_changed(self) -> None:
        self.recording.set_inclusive(self.view.document.inclusive)

    def _update_label(self) -> None:
        self.label.setText(step_label_text(self.recording))
        self.sparkline.update()


def attach_recording(view: ArraysView, recording: RecordingDocument) -> RecordingBar:
    """Show ``recording``'s step bar above ``view``'s panels (any bar attached before goes).

    The panels keep what they show (the caller put the step on show, or a saved edited copy of
    it, into the arrays). The colour ranges widen to the whole recording, so a colour means the
    same value at every step.
    """
    detach_recording(view)
    bar = RecordingBar(recording, view, view)
    view.layout().insertWidget(1, bar)  # below the controls, above the four panels
    bar.show()  # a layout shows a new child of a visible window only later, from the event loop
    view.recording_bar = bar  # type: ignore[attr-defined]  # where the window and sessions find it
    document = view.document
    document.set_ranges(max(document.z_range, fit_range(recording.z)),
                        max(document.grad_range, fit_range(recording.dvalues)))
    return bar


def detach_recording(view: ArraysView) -> None:
    """Remove the step bar, if any (a session or arrays opened without a recording)."""
    bar = recording_bar(view)
    if bar is not None:
        bar.recording.events.step.disconnect(bar._on_step_changed)
        bar.recording.events.dead_units.disconnect(bar._update_label)
        view.document.events.inclusive.disconnect(bar._on_inclusive_changed)
        bar.setParent(None)
        bar.deleteLater()
    view.recording_bar = None  # type: ignore[attr-defined]


def session_with_recording(session: Session, view: ArraysView) -> Session:
    """``session`` with the recording ``view`` shows (if any) and its step on show, for saving."""
    bar = recording_bar(view)
    if bar is not None:
        session.recording_z = bar.recording.z
        session.recording_dvalues = bar.recording.dvalues
        session.recording_step = bar.recording.step
    return session


def show_session_recording(view: ArraysView, session: Session) -> None:
    """Attach the recording a session holds (at its saved step), or remove the bar when it holds none."""
    if session.recording_z is None or session.recording_dvalues is None:
        detach_recording(view)
        return
    attach_recording(view, RecordingDocument(session.recording_z, session.recording_dvalues,
                                             inclusive=session.inclusive, step=session.recording_step))


def recording_bar(view: ArraysView) -> RecordingBar | None:
    """The step bar attached to ``view``, or None."""
    return getattr(view, "recording_bar", None)
