"""The animation encoders behind :func:`reluviz.render.writers.write_animation`, frames streamed.

GIF: one palette for every frame, only what changed written (Pillow encodes each frame's LZW data;
the header, palette, timing and changed-pixel boxes are written here). WebP through Pillow/libwebp;
MP4 through the optional ``imageio-ffmpeg``. Imported when an animation is written, not before.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from reluviz.core.io.files import write_atomically
from reluviz.core.io.limits import InputError
from reluviz.render.figures import software_name

__all__ = ["GifPalette", "packed_rgb", "rgb_array", "write_gif_stream", "write_mp4", "write_webp"]


# Index 255 is never drawn: it marks the pixels a frame leaves as they were (GIF transparency).
_TRANSPARENT = 255
_PALETTE_COLOURS = 255
# Browsers show a GIF frame of less than 2/100 s for 1/10 s: never write one that short.
_MIN_DELAY_CS = 2


class GifPalette:
    """One palette for every frame, and a fast exact nearest-colour map onto it.

    The frequent colours (the theme's fills, edges, text) enter the palette exactly; the remaining
    slots go to a median cut of the rest (antialiased edges of lines and text), weighted by how
    often each colour appears.
    """

    def __init__(self, samples: Iterable[np.ndarray]) -> None:
        from PIL import Image

        # Count colours sample by sample (sorting one frame at a time bounds the memory), then merge.
        per_sample, total = [], 0
        for sample in samples:
            per_sample.append(np.unique(sample & np.uint32(0xFFFFFF), return_counts=True))
            total += sample.size
        colours, where = np.unique(np.concatenate([c for c, _ in per_sample]), return_inverse=True)
        counts = np.bincount(where, weights=np.concatenate([n for _, n in per_sample])).astype(np.int64)
        order = np.argsort(-counts, kind="stable")
        colours, counts = colours[order], counts[order]
        # Colours covering ≥ 0.02 % of the samples each are flat fills: keep them exact.
        exact = colours[: min(128, int(np.count_nonzero(counts >= max(1, total * 0.0002))))]
        rest, rest_counts = colours[len(exact):], counts[len(exact):]
        chosen = [exact]
        room = _PALETTE_COLOURS - len(exact)
        if len(rest) <= room:
            chosen.append(rest)
        else:
            # Weighted median cut of the rest; √count keeps rare antialiasing shades represented.
            weights = np.maximum(1, np.sqrt(rest_counts).astype(np.int64))
            spread = np.repeat(rest, weights)
            strip = Image.fromarray(_unpack(spread).reshape(1, -1, 3), "RGB")
            cut = strip.quantize(colors=room, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            used = cut.getpalette()[: 3 * room]
            cut_rgb = np.array(used, np.uint32).reshape(-1, 3)
            chosen.append((cut_rgb[:, 0] << 16) | (cut_rgb[:, 1] << 8) | cut_rgb[:, 2])
        palette = np.concatenate(chosen)[:_PALETTE_COLOURS]
        self.colours = _unpack(palette).astype(np.int32)  # (n, 3)
        self._colours_t = self.colours.T.astype(np.float64)
        self._norms = (self._colours_t**2).sum(axis=0)
        # colour → palette index; _TRANSPARENT marks "not looked up yet" (it is never a result).
        self._lookup = np.full(1 << 24, _TRANSPARENT, np.uint8)
        self._lookup[palette] = np.arange(len(palette), dtype=np.uint8)

    def rgb_bytes(self) -> bytes:
        """The 256-entry colour table (unused entries repeat the first colour)."""
        table = np.zeros((256, 3), np.uint8)
        table[:] = self.colours[0]
        table[: len(self.colours)] = self.colours
        return table.tobytes()

    def indices(self, packed: np.ndarray) -> np.ndarray:
        """Map ``0x··RRGGBB`` pixels to palette indices (nearest colour, exact, cached)."""
        packed = packed & np.uint32(0xFFFFFF)
        found = self._lookup[packed]
        missing = found == _TRANSPARENT
        if missing.any():
            new = np.unique(packed[missing])
            for start in range(0, len(new), 4096):  # bounded (4096 × 255) distance table
                chunk = new[start:start + 4096]
                rgb = _unpack(chunk).astype(np.float64)
                # |a - b|² = |a|² - 2 a·b + |b|², with a·b a matrix product (exact in float64 here);
                # |a|² is the same for every palette colour, so it does not change the nearest.
                distance = self._norms[None, :] - 2.0 * (rgb @ self._colours_t)
                self._lookup[chunk] = np.argmin(distance, axis=1).astype(np.uint8)
            found = self._lookup[packed]
        return found


def _unpack(packed: np.ndarray) -> np.ndarray:
    packed = packed.astype(np.uint32, copy=False)
    return np.stack([(packed >> 16) & 0xFF, (packed >> 8) & 0xFF, packed & 0xFF], axis=-1).astype(np.uint8)


def _gif_frame_bytes(indices: np.ndarray, left: int, top: int, delay_cs: int, transparent: bool,
                     palette_image) -> list[bytes]:
    """One frame: graphic control extension, image descriptor (no local table), LZW data."""
    from PIL import GifImagePlugin, Image

    picture = Image.fromarray(indices, "P")
    picture.putpalette(palette_image)
    params: dict = {"duration": delay_cs * 10, "disposal": 1}  # 1: keep this frame under the next
    if transparent:
        params["transparency"] = _TRANSPARENT
    return GifImagePlugin.getdata(picture, offset=(left, top), **params)
def packed_rgb(image: QImage, copy: bool = True) -> np.ndarray:
    """``image`` as ``(height, width)`` uint32, ``0xffRRGGBB`` per pixel (RGB32's own layout).

    ``copy=False`` returns a view of the image's pixels: the caller keeps the image alive.
    """
    if image.format() != QImage.Format.Format_RGB32:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        copy = True  # the converted image dies with this call: a view of it would dangle
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    words = np.frombuffer(image.constBits(), np.uint32, count=stride // 4 * height).reshape(height, stride // 4)
    return words[:, :width].copy() if copy else words[:, :width]


def _gif_header(width: int, height: int, table: bytes, comment: str) -> bytes:
    """The file's header: size, the one global colour table, loop forever, and a comment."""
    header = [b"GIF89a", width.to_bytes(2, "little"), height.to_bytes(2, "little"),
              bytes([0xF7, 0, 0]), table,  # a global table of 256 colours, background index 0
              b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"]  # loop forever
    text = (comment or f"Made with {software_name()}.").encode("utf-8")
    header.append(b"!\xfe" + b"".join(bytes([len(text[i:i + 255])]) + text[i:i + 255]
                                      for i in range(0, len(text), 255)) + b"\x00")
    return b"".join(header)


def _emit_frame(file, palette: GifPalette, table: bytes, current: np.ndarray, changed: np.ndarray | None,
                delay: int) -> None:
    """Write ``current`` whole (``changed`` None) or only its ``changed`` pixels (flat indices)."""
    if changed is None:
        file.write(b"".join(_gif_frame_bytes(palette.indices(current), 0, 0, delay, False, table)))
        return
    rows, cols = np.divmod(changed, current.shape[1])
    top, left = int(rows[0]), int(cols.min())  # flat indices are sorted: rows[0] is the top row
    box = np.full((int(rows[-1]) + 1 - top, int(cols.max()) + 1 - left), _TRANSPARENT, np.uint8)
    box[rows - top, cols - left] = palette.indices(current.reshape(-1)[changed])
    file.write(b"".join(_gif_frame_bytes(box, left, top, delay, True, table)))


def _changes(current: np.ndarray, before: np.ndarray) -> np.ndarray:
    return np.flatnonzero(current != before)


def write_gif_stream(file, frames: Iterable[QImage], count: int, fps: float,
                     samples: Iterable[QImage] | None = None, comment: str = "") -> None:
    """Write ``frames`` to the open binary ``file`` as a looping GIF, one frame in memory at a time.

    Parameters
    ----------
    file : binary file
    frames : iterable of QImage
        ``count`` opaque frames of one size, shown ``1 / fps`` s each.
    count : int
    fps : float
    samples : iterable of QImage, optional
        Frames whose colours stand for the whole animation (the palette is built from them and the
        first frame); colours outside it map to the nearest palette entry.
    comment : str
        A GIF comment (e.g. what the animation shows).

    Notes
    -----
    Every frame shares one palette. A frame equal to the one before it lengthens that one instead
    of being written; otherwise only the bounding box of the changed pixels is written, with the
    unchanged pixels inside it transparent. Delays are whole 1/100 s, rounded on the running
    total so the animation lasts exactly ``count / fps`` s.
    """
    iterator = iter(frames)
    try:
        first = packed_rgb(next(iterator))
    except StopIteration:
        raise InputError("There are no frames to write.") from None
    palette = GifPalette(itertools.chain([first], (packed_rgb(sample, copy=False) for sample in samples or ())))
    table = palette.rgb_bytes()
    file.write(_gif_header(first.shape[1], first.shape[0], table, comment))

    def start_cs(index: int) -> int:
        return round(index * 100 / fps)

    written: np.ndarray | None = None  # what the canvas shows before the pending frame
    pending, pending_changed, pending_start = first, None, 0
    # The arrays below are views of these images' pixels (no copy): keep the images alive with them.
    alive: dict[str, QImage] = {}
    for index, image in enumerate(iterator, start=1):
        if image.format() != QImage.Format.Format_RGB32:
            image = image.convertToFormat(QImage.Format.Format_RGB32)
        current = packed_rgb(image, copy=False)
        if current.shape != first.shape:
            raise InputError("All frames of an animation must have the same size.")
        changed = _changes(current, pending)
        if changed.size == 0:
            continue  # a repeated frame: the pending one stays up longer
        if start_cs(index) - pending_start < _MIN_DELAY_CS:
            # Too soon to show a new frame: show this one in the pending one's place.
            pending, pending_changed = current, (None if written is None else _changes(current, written))
            alive["pending"] = image
            continue
        _emit_frame(file, palette, table, pending, pending_changed, start_cs(index) - pending_start)
        written, pending, pending_changed, pending_start = pending, current, changed, start_cs(index)
        alive["written"], alive["pending"] = alive.get("pending"), image
    _emit_frame(file, palette, table, pending, pending_changed, max(_MIN_DELAY_CS, start_cs(count) - pending_start))
    file.write(b";")


def rgb_array(image: QImage) -> np.ndarray:
    """``image`` as a ``(height, width, 3)`` uint8 RGB array (a copy), for Pillow and ffmpeg."""
    converted = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = converted.width(), converted.height(), converted.bytesPerLine()
    buffer = np.frombuffer(converted.constBits(), np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


# -- WebP and MP4 ----------------------------------------------------------------------------------


def write_webp(path: Path, stream: Iterator[QImage], count: int, fps: float) -> Path:
    """Animated WebP through Pillow, one frame in memory at a time.

    Pillow's WebP writer makes a list of ``append_images`` (every frame, uncompressed) but walks
    a multi-frame image with ``seek``: so the frames are handed over as one image whose ``seek``
    renders the next frame; libwebp keeps only the compressed frames.
    """
    from PIL import Image

    class StreamedFrames(Image.Image):
        def __init__(self) -> None:
            super().__init__()
            self.n_frames, self.is_animated, self._frame = count, count > 1, -1
            self.seek(0)

        def seek(self, frame: int) -> None:
            if frame == self._frame or (frame < self._frame and self._frame == count - 1):
                return  # Pillow seeks back to where it started once it is done
            if frame != self._frame + 1:
                raise EOFError("the frames are streamed and can only be read in order")
            picture = Image.fromarray(rgb_array(next(stream)))
            self.im, self._mode, self._size, self._frame = picture.im, picture.mode, picture.size, frame

        def tell(self) -> int:
            return self._frame

    try:
        frames = StreamedFrames()
    except StopIteration:
        raise InputError("There are no frames to write.") from None
    duration = max(20, round(1000 / fps))

    def write(file) -> None:
        frames.save(file, format="WEBP", quality=90, method=4, save_all=True, duration=duration, loop=0)

    write_atomically(path, write)
    return path


def write_mp4(path: Path, stream: Iterator[QImage], fps: float) -> Path:
    import imageio_ffmpeg

    temp = path.parent / f".{path.name}.{os.getpid()}.tmp.mp4"
    writer = None
    try:
        for image in stream:
            rgb = rgb_array(image)
            if writer is None:
                height, width = rgb.shape[:2]
                # H.264 with yuv420p needs even sides.
                size = (width - width % 2, height - height % 2)
                writer = imageio_ffmpeg.write_frames(str(temp), size, fps=fps, codec="libx264",
                                                     pix_fmt_out="yuv420p", quality=8, macro_block_size=1)
                writer.send(None)
            writer.send(np.ascontiguousarray(rgb[: size[1], : size[0]]))
        if writer is not None:
            writer.close()
            writer = None
        os.replace(temp, path)
    except BaseException:
        if writer is not None:
            writer.close()
        temp.unlink(missing_ok=True)
        raise
    return path
