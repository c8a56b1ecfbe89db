"""Thousands of random user actions on the real window, and no leaks from opening windows.

Two random users: a Hypothesis state machine calling the view's methods (shrinks failures to a
short story), and :class:`RandomUser`, which performs every gesture on every panel through real
Qt events and, after each, compares every panel on screen with a fresh render of the same state.
"""

from __future__ import annotations

import gc
import random
import weakref
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QPushButton

from reluviz.core import relu_backward
from reluviz.ui.main_window import MainWindow

from .helpers import wheel
from .test_trust_arrays import flush_paints, fresh_render, on_screen, render_key, screen_differences

CELL_TEXTS = st.sampled_from(["0", "-0", "1.5", "-2", "nan", "inf", "-inf", "3e-4", "abc", "1,5", "1e400", ""])
SMALL_PRESETS = st.sampled_from(["book", "exact-zeros", "all-blocked", "all-passing"])
NUMBERS = st.sampled_from(["1", "-1", "0", "-0", "2.5", "nan", "-3"])


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_random_actions_keep_every_panel_consistent(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sessions")

    class UserSession(RuleBasedStateMachine):
        @initialize()
        def open_window(self) -> None:
            self.window = MainWindow()
            self.window.arrays_view.confirm_resize = lambda question: True
            self.window.arrays_view.confirm_reshape = lambda question: "0"
            self.window.show()
            self.view = self.window.arrays_view
            self.start = (self.window.model.z.copy(), self.window.model.dvalues.copy())
            self.saved: Path | None = None

        def _cell(self, data) -> tuple[int, int]:
            rows, cols = self.window.model.shape
            return data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, cols - 1))

        @rule(name=st.sampled_from(["z", "dvalues"]), text=CELL_TEXTS, data=st.data())
        def edit(self, name, text, data) -> None:
            row, col = self._cell(data)
            before = self.window.model.array(name).copy()
            accepted = self.view.commit_text(name, row, col, text)
            if not accepted:
                assert same(self.window.model.array(name), before)

        @rule(name=st.sampled_from(["z", "dvalues"]), steps=st.integers(-3, 3), data=st.data())
        def nudge(self, name, steps, data) -> None:
            row, col = self._cell(data)
            self.view.nudge(name, row, col, float(steps))

        @rule(values=st.lists(st.lists(NUMBERS, min_size=2, max_size=2), min_size=1, max_size=3), data=st.data(),
              whole=st.booleans())
        def paste(self, values, data, whole) -> None:
            row, col = self._cell(data)
            self.view.select(data.draw(st.sampled_from(["z", "dvalues"])), row, col)
            self.view.paste_text("\n".join("\t".join(r) for r in values), whole_array=whole)

        @rule(rows=st.integers(1, 9), cols=st.integers(1, 9))
        def resize(self, rows, cols) -> None:
            self.view.resize_arrays(rows, cols)

        @rule(name=SMALL_PRESETS)
        def preset(self, name) -> None:
            self.view.load_preset(name)

        @rule(seed=st.integers(0, 5))
        def randomize(self, seed) -> None:
            self.view.randomize(seed)

        @rule()
        def toggle_inclusive(self) -> None:
            self.view.toggle_inclusive()

        @rule()
        def undo(self) -> None:
            self.window.undo()

        @rule()
        def redo(self) -> None:
            self.window.undo_stack.redo()

        @rule()
        def save(self) -> None:
            self.saved = folder / "state.reluviz"
            assert self.window.save_session_to(self.saved)

        @precondition(lambda self: self.saved is not None)
        @rule()
        def reopen(self) -> None:
            model = self.window.model
            z, dvalues, inclusive = model.z.copy(), model.dvalues.copy(), model.inclusive
            clean = self.window.undo_stack.isClean()
            assert self.window.open_session(self.saved)
            if clean:
                assert same(self.window.model.z, z) and same(self.window.model.dvalues, dvalues)
                assert self.window.model.inclusive == inclusive
            self.start = (self.window.model.z.copy(), self.window.model.dvalues.copy())

        @invariant()
        def panels_show_a_fresh_relu_backward(self) -> None:
            if not hasattr(self, "window"):
                return
            QApplication.processEvents()  # paint what changed
            model = self.window.model
            shown = {role: self.view.panel_data(role).values for role in ("z", "dvalues", "mask", "drelu")}
            assert shown["z"] is model.z and shown["dvalues"] is model.dvalues
            assert same(shown["drelu"], relu_backward(model.z, model.dvalues, model.inclusive))
            assert same(shown["mask"], (model.z <= 0) if model.inclusive else (model.z < 0))

        def teardown(self) -> None:
            if not hasattr(self, "window"):
                return
            while self.window.undo_stack.canUndo():
                self.window.undo()
            assert same(self.window.model.z, self.start[0]) and same(self.window.model.dvalues, self.start[1])
            self.window.undo_stack.setClean()
            self.window.close()
            self.window.deleteLater()
            QApplication.processEvents()

    run_state_machine_as_test(
        UserSession,
        settings=settings(max_examples=60, stateful_step_count=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )


TYPED_TEXTS = ["0", "-0", "1.5", "-2", "nan", "inf", "-inf", "3e-4", "abc", "1,5", "1e400", "", "7", "-0.25"]
PASTES = ["1\t2\n3\t4\n", "5", "-1 0\n0 -1\n", "array([[1., -2., 0.], [3., nan, -4.]])", "[[1, 2, 3]]",
          "0\n-0\n2", "abc", "1;2;3\n4;5;6\n7;8;9\n10;11;12\n13;14;15"]
RESHAPE_ANSWERS = ["0", "1.5", "-1", None, "abc", ""]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


class RandomUser:
    """Drives one :class:`MainWindow` with random gestures; :meth:`check` after each."""

    def __init__(self, window: MainWindow, qtbot, folder: Path, seed: int) -> None:
        self.window, self.qtbot, self.folder = window, qtbot, folder
        self.view = window.arrays_view
        self.rng = random.Random(seed)
        self.seed = seed
        self.log: list[str] = []
        self.expected: dict[str, tuple[tuple, np.ndarray]] = {}
        self.view.confirm_resize = lambda _question: self.rng.random() < 0.7
        self.view.confirm_reshape = lambda _question: self.rng.choice(RESHAPE_ANSWERS)
        self.view.new_seed = lambda: self.rng.randrange(2**31)
        for panel in self.view.panels.values():
            # A wheel pause is stepped (end_wheel_gesture), never timed: a run replays exactly.
            panel.wheel_gesture_timer.setInterval(2**31 - 1)
        self.actions: list[Callable[[], None]] = [
            self.click, self.click, self.shift_click, self.ctrl_drag, self.ctrl_drag, self.pan_drag,
            self.ctrl_wheel, self.ctrl_wheel, self.zoom_wheel, self.key, self.key, self.key, self.type_value,
            self.type_value, self.double_click, self.hover, self.leave, self.undo_redo, self.undo_redo,
            self.copy_paste, self.menu_transform, self.toggle_inclusive, self.look, self.fit, self.preset,
            self.resize_arrays, self.randomize, self.open_file, self.drop_file, self.end_wheel_gesture,
            self.resize_window,
        ]

    # -- helpers -------------------------------------------------------------------------------
    def panel(self):
        return self.view.panels[self.rng.choice(("z", "dvalues", "mask", "drelu"))]

    def point(self, panel) -> QPoint:
        """Mostly inside a cell (anywhere in it), sometimes anywhere in the panel."""
        rows, cols = self.window.model.shape
        if self.rng.random() < 0.85:
            box = panel.cell_rect(self.rng.randrange(rows), self.rng.randrange(cols))
            box = box.intersected(panel.plot_rect())
            if box.width() >= 1 and box.height() >= 1:
                return QPointF(box.left() + self.rng.random() * box.width(),
                               box.top() + self.rng.random() * box.height()).toPoint()
        return QPoint(self.rng.randrange(panel.width()), self.rng.randrange(panel.height()))

    def focus_target(self, panel):
        widget = QApplication.focusWidget()
        if widget is not None and widget.window() is self.window and self.rng.random() < 0.8:
            return widget
        return panel

    # -- gestures ------------------------------------------------------------------------------
    def click(self) -> None:
        panel = self.panel()
        self.qtbot.mouseClick(panel, LEFT, NONE, self.point(panel))

    def shift_click(self) -> None:
        panel = self.panel()
        self.qtbot.mouseClick(panel, LEFT, SHIFT, self.point(panel))

    def _drag(self, modifiers) -> None:
        panel = self.panel()
        start = self.point(panel)
        self.qtbot.mousePress(panel, LEFT, modifiers, start)
        pos = start
        for _ in range(self.rng.randrange(1, 8)):
            pos = pos + QPoint(self.rng.randrange(-15, 16), self.rng.randrange(-25, 26))
            self.qtbot.mouseMove(panel, pos)
        self.qtbot.mouseRelease(panel, LEFT, modifiers, pos)

    def ctrl_drag(self) -> None:
        self._drag(CTRL)

    def pan_drag(self) -> None:
        self._drag(NONE)

    def ctrl_wheel(self) -> None:
        panel = self.panel()
        wheel(panel, self.point(panel), self.rng.choice((-2, -1, 1, 2, 0.5)), CTRL)

    def end_wheel_gesture(self) -> None:
        panel = self.panel()
        if self.rng.random() < 0.5:
            self.qtbot.keyRelease(panel, Qt.Key.Key_Control)
        else:
            panel.wheel_gesture_timer.timeout.emit()  # a pause of the wheel, stepped

    def zoom_wheel(self) -> None:
        panel = self.panel()
        wheel(panel, self.point(panel), self.rng.choice((-2, -1, 1, 2)))

    def key(self) -> None:
        panel = self.panel()
        key, modifiers = self.rng.choice([
            (Qt.Key.Key_Up, NONE), (Qt.Key.Key_Down, NONE), (Qt.Key.Key_Left, NONE), (Qt.Key.Key_Right, NONE),
            (Qt.Key.Key_Down, SHIFT), (Qt.Key.Key_Right, SHIFT), (Qt.Key.Key_Tab, NONE), (Qt.Key.Key_Backtab, NONE),
            (Qt.Key.Key_F2, NONE), (Qt.Key.Key_Return, NONE), (Qt.Key.Key_Escape, NONE), (Qt.Key.Key_F, NONE),
            (Qt.Key.Key_Equal, CTRL), (Qt.Key.Key_Minus, CTRL), (Qt.Key.Key_Plus, NONE), (Qt.Key.Key_Minus, NONE),
            (Qt.Key.Key_5, NONE), (Qt.Key.Key_N, NONE), (Qt.Key.Key_Period, NONE),
        ])
        self.qtbot.keyClick(self.focus_target(panel), key, modifiers)

    def type_value(self) -> None:
        panel = self.panel()
        text = self.rng.choice(TYPED_TEXTS)
        target = self.focus_target(panel)
        if text:
            self.qtbot.keyClicks(target, text)
        commit = self.rng.choice((Qt.Key.Key_Return, Qt.Key.Key_Tab, Qt.Key.Key_Escape, Qt.Key.Key_Return))
        self.qtbot.keyClick(QApplication.focusWidget() or target, commit,
                            SHIFT if self.rng.random() < 0.2 else NONE)

    def double_click(self) -> None:
        panel = self.panel()
        self.qtbot.mouseDClick(panel, LEFT, NONE, self.point(panel))

    def hover(self) -> None:
        panel = self.panel()
        self.qtbot.mouseMove(panel, self.point(panel))

    def leave(self) -> None:
        QApplication.sendEvent(self.panel(), QEvent(QEvent.Type.Leave))

    def _trigger(self, name: str) -> None:
        action = self.window.findChild(QAction, name)
        assert action is not None, name
        action.trigger()

    def undo_redo(self) -> None:
        self._trigger(self.rng.choice(("undo", "redo", "undo")))

    def copy_paste(self) -> None:
        choice = self.rng.random()
        if choice < 0.3:
            self._trigger("copy")
        else:
            QGuiApplication.clipboard().setText(self.rng.choice(PASTES))
        self._trigger(self.rng.choice(("paste", "paste", "paste_whole")))

    def menu_transform(self) -> None:
        name = self.rng.choice(("negate", "zero", "fill"))
        if name == "fill":
            self.view.fill(self.view.edit_target, self.rng.choice(TYPED_TEXTS))  # the dialog's answer
        else:
            self._trigger(name)

    def toggle_inclusive(self) -> None:
        self._trigger("toggle_inclusive")

    def look(self) -> None:
        self._trigger(self.rng.choice(("presentation", "presentation", "dark_theme")))

    def fit(self) -> None:
        self._trigger("fit")

    def preset(self) -> None:
        self.view.load_preset(self.rng.choice(("book", "exact-zeros", "all-blocked", "all-passing", "book",
                                               "nnfs-batch")))

    def resize_arrays(self) -> None:
        spin = self.rng.choice((self.view.rows_spin, self.view.cols_spin))
        spin.setValue(self.rng.choice((1, 2, 3, 5, 8, 13, 30)))
        spin.editingFinished.emit()

    def randomize(self) -> None:
        self.qtbot.mouseClick(self.view.findChild(QPushButton, "randomize_button"), LEFT)

    def _array_file(self) -> Path:
        rows, cols = self.rng.choice(((2, 2), (3, 4), (5, 6), (1, 7), (4, 3)))
        data = np.round(np.random.default_rng(self.rng.randrange(1000)).standard_normal((rows, cols)), 1)
        data[0, 0] = 0.0
        path = self.folder / f"a{rows}x{cols}.npy"
        np.save(path, data)
        return path

    def open_file(self) -> None:
        self.window.open_array(self.rng.choice(("z", "dvalues")), self._array_file())

    def drop_file(self) -> None:
        self.window._on_file_dropped(self.rng.choice(("z", "dvalues", "mask", "drelu")), str(self._array_file()))

    def resize_window(self) -> None:
        self.window.resize(*self.rng.choice(((900, 640), (1000, 700), (860, 620))))

    # -- the loop ------------------------------------------------------------------------------
    def check(self, screen: bool = True) -> None:
        QApplication.processEvents()
        model = self.window.model
        assert same(model.drelu, relu_backward(model.z, model.dvalues, model.inclusive)), self.report()
        assert model.z_exact_zeros == int(np.count_nonzero(model.z == 0)), self.report()
        if not screen:
            return
        flush_paints()
        for role, panel in self.view.panels.items():
            # A fresh render is the costly part of a check: reuse it while nothing it paints from
            # changed (the screen itself is still read back and compared in full every time).
            key = render_key(panel)
            if self.expected.get(role, (None,))[0] != key:
                self.expected[role] = (key, fresh_render(panel))
            differences = screen_differences(panel, self.expected[role][1], flush=False)
            if differences:
                self.dump(role, panel)
            assert differences == 0, self.report(f"{role}: {differences} pixels differ from a fresh render")

    def dump(self, role: str, panel) -> None:
        """Save what the screen shows, the fresh render and their difference as PNGs beside the log."""
        shown, visible = on_screen(panel)
        expected = fresh_render(panel)[visible.top(): visible.top() + shown.shape[0],
                                       visible.left(): visible.left() + shown.shape[1]]
        diff = np.where(shown != expected, np.uint32(0xFFFF0000), np.uint32(0xFFFFFFFF))
        for name, words in (("shown", shown), ("expected", expected), ("diff", diff)):
            words = np.ascontiguousarray(words)
            image = QImage(words.data, words.shape[1], words.shape[0], words.shape[1] * 4,
                           QImage.Format.Format_RGB32)
            image.save(str(self.folder / f"{role}-{name}.png"))
        (self.folder / "actions.txt").write_text("\n".join(self.log[-40:]) + "\n")

    def report(self, what: str = "") -> str:
        return (f"{what}\nseed {self.seed}; images and log in {self.folder}; last actions:\n  "
                + "\n  ".join(self.log[-25:]))

    def run(self, steps: int, screen_from: int = 0) -> None:
        """Do ``steps`` random actions; check the model after each and the screen after each from
        action ``screen_from`` on (a failure at action K replays cheaply with ``screen_from=K - 20``)."""
        self.check(screen=screen_from == 0)
        for step in range(steps):
            action = self.rng.choice(self.actions)
            self.log.append(f"{step}: {action.__name__}")
            action()
            self.log[-1] += f" -> {self.describe()}"
            self.check(screen=step >= screen_from)

    def describe(self) -> str:
        view = self.view.view_state
        return (f"shape={self.window.model.shape} fit={view.fit} cell={view.cell_w:.4g}x{view.cell_h:.4g} "
                f"origin=({view.origin_row:.4g},{view.origin_col:.4g}) size={self.window.width()}x"
                f"{self.window.height()} sel={self.view.selection}")


def _random_user(qtbot, folder: Path, seed: int) -> RandomUser:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(900, 640)
    window.show()
    qtbot.waitExposed(window)
    return RandomUser(window, qtbot, folder, seed)


@pytest.mark.parametrize("seed", [1, 2])
def test_every_gesture_on_every_panel_shows_exactly_the_arrays(qtbot, tmp_path, seed):
    """A short random session; the screen is compared with a fresh render after every action."""
    _random_user(qtbot, tmp_path, seed).run(80)


@pytest.mark.slow
def test_ten_thousand_random_gestures(qtbot, tmp_path):
    """The long run: 10,000 actions, every gesture enabled; no crash, no exception, no difference.

    The model and all four panels' pixels are checked after every action. On a failure the shown
    and expected images, their difference and the last actions are saved in ``tmp_path``; replay
    with ``RandomUser(...).run(K + 1, screen_from=K - 20)`` to look only at the end of the story.
    """
    user = _random_user(qtbot, tmp_path, 2026)
    user.run(10_000)


def test_opening_and_closing_windows_leaks_nothing(qapp):
    refs = []
    for _ in range(5):
        window = MainWindow()
        window.show()
        QApplication.processEvents()
        if window.network_view is not None:
            window.network_view.play()  # type: ignore[attr-defined]
        refs.append((weakref.ref(window), weakref.ref(window.model), weakref.ref(window.model.z)))
        window.close()
        window.deleteLater()
        del window
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    alive = [i for i, group in enumerate(refs) if any(ref() is not None for ref in group)]
    assert alive == []
    running = [t for t in qapp.findChildren(QTimer) if t.isActive()]
    assert running == []
