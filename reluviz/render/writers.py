"""File writers: figures and frames written as PNG, SVG, PDF, GIF, WebP, MP4 or a folder of frames.

=============  =======================================================================
``.png``       :func:`write_png` (:func:`png_bytes`: NumPy rows, zlib in parallel bands)
``.svg``       :func:`write_svg` (QSvgGenerator; cells as rectangles, labels as text)
``.pdf``       :func:`write_pdf` (QPdfWriter; one page the size of the figure)
``.gif``       :func:`write_animation` (:func:`reluviz.render.gif_writer.write_gif_stream`)
``.webp``      :func:`write_animation` (Pillow/libwebp, animated WebP, frames streamed)
``.mp4``       :func:`write_animation` (only if the optional ``imageio-ffmpeg`` is installed)
folder         :func:`write_animation` (numbered PNG frames, moved into place when all are written)
=============  =======================================================================

Every writer is atomic: the old file (or folder) is either replaced whole or left untouched.
Rendering into a ``QImage`` is allowed off the UI thread (Qt supports QPainter on QImage in any
thread), so the animation writers can run whole in a worker; they take a ``progress`` callback
that returns ``False`` to cancel (raising :class:`ExportCancelledError`). The SVG, PDF, GIF,
WebP and MP4 machinery is imported when first used: a PNG export does not pay for it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from PySide6.QtGui import QImage

from reluviz.core.io.files import write_atomically
from reluviz.core.io.limits import InputError
from reluviz.render.export_formats import ANIMATION_SUFFIXES, IMAGE_SUFFIXES, MP4_UNAVAILABLE, mp4_available
from reluviz.render.figures import Figure, figure_image, figure_title, software_name
from reluviz.render.png_encoder import PNG_FILTER, PNG_FILTERS, PNG_ZLIB_LEVEL, png_bytes

__all__ = [
    "ANIMATION_SUFFIXES",
    "IMAGE_SUFFIXES",
    "PNG_FILTER",
    "PNG_FILTERS",
    "PNG_ZLIB_LEVEL",
    "ExportCancelledError",
    "Progress",
    "animation_needs",
    "available_disk",
    "available_memory",
    "check_animation_fits",
    "mp4_available",
    "pdf_bytes",
    "png_bytes",
    "svg_bytes",
    "write_animation",
    "write_figure",
    "write_pdf",
    "write_png",
    "write_svg",
]

Progress = Callable[[int, int], bool]


class ExportCancelledError(Exception):
    """The user cancelled an export; nothing was written."""


# -- PNG -------------------------------------------------------------------------------------------


def _write_bytes(path: str | os.PathLike[str], encoded: bytes) -> Path:
    write_atomically(path, lambda file: file.write(encoded))
    return Path(path)


def write_png(path: str | os.PathLike[str], image: QImage, level: int = PNG_ZLIB_LEVEL) -> Path:
    """Write ``image`` to ``path`` as PNG, atomically. Safe to call from a worker thread."""
    return _write_bytes(path, png_bytes(image, level))


# -- SVG and PDF -----------------------------------------------------------------------------------


def _paint_vector(device, figure: Figure) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    painter = QPainter()
    if not painter.begin(device):
        raise InputError("Qt could not start drawing the vector file.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not figure.transparent:
            painter.fillRect(QRectF(0, 0, figure.width, figure.height), figure.background)
        figure.draw(painter, QRectF(0, 0, figure.width, figure.height), True)
    finally:
        painter.end()


def _buffer():
    """An empty ``QByteArray`` and a ``QBuffer`` open to write into it."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    return data, buffer


def svg_bytes(figure: Figure, title: str | None = None) -> bytes:
    """Render ``figure`` as SVG: cells as rectangles (up to 128×128 visible), labels as text.

    ``<title>`` is ``title`` or what the figure shows; ``<desc>`` adds the program and version.
    """
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtSvg import QSvgGenerator

    title = title or figure_title(figure)
    data, buffer = _buffer()
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(figure.width, figure.height))
    generator.setViewBox(QRectF(0, 0, figure.width, figure.height))
    generator.setResolution(96)  # 96 px = 1 inch, the same physical size as the PDF
    generator.setTitle(title)
    generator.setDescription(f"{title}. Made with {software_name()}.")
    _paint_vector(generator, figure)
    buffer.close()
    return _with_font_fallbacks(data.data())


# The shipped DejaVu fonts are not installed on most slide machines: name close relatives and a
# generic family after them, so an SVG opened elsewhere keeps monospaced values monospaced.
_SVG_FONT_FALLBACKS = (
    (b'font-family="DejaVu Sans Mono"', b"font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\""),
    (b'font-family="DejaVu Sans"', b"font-family=\"'DejaVu Sans', Verdana, 'Segoe UI', sans-serif\""),
    (b'font-family="Sans Serif"', b"font-family=\"'DejaVu Sans', Verdana, sans-serif\""),
)


def _with_font_fallbacks(svg: bytes) -> bytes:
    for plain, with_fallbacks in _SVG_FONT_FALLBACKS:
        svg = svg.replace(plain, with_fallbacks)
    return svg


