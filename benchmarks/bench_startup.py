"""Cold start: process start → main window painted, and the CLI paths that must not import Qt.

Run:  python benchmarks/bench_startup.py [--repeats 5]

Budget (DESIGN.md): cold start to an interactive window ≤ 1.2 s; ``reluviz --version`` and
``reluviz export --help`` import no Qt and return quickly.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

FIRST_PAINT = r"""
import time
start = time.perf_counter()
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from reluviz.render.fonts import load_app_fonts, ui_font
load_app_fonts()
app.setFont(ui_font(10))
from reluviz.ui.main_window import MainWindow
window = MainWindow()
window.show()
def done():
    window.arrays_view.panels["drelu"].repaint()
    print(f"{time.perf_counter() - start:.4f}")
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    rows = []
    walls, inner = [], []
    for _ in range(args.repeats):
        wall, out = timed([sys.executable, "-c", FIRST_PAINT], env)
        walls.append(wall)
        inner.append(float(out.splitlines()[-1]))
    rows.append(("process start → window painted (wall)", walls))
    rows.append(("  of which imports + window + first paint", inner))
    for label, command in (
        ("reluviz --version", [sys.executable, "-m", "reluviz", "--version"]),
        ("reluviz export --help", [sys.executable, "-m", "reluviz", "export", "--help"]),
        ("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"]),
    ):
        rows.append((label, [timed(command, env)[0] for _ in range(args.repeats)]))
    print(f"{'what':44} | median s | worst s")
    for label, samples in rows:
        print(f"{label:44} | {statistics.median(samples):8.3f} | {max(samples):7.3f}")


if __name__ == "__main__":
    main()
