"""Start the desktop app: QApplication, shipped fonts, the error dialog, the main window."""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path
from types import TracebackType

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from reluviz.core.arrays_document import ArraysDocument
from reluviz.core.io.session import Session
from reluviz.render.fonts import load_app_fonts, ui_font
from reluviz.ui.app_identity import APP_ID, app_icon

__all__ = ["install_interrupt_handler", "run_app", "show_error_dialog"]

INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, what a shell reports for a program stopped by Ctrl+C
_WAKE_UP_MS = 200


def show_error_dialog(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """Show an unexpected exception with its traceback as copyable details; the app goes on."""
    details = "".join(traceback.format_exception(kind, error, tb))
    sys.stderr.write(details)
    box = QMessageBox(QMessageBox.Icon.Critical, "reluviz: unexpected error",
                      f"{kind.__name__}: {error}\n\nThis is a bug in reluviz. Your arrays are unchanged; "
                      "you can keep working (and save your session). The details can be copied.")
    box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def _install_error_dialog() -> None:
    """Route unexpected exceptions to :func:`show_error_dialog` instead of dying.

    Installed by :func:`run_app` only: in tests pytest-qt must see every exception so it fails.
    """
    sys.excepthook = show_error_dialog


def install_interrupt_handler(app: QCoreApplication) -> QTimer:
    """Make Ctrl+C in the terminal quit the app (exit code 130).

    Python runs a signal handler only between bytecodes, and while Qt's C++ loop waits for
    events no bytecode runs, so Ctrl+C waited forever. A handler that asks Qt's loop to exit,
    plus a timer that hands control to Python a few times a second, fixes both halves.

    Returns
    -------
    QTimer
        The wake-up timer (kept alive by its parent, ``app``).
    """
    signal.signal(signal.SIGINT, lambda _signum, _frame: app.exit(INTERRUPTED_EXIT_CODE))
    wake_up = QTimer(app)
    wake_up.timeout.connect(lambda: None)  # returning to Python is the point: pending handlers run
    wake_up.start(_WAKE_UP_MS)
    return wake_up


def run_app(z: np.ndarray | None = None, dvalues: np.ndarray | None = None,
            argv: list[str] | None = None, session: Session | None = None,
            session_path: Path | None = None, *, take_ownership: bool = False) -> int:
    """Open the main window (on the book's example, given arrays, or a session) and run Qt's loop.

    With ``take_ownership`` the window keeps ``z`` and ``dvalues`` instead of copying them (the
    command line hands over arrays it has just loaded, so a 4096² pair is not held twice).
    """
    from reluviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    # Fusion looks the same on every platform, like the shipped fonts, and honours palettes fully.
    app.setStyle("Fusion")
    app.setApplicationName("reluviz")
    app.setOrganizationName("reluviz")
    app.setDesktopFileName(APP_ID)  # matches resources/desktop/<APP_ID>.desktop
    app.setWindowIcon(app_icon())
    load_app_fonts()
    app.setFont(ui_font(10))
    _install_error_dialog()
    install_interrupt_handler(app)
    window = MainWindow(ArraysDocument(z, dvalues, take_ownership=take_ownership))
    # An autosave left by a crash or a kill comes first: the --session file is still on disk.
    if not window.offer_restore() and session is not None:
        window.apply_session(session, session_path)
    window.show()
    if os.environ.get("RELUVIZ_EXIT_AFTER_FIRST_PAINT"):
        _exit_after_first_paint(app, window)
    return app.exec()


def _exit_after_first_paint(app: QApplication, window: QWidget) -> None:
    """Print ``first-paint`` once the window's first paint pass is done, then leave the loop.

    For ``benchmarks/bench_startup.py`` only (``RELUVIZ_EXIT_AFTER_FIRST_PAINT=1``): it times
    process start → first painted window from outside, the way a user waits for it.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) \
                    and watched.window() is window:
                app.removeEventFilter(self)
                # The whole window paints in one synchronous pass: a zero timer fires after it.
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        print("first-paint", flush=True)
        app.exit(0)

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)
