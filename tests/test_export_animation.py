"""Animation and file writers: GIF timing and pixels, streaming, atomic folders, refusals, metadata.

The GIF is decoded with Pillow (an independent reader) and compared with the still render of the
same instant; timings are checked against the timeline sampled at the requested frame rate.
"""

from __future__ import annotations

import errno
import io
import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PIL import Image

from reluviz.core.io.limits import InputError
from reluviz.core.network import NetworkRun
from reluviz.core.network.timeline import build_timeline, default_sample
from reluviz.core.presets import preset_arrays
from reluviz.render import animation_writers, figures, network_figures, png_encoder, writers
from reluviz.render.fonts import load_app_fonts
from reluviz.render.theme import LIGHT

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT, FPS = 320, 180, 6


@pytest.fixture(scope="module")
def timeline(qapp):
    load_app_fonts()
    record = NetworkRun("default", seed=0).evaluate()
    return build_timeline(record, default_sample(record))


@pytest.fixture(scope="module")
def gif(timeline, tmp_path_factory):
    count, frames = network_figures.network_frames(timeline, WIDTH, HEIGHT, FPS)
    path = writers.write_animation(tmp_path_factory.mktemp("gif") / "net.gif", frames, count, FPS)
    return path, count


def still_rgb(timeline, time: float) -> np.ndarray:
    """The still render (the same renderer as a PNG) of the animation at ``time`` seconds."""
    index, progress = timeline.locate(time)
    figure = network_figures.network_figure(timeline.frames[index].scene, WIDTH, HEIGHT, progress)
    return animation_writers.rgb_array(figures.figure_image(figure))


def decoded(path: Path) -> list[tuple[np.ndarray, int]]:
    """Every GIF frame as a composited RGB array with its duration in ms."""
    out = []
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            out.append((np.asarray(image.convert("RGB")).copy(), image.info["duration"]))
    return out


def test_gif_timing_equals_the_timeline_and_repeated_frames_are_merged(gif, timeline):
    path, count = gif
    frames = decoded(path)
    times = network_figures.animation_times(timeline.duration, FPS)
    assert count == len(times)
    # Whole duration: count frames of 1/fps each (delays in 1/100 s, rounded on the running total).
    assert sum(duration for _, duration in frames) == round(count * 100 / FPS) * 10
    # One GIF frame per run of identical rendered frames, and each lasts as long as its run.
    rendered = [still_rgb(timeline, t) for t in times]
    runs: list[int] = []
    for k in range(count):
        if k and np.array_equal(rendered[k], rendered[k - 1]):
            runs[-1] += 1
        else:
            runs.append(1)
    assert len(frames) == len(runs) < count  # some frames repeat (pauses between steps)
    start = 0
    for (_, duration), run in zip(frames, runs, strict=True):
        assert duration == (round((start + run) * 100 / FPS) - round(start * 100 / FPS)) * 10
        start += run


def test_each_gif_frame_is_the_still_render_within_palette_error(gif, timeline):
    path, _ = gif
    times = network_figures.animation_times(timeline.duration, FPS)
    shown_at = 0
    for rgb, duration in decoded(path):
        k = round(shown_at * FPS / 1000)  # the sample this frame starts at
        still = still_rgb(timeline, times[k])
        error = np.abs(rgb.astype(int) - still.astype(int)).max(axis=2)
        # The flat colours (the 12 most frequent: background, fills, edges, text) are exact; only
        # antialiased pixels may move to a neighbouring palette colour.
        packed = (still[..., 0].astype(np.int64) << 16) | (still[..., 1].astype(np.int64) << 8) | still[..., 2]
        colours, counts = np.unique(packed, return_counts=True)
        flat = np.isin(packed, colours[np.argsort(-counts)[:12]])
        assert np.all(error[flat] == 0), k
        assert np.mean(error <= 24) > 0.995 and error.mean() < 1.5, k
        shown_at += duration


