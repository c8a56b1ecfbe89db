"""The Arrays view reads an ArraysDocument: the document is the one source of what is shown.

(a) A change made to the document from outside the view (a script, the window, another view)
repaints the panels: the pixels change and match a fresh render of the new state.
(b) The view's controls (colormap box, precision box, Fit) write to the document, follow it back,
and one undo step restores it.
(c) A session saved after edits and reopened gives the same document state.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from reluviz.core.arrays_document import ArraysDocument
from reluviz.core.explorer import ExplorerModel
from reluviz.ui.main_window import MainWindow

from .helpers import cell_colour, click_cell, type_into_cell
from .test_trust_arrays import flush_paints, on_screen, screen_differences

pytestmark = pytest.mark.window_size(1280, 820)

ROLES = ("z", "dvalues", "mask", "drelu")


@pytest.fixture
def window(window):
    """The shared window (tests/ui/conftest.py), its first paints flushed."""
    flush_paints()
    return window


def shown(window: MainWindow, role: str) -> np.ndarray:
    """What one panel shows on screen now (its backing-store pixels)."""
    flush_paints()
    return on_screen(window.arrays_view.panels[role])[0]


def all_match_a_fresh_render(window: MainWindow) -> dict[str, int]:
    return {role: screen_differences(panel) for role, panel in window.arrays_view.panels.items()}


def state(document: ArraysDocument) -> tuple:
    """Everything an ArraysDocument holds, comparable (arrays by dtype, shape and bytes)."""
    return (document.z.dtype.str, document.z.shape, document.z.tobytes(), document.dvalues.dtype.str,
            document.dvalues.tobytes(), document.inclusive, document.colormap, document.ranges,
            document.precision)


# -- (a) the document changed from outside: the panels repaint ---------------------------------------
def test_a_colormap_set_on_the_document_repaints_the_panels_and_the_box(window):
    view, document = window.arrays_view, window.arrays_doc
    before = {role: shown(window, role) for role in ("z", "dvalues", "drelu")}
    document.set_colormap("purple-orange")
    for role, pixels in before.items():
        assert not np.array_equal(shown(window, role), pixels), role
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)
    assert view.colormap_combo.currentData() == "purple-orange"


def test_a_precision_set_on_the_document_repaints_the_cells_and_the_box(window):
    view, document = window.arrays_view, window.arrays_doc
    view.commit_text("z", 0, 0, "1.23456")
    before = shown(window, "z")
    document.set_precision(6)
    assert not np.array_equal(shown(window, "z"), before)  # "1.23" became "1.23456"
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)
    assert view.precision_spin.value() == 6


def test_ranges_set_on_the_document_repaint_the_colours(window):
    panel = window.arrays_view.panels["dvalues"]
    before = cell_colour(panel, 2, 3)  # 12: the deepest red of a ±15 scale
    window.arrays_doc.set_ranges(1000.0, 1000.0)
    after = cell_colour(panel, 2, 3)  # almost the scale's middle now
    assert after != before and after.red() > before.red() and after.green() > before.green()
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)


def test_new_arrays_set_on_the_document_with_refit_fit_the_ranges_and_repaint(window, qtbot):
    view, document = window.arrays_view, window.arrays_doc
    click_cell(qtbot, view.panels["dvalues"], 0, 0)
    type_into_cell(qtbot, view.panels["dvalues"], "500")
    assert document.grad_range >= 500
    grown = shown(window, "dvalues")
    z, dvalues = np.array([[1.0, -2.0], [3.0, -4.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])
    document.set_arrays(z, dvalues, refit=True)
    assert document.ranges == document.fitted_ranges()
    assert not np.array_equal(shown(window, "dvalues"), grown)
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)
    assert (view.rows_spin.value(), view.cols_spin.value()) == (2, 2)


def test_new_arrays_without_refit_keep_the_grown_range(window, qtbot):
    view, document = window.arrays_view, window.arrays_doc
    view.commit_text("dvalues", 0, 0, "500")
    grown = document.grad_range
    document.set_arrays(np.ones((2, 2)), np.ones((2, 2)))
    assert document.grad_range == grown
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)


# -- (b) the controls drive the document; one undo step restores it ------------------------------------
def test_the_colormap_box_writes_to_the_document_and_the_window_remembers_it(window):
    from reluviz.ui.settings import read_setting

    combo = window.arrays_view.colormap_combo
    index = combo.findData("cool-warm")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a person's choice emits
    assert window.arrays_doc.colormap == "cool-warm"
    assert read_setting("colormap") == "cool-warm" and window.isWindowModified()
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)


def test_the_precision_box_writes_to_the_document(window, qtbot):
    spin = window.arrays_view.precision_spin
    spin.selectAll()
    qtbot.keyClicks(spin, "7")
    assert window.arrays_doc.precision == 7 and window.isWindowModified()
    window.findChild(type(window.undo_action), "precision_2").trigger()  # the Arrays menu too
    assert window.arrays_doc.precision == 2 and spin.value() == 2


def test_fit_writes_the_ranges_to_the_document_and_one_undo_restores_them(window, qtbot):
    view, document = window.arrays_view, window.arrays_doc
    view.commit_text("dvalues", 0, 0, "35")
    view.commit_text("dvalues", 0, 0, "1")
    grown = document.ranges
    assert grown[1] == 40
    before_fit = shown(window, "dvalues")
    qtbot.mouseClick(view.controls.findChild(QPushButton, "fit_button"), Qt.MouseButton.LeftButton)
    assert document.ranges == document.fitted_ranges() == (8.0, 15.0)
    assert not np.array_equal(shown(window, "dvalues"), before_fit)
    window.undo()
    assert document.ranges == grown
    assert np.array_equal(shown(window, "dvalues"), before_fit)
    assert all_match_a_fresh_render(window) == dict.fromkeys(ROLES, 0)
    window.undo_stack.redo()
    assert document.ranges == (8.0, 15.0)


def test_a_plain_model_given_to_the_window_becomes_a_document(qtbot):
    model = ExplorerModel(np.array([[0.0, -1.0]]), np.array([[2.0, 3.0]]), inclusive=False)
    win = MainWindow(model)
    qtbot.addWidget(win)
    assert isinstance(win.arrays_doc, ArraysDocument) and win.model is win.arrays_doc
    assert win.arrays_view.document is win.arrays_doc
    assert win.model.z.tobytes() == model.z.tobytes() and not win.model.inclusive


# -- (c) a session round trip gives the same document --------------------------------------------------
def test_a_session_saved_after_edits_reopens_with_the_same_document(window, tmp_path, qtbot):
    view, document = window.arrays_view, window.arrays_doc
    view.load_preset("exact-zeros")
    view.commit_text("z", 1, 1, "42")  # grows z's range ...
    view.fit()  # ... which a fit keeps (42 is still there)
    view.commit_text("dvalues", 0, 1, "-250")  # grows the gradient range ...
    view.commit_text("dvalues", 0, 1, "1")  # ... which stays wider than the data now
    view.set_inclusive(False)
    document.set_colormap("purple-orange")
    view.precision_spin.setValue(5)
    saved = state(document)
    assert document.grad_range > document.fitted_ranges()[1]
    path = tmp_path / "edits.reluviz"
    assert window.save_session_to(path)
    document.set_colormap("cool-warm")  # a new window starts with the last colormap used, not the saved one


    other = MainWindow()
    qtbot.addWidget(other)
    other.resize(1280, 820)
    other.show()
    qtbot.waitExposed(other)
    assert other.arrays_doc.colormap == "cool-warm"
    assert other.open_session(path)
    assert state(other.arrays_doc) == saved
    assert other.arrays_view.colormap_combo.currentData() == "purple-orange"
    assert other.arrays_view.precision_spin.value() == 5
    assert all_match_a_fresh_render(other) == dict.fromkeys(ROLES, 0)
