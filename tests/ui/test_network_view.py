"""The Network view driven as a person would: keys, slider, buttons; pixels of a closed gate."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QRawFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QPushButton, QSpinBox

from reluviz.core.colour import BLOCKED_RGB, DEFAULT_COLORMAP, lookup_table
from reluviz.core.network.timeline import Phase, first_mixed_sample
from reluviz.core.network_document import DEFAULT_SAMPLE, NetworkDocument
from reluviz.core.relu import relu_backward
from reluviz.render.network_look import CLOSED, gate_centers, network_look, node_centers, sign_color
from reluviz.render.network_painter import paint_network
from reluviz.render.theme import DARK, LIGHT
from reluviz.ui.network_view import PAUSE_TEXT, PLAY_TEXT, NetworkView


def frame_image(view: NetworkView, width: int, height: int) -> QImage:
    """The frame ``view`` shows, painted afresh into a ``width`` × ``height`` image with its colormap and theme."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(network_look(view.theme).background)
    painter = QPainter(image)
    paint_network(painter, QRectF(0, 0, width, height), view.frame.scene, view.canvas.progress,
                  view.canvas.colormap, view.theme)
    painter.end()
    return image


@pytest.fixture
def view(qtbot) -> NetworkView:
    v = NetworkView(NetworkDocument())
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitExposed(v)
    v.set_preset("book")
    v.set_sample(3)
    return v


def _is_blocked(c: QColor) -> bool:
    """The Arrays view's dark "gradient stopped" colour (the mask's True, drelu's blocked mark)."""
    return all(abs(a - b) <= 24 for a, b in zip((c.red(), c.green(), c.blue()), BLOCKED_RGB, strict=True))


def test_keys_step_play_and_jump_phase(view: NetworkView, qtbot) -> None:
    assert view.frame_index == 0
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.frame_index == 2
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.frame_index == 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # to the loss
    assert view.frame.phase == Phase.LOSS
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # to the backward pass
    assert view.frame.phase == Phase.BACKWARD and view.frame_index == 4
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.frame.phase == Phase.LOSS
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.frame_index == 0
    assert not view.playing
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.playing
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not view.playing


@pytest.mark.parametrize("combo_name", ["preset_combo", "batch_combo", "speed_combo"])
def test_timeline_keys_drive_the_timeline_on_a_combo_box_just_used(view: NetworkView, qtbot, combo_name) -> None:
    # Choosing a preset with the mouse leaves the focus on its combo box: End, Home and
    # PageUp/PageDown must still move through the frames, never switch the preset.
    view.set_preset("default")
    view.train_button.click()
    view.pause()
    combo = getattr(view, combo_name)
    before = (view.preset_combo.currentData(), view.batch_combo.currentIndex(), view.speed_combo.currentIndex())
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)  # a click gives it the focus (and opens its list)
    combo.hidePopup()
    combo.setFocus()
    assert combo.hasFocus()
    last = len(view.timeline) - 1
    qtbot.keyClick(combo, Qt.Key.Key_End)
    assert view.frame_index == last
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert view.frame_index == 0
    qtbot.keyClick(combo, Qt.Key.Key_PageDown)
    assert view.frame_index > 0
    qtbot.keyClick(combo, Qt.Key.Key_PageUp)
    assert view.frame_index == 0
    qtbot.keyClick(combo, Qt.Key.Key_Right)
    assert view.frame_index == 1
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    assert view.playing
    view.pause()
    after = (view.preset_combo.currentData(), view.batch_combo.currentIndex(), view.speed_combo.currentIndex())
    assert after == before and view.run.step == 1  # nothing reset, the Train step kept


def test_text_fields_keep_their_keys(view: NetworkView, qtbot) -> None:
    view.seed_spin.setFocus()
    view.seed_spin.lineEdit().selectAll()
    qtbot.keyClicks(view.seed_spin, "42")
    qtbot.keyClick(view.seed_spin, Qt.Key.Key_Home)
    qtbot.keyClick(view.seed_spin, Qt.Key.Key_End)
    assert view.seed_spin.value() == 42 and view.frame_index == 0


def test_choosing_a_preset_returns_the_keys_to_the_animation(view: NetworkView, qtbot) -> None:
    index = view.preset_combo.findData("dead")
    view.preset_combo.setFocus()
    view.preset_combo.setCurrentIndex(index)
    view.preset_combo.activated.emit(index)
    assert view.canvas.hasFocus() and view.run.preset.key == "dead"


