"""The Network view driven as a person would: keys, slider, buttons; pixels of a closed gate."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter

from reluviz.core.colour import BLOCKED_RGB, DEFAULT_COLORMAP, lookup_table
from reluviz.core.relu import relu_backward
from reluviz.core.timeline import Phase, first_mixed_sample
from reluviz.ui.network_view import (
    CLOSED,
    NetworkView,
    gate_centers,
    node_centers,
    paint_network,
    sign_color,
)


@pytest.fixture
def view(qtbot) -> NetworkView:
    v = NetworkView()
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


def test_step_animation_is_deterministic(view: NetworkView) -> None:
    view.go_to_frame(0)
    view.set_speed(2.0)
    first = view.timeline.frames[0]
    view.play()
    view.step_animation(0.1)  # 0.7 s into the frame, 0.2 s more at 2x
    assert view.frame_index == 0
    assert view.progress == pytest.approx(0.9)
    view.step_animation(0.1)
    assert view.frame_index == 1
    second = view.timeline.frames[1]
    assert view.progress == pytest.approx(
        (0.7 * first.duration + 0.4 - second.start) / second.duration
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
    assert "(sample 3)" in view.step_card.text()
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
    image = view.frame_image(800, 450)
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
    view.train_button.click()
    assert view.playing
    assert view.run.step == 1
    assert view.timeline.frames[-1].phase == Phase.UPDATE
    view.step_animation(1000.0)
    assert not view.playing
    view.train_button.click()
    assert view.run.step == 2
    xs, ys = view.loss_curve.getData()
    assert list(xs) == [1, 2] and ys[0] == pytest.approx(loss0)
    assert "loss" in view.loss_label.text()
    view.pause()
    view.seed_spin.setValue(5)
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
    v = NetworkView()
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
    v = NetworkView()
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
        assert v.frame.scene.shown.startswith(f"sample {s} of {v.record.batch_size} · class ")
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
    view.reset_button.click()
    assert view.loss_stack.currentWidget() is view.loss_empty


def test_set_colormap_repaints_with_another_map(view: NetworkView) -> None:
    view.go_to_frame(0)
    before = view.frame_image(400, 240)
    view.set_colormap("purple-orange")
    assert view.colormap == "purple-orange"
    after = view.frame_image(400, 240)
    assert before != after
    with pytest.raises(KeyError, match="unknown colormap"):
        view.set_colormap("rainbow")
