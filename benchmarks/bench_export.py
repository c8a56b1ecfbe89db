"""Time a 3840×2160 PNG of the four-panel figure: the whole command, and render vs. encode.

Run: ``python benchmarks/bench_export.py [--repeats 7]`` (headless is fine).

First, as the user waits for it: the whole ``reluviz export --size 3840x2160 -o x.png`` process,
alternating with its floor, a bare ``python -c "import PySide6.QtGui, numpy"`` (median, p95, n
and the per-pair ratio). Then the micro figures: render and encode of a prebuilt figure at several
zlib levels (median of 5 runs per row; the chosen level is ``reluviz.render.png_encoder.PNG_ZLIB_LEVEL``),
beside Qt's own PNG writer (``QImageWriter``), which the export used before.
Budget (DESIGN.md): the whole command ≤ 0.45 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication
from timing import child_env, load_average, run_child, summarize

from reluviz.core.presets import preset_arrays, random_arrays
from reluviz.render import figures, writers
from reluviz.render.fonts import load_app_fonts
from reluviz.render.theme import DARK, LIGHT

REPEATS = 5
LEVELS = (0, 1, 2, 3, 6)


def qt_png_bytes(image, quality: int = 70) -> bytes:
    """Qt's own PNG writer at ``quality`` (70 → zlib level 2), as the export encoded before."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    writer.setQuality(quality)
    writer.write(image)
    buffer.close()
    return data.data()


def median_seconds(function, repeats: int = REPEATS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def whole_command(repeats: int) -> None:
    """Time the command a user runs, beside a bare import of what it cannot do without."""
    env = child_env()
    floor_code = "import PySide6.QtGui, numpy"
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder, "x.png"))
        command = [sys.executable, "-m", "reluviz", "export", "--size", "3840x2160", "-o", output]
        run_child(command, env)  # warm-up: bytecode and file caches, as any second run has
        whole, floor, ratios, cpu = [], [], [], []
        for _ in range(repeats):
            bare = run_child([sys.executable, "-c", floor_code], env).until_exit
            run = run_child(command, env)
            whole.append(run.until_exit)
            cpu.append(run.cpu_seconds)
            floor.append(bare)
            ratios.append(run.until_exit / bare)
        size = Path(output).stat().st_size
    print(f"{load_average()}; seconds as median / p95 (n)")
    print(f"reluviz export --size 3840x2160 -o x.png (whole process) | {summarize(whole).text(digits=3)}"
          f"  [{size / 1024:.0f} KB]")
    print(f"  its CPU seconds                                        | {summarize(cpu).text(digits=3)}")
    print(f"floor: python -c '{floor_code}'              | {summarize(floor).text(digits=3)}")
    print(f"ratio command / floor (per pair)                         | {summarize(ratios).text(digits=2)}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    whole_command(args.repeats)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    load_app_fonts()
    cases = {
        "book 3×4, light": (preset_arrays("book"), LIGHT),
        "random 256×256, dark": (random_arrays(256, 256, 0), DARK),
    }
    print(f"3840×2160 four-panel PNG, median of {REPEATS} (PNG_ZLIB_LEVEL = {writers.PNG_ZLIB_LEVEL})")
    header = f"{'figure':<24}{'encoder':>14}{'render ms':>11}{'encode ms':>11}{'total ms':>10}{'size KB':>10}"
    print(header)
    print("-" * len(header))
    for name, ((z, dvalues), theme) in cases.items():
        panels = figures.panels_from_arrays(z, dvalues)
        figure = figures.arrays_figure(panels, 3840, 2160, theme, caption=figures.code_caption())
        render, image = median_seconds(lambda figure=figure: figures.figure_image(figure))
        encoders = {f"zlib {level}": (lambda level=level, image=image: writers.png_bytes(image, level))
                    for level in LEVELS}
        encoders["Qt, quality 70"] = lambda image=image: qt_png_bytes(image)
        for label, encode_png in encoders.items():
            encode, data = median_seconds(encode_png)
            mark = "  ←" if label == f"zlib {writers.PNG_ZLIB_LEVEL}" else ""
            print(f"{name:<24}{label:>14}{render * 1e3:>11.0f}{encode * 1e3:>11.0f}"
                  f"{(render + encode) * 1e3:>10.0f}{len(data) / 1024:>10.0f}{mark}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
