"""``reluviz --self-test``: prove an installed app or a bundle works, end to end, without a screen.

It starts the real main window offscreen, makes an edit through the same path a typed cell takes,
checks the recomputed ``drelu``, exports a PNG (and, where MP4 is offered, a short MP4 through the
bundled ffmpeg), prints the versions of Python, Qt, PySide6, NumPy and the rest, and ends with
``OK`` (exit 0). Any failure prints one line starting ``self-test FAILED:`` on stderr (exit 1).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

__all__ = ["run_self_test"]


class SelfTestError(Exception):
    """One check of the self-test did not hold; the message says which and what was seen."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestError(what)


def _quiet_offscreen_notices() -> None:
    """Drop the offscreen platform's "This plugin does not support ..." notices; pass on the rest.

    They say the headless platform cannot resize or raise windows, which the self-test never needs,
    and would read like a failure to a user (the test suite ignores them the same way).
    """
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind, _context, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(handler)


def _check_window(folder: Path, say: Callable[[str], None]) -> None:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from reluviz.core.explorer import ExplorerModel
    from reluviz.render import figures, writers
    from reluviz.render.fonts import load_app_fonts, ui_font
    from reluviz.render.theme import LIGHT
    from reluviz.resources_path import resources_dir
    from reluviz.ui.app_identity import APP_ID, app_icon
    from reluviz.ui.export_dialog import panels_from_view
    from reluviz.ui.main_window import MainWindow

    _quiet_offscreen_notices()
    # The set-up reluviz.ui.app.run_app makes, without its error dialog (a failure must be reported).
    app = QApplication.instance() or QApplication(["reluviz-self-test"])
    app.setStyle("Fusion")
    app.setApplicationName("reluviz")
    app.setOrganizationName("reluviz")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    _check(len(load_app_fonts()) > 0, "the shipped fonts did not load from resources/fonts")
    app.setFont(ui_font(10))
    say(f"resources: {resources_dir()}")
    _check(not app.windowIcon().isNull(), "the app icon did not load from resources/icons")
    window = MainWindow(ExplorerModel())
    window.resize(1280, 720)
    window.show()
    app.processEvents()
    _check(window.isVisible(), "the main window did not open")
    before = float(window.model.drelu[0, 0])
    # The path a typed cell commits through (parse, dtype check, undo step, live recompute).
    _check(window.arrays_view.commit_text("z", 0, 0, "-5"), "typing -5 into z[0, 0] was refused")
    app.processEvents()
    _check(float(window.model.z[0, 0]) == -5.0 and before == 1.0 and float(window.model.drelu[0, 0]) == 0.0,
           f"after z[0, 0] = -5, drelu[0, 0] is {window.model.drelu[0, 0]} (expected 0, was {before})")
    _check(window.undo_stack.count() == 1, "the edit is not one undo step")
    say("window: opened, z[0, 0] = -5 typed, drelu[0, 0] = 0 recomputed")

    figure = figures.arrays_figure(panels_from_view(window.arrays_view), 1280, 720, LIGHT)
    png = writers.write_figure(folder / "self-test.png", figure)
    image = QImage(str(png))
    _check(image.width() == 1280 and image.height() == 720, f"the exported PNG is {image.width()}×{image.height()}")
    _check(len({image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 720, 40)}) > 4,
           "the exported PNG is blank")
    say(f"export: {png.name} 1280×720, {png.stat().st_size} bytes")

    frozen = bool(getattr(sys, "frozen", False))
    if writers.mp4_available():
        small = image.scaled(320, 180)
        mp4 = writers.write_animation(folder / "self-test.mp4", iter([small] * 3), 3, 3.0)
        _check(mp4.stat().st_size > 0, "the MP4 is empty")
        say(f"export: {mp4.name} through imageio-ffmpeg's ffmpeg, {mp4.stat().st_size} bytes")
    else:
        # A bundle always carries ffmpeg (the spec refuses to build without it): MP4 is offered there.
        _check(not frozen, "this bundle lacks imageio-ffmpeg, so its MP4 export would fail")
        say("export: MP4 not offered (the optional imageio-ffmpeg is not installed)")
    window.undo_stack.setClean()  # nothing to save: close without asking
    window.close()
    app.processEvents()


def run_self_test(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the self-test; returns the exit code (0 OK, 1 a check failed).

    Parameters
    ----------
    out, err : text streams, optional
        Where progress and failures go (standard output and error by default).
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    # Offscreen always: the self-test must run the same on a build machine with no display.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    try:
        with tempfile.TemporaryDirectory(prefix="reluviz-self-test-") as folder:
            _check_window(Path(folder), say)
        from reluviz.ui.help import versions

        for name, version in versions().items():
            say(f"{name} {version}")
    except Exception as error:  # every failure, expected or not, is reported the same way
        print(f"self-test FAILED: {type(error).__name__}: {error}", file=err, flush=True)
        return 1
    say("OK")
    return 0
