"""How the main window looks: its first size, the theme and presentation style (View menu), the
palette of the widgets around the panels, and the Preferences dialog. Plain functions of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QScreen
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox

from reluviz.core.colour import COLORMAPS
from reluviz.render.theme import DARK, LIGHT, PRESENTATION_SCALE, Theme
from reluviz.ui.settings import read_setting, write_setting

if TYPE_CHECKING:
    from reluviz.ui.main_window import MainWindow

__all__ = ["PREFERRED_WINDOW_SIZE", "apply_look", "apply_preferences", "default_window_size", "preferences_dialog",
           "theme_palette", "window_theme"]


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


def window_theme(window: MainWindow) -> Theme:
    """The theme the View menu has chosen (dark or light), before any presentation scaling."""
    return DARK if window.dark_action.isChecked() else LIGHT


def apply_preferences(window: MainWindow) -> None:
    """Start ``window`` with the saved theme, presentation style, colormap and geometry."""
    window.dark_action.setChecked(read_setting("theme") == "dark")
    window.presentation_action.setChecked(read_setting("presentation"))
    if read_setting("colormap") in COLORMAPS:  # a name from an older or newer version is skipped
        window.arrays_doc.set_colormap(read_setting("colormap"))
    geometry = read_setting("geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(default_window_size(window.screen() or QGuiApplication.primaryScreen()))
    apply_look(window, save=False)


def apply_look(window: MainWindow, save: bool = True) -> None:
    """Give every view the theme the View menu chose (and remember it when ``save``)."""
    theme = window_theme(window)
    presentation = window.presentation_action.isChecked()
    if presentation:
        theme = theme.scaled(PRESENTATION_SCALE)
    window.arrays_view.set_theme(theme)
    # A palette, not a style sheet: a sheet on every QWidget strips check boxes and frames.
    window.setPalette(theme_palette(theme))
    font = window.font()
    font.setPointSizeF(10.0 * (PRESENTATION_SCALE if presentation else 1.0))
    window.setFont(font)
    window.code_view.set_theme(theme)
    if window._network_view is not None:
        window._network_view.set_theme(theme)
    if save:
        write_setting("theme", theme.name)
        write_setting("presentation", presentation)


def preferences_dialog(window: MainWindow) -> None:
    """Show the preferences: the undo memory cap (theme and colormap live in their menus)."""
    dialog = QDialog(window)
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
        window.set_undo_cap_mb(cap.value())
