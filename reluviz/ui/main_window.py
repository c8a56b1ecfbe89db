"""The main window: the Arrays, Network and Code views in tabs, menus, files, sessions, status bar.

Nothing the user does here may lose their work: a refused file or paste changes nothing and says
why in the status bar; saving is atomic; closing with unsaved changes asks first.

The window holds the documents, tabs and status bar; the rest are plain functions of it, offered as
its methods: ``main_menus``, ``session_actions`` (sessions, unsaved changes, autosave restore), ``questions``
(all questions to the user; tests replace them), ``array_files``, ``export_actions``, ``window_look``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from reluviz.core.arrays_document import ArraysDocument
from reluviz.core.explorer import ExplorerModel, ReshapeQuestion
from reluviz.core.io.paste import AmbiguousCommaError
from reluviz.core.io.session import Session
from reluviz.core.network_document import NetworkDocument
from reluviz.ui import array_files, export_actions, questions, session_actions
from reluviz.ui.arrays_view import ArraysView
from reluviz.ui.autosave import Autosaver, autosave_folder, autosave_interval_ms
from reluviz.ui.help import show_about, show_shortcuts
from reluviz.ui.main_menus import build_menus, nudge_step_dialog, resize_dialog, sync_arrays_menu
from reluviz.ui.session_actions import SESSION_FILTER
from reluviz.ui.settings import read_setting, write_setting
from reluviz.ui.undo_memory import UndoMemoryGuard, is_released
from reluviz.ui.window_look import apply_look, apply_preferences, default_window_size, preferences_dialog

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import QMenu

    from reluviz.ui.network_view import NetworkView

__all__ = ["SESSION_FILTER", "MainWindow", "default_window_size"]


class MainWindow(QMainWindow):
    """reluviz's main window.

    Parameters
    ----------
    arrays : ArraysDocument or ExplorerModel, optional
        The arrays document to open with (a plain model's arrays and operator are copied into a
        new document); the book's example when omitted.
    network : NetworkDocument, optional
        The network to open with (:attr:`network_doc`); the default preset, untrained, when omitted.
    """

    # Made by build_menus (ui/main_menus.py): the actions and groups the window updates later.
    undo_action: QAction
    dark_action: QAction
    presentation_action: QAction
    open_export_folder_action: QAction
    recent_menu: QMenu
    inclusive_group: QActionGroup
    colormap_group: QActionGroup
    precision_group: QActionGroup
    nudge_group: QActionGroup

    def __init__(self, arrays: ArraysDocument | ExplorerModel | None = None, network: NetworkDocument | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.network_doc = network if network is not None else NetworkDocument()
        self.session_path: Path | None = None
        self._replay_dialog: QProgressDialog | None = None
        self.autosaver: Autosaver | None = None  # made last: the first _mark_saved must not touch a file
        self.undo_stack = QUndoStack(self)
        if arrays is None:
            arrays = ArraysDocument()
        elif not isinstance(arrays, ArraysDocument):
            arrays = ArraysDocument(arrays.z, arrays.dvalues, arrays.inclusive)
        self.arrays_doc: ArraysDocument = arrays
        self.arrays_view = ArraysView(self.arrays_doc, self.undo_stack, self)
        self.arrays_view.confirm_resize = self.confirm_resize
        self.arrays_view.choose_comma_reading = self.choose_comma_reading
        self.arrays_view.confirm_reshape = self.confirm_reshape
        self.undo_guard = UndoMemoryGuard(self.undo_stack, read_setting("undo_cap_mb") * 2**20,
                                          lambda: [self.model.z, self.model.dvalues])
        self._build_tabs()
        self._build_status_bar()
        self.arrays_view.status_message.connect(self.show_status)
        self.arrays_view.error_message.connect(self.show_error)
        self.arrays_view.file_dropped.connect(self._on_file_dropped)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(self._update_undo_action)
        build_menus(self)
        apply_preferences(self)
        self._mark_saved()
        self._update_undo_action()
        self.arrays_doc.events.colormap.connect(self._on_arrays_colormap_changed)
        self.arrays_doc.events.precision.connect(lambda _precision: self._update_title())
        if self.arrays_view.selection is not None:
            self.show_status(self.model.describe_cell(*self.arrays_view.selection))
        self.arrays_view.panels["z"].setFocus()
        self.autosaver = Autosaver(self.current_session, self.has_unsaved_changes, autosave_folder(),
                                   autosave_interval_ms(), self)
        self._follow_network_document()

    def _build_tabs(self) -> None:
        """The Arrays, Network and Code tabs, in a scroll area."""
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.arrays_view, "Arrays")
        # The Network tab starts as an empty page: its view (and pyqtgraph) is built when first
        # needed (see network_view), so the start pays only for what is on screen.
        self._network_view: NetworkView | None = None
        self._network_page = QWidget(self.tabs, objectName="network_placeholder")
        self.tabs.addTab(self._network_page, "Network")
        from reluviz.ui.code_view import CodeView

        self.code_view = CodeView(self.model, self)
        self.code_view.status_message.connect(self.show_status)
        self.tabs.addTab(self.code_view, "Code")
        # The tabs scroll inside the window rather than setting its minimum size: at 2× scale a
        # 1280×720 screen is 640×360 logical pixels, less than the views' minimum, and every
        # control must still be reachable.
        self.central_scroll = QScrollArea(self, objectName="central_scroll")
        self.central_scroll.setWidget(self.tabs)
        self.central_scroll.setWidgetResizable(True)
        self.central_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.setCentralWidget(self.central_scroll)
        self.tabs.currentChanged.connect(self._on_tab_changed)

    def _build_status_bar(self) -> None:
        """The status line (selectable text) and the Open folder button of the last export."""
        self.status_label = QLabel(objectName="status_label")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.status_label, 1)
        self.last_export_folder: Path | None = None
        self.open_export_folder_button = QPushButton("Open folder", objectName="open_export_folder_button")
        self.open_export_folder_button.setToolTip("Open the folder of the last export")
        self.open_export_folder_button.setFlat(True)
        self.open_export_folder_button.clicked.connect(self.open_export_folder)
        self.open_export_folder_button.hide()  # shown after an export
        self.statusBar().addPermanentWidget(self.open_export_folder_button)

    @property
    def model(self) -> ArraysDocument:
        """The arrays document (:attr:`arrays_doc`, by the name callers have always used)."""
        return self.arrays_doc

    def _on_arrays_colormap_changed(self, name: str) -> None:
        write_setting("colormap", name)  # the next window starts with it
        self._on_colormap_changed(name)
        self._update_title()

    @property
    def network_view(self) -> NetworkView:
        """The Network tab's view, built the first time anything needs it: the tab chosen, a session
        opened on it, an export of the network. Sessions, autosave and the lesson read
        :attr:`network_doc` instead, so they never build it."""
        if self._network_view is None:
            self._network_view = self._make_network_view()
        return self._network_view

    def _make_network_view(self) -> NetworkView:
        from reluviz.ui.network_view import NetworkView

        view = NetworkView(self.network_doc)  # no parent yet: the tab takes it
        view.set_theme(self.arrays_view.theme)
        view.set_colormap(self.arrays_doc.colormap)
        view.open_in_arrays_requested.connect(self.open_in_arrays)
        view.status_message.connect(self._on_network_status)
        # In the placeholder's place, the same tab still on top (no tab change is signalled).
        index = self.tabs.indexOf(self._network_page)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, "Network")
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        self._network_page.deleteLater()
        return view

    def network_tab_is_current(self) -> bool:
        """Whether the Network tab is on top (asked without building the Network view)."""
        current = self.tabs.currentWidget()  # compared by identity: the placeholder may be deleted
        return current is not None and (current is self._network_page or current is self._network_view)

    def _follow_network_document(self) -> None:
        """Follow the network document: its changes are unsaved work; a Train step autosaves."""
        doc = self.network_doc
        handlers = [(event, lambda *_: self._update_title())
                    for event in (doc.events.reset, doc.events.learning_rate, doc.events.sample)]
        handlers.append((doc.events.trained, self._on_network_trained))
        for event, handler in handlers:
            event.connect(handler)
        # The document may outlive the window (a script's): stop following it then.
        self.destroyed.connect(lambda *_: [event.disconnect(handler) for event, handler in handlers])

    def _on_network_trained(self, _record: object) -> None:
        self._update_title()
        if self.autosaver is not None:
            self.autosaver.save_now()  # a Train step is work too

    def _on_colormap_changed(self, name: str) -> None:
        if self._network_view is not None:
            self._network_view.set_colormap(name)

    def _on_network_status(self, text: str) -> None:
        if self.network_tab_is_current():
            self.show_status(text)

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.arrays_view and self.arrays_view.selection is not None:
            self.show_status(self.model.describe_cell(*self.arrays_view.selection))
        elif self.network_tab_is_current():
            text = self.network_view.frame.text  # built now, on first show
            self.show_status(text.split(". ")[0] if text else "")
        elif self.tabs.currentWidget() is self.code_view:
            self.show_status(self.code_view.STATUS_HINT)  # not the last tab's words

    # -- menus (ui/main_menus.py) ------------------------------------------------------------------
    def _sync_arrays_menu(self) -> None:
        sync_arrays_menu(self)

    def resize_dialog(self) -> None:
        """Ask for a new shape ("rows × cols") and resize both arrays to it."""
        resize_dialog(self)

    def nudge_step_dialog(self) -> None:
        """Ask for any nudge step (the control row's range)."""
        nudge_step_dialog(self)

    # -- exports (ui/export_actions.py) ------------------------------------------------------------
    def on_export_finished(self, path: str) -> None:
        """Say what an export wrote and where, and offer to open its folder."""
        export_actions.on_export_finished(self, path)

    def on_export_failed(self, message: str) -> None:
        """Say why an export failed (a dialog too, unless the user cancelled it)."""
        export_actions.on_export_failed(self, message)

    # QDesktopServices.openUrl by default; tests put a recorder here.
    open_url: Callable[[QUrl], bool] = staticmethod(QDesktopServices.openUrl)

    def open_export_folder(self) -> bool:
        """Open the folder of the last export in the desktop's file manager."""
        return export_actions.open_export_folder(self)

    def ask_lesson_path(self) -> str:
        """Ask where to write the lesson deck ("" when cancelled); tests replace this."""
        return questions.ask_lesson_path(self)

    def export_lesson_dialog(self) -> None:
        """File → Export lesson…: the lesson deck of the current arrays, at 1920×1080, in the window's theme."""
        export_actions.export_lesson(self)

    def export_dialog(self) -> None:
        """Show File → Export… (deleted when closed; a running export reports in the status bar)."""
        export_actions.export_dialog(self)

    # -- look and preferences (ui/window_look.py) -------------------------------------------------
    def _on_look_changed(self, save: bool = True) -> None:
        apply_look(self, save)

    def preferences_dialog(self) -> None:
        """Show the preferences: the undo memory cap (theme and colormap live in their menus)."""
        preferences_dialog(self)

    def set_undo_cap_mb(self, megabytes: int) -> None:
        """Change (and remember) the undo memory cap; older steps beyond it are dropped now."""
        write_setting("undo_cap_mb", int(megabytes))
        self.undo_guard.cap_bytes = int(megabytes) * 2**20
        self.undo_guard.enforce()
        self._update_undo_action()

    # -- undo ------------------------------------------------------------------------------------
    def undo(self) -> None:
        """Undo one step, unless it was dropped to keep the history under the memory cap."""
        index = self.undo_stack.index()
        if index == 0:
            return
        if is_released(self.undo_stack.command(index - 1)):
            self.show_error(f"Older steps were dropped to keep undo memory under "
                            f"{self.undo_guard.cap_bytes // 2**20} MB (Preferences).")
            return
        self.undo_stack.undo()

    def _update_undo_action(self) -> None:
        if not shiboken6.isValid(self.undo_stack) or not shiboken6.isValid(self.undo_action):
            return
        index = self.undo_stack.index()
        command = self.undo_stack.command(index - 1) if index > 0 else None
        usable = command is not None and not is_released(command)
        self.undo_action.setEnabled(usable)
        self.undo_action.setText(f"&Undo {command.text()}" if usable and command is not None else "&Undo")

    # -- sessions (ui/session_actions.py) -------------------------------------------------------
    def _settings_snapshot(self) -> tuple:
        return session_actions.settings_snapshot(self)

    def has_unsaved_changes(self) -> bool:
        """True if the arrays (undo history) or the saved settings changed since the last save."""
        return session_actions.has_unsaved_changes(self)

    def _mark_saved(self) -> None:
        session_actions.mark_saved(self)

    def _update_title(self) -> None:
        session_actions.update_title(self)

    def offer_restore(self) -> bool:
        """If an earlier run left an autosave (a crash, a kill), offer to restore it.

        Returns True if it was restored: the session as autosaved, shown as unsaved work
        (untitled). Declined, the autosave is removed; unreadable, it is kept and the status bar
        says where.
        """
        return session_actions.offer_restore(self)

    def current_session(self) -> Session:
        """Everything on screen, as a :class:`Session` to save."""
        return session_actions.current_session(self)

    def report_replay_progress(self, done: int, total: int) -> bool:
        """Show how far a session's Train steps have been replayed; ``False`` once the user pressed
        Cancel (tests replace this)."""
        return session_actions.report_replay_progress(self, done, total)

    def apply_session(self, session: Session, path: Path | None) -> bool:
        """Show a loaded session as a new document (the undo history starts afresh).

        Its Train steps are replayed first, with progress and Cancel; cancelled, nothing changes
        and ``False`` is returned.
        """
        return session_actions.apply_session(self, session, path)

    def open_session(self, path: Path | str) -> bool:
        """Open a session file; a refused file changes nothing and says why."""
        return session_actions.open_session(self, path)

    def save_session(self) -> bool:
        """Save to the current session file (asks for a name the first time)."""
        return session_actions.save_session(self)

    def save_session_to(self, path: Path | str) -> bool:
        """Save everything to ``path`` atomically; a failed save leaves any old file as it was."""
        return session_actions.save_session_to(self, path)

    def new_session(self) -> None:
        """Start again on the book's example (asks to save unsaved changes)."""
        session_actions.new_session(self)

    def open_session_dialog(self) -> None:
        """Choose a session file and open it."""
        session_actions.open_session_dialog(self)

    def save_session_as_dialog(self) -> bool:
        """Choose where to save the session."""
        return session_actions.save_session_as_dialog(self)

    def _fill_recent_menu(self) -> None:
        session_actions.fill_recent_menu(self, self.recent_menu)

    def maybe_save_changes(self) -> bool:
        """Ask what to do with unsaved changes; ``False`` means the user cancelled."""
        return session_actions.maybe_save_changes(self)

    # -- questions (ui/questions.py); tests replace them on the window or its class -----------------
    def confirm_overwrite(self, path: Path) -> bool:
        """Ask before replacing an existing file the save dialog did not ask about."""
        return questions.confirm_overwrite(self, path)

    def ask_save_changes(self) -> str:
        """Ask Save / Discard / Cancel; returns ``"save"``, ``"discard"`` or ``"cancel"``."""
        return questions.ask_save_changes(self)

    def ask_restore_autosave(self, path: Path) -> bool:
        """Ask whether to restore the autosave at ``path`` (tests replace this)."""
        return questions.ask_restore_autosave(self, path)

    def confirm_resize(self, question: str) -> bool:
        """Ask whether a paste that does not fit may grow the arrays."""
        return questions.confirm_resize(self, question)

    def choose_comma_reading(self, error: AmbiguousCommaError) -> np.ndarray | None:
        """Ask whether a pasted "1,000" means 1000 or 1.0; the chosen array, or ``None`` to cancel."""
        return questions.choose_comma_reading(self, error)

    def confirm_reshape(self, question: ReshapeQuestion) -> str | None:
        """Ask how an opened or pasted array of another shape may reshape the other array.

        Returns the fill value for new cells as typed (``"0"``), or ``None`` if the user cancels.
        """
        return questions.confirm_reshape(self, question)

    def reshape_dialog(self, question: ReshapeQuestion) -> tuple[QDialog, QLineEdit]:
        """Build (not show) the reshape question: the text, a fill value when cells are added, buttons."""
        return questions.reshape_dialog(self, question)

    # -- arrays in and out (ui/array_files.py) -----------------------------------------------------
    def open_array_dialog(self, name: str) -> None:
        """Choose a file and load it into ``name``."""
        array_files.open_array_dialog(self, name)

    def open_array(self, name: str, path: Path | str) -> bool:
        """Load ``path`` into ``z`` or ``dvalues`` (one undo step). A file of another shape first asks
        (:meth:`confirm_reshape`) how to reshape the other array, and the status bar says what was done.
        Returns ``False``, with the reason in the status bar, when refused or cancelled."""
        return array_files.open_array(self, name, path)

    def save_array_dialog(self, name: str) -> None:
        """Choose where to save one array (.npy or .csv)."""
        array_files.save_array_dialog(self, name)

    def save_array(self, name: str, path: Path | str) -> bool:
        """Save ``name`` to ``path`` atomically (.npy or .csv, chosen by the extension)."""
        return array_files.save_array(self, name, path)

    def _on_file_dropped(self, role: str, path: str) -> None:
        array_files.on_file_dropped(self, role, path)

    def open_in_arrays(self, z: np.ndarray, dvalues: np.ndarray) -> None:
        """Load a network layer's ``z`` and ``dvalues`` into the explorer and show it."""
        if self.arrays_view.replace_arrays(np.array(z), np.array(dvalues), "Open layer in arrays", refit=True):
            self.arrays_view.axis_names = ("samples", "units")  # a layer's batch: one row per sample
            self.tabs.setCurrentWidget(self.arrays_view)
            # Land on the sample the network view was following: its row of z.
            sample = self.network_doc.shown_sample
            if sample is not None and sample < self.model.shape[0]:
                self.arrays_view.select("z", sample, 0)

    # -- clipboard -------------------------------------------------------------------------------
    def copy_cells(self) -> None:
        """Copy the selected cells as tab-separated text."""
        QGuiApplication.clipboard().setText(self.arrays_view.copy_text())
        r0, r1, c0, c1 = self.arrays_view.selected_block()
        self.show_status(f"Copied {r1 - r0}×{c1 - c0} cells of {self.arrays_view.active_role}")

    def paste(self, whole_array: bool = False) -> None:
        """Paste the clipboard's text into the selected cells (or as the whole array)."""
        text = QGuiApplication.clipboard().text()
        self.arrays_view.paste_text(text, whole_array=whole_array)

    def fill_dialog(self) -> None:
        """Ask for a value and fill the selected array (z or dvalues) with it."""
        name = self.arrays_view.edit_target
        text, accepted = QInputDialog.getText(self, "Fill", f"Fill every cell of {name} with:", text="0")
        if accepted:
            self.arrays_view.fill(name, text)  # type: ignore[arg-type]

    # -- help ------------------------------------------------------------------------------------
    def show_controls_help(self) -> None:
        """Show the keyboard shortcuts (read from this window's actions) and the views' own keys."""
        show_shortcuts(self)

    def show_about(self) -> None:
        """Show what reluviz is and the versions it runs on."""
        show_about(self)

    def show_status(self, text: str) -> None:
        """Say ``text`` in the status bar."""
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def show_error(self, text: str) -> None:
        """Say ``text`` in the status bar, in red: something was refused or failed."""
        self.status_label.setStyleSheet("color: #c4001a;")
        self.status_label.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.maybe_save_changes():
            event.ignore()
            return
        write_setting("geometry", self.saveGeometry())
        if self.autosaver is not None:
            self.autosaver.stop()
            self.autosaver.discard()  # closed on purpose (saved or discarded): nothing to restore
        try:
            from reluviz.ui.export_dialog import cancel_running_exports
        except ImportError:
            pass
        else:
            cancel_running_exports(self)  # a half-written export is discarded, never left behind
        if self._network_view is not None:
            self._network_view.close()
        super().closeEvent(event)
