"""Panels name the focused cell for screen readers; batch arrays say what rows and columns are (#12)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from reluviz.render import heatmap
from reluviz.render.figures import arrays_figure, figure_image
from reluviz.render.theme import LIGHT
from reluviz.ui.export_dialog import panels_from_view

pytestmark = pytest.mark.window_size(1280, 820)


def test_keyboard_moves_are_spoken_with_the_linked_values(qtbot, window):
    view = window.arrays_view
    panel = view.panels["z"]
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    qtbot.keyClick(panel, Qt.Key.Key_Down)
    # The book's z[1, 2] = -1, dvalues 7: blocked.
    assert panel.accessibleName() == "z, row 1, column 2: -1; mask True; drelu 0"
    assert view.panels["drelu"].accessibleName() == "drelu, row 1, column 2: 0; mask True; drelu 0"
    interface = QAccessible.queryAccessibleInterface(panel)
    assert interface.text(QAccessible.Text.Name) == panel.accessibleName()
    qtbot.keyClick(panel, Qt.Key.Key_Up)
    assert panel.accessibleName() == "z, row 0, column 2: -3; mask True; drelu 0"
    # An edit of the selected cell is spoken too.
    qtbot.keyClicks(panel, "5")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Escape)
    view.commit_text("z", 0, 2, "5")
    assert panel.accessibleName() == "z, row 0, column 2: 5; mask False; drelu 3"


def recorded_titles(panels) -> list[str]:
    titles: list[str] = []
    original = heatmap.paint_title

    def spy(painter, rect, data, theme):
        titles.append(f"{data.title}|{data.axis_names}")
        return original(painter, rect, data, theme)

    heatmap.paint_title = spy
    try:
        figure_image(arrays_figure(panels, 1280, 720, LIGHT))
    finally:
        heatmap.paint_title = original
    return titles


def test_a_batch_says_samples_and_units_and_a_plain_array_does_not(qtbot, window):
    view = window.arrays_view
    view.load_preset("nnfs-batch")
    assert view.panel_data("z").axis_names == ("samples", "units")
    assert all("('samples', 'units')" in t for t in recorded_titles(panels_from_view(view)))
    view.load_preset("book")
    assert view.panel_data("z").axis_names is None
    window.open_in_arrays(np.ones((4, 3)), np.ones((4, 3)))
    assert view.panel_data("drelu").axis_names == ("samples", "units")
    view.replace_arrays(np.ones((2, 2)), np.ones((2, 2)), "mine", refit=True)
    assert view.panel_data("z").axis_names is None
