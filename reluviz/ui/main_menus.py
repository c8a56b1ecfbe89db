"""The main window's menu bar: File, Edit, Arrays, Network, View and Help, and their actions.

Each action is also added to the window itself, so its shortcut works whichever tab is on top, and
carries an objectName tests and the shortcuts help find it by. The Arrays menu repeats the Arrays
view's control row (reachable at any window width) and is checked to match it each time it opens.
The groups and actions the window uses later (``undo_action``, ``dark_action``, ``inclusive_group`` …)
are set on the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from reluviz.core.arrays_document import MAX_PRECISION, MIN_PRECISION
from reluviz.core.colour import COLORMAPS
from reluviz.ui.dead_units_dialog import open_dead_units_dialog
from reluviz.ui.help import add_help_actions

if TYPE_CHECKING:
    from reluviz.ui.main_window import MainWindow

__all__ = ["NUDGE_STEPS", "add_action", "build_menus", "nudge_step_dialog", "resize_dialog", "sync_arrays_menu"]

# The nudge steps offered in the Arrays menu (any other through "Other…").
NUDGE_STEPS = (0.001, 0.01, 0.1, 1.0, 10.0)


def add_action(window: MainWindow, text: str, slot: Callable, shortcut: QKeySequence | str | None = None,
               name: str | None = None) -> QAction:
    """A window action calling ``slot``, with an optional shortcut and objectName."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    if name:
        action.setObjectName(name)
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """Build the whole menu bar of ``window``."""
    bar = window.menuBar()
    _build_file_menu(window, bar.addMenu("&File"))
    _build_edit_menu(window, bar.addMenu("&Edit"))
    _build_arrays_menu(window, bar.addMenu("&Arrays"))
    net = window.network_doc
    bar.addMenu("&Network").addAction(add_action(window, "&Dead units over training…", lambda: open_dead_units_dialog(
        window, net.preset, net.seed, window.arrays_view.theme), None, "dead_units"))
    _build_view_menu(window, bar.addMenu("&View"))
    add_help_actions(window, bar.addMenu("&Help"))


def _build_file_menu(window: MainWindow, file_menu: QMenu) -> None:
    def add(*args) -> None:
        file_menu.addAction(add_action(window, *args))

    add("&New (book example)", window.new_session, QKeySequence.StandardKey.New, "new_session")
    add("&Open session…", window.open_session_dialog, QKeySequence.StandardKey.Open, "open_session")
    window.recent_menu = QMenu("Open &recent", window)
    window.recent_menu.aboutToShow.connect(window._fill_recent_menu)
    file_menu.addMenu(window.recent_menu)
    add("&Save session", window.save_session, QKeySequence.StandardKey.Save, "save_session")
    add("Save session &as…", window.save_session_as_dialog, "Ctrl+Shift+S", "save_session_as")
    file_menu.addSeparator()
    add("Open array into &z…", lambda: window.open_array_dialog("z"), None, "open_z")
    add("Open array into &dvalues…", lambda: window.open_array_dialog("dvalues"), None, "open_dvalues")
    add("Save z as…", lambda: window.save_array_dialog("z"), None, "save_z")
    add("Save dvalues as…", lambda: window.save_array_dialog("dvalues"), None, "save_dvalues")
    add("Save drelu as…", lambda: window.save_array_dialog("drelu"), None, "save_drelu")
    _add_export_actions(window, file_menu)
    file_menu.addSeparator()
    add("&Preferences…", window.preferences_dialog, QKeySequence.StandardKey.Preferences, "preferences")
    add("&Quit", window.close, QKeySequence.StandardKey.Quit, "quit")


def _add_export_actions(window: MainWindow, file_menu: QMenu) -> None:
    try:
        from reluviz.ui import export_dialog
    except ImportError:  # the export module is optional at build time of this window
        return
    file_menu.addSeparator()
    file_menu.addAction(add_action(window, "&Export…", window.export_dialog, "Ctrl+E", "export"))
    window.open_export_folder_action = add_action(window, "Open e&xport folder", window.open_export_folder, None,
                                                  "open_export_folder")
    window.open_export_folder_action.setEnabled(False)  # until something is exported
    file_menu.addAction(window.open_export_folder_action)
    file_menu.addAction(add_action(window, "Export &lesson…", window.export_lesson_dialog, None, "export_lesson"))
    file_menu.addAction(add_action(window, "Copy &image", lambda: export_dialog.copy_figure_to_clipboard(window),
                                   "Ctrl+Shift+C", "copy_image"))


def _build_edit_menu(window: MainWindow, edit_menu: QMenu) -> None:
    view = window.arrays_view

    def add(*args) -> None:
        edit_menu.addAction(add_action(window, *args))

    window.undo_action = add_action(window, "&Undo", window.undo, QKeySequence.StandardKey.Undo, "undo")
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setObjectName("redo")
    window.addAction(redo)
    edit_menu.addAction(window.undo_action)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    add("&Copy cells", window.copy_cells, QKeySequence.StandardKey.Copy, "copy")
    add("&Paste", window.paste, QKeySequence.StandardKey.Paste, "paste")
    add("Paste as &whole array", lambda: window.paste(whole_array=True), "Ctrl+Shift+V", "paste_whole")
    edit_menu.addSeparator()
    add("&Fill selected array…", window.fill_dialog, None, "fill")
    add("&Negate selected array", lambda: view.negate(view.edit_target), None, "negate")
    add("&Zero selected array", lambda: view.zero(view.edit_target), None, "zero")
    edit_menu.addSeparator()
    add("Toggle z <= 0 / z < 0", view.toggle_inclusive, "Ctrl+<", "toggle_inclusive")


