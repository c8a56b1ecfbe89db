"""The main window's export actions: File → Export…, Export lesson…, and what the window says (and
offers) when an export finishes or fails. Plain functions of the window, which offers each as a
method (``on_export_finished`` and ``on_export_failed`` are what the export dialog reports to).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from reluviz.core.io.limits import InputError
from reluviz.ui.window_look import window_theme

if TYPE_CHECKING:
    from reluviz.ui.main_window import MainWindow

__all__ = ["export_dialog", "export_lesson", "on_export_failed", "on_export_finished", "open_export_folder"]

# The lesson deck's page size (a 16:9 slide).
LESSON_PAGE_SIZE = (1920, 1080)


def on_export_finished(window: MainWindow, path: str) -> None:
    """Say what an export wrote and where, and offer to open its folder."""
    written = Path(path)
    folder = written if written.is_dir() else written.parent
    window.last_export_folder = folder
    window.show_status(f"Exported {written.name} to {folder}")
    window.open_export_folder_button.show()
    window.open_export_folder_action.setEnabled(True)


def on_export_failed(window: MainWindow, message: str) -> None:
    """Say why an export failed (a dialog too, unless the user cancelled it)."""
    window.show_error(message)
    if "cancelled" not in message:
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, parent=window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def open_export_folder(window: MainWindow) -> bool:
    """Open the folder of the last export in the desktop's file manager (through ``window.open_url``)."""
    if window.last_export_folder is None:
        return False
    if not window.open_url(QUrl.fromLocalFile(str(window.last_export_folder))):
        window.show_error(f"Could not open {window.last_export_folder}: no file manager answered.")
        return False
    return True


def export_lesson(window: MainWindow) -> None:
    """The lesson deck of the current arrays, at 1920×1080, in the window's theme, where the user says."""
    from reluviz.core.network.timeline import build_timeline
    from reluviz.render.lesson_deck import lesson_pages, write_lesson
    from reluviz.render.teaching_pages import Lesson

    path = window.ask_lesson_path()
    if not path:
        return
    arrays, network = window.arrays_doc, window.network_doc
    lesson = Lesson(arrays.z, arrays.dvalues, arrays.inclusive, arrays.colormap)
    try:
        # The network pages show the pass on the Network tab (its preset, sample and training).
        timeline = build_timeline(network.pass_record, network.shown_sample)
        written = write_lesson(path, lesson_pages(lesson, timeline), *LESSON_PAGE_SIZE, window_theme(window))
    except (OSError, InputError) as error:
        window.on_export_failed(str(error))
        return
    window.on_export_finished(str(written[0]))


def export_dialog(window: MainWindow) -> None:
    """Show File → Export… (deleted when closed; a running export reports in the status bar)."""
    from reluviz.ui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exec()
