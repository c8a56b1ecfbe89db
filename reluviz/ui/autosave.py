"""Autosave: the open session, kept in the app's data folder while it has unsaved changes.

After a crash or a kill the file is still there, and the next start offers to restore it. It is
written with the session writer (:func:`reluviz.core.io.session.save_session`: a temporary file and
one atomic rename), so a kill in the middle of a write leaves the previous autosave whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from reluviz.core.io.limits import InputError
from reluviz.core.io.session import Session, save_session

__all__ = [
    "AUTOSAVE_DIR_ENV",
    "AUTOSAVE_INTERVAL_ENV",
    "AUTOSAVE_NAME",
    "DEFAULT_INTERVAL_MS",
    "Autosaver",
    "autosave_folder",
    "autosave_interval_ms",
]

AUTOSAVE_NAME = "autosave.reluviz"
DEFAULT_INTERVAL_MS = 30_000
# Tests (and anyone who wants the file elsewhere) point the folder and the interval here.
AUTOSAVE_DIR_ENV = "RELUVIZ_AUTOSAVE_DIR"
AUTOSAVE_INTERVAL_ENV = "RELUVIZ_AUTOSAVE_INTERVAL_MS"


def autosave_folder() -> Path:
    """Where the autosave lives: ``$RELUVIZ_AUTOSAVE_DIR`` if set, else Qt's AppDataLocation."""
    override = os.environ.get(AUTOSAVE_DIR_ENV)
    if override:
        return Path(override)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def autosave_interval_ms() -> int:
    """Milliseconds between autosaves: ``$RELUVIZ_AUTOSAVE_INTERVAL_MS`` if a positive whole
    number, else :data:`DEFAULT_INTERVAL_MS`."""
    try:
        value = int(os.environ.get(AUTOSAVE_INTERVAL_ENV, ""))
    except ValueError:
        return DEFAULT_INTERVAL_MS
    return value if value > 0 else DEFAULT_INTERVAL_MS


class Autosaver(QObject):
    """Writes ``session()`` to ``folder/autosave.reluviz`` every ``interval_ms`` while ``dirty()``.

    Parameters
    ----------
    session : callable
        Returns the session to write (the main window's :meth:`current_session`).
    dirty : callable
        True while there are unsaved changes; when it is False the autosave is removed instead.
    folder : Path
    interval_ms : int
    parent : QObject, optional
    """

    def __init__(self, session: Callable[[], Session], dirty: Callable[[], bool], folder: Path,
                 interval_ms: int = DEFAULT_INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._dirty = dirty
        self.path = Path(folder) / AUTOSAVE_NAME
        self.suspended = False  # while a session is being replayed: its steps are not edits
        self.last_error: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()

    def pending(self) -> Path | None:
        """The autosave left by an earlier run (crash, kill), if there is one."""
        return self.path if self.path.is_file() else None

    def save_now(self) -> bool:
        """Write the session now if it has unsaved changes (else remove the autosave).

        Returns True when a file was written. A failure is kept in :attr:`last_error` and never
        raised: autosave must not interrupt the user.
        """
        if self.suspended:
            return False
        if not self._dirty():
            self.discard()
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save_session(self.path, self._session())
        except (InputError, OSError) as error:
            self.last_error = str(error)
            return False
        self.last_error = None
        return True

    def discard(self) -> None:
        """Remove the autosave (after a clean save or close, or a declined restore)."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            self.last_error = str(error)

    def stop(self) -> None:
        """Stop the timer (the window is closing)."""
        self.timer.stop()
