"""The main window: the Arrays and Network views in tabs, menus, files, sessions, status bar.

Nothing the user does here may lose their work: a refused file or paste changes nothing and says
why in the status bar; saving is atomic; closing with unsaved changes asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PySide6.QtCore import QByteArray, QSize, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QScreen,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from reluviz.core.arrays_document import MAX_PRECISION, MIN_PRECISION, ArraysDocument
from reluviz.core.colour import COLORMAPS
from reluviz.core.explorer import ExplorerModel, ReshapeQuestion
from reluviz.core.io.limits import InputError
from reluviz.core.io.paste import AmbiguousCommaError
from reluviz.core.io.session import Session, load_session, save_session
from reluviz.core.network_document import NetworkDocument
from reluviz.core.session_documents import apply_network_config, network_config
from reluviz.render.theme import DARK, LIGHT, Theme
from reluviz.ui.arrays_view import ArraysView
from reluviz.ui.autosave import Autosaver, autosave_folder, autosave_interval_ms
from reluviz.ui.dead_units_dialog import open_dead_units_dialog
from reluviz.ui.help import add_help_actions, show_about, show_shortcuts
from reluviz.ui.recording_bar import session_with_recording, show_session_recording
from reluviz.ui.settings import add_recent_file, read_setting, recent_files, write_setting
from reluviz.ui.undo_memory import UndoMemoryGuard, is_released

if TYPE_CHECKING:
    from reluviz.ui.network_view import NetworkView

__all__ = ["SESSION_FILTER", "MainWindow", "default_window_size"]

ARRAY_FILTER = "Arrays (*.npy *.csv *.tsv *.txt);;NumPy (*.npy);;CSV (*.csv *.tsv *.txt)"
SESSION_FILTER = "reluviz sessions (*.reluviz)"
SESSION_SUFFIX = ".reluviz"
ARRAY_SUFFIXES = (".npy", ".csv", ".tsv", ".txt")
# Replaying a session's Train steps (~3 ms each) reports progress, with Cancel, every this many
# steps once there are enough of them to be felt.
REPLAY_REPORT_EVERY = 25
REPLAY_PROGRESS_FROM = 100
# The nudge steps offered in the Arrays menu (any other through "Other…").
NUDGE_STEPS = (0.001, 0.01, 0.1, 1.0, 10.0)


def theme_palette(theme: Theme) -> QPalette:
    """A Qt palette matching ``theme`` for the widgets around the panels (menus, controls)."""
    palette = QPalette()
    if theme.name == "light":
        return palette
    dark, base, text = QColor("#1e1f22"), QColor("#2b2d31"), QColor("#e8e8e8")
    for role, colour in (
        (QPalette.ColorRole.Window, dark), (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, dark),
        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, base),
        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.ToolTipBase, base),
        (QPalette.ColorRole.ToolTipText, text), (QPalette.ColorRole.Highlight, QColor("#4a7bd0")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.PlaceholderText, QColor("#8b9096")),
    ):
        palette.setColor(role, colour)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7a7f86"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7a7f86"))
    return palette


# The size the window would like on a large screen; a smaller screen gets what it has.
PREFERRED_WINDOW_SIZE = QSize(1280, 820)
# Room for the window manager's title bar and frame, which availableGeometry() still includes.
WINDOW_FRAME_ALLOWANCE = QSize(16, 48)


def default_window_size(screen: QScreen | None) -> QSize:
    """The first-start window size: :data:`PREFERRED_WINDOW_SIZE`, shrunk to fit ``screen``'s
    available area (less the task bar and the window's own frame)."""
    if screen is None:
        return PREFERRED_WINDOW_SIZE
    room = screen.availableGeometry().size() - WINDOW_FRAME_ALLOWANCE
    return PREFERRED_WINDOW_SIZE.boundedTo(room).expandedTo(QSize(320, 240))


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
        self.code_view.status_message.connect(self._on_status_message)
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
        self.arrays_view.status_message.connect(self._on_status_message)
        self.arrays_view.error_message.connect(self._on_error_message)
        self.arrays_view.file_dropped.connect(self._on_file_dropped)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(self._update_undo_action)
        self._build_menus()
        self._apply_preferences()
        self._mark_saved()
        self._update_undo_action()
        self.arrays_doc.events.colormap.connect(self._on_arrays_colormap_changed)
        self.arrays_doc.events.precision.connect(lambda _precision: self._update_title())
        if self.arrays_view.selection is not None:
            self._on_status_message(self.model.describe_cell(*self.arrays_view.selection))
        self.arrays_view.panels["z"].setFocus()
        self.autosaver = Autosaver(self.current_session, self.has_unsaved_changes, autosave_folder(),
                                   autosave_interval_ms(), self)
        self._follow_network_document()

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
            self._on_status_message(text)

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.arrays_view and self.arrays_view.selection is not None:
            self._on_status_message(self.model.describe_cell(*self.arrays_view.selection))
        elif self.network_tab_is_current():
            text = self.network_view.frame.text  # built now, on first show
            self._on_status_message(text.split(". ")[0] if text else "")

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
        view = self.arrays_view
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("&New (book example)", self.new_session, QKeySequence.StandardKey.New,
                                         "new_session"))
        file_menu.addAction(self._action("&Open session…", self.open_session_dialog, QKeySequence.StandardKey.Open,
                                         "open_session"))
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self._action("&Save session", self.save_session, QKeySequence.StandardKey.Save,
                                         "save_session"))
        file_menu.addAction(self._action("Save session &as…", self.save_session_as_dialog, "Ctrl+Shift+S",
                                         "save_session_as"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Open array into &z…", lambda: self.open_array_dialog("z"), None, "open_z"))
        file_menu.addAction(self._action("Open array into &dvalues…", lambda: self.open_array_dialog("dvalues"),
                                         None, "open_dvalues"))
        file_menu.addAction(self._action("Save z as…", lambda: self.save_array_dialog("z"), None, "save_z"))
        file_menu.addAction(self._action("Save dvalues as…", lambda: self.save_array_dialog("dvalues"), None,
                                         "save_dvalues"))
        file_menu.addAction(self._action("Save drelu as…", lambda: self.save_array_dialog("drelu"), None,
                                         "save_drelu"))
        self._add_export_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Preferences…", self.preferences_dialog, QKeySequence.StandardKey.Preferences,
                                         "preferences"))
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, "quit"))

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.undo, QKeySequence.StandardKey.Undo, "undo")
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setObjectName("redo")
        self.addAction(redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("&Copy cells", self.copy_cells, QKeySequence.StandardKey.Copy, "copy"))
        edit_menu.addAction(self._action("&Paste", self.paste, QKeySequence.StandardKey.Paste, "paste"))
        edit_menu.addAction(self._action("Paste as &whole array", lambda: self.paste(whole_array=True),
                                         "Ctrl+Shift+V", "paste_whole"))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("&Fill selected array…", self.fill_dialog, None, "fill"))
        edit_menu.addAction(self._action("&Negate selected array", lambda: view.negate(view.edit_target),
                                         None, "negate"))
        edit_menu.addAction(self._action("&Zero selected array", lambda: view.zero(view.edit_target),
                                         None, "zero"))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("Toggle z <= 0 / z < 0", view.toggle_operator, "Ctrl+<",
                                         "toggle_operator"))

        self._build_arrays_menu(bar.addMenu("&Arrays"))
        net = self.network_doc
        bar.addMenu("&Network").addAction(self._action("&Dead units over training…", lambda: open_dead_units_dialog(
            self, net.preset, net.seed, self.arrays_view.theme), None, "dead_units"))

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self._action("&Fit arrays and colours", view.fit, None, "fit"))
        self.dark_action = self._action("&Dark theme", lambda: self._on_look_changed(), None, "dark_theme")
        self.dark_action.setCheckable(True)
        view_menu.addAction(self.dark_action)
        self.presentation_action = self._action("&Presentation style (large text)",
                                                lambda: self._on_look_changed(), "Ctrl+Shift+P", "presentation")
        self.presentation_action.setCheckable(True)
        view_menu.addAction(self.presentation_action)

        help_menu = bar.addMenu("&Help")
        add_help_actions(self, help_menu)

    def _build_arrays_menu(self, menu: QMenu) -> None:
        """Every control of the Arrays view's control row, as menu actions too (reachable at any
        window width, and by keyboard through the menu bar)."""
        from reluviz.core.presets import PRESETS

        view = self.arrays_view
        presets = menu.addMenu("&Preset")
        presets.setObjectName("preset_menu")
        for preset in PRESETS.values():
            action = presets.addAction(preset.label, lambda name=preset.name: view.load_preset(name))
            action.setObjectName(f"preset_{preset.name}")
            action.setToolTip(preset.description)
        menu.addAction(self._action("&Resize arrays…", self.resize_dialog, None, "resize_arrays"))
        menu.addAction(self._action("Randomi&ze (a new seed each time)", view.randomize_new, None, "randomize"))
        menu.addSeparator()
        self.operator_group = QActionGroup(self)
        for text, inclusive, name in (("mask = z <= 0  (book)", True, "operator_inclusive"),
                                      ("mask = z < 0", False, "operator_strict")):
            action = self._action(text, lambda _checked=False, inc=inclusive: view.set_inclusive(inc), None, name)
            action.setCheckable(True)
            self.operator_group.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        colormaps = menu.addMenu("&Colormap")
        colormaps.setObjectName("colormap_menu")
        self.colormap_group = QActionGroup(self)
        for cmap in COLORMAPS.values():
            action = colormaps.addAction(cmap.label, lambda name=cmap.name: self.arrays_doc.set_colormap(name))
            action.setObjectName(f"colormap_{cmap.name}")
            action.setData(cmap.name)
            action.setCheckable(True)
            self.colormap_group.addAction(action)
        precision = menu.addMenu("&Digits in cells")
        precision.setObjectName("precision_menu")
        self.precision_group = QActionGroup(self)
        for count in range(MIN_PRECISION, MAX_PRECISION + 1):
            action = precision.addAction(f"{count} significant digit{'s' if count > 1 else ''}",
                                         lambda n=count: self.arrays_doc.set_precision(n))
            action.setObjectName(f"precision_{count}")
            action.setData(count)
            action.setCheckable(True)
            self.precision_group.addAction(action)
        steps = menu.addMenu("&Nudge step (Ctrl+wheel, Ctrl+drag)")
        steps.setObjectName("nudge_menu")
        self.nudge_group = QActionGroup(self)
        for step in NUDGE_STEPS:
            action = steps.addAction(f"±{step:g}", lambda value=step: view.step_spin.setValue(value))
            action.setObjectName(f"nudge_{step:g}")
            action.setData(step)
            action.setCheckable(True)
            self.nudge_group.addAction(action)
        steps.addSeparator()
        steps.addAction(self._action("Other…", self.nudge_step_dialog, None, "nudge_other"))
        menu.addSeparator()
        menu.addAction(self._action("&Fit view and colours", view.fit, None, "fit_arrays"))
        menu.aboutToShow.connect(self._sync_arrays_menu)
        for submenu in (colormaps, precision, steps):
            submenu.aboutToShow.connect(self._sync_arrays_menu)
        self._sync_arrays_menu()

    def _sync_arrays_menu(self) -> None:
        """Check the menu entries that match the control row (which may have changed on its own)."""
        view = self.arrays_view
        checks = ((self.colormap_group, self.arrays_doc.colormap), (self.precision_group, self.arrays_doc.precision),
                  (self.nudge_group, view.step_spin.value()))
        for group, current in checks:
            for action in group.actions():
                action.setChecked(action.data() == current)
        for action in self.operator_group.actions():
            action.setChecked((action.objectName() == "operator_inclusive") == self.model.inclusive)

    def resize_dialog(self) -> None:
        """Ask for a new shape ("rows × cols") and resize both arrays to it."""
        rows, cols = self.model.shape
        text, accepted = QInputDialog.getText(self, "Resize arrays", "New shape (rows × cols):", text=f"{rows}×{cols}")
        if not accepted:
            return
        parts = text.replace("x", "×").replace("X", "×").replace(",", "×").split("×")
        try:
            new_rows, new_cols = (int(part) for part in parts)
        except ValueError:
            self._on_error_message(f"Not resized: {text!r} is not a shape; type two whole numbers, e.g. 3×4.")
            return
        self.arrays_view.resize_arrays(new_rows, new_cols)

    def nudge_step_dialog(self) -> None:
        """Ask for any nudge step (the control row's range)."""
        spin = self.arrays_view.step_spin
        value, accepted = QInputDialog.getDouble(self, "Nudge step", "Ctrl+wheel / Ctrl+drag changes a cell by:",
                                                 spin.value(), spin.minimum(), spin.maximum(), spin.decimals())
        if accepted:
            spin.setValue(value)

    def _add_export_actions(self, file_menu: QMenu) -> None:
        try:
            from reluviz.ui import export_dialog
        except ImportError:  # the export module is optional at build time of this window
            return
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Export…", self.export_dialog, "Ctrl+E", "export"))
        self.open_export_folder_action = self._action("Open e&xport folder", self.open_export_folder, None,
                                                      "open_export_folder")
        self.open_export_folder_action.setEnabled(False)  # until something is exported
        file_menu.addAction(self.open_export_folder_action)
        file_menu.addAction(self._action("Export &lesson…", self.export_lesson_dialog, None, "export_lesson"))
        file_menu.addAction(self._action("Copy &image", lambda: export_dialog.copy_figure_to_clipboard(self),
                                         "Ctrl+Shift+C", "copy_image"))

    def on_export_finished(self, path: str) -> None:
        """Say what an export wrote and where, and offer to open its folder."""
        written = Path(path)
        folder = written if written.is_dir() else written.parent
        self.last_export_folder = folder
        self._on_status_message(f"Exported {written.name} to {folder}")
        self.open_export_folder_button.show()
        self.open_export_folder_action.setEnabled(True)

    def on_export_failed(self, message: str) -> None:
        """Say why an export failed (a dialog too, unless the user cancelled it)."""
        self._on_error_message(message)
        if "cancelled" not in message:
            box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    # QDesktopServices.openUrl by default; tests put a recorder here.
    open_url: Callable[[QUrl], bool] = staticmethod(QDesktopServices.openUrl)

    def open_export_folder(self) -> bool:
        """Open the folder of the last export in the desktop's file manager."""
        if self.last_export_folder is None:
            return False
        if not self.open_url(QUrl.fromLocalFile(str(self.last_export_folder))):
            self._on_error_message(f"Could not open {self.last_export_folder}: no file manager answered.")
            return False
        return True

    def ask_lesson_path(self) -> str:
        """Ask where to write the lesson deck ("" when cancelled); tests replace this."""
        path, _ = QFileDialog.getSaveFileName(self, "Export lesson", "lesson.pdf",
                                              "Lesson deck (*.pdf);;One PNG per page (*.png);;One SVG per page (*.svg)")
        return path

    def export_lesson_dialog(self) -> None:
        """File → Export lesson…: the lesson deck of the current arrays, at 1920×1080, in the window's theme."""
        from reluviz.core.io.limits import InputError
        from reluviz.core.network.timeline import build_timeline
        from reluviz.render.lesson_deck import lesson_pages, write_lesson
        from reluviz.render.teaching_pages import Lesson

        path = self.ask_lesson_path()
        if not path:
            return
        theme = DARK if self.dark_action.isChecked() else LIGHT
        lesson = Lesson(self.model.z, self.model.dvalues, self.model.inclusive, self.arrays_doc.colormap)
        try:
            # The network pages show the pass on the Network tab (its preset, sample and training).
            timeline = build_timeline(self.network_doc.pass_record, self.network_doc.shown_sample)
            written = write_lesson(path, lesson_pages(lesson, timeline), 1920, 1080, theme)
        except (OSError, InputError) as error:
            self.on_export_failed(str(error))
            return
        self.on_export_finished(str(written[0]))

    def export_dialog(self) -> None:
        """Show File → Export… (deleted when closed; a running export reports in the status bar)."""
        from reluviz.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    # -- look and preferences ----------------------------------------------------------------------
    def _apply_preferences(self) -> None:
        self.dark_action.setChecked(read_setting("theme") == "dark")
        self.presentation_action.setChecked(read_setting("presentation"))
        if read_setting("colormap") in COLORMAPS:  # a name from an older or newer version is skipped
            self.arrays_doc.set_colormap(read_setting("colormap"))
        geometry = read_setting("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(default_window_size(self.screen() or QGuiApplication.primaryScreen()))
        self._on_look_changed(save=False)

    def _on_look_changed(self, save: bool = True) -> None:
        theme = DARK if self.dark_action.isChecked() else LIGHT
        if self.presentation_action.isChecked():
            theme = theme.scaled(1.5)
        self.arrays_view.set_theme(theme)
        # A palette, not a style sheet: a sheet on every QWidget strips check boxes and frames.
        self.setPalette(theme_palette(theme))
        font = self.font()
        font.setPointSizeF(10.0 * (1.5 if self.presentation_action.isChecked() else 1.0))
        self.setFont(font)
        self.code_view.set_theme(theme)
        if self._network_view is not None:
            self._network_view.set_theme(theme)
        if save:
            write_setting("theme", theme.name)
            write_setting("presentation", self.presentation_action.isChecked())

    def preferences_dialog(self) -> None:
        """Show the preferences: the undo memory cap (theme and colormap live in their menus)."""
        dialog = QDialog(self)
        dialog.setWindowTitle("Preferences")
        form = QFormLayout(dialog)
        cap = QSpinBox(dialog, objectName="undo_cap_spin")
        cap.setRange(16, 65536)
        cap.setSuffix(" MB")
        cap.setValue(read_setting("undo_cap_mb"))
        cap.setToolTip("The undo history keeps at most this much array memory; older steps are dropped.")
        form.addRow("Undo memory cap", cap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_undo_cap_mb(cap.value())

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
            self._on_error_message(f"Older steps were dropped to keep undo memory under "
                                   f"{read_setting('undo_cap_mb')} MB (Preferences).")
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

    # -- sessions --------------------------------------------------------------------------------
    def _settings_snapshot(self) -> tuple:
        """What a session saves beyond the undoable arrays: colours, precision, the network's setup."""
        arrays = self.arrays_doc
        network = network_config(self.network_doc)
        return (arrays.colormap, arrays.precision, tuple(network.layer_sizes), network.seed, network.batch_size,
                network.preset, round(network.learning_rate, 9), network.sample, network.whole_batch,
                tuple(network.trained_learning_rates))

    def has_unsaved_changes(self) -> bool:
        """True if the arrays (undo history) or the saved settings changed since the last save."""
        return not self.undo_stack.isClean() or self._settings_snapshot() != self._saved_settings

    def _mark_saved(self) -> None:
        self.undo_stack.setClean()
        self._saved_settings: tuple | None = self._settings_snapshot()
        self._update_title()
        if self.autosaver is not None and not self.autosaver.suspended:
            self.autosaver.discard()  # nothing unsaved: nothing to restore after a crash

    # -- autosave --------------------------------------------------------------------------------
    def offer_restore(self) -> bool:
        """If an earlier run left an autosave (a crash, a kill), offer to restore it.

        Returns True if it was restored: the session as autosaved, shown as unsaved work
        (untitled). Declined, the autosave is removed; unreadable, it is kept and the status bar
        says where.
        """
        if self.autosaver is None or (path := self.autosaver.pending()) is None:
            return False
        if not self.ask_restore_autosave(path):
            self.autosaver.discard()
            return False
        try:
            session = load_session(path)
        except InputError as error:
            self._on_error_message(f"The autosaved session could not be restored ({error}); it is kept at {path}.")
            return False
        self.autosaver.suspended = True  # the file stays until the restored work is saved or closed
        try:
            restored = self.apply_session(session, None)
        finally:
            self.autosaver.suspended = False
        if not restored:
            return False  # cancelled: the autosave stays for the next start
        self._saved_settings = None  # restored work is unsaved work
        self._update_title()
        self._on_status_message("Restored the session autosaved before reluviz last stopped (not yet saved).")
        return True

    def ask_restore_autosave(self, path: Path) -> bool:
        """Ask whether to restore the autosave at ``path`` (tests replace this)."""
        answer = QMessageBox.question(
            self, "Restore unsaved work?",
            "reluviz stopped last time with unsaved changes. Restore the session autosaved then?\n\n"
            f"({path})",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def _update_title(self) -> None:
        name = self.session_path.name if self.session_path else "untitled"
        self.setWindowTitle(f"{name}[*] — reluviz")
        if hasattr(self, "_saved_settings"):
            self.setWindowModified(self.has_unsaved_changes())

    def current_session(self) -> Session:
        """Everything on screen, as a :class:`Session` to save."""
        view, arrays = self.arrays_view, self.arrays_doc
        return session_with_recording(Session(
            z=arrays.z, dvalues=arrays.dvalues, inclusive=arrays.inclusive,
            colormap=arrays.colormap, z_range=arrays.z_range, grad_range=arrays.grad_range,
            view=view.view_settings(),
            current_view="network" if self.network_tab_is_current() else "arrays",
            precision=arrays.precision, network=network_config(self.network_doc),
        ), view)

    def _replay_progress(self, done: int, total: int) -> bool:
        """Report a session's Train-step replay every :data:`REPLAY_REPORT_EVERY` steps once there
        are enough to be felt; ``False`` once the user pressed Cancel."""
        if total < REPLAY_PROGRESS_FROM or (done % REPLAY_REPORT_EVERY != 0 and done != total):
            return True
        return self.report_replay_progress(done, total)

    def report_replay_progress(self, done: int, total: int) -> bool:
        """Show how far a session's Train steps have been replayed; ``False`` once the user pressed
        Cancel (tests replace this)."""
        dialog = self._replay_dialog
        if dialog is None:
            dialog = QProgressDialog("Replaying the session's Train steps…", "Cancel", 0, total, self)
            dialog.setWindowTitle("Opening session")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            self._replay_dialog = dialog
        dialog.setLabelText(f"Replaying Train step {done:,} of {total:,}…")
        dialog.setValue(done)  # (modal: lets Qt paint and see Cancel)
        cancelled = dialog.wasCanceled()
        if cancelled or done >= total:
            dialog.deleteLater()
            self._replay_dialog = None
        return not cancelled

    def apply_session(self, session: Session, path: Path | None) -> bool:
        """Show a loaded session as a new document (the undo history starts afresh).

        Its Train steps are replayed first, with progress and Cancel; cancelled, nothing changes
        and ``False`` is returned.
        """
        notes = apply_network_config(session.network, self.network_doc, self._replay_progress)
        if notes is None:
            self._on_error_message("Not opened: replaying the session's Train steps was cancelled; "
                                   "nothing changed.")
            return False
        for note in notes:
            self._on_error_message(note)
        self.arrays_doc.restore(
            session.z, session.dvalues, inclusive=session.inclusive, colormap=session.colormap,
            z_range=session.z_range, grad_range=session.grad_range, precision=session.precision,
        )
        self.arrays_view.restore_view_settings(session.view)
        show_session_recording(self.arrays_view, session)
        if session.current_view == "network":
            self.tabs.setCurrentWidget(self.network_view)
        else:
            self.tabs.setCurrentWidget(self.arrays_view)
        self.undo_stack.clear()
        self.session_path = path
        self._mark_saved()
        return True

    def open_session(self, path: Path | str) -> bool:
        """Open a session file; a refused file changes nothing and says why."""
        path = Path(path)
        try:
            session = load_session(path)
        except InputError as error:
            self._on_error_message(str(error))
            return False
        if not self.maybe_save_changes():
            return False
        if not self.apply_session(session, path):
            return False
        add_recent_file(str(path))
        self._on_status_message(f"Opened {path.name}")
        return True

    def save_session(self) -> bool:
        """Save to the current session file (asks for a name the first time)."""
        if self.session_path is None:
            return self.save_session_as_dialog()
        return self.save_session_to(self.session_path)

    def save_session_to(self, path: Path | str) -> bool:
        """Save everything to ``path`` atomically; a failed save leaves any old file as it was."""
        path = Path(path)
        if path.suffix != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        try:
            save_session(path, self.current_session())
        except InputError as error:
            self._on_error_message(f"Not saved: {error}")
            return False
        self.session_path = path
        self._mark_saved()
        add_recent_file(str(path))
        self._on_status_message(f"Saved {path}")
        return True

    def new_session(self) -> None:
        """Start again on the book's example (asks to save unsaved changes)."""
        if self.maybe_save_changes():
            self.apply_session(Session(), None)

    def open_session_dialog(self) -> None:
        """Choose a session file and open it."""
        path, _ = QFileDialog.getOpenFileName(self, "Open session", "", SESSION_FILTER)
        if path:
            self.open_session(path)

    def save_session_as_dialog(self) -> bool:
        """Choose where to save the session."""
        start = str(self.session_path or Path.home() / f"untitled{SESSION_SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(self, "Save session", start, SESSION_FILTER)
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix != SESSION_SUFFIX:
            # The dialog confirmed overwriting the name typed, not this one: ask about it here.
            path = path.with_name(path.name + SESSION_SUFFIX)
            if path.exists() and not self.confirm_overwrite(path):
                return False
        return self.save_session_to(path)

    def confirm_overwrite(self, path: Path) -> bool:
        """Ask before replacing an existing file the save dialog did not ask about."""
        answer = QMessageBox.question(self, "Replace file?", f"{path.name} already exists. Replace it?")
        return answer == QMessageBox.StandardButton.Yes

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = recent_files()
        if not files:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for file in files:
            self.recent_menu.addAction(file, lambda f=file: self.open_session(f))

    def maybe_save_changes(self) -> bool:
        """Ask what to do with unsaved changes; ``False`` means the user cancelled."""
        if not self.has_unsaved_changes():
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.save_session()
        return answer == "discard"

    def ask_save_changes(self) -> str:
        """Ask Save / Discard / Cancel; returns ``"save"``, ``"discard"`` or ``"cancel"``."""
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        answer = QMessageBox.question(self, "Unsaved changes", "Save the changes to this session first?", buttons,
                                      QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")

    def confirm_resize(self, question: str) -> bool:
        """Ask whether a paste that does not fit may grow the arrays."""
        answer = QMessageBox.question(self, "Paste does not fit", question)
        return answer == QMessageBox.StandardButton.Yes

    def choose_comma_reading(self, error: AmbiguousCommaError) -> np.ndarray | None:
        """Ask whether a pasted "1,000" means 1000 or 1.0; the chosen array, or ``None`` to cancel."""
        thousands = str(int(error.cell.replace(",", "")))
        decimal = repr(float(error.cell.replace(",", ".")))
        box = QMessageBox(QMessageBox.Icon.Question, "Which numbers did you mean?",
                          f"The pasted {error.cell!r} can be read two ways: {thousands} (comma as thousands "
                          f"separator) or {decimal} (decimal comma), 1000× apart. Every comma in the paste "
                          "is read the same way.", QMessageBox.StandardButton.Cancel, self)
        as_thousands = box.addButton(f"{thousands} (thousands)", QMessageBox.ButtonRole.AcceptRole)
        as_decimal = box.addButton(f"{decimal} (decimal comma)", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked == as_thousands:
            return error.thousands
        return error.decimal if clicked == as_decimal else None

    def confirm_reshape(self, question: ReshapeQuestion) -> str | None:
        """Ask how an opened or pasted array of another shape may reshape the other array.

        Returns the fill value for new cells as typed (``"0"``), or ``None`` if the user cancels.
        """
        dialog, fill_edit = self.reshape_dialog(question)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return fill_edit.text()

    def reshape_dialog(self, question: ReshapeQuestion) -> tuple[QDialog, QLineEdit]:
        """Build (not show) the reshape question: the text, a fill value when cells are added, buttons."""
        dialog = QDialog(self)
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

    # -- arrays in and out -----------------------------------------------------------------------
    def open_array_dialog(self, name: str) -> None:
        """Choose a file and load it into ``name``."""
        path, _ = QFileDialog.getOpenFileName(self, f"Open {name}", "", ARRAY_FILTER)
        if path:
            self.open_array(name, Path(path))

    def open_array(self, name: str, path: Path | str) -> bool:
        """Load ``path`` into ``z`` or ``dvalues`` (one undo step). A file of another shape first asks
        (:meth:`confirm_reshape`) how to reshape the other array, and the status bar says what was done.
        Returns ``False``, with the reason in the status bar, when refused or cancelled."""
        from reluviz.core.io.array_files import load_array

        path = Path(path)
        try:
            loaded = load_array(path)
        except InputError as error:
            self._on_error_message(str(error))
            return False
        if self.arrays_view.load_into(name, loaded, f"Open {path.name} into {name}", path.name):
            note = self.arrays_view.last_reshape_note
            self._on_status_message(f"Opened {path.name} into {name} ({loaded.shape[0]}×{loaded.shape[1]}, "
                                    f"{loaded.dtype})" + (f"; {note}" if note else ""))
            return True
        return False

    def save_array_dialog(self, name: str) -> None:
        """Choose where to save one array (.npy or .csv)."""
        path, _ = QFileDialog.getSaveFileName(self, f"Save {name}", f"{name}.npy", ARRAY_FILTER)
        if path:
            self.save_array(name, path)

    def save_array(self, name: str, path: Path | str) -> bool:
        """Save ``name`` to ``path`` atomically (.npy or .csv, chosen by the extension)."""
        from reluviz.core.io.array_files import save_array

        try:
            save_array(path, self.model.array(name))
        except InputError as error:
            self._on_error_message(f"Not saved: {error}")
            return False
        self._on_status_message(f"Saved {name} to {path}")
        return True

    def _on_file_dropped(self, role: str, path: str) -> None:
        suffix = Path(path).suffix.lower()
        if suffix == SESSION_SUFFIX:
            self.open_session(path)
        elif suffix in ARRAY_SUFFIXES:
            if role in ("z", "dvalues"):
                self.open_array(role, path)
            else:
                self._on_error_message(f"{role} is computed: drop an array onto z or dvalues.")
        else:
            self._on_error_message(f"Cannot open {Path(path).name}: drop a .npy, .csv, .tsv, .txt or .reluviz file.")

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
        self._on_status_message(f"Copied {r1 - r0}×{c1 - c0} cells of {self.arrays_view.active_role}")

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

    def _on_status_message(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def _on_error_message(self, text: str) -> None:
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
