"""Network view animation cost: CPU %, frames advanced and painted per second, paint time per frame.

Run: ``python benchmarks/bench_network.py [--seconds 8]`` (offscreen; prints a table).

First, as the user meets it: the main window (1600×900) on the Network tab, playing with the real
timer; CPU of the whole process (all threads), animation steps (timer ticks that moved the
animation) and paint events per 1-s window (median, p95, n). The canvas repaints only where
pulses move, so a frame in which nothing travels (the loss) advances without a paint: steps per
second is the frame rate, paints per second can be lower. Then the network view alone, per
preset and theme. Budget (DESIGN.md): 60 fps, antialiased, at ≤ 10% of one core.

``--against DIR`` measures the main window only, in fresh processes alternating between this
checkout and the checkout in ``DIR`` (e.g. ``git worktree add /tmp/before main``), ``--rounds``
times each, so both see the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, os.path.dirname(__file__))
from timing import load_average, summarize

HERE = Path(__file__).resolve()


def main_window_samples(seconds: int) -> dict[str, list[float]]:
    """The app's window on the Network tab, playing: per 1-s window, CPU %, steps/s and paints/s."""
    from reluviz.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 900)
    window.show()
    view = window.network_view
    window.tabs.setCurrentWidget(view)
    QApplication.processEvents()
    canvas = view.canvas
    steps = [0]
    set_frame = canvas.set_frame

    def counted_set_frame(*args: object) -> None:  # every timer tick that moves the animation
        steps[0] += 1
        set_frame(*args)

    canvas.set_frame = counted_set_frame  # type: ignore[method-assign]
    view.set_speed(1.0)
    view.play()
    loop = QEventLoop()
    QTimer.singleShot(1000, loop.quit)
    loop.exec()  # let it reach a steady state
    samples: dict[str, list[float]] = {"cpu": [], "steps": [], "paints": []}
    for _ in range(seconds):
        if not view.playing:
            view.go_to_frame(0)
            view.play()
        paints, ticks, cpu0, wall = canvas.paint_count, steps[0], time.process_time(), QElapsedTimer()
        wall.start()
        loop = QEventLoop()
        QTimer.singleShot(1000, loop.quit)
        loop.exec()  # the real event loop, idle between timer ticks as in the app
        elapsed = wall.elapsed() / 1000
        samples["cpu"].append((time.process_time() - cpu0) / elapsed * 100)
        samples["steps"].append((steps[0] - ticks) / elapsed)
        samples["paints"].append((canvas.paint_count - paints) / elapsed)
    view.pause()
    window.close()
    return samples


def print_main_window(samples: dict[str, list[float]], label: str = "") -> None:
    """The main-window table for ``samples`` (from :func:`main_window_samples`)."""
    print(f"main window, Network tab playing{label}, {load_average()}; per 1-s window, median / p95 (n)")
    print(f"  CPU of one core, whole process (%)     | {summarize(samples['cpu']).text(digits=1)}")
    print(f"  animation steps per second (fps)       | {summarize(samples['steps']).text(digits=1)}")
    print(f"  paint events per second                | {summarize(samples['paints']).text(digits=1)}")
    print("  (the network painter sets QPainter.Antialiasing on every frame)")
    print()


def alternate(other: Path, rounds: int, seconds: int) -> None:
    """Main window only, fresh processes alternating this checkout and ``other``."""
    trees = {"this checkout": HERE.parents[1], f"{other}": other.resolve()}
    pooled: dict[str, dict[str, list[float]]] = {name: {"cpu": [], "steps": [], "paints": []} for name in trees}
    loads = []
    for _ in range(rounds):
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))}
            loads.append(os.getloadavg()[0])
            out = subprocess.run([sys.executable, str(HERE), "--child", "--seconds", str(seconds)], env=env,
                                 capture_output=True, text=True, check=True, cwd=tree).stdout
            result = json.loads(out.strip().splitlines()[-1])
            assert result["reluviz"].startswith(str(tree)), (result["reluviz"], tree)
            for key, values in result["samples"].items():
                pooled[name][key] += values
    print(f"{rounds} rounds of {seconds} s each, alternating; load average {min(loads):.1f}–{max(loads):.1f} "
          f"on {os.cpu_count()} cores")
    for name, samples in pooled.items():
        print_main_window(samples, f" [{name}]")


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--against", type=Path, help="another checkout: alternate the main-window run with it")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against is not None:
        alternate(args.against, args.rounds, args.seconds)
        return
    app = QApplication.instance() or QApplication(sys.argv[:1])
    import reluviz
    from reluviz.core.network_document import NetworkDocument
    from reluviz.render.fonts import load_app_fonts
    from reluviz.render.theme import DARK, LIGHT
    from reluviz.ui.network_view import NetworkView

    load_app_fonts()
    samples = main_window_samples(args.seconds)
    if args.child:
        print(json.dumps({"reluviz": reluviz.__file__, "samples": samples}))
        return
    print_main_window(samples)
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

        # 1) one tick as the timer makes it: step 1/60 s, then the paint it asks for (only where
        # pulses moved; a new frame repaints all and rebuilds the still layer), CPU time
        view.go_to_frame(0)
        canvas.repaint()
        times, thread_times = [], []
        view.play()  # from the start of the pass; stepped below, not by the real timer
        view.pause()
        for _ in range(600):
            if view.frame_index == len(view.timeline) - 1 and canvas.progress == 1.0:
                view.play()
                view.pause()
            t0, c0 = time.perf_counter(), time.thread_time()
            view.step_animation(1 / 60)
            app.processEvents()
            times.append((time.perf_counter() - t0) * 1000)
            thread_times.append((time.thread_time() - c0) * 1000)
        # 2) a frame change: the still layer is rebuilt (a whole repaint)
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
                f"[{label}] tick: step + its paint, wall (median / worst)",
                f"{statistics.median(times):.2f} / {max(times):.2f} ms",
            ),
            (
                f"[{label}] tick: step + its paint, CPU (median / mean)",
                f"{statistics.median(thread_times):.2f} / {statistics.mean(thread_times):.2f} ms",
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
