"""Benchmark what the undo memory guard adds to one edit, with a short and a long history.

Run:  python benchmarks/bench_undo_memory.py [--sizes 10 10000] [--edits 200] [--before d8fd73a]

For each history length N: a ``QUndoStack`` holding N steps (every tenth holds two 8×8 arrays, as a
paste does; the rest none, as typed cells do), a guard with the default 512 MB cap (nothing is
dropped: the whole history is live), then ``--edits`` pushes of one more typed-cell step, each timed
alone (and undone untimed, so the next push replaces it: the history stays N + 1 long). Printed per
edit, µs median / p95: the bare push (no guard: the floor), the guard as it is now, and the guard at
``--before`` (read with ``git show``; the walking guard, which summed the whole stack on every
edit). The running total should cost the same at N = 10 and N = 10,000.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication
from timing import REPO, Summary, load_average, summarize

from reluviz.ui import undo_memory

CAP_BYTES = undo_memory.DEFAULT_UNDO_CAP_MB * 2**20


class CellStep(QUndoCommand):
    """A typed cell: holds no arrays (redo does nothing, so only the stack and the guard are timed)."""

    def redo(self) -> None:
        pass

    def undo(self) -> None:
        pass


class BlockStep(CellStep):
    """A pasted block: holds the cells it replaced and the new ones."""

    def __init__(self) -> None:
        super().__init__()
        self.arrays = [np.zeros((8, 8)), np.ones((8, 8))]

    def held_arrays(self) -> list[np.ndarray]:
        return self.arrays

    def release(self) -> None:
        self.arrays = []


def guard_at(revision: str) -> ModuleType | None:
    """``reluviz/ui/undo_memory.py`` as it was at ``revision`` (None without git or that revision)."""
    try:
        source = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:reluviz/ui/undo_memory.py"],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / f"undo_memory_{revision}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def per_edit(length: int, edits: int, guard_module: ModuleType | None) -> Summary:
    """Seconds per pushed step onto a history of ``length`` steps watched by ``guard_module``'s guard."""
    stack = QUndoStack()
    stack.setClean()
    for index in range(length):
        stack.push(BlockStep() if index % 10 == 0 else CellStep())
    live = [np.zeros((8, 8)), np.zeros((8, 8))]
    guard = guard_module.UndoMemoryGuard(stack, CAP_BYTES, lambda: live) if guard_module else None
    if guard is not None:
        guard.enforce()  # the first look may count everything once; the edits after it are timed
    samples = []
    for _ in range(edits):
        step = CellStep()
        start = time.perf_counter()
        stack.push(step)
        samples.append(time.perf_counter() - start)
        stack.undo()  # untimed: the next push replaces this step, so the history stays N + 1 long
    if guard is not None:
        assert guard.released_count == 0
        stack.indexChanged.disconnect()  # the stack goes before the guard's module may
    return summarize(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 10_000])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--before", default="d8fd73a", help="git revision of the guard to compare with")
    args = parser.parse_args()
    QApplication.instance() or QApplication(sys.argv)
    before = guard_at(args.before)
    print(f"undo guard cost per edit, µs median / p95, {load_average()}")
    for length in args.sizes:
        floor = per_edit(length, args.edits, None)
        now = per_edit(length, args.edits, undo_memory)
        line = f"  {length:>6} steps   bare push {floor.text(1e6)}   guard now {now.text(1e6)}"
        if before is not None:
            line += f"   guard at {args.before} {per_edit(length, args.edits, before).text(1e6)}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
