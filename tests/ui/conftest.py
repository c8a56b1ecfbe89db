"""Fixtures for UI tests: shipped fonts loaded, settings in a temp folder, no real dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from reluviz.ui.fonts import load_app_fonts


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