def test_gif_frames_after_the_first_hold_only_the_changed_box(gif):
    path, _ = gif
    with Image.open(path) as image:
        assert image.info.get("comment", b"").startswith(b"drelu = dvalues.copy(); drelu[z <= 0] = 0")
        boxes = []
        for index in range(1, image.n_frames):
            image.seek(index)
            boxes.append(image.dispose_extent)
    areas = [(right - left) * (bottom - top) for left, top, right, bottom in boxes]
    assert np.mean(areas) < 0.5 * WIDTH * HEIGHT


def test_gif_is_written_while_frames_are_drawn(timeline, tmp_path):
    """Streaming: by the time frame k is asked for, frames before it are already in the file."""
    count, frames = network_figures.network_frames(timeline, WIDTH, HEIGHT, FPS)
    sizes = []

    def watched():
        for image in frames:
            temps = list(tmp_path.glob(".net.gif.*"))
            sizes.append(temps[0].stat().st_size if temps else 0)
            yield image

    writers.write_animation(tmp_path / "net.gif", watched(), count, FPS)
    assert sizes[-1] > sizes[len(sizes) // 2] > sizes[2] > 0


def test_webp_frames_total_the_timeline(timeline, tmp_path):
    count, frames = network_figures.network_frames(timeline, WIDTH, HEIGHT, FPS)
    path = writers.write_animation(tmp_path / "net.webp", frames, count, FPS)
    with Image.open(path) as image:
        assert image.size == (WIDTH, HEIGHT) and 2 <= image.n_frames <= count  # libwebp merges repeats
        total = 0
        for index in range(image.n_frames):
            image.seek(index)
            image.load()
            total += image.info["duration"]
    assert total == round(1000 / FPS) * count


# -- frame folders are atomic -------------------------------------------------------------------------


def test_a_folder_appears_whole_or_not_at_all(timeline, tmp_path, monkeypatch):
    target = tmp_path / "frames"
    real = writers.png_bytes
    calls = []

    def disk_full_at_the_fourth(image, *args):
        calls.append(1)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(image, *args)

    monkeypatch.setattr(writers, "png_bytes", disk_full_at_the_fourth)
    count, frames = network_figures.network_frames(timeline, 160, 90, 2)
    with pytest.raises(OSError, match="No space"):
        writers.write_animation(target, frames, count, 2)
    assert list(tmp_path.iterdir()) == []  # no partial folder, no temporary sibling

    # Cancel after three frames (the progress callback says no).
    monkeypatch.setattr(writers, "png_bytes", real)
    count, frames = network_figures.network_frames(timeline, 160, 90, 2)
    with pytest.raises(writers.ExportCancelledError):
        writers.write_animation(target, frames, count, 2, lambda done, total: done < 3)
    assert list(tmp_path.iterdir()) == []

    # A finished export replaces an earlier one: no stale frame is left beside the new ones.
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "frame_9999.png").write_bytes(b"old")
    count, frames = network_figures.network_frames(timeline, 160, 90, 2)
    writers.write_animation(target, frames, count, 2)
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([*(f"frame_{i:04d}.png" for i in range(1, count + 1)), "notes.txt"])
    assert [p.name for p in tmp_path.iterdir()] == ["frames"]

    # A failure into that existing folder leaves it byte for byte as it was.
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    calls.clear()
    monkeypatch.setattr(writers, "png_bytes", disk_full_at_the_fourth)
    count, frames = network_figures.network_frames(timeline, 160, 120, 2)
    with pytest.raises(OSError):
        writers.write_animation(target, frames, count, 2)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["frames"]


def test_a_write_error_in_the_temporary_folder_is_a_sentence(timeline, tmp_path, monkeypatch):
    real_write = Path.write_bytes

    def refuse(self, data):
        if self.name == "frame_0002.png":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    count, frames = network_figures.network_frames(timeline, 160, 90, 2)
    with pytest.raises(InputError, match="No space left on device; nothing was changed"):
        writers.write_animation(tmp_path / "frames", frames, count, 2)
    assert list(tmp_path.iterdir()) == []