def test_discarding_train_steps_is_asked_and_no_keeps_them(view: NetworkView) -> None:
    view.set_preset("default")
    view.train_button.click()
    view.train_button.click()
    view.pause()
    asked: list[int] = []
    view.confirm_discard_training = lambda steps: asked.append(steps) or False
    view.preset_combo.setCurrentIndex(view.preset_combo.findData("dead"))
    assert asked == [2]
    assert view.run.step == 2 and view.run.preset.key == "default"
    assert view.preset_combo.currentData() == "default"  # the combo shows the network kept
    view.reset_button.click()
    assert asked == [2, 2] and view.run.step == 2
    view.confirm_discard_training = lambda steps: asked.append(steps) or True
    view.preset_combo.setCurrentIndex(view.preset_combo.findData("dead"))
    assert view.run.step == 0 and view.run.preset.key == "dead"
    view.reset_button.click()  # nothing trained: nothing to ask
    assert asked == [2, 2, 2]


def test_step_animation_is_deterministic(view: NetworkView) -> None:
    view.go_to_frame(0)
    assert view.progress == 1.0  # a still: the pulses at rest at the end
    view.set_speed(2.0)
    first = view.timeline.frames[0]
    view.play()  # from a still: the frame on screen plays from its start
    assert view.frame_index == 0 and view.progress == 0.0
    view.step_animation(0.1)  # 0.2 s at 2x
    assert view.frame_index == 0
    assert view.progress == pytest.approx(0.2 / first.duration)
    view.step_animation(first.duration / 2)  # past the end of the first frame
    assert view.frame_index == 1
    second = view.timeline.frames[1]
    assert view.progress == pytest.approx(
        (0.2 + first.duration - second.start) / second.duration
    )
    view.step_animation(1000.0)  # to the end: stops itself
    assert view.frame_index == len(view.timeline) - 1
    assert not view.playing
    view.set_speed(100)
    assert view.speed == 4.0


def test_slider_scrubs_frames_and_step_card_follows(view: NetworkView) -> None:
    view.slider.setValue(6)
    assert view.frame_index == 6
    assert view.frame.layer_name == "ReLU 1" and view.frame.phase == Phase.BACKWARD
    assert view.step_card.text().startswith("ReLU 1 backward: mask z <= 0 blocked")
    assert "(sample 3, row 3 of z)" in view.step_card.text()
    view.step_frames(+1)
    assert view.slider.value() == 7


def test_closed_gate_is_painted_blocked_dark_and_open_gate_is_not(view: NetworkView, qtbot) -> None:
    view.slider.setValue(6)  # ReLU 1 backward
    z = view.record.relus[0].inputs[3]
    closed = np.flatnonzero(z <= 0)
    opened = np.flatnonzero(z > 0)
    assert closed.size and opened.size, "sample 3 of the book network has both kinds"
    image = view.canvas.grab().toImage()
    centres = gate_centers(view.frame.scene, QRectF(view.canvas.rect()))[0]
    for i in closed:
        p = centres[i].toPoint()
        assert _is_blocked(image.pixelColor(p)), (i, image.pixelColor(p).name())
    for i in opened:
        p = centres[i].toPoint()
        assert not _is_blocked(image.pixelColor(p))
    # the gate stays closed on later frames
    view.step_frames(+1)
    image = view.canvas.grab().toImage()
    assert _is_blocked(image.pixelColor(centres[closed[0]].toPoint()))


def test_closed_gate_in_an_export_at_another_size(view: NetworkView) -> None:
    view.slider.setValue(6)
    image = frame_image(view, 800, 450)
    centres = gate_centers(view.frame.scene, QRectF(0, 0, 800, 450))[0]
    z = view.record.relus[0].inputs[3]
    i = int(np.flatnonzero(z <= 0)[0])
    assert _is_blocked(image.pixelColor(centres[i].toPoint()))
    # paint_network works on a bare QImage too (what an exporter would do)
    other = QImage(640, 360, QImage.Format.Format_ARGB32)
    other.fill(QColor("white"))
    painter = QPainter(other)
    paint_network(painter, QRectF(0, 0, 640, 360), view.frame.scene, 1.0)
    painter.end()
    c = gate_centers(view.frame.scene, QRectF(0, 0, 640, 360))[0][i].toPoint()
    assert _is_blocked(other.pixelColor(c))
    assert CLOSED.getRgb()[:3] == BLOCKED_RGB


def test_whole_batch_and_dead_preset(view: NetworkView) -> None:
    view.set_preset("dead")
    view.set_sample(None)
    view.go_to_frame(1)  # ReLU 1 forward
    scene = view.frame.scene
    assert scene.sample is None
    assert scene.dead_count[0] == view.record.relu[0].dead_count >= 1
    assert bool(scene.gates[0][2])
    assert "dead unit" in view.step_card.text()
    image = view.canvas.grab().toImage()
    centre = gate_centers(scene, QRectF(view.canvas.rect()))[0][2].toPoint()
    assert _is_blocked(image.pixelColor(centre))


