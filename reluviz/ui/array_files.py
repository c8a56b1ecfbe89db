"""Arrays in and out of files: File → Open array / Save array, and files dropped on a panel.

Plain functions of the main window (which offers each as a method of the same name). A refused
file changes nothing and says why in the status bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from reluviz.core.io.limits import InputError
from reluviz.core.io.session import SESSION_SUFFIX

if TYPE_CHECKING:
    from reluviz.ui.main_window import MainWindow

__all__ = ["ARRAY_FILTER", "ARRAY_SUFFIXES", "on_file_dropped", "open_array", "open_array_dialog", "save_array",
           "save_array_dialog"]

ARRAY_FILTER = "Arrays (*.npy *.csv *.tsv *.txt);;NumPy (*.npy);;CSV (*.csv *.tsv *.txt)"
ARRAY_SUFFIXES = (".npy", ".csv", ".tsv", ".txt")


def open_array_dialog(window: MainWindow, name: str) -> None:
    """Choose a file and load it into ``name``."""
    path, _ = QFileDialog.getOpenFileName(window, f"Open {name}", "", ARRAY_FILTER)
    if path:
        window.open_array(name, Path(path))


def open_array(window: MainWindow, name: str, path: Path | str) -> bool:
    """Load ``path`` into ``z`` or ``dvalues`` (one undo step); see :meth:`MainWindow.open_array`."""
    from reluviz.core.io.array_files import load_array

    path = Path(path)
    try:
        loaded = load_array(path)
    except InputError as error:
        window.show_error(str(error))
        return False
    if window.arrays_view.load_into(name, loaded, f"Open {path.name} into {name}", path.name):
        note = window.arrays_view.last_reshape_note
        window.show_status(f"Opened {path.name} into {name} ({loaded.shape[0]}×{loaded.shape[1]}, "
                           f"{loaded.dtype})" + (f"; {note}" if note else ""))
        return True
    return False


def save_array_dialog(window: MainWindow, name: str) -> None:
    """Choose where to save one array (.npy or .csv)."""
    path, _ = QFileDialog.getSaveFileName(window, f"Save {name}", f"{name}.npy", ARRAY_FILTER)
    if path:
        window.save_array(name, path)


def save_array(window: MainWindow, name: str, path: Path | str) -> bool:
    """Save ``name`` to ``path`` atomically (.npy or .csv, chosen by the extension)."""
    from reluviz.core.io.array_files import save_array as write_array

    try:
        write_array(path, window.model.array(name))
    except InputError as error:
        window.show_error(f"Not saved: {error}")
        return False
    window.show_status(f"Saved {name} to {path}")
    return True


def on_file_dropped(window: MainWindow, role: str, path: str) -> None:
    """Open a file dropped on the ``role`` panel: a session anywhere, an array onto z or dvalues."""
    suffix = Path(path).suffix.lower()
    if suffix == SESSION_SUFFIX:
        window.open_session(path)
    elif suffix in ARRAY_SUFFIXES:
        if role in ("z", "dvalues"):
            window.open_array(role, path)
        else:
            window.show_error(f"{role} is computed: drop an array onto z or dvalues.")
    else:
        window.show_error(f"Cannot open {Path(path).name}: drop a .npy, .csv, .tsv, .txt or .reluviz file.")
