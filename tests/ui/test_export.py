"""Exports decode to what was drawn: PNG pixels, SVG elements, one PDF page, animation frames."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from reluviz.core.colour import DEFAULT_COLORMAP, MASK_FALSE_RGB, MASK_TRUE_RGB, fit_range, lookup_table, values_to_rgba
from reluviz.core.io.limits import InputError
from reluviz.core.network import NetworkRun
from reluviz.core.network.timeline import build_timeline, default_sample
from reluviz.core.presets import preset_arrays
from reluviz.render import figures, network_figures, writers
from reluviz.render.theme import DARK, LIGHT

ZERO_RGB = tuple(int(c) for c in lookup_table(DEFAULT_COLORMAP)[128][:3])


@pytest.fixture
def book_panels():
    z, dvalues = preset_arrays("book")
    return figures.panels_from_arrays(z, dvalues)


@pytest.fixture(scope="module")
def timeline():
    return build_timeline(NetworkRun("default", seed=0).evaluate(), 0)


def rgb_at(image: QImage, figure: figures.Figure, role: str, row: int, col: int) -> tuple[int, int, int]:
    """The colour near a cell's bottom-left corner: clear of the centred text and the corner mark."""
    box = figure.cell_rect(role, row, col)
    inset = max(2.0, box.width() * 0.12)
    colour = image.pixelColor(QPointF(box.left() + inset, box.bottom() - inset).toPoint())
    return colour.red(), colour.green(), colour.blue()


def close(a, b, tolerance=2) -> bool:
    return all(abs(int(x) - int(y)) <= tolerance for x, y in zip(a, b, strict=True))


def test_four_panel_png_has_the_size_and_the_colours_of_each_cell(tmp_path, book_panels):
    figure = figures.arrays_figure(book_panels, 1920, 1080, LIGHT, caption=figures.code_caption())
    path = writers.write_figure(tmp_path / "book.png", figure)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1920, 1080)
    z, dvalues = preset_arrays("book")
    for row in range(3):
        for col in range(4):
            blocked = z[row, col] <= 0
            drelu = rgb_at(image, figure, "drelu", row, col)
            if blocked:  # a blocked drelu cell is exactly 0: the colormap's zero colour
                assert close(drelu, ZERO_RGB), (row, col, drelu)
            else:
                expected = values_to_rgba(np.array([dvalues[row, col]]), fit_range(dvalues), DEFAULT_COLORMAP)[0, :3]
                assert close(drelu, expected), (row, col, drelu, expected)
            mask = rgb_at(image, figure, "mask", row, col)
            assert close(mask, MASK_TRUE_RGB if blocked else MASK_FALSE_RGB)
            expected_z = values_to_rgba(np.array([z[row, col]]), fit_range(z), DEFAULT_COLORMAP)[0, :3]
            assert close(rgb_at(image, figure, "z", row, col), expected_z)
    # The figure's background is the theme's.
    assert image.pixelColor(3, 3) == LIGHT.background


def test_dark_transparent_and_single_panel_png(tmp_path, book_panels):
    dark = figures.arrays_figure(book_panels, 1280, 720, DARK)
    image = QImage(str(writers.write_figure(tmp_path / "dark.png", dark)))
    assert image.pixelColor(3, 3) == DARK.background

    clear = figures.arrays_figure(book_panels, 1280, 720, LIGHT, transparent=True)
    image = QImage(str(writers.write_figure(tmp_path / "clear.png", clear)))
    assert image.hasAlphaChannel() and image.pixelColor(3, 3).alpha() == 0
    assert close(rgb_at(image, clear, "mask", 0, 2), MASK_TRUE_RGB)

    one = figures.arrays_figure(book_panels, 1280, 720, LIGHT, roles=("drelu",))
    image = QImage(str(writers.write_figure(tmp_path / "drelu.png", one)))
    assert close(rgb_at(image, one, "drelu", 1, 1), ZERO_RGB)  # z = -7: blocked
    box = one.cell_rect("drelu", 0, 0)
    assert box.width() > 100  # one panel is drawn large, for a slide of its own


