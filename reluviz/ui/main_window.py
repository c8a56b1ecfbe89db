"""The main window: the Arrays view (and the Network view) in tabs, menus, status bar."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from reluviz import __version__
from reluviz.core.explorer import ExplorerModel
from reluviz.ui.arrays_view import ArraysView
from reluviz.ui.theme import DARK, LIGHT

__all__ = ["MainWindow"]

_ARRAY_FILTER = "Arrays (*.npy *.csv *.tsv *.txt);;NumPy (*.npy);;CSV (*.csv *.tsv *.txt)"


class MainWindow(QMainWindow):
    """reluviz's main window.

    Parameters
    ----------
    model : ExplorerModel, optional
        The arrays to open with; the book's example when omitted.
    """

    def __init__(self, model: ExplorerModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("reluviz — drelu = dvalues.copy(); drelu[z <= 0] = 0")
        self.undo_stack = QUndoStack(self)
        self.arrays_view = ArraysView(model or ExplorerModel(), self.undo_stack, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.arrays_view, "Arrays")
        self.network_view: QWidget | None = self._make_network_view()
        if self.network_view is not None:
            self.tabs.addTab(self.network_view, "Network")
        self.setCentralWidget(self.tabs)

        self.status_label = QLabel(objectName="status_label")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.status_label, 1)
        self.arrays_view.status_message.connect(self._on_status_message)
        self.arrays_view.error_message.connect(self._on_error_message)
        self._build_menus()
        self.resize(1280, 820)
        if self.arrays_view.selection is not None:
            self._on_status_message(self.arrays_view.model.describe_cell(*self.arrays_view.selection))
        self.arrays_view.panels["z"].setFocus()

    @property
    def model(self) -> ExplorerModel:
        """The array explorer's model."""
        return self.arrays_view.model

    def _make_network_view(self) -> QWidget | None:
        try:
            from reluviz.ui.network_view import NetworkView
        except ImportError:
            return None
        view = NetworkView(self)
        view.open_in_arrays_requested.connect(self.open_in_arrays)
        return view

    # -- menus -----------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None,
                name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("Open z…", lambda: self.open_array_dialog("z"), None, "open_z"))
        file_menu.addAction(
            self._action("Open dvalues…", lambda: self.open_array_dialog("dvalues"), None, "open_dvalues"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, "quit"))

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setObjectName("undo")
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)])
        redo.setObjectName("redo")
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        view = self.arrays_view
        edit_menu.addAction(self._action("&Fill selected array…", self.fill_dialog, None, "fill"))
        edit_menu.addAction(self._action("&Negate selected array", lambda: view.negate(view.edit_target),
                                         None, "negate"))
        edit_menu.addAction(self._action("&Zero selected array", lambda: view.zero(view.edit_target),
                                         None, "zero"))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("Toggle z <= 0 / z < 0", view.toggle_operator, "Ctrl+<",
                                         "toggle_operator"))

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self._action("&Fit arrays and colours", view.fit, None, "fit"))
        self.dark_action = self._action("&Dark theme", self._on_dark_toggled, None, "dark_theme")
        self.dark_action.setCheckable(True)
        view_menu.addAction(self.dark_action)
        self.presentation_action = self._action("&Presentation style (large text)",
                                                self._on_dark_toggled, "Ctrl+Shift+P", "presentation")
        self.presentation_action.setCheckable(True)
        view_menu.addAction(self.presentation_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard and mouse", self.show_controls_help, "F1", "help_keys"))
        help_menu.addAction(self._action("&About reluviz", self.show_about, None, "about"))

    # -- actions ---------------------------------------------------------------------------------
    def _on_dark_toggled(self) -> None:
        theme = DARK if self.dark_action.isChecked() else LIGHT
        if self.presentation_action.isChecked():
            theme = theme.scaled(1.5)
        self.arrays_view.set_theme(theme)
        palette_sheet = "" if theme.name == "light" else "QWidget { background: #1e1f22; color: #e8e8e8; }"
        self.setStyleSheet(palette_sheet)

    def fill_dialog(self) -> None:
        """Ask for a value and fill the selected array (z or dvalues) with it."""
        name = self.arrays_view.edit_target
        text, accepted = QInputDialog.getText(self, "Fill", f"Fill every cell of {name} with:", text="0")
        if accepted:
            self.arrays_view.fill(name, text)  # type: ignore[arg-type]

    def open_array_dialog(self, name: str) -> None:
        """Choose a file and load it into ``name``."""
        path, _ = QFileDialog.getOpenFileName(self, f"Open {name}", "", _ARRAY_FILTER)
        if path:
            self.open_array(name, Path(path))

    def open_array(self, name: str, path: Path) -> bool:
        """Load ``path`` into ``z`` or ``dvalues``; a file of another shape resizes the other array.

        Returns ``False`` (with a message in the status bar) when the file is refused.
        """
        from reluviz.core.array_io import load_array  # deferred: only needed when opening

        try:
            loaded = load_array(path)
        except (OSError, ValueError) as error:
            self._on_error_message(f"Could not open {path.name}: {error}")
            return False
        model = self.model
        other_name = "dvalues" if name == "z" else "z"
        other = model.array(other_name)
        if other.shape != loaded.shape:
            resized = np.zeros(loaded.shape, dtype=other.dtype)
            keep = tuple(slice(0, min(a, b)) for a, b in zip(other.shape, loaded.shape, strict=True))
            resized[keep] = other[keep]
            other = resized
        z, dvalues = (loaded, other) if name == "z" else (other, loaded)
        return self.arrays_view.replace_arrays(z, dvalues, f"Open {path.name} into {name}", refit=True)

    def open_in_arrays(self, z: np.ndarray, dvalues: np.ndarray) -> None:
        """Load a network layer's ``z`` and ``dvalues`` into the explorer and show it."""
        if self.arrays_view.replace_arrays(np.array(z), np.array(dvalues), "Open layer in arrays", refit=True):
            self.tabs.setCurrentWidget(self.arrays_view)

    def show_controls_help(self) -> None:
        """Show the keyboard and mouse controls."""
        QMessageBox.information(self, "Keyboard and mouse", CONTROLS_HELP)

    def show_about(self) -> None:
        """Show the version and what reluviz is."""
        QMessageBox.about(self, "About reluviz",
                          f"reluviz {__version__}\n\nSee backpropagation through ReLU:\n"
                          "drelu = dvalues.copy()\ndrelu[z <= 0] = 0")

    def _on_status_message(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def _on_error_message(self, text: str) -> None:
        self.status_label.setStyleSheet("color: #c4001a;")
        self.status_label.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.network_view is not None:
            self.network_view.close()
        super().closeEvent(event)


CONTROLS_HELP = """\
Cells: click or arrow keys select; type a number to edit (nan, inf, -0 work too);
Enter / Tab commit and move down / right, Escape cancels.
Ctrl+wheel or Ctrl+drag on a cell nudges its value by the nudge step.
Wheel zooms, drag pans, F (or Fit) shows everything and fits the colours.
Ctrl+< toggles z <= 0 and z < 0. Ctrl+Z / Ctrl+Shift+Z undo and redo."""
