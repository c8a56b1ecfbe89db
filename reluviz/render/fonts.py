"""Load the fonts shipped in ``resources/fonts`` so the screen and every export look the same."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from reluviz.resources_path import resource

__all__ = ["MONO_FAMILY", "UI_FAMILY", "load_app_fonts", "mono_font", "ui_font"]

UI_FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"
_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf")
_loaded_families: list[str] = []


def load_app_fonts() -> list[str]:
    """Register the shipped fonts with Qt (once per process) and return their families.

    Must be called after the ``QGuiApplication`` exists.

    Raises
    ------
    RuntimeError
        If Qt refuses a shipped font file: without it text would render as empty boxes on a
        machine with no system fonts, so failing loudly is kinder.
    """
    if _loaded_families:
        return list(_loaded_families)
    for name in _FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load the shipped font {name}")
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _loaded_families:
                _loaded_families.append(family)
    return list(_loaded_families)


def ui_font(point_size: float = 10.0, bold: bool = False) -> QFont:
    """Return the shipped sans-serif font at ``point_size``."""
    font = QFont(UI_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def mono_font(point_size: float = 10.0) -> QFont:
    """Return the shipped monospace font (used for code and values)."""
    font = QFont(MONO_FAMILY)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font