# -- refusing what would not fit ------------------------------------------------------------------------


def test_an_animation_too_big_for_memory_is_refused_before_drawing(timeline, tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "available_memory", lambda: 200 * 2**20)
    count, frames = network_figures.network_frames(timeline, 3840, 2160, 60)
    with pytest.raises(InputError, match=r"3840×2160 animation needs about .* of memory .* 1920×1080 would fit"):
        writers.write_animation(tmp_path / "big.gif", frames, count, 60)
    assert frames._next == 0  # not a single frame drawn
    assert list(tmp_path.iterdir()) == []
    # The same size fits when the memory is there.
    monkeypatch.setattr(writers, "available_memory", lambda: 8 * 2**30)
    writers.check_animation_fits(tmp_path / "big.gif", 3840, 2160, 60, count)


def test_an_animation_too_big_for_the_disk_names_a_frame_rate_that_fits(timeline, tmp_path, monkeypatch):
    count = len(network_figures.animation_times(timeline.duration, 60))
    need = writers.animation_needs(1920, 1080, count, "")[1]
    monkeypatch.setattr(writers, "available_disk", lambda folder: need // 4)
    with pytest.raises(InputError, match=r"on disk .* (\d+) frames per second would fit"):
        writers.check_animation_fits(tmp_path / "frames", 1920, 1080, 60, count)


def test_the_command_line_refuses_in_one_line(tmp_path, monkeypatch, capsys):
    from reluviz import export_cli

    monkeypatch.setattr(writers, "available_memory", lambda: 100 * 2**20)
    code = export_cli.main(["--view", "network", "--size", "3840x2160", "-o", str(tmp_path / "a.gif")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "would fit" in err
    assert list(tmp_path.iterdir()) == []


# -- where an export comes from -------------------------------------------------------------------------


@pytest.fixture
def book_figure(qapp):
    load_app_fonts()
    z, dvalues = preset_arrays("book")
    return figures.arrays_figure(figures.panels_from_arrays(z, dvalues), 640, 360, LIGHT)


EXPECTED_TITLE = "drelu = dvalues.copy(); drelu[z <= 0] = 0 — z, dvalues: 3×4 float64"


def test_png_text_chunks_name_the_version_and_the_expression(book_figure, tmp_path):
    from reluviz import __version__

    path = writers.write_figure(tmp_path / "book.png", book_figure)
    with Image.open(path) as image:
        assert image.text["Software"] == f"reluviz {__version__}"
        assert image.text["Title"] == EXPECTED_TITLE
        assert EXPECTED_TITLE in image.text["Description"]


@pytest.mark.parametrize("transparent", [False, True])
def test_png_encoder_is_lossless_and_keeps_resolution_and_text(qapp, transparent):
    """PNGs are encoded by NumPy + zlib (Qt's writer was 4× slower): every level gives back the very
    pixels painted — straight alpha for a transparent figure — its resolution and its text."""
    from PySide6.QtGui import QImage

    load_app_fonts()
    z, dvalues = preset_arrays("book")
    figure = figures.arrays_figure(figures.panels_from_arrays(z, dvalues), 320, 200, LIGHT, caption="z × 2 — ok",
                                   transparent=transparent)
    image = figures.figure_image(figure)
    straight = image.convertToFormat(QImage.Format.Format_RGBA8888 if transparent else QImage.Format.Format_RGB888)
    painted = np.asarray(Image.frombuffer("RGBA" if transparent else "RGB", (320, 200), bytes(straight.constBits()),
                                          "raw", "RGBA" if transparent else "RGB", straight.bytesPerLine(), 1))
    for level in (0, writers.PNG_ZLIB_LEVEL, 9):
        encoded = writers.png_bytes(image, level)
        with Image.open(io.BytesIO(encoded)) as read:
            assert read.mode == ("RGBA" if transparent else "RGB")
            assert np.array_equal(np.asarray(read), painted)
            assert read.text == {key: image.text(key) for key in image.textKeys()}
            assert read.info["dpi"] == pytest.approx((96, 96), abs=0.1)
        decoded = QImage.fromData(encoded)
        assert decoded.convertToFormat(image.format()) == image  # Qt reads it back as it was painted


def _qimage(pixels: np.ndarray):
    """A QImage owning a copy of ``pixels`` ((h, w, 3) RGB or (h, w, 4) straight RGBA, uint8)."""
    from PySide6.QtGui import QImage

    height, width, channels = pixels.shape
    fmt = QImage.Format.Format_RGBA8888 if channels == 4 else QImage.Format.Format_RGB888
    data = np.ascontiguousarray(pixels).tobytes()
    return QImage(data, width, height, width * channels, fmt).copy()


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("width", [1, 7, 333])
def test_png_row_filters_give_back_the_very_pixels(qapp, monkeypatch, channels, width):
    """Every filter (Sub, Up, none, and the per-row mixed choice) decodes — by Qt — to the pixels
    encoded: random and flat images, odd widths, RGB and RGBA, across band boundaries."""
    from PySide6.QtGui import QImage

    monkeypatch.setattr(png_encoder, "_PNG_BAND_BYTES", 5 * width * 4)  # bands of 5 rows: 41 rows span 9
    rng = np.random.default_rng(width * channels)
    flat = np.full((41, width, channels), 200, np.uint8)
    noisy = rng.integers(0, 256, (41, width, channels), dtype=np.uint8)
    striped = np.repeat(rng.integers(0, 256, (1, width, channels), dtype=np.uint8), 41, axis=0)
    striped[::6] = noisy[::6]  # rows Up turns to zeros, and rows it cannot help
    for pixels in (flat, noisy, striped):
        image = _qimage(pixels)
        for png_filter in writers.PNG_FILTERS:
            decoded = QImage.fromData(writers.png_bytes(image, writers.PNG_ZLIB_LEVEL, png_filter))
            assert decoded.convertToFormat(image.format()) == image, png_filter


def test_png_filter_makes_repeated_rows_cheap(qapp):
    """Rows that repeat the row above cost almost nothing filtered, even past deflate's 32 KiB
    window (an 8192-pixel RGBA row is 32 KiB), where unfiltered rows cannot be matched."""
    rng = np.random.default_rng(1)
    image = _qimage(np.repeat(rng.integers(0, 256, (1, 8192, 4), dtype=np.uint8), 64, axis=0))
    unfiltered = len(writers.png_bytes(image, writers.PNG_ZLIB_LEVEL, "none"))
    filtered = len(writers.png_bytes(image, writers.PNG_ZLIB_LEVEL, "mixed"))
    assert filtered < unfiltered / 10


def test_pdf_and_svg_metadata_name_the_version_and_the_expression(book_figure, tmp_path):
    from reluviz import __version__

    reader = pypdf.PdfReader(writers.write_figure(tmp_path / "book.pdf", book_figure))
    assert reader.metadata.title == EXPECTED_TITLE
    assert reader.metadata.creator == f"reluviz {__version__}"
    root = ET.parse(writers.write_figure(tmp_path / "book.svg", book_figure)).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == EXPECTED_TITLE
    desc = root.find(f"{ns}desc").text
    assert EXPECTED_TITLE in desc and f"reluviz {__version__}" in desc
    # Panels alone and the strict operator say so.
    z, dvalues = preset_arrays("book")
    panels = figures.panels_from_arrays(z.astype(np.float32), dvalues.astype(np.float32), inclusive=False)
    one = figures.arrays_figure(panels, 640, 360, LIGHT, roles=("drelu",))
    assert one.title == "drelu = dvalues.copy(); drelu[z < 0] = 0 (panel drelu) — z, dvalues: 3×4 float32"


def test_network_frames_carry_what_they_show(timeline, tmp_path):
    count, frames = network_figures.network_frames(timeline, 160, 90, 2)
    folder = writers.write_animation(tmp_path / "frames", frames, count, 2)
    with Image.open(folder / "frame_0002.png") as image:
        assert image.text["Title"].startswith("drelu = dvalues.copy(); drelu[z <= 0] = 0 — in the 2-6-6-3 network")
        assert image.text["Software"].startswith("reluviz ")


# -- progress on the command line -------------------------------------------------------------------------


def _export_command(output: Path) -> list[str]:
    return [sys.executable, "-m", "reluviz", "export", "--view", "network", "--size", "160x90", "--fps", "2",
            "-o", str(output)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


@pytest.mark.slow
def test_progress_bar_only_on_a_terminal(tmp_path):
    # stderr a pipe: no bar.
    piped = subprocess.run(_export_command(tmp_path / "a.gif"), capture_output=True, text=True, env=_env(),
                           timeout=120, check=False)
    assert piped.returncode == 0 and piped.stderr == "" and "wrote" in piped.stdout
    # stderr a terminal (a pseudo-terminal): the bar is drawn in place and ends at 100 %.
    main, child = pty.openpty()
    try:
        run = subprocess.run(_export_command(tmp_path / "b.gif"), stdout=subprocess.PIPE, stderr=child,
                             env=_env(), timeout=120, check=False)
        os.close(child)
        child = -1
        seen = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main)
        if child != -1:
            os.close(child)
    text = seen.decode()
    assert run.returncode == 0, text
    duration = build_timeline(NetworkRun("default", seed=0).evaluate(), 0).duration
    count = len(network_figures.animation_times(duration, 2))
    assert "\rb.gif [" in text and f"] {count}/{count} frames" in text and f"] 0/{count} frames" in text
    assert b"b.gif [" not in run.stdout


def test_progress_bar_draws_in_place(monkeypatch):
    from reluviz import export_cli

    stream = io.StringIO()
    report = export_cli.progress_bar(stream, "x.gif", width=10)
    assert report(0, 4) and report(2, 4) and report(4, 4)
    assert stream.getvalue() == ("\rx.gif [..........] 0/4 frames\rx.gif [#####.....] 2/4 frames"
                                 "\rx.gif [##########] 4/4 frames\n")


def test_adler32_of_joined_bands_is_combined_exactly():
    """The stream checksum joined from the bands' equals zlib's over the whole (incl. empty parts)."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        first, second = (rng.integers(0, 256, rng.integers(0, 70_000), dtype=np.uint8).tobytes() for _ in range(2))
        combined = png_encoder._adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
        assert combined == zlib.adler32(first + second)


@pytest.mark.parametrize("png_filter", writers.PNG_FILTERS)
def test_bands_deflated_in_parallel_form_one_valid_zlib_stream(qapp, monkeypatch, png_filter):
    """Python's zlib (which checks the header and the Adler-32) inflates the joined IDAT of a
    many-band image to exactly the filtered rows, whatever the level."""
    monkeypatch.setattr(png_encoder, "_PNG_BAND_BYTES", 3 * 50 * 4)  # bands of 3 rows: 40 rows span 14
    rng = np.random.default_rng(3)
    image = _qimage(rng.integers(0, 4, (40, 50, 3), dtype=np.uint8) * 60)
    from PySide6.QtGui import QImage

    for level in (0, 1, 4, 6, 9):
        encoded = writers.png_bytes(image, level, png_filter)
        idat_start = encoded.index(b"IDAT")
        length = int.from_bytes(encoded[idat_start - 4:idat_start], "big")
        raw = zlib.decompress(encoded[idat_start + 4:idat_start + 4 + length])
        assert len(raw) == 40 * (1 + 50 * 3)
        assert QImage.fromData(encoded).convertToFormat(image.format()) == image
