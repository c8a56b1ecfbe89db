"""Fixtures for UI tests: shipped fonts loaded, settings in a temp folder, no real dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from reluviz.render.fonts import load_app_fonts


@pytest.fixture(autouse=True)
def _app_fonts(qapp):
    """Every UI test paints with the shipped fonts, as the app does."""
    load_app_fonts()
    yield


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, qapp):
    """Point QSettings at a temporary folder so tests never read or write the user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QCoreApplication.setOrganizationName("reluviz-tests")
    QCoreApplication.setApplicationName("reluviz-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A modal dialog would block a headless test forever: make any attempt fail loudly instead.

    Closing a window with unsaved changes answers "discard" (tests that check the question replace
    ``ask_save_changes`` themselves).
    """
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from reluviz.ui.main_window import MainWindow

    def refuse(*args, **kwargs):
        raise AssertionError(f"a modal dialog was opened in a test: {args[1:3]!r}")

    for name in ("question", "information", "warning", "critical", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refuse)
    monkeypatch.setattr(QInputDialog, "getText", refuse)
    # Instance exec() blocks too (Preferences, Export, the error dialog): refuse it the same way.
    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(QDialog, "exec", lambda self: refuse(self, self.windowTitle()))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: refuse(self, self.windowTitle(), self.text()))
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    yield


@pytest.fixture(autouse=True)
def _isolated_autosave(tmp_path_factory, monkeypatch):
    """Point the autosave (normally the app's data folder) at a temporary folder."""
    from reluviz.ui.autosave import AUTOSAVE_DIR_ENV

    monkeypatch.setenv(AUTOSAVE_DIR_ENV, str(tmp_path_factory.mktemp("autosave")))
    yield


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "window_size(width, height): the size the `window` fixture gives the main window before showing it")


@pytest.fixture
def window(request, qtbot):
    """A main window on the book's example, shown and exposed.

    It keeps the size it would open with (settings are isolated, so the first-start size) unless
    the test or its module asks for one: ``pytestmark = pytest.mark.window_size(1280, 820)``.
    """
    from reluviz.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    size = request.node.get_closest_marker("window_size")
    if size is not None:
        win.resize(*size.args)
    win.show()
    qtbot.waitExposed(win)
    return win
