"""The questions the main window asks the user, each a plain function of its parent widget.

The window offers each one as a method of the same name (``MainWindow.confirm_reshape`` …) that
tests replace (``window.confirm_reshape = lambda question: "0"``), so no test ever opens a modal
dialog; the window's own code always asks through those methods, never through these directly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from reluviz.core.explorer import ReshapeQuestion
from reluviz.core.io.paste import AmbiguousCommaError

__all__ = [
    "ask_lesson_path",
    "ask_restore_autosave",
    "ask_save_changes",
    "choose_comma_reading",
    "confirm_overwrite",
    "confirm_reshape",
    "confirm_resize",
    "reshape_dialog",
]

LESSON_FILTER = "Lesson deck (*.pdf);;One PNG per page (*.png);;One SVG per page (*.svg)"


def confirm_overwrite(parent: QWidget, path: Path) -> bool:
    """Ask before replacing an existing file the save dialog did not ask about."""
    answer = QMessageBox.question(parent, "Replace file?", f"{path.name} already exists. Replace it?")
    return answer == QMessageBox.StandardButton.Yes


def ask_save_changes(parent: QWidget) -> str:
    """Ask Save / Discard / Cancel; returns ``"save"``, ``"discard"`` or ``"cancel"``."""
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    answer = QMessageBox.question(parent, "Unsaved changes", "Save the changes to this session first?", buttons,
                                  QMessageBox.StandardButton.Save)
    return {QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")


def ask_restore_autosave(parent: QWidget, path: Path) -> bool:
    """Ask whether to restore the autosave at ``path``."""
    answer = QMessageBox.question(
        parent, "Restore unsaved work?",
        "reluviz stopped last time with unsaved changes. Restore the session autosaved then?\n\n"
        f"({path})",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def ask_lesson_path(parent: QWidget) -> str:
    """Ask where to write the lesson deck (``""`` when cancelled)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export lesson", "lesson.pdf", LESSON_FILTER)
    return path


def confirm_resize(parent: QWidget, question: str) -> bool:
    """Ask whether a paste that does not fit may grow the arrays."""
    answer = QMessageBox.question(parent, "Paste does not fit", question)
    return answer == QMessageBox.StandardButton.Yes


def choose_comma_reading(parent: QWidget, error: AmbiguousCommaError) -> np.ndarray | None:
    """Ask whether a pasted "1,000" means 1000 or 1.0; the chosen array, or ``None`` to cancel."""
    thousands = str(int(error.cell.replace(",", "")))
    decimal = repr(float(error.cell.replace(",", ".")))
    box = QMessageBox(QMessageBox.Icon.Question, "Which numbers did you mean?",
                      f"The pasted {error.cell!r} can be read two ways: {thousands} (comma as thousands "
                      f"separator) or {decimal} (decimal comma), 1000× apart. Every comma in the paste "
                      "is read the same way.", QMessageBox.StandardButton.Cancel, parent)
    as_thousands = box.addButton(f"{thousands} (thousands)", QMessageBox.ButtonRole.AcceptRole)
    as_decimal = box.addButton(f"{decimal} (decimal comma)", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked == as_thousands:
        return error.thousands
    return error.decimal if clicked == as_decimal else None


def confirm_reshape(parent: QWidget, question: ReshapeQuestion) -> str | None:
    """Ask how an opened or pasted array of another shape may reshape the other array.

    Returns the fill value for new cells as typed (``"0"``), or ``None`` if the user cancels.
    """
    dialog, fill_edit = reshape_dialog(parent, question)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return fill_edit.text()


def reshape_dialog(parent: QWidget, question: ReshapeQuestion) -> tuple[QDialog, QLineEdit]:
    """Build (not show) the reshape question: the text, a fill value when cells are added, buttons."""
    dialog = QDialog(parent)
    dialog.setObjectName("reshape_dialog")
    dialog.setWindowTitle(f"Reshape {question.other}?")
    form = QFormLayout(dialog)
    text = QLabel(question.text, dialog)
    text.setWordWrap(True)
    form.addRow(text)
    fill_edit = QLineEdit("0", dialog, objectName="reshape_fill")
    if question.new_cells:
        hint = " (z <= 0 blocks: 0 or less is blocked)" if question.other == "z" else ""
        form.addRow(f"Fill new cells of {question.other} with{hint}:", fill_edit)
    else:
        fill_edit.hide()
    buttons = QDialogButtonBox(dialog)
    buttons.addButton(f"Resize {question.other}", QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog, fill_edit
