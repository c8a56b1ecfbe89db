"""The Code view, driven as a person would: keys, buttons, the switch, the scratch shapes, the clipboard."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication

from reluviz.core.colour import values_to_rgba
from reluviz.core.relu import relu_backward
from reluviz.core.teaching import without_copy
from reluviz.core.teaching.text import cells_text, true_cells
from reluviz.render.lesson_deck import network_timeline
from reluviz.ui.code_view import ANIMATION_SECONDS, STEP_KEYS, CodeView
from reluviz.ui.network_canvas import TIMELINE_KEYS

pytestmark = pytest.mark.window_size(1280, 720)

pypdf = pytest.importorskip("pypdf")


@pytest.fixture
def window(window):
    """The shared window (tests/ui/conftest.py) on the Code tab, its canvas focused."""
    window.tabs.setCurrentWidget(window.code_view)
    window.code_view.canvas.setFocus()
    return window


def _shot(view: CodeView):
    image = view.canvas.grab().toImage()
    result = view.canvas.last_result
    assert result is not None
    return image, result


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def _highlight_pixel(image, result, name: str) -> QColor:
    box = result.panels[name]
    return image.pixelColor(round(box.center().x()), round(box.top() - 3 * result.scale))


def test_code_view_keys_are_the_network_keys():
    assert set(STEP_KEYS) == set(TIMELINE_KEYS)


def test_stepping_by_keys_and_buttons_highlights_the_panel_each_line_produces(window, qtbot):
    view = window.code_view
    accent = view._theme.accent
    image, result = _shot(view)
    assert view.step == 1 and result.highlighted == "mask"
    assert _close(_highlight_pixel(image, result, "mask"), accent)
    assert not _close(_highlight_pixel(image, result, "drelu"), accent)
    assert "drelu: not defined yet" in result.text

    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    image, result = _shot(view)
    assert view.step == 2 and result.highlighted == "drelu"
    assert _close(_highlight_pixel(image, result, "drelu"), accent)
    assert not _close(_highlight_pixel(image, result, "mask"), accent)
    assert "np.shares_memory(drelu, dvalues) is False" in result.text
    assert "np.shares_memory(drelu, dvalues) is False" in view.canvas.accessibleDescription()

    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    assert view.step == 1
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.step == 3 and view.playing  # line 3 plays its animation
    window.tabs.setCurrentWidget(window.arrays_view)
    assert not view.playing  # nothing animates on a hidden tab
    window.tabs.setCurrentWidget(view)
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Home)
    assert view.step == 1
    qtbot.keyClick(view.canvas, Qt.Key.Key_End)
    assert (view.step, view.progress) == (3, 1.0)


def _cell_colour(image, result, name, row, col) -> QColor:
    box = result.cell_rect(name, row, col)
    # Left of the printed value and below the blocked corner, inside the highlight outline.
    return image.pixelColor(round(box.left() + 0.22 * box.width()), round(box.top() + 0.8 * box.height()))


def test_line_three_animation_ends_with_drelu_zero_exactly_where_the_mask_is_true(window, qtbot):
    view = window.code_view
    model = window.model
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    view.pause()  # the test steps the timeline itself
    assert (view.step, view.progress) == (3, 0.0)
    lesson = view.lesson
    mask = model.z <= 0
    start = values_to_rgba(model.dvalues, lesson.grad_range, lesson.cmap)
    image, result = _shot(view)
    for row, col in np.ndindex(mask.shape):
        assert _close(_cell_colour(image, result, "drelu", row, col), QColor(*start[row, col, :3]))
    for _ in range(4):
        view.step_animation(ANIMATION_SECONDS / 4)
    assert view.progress == 1.0 and not view.playing
    end = values_to_rgba(relu_backward(model.z, model.dvalues), lesson.grad_range, lesson.cmap)
    zero = values_to_rgba(np.zeros(1), lesson.grad_range, lesson.cmap)[0, :3]
    image, result = _shot(view)
    for row, col in np.ndindex(mask.shape):
        seen = _cell_colour(image, result, "drelu", row, col)
        assert _close(seen, QColor(*end[row, col, :3]))
        assert _close(seen, QColor(*zero)) == bool(mask[row, col])
    assert f"{int(mask.sum())} True cells of the mask" in result.text


def test_copy_as_python_runs_to_the_same_bits(window, qtbot, tmp_path):
    view = window.code_view
    model = window.model
    model.set_arrays(np.array([[0.1, -0.0, np.nan], [-2.5, 1e-300, 0.0]]),
                     np.array([[-1.0, 2.0, 3.0], [np.inf, -0.0, 7.0]]))
    qtbot.mouseClick(view.copy_python_button, Qt.MouseButton.LeftButton)
    script = QGuiApplication.clipboard().text()
    assert "drelu[mask] = 0" in script
    path = tmp_path / "script.py"
    path.write_text(script + "\nprint(drelu.dtype, drelu.shape, drelu.tobytes().hex())\n")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60, check=True)
    last = done.stdout.strip().splitlines()[-1]
    assert last == f"{model.drelu.dtype} {model.drelu.shape} {model.drelu.tobytes().hex()}"
    assert str(model.drelu) in done.stdout  # NumPy's own printing


def test_without_copy_switch_shows_the_changed_dvalues_and_leaves_the_document_alone(window, qtbot):
    view = window.code_view
    model = window.model
    z_before, d_before = model.z.tobytes(), model.dvalues.tobytes()
    qtbot.keyClick(view.canvas, Qt.Key.Key_PageDown)
    assert view.topic == "copy" and view.without_copy_box.isVisible()
    demo = without_copy(model.z, model.dvalues)
    changed = true_cells(demo.dvalues_changed)
    image, result = _shot(view)
    assert f"dvalues cells changed: {len(changed)} cells ({cells_text(changed)})" in result.text
    assert "np.shares_memory(drelu, dvalues): True" in result.text
    # The changed cells are drawn at 0 in "dvalues after", the others keep their colour.
    lesson = view.lesson
    zero = QColor(*values_to_rgba(np.zeros(1), lesson.grad_range, lesson.cmap)[0, :3])
    for row, col in np.ndindex(model.dvalues.shape):
        seen = _cell_colour(image, result, "dvalues_after", row, col)
        assert _close(seen, zero) == ((row, col) in changed)
    qtbot.mouseClick(view.without_copy_box, Qt.MouseButton.LeftButton)
    assert not view.without_copy_box.isChecked()
    image, result = _shot(view)
    assert "np.shares_memory(drelu, dvalues): False" in result.text
    assert "dvalues cells changed: 0 cells" in result.text
    assert model.z.tobytes() == z_before and model.dvalues.tobytes() == d_before


def _numpy_error(dvalues_shape, mask_shape) -> str:
    drelu = np.ones(dvalues_shape)
    with pytest.raises(IndexError) as raised:
        drelu[np.ones(mask_shape, dtype=bool)] = 0
    return f"IndexError: {raised.value}"


def test_shapes_show_numpys_own_error_for_the_scratch_pair(window, qtbot):
    view = window.code_view
    rows, cols = window.model.shape
    for _ in range(3):
        qtbot.keyClick(view.canvas, Qt.Key.Key_PageDown)
    assert view.topic == "shapes"
    _image, result = _shot(view)
    assert _numpy_error((rows, cols), (rows, cols + 1)) in result.text
    spin = view.shape_spins["z_cols"]
    spin.selectAll()
    qtbot.keyClicks(spin, str(cols))
    spin.selectAll()
    qtbot.keyClicks(view.shape_spins["z_rows"], "")  # focus moves on; the value is committed
    view.shape_spins["z_rows"].selectAll()
    qtbot.keyClicks(view.shape_spins["z_rows"], str(rows + 1))
    assert view.scratch_shapes == ((rows + 1, cols), (rows, cols))
    _image, result = _shot(view)
    assert _numpy_error((rows, cols), (rows + 1, cols)) in result.text
    qtbot.mouseClick(view.reset_shapes_button, Qt.MouseButton.LeftButton)
    _image, result = _shot(view)
    assert "NumPy accepts it" in result.text
    assert window.model.shape == (rows, cols)


def test_every_topic_paints_without_clipped_text_at_1280x720(window, qtbot):
    view = window.code_view
    for _ in range(6):
        _image, result = _shot(view)
        assert result.overflow == [], (view.topic, result.overflow)
        qtbot.keyClick(view.canvas, Qt.Key.Key_PageDown)
    assert view.topic == "steps"


def test_file_export_lesson_writes_the_deck(window, tmp_path, monkeypatch):
    target = tmp_path / "lesson.pdf"
    monkeypatch.setattr(window, "ask_lesson_path", lambda: str(target))
    window.findChild(type(window.undo_action), "export_lesson").trigger()
    assert "lesson.pdf" in window.status_label.text()
    window.network_view.set_sample(7)  # not the sample the deck follows by default
    window.findChild(type(window.undo_action), "export_lesson").trigger()
    pages = pypdf.PdfReader(target).pages
    first_network = window.network_view.timeline.frames[0].text
    assert first_network != network_timeline().frames[0].text
    flat = " ".join(unicodedata.normalize("NFKC", pages[8].extract_text()).split())
    assert " ".join(first_network.split()) in flat  # the pass on the Network tab, with its step card


def test_every_control_is_reachable_by_keyboard_and_the_keys_work_on_the_buttons(window, qtbot):
    view = window.code_view
    qtbot.keyClick(view.canvas, Qt.Key.Key_PageDown)  # Why .copy(): the switch is shown
    reached = set()
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    for widget in (view.back_button, view.next_button, view.copy_python_button, view.without_copy_box,
                   view.canvas):
        assert widget in reached, widget.objectName()
    view.without_copy_box.setFocus()
    qtbot.keyClick(view.without_copy_box, Qt.Key.Key_Space)  # Space presses what has focus
    assert not view.without_copy_box.isChecked()
    qtbot.keyClick(view.without_copy_box, Qt.Key.Key_PageUp)  # the stepping keys still step
    assert view.topic == "steps"
    view.next_button.setFocus()
    qtbot.keyClick(view.next_button, Qt.Key.Key_Right)
    assert view.step == 2