def test_svg_has_a_rect_per_cell_and_labels_as_text(tmp_path):
    rng = np.random.default_rng(1)
    z, dvalues = rng.standard_normal((64, 64)), rng.standard_normal((64, 64))
    figure = figures.arrays_figure(figures.panels_from_arrays(z, dvalues), 1920, 1080, LIGHT,
                                  caption=figures.code_caption())
    path = writers.write_figure(tmp_path / "big.svg", figure)
    root = ET.parse(path).getroot()
    shapes = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("rect", "path", "polygon")]
    assert len(shapes) >= 4 * 64 * 64
    texts = {e.text for e in root.iter() if e.tag.endswith("text")}
    assert {"z", "dvalues", "mask = z <= 0", "drelu", figures.code_caption()} <= texts

    z, dvalues = preset_arrays("book")
    small = figures.arrays_figure(figures.panels_from_arrays(z, dvalues), 1920, 1080, DARK)
    root = ET.parse(writers.write_figure(tmp_path / "book.svg", small)).getroot()
    texts = [e.text for e in root.iter() if e.tag.endswith("text")]
    assert "-7" in texts and "True" in texts and "False" in texts


def test_pdf_is_one_page_with_the_figure_aspect(tmp_path, book_panels):
    pypdf = pytest.importorskip("pypdf")
    figure = figures.arrays_figure(book_panels, 1920, 1080, LIGHT, caption=figures.code_caption())
    reader = pypdf.PdfReader(writers.write_figure(tmp_path / "book.pdf", figure))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(1920 / 1080, rel=1e-3)
    assert float(box.width) == pytest.approx(1920 * 72 / 96, rel=1e-3)
    text = reader.pages[0].extract_text()
    assert "drelu" in text and "dvalues" in text


def test_network_frame_png_svg(tmp_path, timeline):
    frame = timeline.frames[5]
    figure = network_figures.network_figure(frame.scene, 1280, 720, 0.7, frame.text)
    image = QImage(str(writers.write_figure(tmp_path / "net.png", figure)))
    assert (image.width(), image.height()) == (1280, 720)
    assert image.pixelColor(2, 2) == QColor("#ffffff")
    root = ET.parse(writers.write_figure(tmp_path / "net.svg", figure)).getroot()
    assert any(e.text and "Dense" in e.text for e in root.iter() if e.tag.endswith("text"))


def test_network_export_follows_the_colormap_and_the_theme():
    from reluviz.render.network_look import node_centers, sign_color
    from reluviz.render.network_painter import paint_network

    rec = NetworkRun("default", seed=0).evaluate()
    tl = build_timeline(rec, default_sample(rec))
    frame = tl.frames[0]  # Dense 1 forward: the edges are the weights, block 0 is active
    scene = frame.scene
    images = {name: figures.figure_image(network_figures.network_figure(scene, 1280, 720, 0.7, colormap=name))
              for name in ("blue-red", "purple-orange")}
    default = figures.figure_image(network_figures.network_figure(scene, 1280, 720, 0.7))
    assert default == images["blue-red"]
    assert images["purple-orange"] != default
    w = np.asarray(scene.edge_values[0])
    i, j = np.unravel_index(int(np.argmax(np.abs(w))), w.shape)
    nodes = node_centers(scene, QRectF(0, 0, 1280, 720))
    mid = ((nodes[0][i] + nodes[1][j]) / 2).toPoint()
    for name, image in images.items():
        assert image.pixelColor(mid).name() == sign_color(w[i, j], 0.9, name).name(), name
    # dark, with the step card under it, still and animated
    figure = network_figures.network_figure(scene, 640, 360, 0.7, frame.text, colormap="purple-orange", theme=DARK)
    assert figure.background == DARK.background
    image = figures.figure_image(figure)
    assert image.pixelColor(2, 2) == DARK.background and image.pixelColor(2, 357) == DARK.background
    count, frames = network_figures.network_frames(tl, 160, 90, 2, colormap="purple-orange", theme=DARK)
    assert count >= 2 and next(frames).pixelColor(1, 1) == DARK.background
    with pytest.raises(InputError, match="colormap"):
        network_figures.network_figure(scene, 640, 360, colormap="rainbow")
    with pytest.raises(InputError, match="colormap"):
        network_figures.network_frames(tl, 160, 90, 2, colormap="rainbow")
    blank = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(blank)
    try:
        with pytest.raises(KeyError, match="unknown colormap"):
            paint_network(painter, QRectF(0, 0, 64, 64), scene, colormap="rainbow")
    finally:
        painter.end()


