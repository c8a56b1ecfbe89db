"""Render the README screenshot with the app itself: ``python docs/make_screenshot.py``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from reluviz.render.fonts import load_app_fonts, ui_font
from reluviz.ui.main_window import MainWindow


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_app_fonts()
    app.setFont(ui_font(10))
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    view = window.arrays_view
    view.select("z", 1, 2)
    app.processEvents()
    out = Path(__file__).with_name("screenshot.png")
    window.grab().save(str(out))
    if window.network_view is not None:
        network = window.network_view
        window.tabs.setCurrentWidget(network)
        # The moment the app is about: a ReLU's backward step, gates closed, pulses stopped.
        frames = network.timeline.frames
        relu_backward = [f.index for f in frames if f.phase == "backward" and "ReLU" in f.layer_name]
        network.go_to_frame(relu_backward[0] if relu_backward else len(frames) - 1)
        app.processEvents()
        window.grab().save(str(out.with_name("screenshot-network.png")))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