def test_train_step_updates_readouts_and_curve(view: NetworkView) -> None:
    loss0 = view.record.loss
    view.lr_spin.setValue(1.0)
    view.go_to_frame(5)
    view.train_button.click()
    # Paused before: the new pass waits on its first frame, it does not start playing unasked.
    assert not view.playing
    assert view.frame_index == 0 and view.progress == 0.0
    assert view.run.step == 1
    assert view.timeline.frames[-1].phase == Phase.UPDATE
    # Playing before: the new pass plays from its first frame.
    view.play()
    view.step_animation(1.5)
    assert view.playing and view.frame_index > 0
    view.train_button.click()
    assert view.playing and view.frame_index == 0
    assert view.run.step == 2
    view.step_animation(1000.0)
    assert not view.playing
    xs, ys = view.loss_curve.getData()
    assert list(xs) == [1, 2] and ys[0] == pytest.approx(loss0)
    assert "loss" in view.loss_label.text()
    view.pause()
    view.seed_spin.setValue(5)
    view.confirm_discard_training = lambda steps: True
    view.reset_button.click()
    assert view.run.step == 0 and view.run.seed == 5
    xs, _ = view.loss_curve.getData()
    assert xs is None or len(xs) == 0


def test_open_in_arrays_emits_z_and_dvalues(view: NetworkView, qtbot) -> None:
    view.set_preset("default")
    assert [b.text() for b in view.open_buttons] == [
        "Open ReLU 1 in arrays",
        "Open ReLU 2 in arrays",
    ]
    with qtbot.waitSignal(view.open_in_arrays_requested) as blocker:
        view.open_buttons[1].click()
    z, dvalues = blocker.args
    layer = view.record.relus[1]
    assert z.shape == dvalues.shape == (300, 6)
    assert relu_backward(z, dvalues).tobytes() == layer.dinputs.tobytes()
    assert not np.shares_memory(z, layer.inputs)


def test_close_hide_and_delete_stop_every_timer(qtbot) -> None:
    v = NetworkView(NetworkDocument())
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    v.play()
    timers = v.findChildren(QTimer)
    assert timers and any(t.isActive() for t in timers)
    v.hide()
    assert not any(t.isActive() for t in v.findChildren(QTimer))
    v.show()
    v.play()
    assert v.playing
    v.close()
    assert not any(t.isActive() for t in v.findChildren(QTimer))
    v.show()
    v.play()
    v.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with pytest.raises(RuntimeError):
        v.isVisible()  # the C++ object and its timers are gone


def test_static_layer_is_cached_within_a_frame(view: NetworkView) -> None:
    view.go_to_frame(0)
    view.canvas.grab()
    builds = view.canvas.cache_builds
    view.play()
    for _ in range(5):
        view.step_animation(0.01)
        view.canvas.grab()
    assert view.frame_index == 0
    assert view.canvas.cache_builds == builds
    view.pause()


def test_edge_and_pulse_colours_follow_the_arrays_colormap(view: NetworkView) -> None:
    table = lookup_table(DEFAULT_COLORMAP)
    red_end, blue_end = table[255, :3].astype(int), table[0, :3].astype(int)

    def side(c: QColor) -> int:
        rgb = np.array([c.red(), c.green(), c.blue()])
        return 1 if np.abs(rgb - red_end).sum() < np.abs(rgb - blue_end).sum() else -1

    assert side(sign_color(+1.0)) == 1 and sign_color(+1.0).red() > sign_color(+1.0).blue()
    assert side(sign_color(-1.0)) == -1 and sign_color(-1.0).blue() > sign_color(-1.0).red()
    assert sign_color(0.0).getRgb()[:3] == tuple(int(v) for v in table[128, :3])
    # The thickest edge of the active block is drawn last, so its midpoint shows its own colour.
    view.go_to_frame(0)  # Dense 1 forward: edges are the weights
    scene = view.frame.scene
    w = np.asarray(scene.edge_values[0], dtype=np.float64)
    i, j = np.unravel_index(int(np.argmax(np.abs(w))), w.shape)
    nodes = node_centers(scene, QRectF(view.canvas.rect()))
    mid = (nodes[0][i] + nodes[1][j]) / 2
    image = view.canvas.grab().toImage()
    c = image.pixelColor(mid.toPoint())
    assert side(c) == (1 if w[i, j] > 0 else -1), (w[i, j], c.name())
    assert c.name() == sign_color(w[i, j], 0.9).name()


