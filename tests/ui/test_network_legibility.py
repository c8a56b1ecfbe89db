"""Network node values stay legible (≥ MIN_NODE_TEXT_PX) in whole-batch mode in a 1280×720 window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from reluviz.render.network_look import MIN_NODE_TEXT_PX, _Geometry, network_look, node_text_font
from reluviz.ui.main_window import MainWindow


@pytest.mark.parametrize("preset", ["default", "dead"])
def test_whole_batch_values_are_legible_in_a_1280x720_window(qtbot, preset) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.network_view)
    network = window.network_view
    network.set_preset(preset)
    network.whole_batch_check.click()  # as a user switches to the batch means
    assert network.timeline.frames[0].scene.sample is None
    canvas = network.canvas
    assert canvas.height() < 560
    scale = network_look(network.theme).scale
    smallest = min(
        node_text_font(texts, _Geometry(f.scene, QRectF(canvas.rect()), scale).r).pixelSize()
        for f in network.timeline.frames
        for texts in f.scene.node_text
        if texts
    )
    assert smallest >= MIN_NODE_TEXT_PX
