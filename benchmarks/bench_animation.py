"""Time the whole ``reluviz export --view network -o x.gif`` command, as a user waits for it.

Run: ``python benchmarks/bench_animation.py [--repeats N] [--formats gif,webp]`` (headless is fine).
Each row is one size and format: wall time of the command in a fresh process (imports, rendering,
encoding, writing), the file's size, the process's peak memory (``ru_maxrss`` of the child), and
the frames in the file; the median of ``--repeats`` runs (default 3). The machine's load is printed
with the table, because a shared machine varies by 10-20 %.

Budget (DESIGN.md, issue #11): the 1280×720 GIF ≤ 5 MB and ≤ 5 s; the 1920×1080 GIF ≤ 12 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1280, 720), (1920, 1080))
BUDGET = {("gif", 1280): "≤ 5 MB, ≤ 5 s", ("gif", 1920): "≤ 12 MB"}


def run_once(width: int, height: int, suffix: str, folder: Path) -> tuple[float, int, int]:
    """``(seconds, bytes, peak_kib)`` of one export command in a fresh process."""
    output = folder / f"network_{width}x{height}.{suffix}"
    output.unlink(missing_ok=True)
    command = [sys.executable, "-m", "reluviz", "export", "--view", "network", "--size", f"{width}x{height}",
               "-o", str(output)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory (ru_maxrss, KiB on Linux)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the export command failed ({child.returncode}): {' '.join(command)}")
    return seconds, output.stat().st_size, usage.ru_maxrss


def frames_in(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--formats", default="gif", help="comma-separated: gif, webp, mp4")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    print()
    print("| format | size | whole command, s (median / min) | file, MB | peak memory, MB | frames in file | budget |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        for suffix in args.formats.split(","):
            for width, height in SIZES:
                runs = [run_once(width, height, suffix, folder) for _ in range(args.repeats)]
                seconds = [r[0] for r in runs]
                peak = statistics.median(r[2] for r in runs)
                size = runs[-1][1]
                frames = frames_in(folder / f"network_{width}x{height}.{suffix}") if suffix != "mp4" else "-"
                print(f"| {suffix} | {width}×{height} | {statistics.median(seconds):.2f} / {min(seconds):.2f} "
                      f"| {size / 2**20:.2f} | {peak / 1024:.0f} | {frames} | {BUDGET.get((suffix, width), '')} |",
                      flush=True)
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
