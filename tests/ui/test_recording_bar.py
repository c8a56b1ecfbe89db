"""A learner's own training in the window: reluviz.show with steps, the step bar, edits, undo, sessions."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QSlider, QToolButton

import reluviz
from reluviz.ui.recording_bar import RecordingBar, recording_bar

from .helpers import cell_colour, click_cell, type_into_cell


def _training_run(steps: int = 5, rows: int = 3, cols: int = 4) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Step s: z is +1 everywhere except that its first s columns are -1 in every row (s dead units)."""
    zs, ds = [], []
    for s in range(steps):
        z = np.ones((rows, cols))
        z[:, : min(s, cols)] = -1.0
        zs.append(z)
        ds.append(np.full((rows, cols), float(s + 1)))
    return zs, ds


@pytest.fixture
def shown(qtbot):
    zs, ds = _training_run()
    window = reluviz.show(zs, ds, block=False)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    return window, zs, ds


def _bar(window) -> RecordingBar:
    bar = recording_bar(window.arrays_view)
    assert bar is not None and bar.isVisible()
    return bar


def test_a_list_of_steps_shows_the_bar_and_the_first_step(shown):
    window, zs, ds = shown
    bar = _bar(window)
    slider = bar.findChild(QSlider, "recording_slider")
    assert slider.minimum() == 0 and slider.maximum() == 4 and slider.value() == 0
    assert bar.label.text() == "step 1 / 5 · 0 dead units"
    assert window.model.z.tobytes() == zs[0].tobytes() and window.model.dvalues.tobytes() == ds[0].tobytes()
    # The bar sits above the panels.
    assert bar.mapTo(window, QPoint(0, 0)).y() < window.arrays_view.panels["z"].mapTo(window, QPoint(0, 0)).y()
    assert window.undo_stack.count() == 0


def test_keys_and_mouse_move_the_steps_label_and_painted_cells(shown, qtbot):
    window, zs, ds = shown
    bar = _bar(window)
    z_panel = window.arrays_view.panels["z"]
    positive = cell_colour(z_panel, 0, 1)
    bar.slider.setFocus()
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    assert bar.recording.step == 2 and bar.label.text() == "step 3 / 5 · 2 dead units"
    assert window.model.z.tobytes() == zs[2].tobytes()
    assert cell_colour(z_panel, 0, 1) != positive  # column 1 is now -1: painted another colour
    qtbot.mouseClick(bar.findChild(QToolButton, "recording_next"), Qt.MouseButton.LeftButton)
    assert bar.label.text() == "step 4 / 5 · 3 dead units" and window.model.z.tobytes() == zs[3].tobytes()
    qtbot.mouseClick(bar.findChild(QToolButton, "recording_previous"), Qt.MouseButton.LeftButton)
    assert bar.recording.step == 2
    # A click on the groove right of the handle moves one step.
    qtbot.mouseClick(bar.slider, Qt.MouseButton.LeftButton, pos=QPoint(bar.slider.width() - 3,
                                                                      bar.slider.height() // 2))
    assert bar.recording.step == 3 and window.model.dvalues.tobytes() == ds[3].tobytes()
    drelu = window.arrays_view.panels["drelu"]
    assert cell_colour(drelu, 0, 0) != cell_colour(drelu, 0, 3)  # step 4: column 0 blocked, column 3 passes 4


def test_the_inclusive_switch_recounts_the_dead_units(qtbot):
    z = np.zeros((2, 2, 3))
    z[1, :, 0] = -1.0
    window = reluviz.show(list(z), list(np.ones_like(z)), block=False)
    qtbot.addWidget(window)
    bar = _bar(window)
    assert bar.label.text() == "step 1 / 2 · 3 dead units"  # 0 is blocked by z <= 0
    window.arrays_view.toggle_inclusive()
    assert bar.label.text() == "step 1 / 2 · 0 dead units"
    qtbot.keyClick(bar.slider, Qt.Key.Key_End)
    assert bar.label.text() == "step 2 / 2 · 1 dead unit"


def test_scrubbing_is_one_undo_step_and_an_edit_of_a_step_another(shown, qtbot):
    window, zs, _ds = shown
    bar = _bar(window)
    for _ in range(3):
        qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Show step 4"
    z_panel = window.arrays_view.panels["z"]
    click_cell(qtbot, z_panel, 0, 0)
    type_into_cell(qtbot, z_panel, "7")
    assert window.model.z[0, 0] == 7.0 and window.undo_stack.count() == 2
    assert bar.recording.z[3, 0, 0] == -1.0  # the recording itself never changes
    window.undo_stack.undo()  # the edit: the step exactly as recorded again
    assert window.model.z.tobytes() == zs[3].tobytes() and bar.recording.step == 3
    window.undo_stack.redo()
    qtbot.keyClick(bar.slider, Qt.Key.Key_Left)  # moving on after an edit: the edit is not lost
    assert window.model.z.tobytes() == zs[2].tobytes()
    window.undo_stack.undo()
    assert window.model.z[0, 0] == 7.0 and bar.recording.step == 3 and bar.slider.value() == 3
    assert bar.label.text() == "step 4 / 5 · 3 dead units"
    window.undo_stack.undo()
    window.undo_stack.undo()  # the scrubbing: back to step 1
    assert window.model.z.tobytes() == zs[0].tobytes() and bar.slider.value() == 0


def test_a_session_keeps_the_recording_bit_for_bit(shown, qtbot, tmp_path):
    window, zs, ds = shown
    bar = _bar(window)
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    path = tmp_path / "run.reluviz"
    assert window.save_session_to(path)
    window.new_session()
    assert recording_bar(window.arrays_view) is None  # the book example has no recording
    assert window.open_session(path)
    reopened = _bar(window)
    assert reopened.recording.z.tobytes() == np.stack(zs).tobytes()
    assert reopened.recording.dvalues.tobytes() == np.stack(ds).tobytes()
    assert reopened.recording.step == 2 and reopened.slider.value() == 2
    assert reopened.label.text() == "step 3 / 5 · 2 dead units"
    assert window.model.z.tobytes() == zs[2].tobytes()


def test_one_3d_array_stays_one_pair_unless_recording_is_asked(qtbot):
    z = np.stack(_training_run()[0])
    flat = reluviz.show(z, np.ones_like(z), block=False)
    qtbot.addWidget(flat)
    assert recording_bar(flat.arrays_view) is None and flat.model.shape == (15, 4)
    stepped = reluviz.show(z, np.ones_like(z), block=False, recording=True)
    qtbot.addWidget(stepped)
    assert _bar(stepped).recording.steps == 5 and stepped.model.shape == (3, 4)
    rows = reluviz.show([np.array([1.0, -2.0]), np.array([3.0, 4.0])], [[1.0, 1.0], [1.0, 1.0]], block=False)
    qtbot.addWidget(rows)
    assert recording_bar(rows.arrays_view) is None and rows.model.shape == (2, 2)  # a list of rows
