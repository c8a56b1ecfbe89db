"""The Help menu: "Make a slide in 60 seconds", the keyboard shortcuts, and About with versions.

The dialogs are non-modal (a click on the window behind them still works, so the user can follow
the steps while reading them) and there is one of each per window. The shortcut list is read from
the window's own actions at the moment it is shown, so it cannot fall out of date; only the keys a
view handles itself (cells, the cell editor, the network player) are listed here by hand.
"""

from __future__ import annotations

import html
import platform

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QUICKSTART_COMMAND",
    "QUICKSTART_STEPS",
    "VIEW_KEYS",
    "add_help_actions",
    "shortcut_rows",
    "show_about",
    "show_quickstart",
    "show_shortcuts",
    "versions",
]

# README.md's "Make a slide in 60 seconds" repeats these steps word for word (a test checks it).
QUICKSTART_STEPS = (
    "The window opens on the book's example: `z` and `dvalues` at the top, `mask = z <= 0` and `drelu` below.",
    "Click the `1` at the top left of `z`, type `-3` and press Enter: its mask cell turns dark (blocked) and "
    "the same cell of `drelu` becomes 0.",
    "Press Ctrl+Shift+P for presentation style (larger text and lines for a projector), if you like.",
    "Press Ctrl+Shift+C to copy the four panels as a 1920×1080 image, and paste it into your slide.",
    "Or press Ctrl+E to export a PNG, SVG or PDF (or the network as a GIF or MP4) at the size you choose.",
)
QUICKSTART_COMMAND = "reluviz export --caption code -o slide.png"

# Keys a view handles in its own keyPressEvent (they are not QActions, so they are listed here).
VIEW_KEYS = (
    ("Cells", "Click, arrow keys, Tab / Shift+Tab", "select a cell (z or dvalues becomes the edit target)"),
    ("Cells", "Shift+click, Shift+arrows", "select a block (for copy and paste)"),
    ("Cells", "Type a number, F2, Enter, double-click", "edit in place (nan, inf and -0 too)"),
    ("Cell editor", "Enter / Shift+Enter, Tab / Shift+Tab", "commit and move down / up, right / left"),
    ("Cell editor", "Escape", "cancel the edit"),
    ("Cells", "Ctrl+wheel, Ctrl+drag up/down", "nudge the value (one undo step per gesture)"),
    ("Panels", "Wheel, drag", "zoom, pan"),
    ("Panels", "Ctrl+= / Ctrl+- (plain + / - on mask and drelu)", "zoom in / out"),
    ("Panels", "F", "fit the view and the colours"),
    ("Network", "Space", "play / pause"),
    ("Network", "← / →", "step one frame back / forward"),
    ("Network", "PageUp / PageDown", "jump to the previous / next phase"),
    ("Network", "Home / End", "first / last frame"),
    ("Code", "Space", "play / pause line 3's animation"),
    ("Code", "← / →", "step the three lines back / forward"),
    ("Code", "PageUp / PageDown", "previous / next topic"),
    ("Code", "Home / End", "line 1 / the end of line 3"),
)


def versions() -> dict[str, str]:
    """The versions that matter in a bug report: reluviz, Python, Qt, PySide6, NumPy, pyqtgraph, Pillow."""
    import numpy
    import PIL
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    from reluviz._version import __version__

    return {
        "reluviz": __version__,
        "Python": f"{platform.python_version()} ({platform.system()} {platform.machine()})",
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "NumPy": numpy.__version__,
        "pyqtgraph": pyqtgraph.__version__,
        "Pillow": PIL.__version__,
    }


def _clean(text: str) -> str:
    """A menu text without its ``&`` accelerator marks and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…")


def _menu_actions(menu: QMenu, path: str) -> list[tuple[str, QAction]]:
    found: list[tuple[str, QAction]] = []
    for action in menu.actions():
        if action.menu() is not None:
            found += _menu_actions(action.menu(), f"{path} → {_clean(action.text())}")
        elif not action.isSeparator():
            found.append((path, action))
    return found


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """``(where, keys, what)`` for every action of ``window`` that has a shortcut, then :data:`VIEW_KEYS`.

    Actions in the menu bar are named by their menu ("File", "Edit", …); actions the window holds
    without a menu entry are listed under "Window".
    """
    seen: set[int] = set()
    rows: list[tuple[str, str, str]] = []
    in_menus = [item for menu_action in window.menuBar().actions() if menu_action.menu() is not None
                for item in _menu_actions(menu_action.menu(), _clean(menu_action.text()))]
    for where, action in [*in_menus, *(("Window", a) for a in window.actions())]:
        if id(action) in seen or not action.shortcuts():
            continue
        seen.add(id(action))
        keys = " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        rows.append((where, keys, _clean(action.text())))
    return rows + list(VIEW_KEYS)


def _dialog(window: QWidget, name: str, title: str) -> tuple[QDialog, bool]:
    """The window's one dialog called ``name`` (``True`` if it was just made)."""
    dialog = window.findChild(QDialog, name)
    if dialog is not None:
        return dialog, False
    dialog = QDialog(window, objectName=name)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    return dialog, True


