"""The network canvas widget (a cached still picture per frame, pulses repainted where they move) and the
timeline keys."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from reluviz.core.colour import DEFAULT_COLORMAP
from reluviz.core.network.timeline import Scene
from reluviz.render.network_look import NetworkLook, network_look
from reluviz.render.network_motion import MovingLayer
from reluviz.render.network_painter import paint_network_static
from reluviz.render.theme import Theme

if TYPE_CHECKING:
    from reluviz.ui.network_view import NetworkView


@dataclass(frozen=True)
class _Layers:
    """One scene painted at one size, colormap and theme: its still picture and its moving marks."""

    key: tuple
    still: QPixmap
    moving: MovingLayer
    look: NetworkLook


class _NetworkCanvas(QWidget):
    """Paints the current scene: its still part cached in a pixmap, its moving marks over it.

    Within a frame only the pulses (and gates closing) move, so a new progress repaints only
    where they were and where they are now: :meth:`set_frame` asks for those few rectangles and
    :meth:`paintEvent` repaints what Qt asks for (the still picture there, then every moving mark
    in order, clipped), so the screen always equals a fresh :func:`paint_network` of the frame.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.scene: Scene | None = None
        self.progress = 0.0
        self.colormap = DEFAULT_COLORMAP
        self.theme: Theme | None = None
        self._layers: _Layers | None = None
        # Where the moving marks were last painted, and with which layers: the next progress
        # repaints there too, to wipe them.
        self._painted: tuple[_Layers, list[QRect]] | None = None
        self.cache_builds = 0
        self.paint_count = 0

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 320)

    def set_frame(self, scene: Scene, progress: float) -> None:
        """Show ``scene`` with its pulses at ``progress``; repaints only what that changes."""
        if scene is not self.scene:
            self.scene, self.progress = scene, progress
            self.update()
            return
        if progress == self.progress:
            return
        self.progress = progress
        layers = self._current_layers()
        if layers is None or self._painted is None or self._painted[0] is not layers:
            self.update()  # a new size, colormap or theme since the last paint: all of it
            return
        for was, now in zip(self._painted[1], layers.moving.moving_bounds(progress), strict=True):
            if was.intersects(now):
                self.update(was.united(now))  # one box: fewer, larger blits beat many small ones
            else:
                self.update(was)
                self.update(now)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._layers = None
        super().resizeEvent(event)

    def _key(self) -> tuple:
        return (id(self.scene), self.width(), self.height(), self.devicePixelRatioF(), self.colormap, self.theme)

    def _current_layers(self) -> _Layers | None:
        """The cached layers if they still fit the scene, size, colormap and theme."""
        layers = self._layers
        return layers if layers is not None and layers.key == self._key() else None

    def _built_layers(self) -> _Layers:
        layers = self._current_layers()
        if layers is not None:
            return layers
        assert self.scene is not None
        dpr = self.devicePixelRatioF()
        look = network_look(self.theme)
        rect = QRectF(0, 0, self.width(), self.height())
        still = QPixmap(max(int(self.width() * dpr), 1), max(int(self.height() * dpr), 1))
        still.setDevicePixelRatio(dpr)
        still.fill(look.background)
        painter = QPainter(still)
        paint_network_static(painter, rect, self.scene, self.colormap, self.theme)
        painter.end()
        self._layers = _Layers(self._key(), still, MovingLayer(self.scene, rect, self.colormap, self.theme), look)
        self.cache_builds += 1
        return self._layers

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        painter = QPainter(self)
        if self.scene is None:
            painter.fillRect(self.rect(), network_look(self.theme).background)
        else:
            layers = self._built_layers()
            region = event.region()
            # Qt clips to the region. The still picture is copied box by box, so a few small
            # boxes cost only their pixels; at a fractional pixel ratio a box's edge falls
            # inside a device pixel, so the whole picture is drawn (1:1) and the clip cuts it.
            dpr = layers.still.devicePixelRatio()
            if dpr == int(dpr):
                scale = int(dpr)
                for box in region:
                    painter.drawPixmap(box, layers.still, QRect(box.topLeft() * scale, box.size() * scale))
            else:
                painter.drawPixmap(0, 0, layers.still)
            layers.moving.paint(painter, self.progress, region)
            self._painted = (layers, layers.moving.moving_bounds(self.progress))
            if self.hasFocus():
                painter.setPen(QPen(layers.look.active, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()


# The keys the view's documentation promises (README, Help → Keyboard and mouse).
TIMELINE_KEYS = frozenset({
    Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    Qt.Key.Key_Home, Qt.Key.Key_End,
})


class _TimelineKeys(QObject):
    """Sends the timeline keys pressed on a combo box, button, check box or slider to the view.

    A separate filter holding the view weakly: a view that filtered its own children's events
    would be kept alive by them after Qt deleted it.
    """

    def __init__(self, view: NetworkView) -> None:
        super().__init__(view)
        self._view = weakref.ref(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        view = self._view()
        if (view is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in TIMELINE_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            view.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)

