"""The Arrays view driven as a learner would: click, type, nudge, hover, toggle, resize, zoom."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton

from reluviz.core import relu_backward
from reluviz.core.colour import MASK_FALSE_RGB, MASK_TRUE_RGB, lookup_table

from .helpers import cell_centre, cell_colour, click_cell, type_into_cell, wheel

pytestmark = pytest.mark.window_size(1280, 820)


def shown_matches_fresh_relu(win) -> bool:
    model = win.model
    return model.drelu.tobytes() == relu_backward(model.z, model.dvalues, model.inclusive).tobytes()


def rgb(colour: QColor) -> tuple[int, int, int]:
    return (colour.red(), colour.green(), colour.blue())


def test_typing_into_z_updates_mask_and_drelu(window, qtbot):
    view = window.arrays_view
    z_panel, drelu_panel = view.panels["z"], view.panels["drelu"]
    click_cell(qtbot, z_panel, 0, 2)  # z = -3: blocked
    assert rgb(cell_colour(view.panels["mask"], 0, 2)) == MASK_TRUE_RGB
    type_into_cell(qtbot, z_panel, "2.5")
    assert window.model.z[0, 2] == 2.5
    assert window.model.drelu[0, 2] == 3.0 and not window.model.mask[0, 2]
    assert rgb(cell_colour(view.panels["mask"], 0, 2)) == MASK_FALSE_RGB
    assert cell_colour(drelu_panel, 0, 2) == cell_colour(view.panels["dvalues"], 0, 2)
    assert view.selection == (1, 2)  # Enter commits and moves down
    # The status bar explains what the typed value did.
    assert window.status_label.text() == "z[0, 2] = 2.5 → z <= 0 is False → drelu[0, 2] = 3.0 (passed from dvalues)"
    assert shown_matches_fresh_relu(window)


def test_tab_commits_and_moves_right_escape_cancels(window, qtbot):
    view = window.arrays_view
    panel = view.panels["dvalues"]
    click_cell(qtbot, panel, 1, 0)
    type_into_cell(qtbot, panel, "-4", key=Qt.Key.Key_Tab)
    assert window.model.dvalues[1, 0] == -4 and view.selection == (1, 1)
    qtbot.keyClicks(panel, "9")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Escape)
    assert not panel.is_editing and window.model.dvalues[1, 1] == 6


def test_arrow_keys_move_the_selection_and_clamp(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    click_cell(qtbot, panel, 0, 0)
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    qtbot.keyClick(panel, Qt.Key.Key_Down)
    assert view.selection == (1, 1)
    for _ in range(6):
        qtbot.keyClick(panel, Qt.Key.Key_Down)
    assert view.selection == (2, 1)


def test_arrows_inside_the_editor_move_the_text_cursor(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    click_cell(qtbot, panel, 0, 0)
    qtbot.keyClicks(panel, "1")
    qtbot.keyClicks(panel.editor, "5")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Left)
    qtbot.keyClicks(panel.editor, ".")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    assert window.model.z[0, 0] == 1.5 and view.selection == (1, 0)


@pytest.mark.parametrize(("text", "fragment"), [("abc", "not a number"), ("1,5", "use a dot"),
                                                ("1e400", "too large")])
def test_refused_text_keeps_the_old_value_and_says_why(window, qtbot, text, fragment):
    view = window.arrays_view
    panel = view.panels["z"]
    click_cell(qtbot, panel, 1, 1)
    type_into_cell(qtbot, panel, text)
    assert window.model.z[1, 1] == -7
    assert panel.is_editing and panel.error_label.isVisible()
    assert fragment in panel.error_label.text()
    assert fragment in window.status_label.text()
    qtbot.keyClick(panel.editor, Qt.Key.Key_Escape)
    assert not panel.error_label.isVisible() and window.undo_stack.count() == 0


def test_nan_and_inf_can_be_typed_and_behave_as_numpy(window, qtbot):
    panel = window.arrays_view.panels["z"]
    click_cell(qtbot, panel, 1, 1)
    type_into_cell(qtbot, panel, "nan")
    assert np.isnan(window.model.z[1, 1]) and window.model.drelu[1, 1] == 6  # nan <= 0 is False
    assert rgb(cell_colour(panel, 1, 1)) != rgb(cell_colour(panel, 0, 0))
    assert shown_matches_fresh_relu(window)


def test_ctrl_wheel_nudges_across_zero_and_is_one_undo_step(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    centre = cell_centre(panel, 0, 0)  # z = 1
    for _ in range(10):
        wheel(panel, centre, -1, Qt.KeyboardModifier.ControlModifier)
        assert shown_matches_fresh_relu(window)
    assert window.model.z[0, 0] == 0.0 and window.model.mask[0, 0]
    assert window.undo_stack.count() == 1  # the whole burst is one step
    qtbot.keyRelease(panel, Qt.Key.Key_Control)  # releasing Ctrl ends the gesture
    view.nudge_step = 0.5
    wheel(panel, centre, -1, Qt.KeyboardModifier.ControlModifier)
    assert window.model.z[0, 0] == -0.5 and window.model.drelu[0, 0] == 0
    panel.wheel_gesture_timer.timeout.emit()  # ... as does a pause of the wheel (stepped, no sleep)
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert window.model.z[0, 0] == 0.0


def test_ctrl_drag_nudges_and_pushes_one_step_on_release(window, qtbot):
    view = window.arrays_view
    panel = view.panels["dvalues"]
    start = cell_centre(panel, 0, 0)
    qtbot.mousePress(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, start)
    for dy in range(6, 61, 6):
        qtbot.mouseMove(panel, start - QPoint(0, dy))
    qtbot.mouseRelease(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                       start - QPoint(0, 60))
    assert window.model.dvalues[0, 0] == pytest.approx(2.0)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.model.dvalues[0, 0] == 1.0


def test_hover_links_all_four_panels_and_explains_in_status_bar(window, qtbot):
    view = window.arrays_view
    qtbot.mouseMove(view.panels["drelu"], cell_centre(view.panels["drelu"], 1, 2))
    assert view.hover == (1, 2)
    assert all(panel.hover == (1, 2) for panel in view.panels.values())
    assert window.status_label.text() == (
        "z[1, 2] = -1.0 → z <= 0 is True → drelu[1, 2] = 0 (dvalues was 7.0)")
    outline = view.panels["mask"].grab().toImage()
    box = view.panels["mask"].cell_rect(1, 2)
    edge = outline.pixelColor(int(box.left() + box.width() / 2), int(box.top()))
    assert rgb(edge) != MASK_TRUE_RGB  # an outline is painted on the linked cell


def test_the_inclusive_switch_changes_what_exact_zero_does(window, qtbot):
    view = window.arrays_view
    view.load_preset("exact-zeros")
    assert window.model.mask[0, 0] and window.model.mask[0, 1]
    qtbot.keyClick(view.panels["z"], Qt.Key.Key_Less, Qt.KeyboardModifier.ControlModifier)
    assert not window.model.inclusive
    assert not window.model.mask[0, 0] and window.model.drelu[0, 1] == 2
    assert view.panels["mask"].renderer is not None
    assert "mask = z < 0" == view.panel_data("mask").title
    assert view.inclusive_combo.currentIndex() == 1
    view.inclusive_combo.setCurrentIndex(0)
    view.inclusive_combo.activated.emit(0)
    assert window.model.inclusive and shown_matches_fresh_relu(window)


def test_resize_with_the_shape_controls_and_refuse_too_big(window, qtbot):
    view = window.arrays_view
    view.rows_spin.setValue(5)
    view.rows_spin.editingFinished.emit()
    assert window.model.shape == (5, 4) and window.model.z[4].tolist() == [0, 0, 0, 0]
    view.cols_spin.setValue(5000)
    view.cols_spin.editingFinished.emit()
    assert window.model.shape == (5, 4)
    assert "4096×4096" in window.status_label.text()
    assert view.cols_spin.value() == 4


def test_presets_randomize_fill_negate_zero_and_undo(window, qtbot):
    view = window.arrays_view
    index = view.preset_combo.findData("nnfs-batch")
    view.preset_combo.setCurrentIndex(index)
    view.preset_combo.activated.emit(index)
    assert window.model.shape == (100, 64) and shown_matches_fresh_relu(window)
    qtbot.mouseClick(view.findChild(QPushButton, "randomize_button"), Qt.MouseButton.LeftButton)
    first = window.model.z.copy()
    seed = view.seed_spin.value()  # the box shows the seed that reproduces them
    view.randomize(seed)
    assert window.model.z.tobytes() == first.tobytes()
    view.select("z", 0, 0)
    view.negate("z")
    assert window.model.z.tobytes() == (-first).tobytes()
    view.fill("dvalues", "2")
    assert (window.model.dvalues == 2).all()
    view.fill("dvalues", "abc")
    assert "not a number" in window.status_label.text() and (window.model.dvalues == 2).all()
    view.zero("z")
    assert window.model.mask.all()
    for _ in range(5):
        window.undo_stack.undo()
    assert window.model.shape == (100, 64) and shown_matches_fresh_relu(window)


def test_undo_redo_shortcuts(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    click_cell(qtbot, panel, 0, 0)
    type_into_cell(qtbot, panel, "-5")
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.z[0, 0] == 1 and window.model.drelu[0, 0] == 1
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.model.z[0, 0] == -5 and window.model.drelu[0, 0] == 0


def test_the_status_bar_follows_undo_and_redo(window, qtbot):
    """Ctrl+Z / Ctrl+Shift+Z change the arrays under the selection: the status bar describes the
    selected cell as it now is, never the undone value."""
    view = window.arrays_view
    panel = view.panels["z"]
    click_cell(qtbot, panel, 0, 0)
    type_into_cell(qtbot, panel, "-3")
    assert window.status_label.text().startswith("z[0, 0] = -3.0 → ")
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.z[0, 0] == 1
    assert "-3" not in window.status_label.text()
    assert window.status_label.text() == window.model.describe_cell(*view.selection)
    click_cell(qtbot, panel, 0, 0)  # the cell itself selected: its undone value is described
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.model.z[0, 0] == -3
    assert window.status_label.text() == window.model.describe_cell(0, 0)
    assert window.status_label.text().startswith("z[0, 0] = -3.0 → ")
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status_label.text().startswith("z[0, 0] = 1.0 → ")


def test_an_open_editor_is_cancelled_when_the_arrays_change(window, qtbot):
    view = window.arrays_view
    view.load_preset("nnfs-batch")
    panel = view.panels["z"]
    view.select("z", 90, 60)
    qtbot.keyClicks(panel, "7")
    assert panel.is_editing
    view.resize_arrays(3, 4)
    assert not panel.is_editing and "Edit cancelled" in window.status_label.text()
    assert window.model.shape == (3, 4)


def test_zoom_keys_do_not_start_typing(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    before = panel.resolved_view().cell_px
    qtbot.keyClick(panel, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert not panel.is_editing and panel.resolved_view().cell_px == pytest.approx(before * 0.8)
    qtbot.keyClick(view.panels["mask"], Qt.Key.Key_Plus)
    assert panel.resolved_view().cell_px == pytest.approx(before)
    qtbot.keyClick(panel, Qt.Key.Key_Minus)  # plain minus on an editable panel types a number
    assert panel.is_editing and panel.editor.text() == "-"


def test_tall_batches_fill_the_panel_instead_of_a_sliver(window):
    view = window.arrays_view
    view.replace_arrays(np.ones((300, 6)), np.ones((300, 6)), "tall", refit=True)
    panel = view.panels["z"]
    array_width = panel.cell_rect(0, 5).right() - panel.cell_rect(0, 0).left()
    assert array_width > 0.8 * panel.plot_rect().width()


def test_preset_box_says_when_the_arrays_are_your_own(window, qtbot):
    view = window.arrays_view
    assert view.preset_combo.currentData() == "book"  # the app opens on the book's example
    view.load_preset("all-blocked")
    assert view.preset_combo.currentData() == "all-blocked"
    view.commit_text("z", 0, 0, "1")
    assert view.preset_combo.currentData() is None


def test_wheel_zooms_drag_pans_and_f_fits(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    before = panel.resolved_view().cell_px
    wheel(panel, cell_centre(panel, 1, 1), 2)
    assert panel.resolved_view().cell_px == pytest.approx(before * 1.44)
    assert view.panels["drelu"].resolved_view().cell_px == pytest.approx(before * 1.44)
    origin = panel.resolved_view().origin_col
    start = cell_centre(panel, 1, 1)
    qtbot.mousePress(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    qtbot.mouseMove(panel, start + QPoint(40, 0))
    qtbot.mouseRelease(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(40, 0))
    assert panel.resolved_view().origin_col < origin
    qtbot.keyClick(panel, Qt.Key.Key_F)
    assert view.view_state.fit and panel.resolved_view().cell_px == pytest.approx(before)


def _array_pixels(panel) -> list[tuple[int, int, int]]:
    image = panel.grab().toImage()
    box = panel.cell_rect(0, 0).united(panel.cell_rect(*(n - 1 for n in panel._data_source().values.shape)))
    box = box.intersected(panel.plot_rect()).toAlignedRect().adjusted(1, 1, -1, -1)
    return [rgb(image.pixelColor(x, y)) for y in range(box.top(), box.bottom()) for x in range(box.left(), box.right())]


def test_a_single_blocked_cell_shows_at_2048(window, qtbot):
    view = window.arrays_view
    z = np.ones((2048, 2048))
    z[1234, 777] = -1.0
    view.replace_arrays(z, np.full_like(z, 0.5), "one blocked", refit=True)
    for role in ("mask", "drelu"):
        pixels = _array_pixels(view.panels[role])
        background = max(set(pixels), key=pixels.count)
        marked = [p for p in pixels if sum(abs(a - b) for a, b in zip(p, background, strict=True)) > 40]
        # Visible (shaded toward the blocked colour) and only around that one cell.
        assert 1 <= len(marked) <= 9, (role, len(marked))


def test_zoomed_out_half_blocked_data_does_not_look_all_blocked(window, qtbot):
    view = window.arrays_view
    z = np.random.default_rng(3).standard_normal((2048, 2048))
    view.replace_arrays(z, np.ones_like(z), "random", refit=True)
    pixels = _array_pixels(view.panels["mask"])
    fully_blocked = sum(1 for p in pixels if p == MASK_TRUE_RGB)
    unblocked = sum(1 for p in pixels if p == MASK_FALSE_RGB)
    assert fully_blocked < 0.05 * len(pixels) and unblocked < 0.05 * len(pixels)
    # Fifty-fifty data looks like a mid shade between the two mask colours.
    mean_green = sum(p[1] for p in pixels) / len(pixels)
    assert MASK_TRUE_RGB[1] + 30 < mean_green < MASK_FALSE_RGB[1] - 30


def test_colour_of_a_passing_drelu_cell_equals_its_dvalues_cell(window, qtbot):
    view = window.arrays_view
    zero = tuple(int(c) for c in lookup_table(view.document.colormap)[128][:3])
    assert rgb(cell_colour(view.panels["drelu"], 0, 2)) == zero  # blocked: the scale's zero colour
    assert cell_colour(view.panels["drelu"], 2, 2) == cell_colour(view.panels["dvalues"], 2, 2)


def test_an_edit_beyond_the_range_grows_it_and_fit_shrinks_it(window, qtbot):
    view = window.arrays_view
    panel = view.panels["dvalues"]
    click_cell(qtbot, panel, 0, 0)
    type_into_cell(qtbot, panel, "35")
    assert view.document.grad_range == 40
    click_cell(qtbot, panel, 0, 0)
    type_into_cell(qtbot, panel, "1")
    assert view.document.grad_range == 40
    view.fit()
    assert view.document.grad_range == 15
    window.undo_stack.undo()  # a fit of the colour ranges is undoable
    assert view.document.grad_range == 40
    window.undo_stack.redo()
    assert view.document.grad_range == 15


def test_exact_zero_is_marked_in_z(window, qtbot):
    view = window.arrays_view
    view.load_preset("exact-zeros")
    panel = view.panels["z"]
    image = panel.grab().toImage()
    box = panel.cell_rect(0, 1)  # -0.0
    inset = max(2.0, box.width() * 0.08)
    marked = [image.pixelColor(int(box.left() + inset), int(box.top() + inset + k)) for k in range(6)]
    assert any(rgb(c) == (11, 122, 117) for c in marked)


def test_exactly_0_legend_follows_typed_zeros(window, qtbot):
    # The model counts z's zeros as cells are typed (no rescan per edit); the legend beside the
    # colour bar must still appear with the first exact 0 and go with the last.
    view = window.arrays_view
    z = (np.arange(1600.0) - 799.5).reshape(40, 40)
    view.replace_arrays(z, np.ones((40, 40)), "no zeros", refit=True)
    assert not np.any(view.document.z == 0)
    panel = view.panels["z"]
    right_of_cells = int(panel.cell_rect(0, 39).right()) + 3

    def beside_cells() -> list[tuple[int, int, int]]:
        qtbot.wait(1)
        image = panel.grab().toImage()
        return [rgb(image.pixelColor(x, y)) for x in range(right_of_cells, image.width(), 2)
                for y in range(0, image.height(), 2)]

    without_zero = beside_cells()
    click_cell(qtbot, panel, 3, 4)
    type_into_cell(qtbot, panel, "0")
    assert view.document.z[3, 4] == 0
    with_zero = beside_cells()
    assert with_zero != without_zero
    assert (11, 122, 117) in with_zero  # the legend's dashed "exactly 0" box
    click_cell(qtbot, panel, 3, 4)
    type_into_cell(qtbot, panel, "-0.5")
    assert beside_cells() == without_zero


def _on_screen(window, panel, x: int, y: int) -> tuple[int, int, int]:
    """The pixel the window shows now (its backing store), not a fresh repaint like grab()."""
    image = window.screen().grabWindow(window.winId()).toImage()
    at = panel.mapTo(window, QPoint(x, y))
    return rgb(image.pixelColor(at.x(), at.y()))


def test_focus_frame_follows_the_panel_and_its_cell_editor(window, qtbot):
    view = window.arrays_view
    z_panel, mask_panel = view.panels["z"], view.panels["mask"]
    accent, background = rgb(view.theme.accent), rgb(view.theme.panel)
    click_cell(qtbot, z_panel, 1, 1)
    QApplication.processEvents()
    assert _on_screen(window, z_panel, 0, 60) == accent
    qtbot.keyClicks(z_panel, "5")  # the editor opens inside the panel: the frame stays
    QApplication.processEvents()
    assert z_panel.is_editing and _on_screen(window, z_panel, 0, 60) == accent
    mask_panel.setFocus()  # the focus leaves the editor for another panel: the frame goes with it
    QApplication.processEvents()
    assert _on_screen(window, z_panel, 0, 60) == background
    assert _on_screen(window, mask_panel, 0, 60) == accent


def test_a_typed_edit_repaints_only_the_cells_it_changed(window, qtbot):
    # No whole-panel repaint per edit: its cost would grow with the panel, and at 4096² it did.
    view = window.arrays_view
    view.resize_arrays(64, 64)
    panel = view.panels["z"]
    click_cell(qtbot, panel, 10, 20)
    QApplication.processEvents()
    painted: dict[str, list[QRect]] = {role: [] for role in view.panels}

    class Recorder(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                painted[watched.role].append(event.region().boundingRect())
            return False

    recorder = Recorder()
    for each in view.panels.values():
        each.installEventFilter(recorder)
    type_into_cell(qtbot, panel, "-0.5")
    QApplication.processEvents()
    for each in view.panels.values():
        each.removeEventFilter(recorder)
    assert view.document.z[10, 20] == -0.5 and view.document.mask[10, 20]
    assert painted["z"] and painted["mask"] and painted["drelu"]
    area = panel.width() * panel.height()
    for role, rects in painted.items():
        assert all(rect.width() * rect.height() < area / 20 for rect in rects), (role, rects)


def test_dark_theme_and_presentation_style_repaint(window, qtbot):
    window.dark_action.trigger()
    assert window.arrays_view.theme.name == "dark"
    window.presentation_action.trigger()
    assert window.arrays_view.theme.scale == pytest.approx(1.5)
    image = window.arrays_view.panels["z"].grab().toImage()
    assert rgb(image.pixelColor(3, 3)) == (20, 21, 24)
    assert window.palette().color(window.palette().ColorRole.Window).name() == "#1e1f22"


def test_colour_bars_and_legends_are_painted_on_screen(window, qtbot):
    from reluviz.core.colour import lookup_table

    window.resize(1600, 900)
    qtbot.wait(0)
    top = tuple(int(c) for c in lookup_table(window.arrays_doc.colormap)[255][:3])
    for role in ("z", "dvalues", "drelu"):
        image = window.arrays_view.panels[role].grab().toImage()
        colours = {rgb(image.pixelColor(x, y)) for x in range(image.width()) for y in range(image.height())}
        # The colour bar's top end (smoothly scaled, so allow a little blending).
        assert any(sum(abs(a - b) for a, b in zip(c, top, strict=True)) < 24 for c in colours), role
    image = window.arrays_view.panels["mask"].grab().toImage()
    plot = window.arrays_view.panels["mask"].plot_rect()
    last_cell = window.arrays_view.panels["mask"].cell_rect(2, 3)
    legend = [rgb(image.pixelColor(x, y)) for x in range(int(last_cell.right()) + 2, int(plot.right()))
              for y in range(int(plot.top()), int(plot.top()) + 40)]
    assert MASK_TRUE_RGB in legend  # the True swatch beside the array


def test_blocked_shading_equals_the_plain_blend():
    # Sub-pixel cells: each pixel blends toward the blocked colour by its blocked fraction; the
    # channel-by-channel version must give the bytes of the plain float32 formula.
    from reluviz.render.heatmap_colour import MIN_BLOCKED_SHADE, shade_blocked

    rng = np.random.default_rng(5)
    rgba = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    fraction = (rng.integers(0, 19, size=(37, 53)) / 18).astype(np.float32)
    shade = np.where(fraction > 0, MIN_BLOCKED_SHADE + (1 - MIN_BLOCKED_SHADE) * fraction, 0.0)[..., None]
    target = np.asarray((47, 54, 64), dtype=np.float32)
    expected = rgba.copy()
    expected[..., :3] = np.rint(rgba[..., :3] * (1 - shade) + target * shade).astype(np.uint8)
    assert shade_blocked(rgba.copy(), fraction, (47, 54, 64)).tobytes() == expected.tobytes()