def _present(dialog: QDialog) -> QDialog:
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _code(text: str) -> str:
    """Markdown-ish backticks to HTML <code> (the steps are shared with README.md)."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def _trigger(window: QWidget, name: str) -> None:
    action = window.findChild(QAction, name)
    if action is not None:
        action.trigger()


def show_quickstart(window: QMainWindow) -> QDialog:
    """Show "Make a slide in 60 seconds": the steps, and buttons that do the last two."""
    dialog, new = _dialog(window, "help_quickstart_dialog", "Make a slide in 60 seconds")
    if new:
        steps = "".join(f"<li>{_code(step)}</li>" for step in QUICKSTART_STEPS)
        label = QLabel(f"<ol>{steps}</ol><p>Without a window, from a terminal: "
                       f"<code>{html.escape(QUICKSTART_COMMAND)}</code></p>", objectName="quickstart_text")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for text, action_name in (("Copy the figure", "copy_image"), ("Export…", "export")):
            if window.findChild(QAction, action_name) is not None:
                button = QPushButton(text, objectName=f"quickstart_{action_name}")
                button.clicked.connect(lambda _checked=False, n=action_name: _trigger(window, n))
                buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(label)
        layout.addWidget(buttons)
        dialog.setMinimumWidth(520)
    return _present(dialog)


def show_shortcuts(window: QMainWindow) -> QDialog:
    """Show every keyboard shortcut: the window's actions as they are now, then the views' own keys."""
    dialog, new = _dialog(window, "help_shortcuts_dialog", "Keyboard shortcuts")
    if new:
        browser = QTextBrowser(dialog, objectName="shortcuts_text")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialog.resize(640, 560)
    rows = "".join(f"<tr><td>{html.escape(where)}</td><td><b>{html.escape(keys)}</b></td>"
                   f"<td>{html.escape(what)}</td></tr>" for where, keys, what in shortcut_rows(window))
    dialog.findChild(QTextBrowser, "shortcuts_text").setHtml(
        f"<table cellspacing='0' cellpadding='3'><tr><th align='left'>Where</th><th align='left'>Keys</th>"
        f"<th align='left'>Does</th></tr>{rows}</table>"
        "<p>Drop a .npy/.csv/.tsv/.txt file onto z or dvalues to open it there, or a .reluviz session anywhere.</p>")
    return _present(dialog)


def about_text() -> str:
    """About's text: what reluviz is, its licence, and the versions it runs on."""
    lines = "".join(f"<tr><td>{html.escape(name)}</td><td>{html.escape(version)}</td></tr>"
                    for name, version in versions().items())
    return ("<h3>reluviz</h3><p>See backpropagation through ReLU:<br>"
            "<code>drelu = dvalues.copy()<br>drelu[z &lt;= 0] = 0</code></p>"
            f"<table cellpadding='2'>{lines}</table>"
            "<p>MIT licence. Qt and PySide6 are used under the LGPL 3; a bundled ffmpeg (MP4 export) is GPL. "
            "Their licences ship with the app.</p>")


def show_about(window: QMainWindow) -> QDialog:
    """Show About: versions of reluviz, Python, Qt, PySide6, NumPy (copyable for a bug report)."""
    dialog, new = _dialog(window, "help_about_dialog", "About reluviz")
    if new:
        label = QLabel(about_text(), objectName="about_text")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        dialog.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy versions", objectName="about_copy_versions")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(
            "\n".join(f"{name} {version}" for name, version in versions().items())))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(label)
        layout.addWidget(buttons)
    return _present(dialog)


def add_help_actions(window: QMainWindow, menu: QMenu) -> None:
    """Fill ``menu`` (the Help menu) with the quick start, the shortcuts (F1) and About.

    The shortcuts and About actions call ``window.show_controls_help`` and ``window.show_about`` so
    a window can still override them.
    """
    for text, slot, shortcut, name in (
        ("Make a &slide in 60 seconds", lambda: show_quickstart(window), None, "help_quickstart"),
        ("&Keyboard shortcuts", lambda: window.show_controls_help(), "F1", "help_keys"),
        ("&About reluviz", lambda: window.show_about(), None, "about"),
    ):
        action = QAction(text, window, objectName=name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        window.addAction(action)
        menu.addAction(action)
