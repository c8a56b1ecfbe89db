"""Benchmark the edit → recompute → repaint path of the Arrays view.

Run:  python benchmarks/bench_arrays.py [--sizes 8 64 256 1024 2048] [--repeats 30]

For each N×N it measures, in one process (so ratios are comparable on a noisy machine):

(a) one typed cell → all four panels show it (commit + processEvents, which paints);
(b) a whole-array change (new z and dvalues) → all four panels repainted;

with two baselines: a plain ``np.copyto`` of both arrays' bytes, and a bare pyqtgraph
``setImage`` + paint of four ``ImageItem`` in a window of the same size.
Budget (DESIGN.md): (a) ≤ 8 ms at every N; (b) ≤ 16 ms up to 256², ≤ 50 ms at 2048².
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

WINDOW = (1600, 900)


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1e3, p95 * 1e3


def bench_size(app: QApplication, n: int, repeats: int) -> dict[str, tuple[float, float]]:
    from reluviz.core.explorer import ExplorerModel
    from reluviz.ui.main_window import MainWindow

    rng = np.random.default_rng(n)
    z, dvalues = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    alt_z, alt_d = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    window = MainWindow(ExplorerModel(z, dvalues))
    window.resize(*WINDOW)
    window.show()
    app.processEvents()
    view = window.arrays_view
    results: dict[str, tuple[float, float]] = {}

    # (a) one typed cell, alternating sign so the mask flips every time.
    samples = []
    row, col = n // 2, n // 3
    for k in range(repeats + 3):
        text = "0.75" if k % 2 else "-0.5"
        start = time.perf_counter()
        view.commit_text("z", row, col, text)
        app.processEvents()
        samples.append(time.perf_counter() - start)
    results["a_one_cell"] = stats(samples[3:])

    # (b) whole-array change.
    samples = []
    pairs = [(alt_z, alt_d), (z, dvalues)]
    for k in range(repeats + 2):
        new_z, new_d = pairs[k % 2]
        start = time.perf_counter()
        view.replace_arrays(new_z, new_d, "bench", refit=False)
        app.processEvents()
        samples.append(time.perf_counter() - start)
    results["b_whole"] = stats(samples[2:])
    window.undo_stack.setClean()  # or closing would ask to save the benchmark's edits
    window.close()
    window.deleteLater()
    app.processEvents()

    # Baseline 1: copying both arrays' bytes.
    out_z, out_d = np.empty_like(z), np.empty_like(dvalues)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(out_z, alt_z)
        np.copyto(out_d, alt_d)
        samples.append(time.perf_counter() - start)
    results["copyto"] = stats(samples)
    results["pg_setimage"] = bench_pyqtgraph(app, [z, dvalues, z <= 0, dvalues], repeats)
    return results


def bench_pyqtgraph(app: QApplication, arrays: list[np.ndarray], repeats: int) -> tuple[float, float]:
    import pyqtgraph as pg

    widget = pg.GraphicsLayoutWidget()
    widget.resize(*WINDOW)
    items = []
    for index, _ in enumerate(arrays):
        plot = widget.addPlot(row=index // 2, col=index % 2)
        item = pg.ImageItem(axisOrder="row-major")
        plot.addItem(item)
        items.append(item)
    widget.show()
    app.processEvents()
    samples = []
    for k in range(repeats + 2):
        start = time.perf_counter()
        for item, array in zip(items, arrays, strict=True):
            data = array.astype(np.float32) if array.dtype == bool else array
            item.setImage(data if k % 2 else -data, autoLevels=False, levels=(-3, 3))
        widget.repaint()
        app.processEvents()
        samples.append(time.perf_counter() - start)
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return stats(samples[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 64, 256, 1024, 2048])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from reluviz.render.fonts import load_app_fonts

    load_app_fonts()
    print(f"window {WINDOW[0]}×{WINDOW[1]}, {args.repeats} repeats, times in ms as median / p95")
    header = f"{'N':>6} | {'(a) one cell':>14} | {'(b) whole array':>16} | {'copyto':>12} | {'pg setImage+paint':>18}"
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        repeats = args.repeats if n < 1024 else max(10, args.repeats // 2)
        r = bench_size(app, n, repeats)
        cells = [f"{r[k][0]:6.2f} / {r[k][1]:6.2f}" for k in ("a_one_cell", "b_whole", "copyto", "pg_setimage")]
        print(f"{n:>6} | {cells[0]:>14} | {cells[1]:>16} | {cells[2]:>12} | {cells[3]:>18}")


if __name__ == "__main__":
    main()
