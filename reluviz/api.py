"""The Python surface of reluviz: :func:`show`, :func:`figure` and :func:`export`.

Importing this module imports no Qt: each function imports PySide6 when it is called, so
``import reluviz`` stays as light as ``reluviz --version``.

Where there is no ``QApplication`` yet, these functions make one. :func:`figure` and
:func:`export` never need a screen: without a display they use Qt's offscreen platform, and with
one they fall back to it if the display cannot be opened (instead of Qt aborting the process).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reluviz.core.io.arrays_input import ArraysInput, normalize_pair, normalize_recording

if TYPE_CHECKING:  # pragma: no cover - imports for annotations only
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMainWindow

    from reluviz.render.figures import Figure

__all__ = ["ArraysFigure", "export", "figure", "show"]

ARRAY_VIEWS = ("arrays", "z", "dvalues", "mask", "drelu")
"""What :func:`figure` draws: the four panels, or one of them."""

DEFAULT_FIGURE_SIZE = (1280, 720)

# The QApplication made here, kept alive for the life of the process (Qt allows one).
_app: Any = None
# Windows opened by show() that are not closed yet: a window the caller drops must not vanish.
_open_windows: list[Any] = []


# -- the application ---------------------------------------------------------------------------


def _platform_for_new_app() -> str | None:
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


def _application(*, widgets: bool) -> tuple[QGuiApplication, bool]:
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
    platform = _platform_for_new_app()
    argv = ["reluviz"] + (["-platform", platform] if platform else [])
    _app = QApplication(argv)
    return _app, True


def _load_fonts() -> None:
    from reluviz.render.fonts import load_app_fonts

    load_app_fonts()


# -- show ----------------------------------------------------------------------------------------


def _qt_loop_running() -> bool:
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


def _window_class() -> type:
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


def show(z: Any, dvalues: Any, *, inclusive: bool = True, block: bool | None = None,
         recording: bool | None = None) -> QMainWindow:
    """Open the explorer on ``z`` and ``dvalues``.

    Parameters
    ----------
    z, dvalues : array_like
        Equal-shaped arrays: lists, NumPy arrays of any integer or float dtype, or tensors (a
        PyTorch tensor's ``.detach().cpu().numpy()`` is called for you). Arrays with more than
        two dimensions are shown as 2-D, the last axis as columns and the leading axes flattened
        into rows; the window title says so. The window edits copies: your arrays never change.
    inclusive : bool, default True
        ``True`` blocks the gradient where ``z <= 0`` (the book); ``False`` where ``z < 0``.
    block : bool, optional
        ``None`` (default) decides by itself: from a script, wait until the window is closed;
        where a Qt event loop already runs (inside a Qt application, or IPython or Jupyter after
        ``%gui qt``), return at once and leave the loop running. In IPython or Jupyter with no
        GUI loop yet, Qt's is turned on first, as ``%gui qt`` does. ``True`` or ``False`` force it.
    recording : bool, optional
        Your own training, step by step: ``z`` and ``dvalues`` recorded at each step of your
        loop. ``None`` (default) reads lists or tuples of arrays of two or more dimensions (what
        ``zs.append(z.copy())`` builds) as a recording, anything else as one pair. ``True`` also
        reads one array's first axis as the steps; ``False`` never records (a list of 2-D arrays
        is then one array, flattened into rows). A single 3-D array is one pair unless you say
        ``recording=True``: a steps axis is never guessed from a shape. A recording shows a step
        slider above the Arrays panels, with the dead units (columns blocked in every row) per
        step; editing edits a copy of the step, and sessions keep the recording.

    Returns
    -------
    MainWindow
        The window. After it is closed, ``window.model.z`` and ``window.model.dvalues`` hold the
        arrays as you left them.

    Raises
    ------
    reluviz.core.io.limits.InputError
        Arrays the explorer cannot show (the message says what is accepted).
    RuntimeError
        No display to show a window on (use :func:`figure` for a picture), or a Qt application
        that cannot hold windows already exists.

    Examples
    --------
    >>> import numpy as np, reluviz
    >>> z = np.array([[1.0, -2.0], [0.0, 3.0]])
    >>> window = reluviz.show(z, np.ones_like(z))  # doctest: +SKIP
    """
    from reluviz.core.arrays_document import ArraysDocument
    from reluviz.core.recording import RecordingDocument, wants_recording

    recorded = normalize_recording(z, dvalues) if wants_recording(z, dvalues, recording) else None
    arrays = normalize_pair(z, dvalues) if recorded is None else recorded.step(0)  # refused before Qt starts
    platform = _platform_for_new_app()
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None and platform == "offscreen":
        raise RuntimeError("reluviz.show needs a display, and this session has none (no DISPLAY or "
                           "WAYLAND_DISPLAY); use reluviz.figure(z, dvalues) for a picture, or set "
                           "QT_QPA_PLATFORM to choose a Qt platform yourself.")
    app, created = _application(widgets=True)
    ours = created or app is _app  # made here (perhaps by an earlier figure()), not by the caller
    if created and platform and app.platformName() == "offscreen":
        raise RuntimeError(f"reluviz.show could not open the display {os.environ.get('DISPLAY', '')!r}; "
                           "use reluviz.figure(z, dvalues) for a picture.")
    _load_fonts()
    from reluviz.render.fonts import ui_font

    if ours:  # the same look as the app; the caller's own application keeps its look
        app.setStyle("Fusion")
        app.setFont(ui_font(10))
    if not QCoreApplication.organizationName():
        # Preferences (window size, colormap) go where the app keeps them.
        QCoreApplication.setOrganizationName("reluviz")
        QCoreApplication.setApplicationName("reluviz")
    window = _window_class()(ArraysDocument(arrays.z, arrays.dvalues, inclusive=inclusive))
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
    if block is False or (block is None and _qt_loop_running()):
        return window
    from reluviz.ui.app import show_error_dialog

    # While the loop runs, an unexpected error shows the app's dialog instead of being lost;
    # the caller's own hook comes back afterwards.
    previous_hook = sys.excepthook
    sys.excepthook = show_error_dialog
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook
    return window


# -- figure --------------------------------------------------------------------------------------


@dataclass(repr=False)
class ArraysFigure:
    """A picture of the array panels: shows inline in Jupyter, saves as PNG, SVG or PDF.

    Made by :func:`figure`. Rendering happens when a picture is asked for, with the same renderer
    as the screen and ``reluviz export``.

    Attributes
    ----------
    arrays : ArraysInput
        The checked 2-D arrays (and the note when they were reshaped).
    view : str
        ``"arrays"`` (the four panels) or one panel: ``"z"``, ``"dvalues"``, ``"mask"``, ``"drelu"``.
    size : tuple of int
        ``(width, height)`` in pixels.
    """

    arrays: ArraysInput
    view: str = "arrays"
    size: tuple[int, int] = DEFAULT_FIGURE_SIZE
    inclusive: bool = True
    theme: str = "light"
    colormap: str | None = None
    caption: str | None = None
    transparent: bool = False
    presentation: bool = False
    _figure: Any = field(default=None, init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        from reluviz.core.io.limits import format_shape

        z, dvalues = self.arrays.z, self.arrays.dvalues
        return (f"<reluviz figure {self.view!r}: z {format_shape(z.shape)} {z.dtype}, dvalues {dvalues.dtype}, "
                f"{self.size[0]}×{self.size[1]} px>")

    def qt_figure(self) -> Figure:
        """The :class:`reluviz.render.figures.Figure` the writers take (made once, then reused)."""
        if self._figure is None:
            self._figure = _arrays_qt_figure(self)
        return self._figure

    def to_png(self) -> bytes:
        """The figure as PNG bytes."""
        from reluviz.render.figures import figure_image
        from reluviz.render.writers import png_bytes

        return png_bytes(figure_image(self.qt_figure()))

    def to_svg(self) -> str:
        """The figure as SVG text (cells as rectangles, labels as text)."""
        from reluviz.render.writers import svg_bytes

        return svg_bytes(self.qt_figure()).decode("utf-8")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the figure to ``path`` as ``.png``, ``.svg`` or ``.pdf`` (atomically); return the path."""
        from reluviz.render.writers import write_figure

        return write_figure(path, self.qt_figure())

    def _repr_png_(self) -> bytes:
        return self.to_png()

    def _repr_svg_(self) -> str:
        return self.to_svg()


