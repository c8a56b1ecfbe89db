"""Sessions in the main window: new, open, save, save as, recent files, unsaved changes, the title,
the autosave offered back after a crash, and the progress of a session's Train-step replay.

Plain functions of the main window (which offers each public one as a method of the same name,
the name tests and other modules call). The state stays on the window: ``session_path``, the
settings last saved (``_saved_settings``) and the replay's progress dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from reluviz.core.io.limits import InputError
from reluviz.core.io.session import SESSION_SUFFIX, Session, load_session
from reluviz.core.io.session import save_session as write_session_file
from reluviz.core.session_documents import apply_arrays_session, apply_network_config, network_config
from reluviz.ui.recording_bar import session_with_recording, show_session_recording
from reluviz.ui.settings import add_recent_file, recent_files

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from reluviz.ui.main_window import MainWindow

__all__ = ["SESSION_FILTER", "apply_session", "current_session", "has_unsaved_changes", "mark_saved",
           "maybe_save_changes", "new_session", "offer_restore", "open_session", "open_session_dialog",
           "replay_progress", "report_replay_progress", "save_session", "save_session_as_dialog", "save_session_to",
           "settings_snapshot", "update_title"]

SESSION_FILTER = "reluviz sessions (*.reluviz)"
# Replaying a session's Train steps (~3 ms each) reports progress, with Cancel, every this many
# steps once there are enough of them to be felt.
REPLAY_REPORT_EVERY = 25
REPLAY_PROGRESS_FROM = 100


# -- what is saved, and whether it changed ---------------------------------------------------------
def current_session(window: MainWindow) -> Session:
    """Everything on screen, as a :class:`Session` to save."""
    view, arrays = window.arrays_view, window.arrays_doc
    return session_with_recording(Session(
        z=arrays.z, dvalues=arrays.dvalues, inclusive=arrays.inclusive,
        colormap=arrays.colormap, z_range=arrays.z_range, grad_range=arrays.grad_range,
        view=view.view_settings(),
        current_view=current_view_name(window),
        precision=arrays.precision, network=network_config(window.network_doc),
    ), view)


def current_view_name(window: MainWindow) -> str:
    """The tab on top as a session names it: ``"arrays"``, ``"network"`` or ``"code"``."""
    if window.network_tab_is_current():
        return "network"
    return "code" if window.tabs.currentWidget() is window.code_view else "arrays"


def settings_snapshot(window: MainWindow) -> tuple:
    """What a session saves beyond the undoable arrays: colours, precision, the network's setup."""
    arrays = window.arrays_doc
    network = network_config(window.network_doc)
    return (arrays.colormap, arrays.precision, tuple(network.layer_sizes), network.seed, network.batch_size,
            network.preset, round(network.learning_rate, 9), network.sample, network.whole_batch,
            tuple(network.trained_learning_rates))


def has_unsaved_changes(window: MainWindow) -> bool:
    """True if the arrays (undo history) or the saved settings changed since the last save."""
    return not window.undo_stack.isClean() or window._settings_snapshot() != window._saved_settings


def mark_saved(window: MainWindow) -> None:
    """Take what is on screen as saved: the undo stack clean, the settings remembered, no autosave."""
    window.undo_stack.setClean()
    window._saved_settings = window._settings_snapshot()
    window._update_title()
    if window.autosaver is not None and not window.autosaver.suspended:
        window.autosaver.discard()  # nothing unsaved: nothing to restore after a crash


def update_title(window: MainWindow) -> None:
    """The session's name in the title, with the unsaved-changes mark."""
    name = window.session_path.name if window.session_path else "untitled"
    window.setWindowTitle(f"{name}[*] — reluviz")
    if hasattr(window, "_saved_settings"):
        window.setWindowModified(window.has_unsaved_changes())


def maybe_save_changes(window: MainWindow) -> bool:
    """Ask what to do with unsaved changes; ``False`` means the user cancelled."""
    if not window.has_unsaved_changes():
        return True
    answer = window.ask_save_changes()
    if answer == "save":
        return window.save_session()
    return answer == "discard"


# -- opening -----------------------------------------------------------------------------------------
def apply_session(window: MainWindow, session: Session, path: Path | None) -> bool:
    """Show a loaded session as a new document; see :meth:`MainWindow.apply_session`."""
    notes = install_session(window, session, path)
    if notes:
        window.show_error(" ".join(notes))
    return notes is not None


def install_session(window: MainWindow, session: Session, path: Path | None) -> list[str] | None:
    """Install ``session`` in the window's documents and views, on the tab it was saved on.

    Returns the notes about what could not be kept (an unknown colormap or network preset), or
    ``None`` when the user cancelled replaying its Train steps (then nothing changed).
    """
    notes = apply_network_config(session.network, window.network_doc, lambda done, total:
                                 replay_progress(window, done, total))
    if notes is None:
        window.show_error("Not opened: replaying the session's Train steps was cancelled; nothing changed.")
        return None
    notes += apply_arrays_session(session, window.arrays_doc)
    window.arrays_view.restore_view_settings(session.view)
    show_session_recording(window.arrays_view, session)
    tab = {"network": lambda: window.network_view, "code": lambda: window.code_view}.get(
        session.current_view, lambda: window.arrays_view)()
    window.tabs.setCurrentWidget(tab)
    window.undo_stack.clear()
    window.session_path = path
    window._mark_saved()
    return notes