def write_svg(path: str | os.PathLike[str], figure: Figure) -> Path:
    """Write ``figure`` to ``path`` as SVG, atomically."""
    return _write_bytes(path, svg_bytes(figure))


def pdf_bytes(figure: Figure, title: str | None = None) -> bytes:
    """Render ``figure`` as a one-page PDF whose page is the figure (96 px = 1 inch, no margins).

    The document's Title is ``title`` or what the figure shows; its Creator the program and version.
    """
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    title = title or figure_title(figure)
    data, buffer = _buffer()
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator(software_name())
    writer.setResolution(96)
    points = QSizeF(figure.width * 72 / 96, figure.height * 72 / 96)
    layout = QPageLayout(QPageSize(points, QPageSize.Unit.Point, "reluviz", QPageSize.SizeMatchPolicy.ExactMatch),
                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    writer.setPageLayout(layout)
    _paint_vector(writer, figure)
    del writer  # finishes the document
    buffer.close()
    return data.data()


def write_pdf(path: str | os.PathLike[str], figure: Figure) -> Path:
    """Write ``figure`` to ``path`` as a one-page PDF, atomically."""
    return _write_bytes(path, pdf_bytes(figure))


def write_figure(path: str | os.PathLike[str], figure: Figure) -> Path:
    """Write ``figure`` in the format its suffix names (``.png``, ``.svg``, ``.pdf``)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return write_png(path, figure_image(figure))
    if suffix == ".svg":
        return write_svg(path, figure)
    if suffix == ".pdf":
        return write_pdf(path, figure)
    raise InputError(f"Cannot export '{Path(path).name}': a still image is saved as .png, .svg or .pdf.")


def _tracked(frames: Iterable[QImage], count: int, progress: Progress | None) -> Iterator[QImage]:
    for done, image in enumerate(frames):
        if progress is not None and not progress(done, count):
            raise ExportCancelledError
        yield image
    if progress is not None and not progress(count, count):
        raise ExportCancelledError


# -- what an animation needs before it starts ------------------------------------------------------

# Working memory per pixel while writing: the frame (4 B), its static layer (4 B), the current,
# previous and pending frames (3 × 4 B), the changed mask and its indices (~9 B), and while the
# palette is built, one sample's sort (~20 B) — for WebP/MP4, the RGB copy handed to the encoder
# and its own buffers (~12 B). Measured peaks stay below these (bench_animation.py).
_BYTES_PER_PIXEL_WORKING = {".gif": 40, ".webp": 40, ".mp4": 32, "": 20}
# Output bytes per pixel per frame, generous (measured ~0.02-0.07 for GIF, ~0.3 for PNG frames).
_BYTES_PER_PIXEL_OUTPUT = {".gif": 0.15, ".webp": 0.1, ".mp4": 0.05, "": 0.6}
_FIXED_OVERHEAD = 64 * 2**20  # the palette lookup table (16 MB) and Qt's own buffers


def available_memory() -> int | None:
    """Bytes of memory this process can still use without swapping, or ``None`` if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def available_disk(folder: Path) -> int | None:
    """Free bytes on the disk holding ``folder``, or ``None`` if unknown."""
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def animation_needs(width: int, height: int, count: int, suffix: str) -> tuple[int, int]:
    """``(memory, disk)`` in bytes that writing ``count`` frames of ``width`` × ``height`` needs.

    Frames are streamed (one at a time), so memory does not grow with the frame count; WebP keeps
    its compressed frames until the end, counted with the output.
    """
    pixels = width * height
    output = math.ceil(pixels * count * _BYTES_PER_PIXEL_OUTPUT[suffix])
    memory = pixels * _BYTES_PER_PIXEL_WORKING[suffix] + _FIXED_OVERHEAD + (output if suffix == ".webp" else 0)
    return memory, output


def _gigabytes(amount: int) -> str:
    return f"{amount / 2**30:.1f} GB" if amount >= 2**30 else f"{amount / 2**20:.0f} MB"


def check_animation_fits(path: str | os.PathLike[str], width: int, height: int, fps: float, count: int) -> None:
    """Refuse, before any frame is drawn, an animation that would not fit in memory or on disk.

    Raises
    ------
    InputError
        Saying how much is needed, how much there is, and a size or frame rate that would fit.
    """
    p = Path(path)
    suffix = p.suffix.lower() if p.suffix.lower() in ANIMATION_SUFFIXES else ""
    memory, output = animation_needs(width, height, count, suffix)
    free_memory = available_memory()
    if free_memory is not None and memory > free_memory:
        fitting = [f"{w}×{h}" for w, h in ((3840, 2160), (1920, 1080), (1280, 720), (640, 360))
                   if w * h < width * height and animation_needs(w, h, count, suffix)[0] <= free_memory]
        hint = f"{fitting[0]} would fit" if fitting else "close other programs and try a smaller size"
        raise InputError(f"A {width}×{height} animation needs about {_gigabytes(memory)} of memory while it is "
                         f"written and {_gigabytes(free_memory)} is free; {hint}.")
    folder = p.parent if suffix else (p.parent if not p.exists() else p)
    free_disk = available_disk(folder if folder.is_dir() else p.parent)
    if free_disk is not None and output > free_disk:
        seconds = count / fps
        per_frame = max(1, output // max(1, count))
        fitting_fps = math.floor(free_disk / per_frame / max(seconds, 1e-9))
        hint = (f"{fitting_fps} frames per second would fit" if fitting_fps >= 1
                else "free some space or choose a smaller size")
        raise InputError(f"A {width}×{height} animation at {fps:g} fps may need up to {_gigabytes(output)} on disk "
                         f"and {_gigabytes(free_disk)} is free in '{folder}'; {hint}.")


def write_animation(path: str | os.PathLike[str], frames: Iterable[QImage], count: int, fps: float,
                    progress: Progress | None = None) -> Path:
    """Write frames as ``.gif``, animated ``.webp``, ``.mp4`` or numbered PNGs in a folder.

    Frames are streamed: each is rendered, encoded and dropped, so memory does not grow with their
    number. Whatever the format, the target is replaced only when every frame is written: a
    failure or Cancel leaves it (file or folder) as it was.

    Parameters
    ----------
    path : path
        A file ending in .gif, .webp or .mp4, or a folder (no suffix) for ``frame_0001.png`` ...
    frames : iterable of QImage
        Consumed once, lazily. A :class:`NetworkFrames` also gives the GIF its palette samples.
    count : int
        How many frames ``frames`` yields (for progress and the time each is shown).
    fps : float
    progress : callable, optional
        ``progress(done, total) -> bool``; returning False cancels (:class:`ExportCancelledError`,
        nothing is written).

    Raises
    ------
    InputError
        Unknown format, missing folder, or an animation that would not fit in memory or on disk
        (checked before the first frame is drawn).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in ("", *ANIMATION_SUFFIXES):
        raise InputError(f"Cannot export an animation as '{p.name}': use .gif, .webp, .mp4 or a folder name.")
    if suffix == ".mp4" and not mp4_available():
        raise InputError(MP4_UNAVAILABLE)
    if not p.parent.is_dir():
        raise InputError(f"Cannot save '{p.name}': the folder '{p.parent}' does not exist; "
                         "choose an existing folder.")
    size = (getattr(frames, "width", None), getattr(frames, "height", None))
    if None not in size:
        check_animation_fits(p, size[0], size[1], fps, count)
    samples = frames.palette_samples() if suffix == ".gif" and hasattr(frames, "palette_samples") else None
    stream = _tracked(frames, count, progress)
    if suffix == "":
        return _write_frame_folder(p, stream)
    if suffix == ".gif":
        from reluviz.render.animation_writers import write_gif_stream

        comment = f"{getattr(frames, 'title', 'reluviz animation')}. Made with {software_name()}."
        write_atomically(p, lambda file: write_gif_stream(file, stream, count, fps, samples, comment))
        return p
    from reluviz.render import animation_writers

    if suffix == ".webp":
        return animation_writers.write_webp(p, stream, count, fps)
    return animation_writers.write_mp4(p, stream, fps)


def _write_frame_folder(folder: Path, stream: Iterator[QImage]) -> Path:
    """Write numbered PNGs into a hidden sibling folder, then move them into place.

    A new (or empty) target folder is replaced by the finished one in one rename; into an existing
    folder with other files the frames are moved one by one at the end (a rename each, same disk),
    and older ``frame_*.png`` beyond the new count are removed so no stale frame is left mixed in.
    Failure or Cancel removes the sibling and leaves the target as it was.
    """
    import shutil
    import tempfile

    if folder.exists() and not folder.is_dir():
        raise InputError(f"Cannot write frames into '{folder}': it is a file; give a folder name.")
    if not folder.parent.is_dir():
        raise InputError(f"Cannot write frames into '{folder}': the folder '{folder.parent}' does not exist.")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    except OSError as exc:
        raise InputError(f"Cannot create a folder next to '{folder}': {exc.strerror or exc}.") from None
    try:
        count = 0
        for count, image in enumerate(stream, start=1):
            encoded = png_bytes(image)
            try:
                (temp / f"frame_{count:04d}.png").write_bytes(encoded)
            except OSError as exc:
                raise InputError(f"Cannot write the frames into '{folder}': {exc.strerror or exc}; "
                                 "nothing was changed there.") from None
        temp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a plain mkdir would not
        if not folder.exists() or not any(folder.iterdir()):
            if folder.exists():
                folder.rmdir()
            os.replace(temp, folder)
        else:
            for index in range(1, count + 1):
                name = f"frame_{index:04d}.png"
                os.replace(temp / name, folder / name)
            for stale in folder.glob("frame_*.png"):
                number = stale.stem.removeprefix("frame_")
                if number.isdigit() and int(number) > count:
                    stale.unlink()
            temp.rmdir()
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
