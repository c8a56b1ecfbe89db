"""Network view animation cost: paint time per frame, achieved fps with the real timer, CPU %.

Run: ``python benchmarks/bench_network.py [--seconds 8]`` (offscreen; prints a table).

First, as the user meets it: the main window (1600×900) on the Network tab, playing with the real
timer; CPU of the whole process (all threads) and frames painted, per 1-s window (median, p95, n).
Then the network view alone, per preset and theme. Budget (DESIGN.md): 60 fps, antialiased, at
≤ 10% of one core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication


def main_window_playing(app: QApplication, seconds: int) -> None:
    """The app's window on the Network tab, playing: CPU % and fps per 1-s window."""
    sys.path.insert(0, os.path.dirname(__file__))
    from timing import load_average, summarize

    from reluviz.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 900)
    window.show()
    view = window.network_view
    window.tabs.setCurrentWidget(view)
    app.processEvents()
    view.set_speed(1.0)
    view.play()
    canvas = view.canvas
    loop = QEventLoop()
    QTimer.singleShot(1000, loop.quit)
    loop.exec()  # let it reach a steady state
    cpu_shares, rates = [], []
    for _ in range(seconds):
        if not view.playing:
            view.go_to_frame(0)
            view.play()
        paints, cpu0, wall = canvas.paint_count, time.process_time(), QElapsedTimer()
        wall.start()
        loop = QEventLoop()
        QTimer.singleShot(1000, loop.quit)
        loop.exec()  # the real event loop, idle between timer ticks as in the app
        elapsed = wall.elapsed() / 1000
        cpu_shares.append((time.process_time() - cpu0) / elapsed * 100)
        rates.append((canvas.paint_count - paints) / elapsed)
    view.pause()
    print(f"main window, Network tab playing, {load_average()}; per 1-s window, median / p95 (n)")
    print(f"  CPU of one core, whole process (%) | {summarize(cpu_shares).text(digits=1)}")
    print(f"  frames painted per second          | {summarize(rates).text(digits=1)}")
    print("  (the network painter sets QPainter.Antialiasing on every frame)")
    print()
    window.close()


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from reluviz.core.network_document import NetworkDocument
    from reluviz.render.fonts import load_app_fonts
    from reluviz.render.theme import DARK, LIGHT
    from reluviz.ui.network_view import NetworkView

    load_app_fonts()
    main_window_playing(app, args.seconds)
    view = NetworkView(NetworkDocument())
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    rows: list[tuple[str, str]] = []
    # (preset, sample, theme): None keeps the view's own first sample, "batch" shows the whole batch.
    for preset, sample, theme in (
        ("default", None, LIGHT),
        ("book", 3, LIGHT),
        ("dead", "batch", LIGHT),
        ("default", None, DARK.scaled(1.5)),
    ):
        view.set_theme(theme)
        view.set_sample(0)  # leave whole-batch mode; set_preset picks the default sample again
        view.set_preset(preset)
        label = preset if theme is LIGHT else f"{preset}, {theme.name} ×{theme.scale:g}"
        if sample == "batch":
            view.set_sample(None)
        elif sample is not None:
            view.set_sample(sample)
        view.train_step()  # forward, backward and update frames (shown paused on the first one)
        canvas = view.canvas

        # 1) dynamic-only paint (cached still layer), stepping the animation 1/60 s per paint
        view.go_to_frame(0)
        canvas.repaint()
        times = []
        view.play()
        for _ in range(600):
            if not view.playing:
                view.play()
            view.step_animation(1 / 60)
            t0 = time.perf_counter()
            canvas.repaint()
            times.append((time.perf_counter() - t0) * 1000)
        view.pause()
        # 2) a frame change: the still layer is rebuilt
        rebuild = []
        for i in range(len(view.timeline)):
            view.go_to_frame(i)
            t0 = time.perf_counter()
            canvas.repaint()
            rebuild.append((time.perf_counter() - t0) * 1000)

        # 3) the real timer for ~3 s
        view.go_to_frame(0)
        view.set_speed(1.0)  # the whole pass lasts > 3 s at 1x, so it never stops early
        view.play()
        start_paints = canvas.paint_count
        wall = QElapsedTimer()
        wall.start()
        cpu0 = time.process_time()
        loop = QEventLoop()
        QTimer.singleShot(3000, loop.quit)
        loop.exec()  # the real event loop, idle between timer ticks as in the app
        seconds = wall.elapsed() / 1000
        cpu = (time.process_time() - cpu0) / seconds
        fps = (canvas.paint_count - start_paints) / seconds
        view.pause()
        size = f"{canvas.width()}x{canvas.height()}"
        shown = view.frame.scene.shown
        rows += [
            (f"[{label}] canvas size, what is shown", f"{size}, {shown}"),
            (
                f"[{label}] paint per frame, cached (median / worst)",
                f"{statistics.median(times):.2f} / {max(times):.2f} ms",
            ),
            (
                f"[{label}] paint on frame change (median / worst)",
                f"{statistics.median(rebuild):.2f} / {max(rebuild):.2f} ms",
            ),
            (f"[{label}] achieved fps with the real timer (3 s)", f"{fps:.1f}"),
            (f"[{label}] CPU of one core while playing", f"{cpu:.0%}"),
        ]
    view.close()
    width = max(len(a) for a, _ in rows)
    print(f"{'measure':<{width}}  value")
    print("-" * (width + 20))
    for a, b in rows:
        print(f"{a:<{width}}  {b}")


if __name__ == "__main__":
    main()
