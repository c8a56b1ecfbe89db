"""Canaries for the test harness itself and for known PySide6 defects."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QImage, QPainter, Qt
from PySide6.QtWidgets import QWidget

from reluviz.render.fonts import MONO_FAMILY, UI_FAMILY, ui_font


class _Emitter(QObject):
    fired = Signal(bool)


def test_an_exception_in_a_slot_is_caught_by_pytest_qt(qtbot):
    """If pytest-qt stopped capturing slot exceptions on our PySide6, bugs would pass silently."""
    emitter = _Emitter()

    def broken_slot(_value: bool) -> None:
        raise RuntimeError("boom in a slot")

    emitter.fired.connect(broken_slot)
    with qtbot.capture_exceptions() as captured:
        emitter.fired.emit(True)
    assert len(captured) == 1 and "boom in a slot" in str(captured[0][1])


def test_an_exception_in_a_paint_event_is_caught(qtbot):
    class Broken(QWidget):
        def paintEvent(self, event):
            raise ValueError("boom in paint")

    widget = Broken()
    qtbot.addWidget(widget)
    # PySide6 6.11 re-raises an override's exception in the Python caller of grab(); either way
    # (raised here or captured by pytest-qt's hook) the test that triggered it fails.
    raised = []
    with qtbot.capture_exceptions() as captured:
        try:
            widget.grab()
        except ValueError as error:
            raised.append(error)
    messages = [str(e) for e in raised] + [str(exc[1]) for exc in captured]
    assert any("boom in paint" in m for m in messages)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from 3.12")
def test_qt_calls_and_emits_do_not_leak_references_to_none_or_true(qtbot):
    """PySide6 6.12.0 on 3.11 drops a reference per void call / emit and aborts the app later."""
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    widget = QWidget()
    qtbot.addWidget(widget)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(10_000):
        widget.update()  # a void Qt call
        emitter.fired.emit(True)
    received.clear()
    drift_none = sys.getrefcount(None) - none_before
    drift_true = sys.getrefcount(True) - true_before
    assert abs(drift_none) < 100 and abs(drift_true) < 100, (drift_none, drift_true)


def test_the_shipped_fonts_are_real_and_render_glyphs():
    """Offscreen Qt silently draws empty boxes when no real font exists: fail loudly instead."""
    families = QFontDatabase.families()
    assert UI_FAMILY in families and MONO_FAMILY in families
    assert QFontInfo(ui_font(12)).family() == UI_FAMILY
    image = QImage(80, 30, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(QFont(UI_FAMILY, 14))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "z <= 0")
    painter.end()
    inked = sum(1 for x in range(80) for y in range(30) if image.pixelColor(x, y).lightness() < 128)
    assert inked > 30
