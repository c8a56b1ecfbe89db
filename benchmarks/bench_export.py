"""Time a 3840×2160 PNG of the four-panel figure: the whole command, and render vs. encode.

Run: ``python benchmarks/bench_export.py [--repeats 7]`` (headless is fine).

First, as the user waits for it: the whole ``reluviz export --size 3840x2160 -o x.png`` process,
alternating with its floor, a bare ``python -c "import PySide6.QtGui, numpy"`` (median, p95, n
and the per-pair ratio). Then the micro figures: render and encode of a prebuilt figure at several
PNG levels (median of 5 runs per row; the chosen level is ``reluviz.render.figures.PNG_QUALITY``).
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
