"""Regenerate the files in ``resources/`` that are made from a source: icons and examples.

Run from the repository root after editing ``resources/icons/reluviz.svg`` or the examples below::

    QT_QPA_PLATFORM=offscreen python packaging/make_resources.py

* ``resources/icons/reluviz-<N>.png`` for the sizes in :data:`PNG_SIZES`, rendered from the SVG by
  Qt's own SVG renderer (the SVG stays the single source of truth);
* ``resources/icons/reluviz.ico`` (Windows) and ``reluviz.icns`` (macOS), both holding those PNGs;
* ``resources/examples/z.npy``, ``dvalues.csv`` and ``lesson.reluviz``, the README's examples.

The output is deterministic: running it twice gives byte-identical files
(``tests/test_shipping.py`` checks that the committed files match).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
EXAMPLES = ROOT / "resources" / "examples"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size an .ico entry can declare
# ICNS chunk types that hold a PNG of the given size (Apple's 'icp4'..'ic10' family).
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def render_icon_png(svg: Path, size: int) -> bytes:
    """Render ``svg`` to a square PNG of ``size`` pixels with Qt and return the PNG's bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico file holding the given PNGs (the PNG-in-ICO form Windows Vista and later read)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .icns file holding the given PNGs under their size's chunk type."""
    chunks = b"".join(ICNS_TYPES[size] + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                      for size in sorted(pngs) if size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def example_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The README's example ``z`` (6×8) and ``dvalues``: a layer's inputs and the gradient arriving.

    One decimal each so every cell prints; a few exact zeros (one of them ``-0.0``) sit where
    ``z <= 0`` and ``z < 0`` disagree.
    """
    rng = np.random.default_rng(9)  # chapter 9
    z = np.round(rng.normal(0.0, 1.5, size=(6, 8)), 1)
    z[1, 2], z[3, 5], z[4, 0] = 0.0, -0.0, 0.0
    dvalues = np.round(rng.normal(0.0, 1.0, size=(6, 8)), 1)
    return z, dvalues


def write_examples() -> None:
    """Write ``z.npy``, ``dvalues.csv`` and ``lesson.reluviz`` into ``resources/examples``."""
    from reluviz.core.io.session import NetworkConfig, Session, save_session

    z, dvalues = example_arrays()
    np.save(EXAMPLES / "z.npy", z, allow_pickle=False)
    rows = [",".join(f"{value:g}" for value in row) for row in dvalues]
    (EXAMPLES / "dvalues.csv").write_text("\n".join(rows) + "\n", encoding="utf-8", newline="\n")
    # A lesson: the same arrays, and the network preset whose dead units stop most gradients,
    # trained three steps so opening it shows a network that has learnt something.
    session = Session(z=z, dvalues=dvalues, colormap="purple-orange", precision=2,
                      network=NetworkConfig(preset="dead", seed=3, sample=4,
                                            trained_learning_rates=[0.5, 0.5, 0.5]))
    save_session(EXAMPLES / "lesson.reluviz", session)


def write_icons() -> None:
    """Render every PNG size from the SVG and pack the .ico and .icns files."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["make_resources"])
    svg = ICONS / "reluviz.svg"
    pngs = {size: render_icon_png(svg, size) for size in PNG_SIZES}
    for size, blob in pngs.items():
        (ICONS / f"reluviz-{size}.png").write_bytes(blob)
    (ICONS / "reluviz.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "reluviz.icns").write_bytes(icns_bytes(pngs))
    del app


def main() -> int:
    """Regenerate the icons and the examples; returns the exit code."""
    sys.path.insert(0, str(ROOT))
    write_icons()
    write_examples()
    print(f"wrote icons into {ICONS} and examples into {EXAMPLES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