def test_starts_on_a_sample_with_open_and_closed_gates_and_says_so(qtbot) -> None:
    v = NetworkView(NetworkDocument())
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitExposed(v)
    for preset in ("default", "book", "dead"):
        v.set_preset(preset)
        s = v.sample_spin.value()
        assert s == first_mixed_sample(v.record) > 0  # sample 0 is the origin: every gate closed
        for relu in v.record.relus:
            z = relu.inputs[s]
            assert (z <= 0).any() and (z > 0).any(), (preset, relu.name)
        norms = np.linalg.norm(v.record.x, axis=1)
        assert norms[s] >= np.median(norms)  # not a point near the origin with unreadable numbers
        n = v.record.batch_size
        assert v.frame.scene.shown.startswith(f"sample {s} (rows 0–{n - 1}) · class ")
    v.set_sample(None)
    assert v.frame.scene.shown == f"mean of {v.record.batch_size} samples"


def test_loss_curve_has_an_empty_state_then_one_point_per_step(view: NetworkView) -> None:
    assert view.loss_stack.currentWidget() is view.loss_empty
    assert "Train step" in view.loss_empty.text()
    view.train_button.click()
    view.pause()
    assert view.loss_stack.currentWidget() is view.loss_plot
    xs, ys = view.loss_curve.getData()
    assert list(xs) == [1] and len(ys) == 1
    assert view.step_label.text().startswith("steps     1")
    view.confirm_discard_training = lambda steps: True
    view.reset_button.click()
    assert view.loss_stack.currentWidget() is view.loss_empty


def test_set_colormap_repaints_the_canvas_with_another_map(view: NetworkView) -> None:
    # What the canvas on screen shows (grabbed), not an offscreen frame image: the midpoint of the
    # thickest edge of the active block takes that edge's colour in the new map.
    view.go_to_frame(0)
    scene = view.frame.scene
    w = np.asarray(scene.edge_values[0], dtype=np.float64)
    i, j = np.unravel_index(int(np.argmax(np.abs(w))), w.shape)
    nodes = node_centers(scene, QRectF(view.canvas.rect()))
    mid = ((nodes[0][i] + nodes[1][j]) / 2).toPoint()

    def painted() -> str:
        return view.canvas.grab().toImage().pixelColor(mid).name()

    assert painted() == sign_color(w[i, j], 0.9).name()
    view.set_colormap("purple-orange")
    assert view.colormap == "purple-orange"
    assert painted() == sign_color(w[i, j], 0.9, colormap="purple-orange").name() != sign_color(w[i, j], 0.9).name()
    with pytest.raises(KeyError, match="unknown colormap"):
        view.set_colormap("rainbow")


# -- glyphs, theme, status bar ---------------------------------------------------------------------


def _shipped_fonts() -> list[QRawFont]:
    from reluviz.resources_path import resource

    fonts = [QRawFont(str(resource("fonts", name)), 12) for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    assert all(f.isValid() for f in fonts)
    return fonts


def _missing(text: str, font: QRawFont) -> list[str]:
    return sorted({c for c in text if not c.isspace() and not font.supportsCharacter(ord(c))})


def test_every_button_and_card_character_is_in_the_shipped_fonts(view: NetworkView) -> None:
    """U+23F8 "⏸" on the pause button is not in DejaVu Sans: it drew a missing-glyph box."""
    texts: list[str] = []
    view.play()
    texts.append(view.play_button.text())
    assert view.play_button.text() == PAUSE_TEXT
    view.pause()
    texts.append(view.play_button.text())
    assert view.play_button.text() == PLAY_TEXT
    buttons = view.findChildren(QPushButton)
    texts += [b.text() for b in buttons]
    texts += [c.text() for c in view.findChildren(QCheckBox)]
    for combo in view.findChildren(QComboBox):
        texts += [combo.itemText(i) for i in range(combo.count())]
    for spin in [*view.findChildren(QSpinBox), *view.findChildren(QDoubleSpinBox)]:
        texts += [spin.prefix(), spin.suffix(), spin.toolTip()]
    texts += [b.toolTip() for b in buttons]
    texts += [view.loss_empty.text(), view.phase_label.text(), view.frame_label.text()]
    fonts = _shipped_fonts()
    for text in texts:
        for font in fonts:
            assert not _missing(text, font), (text, _missing(text, font))
    # what the canvas and the step card show, in every preset, for one sample and the whole batch
    texts += ["x[:,0]", "class 0", "dead", "100%", "width ∝ |W| or |dW| or |W| after SGD (per layer)",
              "gate closed (z <= 0): gradient stops", "units and samples count from 0"]
    for preset in ("book", "default", "dead"):
        view.set_preset(preset)
        view.train_step()
        for sample in (view.sample_spin.value(), None):
            view.set_sample(sample)
            for f in view.timeline.frames:
                sc = f.scene
                texts += [f.text, f.summary, view.phase_label.text(), sc.shown, *sc.titles, *sc.captions]
                texts += [t for column in sc.node_text for t in column]
    for text in texts:
        for font in fonts:
            assert not _missing(text, font), (text, _missing(text, font))
    # Qt resolves the buttons' own font to the shipped family with every glyph of their text.
    view.play()
    for b in buttons:
        metrics = QFontMetrics(b.font())
        assert all(metrics.inFontUcs4(ord(c)) for c in b.text() if not c.isspace()), b.text()
    view.pause()


def _array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).astype(int)


