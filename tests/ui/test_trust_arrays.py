"""Trust: what the Arrays view shows is exactly the arrays.

The screen is compared with a fresh render of the same state: the panel's pixels are read back
from the window's backing store (what was actually painted, partial repaints included; ``grab()``
would repaint the whole widget and hide stale pixels) and compared, pixel for pixel, with the
renderer painting the same data, view, theme, selection and hover into a new QImage.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QPushButton

from reluviz.core.explorer import ExplorerModel
from reluviz.render.heatmap import HeatmapRenderer
from reluviz.ui.heatmap_panel import HeatmapPanel
from reluviz.ui.main_window import MainWindow

from .helpers import cell_centre, click_cell, type_into_cell, wheel

pytestmark = pytest.mark.window_size(1280, 820)

ROLES = ("z", "dvalues", "mask", "drelu")


# -- screen against a fresh render ---------------------------------------------------------------
def _as_array(image: QImage) -> np.ndarray:
    """The image's pixels as 0xffRRGGBB words, rows × columns."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    words = np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return words[:, : image.width()].copy()


def on_screen(panel: HeatmapPanel) -> tuple[np.ndarray, QRect]:
    """The panel's visible pixels as they are in its window's backing store (0xffRRGGBB, rows ×
    columns), and where they are in the panel: a panel partly scrolled out of the window's scroll
    area is compared where it can be seen."""
    top = panel.window()
    visible = panel.visibleRegion().boundingRect()
    origin = panel.mapTo(top, visible.topLeft())
    pixmap = top.screen().grabWindow(top.winId(), origin.x(), origin.y(), visible.width(), visible.height())
    return _as_array(pixmap.toImage()), visible


def fresh_render(panel: HeatmapPanel) -> np.ndarray:
    """The same state painted from scratch by a new renderer (no cache, no clip)."""
    image = QImage(panel.size(), QImage.Format.Format_RGB32)
    image.fill(0)
    painter = QPainter(image)
    HeatmapRenderer().paint(
        painter, QRectF(panel.rect()), panel._data_source(), panel.view, panel._theme_source(),
        selection=panel.selection, selection_range=panel.selection_range,
        selection_is_here=panel.selection_is_here, hover=panel.hover,
    )
    painter.end()
    return _as_array(image)


def flush_paints() -> None:
    """Deliver every pending resize, layout and paint event."""
    for _ in range(3):  # layout changes post resizes, which post repaints: flush them all
        QApplication.sendPostedEvents()
        QApplication.processEvents()


# PanelData's revision counters key the renderer's caches; a fresh render paints the same without them.
_CACHE_ONLY_FIELDS = frozenset({"version", "edits"})