def _build_view_menu(window: MainWindow, view_menu: QMenu) -> None:
    view_menu.addAction(add_action(window, "&Fit arrays and colours", window.arrays_view.fit, None, "fit"))
    window.dark_action = add_action(window, "&Dark theme", lambda: window._on_look_changed(), None, "dark_theme")
    window.dark_action.setCheckable(True)
    view_menu.addAction(window.dark_action)
    window.presentation_action = add_action(window, "&Presentation style (large text)",
                                            lambda: window._on_look_changed(), "Ctrl+Shift+P", "presentation")
    window.presentation_action.setCheckable(True)
    view_menu.addAction(window.presentation_action)


def _checkable_group(window: MainWindow, menu: QMenu, entries: list[tuple[str, Callable, str, object]]
                     ) -> QActionGroup:
    """A group of exclusive checkable entries in ``menu``: (text, slot, objectName, data) each."""
    group = QActionGroup(window)
    for text, slot, name, data in entries:
        action = menu.addAction(text, slot)
        action.setObjectName(name)
        action.setData(data)
        action.setCheckable(True)
        group.addAction(action)
    return group


def _build_arrays_menu(window: MainWindow, menu: QMenu) -> None:
    """Every control of the Arrays view's control row, as menu actions too (reachable at any
    window width, and by keyboard through the menu bar)."""
    from reluviz.core.presets import PRESETS

    view, doc = window.arrays_view, window.arrays_doc
    presets = menu.addMenu("&Preset")
    presets.setObjectName("preset_menu")
    for preset in PRESETS.values():
        action = presets.addAction(preset.label, lambda name=preset.name: view.load_preset(name))
        action.setObjectName(f"preset_{preset.name}")
        action.setToolTip(preset.description)
    menu.addAction(add_action(window, "&Resize arrays…", window.resize_dialog, None, "resize_arrays"))
    menu.addAction(add_action(window, "Randomi&ze (a new seed each time)", view.randomize_new, None, "randomize"))
    menu.addSeparator()
    window.inclusive_group = QActionGroup(window)
    for text, inclusive, name in (("mask = z <= 0  (book)", True, "mask_inclusive"),
                                  ("mask = z < 0", False, "mask_strict")):
        action = add_action(window, text, lambda _checked=False, inc=inclusive: view.set_inclusive(inc), None, name)
        action.setCheckable(True)
        window.inclusive_group.addAction(action)
        menu.addAction(action)
    menu.addSeparator()
    colormaps = menu.addMenu("&Colormap")
    colormaps.setObjectName("colormap_menu")
    window.colormap_group = _checkable_group(window, colormaps, [
        (cmap.label, lambda name=cmap.name: doc.set_colormap(name), f"colormap_{cmap.name}", cmap.name)
        for cmap in COLORMAPS.values()])
    precision = menu.addMenu("&Digits in cells")
    precision.setObjectName("precision_menu")
    window.precision_group = _checkable_group(window, precision, [
        (f"{count} significant digit{'s' if count > 1 else ''}", lambda n=count: doc.set_precision(n),
         f"precision_{count}", count) for count in range(MIN_PRECISION, MAX_PRECISION + 1)])
    steps = menu.addMenu("&Nudge step (Ctrl+wheel, Ctrl+drag)")
    steps.setObjectName("nudge_menu")
    window.nudge_group = _checkable_group(window, steps, [
        (f"±{step:g}", lambda value=step: view.step_spin.setValue(value), f"nudge_{step:g}", step)
        for step in NUDGE_STEPS])
    steps.addSeparator()
    steps.addAction(add_action(window, "Other…", window.nudge_step_dialog, None, "nudge_other"))
    menu.addSeparator()
    menu.addAction(add_action(window, "&Fit view and colours", view.fit, None, "fit_arrays"))
    for shown in (menu, colormaps, precision, steps):
        shown.aboutToShow.connect(window._sync_arrays_menu)
    sync_arrays_menu(window)


def sync_arrays_menu(window: MainWindow) -> None:
    """Check the Arrays menu entries that match the control row (which may have changed on its own)."""
    doc = window.arrays_doc
    checks = ((window.colormap_group, doc.colormap), (window.precision_group, doc.precision),
              (window.nudge_group, window.arrays_view.step_spin.value()))
    for group, current in checks:
        for action in group.actions():
            action.setChecked(action.data() == current)
    for action in window.inclusive_group.actions():
        action.setChecked((action.objectName() == "mask_inclusive") == doc.inclusive)


def resize_dialog(window: MainWindow) -> None:
    """Ask for a new shape ("rows × cols") and resize both arrays to it."""
    rows, cols = window.model.shape
    text, accepted = QInputDialog.getText(window, "Resize arrays", "New shape (rows × cols):", text=f"{rows}×{cols}")
    if not accepted:
        return
    parts = text.replace("x", "×").replace("X", "×").replace(",", "×").split("×")
    try:
        new_rows, new_cols = (int(part) for part in parts)
    except ValueError:
        window.show_error(f"Not resized: {text!r} is not a shape; type two whole numbers, e.g. 3×4.")
        return
    window.arrays_view.resize_arrays(new_rows, new_cols)


def nudge_step_dialog(window: MainWindow) -> None:
    """Ask for any nudge step (the control row's range)."""
    spin = window.arrays_view.step_spin
    value, accepted = QInputDialog.getDouble(window, "Nudge step", "Ctrl+wheel / Ctrl+drag changes a cell by:",
                                             spin.value(), spin.minimum(), spin.maximum(), spin.decimals())
    if accepted:
        spin.setValue(value)
