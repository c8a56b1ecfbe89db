"""The Help menu a new user meets: the 60-second slide, the shortcuts (from the real actions), About."""

from __future__ import annotations

import html
import platform
import re

import numpy
import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTextBrowser

from reluviz.ui.help import QUICKSTART_COMMAND, QUICKSTART_STEPS, VIEW_KEYS
from reluviz.ui.main_window import MainWindow

from .helpers import click_cell, type_into_cell

pytestmark = pytest.mark.window_size(1280, 720)


def plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def help_menu_texts(window: MainWindow) -> list[str]:
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    return [a.text().replace("&", "") for a in help_menu.actions()]


def test_the_help_menu_offers_the_quick_start_the_shortcuts_and_about(window):
    assert help_menu_texts(window) == ["Make a slide in 60 seconds", "Keyboard shortcuts", "About reluviz"]


def test_make_a_slide_lists_the_steps_and_its_copy_button_puts_the_figure_on_the_clipboard(window, qtbot):
    QGuiApplication.clipboard().clear()
    window.findChild(QAction, "help_quickstart").trigger()
    dialog = window.findChild(QDialog, "help_quickstart_dialog")
    assert dialog.isVisible() and not dialog.isModal()
    text = plain(dialog.findChild(QLabel, "quickstart_text").text())
    for step in QUICKSTART_STEPS:
        assert step.replace("`", "") in text
    assert QUICKSTART_COMMAND in text
    qtbot.mouseClick(dialog.findChild(QPushButton, "quickstart_copy_image"), Qt.MouseButton.LeftButton)
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (1920, 1080)
    # Triggering it again shows the same dialog, not a second one.
    window.findChild(QAction, "help_quickstart").trigger()
    assert len(window.findChildren(QDialog, "help_quickstart_dialog")) == 1


def test_the_quick_start_steps_work_as_written(window, qtbot):
    """Step 2 says: the 1 at the top left of z, typed -3, blocks that cell and zeroes drelu there."""
    assert window.model.z[0, 0] == 1 and window.model.drelu[0, 0] == 1
    click_cell(qtbot, window.arrays_view.panels["z"], 0, 0)
    type_into_cell(qtbot, window.arrays_view.panels["z"], "-3")
    assert window.model.z[0, 0] == -3 and bool(window.model.mask[0, 0]) and window.model.drelu[0, 0] == 0


def shortcuts_text(window: MainWindow) -> str:
    return window.findChild(QDialog, "help_shortcuts_dialog").findChild(QTextBrowser, "shortcuts_text").toPlainText()


def test_f1_lists_every_shortcut_from_the_windows_own_actions(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    text = shortcuts_text(window)
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            assert key.toString(QKeySequence.SequenceFormat.NativeText) in text, action.text()
    assert "Save session" in text and "Toggle z <= 0 / z < 0" in text
    for _where, keys, what in VIEW_KEYS:
        assert keys in text and what in text


def test_the_shortcut_list_follows_an_action_added_later(window):
    """Generated, not a hand-kept copy: a new action with a shortcut shows up."""
    extra = QAction("Frobnicate the gradient", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+G"))
    window.addAction(extra)
    window.findChild(QAction, "help_keys").trigger()
    text = shortcuts_text(window)
    assert "Frobnicate the gradient" in text
    assert QKeySequence("Ctrl+Alt+G").toString(QKeySequence.SequenceFormat.NativeText) in text


def test_about_shows_the_versions_and_copies_them(window, qtbot):
    QGuiApplication.clipboard().clear()
    window.findChild(QAction, "about").trigger()
    dialog = window.findChild(QDialog, "help_about_dialog")
    text = plain(dialog.findChild(QLabel, "about_text").text())
    for expected in (qVersion(), PySide6.__version__, numpy.__version__, platform.python_version(), "MIT"):
        assert expected in text
    qtbot.mouseClick(dialog.findChild(QPushButton, "about_copy_versions"), Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"Qt {qVersion()}" in copied and f"NumPy {numpy.__version__}" in copied
