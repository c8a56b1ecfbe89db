"""The Python surface of reluviz: :func:`show`, :func:`figure` and :func:`export`.

Importing this module imports no Qt: each function imports PySide6 when it is called, so
``import reluviz`` stays as light as ``reluviz --version``.

Where there is no ``QApplication`` yet, these functions make one. :func:`figure` and
:func:`export` never need a screen: without a display they use Qt's offscreen platform, and with
one they fall back to it if the display cannot be opened (instead of Qt aborting the process).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reluviz import _api_impl
from reluviz._api_impl import application as _application
from reluviz._api_impl import load_fonts as _load_fonts
from reluviz.core.io.arrays_input import ArraysInput, normalize_pair

if TYPE_CHECKING:  # pragma: no cover - imports for annotations only
    from PySide6.QtWidgets import QMainWindow

    from reluviz.render.figures import Figure

__all__ = ["ArraysFigure", "export", "figure", "show"]

ARRAY_VIEWS = ("arrays", "z", "dvalues", "mask", "drelu")
"""What :func:`figure` draws: the four panels, or one of them."""

DEFAULT_FIGURE_SIZE = (1280, 720)


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
    arrays, recorded = _api_impl.checked_show_input(z, dvalues, recording)  # refused before Qt starts
    app, ours = _api_impl.application_for_window()
    window = _api_impl.open_window(app, ours, arrays, recorded, inclusive)
    if block is False or (block is None and _api_impl.qt_loop_running()):
        return window
    _api_impl.run_until_closed(app)
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
    from reluviz.render import figures as export
    from reluviz.render.theme import PRESENTATION_SCALE, THEMES

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
    _api_impl.check_figure_options(view, ARRAY_VIEWS, theme, colormap)
    width, height = _api_impl.figure_size(size)
    arrays = normalize_pair(z, dvalues)
    if caption is None and arrays.note:
        caption = arrays.note
    return ArraysFigure(arrays, view, (width, height), inclusive, theme, colormap, caption, transparent,
                        presentation)


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
    return _api_impl.run_export(
        output, z, dvalues, view=view, inclusive=inclusive, preset=preset, session=session, frame=frame,
        network_preset=network_preset, sample=sample, seed=seed, size=size, scale=scale, theme=theme,
        colormap=colormap, caption=caption, transparent=transparent, presentation=presentation, fps=fps,
    )