def test_network_labels_count_from_zero_in_an_svg(tmp_path):
    """Inputs are x[:,0], x[:,1] (not "x1", "x2") and each hidden unit carries its 0-based number:
    unit j is column j of the z that "Open ReLU n in arrays" loads."""
    rec = NetworkRun("default", seed=0).evaluate()
    figure = network_figures.network_figure(build_timeline(rec, default_sample(rec)).frames[0].scene, 1280, 720)
    root = ET.parse(writers.write_figure(tmp_path / "net.svg", figure)).getroot()
    texts = [e.text.strip() for e in root.iter() if e.tag.endswith("text") and e.text]
    assert "x[:,0]" in texts and "x[:,1]" in texts
    assert "x1" not in texts and "x2" not in texts
    for unit in range(1, 6):
        assert texts.count(str(unit)) == 2, unit  # one per hidden layer
    assert "6" not in texts
    assert {"class 0", "class 1", "class 2"} <= set(texts)


@pytest.mark.parametrize("suffix", [".gif", ".webp"])
def test_animation_frames_and_size(tmp_path, timeline, suffix):
    fps = 6
    count, frames = network_figures.network_frames(timeline, 320, 180, fps)
    assert count == len(network_figures.animation_times(timeline.duration, fps))
    path = writers.write_animation(tmp_path / f"anim{suffix}", frames, count, fps)
    with Image.open(path) as image:
        assert image.size == (320, 180)
        assert getattr(image, "is_animated", False)
        # Pillow merges identical consecutive frames (adding their durations), never adds any.
        assert 2 <= image.n_frames <= count
        total = 0
        for index in range(image.n_frames):
            image.seek(index)
            image.load()  # WebP reports a frame's duration once it is decoded
            total += image.info["duration"]
        assert total == pytest.approx(count * 1000 / fps, rel=0.05)


def test_frames_folder_and_cancel(tmp_path, timeline):
    count, frames = network_figures.network_frames(timeline, 200, 120, 2)
    folder = writers.write_animation(tmp_path / "frames", frames, count, 2)
    written = sorted(folder.glob("frame_*.png"))
    assert len(written) == count and written[0].name == "frame_0001.png"
    assert QImage(str(written[-1])).size().width() == 200

    old = tmp_path / "old.gif"
    old.write_bytes(b"keep me")
    count, frames = network_figures.network_frames(timeline, 200, 120, 4)
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < 3

    with pytest.raises(writers.ExportCancelledError):
        writers.write_animation(old, frames, count, 4, progress)
    assert old.read_bytes() == b"keep me"
    assert seen == [0, 1, 2, 3]
    assert list(tmp_path.glob(".old.gif*")) == []


def test_mp4_needs_imageio_ffmpeg(tmp_path, timeline, monkeypatch):
    count, frames = network_figures.network_frames(timeline, 160, 90, 2)
    if writers.mp4_available():
        path = writers.write_animation(tmp_path / "a.mp4", frames, count, 2)
        assert path.stat().st_size > 1000
    monkeypatch.setattr(writers, "mp4_available", lambda: False)
    with pytest.raises(InputError, match="imageio-ffmpeg"):
        writers.write_animation(tmp_path / "b.mp4", iter(()), 0, 2)
    assert not (tmp_path / "b.mp4").exists()


def test_bad_requests_are_refused_with_a_sentence(tmp_path, book_panels):
    with pytest.raises(InputError, match="out of range"):
        figures.arrays_figure(book_panels, 10, 10, LIGHT)
    figure = figures.arrays_figure(book_panels, 320, 200, LIGHT)
    with pytest.raises(InputError, match=r"\.png, \.svg or \.pdf"):
        writers.write_figure(tmp_path / "x.bmp", figure)
    with pytest.raises(InputError, match="does not exist"):
        writers.write_figure(tmp_path / "missing" / "x.png", figure)
    target = tmp_path / "kept.png"
    target.write_bytes(b"old")
    with pytest.raises(InputError):
        writers.write_figure(tmp_path, figure)  # a folder
    assert target.read_bytes() == b"old"
    with pytest.raises(InputError, match="frame rate"):
        network_figures.animation_times(3.0, 0)


def test_render_arrays_figure_paints_into_any_painter(book_panels):
    from PySide6.QtGui import QPainter

    theme = LIGHT.scaled(0.5)
    image = QImage(640, 360, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    figures.render_arrays_figure(painter, QRectF(0, 0, 640, 360), book_panels, figures.ViewState(), theme,
                                "caption", vector=False)
    painter.end()
    assert image.pixelColor(1, 1) == LIGHT.background


# -- the app: dialog and clipboard -----------------------------------------------------------------


@pytest.fixture
def window(qtbot):
    from reluviz.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1000, 700)
    return win


def _run(qtbot, dialog, path: Path):
    from reluviz.ui.export_dialog import ExportDialog

    assert isinstance(dialog, ExportDialog)
    dialog.path_edit.setText(str(path))
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as blocker:
        job = dialog.start_export()
        assert job is not None
    return blocker.args[0]


