"""The network canvas widget (one cached still picture per frame) and the timeline keys."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
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
from reluviz.render.network_look import network_look
from reluviz.render.network_painter import paint_network_dynamic, paint_network_static
from reluviz.render.theme import Theme

if TYPE_CHECKING:
    from reluviz.ui.network_view import NetworkView


class _NetworkCanvas(QWidget):
    """Paints the current scene; the still part is cached in a pixmap per frame and size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.scene: Scene | None = None
        self.progress = 0.0
        self.colormap = DEFAULT_COLORMAP
        self.theme: Theme | None = None
        self._cache: QPixmap | None = None
        self._cache_key: tuple | None = None
        self.cache_builds = 0
        self.paint_count = 0

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 320)

    def set_frame(self, scene: Scene, progress: float) -> None:
        if scene is not self.scene:
            self.scene = scene
            self._cache = None
        self.progress = progress
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._cache = None
        super().resizeEvent(event)

    def _static(self) -> QPixmap:
        assert self.scene is not None
        dpr = self.devicePixelRatioF()
        key = (id(self.scene), self.width(), self.height(), dpr, self.colormap, id(self.theme))
        if self._cache is None or self._cache_key != key:
            pm = QPixmap(max(int(self.width() * dpr), 1), max(int(self.height() * dpr), 1))
            pm.setDevicePixelRatio(dpr)
            pm.fill(network_look(self.theme).background)
            painter = QPainter(pm)
            paint_network_static(
                painter, QRectF(0, 0, self.width(), self.height()), self.scene, self.colormap, self.theme
            )
            painter.end()
            self._cache, self._cache_key = pm, key
            self.cache_builds += 1
        return self._cache

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        painter = QPainter(self)
        look = network_look(self.theme)
        if self.scene is None:
            painter.fillRect(self.rect(), look.background)
        else:
            painter.drawPixmap(0, 0, self._static())
            paint_network_dynamic(
                painter,
                QRectF(0, 0, self.width(), self.height()),
                self.scene,
                self.progress,
                self.colormap,
                self.theme,
            )
            if self.hasFocus():
                painter.setPen(QPen(look.active, 2))
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

