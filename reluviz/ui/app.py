"""Start the desktop app: QApplication, shipped fonts, the error dialog, the main window."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

import numpy as np
from PySide6.QtWidgets import QApplication, QMessageBox

from reluviz.core.explorer import ExplorerModel
from reluviz.ui.fonts import load_app_fonts, ui_font

__all__ = ["run_app"]


def _install_error_dialog() -> None:
    """Show unexpected exceptions in a dialog with copyable details instead of dying.

    Installed by the app only: in tests pytest-qt must see every exception so it fails the test.
    """

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        sys.stderr.write(details)
        box = QMessageBox(QMessageBox.Icon.Critical, "reluviz: unexpected error",
                          f"{kind.__name__}: {error}\n\nYour arrays are unchanged.")
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook


def run_app(z: np.ndarray | None = None, dvalues: np.ndarray | None = None,
            argv: list[str] | None = None) -> int:
    """Open the main window (on the book's example unless arrays are given) and run Qt's loop."""
    from reluviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("reluviz")
    app.setOrganizationName("reluviz")
    load_app_fonts()
    app.setFont(ui_font(10))
    _install_error_dialog()
    window = MainWindow(ExplorerModel(z, dvalues))
    window.show()
    return app.exec()
