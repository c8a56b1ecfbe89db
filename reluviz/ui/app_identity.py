"""Who the app is to the desktop: its id (the ``.desktop`` file's name) and its icon."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from reluviz.resources_path import resources_dir

__all__ = ["APP_ID", "ICON_SIZES", "app_icon"]

# The reverse-DNS id shared by resources/desktop/<APP_ID>.desktop, the AppStream metainfo and
# QGuiApplication.setDesktopFileName, so a Wayland compositor can match the window to its icon.
APP_ID = "io.github.reluviz.reluviz"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The app's icon with every PNG size rendered from ``resources/icons/reluviz.svg``.

    The pre-rendered PNGs are used (not the SVG) so the icon needs no SVG image plugin and every
    size looks as it was checked; an empty icon if the files are missing (a broken install).
    """
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"reluviz-{size}.png"
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon
