"""Thousands of random user actions on the real window, and no leaks from opening windows."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import numpy as np
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
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from reluviz.core import relu_backward
from reluviz.ui.main_window import MainWindow

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
        def toggle_operator(self) -> None:
            self.view.toggle_operator()

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