def _frozen(value: object) -> object:
    """A hashable, comparable stand-in for ``value``: arrays by dtype, shape and bytes, colours by
    RGBA, dataclasses field by field — so a field added to what the renderer reads is never missed."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, QColor):
        return value.rgba()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_frozen(getattr(value, f.name)) for f in dataclasses.fields(value)
                                        if f.name not in _CACHE_ONLY_FIELDS))
    if isinstance(value, (tuple, list)):
        return tuple(_frozen(item) for item in value)
    return value


def render_key(panel: HeatmapPanel) -> tuple:
    """Everything :func:`fresh_render` paints from: equal keys give identical fresh renders.

    Built from every field of the panel's data, view and theme (not a hand-kept list, which missed
    the axis names once and compared the screen with a stale render)."""
    return (
        (panel.width(), panel.height()),
        _frozen(panel._data_source()),
        _frozen(panel.view),
        _frozen(panel._theme_source()),
        (panel.selection, panel.selection_range, panel.selection_is_here, panel.hover),
    )


def screen_differences(panel: HeatmapPanel, expected: np.ndarray | None = None, flush: bool = True) -> int:
    """How many pixels on screen differ from a fresh render (the focus frame and open editor aside).

    ``expected`` is the panel's fresh render when the caller already has it (see :func:`render_key`);
    ``flush=False`` when the caller has just delivered the pending events itself.
    """
    if flush:
        flush_paints()
    shown, visible = on_screen(panel)
    if expected is None:
        expected = fresh_render(panel)
    differs = np.zeros(expected.shape, bool)
    rows = slice(visible.top(), visible.top() + shown.shape[0])
    cols = slice(visible.left(), visible.left() + shown.shape[1])
    differs[rows, cols] = shown != expected[rows, cols]
    differs[0, :] = differs[-1, :] = False  # the focus frame
    differs[:, 0] = differs[:, -1] = False
    for child in (panel.editor, panel.error_label):
        if child.isVisible():
            box: QRect = child.geometry().adjusted(-1, -1, 1, 1)
            differs[max(0, box.top()): box.bottom() + 1, max(0, box.left()): box.right() + 1] = False
    return int(differs.sum())


def all_screen_differences(window: MainWindow) -> dict[str, int]:
    return {role: screen_differences(panel) for role, panel in window.arrays_view.panels.items()}


def drawn_cell_rect(panel: HeatmapPanel, row: int, col: int) -> QRectF:
    """Where the renderer draws a cell, worked out from its own layout (not the panel's hit-testing)."""
    theme = panel._theme_source()
    shape = panel._data_source().values.shape
    plot = HeatmapRenderer.layout(QRectF(panel.rect()), theme).plot
    view = HeatmapRenderer.resolve_view(panel.view, shape, plot, theme.scale)
    return HeatmapRenderer.cell_rect(row, col, plot, view)


def click_drawn_cell(qtbot, panel: HeatmapPanel, row: int, col: int, fx: float = 0.5, fy: float = 0.5) -> None:
    box = drawn_cell_rect(panel, row, col)
    point = QPoint(int(box.left() + fx * box.width()), int(box.top() + fy * box.height()))
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def _presentation(window: MainWindow) -> None:
    if not window.presentation_action.isChecked():
        window.presentation_action.trigger()
    QApplication.processEvents()


# -- 1. computed panels are never edited ----------------------------------------------------------
@pytest.mark.parametrize("role", ["mask", "drelu"])
def test_ctrl_drag_on_a_computed_panel_changes_nothing_and_says_where_to_edit(window, qtbot, role):
    view = window.arrays_view
    panel = view.panels[role]
    before = (window.model.z.copy(), window.model.dvalues.copy())
    start = cell_centre(panel, 1, 1)
    qtbot.mousePress(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, start)
    for dy in range(6, 61, 6):
        qtbot.mouseMove(panel, start - QPoint(0, dy))
    qtbot.mouseRelease(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                       start - QPoint(0, 60))
    assert window.undo_stack.count() == 0
    assert window.model.z.tobytes() == before[0].tobytes()
    assert window.model.dvalues.tobytes() == before[1].tobytes()
    assert "edit z" in window.status_label.text() if role == "mask" else "edit dvalues" in window.status_label.text()
    # Undo, redo and a later edit still work (the broken step used to crash the process here).
    window.undo_stack.undo()
    window.undo_stack.redo()
    assert view.commit_text("z", 0, 0, "5") and window.model.z[0, 0] == 5
    window.undo_stack.undo()
    assert window.model.z[0, 0] == 1


@pytest.mark.parametrize("role", ["mask", "drelu"])
def test_every_edit_gesture_on_a_computed_panel_is_refused(window, qtbot, role):
    view = window.arrays_view
    panel = view.panels[role]
    before = (window.model.z.tobytes(), window.model.dvalues.tobytes())
    centre = cell_centre(panel, 0, 2)
    wheel(panel, centre, 2, Qt.KeyboardModifier.ControlModifier)  # Ctrl+wheel
    assert "computed" in window.status_label.text()
    click_cell(qtbot, panel, 0, 2)
    for key in (Qt.Key.Key_F2, Qt.Key.Key_Return):
        window.status_label.setText("")
        qtbot.keyClick(panel, key)
        assert not panel.is_editing and "computed" in window.status_label.text()
    window.status_label.setText("")
    qtbot.keyClicks(panel, "5")  # typing
    assert not panel.is_editing and "computed" in window.status_label.text()
    window.status_label.setText("")
    qtbot.mouseDClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    assert not panel.is_editing and "computed" in window.status_label.text()
    assert not view.paste_text("7")  # pasting while a computed panel is the active one
    view.nudge(role, 0, 2, 3.0)  # the programmatic paths refuse too
    assert not view.commit_text(role, 0, 2, "1")
    assert window.undo_stack.count() == 0
    assert (window.model.z.tobytes(), window.model.dvalues.tobytes()) == before
    assert all(n == 0 for n in all_screen_differences(window).values())


# -- 2. one geometry for painting, clicks and repaints ----------------------------------------
def test_clicks_land_on_the_cell_drawn_under_them_in_presentation_style(window, qtbot):
    view = window.arrays_view
    _presentation(window)
    panel = view.panels["z"]
    wheel(panel, drawn_cell_rect(panel, 0, 0).center().toPoint(), 1)  # zoom in a notch
    QApplication.processEvents()
    assert panel.cell_rect(0, 1) == drawn_cell_rect(panel, 0, 1)
    click_drawn_cell(qtbot, panel, 0, 1)
    assert view.selection == (0, 1)
    type_into_cell(qtbot, panel, "9")
    assert window.model.z[0, 1] == 9 and window.model.z[0, 2] == -3
    assert all(n == 0 for n in all_screen_differences(window).values())


def test_a_click_anywhere_inside_a_fitted_cell_selects_it_at_every_scale(window, qtbot):
    view = window.arrays_view
    view.replace_arrays(np.array([[1.0, -1.0], [0.0, 2.0]]), np.ones((2, 2)), "2x2", refit=True)
    _presentation(window)
    panel = view.panels["dvalues"]
    for row in range(2):
        for col in range(2):
            for fx, fy in ((0.1, 0.1), (0.9, 0.9), (0.1, 0.9), (0.9, 0.1)):
                click_drawn_cell(qtbot, panel, row, col, fx, fy)
                assert view.selection == (row, col), (row, col, fx, fy)


def test_an_edit_in_presentation_style_repaints_the_whole_cell(window, qtbot):
    view = window.arrays_view
    _presentation(window)
    panel = view.panels["z"]
    wheel(panel, drawn_cell_rect(panel, 0, 0).center().toPoint(), 1)
    click_drawn_cell(qtbot, panel, 0, 2)
    type_into_cell(qtbot, panel, "5")  # mask's True becomes False
    assert not window.model.mask[0, 2]
    assert all_screen_differences(window) == dict.fromkeys(ROLES, 0)


# -- 3. no stale pixels ----------------------------------------------------------------------------
def test_typing_zero_into_z_shows_the_exactly_zero_legend(window, qtbot):
    view = window.arrays_view
    click_cell(qtbot, view.panels["z"], 0, 1)
    type_into_cell(qtbot, view.panels["z"], "0")
    assert window.model.z_exact_zeros == 1
    assert screen_differences(view.panels["z"]) == 0
    click_cell(qtbot, view.panels["z"], 0, 1)
    type_into_cell(qtbot, view.panels["z"], "2")  # and it goes away again
    assert window.model.z_exact_zeros == 0
    assert screen_differences(view.panels["z"]) == 0


def test_a_partial_repaint_keeps_the_row_labels_of_a_centred_array(window, qtbot):
    view = window.arrays_view
    view.replace_arrays(np.ones((2, 2)), np.ones((2, 2)), "2x2", refit=True)
    QApplication.processEvents()
    for panel in view.panels.values():
        geometry = panel.geometry()
        # A repaint just left of the array, where its centred row labels sit.
        left = geometry.cell_rect(0, 0).left()
        panel.update(QRectF(left - 20, geometry.cell_rect(0, 0).top(), 24, 30).toAlignedRect())
    assert all_screen_differences(window) == dict.fromkeys(ROLES, 0)


def test_the_exact_zero_count_follows_every_kind_of_change():
    model = ExplorerModel()
    assert model.z_exact_zeros == 0
    model.set_value("z", 0, 0, np.float64(0.0))
    model.set_value("z", 0, 1, np.float64(-0.0))
    model.set_value("dvalues", 0, 2, np.float64(0.0))  # dvalues does not count
    assert model.z_exact_zeros == 2
    model.set_value("z", 0, 0, np.float64(0.0))  # 0 -> 0 stays one
    model.set_value("z", 0, 1, np.float64(np.nan))
    assert model.z_exact_zeros == 1
    model.set_block("z", 1, 1, np.zeros((2, 3)))
    assert model.z_exact_zeros == int(np.count_nonzero(model.z == 0)) == 7
    model.set_arrays(np.zeros((5, 6)), np.ones((5, 6)))
    assert model.z_exact_zeros == 30
    rng = np.random.default_rng(0)
    for _ in range(500):
        row, col = int(rng.integers(5)), int(rng.integers(6))
        model.set_value("z", row, col, np.float64(rng.choice([0.0, -0.0, 1.0, -1.0, np.nan])))
        assert model.z_exact_zeros == int(np.count_nonzero(model.z == 0))


# -- 8. another shape asks first ---------------------------------------------------------------------
def test_opening_another_shape_asks_and_cancel_changes_nothing(window, tmp_path):
    view = window.arrays_view
    np.save(tmp_path / "z.npy", np.ones((5, 6)))
    asked = []
    view.confirm_reshape = lambda question: asked.append(question) or None
    before = (window.model.z.tobytes(), window.model.dvalues.tobytes())
    assert not window.open_array("z", tmp_path / "z.npy")
    assert [(q.other, q.old_shape, q.new_shape) for q in asked] == [("dvalues", (3, 4), (5, 6))]
    assert "z.npy is 5×6 but dvalues is 3×4" in asked[0].text and "18 new cells" in asked[0].text
    assert (window.model.z.tobytes(), window.model.dvalues.tobytes()) == before
    assert window.undo_stack.count() == 0 and "nothing changed" in window.status_label.text()


def test_opening_a_larger_array_pads_the_other_with_the_chosen_value_in_one_step(window, tmp_path):
    view = window.arrays_view
    np.save(tmp_path / "d.npy", np.full((5, 6), 2.0))
    view.confirm_reshape = lambda question: "1.5"
    old_z = window.model.z.copy()
    assert window.open_array("dvalues", tmp_path / "d.npy")
    z = window.model.z
    assert z.shape == (5, 6) and (z[:3, :4] == old_z).all()
    assert (z[3:, :] == 1.5).all() and (z[:, 4:] == 1.5).all()  # not 0: nothing newly blocked
    assert not window.model.mask[3:, :].any()
    text = window.status_label.text()
    assert "z resized from 3×4 to 5×6" in text and "18 new cells set to 1.5" in text
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.model.shape == (3, 4) and window.model.z.tobytes() == old_z.tobytes()
    assert all_screen_differences(window) == dict.fromkeys(ROLES, 0)


def test_pasting_a_smaller_whole_array_crops_the_other_and_says_so(window):
    view = window.arrays_view
    asked = []
    view.confirm_reshape = lambda question: asked.append(question) or ""
    assert view.paste_text("1 2\n3 4\n", whole_array=True)
    assert asked[0].cropped_cells == 8 and asked[0].new_cells == 0
    assert window.model.dvalues.tolist() == [[1, 2], [5, 6]]
    assert "8 cells cropped" in window.status_label.text()


def test_a_refused_fill_value_changes_nothing(window, tmp_path):
    view = window.arrays_view
    view.replace_arrays(np.ones((2, 2), np.int32), np.ones((2, 2), np.int32), "ints", refit=True)
    np.save(tmp_path / "z.npy", np.ones((3, 3), np.int32))
    view.confirm_reshape = lambda question: "nan"
    count = window.undo_stack.count()
    assert not window.open_array("z", tmp_path / "z.npy")
    assert window.model.shape == (2, 2) and window.undo_stack.count() == count
    assert "fill value" in window.status_label.text() and "nan" in window.status_label.text()


def test_the_reshape_dialog_offers_a_fill_value_only_when_cells_are_added(window):
    from reluviz.core.explorer import ReshapeQuestion

    dialog, fill = window.reshape_dialog(ReshapeQuestion("z", "a.npy", (3, 4), (5, 6)))
    assert not fill.isHidden() and fill.text() == "0"
    assert "Resize dvalues" in [b.text() for b in dialog.findChildren(type(dialog.findChild(QPushButton)))]
    dialog.deleteLater()
    dialog, fill = window.reshape_dialog(ReshapeQuestion("z", "a.npy", (3, 4), (2, 2)))
    assert fill.isHidden()
    dialog.deleteLater()


# -- 10. Randomize gives new arrays each press, and shows the seed ---------------------------------------
def test_each_randomize_press_gives_new_arrays_and_shows_their_seed(window, qtbot):
    view = window.arrays_view
    button = view.findChild(QPushButton, "randomize_button")
    seen = []
    for _ in range(3):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        seen.append((view.seed_spin.value(), window.model.z.tobytes()))
        assert f"seed {view.seed_spin.value()}" in window.status_label.text()
    assert len({z for _seed, z in seen}) == 3 and len({seed for seed, _z in seen}) == 3
    view.new_seed = lambda: seen[0][0]  # even a repeated draw gives new arrays
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.model.z.tobytes() != seen[0][1]
    # Typing a shown seed into the box (Enter) brings its arrays back.
    view.seed_spin.setValue(seen[1][0])
    view.seed_spin.editingFinished.emit()
    assert window.model.z.tobytes() == seen[1][1]
    count = window.undo_stack.count()
    view.seed_spin.editingFinished.emit()  # leaving the box unchanged does nothing
    assert window.undo_stack.count() == count


def test_no_failing_step_reaches_the_undo_stack(window):
    view = window.arrays_view
    view.nudge("z", 10, 10, 1.0)  # a gesture outliving a shrink of the arrays
    view.nudge("mask", 0, 0, 1.0)
    view.nudge("drelu", 0, 0, 1.0)
    assert not view.commit_text("drelu", 0, 0, "1")
    assert window.undo_stack.count() == 0
    # The main window answers the reshape question with a real dialog (tests replace the hook).
    assert view.confirm_reshape == window.confirm_reshape
