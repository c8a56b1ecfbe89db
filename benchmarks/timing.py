"""Shared helpers for the benchmarks: summaries with spread, paint tracking, subprocess timing.

The machine the benchmarks run on is shared, so every figure is reported as median, p95 and the
number of samples, and the scripts interleave the app's measurement with its floor (the same work
done by NumPy or a bare import) so that their ratio is taken under the same load.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Summary:
    """Median, 95th percentile, minimum and count of a list of durations (seconds or ms)."""

    median: float
    p95: float
    low: float
    n: int

    def text(self, scale: float = 1.0, digits: int = 1) -> str:
        """``median / p95 (n)`` in the given unit (``scale`` multiplies the stored value)."""
        return f"{self.median * scale:.{digits}f} / {self.p95 * scale:.{digits}f} (n={self.n})"


def summarize(samples: list[float]) -> Summary:
    """Median, p95 (nearest rank), minimum and count of ``samples``."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Summary(statistics.median(ordered), p95, ordered[0], len(ordered))


def load_average() -> str:
    """The 1-minute load average and the core count, e.g. ``load 3.1 on 2 cores``."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return "load unknown"
    return f"load {load:.1f} on {os.cpu_count()} cores"


def child_env(**extra: str) -> dict[str, str]:
    """An environment for timing child processes as a user starts them.

    Offscreen Qt, this checkout first on the path, and bytecode caching allowed (an installed
    package has its ``.pyc`` files; recompiling every module on each start would be measured
    otherwise).
    """
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


@dataclass(frozen=True)
class ChildRun:
    """One timed child process."""

    until_marker: float  # seconds from spawn to the marker line (or to exit without a marker)
    until_exit: float  # seconds from spawn to the process being reaped
    peak_rss_mib: float  # the child's peak resident memory (ru_maxrss)
    cpu_seconds: float  # user + system CPU time of the child


def run_child(command: list[str], env: dict[str, str], marker: str | None = None) -> ChildRun:
    """Run ``command``; time spawn → ``marker`` on stdout (if given) and spawn → exit.

    Raises
    ------
    RuntimeError
        If the child fails or never prints the marker.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert process.stdout is not None and process.stderr is not None
    marked = None
    if marker is not None:
        for line in process.stdout:
            if line.strip() == marker:
                marked = time.perf_counter() - start
                break
    # Drain so the child never blocks on a full pipe, then reap it with its resource usage.
    rest, errors = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or (marker is not None and marked is None):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {errors.strip()[-400:]} {rest[-200:]}")
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return ChildRun(marked if marked is not None else ended, ended, peak, usage.ru_utime + usage.ru_stime)
