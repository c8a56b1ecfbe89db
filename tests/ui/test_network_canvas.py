"""Trust: the Network canvas repaints only where pulses move, and still shows exactly the frame.

While playing, each new progress repaints only the boxes the moving marks occupied and occupy now.
The screen is read back from the window's backing store (what was actually painted, partial
repaints included; ``grab()`` would repaint the whole widget and hide stale pixels) and compared,
pixel for pixel, with :func:`paint_network` painting the same frame into a new image.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent

from reluviz.core.colour import COLORMAPS
from reluviz.core.network_document import NetworkDocument
from reluviz.render.network_look import network_look
from reluviz.render.network_painter import paint_network
from reluviz.render.theme import DARK, LIGHT, Theme
from reluviz.ui.network_canvas import _NetworkCanvas
from reluviz.ui.network_view import NetworkView

from .test_trust_arrays import _as_array, flush_paints, on_screen


class _PaintedAreas(QObject):
    """Records the area (in pixels) of every paint event a widget receives."""

    def __init__(self, widget: _NetworkCanvas) -> None:
        super().__init__(widget)
        self.areas: list[int] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.areas.append(sum(box.width() * box.height() for box in event.region()))
        return False


def _fresh_render(canvas: _NetworkCanvas) -> np.ndarray:
    """The canvas's frame painted whole, from scratch, into a new image (no cache, no clip)."""
    assert canvas.scene is not None
    image = QImage(canvas.size(), QImage.Format.Format_RGB32)
    image.fill(network_look(canvas.theme).background)
    painter = QPainter(image)
    paint_network(painter, QRectF(canvas.rect()), canvas.scene, canvas.progress, canvas.colormap, canvas.theme)
    painter.end()
    return _as_array(image)


def _screen_differences(canvas: _NetworkCanvas) -> int:
    """Pixels on screen that differ from a fresh render (the focus frame, a 3-pixel border, aside)."""
    flush_paints()
    shown, visible = on_screen(canvas)
    expected = _fresh_render(canvas)
    differs = np.zeros(expected.shape, bool)
    rows = slice(visible.top(), visible.top() + shown.shape[0])
    cols = slice(visible.left(), visible.left() + shown.shape[1])
    differs[rows, cols] = shown != expected[rows, cols]
    if canvas.hasFocus():
        differs[:3, :] = differs[-3:, :] = differs[:, :3] = differs[:, -3:] = False
    return int(differs.sum())


@pytest.fixture
def view(qtbot) -> NetworkView:
    v = NetworkView(NetworkDocument())
    qtbot.addWidget(v)
    v.resize(1000, 620)
    v.show()
    qtbot.waitExposed(v)
    return v


@pytest.mark.parametrize(
    ("preset", "sample", "theme"),
    [("default", 0, LIGHT), ("book", 3, LIGHT), ("dead", None, DARK.scaled(1.5))],
    ids=["default-sample", "book-sample", "dead-batch-dark-presentation"],
)
def test_stepped_animation_on_screen_equals_a_fresh_render(
    view: NetworkView, qtbot, preset: str, sample: int | None, theme: Theme
) -> None:
    """A whole pass played in uneven steps, with a colormap change, a resize and focus changes on the way."""
    view.set_theme(theme)
    view.set_preset(preset)
    view.set_sample(sample)
    view.train_step()  # forward, loss, backward and the update frames
    canvas = view.canvas
    painted = _PaintedAreas(canvas)
    view.go_to_frame(0)
    view.set_speed(1.0)
    view.play()  # from the start of the pass; the steps below move it, not the real timer
    view.pause()
    rng = np.random.default_rng(10)
    other_colormap = next(name for name in COLORMAPS if name != canvas.colormap)
    step = 0
    frames_seen = set()
    while not (view.frame_index == len(view.timeline) - 1 and canvas.progress == 1.0):
        step += 1
        if step == 30:
            view.set_colormap(other_colormap)
        elif step == 60:
            view.resize(view.width() - 37, view.height() + 23)
        elif step == 90:
            canvas.clearFocus()
        elif step == 120:
            canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        # Uneven steps, some smaller than a pixel of travel, some several ticks at once.
        view.step_animation(float(rng.choice([0.004, 1 / 60, 0.05, 0.11])))
        frames_seen.add(view.frame_index)
        differences = _screen_differences(canvas)
        assert differences == 0, (
            f"step {step}, frame {view.frame_index} at progress {canvas.progress:.3f}: "
            f"{differences} pixels on screen differ from a fresh render"
        )
    assert frames_seen == set(range(len(view.timeline)))
    # The check is about partial repaints: most paints covered a small part of the canvas.
    whole = canvas.width() * canvas.height()
    small = [area for area in painted.areas if area < whole / 4]
    assert len(small) > 0.7 * len(painted.areas), (len(small), len(painted.areas))


def test_a_repeated_progress_paints_nothing(view: NetworkView) -> None:
    view.set_preset("default")
    view.go_to_frame(0)
    view.play()
    view.pause()  # stepped below, not by the real timer
    view.step_animation(0.1)
    flush_paints()
    paints = view.canvas.paint_count
    view.canvas.set_frame(view.canvas.scene, view.canvas.progress)  # the same frame, the same time
    flush_paints()
    assert view.canvas.paint_count == paints


def test_a_frame_where_nothing_travels_is_not_repainted_while_it_plays(view: NetworkView) -> None:
    """The loss frame has no pulses and no gate closing: its time passes without a paint."""
    view.set_preset("default")
    loss = next(i for i, f in enumerate(view.timeline.frames) if f.scene.direction == 0)
    frame = view.timeline.frames[loss]
    view.go_to_frame(loss)
    view.play()  # from the start of the frame shown as a still
    view.pause()  # stepped below, not by the real timer
    flush_paints()
    paints = view.canvas.paint_count
    for _ in range(int(frame.duration * 60) - 2):
        view.step_animation(1 / 60)
    assert view.frame_index == loss
    flush_paints()
    assert view.canvas.paint_count == paints
