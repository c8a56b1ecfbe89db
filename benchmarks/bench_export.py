"""Time a 3840×2160 PNG of the four-panel figure: render vs. encode, at several PNG levels.

Run: ``python benchmarks/bench_export.py`` (headless is fine). Prints the median of 5 runs per
row. Budget (DESIGN.md): render + encode ≤ 0.6 s at 4K; the chosen level is
``reluviz.render.figures.PNG_QUALITY``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication

from reluviz.core.presets import preset_arrays, random_arrays
from reluviz.render import figures as export
from reluviz.render.fonts import load_app_fonts
from reluviz.render.theme import DARK, LIGHT

REPEATS = 5
QUALITIES = (100, 90, 80, 70, 50, 0, -1)  # Qt: zlib level = (100 - q) * 9 / 91; -1 = Qt's default


def zlib_level(quality: int) -> str:
    return "default" if quality < 0 else str((100 - quality) * 9 // 91)


def median_seconds(function, repeats: int = REPEATS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    load_app_fonts()
    cases = {
        "book 3×4, light": (preset_arrays("book"), LIGHT),
        "random 256×256, dark": (random_arrays(256, 256, 0), DARK),
    }
    print(f"3840×2160 four-panel PNG, median of {REPEATS} (PNG_QUALITY = {export.PNG_QUALITY})")
    header = f"{'figure':<24}{'quality':>8}{'zlib':>9}{'render ms':>11}{'encode ms':>11}{'total ms':>10}{'size KB':>10}"
    print(header)
    print("-" * len(header))
    for name, ((z, dvalues), theme) in cases.items():
        panels = export.panels_from_arrays(z, dvalues)
        figure = export.arrays_figure(panels, 3840, 2160, theme, caption=export.code_caption())
        render, image = median_seconds(lambda figure=figure: export.figure_image(figure))
        for quality in QUALITIES:
            encode, data = median_seconds(lambda q=quality, image=image: export.png_bytes(image, q))
            mark = "  ←" if quality == export.PNG_QUALITY else ""
            print(f"{name:<24}{quality:>8}{zlib_level(quality):>9}{render * 1e3:>11.0f}{encode * 1e3:>11.0f}"
                  f"{(render + encode) * 1e3:>10.0f}{len(data) / 1024:>10.0f}{mark}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