def _arrays_qt_figure(spec: ArraysFigure) -> Figure:
    """Build the figure exactly as ``reluviz export`` builds an arrays figure."""
    _application(widgets=False)
    _load_fonts()
    from reluviz.core.colour import DEFAULT_COLORMAP
    from reluviz.export_cli import PRESENTATION_SCALE
    from reluviz.render import figures as export
    from reluviz.render.theme import THEMES

    theme = THEMES[spec.theme].scaled(PRESENTATION_SCALE) if spec.presentation else THEMES[spec.theme]
    panels = export.panels_from_arrays(spec.arrays.z, spec.arrays.dvalues, inclusive=spec.inclusive,
                                       cmap=spec.colormap or DEFAULT_COLORMAP)
    caption = export.code_caption(spec.inclusive) if spec.caption == "code" else spec.caption
    roles = export.ROLES if spec.view == "arrays" else (spec.view,)
    return export.arrays_figure(panels, spec.size[0], spec.size[1], theme, caption=caption, roles=roles,
                                transparent=spec.transparent)


def figure(z: Any, dvalues: Any, view: str = "arrays", *, inclusive: bool = True,
           size: tuple[int, int] = DEFAULT_FIGURE_SIZE, theme: str = "light", colormap: str | None = None,
           caption: str | None = None, transparent: bool = False, presentation: bool = False) -> ArraysFigure:
    """A picture of ``z``, ``dvalues``, the mask and ``drelu``, for a notebook or a slide.

    Works without a display and without a ``QApplication`` (one is made, offscreen where there
    is no screen). In Jupyter the returned object shows inline; ``.save(path)`` writes a file.

    Parameters
    ----------
    z, dvalues : array_like
        As for :func:`show` (lists, NumPy arrays, tensors; more than 2-D is flattened into rows,
        and the caption says so unless you give one).
    view : {"arrays", "z", "dvalues", "mask", "drelu"}
        The four panels (default) or one of them.
    inclusive : bool, default True
        ``z <= 0`` (the book) or, when False, ``z < 0``.
    size : (int, int), default (1280, 720)
        Pixels; 64 to 8192 a side. Text and lines scale with the size.
    theme : {"light", "dark"}
    colormap : str, optional
        A name from :data:`reluviz.core.colour.COLORMAPS` (default blue-red).
    caption : str, optional
        A line under the figure; ``"code"`` prints ``drelu = dvalues.copy(); drelu[z <= 0] = 0``.
    transparent : bool
        No background fill (PNG, SVG, PDF).
    presentation : bool
        Larger text and thicker lines, as View → Presentation style.

    Returns
    -------
    ArraysFigure

    Raises
    ------
    reluviz.core.io.limits.InputError
        Arrays the explorer cannot show, or a size, view, theme or colormap it does not know.

    Examples
    --------
    >>> import pathlib, tempfile, reluviz
    >>> fig = reluviz.figure([[1.0, -2.0, 0.0]], [[3.0, 4.0, 5.0]], caption="code")
    >>> fig.to_png()[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    >>> fig.save(pathlib.Path(tempfile.mkdtemp()) / "relu.svg").name
    'relu.svg'
    """
    from reluviz.core.colour import COLORMAPS
    from reluviz.core.io.limits import InputError

    if view not in ARRAY_VIEWS:
        raise InputError(f"Unknown view {view!r}; figure() draws {', '.join(ARRAY_VIEWS)} "
                         "(reluviz.export draws the network).")
    if theme not in ("light", "dark"):
        raise InputError(f"Unknown theme {theme!r}; the themes are light and dark.")
    if colormap is not None and colormap not in COLORMAPS:
        raise InputError(f"Unknown colormap {colormap!r}; the colormaps are {', '.join(COLORMAPS)}.")
    width, height = _figure_size(size)
    arrays = normalize_pair(z, dvalues)
    if caption is None and arrays.note:
        caption = arrays.note
    return ArraysFigure(arrays, view, (width, height), inclusive, theme, colormap, caption, transparent,
                        presentation)