def test_dialog_exports_the_four_panels_as_the_screen_shows_them(qtbot, window, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    window.arrays_view.set_theme(DARK)
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.kind == "arrays"
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("3840x2160"))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("current"))
    dialog.caption_check.setChecked(True)
    written = _run(qtbot, dialog, tmp_path / "four.png")
    image = QImage(written)
    assert (image.width(), image.height()) == (3840, 2160)
    assert image.pixelColor(2, 2) == DARK.background
    assert window.status_label.text() == f"Exported four.png to {tmp_path}"


def test_dialog_one_panel_svg_and_pdf(qtbot, window, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("panel")
    dialog.panel_combo.setCurrentIndex(dialog.panel_combo.findData("mask"))
    root = ET.parse(_run(qtbot, dialog, tmp_path / "mask.svg")).getroot()
    texts = {e.text for e in root.iter() if e.tag.endswith("text")}
    assert "mask = z <= 0" in texts and "drelu" not in texts
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert Path(_run(qtbot, dialog, tmp_path / "four.pdf")).read_bytes().startswith(b"%PDF")


def test_dialog_refuses_a_wrong_ending(qtbot, window, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "four.gif"))
    assert dialog.start_export() is None
    assert ".png" in dialog.message_label.text()
    assert not (tmp_path / "four.gif").exists()


def test_dialog_network_frame_and_animation_with_cancel(qtbot, window, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    if window.network_view is None:
        pytest.skip("no network view")
    window.network_view.go_to_frame(4)
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("frame")
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("1280x720"))
    assert QImage(_run(qtbot, dialog, tmp_path / "frame.png")).width() == 1280

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("animation")
    assert dialog.path_edit.text().endswith(".gif")
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData(_WINDOW_SIZE_KEY()))
    dialog.scale_spin.setValue(0.5)
    dialog.fps_spin.setValue(4)
    written = _run(qtbot, dialog, tmp_path / "anim.webp")
    with Image.open(written) as image:
        assert image.n_frames >= 2

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("animation")
    dialog.path_edit.setText(str(tmp_path / "cancelled.gif"))
    with qtbot.waitSignal(dialog.export_failed, timeout=60_000) as blocker:
        job = dialog.start_export()
        job.cancel()
    assert "cancelled" in blocker.args[0]
    assert not (tmp_path / "cancelled.gif").exists()


def _WINDOW_SIZE_KEY():
    from reluviz.ui.export_dialog import _WINDOW_SIZE

    return _WINDOW_SIZE


def test_copy_figure_to_clipboard(qtbot, window):
    from reluviz.ui import export_dialog

    image = export_dialog.copy_figure_to_clipboard(window, 960, 540)
    assert (image.width(), image.height()) == (960, 540)
    pasted = QGuiApplication.clipboard().image()
    assert (pasted.width(), pasted.height()) == (960, 540)


def test_dialog_exports_a_dark_network_frame_at_rest_with_its_step_card(qtbot, window, tmp_path):
    """Network kinds: the Theme box works (a dark frame), the caption shows the step card, a still."""
    from reluviz.render.network_look import network_look
    from reluviz.ui.export_dialog import ExportDialog

    if window.network_view is None:
        pytest.skip("no network view")
    window.dark_action.trigger()
    network = window.network_view
    network.go_to_frame(0)
    network.play()
    network.step_animation(0.3)  # paused part-way: the export is still a still
    network.pause()
    assert 0 < network.progress < 1
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("frame")
    assert dialog.theme_combo.isEnabled()
    assert "drelu" not in dialog.caption_edit.text()
    assert dialog.caption_edit.text() == network.frame.text and not dialog.caption_edit.isEnabled()
    dialog.set_kind("animation")
    assert dialog.theme_combo.isEnabled() and "drelu" not in dialog.caption_edit.text()
    dialog.set_kind("arrays")  # the arrays' own caption comes back, editable once ticked
    assert "drelu" in dialog.caption_edit.text()
    dialog.caption_check.setChecked(True)
    assert dialog.caption_edit.isEnabled() and not dialog.caption_edit.isReadOnly()
    dialog.set_kind("frame")
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("1280x720"))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("current"))
    image = QImage(_run(qtbot, dialog, tmp_path / "dark.png"))
    assert image.pixelColor(3, 3) == network_look(DARK).background
    # The same frame rendered at rest (progress 1), not at the screen's part-way position.
    scene = network.frame.scene
    look = {"colormap": window.arrays_doc.colormap, "theme": DARK}
    expected = figures.figure_image(network_figures.network_figure(scene, 1280, 720, 1.0, network.frame.text, **look))
    part_way = figures.figure_image(network_figures.network_figure(scene, 1280, 720, network.progress,
                                                                   network.frame.text, **look))
    image = image.convertToFormat(expected.format())
    assert image == expected and image != part_way