def open_session(window: MainWindow, path: Path | str) -> bool:
    """Open a session file; a refused file changes nothing and says why."""
    path = Path(path)
    try:
        session = load_session(path)
    except InputError as error:
        window.show_error(str(error))
        return False
    if not window.maybe_save_changes():
        return False
    notes = install_session(window, session, path)
    if notes is None:
        return False
    add_recent_file(str(path))
    if notes:
        window.show_error(" ".join([f"Opened {path.name}.", *notes]))
    else:
        window.show_status(f"Opened {path.name}")
    return True


def new_session(window: MainWindow) -> None:
    """Start again on the book's example (asks to save unsaved changes)."""
    if window.maybe_save_changes():
        window.apply_session(Session(), None)


def open_session_dialog(window: MainWindow) -> None:
    """Choose a session file and open it."""
    path, _ = QFileDialog.getOpenFileName(window, "Open session", "", SESSION_FILTER)
    if path:
        window.open_session(path)


def fill_recent_menu(window: MainWindow, menu: QMenu) -> None:
    """List the recent session files in ``menu`` (File → Open recent), each opening its file."""
    menu.clear()
    files = recent_files()
    if not files:
        menu.addAction("(none yet)").setEnabled(False)
    for file in files:
        menu.addAction(file, lambda f=file: window.open_session(f))


# -- saving ------------------------------------------------------------------------------------------
def save_session(window: MainWindow) -> bool:
    """Save to the current session file (asks for a name the first time)."""
    if window.session_path is None:
        return window.save_session_as_dialog()
    return window.save_session_to(window.session_path)


def save_session_to(window: MainWindow, path: Path | str) -> bool:
    """Save everything to ``path`` atomically; a failed save leaves any old file as it was."""
    path = Path(path)
    if path.suffix != SESSION_SUFFIX:
        path = path.with_name(path.name + SESSION_SUFFIX)
    try:
        write_session_file(path, window.current_session())
    except InputError as error:
        window.show_error(f"Not saved: {error}")
        return False
    window.session_path = path
    window._mark_saved()
    add_recent_file(str(path))
    window.show_status(f"Saved {path}")
    return True


def save_session_as_dialog(window: MainWindow) -> bool:
    """Choose where to save the session."""
    start = str(window.session_path or Path.home() / f"untitled{SESSION_SUFFIX}")
    chosen, _ = QFileDialog.getSaveFileName(window, "Save session", start, SESSION_FILTER)
    if not chosen:
        return False
    path = Path(chosen)
    if path.suffix != SESSION_SUFFIX:
        # The dialog confirmed overwriting the name typed, not this one: ask about it here.
        path = path.with_name(path.name + SESSION_SUFFIX)
        if path.exists() and not window.confirm_overwrite(path):
            return False
    return window.save_session_to(path)


# -- the autosave after a crash --------------------------------------------------------------------
def offer_restore(window: MainWindow) -> bool:
    """If an earlier run left an autosave, offer to restore it; see :meth:`MainWindow.offer_restore`."""
    autosaver = window.autosaver
    if autosaver is None or (path := autosaver.pending()) is None:
        return False
    if not window.ask_restore_autosave(path):
        autosaver.discard()
        return False
    try:
        session = load_session(path)
    except InputError as error:
        window.show_error(f"The autosaved session could not be restored ({error}); it is kept at {path}.")
        return False
    autosaver.suspended = True  # the file stays until the restored work is saved or closed
    try:
        restored = window.apply_session(session, None)
    finally:
        autosaver.suspended = False
    if not restored:
        return False  # cancelled: the autosave stays for the next start
    window._saved_settings = None  # restored work is unsaved work
    window._update_title()
    window.show_status("Restored the session autosaved before reluviz last stopped (not yet saved).")
    return True


# -- replaying a session's Train steps -------------------------------------------------------------
def replay_progress(window: MainWindow, done: int, total: int) -> bool:
    """Report a session's Train-step replay every :data:`REPLAY_REPORT_EVERY` steps once there
    are enough to be felt; ``False`` once the user pressed Cancel."""
    if total < REPLAY_PROGRESS_FROM or (done % REPLAY_REPORT_EVERY != 0 and done != total):
        return True
    return window.report_replay_progress(done, total)


def report_replay_progress(window: MainWindow, done: int, total: int) -> bool:
    """Show how far a session's Train steps have been replayed (a modal progress dialog, made on the
    first report); ``False`` once the user pressed Cancel."""
    dialog = window._replay_dialog
    if dialog is None:
        dialog = QProgressDialog("Replaying the session's Train steps…", "Cancel", 0, total, window)
        dialog.setWindowTitle("Opening session")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        window._replay_dialog = dialog
    dialog.setLabelText(f"Replaying Train step {done:,} of {total:,}…")
    dialog.setValue(done)  # (modal: lets Qt paint and see Cancel)
    cancelled = dialog.wasCanceled()
    if cancelled or done >= total:
        dialog.deleteLater()
        window._replay_dialog = None
    return not cancelled
