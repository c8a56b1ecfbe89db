"""The main window fits the screen it opens on, and every control is reachable at any size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QPushButton

from reluviz.ui.main_window import MainWindow, default_window_size


class _Screen:
    def __init__(self, width: int, height: int) -> None:
        self._rect = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:
        return self._rect


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    return win


def test_default_size_fits_the_available_screen():
    # A 1280×720 screen less a 40-px task bar: the window (and its title bar) must fit.
    size = default_window_size(_Screen(1280, 680))  # type: ignore[arg-type]
    assert size.width() <= 1280 and size.height() <= 680 - 40
    assert default_window_size(_Screen(2560, 1440)) == QSize(1280, 820)  # type: ignore[arg-type]


def test_the_first_window_fits_the_screen_it_opens_on(window):
    available = window.screen().availableGeometry()
    assert window.width() <= available.width() and window.height() <= available.height()


def _controls(win: MainWindow) -> list:
    bar = win.arrays_view.controls
    return [w for kind in (QComboBox, QAbstractSpinBox, QPushButton) for w in bar.findChildren(kind)
            if w.parent() is bar]


@pytest.mark.parametrize("size", [(1280, 720), (640, 360)])
def test_every_array_control_is_reachable(window, qtbot, size):
    # 640×360 is a 1280×720 screen at 2× scale (QT_SCALE_FACTOR=2), in logical pixels.
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    controls = _controls(window)
    names = {w.objectName() for w in controls}
    assert {"preset_combo", "colormap_combo", "precision_spin", "nudge_step_spin", "fit_button"} <= names
    viewport = window.central_scroll.viewport()
    for control in controls:
        window.central_scroll.ensureWidgetVisible(control, 0, 0)
        assert control.isVisible(), control.objectName()
        top_left = control.mapTo(viewport, control.rect().topLeft())
        shown = QRect(top_left, control.size())
        assert viewport.rect().contains(shown), (control.objectName(), shown, viewport.rect())
    if size == (1280, 720):
        # Nothing scrolls at 1280×720: every control is on screen at once, in one row.
        assert window.central_scroll.horizontalScrollBar().maximum() == 0
        assert window.arrays_view.controls.height() < 2 * max(c.height() for c in controls)


def test_every_array_control_is_also_a_menu_action(window):
    view = window.arrays_view
    colormaps = window.colormap_group.actions()
    other = next(a for a in colormaps if a.data() != view.document.colormap)
    other.trigger()
    assert view.document.colormap == other.data() and view.colormap_combo.currentData() == other.data()
    window.precision_group.actions()[5].trigger()
    assert view.precision_spin.value() == 6 and view.document.precision == 6
    next(a for a in window.nudge_group.actions() if a.data() == 10.0).trigger()
    assert view.step_spin.value() == 10.0 and view.nudge_step == 10.0
    window.findChild(type(window.undo_action), "mask_strict").trigger()
    assert window.model.inclusive is False
    preset = window.findChild(type(window.recent_menu), "preset_menu")
    preset.actions()[-1].trigger()
    assert view.preset_combo.currentIndex() == view.preset_combo.count() - 1
    window.findChild(type(window.undo_action), "fit_arrays").trigger()
    window._sync_arrays_menu()
    assert other.isChecked()


@pytest.mark.parametrize("preset", ["default", "dead"])
def test_network_values_are_legible_in_a_1280x720_window(window, qtbot, preset):
    from PySide6.QtCore import QRectF

    from reluviz.render.network_look import MIN_NODE_TEXT_PX, _Geometry, node_text_font

    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.network_view)
    network = window.network_view
    network.set_preset(preset)  # on the sample it opens on, as a user sees it
    canvas = network.canvas
    assert canvas.height() < 560  # the window's chrome and controls leave the canvas this little
    sizes = set()
    for frame in network.timeline.frames:
        geometry = _Geometry(frame.scene, QRectF(canvas.rect()))
        sizes.add(round(geometry.r, 3))
        for texts in frame.scene.node_text:
            if texts:
                assert node_text_font(texts, geometry.r).pixelSize() >= MIN_NODE_TEXT_PX, (texts, geometry.r)
    assert len(sizes) == 1  # the nodes keep their size as the animation plays