def test_closing_the_window_cancels_a_running_export_and_ends_its_thread(qtbot, window, tmp_path):
    import threading

    from reluviz.ui.export_dialog import ExportDialog, ExportRunner

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("animation")
    target = tmp_path / "long.gif"
    dialog.path_edit.setText(str(target))
    job = dialog.start_export()
    runner = ExportRunner.of(window)
    assert job is not None and job in runner.running and runner.active
    worker = [thread for thread in threading.enumerate() if thread.name.startswith("reluviz-export")]
    assert len(worker) == 1
    window.undo_stack.setClean()
    window.close()
    assert job.done and job not in runner.running
    assert not target.exists()  # cancelled before the atomic write: nothing half-written
    # The window owned the thread: it ended with the window (a module-wide pool used to outlive it).
    assert not runner.active and not worker[0].is_alive()


def test_each_window_has_its_own_export_runner(qtbot, window):
    from reluviz.ui.export_dialog import ExportRunner
    from reluviz.ui.main_window import MainWindow

    other = MainWindow()
    qtbot.addWidget(other)
    assert ExportRunner.of(window) is ExportRunner.of(window)
    assert ExportRunner.of(other) is not ExportRunner.of(window)
    assert ExportRunner.of(window).parent() is window


def test_svg_names_fallback_fonts_for_machines_without_dejavu(book_panels):
    figure = figures.arrays_figure(book_panels, 1280, 720, LIGHT)
    svg = writers.svg_bytes(figure).decode("utf-8")
    assert "monospace" in svg and "sans-serif" in svg
    assert 'font-family="DejaVu Sans"' not in svg  # every family now carries its fallbacks


def test_export_dialog_remembers_the_folder_and_never_proposes_an_existing_file(qtbot, window, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "reluviz.png"))
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000):
        dialog.start_export()
    assert (tmp_path / "reluviz.png").exists()
    again = ExportDialog(window)
    qtbot.addWidget(again)
    assert again.path_edit.text() == str(tmp_path / "reluviz-2.png")


def test_file_export_says_what_was_written_where_and_opens_its_folder(qtbot, window, tmp_path, monkeypatch):
    # The real menu path: File → Export… runs the dialog, which is deleted when it closes, while
    # the export is still being written; the window must still say what happened.
    from PySide6.QtCore import QUrl

    from reluviz.ui.export_dialog import ExportDialog

    def run_dialog(dialog: ExportDialog) -> int:
        dialog.path_edit.setText(str(tmp_path / "slide.png"))
        return 1 if dialog.start_export() is not None else 0

    monkeypatch.setattr(ExportDialog, "exec", run_dialog)
    opened: list[QUrl] = []
    window.open_url = lambda url: opened.append(url) or True
    folder_action = window.findChild(type(window.undo_action), "open_export_folder")
    assert not folder_action.isEnabled() and window.open_export_folder_button.isHidden()
    window.findChild(type(window.undo_action), "export").trigger()
    qtbot.waitUntil(lambda: "Exported" in window.status_label.text(), timeout=60_000)
    assert (tmp_path / "slide.png").is_file()
    assert window.status_label.text() == f"Exported slide.png to {tmp_path}"
    assert folder_action.isEnabled() and not window.open_export_folder_button.isHidden()
    window.open_export_folder_button.click()
    folder_action.trigger()
    assert opened == [QUrl.fromLocalFile(str(tmp_path))] * 2


def test_code_caption_writes_the_switch():
    assert figures.code_caption() == figures.code_caption(True) == "drelu = dvalues.copy(); drelu[z <= 0] = 0"
    assert figures.code_caption(False) == "drelu = dvalues.copy(); drelu[z < 0] = 0"


def test_dialog_caption_follows_the_inclusive_switch(qtbot, window, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    window.arrays_view.toggle_inclusive()
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.caption_edit.text() == "drelu = dvalues.copy(); drelu[z < 0] = 0"
    dialog.caption_check.setChecked(True)
    written = _run(qtbot, dialog, tmp_path / "strict.svg")
    assert "drelu[z &lt; 0] = 0" in Path(written).read_text(encoding="utf-8")
