"""The workings behind :mod:`reluviz.api`: the Qt application, and the steps of show, figure and export.

:mod:`reluviz.api` keeps the public functions and their documentation; their bodies call the
steps here. Like the API, importing this module imports no Qt: each step imports PySide6 when
it runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reluviz.core.io.arrays_input import ArraysInput, normalize_pair, normalize_recording

if TYPE_CHECKING:  # pragma: no cover - imports for annotations only
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMainWindow

    from reluviz.core.io.arrays_input import Recording

# The QApplication made here, kept alive for the life of the process (Qt allows one).
_app: Any = None
# Windows opened by show() that are not closed yet: a window the caller drops must not vanish.
_open_windows: list[Any] = []


# -- the application ---------------------------------------------------------------------------


def platform_for_new_app() -> str | None:
    """The ``-platform`` to start Qt with, or ``None`` for Qt's own choice.

    The user's ``QT_QPA_PLATFORM`` always wins. On Linux and the BSDs without ``DISPLAY`` or
    ``WAYLAND_DISPLAY`` there is no screen: offscreen. With one, offscreen comes last in Qt's
    fallback list, so a display that cannot be opened (ssh without X) does not abort the process.
    """
    if os.environ.get("QT_QPA_PLATFORM"):
        return None
    if sys.platform in ("darwin", "win32", "cygwin"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return "wayland;xcb;offscreen"
    if os.environ.get("DISPLAY"):
        return "xcb;offscreen"
    return "offscreen"


def application(*, widgets: bool) -> tuple[QGuiApplication, bool]:
    """Return ``(app, created)``: the running Qt application, or a new ``QApplication``.

    A ``QApplication`` (not a bare ``QGuiApplication``) is made even for figures, so a later
    :func:`show` in the same process (or pytest-qt) can still open windows.

    Raises
    ------
    RuntimeError
        If a Qt application that cannot draw (a ``QCoreApplication``), or cannot hold windows
        (a ``QGuiApplication``, when ``widgets``), already exists: Qt allows only one per process,
        and using it would abort the process instead.
    """
    global _app
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    existing = QCoreApplication.instance()
    if existing is not None:
        if widgets and not isinstance(existing, QApplication):
            raise RuntimeError(f"reluviz.show needs a QApplication, but this process already runs a "
                               f"{type(existing).__name__} (Qt allows one); create a QApplication instead, "
                               "or use reluviz.figure for a picture.")
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("reluviz draws with Qt's GUI module, but this process already runs a "
                               "QCoreApplication without it (Qt allows one application); create a "
                               "QGuiApplication or QApplication instead.")
        return existing, False
    platform = platform_for_new_app()
    argv = ["reluviz"] + (["-platform", platform] if platform else [])
    _app = QApplication(argv)
    return _app, True


def load_fonts() -> None:
    from reluviz.render.fonts import load_app_fonts

    load_app_fonts()


# -- show: the steps behind reluviz.show ---------------------------------------------------------


def qt_loop_running() -> bool:
    """True inside a running Qt event loop, or in IPython/Jupyter with Qt's loop integrated.

    IPython runs Qt's loop between cells (a kernel) or while waiting for input (the terminal),
    not while a cell runs, so its ``active_eventloop`` is asked as well (napari does the same).
    Where IPython runs no GUI loop yet (or only matplotlib's "inline"), Qt's is turned on as
    ``%gui qt`` would, so the window works and the kernel stays responsive; another toolkit's
    loop (tk, wx ...) is left alone.
    """
    from PySide6.QtCore import QThread

    if QThread.currentThread().loopLevel() > 0:
        return True
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    if shell is None:
        return False
    loop = getattr(shell, "active_eventloop", None)
    if loop in (None, "inline") and callable(getattr(shell, "enable_gui", None)):
        shell.enable_gui("qt")
        loop = getattr(shell, "active_eventloop", None)
    return isinstance(loop, str) and loop.startswith("qt")


def window_class() -> type:
    """The main window, with a title that says when the arrays were reshaped to 2-D."""
    from reluviz.ui.main_window import MainWindow

    class ShownWindow(MainWindow):
        shape_note: str | None = None
        noted_shape: tuple[int, ...] = ()

        def _update_title(self) -> None:
            super()._update_title()
            # The note holds while the window shows the arrays it describes (not a session or
            # a preset opened later).
            if self.shape_note and self.session_path is None and self.model.shape == self.noted_shape:
                self.setWindowTitle(f"untitled — {self.shape_note}[*] — reluviz")

        def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
            super().closeEvent(event)
            if event.isAccepted() and self in _open_windows:
                _open_windows.remove(self)

    return ShownWindow


def checked_show_input(z: Any, dvalues: Any, recording: bool | None) -> tuple[ArraysInput, Recording | None]:
    """The arrays to show first (step 0 of a recording) and the recording, if any; refused before Qt starts."""
    from reluviz.core.recording import wants_recording

    recorded = normalize_recording(z, dvalues) if wants_recording(z, dvalues, recording) else None
    arrays = normalize_pair(z, dvalues) if recorded is None else recorded.step(0)
    return arrays, recorded


def application_for_window() -> tuple[QGuiApplication, bool]:
    """``(app, ours)``: a Qt application that can show a window, and whether reluviz made it.

    Raises
    ------
    RuntimeError
        No display to show a window on, or a Qt application that cannot hold windows.
    """
    platform = platform_for_new_app()
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None and platform == "offscreen":
        raise RuntimeError("reluviz.show needs a display, and this session has none (no DISPLAY or "
                           "WAYLAND_DISPLAY); use reluviz.figure(z, dvalues) for a picture, or set "
                           "QT_QPA_PLATFORM to choose a Qt platform yourself.")
    app, created = application(widgets=True)
    ours = created or app is _app  # made here (perhaps by an earlier figure()), not by the caller
    if created and platform and app.platformName() == "offscreen":
        raise RuntimeError(f"reluviz.show could not open the display {os.environ.get('DISPLAY', '')!r}; "
                           "use reluviz.figure(z, dvalues) for a picture.")
    return app, ours


def open_window(app: QGuiApplication, ours: bool, arrays: ArraysInput, recorded: Recording | None,
                inclusive: bool) -> QMainWindow:
    """Make the main window on ``arrays`` (and the recording), styled as the app, and show it."""
    from PySide6.QtCore import QCoreApplication

    from reluviz.core.arrays_document import ArraysDocument
    from reluviz.core.recording import RecordingDocument

    load_fonts()
    from reluviz.render.fonts import ui_font

    if ours:  # the same look as the app; the caller's own application keeps its look
        app.setStyle("Fusion")
        app.setFont(ui_font(10))
    if not QCoreApplication.organizationName():
        # Preferences (window size, colormap) go where the app keeps them.
        QCoreApplication.setOrganizationName("reluviz")
        QCoreApplication.setApplicationName("reluviz")
    window = window_class()(ArraysDocument(arrays.z, arrays.dvalues, inclusive=inclusive))
    if not ours:
        window.setFont(ui_font(10))
    if recorded is not None:
        from reluviz.ui.recording_bar import attach_recording

        attach_recording(window.arrays_view, RecordingDocument.from_input(recorded, inclusive=inclusive))
    window.shape_note = arrays.note
    window.noted_shape = arrays.z.shape
    window._update_title()
    _open_windows.append(window)
    window.show()
    return window


def run_until_closed(app: QGuiApplication) -> None:
    """Run Qt's event loop until the last window closes."""
    from reluviz.ui.app import show_error_dialog

    # While the loop runs, an unexpected error shows the app's dialog instead of being lost;
    # the caller's own hook comes back afterwards.
    previous_hook = sys.excepthook
    sys.excepthook = show_error_dialog
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook


# -- figure: its options checked -----------------------------------------------------------------


def check_figure_options(view: str, views: tuple[str, ...], theme: str, colormap: str | None) -> None:
    """Refuse a view not in ``views``, an unknown theme or an unknown colormap."""
    from reluviz.core.colour import COLORMAPS
    from reluviz.core.io.limits import InputError

    if view not in views:
        raise InputError(f"Unknown view {view!r}; figure() draws {', '.join(views)} "
                         "(reluviz.export draws the network).")
    if theme not in ("light", "dark"):
        raise InputError(f"Unknown theme {theme!r}; the themes are light and dark.")
    if colormap is not None and colormap not in COLORMAPS:
        raise InputError(f"Unknown colormap {colormap!r}; the colormaps are {', '.join(COLORMAPS)}.")


def figure_size(size: Any) -> tuple[int, int]:
    from reluviz.core.io.limits import InputError

    try:
        width, height = (int(side) for side in size)
    except (TypeError, ValueError):
        raise InputError(f"size {size!r} is not (width, height) in pixels, e.g. (1920, 1080).") from None
    from reluviz.render.export_formats import MAX_EXPORT_PX, MIN_EXPORT_PX

    if not (MIN_EXPORT_PX <= width <= MAX_EXPORT_PX and MIN_EXPORT_PX <= height <= MAX_EXPORT_PX):
        raise InputError(f"size {width}x{height} is out of range; each side must be {MIN_EXPORT_PX} to "
                         f"{MAX_EXPORT_PX} px.")
    return width, height


# -- export: the command's own code, from Python ---------------------------------------------------


def run_export(output: str | os.PathLike[str], z: Any, dvalues: Any, *, view: str, inclusive: bool,
               preset: str | None, session: str | os.PathLike[str] | None, frame: int | None,
               network_preset: str | None, sample: int | str | None, seed: int | None,
               size: tuple[int, int] | str | None, scale: float | None, theme: str, colormap: str | None,
               caption: str | None, transparent: bool, presentation: bool, fps: float | None) -> Path:
    """:func:`reluviz.api.export`, whose documentation says what each keyword does."""
    from reluviz import export_cli
    from reluviz.api import figure
    from reluviz.core.io.limits import InputError

    if (z is None) != (dvalues is None):
        raise InputError("z and dvalues go together (both arrays must have the same shape).")
    argv = ["--output", os.fspath(output), "--view", view, "--theme", theme]
    options = {"--preset": preset, "--session": session, "--frame": frame, "--network-preset": network_preset,
               "--sample": sample, "--seed": seed, "--scale": scale, "--colormap": colormap, "--caption": caption,
               "--fps": fps}
    if size is not None:
        options["--size"] = size if isinstance(size, str) else "x".join(str(int(side)) for side in size)
    for flag, value in options.items():
        if value is not None:
            argv += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    argv += [flag for flag, on in (("--strict", not inclusive), ("--transparent", transparent),
                                   ("--presentation", presentation)) if on]
    try:
        args = export_cli.build_parser().parse_args(argv)
        kind, (width, height) = export_cli._check(args)
        if z is None:
            application(widgets=False)  # a QApplication, offscreen where needed, before the command's own
            return export_cli._render(args, kind, (width, height))
    except export_cli.UsageError as error:
        raise ValueError(str(error)) from None
    if preset is not None or session is not None or view == "network":
        raise InputError("z and dvalues give the arrays; don't combine them with preset, session or "
                         "view='network'.")
    return figure(z, dvalues, view, inclusive=inclusive, size=(width, height), theme=theme, colormap=colormap,
                  caption=caption, transparent=transparent, presentation=presentation).save(output)
