"""Network view animation cost: paint time per frame, achieved fps with the real timer, CPU %.

Run: ``python benchmarks/bench_network.py`` (offscreen; prints a table). Budget (DESIGN.md): 60 fps,
antialiased, at <= 50% of one core.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication


def main() -> None:
    """Measure and print the table."""
    app = QApplication.instance() or QApplication(sys.argv)
    from reluviz.render.fonts import load_app_fonts
    from reluviz.render.theme import DARK, LIGHT
    from reluviz.ui.network_view import NetworkView

    load_app_fonts()
    view = NetworkView()
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
