"""The Code view: the book's three lines stepped on the current arrays, and the ideas around them.

A third view beside Arrays and Network. It hosts the painters of :mod:`reluviz.render.teaching_pages`
(the same ones the lesson deck prints) and adds the controls: stepping with buttons and the
network's keys, the line-3 animation driven by a stepped timeline, Copy as Python, the
"without .copy()" switch and a scratch shape editor. It reads the arrays from an
:class:`~reluviz.core.explorer.ExplorerModel` and follows its events; it never writes to it.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.explorer import ExplorerModel
from reluviz.core.io.limits import MAX_SIDE
from reluviz.core.teaching import ScriptTooLargeError, python_script
from reluviz.render import teaching_pages as pages
from reluviz.render.teaching_pages import Lesson, PageResult, page_theme
from reluviz.render.theme import LIGHT, Theme

__all__ = ["ANIMATION_SECONDS", "STEP_KEYS", "TOPICS", "CodeView"]

# The topics, in tab order: (key, tab label).
TOPICS = (("steps", "Steps"), ("copy", "Why .copy()"), ("zero", "<= at 0"), ("shapes", "Shapes"),
          ("forms", "Forms"), ("python", "Python calls"))
# Line 3's flash-and-drop animation, in seconds at 1×.
ANIMATION_SECONDS = 1.2
_TICK_MS = 16
# The network view's stepping keys, with the same meanings here (one key map for both views):
# Space play/pause, ← / → step, PageUp / PageDown jump (to the previous / next topic), Home / End.
STEP_KEYS = {
    Qt.Key.Key_Space: "play",
    Qt.Key.Key_Left: "back",
    Qt.Key.Key_Right: "next",
    Qt.Key.Key_PageUp: "previous_topic",
    Qt.Key.Key_PageDown: "next_topic",
    Qt.Key.Key_Home: "first",
    Qt.Key.Key_End: "last",
}


class _PageCanvas(QWidget):
    """Paints the current topic with the teaching painters; takes the stepping keys."""

    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self._view = view
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Code view page")
        self.last_result: PageResult | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1100, 560)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 270)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self.last_result = self._view.paint_page(painter, QRectF(self.rect()))
        finally:
            painter.end()
        # What the page says, for screen readers: the same computed sentences as the pixels.
        description = self.last_result.text if self.last_result is not None else ""
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._view.handle_key(event):
            super().keyPressEvent(event)


class _StepKeys(QObject):
    """Sends the stepping keys pressed on a button or the check box to the view, as the network view does.

    Space is left to the focused button or check box (it presses it); spin boxes and the topic bar
    keep their own arrow keys. Holds the view weakly, so the filter never keeps it alive.
    """

    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self._view = weakref.ref(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        view = self._view()
        if (view is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() != Qt.Key.Key_Space and view.handle_key(event)):
            return True
        return super().eventFilter(watched, event)


class CodeView(QWidget):
    """The Code view.

    Parameters
    ----------
    model : ExplorerModel
        The arrays document (read only).
    """

    status_message = Signal(str)
    STATUS_HINT = "Code view: the three lines run on the current arrays; step with ← and →, topics with PgUp/PgDn."

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._theme: Theme = LIGHT
        self._lesson: Lesson | None = None
        self.topic = "steps"
        self.step = 1
        self.progress = 1.0  # line 3's animation, 0 to 1
        self.playing = False
        self.timer = QTimer(self)
        self.timer.setInterval(_TICK_MS)
        self.timer.timeout.connect(lambda: self.step_animation(_TICK_MS / 1000))
        self._build_ui()
        model.events.cell.connect(self._on_arrays_changed)
        model.events.arrays.connect(self._on_arrays_changed)
        model.events.inclusive.connect(self._on_arrays_changed)
        self._on_arrays_changed()

    # -- building ----------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.topic_bar = QTabBar(self, objectName="code_topics")
        for _key, label in TOPICS:
            self.topic_bar.addTab(label)
        self.topic_bar.currentChanged.connect(lambda index: self.set_topic(TOPICS[index][0]))
        self.canvas = _PageCanvas(self)
        self.back_button = QPushButton("← Back", self, objectName="code_back")
        self.next_button = QPushButton("Next →", self, objectName="code_next")
        self.play_button = QPushButton("Play", self, objectName="code_play")
        self.copy_python_button = QPushButton("Copy as Python", self, objectName="copy_python")
        self.without_copy_box = QCheckBox("&without .copy()", self, objectName="without_copy")
        self.without_copy_box.setChecked(True)
        self.back_button.clicked.connect(self.step_back)
        self.next_button.clicked.connect(self.step_next)
        self.play_button.clicked.connect(self.toggle_play)
        self.copy_python_button.clicked.connect(self.copy_as_python)
        self.without_copy_box.toggled.connect(lambda _on: self.canvas.update())
        self.shape_spins: dict[str, QSpinBox] = {}
        shape_row = QHBoxLayout()
        self.shape_label = QLabel("Scratch shapes:", self)
        shape_row.addWidget(self.shape_label)
        for name in ("z_rows", "z_cols", "dvalues_rows", "dvalues_cols"):
            spin = QSpinBox(self, objectName=f"scratch_{name}")
            spin.setRange(0, MAX_SIDE)
            spin.setPrefix(f"{name.replace('_', ' ')} ")
            spin.setAccessibleName(f"scratch {name.replace('_', ' ')}")
            spin.valueChanged.connect(lambda _v: self.canvas.update())
            self.shape_spins[name] = spin
            shape_row.addWidget(spin)
        self.reset_shapes_button = QPushButton("Same as the arrays", self, objectName="reset_shapes")
        self.reset_shapes_button.clicked.connect(self.reset_scratch_shapes)
        shape_row.addWidget(self.reset_shapes_button)
        shape_row.addStretch(1)
        controls = QHBoxLayout()
        for widget in (self.back_button, self.next_button, self.play_button, self.copy_python_button,
                       self.without_copy_box):
            controls.addWidget(widget)
        controls.addStretch(1)
        self.step_label = QLabel(self, objectName="code_step_label")
        controls.addWidget(self.step_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.topic_bar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(controls)
        layout.addLayout(shape_row)
        self._shape_row_widgets = [self.shape_label, *self.shape_spins.values(), self.reset_shapes_button]
        self._step_keys = _StepKeys(self)
        for widget in (self.back_button, self.next_button, self.play_button, self.copy_python_button,
                       self.without_copy_box, self.reset_shapes_button):
            widget.installEventFilter(self._step_keys)
        self._sync_controls()

    # -- the document ------------------------------------------------------------------------------
    @property
    def lesson(self) -> Lesson:
        """Everything the pages say about the current arrays (rebuilt after a change, when needed)."""
        if self._lesson is None:
            self._lesson = Lesson(self.model.z, self.model.dvalues, self.model.inclusive)
        return self._lesson

    def _on_arrays_changed(self, *_args: object) -> None:
        self._lesson = None
        shape_now = tuple(self.model.z.shape)
        if getattr(self, "_scratch_for", None) != shape_now:
            self._scratch_for = shape_now
            self.reset_scratch_shapes(wider_z=True)
        self.canvas.update()

    def reset_scratch_shapes(self, wider_z: bool = False) -> None:
        """Scratch shapes equal to the arrays' (``wider_z``: z one column wider, NumPy's error at once)."""
        rows, cols = self.model.z.shape
        values = {"z_rows": rows, "z_cols": cols + (1 if wider_z else 0), "dvalues_rows": rows, "dvalues_cols": cols}
        for name, spin in self.shape_spins.items():
            spin.blockSignals(True)
            spin.setValue(min(values[name], MAX_SIDE))
            spin.blockSignals(False)
        self.canvas.update()

    @property
    def scratch_shapes(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """``(z shape, dvalues shape)`` of the Shapes topic's scratch pair."""
        v = {name: spin.value() for name, spin in self.shape_spins.items()}
        return (v["z_rows"], v["z_cols"]), (v["dvalues_rows"], v["dvalues_cols"])

    # -- look --------------------------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        """Use ``theme`` (the window's light/dark and presentation scale)."""
        self._theme = theme
        self.canvas.update()

    def paint_page(self, painter: QPainter, rect: QRectF) -> PageResult:
        """Paint the current topic and step into ``rect`` (the canvas, or any other device)."""
        # Scaled with the canvas like a slide, but never below the window's own scale.
        theme = page_theme(self._theme, rect.width(), rect.height())
        if theme.scale < self._theme.scale * 0.75:
            theme = self._theme.scaled(0.75)
        lesson = self.lesson
        if self.topic == "steps":
            return pages.paint_code_step(painter, rect, lesson, theme, self.step, self.progress)
        if self.topic == "copy":
            return pages.paint_why_copy(painter, rect, lesson, theme, self.without_copy_box.isChecked())
        if self.topic == "zero":
            return pages.paint_zero_boundary(painter, rect, lesson, theme)
        if self.topic == "shapes":
            z_shape, d_shape = self.scratch_shapes
            return pages.paint_shapes(painter, rect, lesson, theme, z_shape, d_shape)
        if self.topic == "forms":
            return pages.paint_forms(painter, rect, lesson, theme)
        return pages.paint_python_calls(painter, rect, lesson, theme)

    # -- stepping ----------------------------------------------------------------------------------
    def set_topic(self, key: str) -> None:
        """Show topic ``key`` (one of :data:`TOPICS`)."""
        keys = [k for k, _ in TOPICS]
        if key not in keys:
            raise KeyError(f"unknown topic {key!r}; topics: {', '.join(keys)}")
        self.topic = key
        if self.topic_bar.currentIndex() != keys.index(key):
            self.topic_bar.setCurrentIndex(keys.index(key))
        self._sync_controls()
        self.canvas.update()

    def go_to_step(self, step: int, progress: float = 0.0) -> None:
        """Show line ``step`` (1–3); on line 3, ``progress`` is how far its animation has run."""
        self.step = min(max(step, 1), 3)
        self.progress = min(max(progress, 0.0), 1.0) if self.step == 3 else 1.0
        self._sync_controls()
        self.canvas.update()

    def step_next(self) -> None:
        """The next line; reaching line 3 plays its animation (a second press finishes it)."""
        if self.topic != "steps":
            self.set_topic("steps")
            return
        if self.step == 3:
            self.pause()
            self.go_to_step(3, 1.0)
            return
        self.go_to_step(self.step + 1, 0.0)
        if self.step == 3:
            self.play()

    def step_back(self) -> None:
        """The previous line (line 3 at its start goes back to line 2)."""
        self.pause()
        if self.topic != "steps":
            self.set_topic("steps")
            return
        self.go_to_step(self.step - 1 if self.step > 1 else 1, 1.0)

    def play(self) -> None:
        """Play line 3's animation from where it is (from the start if it has finished)."""
        if self.step != 3 or self.progress >= 1.0:
            self.go_to_step(3, 0.0)
        self.playing = True
        self.timer.start()
        self._sync_controls()

    def pause(self) -> None:
        """Stop the animation where it is."""
        self.playing = False
        self.timer.stop()
        self._sync_controls()

    def toggle_play(self) -> None:
        """Play or pause."""
        if self.playing:
            self.pause()
        else:
            self.play()

    def step_animation(self, dt_seconds: float) -> None:
        """Advance line 3's animation by ``dt_seconds`` (the timer calls this; tests call it directly)."""
        if self.step != 3:
            return
        self.progress = min(1.0, self.progress + dt_seconds / ANIMATION_SECONDS)
        if self.progress >= 1.0:
            self.pause()
        self.canvas.update()

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a stepping key (:data:`STEP_KEYS`); return whether it was one."""
        action = STEP_KEYS.get(Qt.Key(event.key()))
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        index = [k for k, _ in TOPICS].index(self.topic)
        if action == "play":
            self.toggle_play()
        elif action == "next":
            self.step_next()
        elif action == "back":
            self.step_back()
        elif action == "first":
            self.pause()
            self.go_to_step(1)
        elif action == "last":
            self.pause()
            self.go_to_step(3, 1.0)
        elif action == "next_topic":
            self.set_topic(TOPICS[(index + 1) % len(TOPICS)][0])
        elif action == "previous_topic":
            self.set_topic(TOPICS[(index - 1) % len(TOPICS)][0])
        event.accept()
        return True

    def _sync_controls(self) -> None:
        on_steps = self.topic == "steps"
        self.play_button.setText("Pause" if self.playing else "Play")
        self.play_button.setEnabled(on_steps)
        self.without_copy_box.setVisible(self.topic == "copy")
        for widget in self._shape_row_widgets:
            widget.setVisible(self.topic == "shapes")
        self.step_label.setText(f"line {self.step} of 3" if on_steps else "")

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Another tab is showing: no animation runs where nobody sees it.
        self.pause()
        super().hideEvent(event)

    # -- Copy as Python ------------------------------------------------------------------------------
    def copy_as_python(self) -> str | None:
        """Put a runnable script that rebuilds the arrays and runs the lines on the clipboard."""
        try:
            script = python_script(self.model.z, self.model.dvalues, self.model.inclusive)
        except (ScriptTooLargeError, TypeError) as error:
            self.status_message.emit(str(error))
            return None
        QGuiApplication.clipboard().setText(script)
        self.status_message.emit("Copied a Python script that rebuilds z and dvalues and runs the three lines.")
        return script