def _figure_size(size: Any) -> tuple[int, int]:
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


# -- export --------------------------------------------------------------------------------------


def export(output: str | os.PathLike[str], z: Any = None, dvalues: Any = None, *, view: str = "arrays",
           inclusive: bool = True, preset: str | None = None, session: str | os.PathLike[str] | None = None,
           frame: int | None = None, network_preset: str | None = None, sample: int | str | None = None,
           seed: int | None = None, size: tuple[int, int] | str | None = None, scale: float | None = None,
           theme: str = "light", colormap: str | None = None, caption: str | None = None,
           transparent: bool = False, presentation: bool = False, fps: float | None = None) -> Path:
    """Write what ``reluviz export`` writes, from Python: arrays, a session, a preset or the network.

    Each keyword is the command's option of the same name (``network_preset`` is
    ``--network-preset``; ``inclusive=False`` is ``--strict``) and is checked by the same code,
    so messages name the options. ``z`` and ``dvalues`` are arrays here, not files.

    Parameters
    ----------
    output : path
        ``.png``, ``.svg``, ``.pdf``; with ``view="network"`` also ``.gif``, ``.webp``, ``.mp4`` or a
        folder for numbered PNG frames.
    z, dvalues : array_like, optional
        The arrays (as for :func:`figure`); the book's example (or ``preset``) when omitted.
    view : {"arrays", "z", "dvalues", "mask", "drelu", "network"}
    inclusive : bool, default True
        ``z <= 0`` (the book) or, when False, ``z < 0`` (``--strict``).
    size : (int, int) or str, optional
        ``(1920, 1080)`` or ``"1920x1080"`` (the default); or ``scale`` times 1280×720.

    Other Parameters
    ----------------
    preset, session, frame, network_preset, sample, seed, scale : optional
        As ``reluviz export --help`` describes each option.
    theme, colormap, caption, transparent, presentation, fps : optional
        As for :func:`figure`, and ``fps`` for the network animation.

    Returns
    -------
    pathlib.Path
        The file (or folder) written.

    Raises
    ------
    ValueError
        A combination or value the command refuses (:class:`reluviz.core.io.limits.InputError` for
        bad arrays and files), with the command's one-line message.

    Examples
    --------
    >>> import pathlib, tempfile, reluviz
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> reluviz.export(folder / "book.png", size=(1280, 720)).name
    'book.png'
    >>> reluviz.export(folder / "relu.pdf", [[1.0, -2.0]], [[3.0, 4.0]], caption="code").name
    'relu.pdf'
    """
    from reluviz import export_cli
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
            _application(widgets=False)  # a QApplication, offscreen where needed, before the command's own
            return export_cli._render(args, kind, (width, height))
    except export_cli.UsageError as error:
        raise ValueError(str(error)) from None
    if preset is not None or session is not None or view == "network":
        raise InputError("z and dvalues give the arrays; don't combine them with preset, session or "
                         "view='network'.")
    return figure(z, dvalues, view, inclusive=inclusive, size=(width, height), theme=theme, colormap=colormap,
                  caption=caption, transparent=transparent, presentation=presentation).save(output)
