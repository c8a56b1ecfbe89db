"""A pasted "1,000" reads as 1000 or as 1.0: the app asks which, and never guesses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from reluviz.ui.main_window import MainWindow

from .helpers import click_cell


def paste_with_ctrl_v(qtbot, window: MainWindow, text: str) -> None:
    panel = window.arrays_view.panels["z"]
    QGuiApplication.clipboard().setText(text)
    click_cell(qtbot, panel, 0, 0)
    qtbot.keyClick(panel, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize(("reading", "expected"), [("thousands", [1000.0, 2.0]), ("decimal", [1.0, 2.0])])
def test_the_chosen_reading_is_pasted(window, qtbot, reading, expected):
    asked = []

    def choose(error):
        asked.append(error.cell)
        return getattr(error, reading)

    window.arrays_view.choose_comma_reading = choose
    paste_with_ctrl_v(qtbot, window, "1,000\t2\n")
    assert asked == ["1,000"]
    assert window.model.z[0, :2].tolist() == expected
    assert window.undo_stack.count() == 1


def test_declining_to_choose_changes_nothing_and_says_both_readings(window, qtbot):
    before = window.model.z.tobytes()
    window.arrays_view.choose_comma_reading = lambda error: None
    paste_with_ctrl_v(qtbot, window, "1,000\t2\n")
    assert window.model.z.tobytes() == before and window.undo_stack.count() == 0
    status = window.status_label.text()
    assert "Paste refused" in status and "reads as 1000" in status and "or as 1.0" in status


def test_a_decimal_comma_paste_asks_nothing(window, qtbot):
    window.arrays_view.choose_comma_reading = lambda error: pytest.fail("asked about an unambiguous paste")
    paste_with_ctrl_v(qtbot, window, "1,5\t-2,25\n")
    assert window.model.z[0, :2].tolist() == [1.5, -2.25]


@pytest.mark.parametrize(("button_text", "expected"), [("1000 (thousands)", 1000.0), ("1.0 (decimal comma)", 1.0),
                                                        ("Cancel", 1.0)])
def test_the_real_question_box_offers_both_readings(window, qtbot, monkeypatch, button_text, expected):
    """The main window's own dialog, answered by clicking its button instead of running its loop."""
    seen: list[str] = []

    def answer(box: QMessageBox) -> int:
        seen.append(box.text())
        clicked = [button for button in box.buttons() if button.text() == button_text]
        assert len(clicked) == 1, [button.text() for button in box.buttons()]
        clicked[0].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    paste_with_ctrl_v(qtbot, window, "1,000\t2\n")
    assert seen and "1000 (comma as thousands separator) or 1.0 (decimal comma)" in seen[0]
    assert window.model.z[0, 0] == expected
    assert (window.undo_stack.count() == 1) == (button_text != "Cancel")
