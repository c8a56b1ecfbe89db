"""Cold start as the user waits for it, peak memory with big arrays, and the Qt-free CLI paths.

Run:  python benchmarks/bench_startup.py [--repeats 7] [--memory-sizes 2048 4096]

Every row is a whole child process, started the way a user starts it:

- ``reluviz`` (``python -m reluviz``) from spawn to the main window's first paint event: with
  ``RELUVIZ_EXIT_AFTER_FIRST_PAINT=1`` the app prints ``first-paint`` once its first paint pass
  is done and quits;
- beside it, in the same loop (alternating, so both see the same load), the floor: a bare
  ``import PySide6.QtWidgets, pyqtgraph, numpy``; the ratio is taken per pair;
- peak resident memory (``ru_maxrss``) at the first paint of ``reluviz --z z.npy --dvalues d.npy``
  with N×N float64 arrays, beside the empty app and one array's bytes;
- ``reluviz --version`` and ``reluviz export --help``, which must not import Qt.

Budgets (DESIGN.md): start ≤ 0.5× the peer's (≈ 1.25× the bare import); peak memory ≤ 4× one
array's bytes + the empty app.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from timing import child_env, load_average, run_child, summarize

BARE_IMPORT = "import PySide6.QtWidgets, pyqtgraph, numpy"
APP = [sys.executable, "-m", "reluviz"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[2048, 4096])
    args = parser.parse_args()
    env = child_env()
    paint_env = child_env(RELUVIZ_EXIT_AFTER_FIRST_PAINT="1")
    print(f"{load_average()} at start; seconds as median / p95 (n)")
    # Warm-up: writes the bytecode caches and fills the OS file cache, as any second start has.
    run_child(APP, paint_env, "first-paint")
    run_child([sys.executable, "-c", BARE_IMPORT], env)

    app, bare, ratios, cpu_app, cpu_bare = [], [], [], [], []
    for _ in range(args.repeats):
        floor = run_child([sys.executable, "-c", BARE_IMPORT], env)
        start = run_child(APP, paint_env, "first-paint")
        app.append(start.until_marker)
        bare.append(floor.until_exit)
        ratios.append(start.until_marker / floor.until_exit)
        cpu_app.append(start.cpu_seconds)
        cpu_bare.append(floor.cpu_seconds)
    rows = [
        ("process start → main window's first paint", summarize(app).text(digits=3)),
        (f"floor: python -c '{BARE_IMPORT}'", summarize(bare).text(digits=3)),
        ("ratio app / floor (per pair; budget ≈ 1.25)", summarize(ratios).text(digits=2)),
        ("CPU seconds of the app process (whole run)", summarize(cpu_app).text(digits=3)),
        ("CPU seconds of the floor process", summarize(cpu_bare).text(digits=3)),
    ]
    for label, command in (
        ("reluviz --version", [*APP, "--version"]),
        ("reluviz export --help", [*APP, "export", "--help"]),
        ("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"]),
    ):
        rows.append((label, summarize([run_child(command, env).until_exit for _ in range(args.repeats)])
                     .text(digits=3)))

    empty = summarize([run_child(APP, paint_env, "first-paint").peak_rss_mib for _ in range(3)])
    rows.append(("peak RSS, empty app at first paint (MiB)", empty.text(digits=0)))
    with tempfile.TemporaryDirectory() as folder:
        for n in args.memory_sizes:
            rng = np.random.default_rng(n)
            z_path, d_path = Path(folder, f"z{n}.npy"), Path(folder, f"d{n}.npy")
            np.save(z_path, rng.standard_normal((n, n)))
            np.save(d_path, rng.standard_normal((n, n)))
            command = [*APP, "--z", str(z_path), "--dvalues", str(d_path)]
            runs = [run_child(command, paint_env, "first-paint") for _ in range(3)]
            peak = summarize([run.peak_rss_mib for run in runs])
            one_array = n * n * 8 / 2**20
            budget = 4 * one_array + empty.median
            rows.append((f"peak RSS with --z/--dvalues {n}² (MiB)",
                         f"{peak.text(digits=0)}; one array {one_array:.0f}, budget {budget:.0f}, "
                         f"(peak - empty) / array = {(peak.median - empty.median) / one_array:.2f}"))
            rows.append((f"  start → first paint with {n}² files (s)",
                         summarize([run.until_marker for run in runs]).text(digits=3)))
            z_path.unlink()
            d_path.unlink()
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}} | {value}")
    print(f"{load_average()} at end")


if __name__ == "__main__":
    main()