def _commonest(pixels: np.ndarray) -> tuple[int, int, int]:
    values, counts = np.unique(pixels.reshape(-1, 3), axis=0, return_counts=True)
    return tuple(int(v) for v in values[int(np.argmax(counts))])


def _rgb(c: QColor) -> tuple[int, int, int]:
    return c.red(), c.green(), c.blue()


def _luminance(c: QColor) -> float:
    def lin(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def _contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_theme_canvas_card_and_plot_follow_it_and_stay_readable(view: NetworkView, qtbot) -> None:
    view.slider.setValue(6)  # ReLU 1 backward, sample 3: open and closed gates
    light = _array(view.canvas.grab().toImage())
    assert _commonest(light) == (255, 255, 255)
    view.set_theme(DARK)
    assert view.theme is DARK
    image = view.canvas.grab().toImage()
    pixels = _array(image)
    assert _commonest(pixels) == _rgb(DARK.background)
    # readable: WCAG contrast of every text/mark colour against what it is drawn on
    look = network_look(DARK)
    assert look.dark and look.background == DARK.background
    assert _contrast(look.text, look.background) >= 7
    assert _contrast(look.muted, look.background) >= 4.5
    assert _contrast(look.active, look.background) >= 4.5
    assert _contrast(look.closed_label, look.background) >= 4.5
    assert _contrast(look.open, look.background) >= 4.5
    assert _contrast(look.node_text, look.node_fill) >= 7
    assert _contrast(look.closed_text, look.closed) >= 7
    assert _contrast(look.closed_halo, look.background) >= 7
    # titles are drawn in the light text colour
    header = pixels[: pixels.shape[0] // 12]
    assert (np.abs(header - np.array(_rgb(DARK.text))).sum(axis=2) < 40).sum() > 50
    # a closed gate is still the blocked slate, now inside a light halo that shows on the dark canvas
    rect = QRectF(view.canvas.rect())
    centres = gate_centers(view.frame.scene, rect, DARK)[0]
    z = view.record.relus[0].inputs[3]
    for i in np.flatnonzero(z <= 0):
        c = centres[i]
        assert _is_blocked(image.pixelColor(c.toPoint()))
        box = pixels[int(c.y()) - 14 : int(c.y()) + 15, int(c.x()) - 14 : int(c.x()) + 15]
        halo = np.array(_rgb(look.closed_halo))
        assert (np.abs(box - halo).sum(axis=2) < 30).sum() > 10
    # the step card and the loss plot's empty state take the theme's panel and text
    card = _array(view.step_card.grab().toImage())
    assert _commonest(card) == _rgb(DARK.panel)
    assert (np.abs(card - np.array(_rgb(DARK.text))).sum(axis=2) < 60).sum() > 20
    assert _commonest(_array(view.loss_empty.grab().toImage())) == _rgb(DARK.panel)
    view.train_step()
    assert view.loss_stack.currentWidget() is view.loss_plot
    assert _commonest(_array(view.loss_plot.grab().toImage())) == _rgb(DARK.panel)
    # exports from the view follow it too, and light comes back
    assert frame_image(view, 320, 180).pixelColor(1, 1) == DARK.background
    view.set_theme(LIGHT)
    assert _commonest(_array(view.canvas.grab().toImage())) == (255, 255, 255)
    assert _commonest(_array(view.step_card.grab().toImage())) == (255, 255, 255)


def _title_ink_height(image: QImage, x0: int, x1: int) -> int:
    """Rows of dark ink in the first text band at the top of columns x0..x1."""
    pixels = _array(image)[:, x0:x1]
    inked = (pixels.sum(axis=2) < 300).any(axis=1)
    rows = np.flatnonzero(inked)
    first = rows[0]
    end = first
    while end + 1 < len(inked) and inked[end + 1]:
        end += 1
    return int(end - first + 1)


def test_presentation_scale_makes_text_and_lines_bigger(view: NetworkView) -> None:
    view.go_to_frame(0)
    scene = view.frame.scene
    heights = []
    for theme in (LIGHT, LIGHT.scaled(1.5)):
        image = QImage(1280, 720, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        paint_network(painter, QRectF(0, 0, 1280, 720), scene, 0.7, theme=theme)
        painter.end()
        x = node_centers(scene, QRectF(0, 0, 1280, 720), theme)[0][0].x()
        heights.append(_title_ink_height(image, int(x) - 60, int(x) + 60))  # "Input x"
    assert heights[1] >= 1.3 * heights[0], heights
    view.set_theme(LIGHT.scaled(1.5))
    assert view.step_card.font().pointSizeF() == pytest.approx(13 * 1.5)
    assert view.play_button.font().pointSizeF() == pytest.approx(11 * 1.5)
    assert view.loss_label.font().pointSizeF() == pytest.approx(12 * 1.5)
    view.set_theme(LIGHT)
    assert view.step_card.font().pointSizeF() == pytest.approx(13)


def test_status_message_describes_every_frame_change(view: NetworkView) -> None:
    view.go_to_frame(len(view.timeline) - 1)
    seen: list[str] = []
    view.status_message.connect(seen.append)
    for i in range(len(view.timeline)):
        view.go_to_frame(i)
    assert seen == [f.summary for f in view.timeline.frames]
    assert seen[6].startswith("ReLU 1 backward · sample 3: ")
    k = int((view.record.relus[0].inputs[3] <= 0).sum())
    assert f"{k} of 3 gates closed" in seen[6]
    seen.clear()
    view.go_to_frame(0)
    view.play()
    view.step_animation(0.05)  # within the same frame: nothing new to say
    view.pause()
    assert seen == [view.timeline.frames[0].summary]
    view.set_sample(None)
    assert seen[-1].endswith(view.frame.summary) and "whole batch" in seen[-1]


def test_sample_and_unit_numbers_are_rows_and_columns_of_the_arrays_it_opens(view: NetworkView, qtbot) -> None:
    view.set_preset("default")
    s = view.sample_spin.value()
    assert (view.sample_spin.minimum(), view.sample_spin.maximum()) == (0, view.record.batch_size - 1)
    view.go_to_frame(0)  # Dense 1 forward: column 1 shows ReLU 1's z for this sample
    with qtbot.waitSignal(view.open_in_arrays_requested) as blocker:
        view.open_buttons[0].click()
    z, _ = blocker.args
    np.testing.assert_array_equal(view.frame.scene.node_values[1], z[s])  # sample s = row s
    u = int(np.argmax(z[s]))
    card = view.step_card.text()
    assert f"Sample {s}: largest z = {z[s, u]:.4g} at unit {u}, z[{s}, {u}]." in card  # unit u = column u
    view.go_to_frame(1)  # ReLU 1 forward: the closed units are the columns where z[s] <= 0
    closed = ", ".join(str(j) for j in np.flatnonzero(z[s] <= 0))
    assert f"(unit{'s' if ',' in closed else ''} {closed})" in view.step_card.text()


# -- the window fits 1280 × 720; node values readable; stills and their legend ---------------------


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("tab", ["arrays", "network"])
def test_main_window_shrinks_to_1280_by_720(qtbot, presentation: bool, tab: str) -> None:
    from reluviz.ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    if presentation:
        w.presentation_action.trigger()
    if tab == "network":
        w.tabs.setCurrentWidget(w.network_view)
    w.resize(1280, 720)
    QCoreApplication.processEvents()
    assert w.width() <= 1280 and w.height() <= 720, (w.width(), w.height())
    assert w.minimumSizeHint().width() <= 1280 and w.minimumSizeHint().height() <= 720
    # The side panel is narrower than before but can be widened: it sits in a splitter.
    side = w.network_view.splitter.widget(1)
    assert side.minimumSizeHint().width() < 360 * (1.3 if presentation else 1.0)
    sizes = w.network_view.splitter.sizes()
    w.network_view.splitter.moveSplitter(sizes[0] - 80, 1)
    assert w.network_view.splitter.sizes()[1] > sizes[1]
    w.close()


def _render(scene, size, progress: float = 1.0, static_only: bool = False) -> np.ndarray:
    from reluviz.render.network_painter import paint_network_static

    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    if static_only:
        paint_network_static(painter, QRectF(0, 0, *size), scene)
    else:
        paint_network(painter, QRectF(0, 0, *size), scene, progress)
    painter.end()
    return _array(image).astype(int)


def _distance_to_nearest_node(scene, size) -> np.ndarray:
    """Per pixel, the distance to the nearest node centre."""
    centres = [p for column in node_centers(scene, QRectF(0, 0, *size)) for p in column]
    ys, xs = np.mgrid[0 : size[1], 0 : size[0]]
    return np.min([np.hypot(xs + 0.5 - p.x(), ys + 0.5 - p.y()) for p in centres], axis=0)


def _radius(scene, size) -> float:
    from reluviz.render.network_look import _Geometry

    return _Geometry(scene, QRectF(0, 0, *size)).r


def _long_text_scene(view: NetworkView, frame: int):
    scene = view.timeline.frames[frame].scene
    texts = tuple(tuple("-2.6e-3" if n % 2 else "-2.79" for n in range(len(col))) for col in scene.node_text)
    return scene, dataclasses.replace(scene, node_text=texts), dataclasses.replace(
        scene, node_text=tuple(tuple("" for _ in col) for col in scene.node_text)
    )


@pytest.mark.parametrize("size", [(1280, 720), (640, 360), (480, 320)])
def test_node_values_stay_inside_their_node(view: NetworkView, size) -> None:
    """The ink a value adds lies inside its circle, even "-2.6e-3" in a small picture."""
    view.set_preset("book")
    view.set_sample(None)
    _, long, empty = _long_text_scene(view, 4)
    r = _radius(long, size)
    text_ink = np.abs(_render(long, size, static_only=True) - _render(empty, size, static_only=True)).sum(axis=2) > 40
    assert text_ink.any()
    d = _distance_to_nearest_node(long, size)
    assert d[text_ink].max() <= 0.8 * r + 1.5, (d[text_ink].max(), r)


@pytest.mark.parametrize("progress", [0.0, 0.05, 0.5, 0.95, 1.0])
def test_pulses_never_cover_a_node_value(view: NetworkView, progress: float) -> None:
    """Every dot (along edges and through gates, forward and backward) keeps off the node's text."""
    size = (900, 500)
    for sample in (3, None):
        view.set_sample(sample)
        for index, frame in enumerate(view.timeline.frames):
            scene = frame.scene
            if scene.direction == 0:
                continue
            r = _radius(scene, size)
            inner = _distance_to_nearest_node(scene, size) <= 0.77 * r  # where a node's value may be
            # The same frame with nothing moving (direction 0): same nodes, edges and gates.
            still = dataclasses.replace(scene, direction=0)
            dots = np.abs(_render(scene, size, progress) - _render(still, size, progress)).sum(axis=2) > 40
            if scene.active_block is not None or scene.gate_pulse is not None:
                assert dots.any(), (sample, index, progress)
            assert not dots[inner].any(), (sample, index, progress)


def test_stills_show_pulses_at_rest_at_the_end_not_part_way(view: NetworkView) -> None:
    """Stepping (and any still at progress 1) draws no dot mid-edge: only where the pulses arrive."""
    size = (1000, 560)
    view.set_sample(3)
    for index in range(len(view.timeline)):
        view.step_frames(0) if index == view.frame_index else view.go_to_frame(index)
        assert view.progress == 1.0
        scene = view.frame.scene
        image = _array(frame_image(view, *size)).astype(int)
        static = _render(scene, size, static_only=True)
        changed = np.abs(image - static).sum(axis=2) > 40  # gates and pulses
        r = _radius(scene, size)
        nodes = node_centers(scene, QRectF(0, 0, *size))
        xs = np.array([p.x() for column in nodes for p in column])
        columns = np.flatnonzero(changed.any(axis=0))
        # Everything dynamic is within 3.5 radii (horizontally) of a column of nodes: the gates, and
        # the pulses resting at an edge's end. Part-way along (0.7) they would be mid-edge.
        far = [x for x in columns if np.min(np.abs(xs - (x + 0.5))) > 3.5 * r]
        assert not far, (index, far[:5], r)
    # Dots part-way (here half-way) along the edges are what the check above would see.
    scene = view.timeline.frames[0].scene
    moved = np.abs(_render(scene, size, 0.5) - _render(scene, size, static_only=True)).sum(axis=2) > 40
    xs = np.array([p.x() for column in node_centers(scene, QRectF(0, 0, *size)) for p in column])
    assert any(np.min(np.abs(xs - (x + 0.5))) > 3.5 * _radius(scene, size) for x in np.flatnonzero(moved.any(axis=0)))


def test_legend_lists_only_what_the_frame_shows(view: NetworkView) -> None:
    from reluviz.render.network_painter import legend_items

    def words(scene) -> list[str]:
        keys, notes = legend_items(scene)
        return [t for _, t in keys + notes]

    view.set_sample(3)
    for frame in view.timeline.frames:
        listed = words(frame.scene)
        assert "% under a unit: samples it passed" not in listed  # one sample: no percentages
        moving = frame.scene.direction != 0 and (frame.scene.active_block is not None
                                                 or frame.scene.gate_pulse is not None)
        arriving = [t for t in listed if t.endswith("arriving")]
        if moving:
            assert arriving == ["gradient arriving" if frame.scene.direction < 0 else "activation arriving"]
        else:
            assert not arriving
    forward = view.timeline.frames[0].scene
    assert "activation arriving" in words(forward)
    view.set_sample(None)
    assert "% under a unit: samples it passed" in words(view.timeline.frames[4].scene)
    # Frame 4 of the whole batch has open gates only: no "gate closed" key.
    assert not any(t.startswith("gate closed") for t in words(view.timeline.frames[4].scene))


# -- the view shows a document ------------------------------------------------------------------


def _painted_as_a_fresh_view(view: NetworkView, qtbot) -> bool:
    """The canvas shows what a view built now on the same document paints, pixel for pixel (both
    on the frame on screen, as a still)."""
    fresh = NetworkView(view.document)
    qtbot.addWidget(fresh)
    fresh.resize(view.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    view.go_to_frame(view.frame_index)
    fresh.go_to_frame(view.frame_index)
    inside = view.canvas.rect().adjusted(4, 4, -4, -4)  # not the focus frame (only one view has the focus)
    same = view.canvas.grab(inside).toImage() == fresh.canvas.grab(inside).toImage()
    fresh.close()
    return same


def test_a_document_changed_from_outside_is_shown_and_painted(view: NetworkView, qtbot) -> None:
    doc = view.document
    view.go_to_frame(6)  # ReLU 1 backward: gates on screen
    before = view.canvas.grab().toImage()
    doc.restore("dead", 4, 30, [0.5, 0.25], learning_rate=0.125, sample=11, whole_batch=False)
    assert view.preset_combo.currentData() == "dead" and view.seed_spin.value() == 4
    assert view.batch_combo.currentData() == 30 and view.lr_spin.value() == 0.125
    assert view.sample_spin.value() == 11 and not view.whole_batch_check.isChecked()
    assert view.record is doc.pass_record and view.record.step == 1  # the last Train step's pass
    assert view.step_label.text().startswith("steps     2") and len(view.loss_curve.getData()[0]) == 2
    assert view.frame_index == 0 and view.frame.scene.sample == 11
    assert view.canvas.grab().toImage() != before and _painted_as_a_fresh_view(view, qtbot)
    doc.set_sample(None)
    assert view.whole_batch_check.isChecked() and not view.sample_spin.isEnabled()
    assert view.frame.scene.sample is None and view.frame.scene.shown == "mean of 30 samples"
    assert _painted_as_a_fresh_view(view, qtbot)
    record = doc.train_step()
    assert view.record is record and view.step_label.text().startswith("steps     3")
    doc.reset(preset="book", seed=0, batch_size=None)
    assert view.preset_combo.currentData() == "book" and view.batch_combo.currentData() == 0
    assert view.lr_spin.value() == 1.0 and view.run.step == 0
    assert view.loss_stack.currentWidget() is view.loss_empty
    assert view.frame.scene.sizes == (2, 3, 3) and _painted_as_a_fresh_view(view, qtbot)  # the book network


def test_the_controls_write_to_the_document(view: NetworkView, qtbot) -> None:
    doc = view.document
    view.sample_spin.setValue(5)
    assert (doc.sample, doc.whole_batch) == (5, False)
    qtbot.mouseClick(view.whole_batch_check, Qt.MouseButton.LeftButton)
    assert (doc.sample, doc.whole_batch) == (5, True)
    qtbot.mouseClick(view.whole_batch_check, Qt.MouseButton.LeftButton)
    assert (doc.sample, doc.whole_batch) == (5, False) and view.frame.scene.sample == 5
    view.lr_spin.setValue(0.75)
    assert doc.learning_rate == 0.75
    qtbot.mouseClick(view.train_button, Qt.MouseButton.LeftButton)
    view.pause()
    assert doc.trained_learning_rates == (0.75,) and view.record is doc.pass_record
    view.seed_spin.setValue(9)
    view.batch_combo.setCurrentIndex(view.batch_combo.findData(60))
    assert (doc.seed, doc.batch_size) == (0, None)  # not applied until Reset
    view.confirm_discard_training = lambda steps: True
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert (doc.preset, doc.seed, doc.batch_size, doc.trained_learning_rates) == ("book", 9, 60, ())
    assert doc.sample == DEFAULT_SAMPLE and view.sample_spin.value() == doc.opening_sample
    view.preset_combo.setCurrentIndex(view.preset_combo.findData("dead"))
    assert doc.preset == "dead" and doc.seed == 9


def test_a_view_deleted_stops_following_its_document(qtbot) -> None:
    doc = NetworkDocument()
    view = NetworkView(doc)
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    doc.reset(preset="dead")  # a handler of the deleted view would raise here
    doc.set_sample(3)
    assert all(not event._callbacks for event in vars(doc.events).values())
