"""The main window's Network → Arrays hand-off, driven through the real window and its buttons."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from reluviz.ui.main_window import MainWindow


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal by dtype, shape and bytes (``array_equal`` would hide -0.0 against 0.0)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _show_network(window: MainWindow, qtbot):
    view = window.network_view
    assert view is not None, "the Network view should be in the main window"
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    return view


@pytest.mark.parametrize(("preset", "relu_index"), [("default", 0), ("default", 1), ("book", 0)])
def test_open_relu_in_arrays_hands_over_the_layers_tensors(window: MainWindow, qtbot, preset, relu_index) -> None:
    view = _show_network(window, qtbot)
    view.set_preset(preset)
    button = view.open_buttons[relu_index]
    assert button.text() == f"Open ReLU {relu_index + 1} in arrays"
    assert button.isVisible()
    layer = view.record.relus[relu_index]
    live = view.run.network.relu_layers[relu_index]
    assert live.inputs is not None and live.dvalues is not None and live.dinputs is not None
    before = {name: getattr(live, name).tobytes() for name in ("inputs", "dvalues", "dinputs")}
    recorded = {name: getattr(layer, name).tobytes() for name in ("inputs", "dvalues", "dinputs")}

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert window.tabs.currentWidget() is window.arrays_view
    model = window.model
    assert _same(model.z, layer.inputs)
    assert _same(model.dvalues, layer.dvalues)
    # The explorer's own recompute gives the network's ReLU backward, byte for byte.
    assert _same(model.drelu, layer.dinputs)
    assert _same(model.drelu, live.dinputs)
    assert not np.shares_memory(model.z, live.inputs)
    assert not np.shares_memory(model.dvalues, live.dvalues)

    # Editing the arrays never reaches back into the network.
    assert window.arrays_view.commit_text("z", 0, 0, "-5")
    assert model.z[0, 0] == -5
    assert window.arrays_view.commit_text("dvalues", 1, 1, "123")
    for name in ("inputs", "dvalues", "dinputs"):
        assert getattr(live, name).tobytes() == before[name], name
        assert getattr(layer, name).tobytes() == recorded[name], name


def test_open_in_arrays_is_one_undo_step(window: MainWindow, qtbot) -> None:
    original_z = window.model.z.copy()
    view = _show_network(window, qtbot)
    qtbot.mouseClick(view.open_buttons[0], Qt.MouseButton.LeftButton)
    assert window.model.z.shape == view.record.relus[0].inputs.shape
    window.undo_stack.undo()
    assert _same(window.model.z, original_z)


def test_closing_the_main_window_stops_every_network_timer(window: MainWindow, qtbot) -> None:
    view = _show_network(window, qtbot)
    view.play()
    assert view.playing
    assert any(t.isActive() for t in view.findChildren(QTimer))
    window.close()
    assert not view.playing
    assert not any(t.isActive() for t in view.findChildren(QTimer))


def test_leaving_the_network_tab_pauses_the_animation(window: MainWindow, qtbot) -> None:
    view = _show_network(window, qtbot)
    view.play()
    view.train_button.click()  # keeps playing: it was playing before
    assert view.playing
    window.tabs.setCurrentWidget(window.arrays_view)
    assert not view.playing
    assert not any(t.isActive() for t in view.findChildren(QTimer))
