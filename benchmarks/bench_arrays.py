"""Benchmark the Arrays view as the user waits for it: typed edits and whole-array changes.

Run:  python benchmarks/bench_arrays.py [--sizes 8 64 256 1024 2048 4096] [--repeats 30]

For each N×N, in one process (so ratios are comparable on a noisy machine), 1600×900 window:

(a) **typed edit**: real key events — the first key opens the cell editor on ``z``, the rest go
    into it, Enter commits — until ``z``, ``mask`` and ``drelu`` have all run a paint event after
    the commit (events are processed after every key, as between a person's keystrokes);
    "Enter → painted" is the part after the last key;
(a') the micro figure: ``commit_text`` + ``processEvents`` (no keys, no editor);
(b) **whole-array change**: both arrays replaced (undoable, as a paste or file does) until all
    four panels have painted, beside
(f) the **floor**: the book's two lines run by NumPy alone on the same arrays,
    ``drelu = dvalues.copy(); drelu[z <= 0] = 0``, timed alternately with (b) so both see the same
    load; the ratio is median(b) / median(f).

Budget (DESIGN.md): (a) ≤ 8 ms at every N and the 4096² figure within 1.3× of the 64² one;
(b) ≤ 16 ms up to 256², ≤ 1.5× the floor at 2048².
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from timing import Summary, load_average, summarize

WINDOW = (1600, 900)
# Below 1024² more samples are cheap; above, each whole-array sample costs ~0.1 s or more.
BIG = 1024


class PaintWatcher(QObject):
    """Records which watched widgets have run a paint event since the last :meth:`reset`."""

    def __init__(self, widgets: dict[str, QObject]) -> None:
        super().__init__()
        self._names = {id(widget): name for name, widget in widgets.items()}
        self.painted: set[str] = set()
        for widget in widgets.values():
            widget.installEventFilter(self)

    def reset(self) -> None:
        self.painted.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.painted.add(self._names[id(watched)])
        return False


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def wait_painted(app: QApplication, watcher: PaintWatcher, names: set[str], limit_s: float = 60.0) -> None:
    deadline = time.perf_counter() + limit_s
    while not names <= watcher.painted:
        app.processEvents()
        if not names <= watcher.painted and time.perf_counter() > deadline:
            raise RuntimeError(f"only {sorted(watcher.painted)} painted, waiting for {sorted(names)}")


def book_floor(z: np.ndarray, dvalues: np.ndarray) -> float:
    start = time.perf_counter()
    drelu = dvalues.copy()
    drelu[z <= 0] = 0
    return time.perf_counter() - start


def bench_size(app: QApplication, n: int, repeats: int) -> dict[str, Summary]:
    from reluviz.core.explorer import ExplorerModel
    from reluviz.ui.main_window import MainWindow

    rng = np.random.default_rng(n)
    z, dvalues = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    window = MainWindow(ExplorerModel(z, dvalues))
    window.resize(*WINDOW)
    window.show()
    settle(app)
    view = window.arrays_view
    panels = view.panels
    watcher = PaintWatcher(dict(panels))
    results: dict[str, Summary] = {}
    row, col = n // 2, n // 3
    changed = {"z", "mask", "drelu"}

    # (a) typed edit, alternating sign so the mask flips every time.
    view.select("z", row, col)
    panels["z"].setFocus()
    settle(app)
    typed, typed_cpu, after_enter = [], [], []
    for k in range(repeats + 3):
        text = "0.75" if k % 2 else "-0.5"
        panel = panels["z"]
        cpu = time.process_time()
        start = time.perf_counter()
        QTest.keyClicks(panel, text[0])  # opens the editor with this first character
        app.processEvents()
        for char in text[1:]:
            QTest.keyClicks(panel.editor, char)
            app.processEvents()
        watcher.reset()
        enter = time.perf_counter()
        QTest.keyClick(panel.editor, Qt.Key.Key_Return)
        wait_painted(app, watcher, changed)
        end = time.perf_counter()
        typed_cpu.append(time.process_time() - cpu)
        typed.append(end - start)
        after_enter.append(end - enter)
        # Enter moved the selection down: go back so every edit flips the same cell.
        view.select("z", row, col)
        settle(app)
        assert float(view.model.z[row, col]) == float(text), "the typed value did not arrive"
    results["typed"] = summarize(typed[3:])
    results["typed_cpu"] = summarize(typed_cpu[3:])
    results["enter"] = summarize(after_enter[3:])

    # (a') the micro figure: commit_text + processEvents.
    samples = []
    for k in range(repeats + 3):
        text = "0.75" if k % 2 else "-0.5"
        start = time.perf_counter()
        view.commit_text("z", row, col, text)
        app.processEvents()
        samples.append(time.perf_counter() - start)
    results["commit"] = summarize(samples[3:])

    # (b) whole-array change → all four panels painted, alternating with (f) the NumPy floor.
    whole, whole_cpu, floor, floor_cpu = [], [], [], []
    fresh = [(rng.standard_normal((n, n)), rng.standard_normal((n, n))) for _ in range(2)]
    for k in range(repeats + 2):
        new_z, new_d = fresh[k % 2]
        cpu = time.process_time()
        floor.append(book_floor(new_z, new_d))
        floor_cpu.append(time.process_time() - cpu)
        # Fresh arrays each time, as a file load or paste makes (their copying is not timed).
        arrays = (new_z.copy(), new_d.copy())
        watcher.reset()
        cpu = time.process_time()
        start = time.perf_counter()
        view.replace_arrays(*arrays, "bench", refit=False)
        wait_painted(app, watcher, set(panels))
        whole.append(time.perf_counter() - start)
        whole_cpu.append(time.process_time() - cpu)
        del arrays
    results["whole"] = summarize(whole[2:])
    results["floor"] = summarize(floor[2:])
    results["whole_cpu"] = summarize(whole_cpu[2:])
    results["floor_cpu"] = summarize(floor_cpu[2:])
    window.undo_stack.setClean()  # or closing would ask to save the benchmark's edits
    window.undo_stack.clear()
    window.close()
    window.deleteLater()
    settle(app)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 64, 256, 1024, 2048, 4096])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from reluviz.render.fonts import load_app_fonts, ui_font

    load_app_fonts()
    app.setFont(ui_font(10))
    print(f"window {WINDOW[0]}×{WINDOW[1]}, {load_average()} at start; ms as median / p95 (n)")
    header = (f"{'N':>5} | {'(a) typed: keys → painted':>26} | {'its CPU time':>20} | {'Enter → painted':>20} | "
              f"{'commit_text (micro)':>20} | {'(b) whole array → painted':>26} | {'(f) NumPy floor':>20} | b/f | "
              f"b/f CPU")
    print(header)
    print("-" * len(header))
    typed_at: dict[int, float] = {}
    bench_size(app, 8, 3)  # warm-up (first window, fonts, caches), not reported
    for n in args.sizes:
        repeats = args.repeats if n < BIG else max(8, args.repeats // 3)
        r = bench_size(app, n, repeats)
        typed_at[n] = r["typed"].median
        ratio = r["whole"].median / r["floor"].median
        cpu_ratio = r["whole_cpu"].median / max(r["floor_cpu"].median, 1e-9)
        print(f"{n:>5} | {r['typed'].text(1e3, 2):>26} | {r['typed_cpu'].text(1e3, 2):>20} | "
              f"{r['enter'].text(1e3, 2):>20} | {r['commit'].text(1e3, 2):>20} | {r['whole'].text(1e3, 1):>26} | "
              f"{r['floor'].text(1e3, 1):>20} | {ratio:.2f} | {cpu_ratio:.2f}", flush=True)
    if 64 in typed_at and max(typed_at) > 64:
        top = max(typed_at)
        print(f"typed edit {top}² / 64²: {typed_at[top] / typed_at[64]:.2f} (budget ≤ 1.3)")
    print(f"{load_average()} at end")


if __name__ == "__main__":
    main()
