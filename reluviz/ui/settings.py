"""Preferences that outlive a session, over ``QSettings``, with one dict of defaults.

Tests point ``QSettings`` at a temporary folder (tests/ui/conftest.py), so they never touch the
user's own preferences.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP
from reluviz.ui.undo_memory import DEFAULT_UNDO_CAP_MB

__all__ = ["DEFAULTS", "MAX_RECENT", "add_recent_file", "read_setting", "recent_files", "write_setting"]

MAX_RECENT = 8

DEFAULTS: dict[str, Any] = {
    "theme": "light",
    "presentation": False,
    "colormap": DEFAULT_COLORMAP,
    "undo_cap_mb": DEFAULT_UNDO_CAP_MB,
    "recent_files": [],
    "geometry": QByteArray(),
    "export_folder": "",
}


def _settings() -> QSettings:
    return QSettings()


def read_setting(key: str) -> Any:
    """Return the stored value of ``key`` converted to its default's type (the default if unreadable)."""
    default = DEFAULTS[key]
    raw = _settings().value(key, default)
    try:
        if isinstance(default, bool):
            value: Any = raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1")
        elif isinstance(default, int):
            value = int(raw)
        elif isinstance(default, list):
            value = [str(item) for item in raw] if isinstance(raw, (list, tuple)) else ([str(raw)] if raw else [])
        elif isinstance(default, QByteArray):
            value = raw if isinstance(raw, QByteArray) else default
        else:
            value = str(raw)
    except (TypeError, ValueError):
        return default
    if key == "colormap" and value not in COLORMAPS:
        return default
    if key == "theme" and value not in ("light", "dark"):
        return default
    if key == "undo_cap_mb" and not 16 <= value <= 65536:
        return default
    return value


def write_setting(key: str, value: Any) -> None:
    """Store ``value`` under ``key`` (a key of :data:`DEFAULTS`)."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    _settings().setValue(key, value)


def recent_files() -> list[str]:
    """The most recently opened or saved session files, newest first."""
    return read_setting("recent_files")[:MAX_RECENT]


def add_recent_file(path: str) -> list[str]:
    """Put ``path`` first in the recent files and return the new list."""
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    write_setting("recent_files", files)
    return files
