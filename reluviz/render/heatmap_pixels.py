"""Exact pixels: a one-cell repaint paints the very pixels a full paint does.

Qt's raster engine rounds scaled images, clip rectangles and dash patterns differently when a
paint is clipped; these helpers avoid each case on pixel devices (widgets, pixmaps, images) and
leave vector devices (SVG, PDF) to Qt.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPainterPathStroker, QPen

__all__ = ["blit_on_pixel_grid", "is_pixel_device", "on_pixel_grid", "outline"]


def is_pixel_device(painter: QPainter) -> bool:
    """Whether ``painter`` paints whole device pixels 1:1 (a widget, pixmap or image, no scaling)."""
    device = painter.device()
    transform = painter.deviceTransform()
    # QInternal's device types 1-3 are widgets, pixmaps and images; SVG and PDF devices are not.
    return (device is not None and device.devType() in (1, 2, 3)
            and transform.type().value <= transform.TransformationType.TxTranslate.value
            and transform.dx() == int(transform.dx()) and transform.dy() == int(transform.dy()))


def on_pixel_grid(rect: QRectF) -> QRectF:
    """``rect`` snapped to whole pixels: exactly the pixels whose centres lie inside it.

    A fractional clip rectangle is rounded one way alone and another way once intersected with a
    repaint's region; whole pixels clip the same in both, and match how cells are sampled.
    """
    left, top = math.ceil(rect.left() - 0.5), math.ceil(rect.top() - 0.5)
    right, bottom = math.ceil(rect.right() - 0.5), math.ceil(rect.bottom() - 0.5)
    return QRectF(left, top, max(0, right - left), max(0, bottom - top))


def outline(painter: QPainter, box: QRectF, pen: QPen) -> None:
    """Draw a rectangle's outline with ``pen``, dashes placed the same however the paint is clipped.

    Qt's raster engine restarts a dash pattern where a clip cuts the line, so a one-cell repaint
    would draw a dashed outline's dashes shifted against the full paint. On pixel devices a dashed
    outline is therefore turned into its exact shape first and filled (fills ignore the clip's
    position); vector devices (SVG, PDF) keep a real dashed stroke.
    """
    if pen.style() == Qt.PenStyle.SolidLine or not is_pixel_device(painter):
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box)
        return
    path = QPainterPath()
    path.addRect(box)
    stroke = QPainterPathStroker(pen).createStroke(path)
    painter.fillPath(stroke, pen.brush())


def blit_on_pixel_grid(painter: QPainter, rgba: np.ndarray, target: QRectF, area: QRectF) -> bool:
    """Draw ``rgba`` stretched over ``target``, sampling each device pixel at its centre.

    Qt's scaled ``drawImage`` rounds differently when clipped, so a one-cell repaint could give
    a cell's edge pixel to its neighbour (a stale sliver). Here each pixel's source cell follows
    from its own centre alone, so a partial repaint paints exactly what a full one does, and
    hit-testing (which also uses pixel centres) agrees with it. Only where device pixels are
    logical pixels (no scaling, integer offset); returns ``False`` elsewhere (vector devices,
    high-DPI) and the caller draws the image as before.
    """
    if not is_pixel_device(painter):
        return False
    height, width = rgba.shape[:2]
    left, top = max(area.left(), target.left()), max(area.top(), target.top())
    right, bottom = min(area.right(), target.right()), min(area.bottom(), target.bottom())
    xs = np.arange(math.floor(left), math.ceil(right)) + 0.5
    ys = np.arange(math.floor(top), math.ceil(bottom)) + 0.5
    src_cols = np.floor((xs - target.left()) * (width / target.width())).astype(np.intp)
    src_rows = np.floor((ys - target.top()) * (height / target.height())).astype(np.intp)
    # Only pixels whose centre lies on the image (as Qt's own nearest-neighbour blit).
    keep_c = (xs >= target.left()) & (xs < target.right()) & (src_cols >= 0) & (src_cols < width)
    keep_r = (ys >= target.top()) & (ys < target.bottom()) & (src_rows >= 0) & (src_rows < height)
    if not keep_c.any() or not keep_r.any():
        return True
    xs, src_cols = xs[keep_c], src_cols[keep_c]
    ys, src_rows = ys[keep_r], src_rows[keep_r]
    # Two 1-D takes on uint32 pixels: far cheaper than 2-D fancy indexing of RGBA bytes.
    packed = np.ascontiguousarray(rgba).view(np.uint32).reshape(height, width)
    pixels = packed.take(src_rows, axis=0).take(src_cols, axis=1)
    image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.shape[1] * 4,
                   QImage.Format.Format_RGBA8888)
    painter.drawImage(QPointF(xs[0] - 0.5, ys[0] - 0.5), image)
    return True

